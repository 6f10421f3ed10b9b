import json

from django import forms

from verify.claims.forms import ClaimForm
from verify.claims.models import Actor, Claim, Source
from verify.core.forms import DateInput
from verify.gazetteer.models import Place


class ReportForm(forms.Form):
    """Step one of claim suggestions: the report, and the incident it is about."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}), required=False, label="Report text", strip=False,
        help_text="Paste the article or report. Or upload a PDF below.",
    )  # fmt: skip
    pdf = forms.FileField(required=False, label="Or a PDF of the report")
    url = forms.URLField(required=False, label="Report URL", max_length=1000, assume_scheme="https")
    published_on = forms.DateField(
        required=False,
        label="Published on",
        widget=DateInput(),
        help_text="Relative dates such as 'on Sunday' are counted back from it.",
    )
    incident = forms.CharField(required=False, max_length=32, label="Incident reference",
                               help_text="The incident these claims are about, e.g. SYR-2015-0001.")  # fmt: skip
    new_title = forms.CharField(required=False, max_length=200, label="Or create an incident titled")

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("pdf"):
            raise forms.ValidationError("Paste the report text or upload a PDF.")
        if bool(data.get("incident")) == bool(data.get("new_title")):
            raise forms.ValidationError("Give an incident reference, or a title for a new incident (not both).")
        return data


class SuggestionForm(forms.ModelForm):
    """A suggested claim, editable before it is accepted. Rejected suggestions are not validated at all."""

    military_objective_present = ClaimForm.base_fields["military_objective_present"]
    accept = forms.BooleanField(required=False, label="Accept")
    sentence = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    spans = forms.CharField(widget=forms.HiddenInput, required=False)
    said_by = forms.CharField(widget=forms.HiddenInput, required=False)
    place_note = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        widgets = ClaimForm.Meta.widgets
        labels = ClaimForm.Meta.labels
        fields = [
            "source",
            "stance",
            "killed_min",
            "killed_max",
            "injured_min",
            "injured_max",
            "perpetrator",
            "munition",
            "event_date",
            "event_date_precision",
            "place",
            "military_objective_present",
            "military_objective_distance_m",
            "credibility",
            "excerpt",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.visible_to(user).order_by("name")
        self.fields["perpetrator"].queryset = Actor.objects.visible_to(user).order_by("name")
        self.fields["place"].queryset = Place.objects.select_related("governorate").order_by("name")
        self.fields["excerpt"].widget.attrs["rows"] = 3

    @property
    def accepted(self) -> bool:
        return self.is_bound and self.fields["accept"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("accept")
        )

    def full_clean(self):
        if self.is_bound and not self.accepted:
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {"accept": False}
            return
        super().full_clean()

    def span_list(self) -> list:
        try:
            return json.loads(self["spans"].value() or "[]")
        except ValueError:
            return []
