from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verify.core.forms import VersionedFormMixin
from verify.core.idempotency import IdempotentFormMixin
from verify.incidents.models import Grade, Incident
from verify.review.models import ReviewDecision
from verify.review.services import has_suggestion, rationale_needed


class VerdictForm(VersionedFormMixin, forms.Form):
    """Verify with a final grade, or request changes; the grade suggestion is preselected.

    The rules themselves (note required, grade required to verify, rationale required to override the
    suggestion) are enforced by services.review_decide; the form mirrors them so errors show beside the fields.
    """

    verdict = forms.ChoiceField(
        choices=ReviewDecision.Verdict.choices, widget=forms.RadioSelect, label=gettext_lazy("Verdict")
    )
    grade = forms.ChoiceField(
        choices=[(v, label) for v, label in Grade.choices if v != Grade.UNASSESSED],
        required=False,
        label=gettext_lazy("Final grade"),
        help_text=gettext_lazy("Needed to verify."),
    )
    override_rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=gettext_lazy("Why a different grade from the suggestion"),
        help_text=gettext_lazy("Needed when the final grade differs from the suggested grade."),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=gettext_lazy("Note"),
        help_text=gettext_lazy("Always required: what you checked, or what needs to change."),
    )

    def __init__(self, *args, incident: Incident, **kwargs):
        self.incident = incident
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("version", incident.version)
        if has_suggestion(incident.suggested_grade):
            initial.setdefault("grade", incident.suggested_grade)
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("verdict") == ReviewDecision.Verdict.VERIFY:
            grade = data.get("grade")
            if not grade:
                self.add_error("grade", _("Choose the final grade to verify."))
            elif not data.get("override_rationale", "").strip():
                refusal = rationale_needed(self.incident, grade)
                if refusal:
                    self.add_error("override_rationale", refusal)
        return data


class CommentForm(IdempotentFormMixin, forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=gettext_lazy("Comment"),
        max_length=10_000,
        help_text=gettext_lazy("Mention a colleague with @username to notify them."),
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Assign to"), empty_label=gettext_lazy("Choose a reviewer")
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
