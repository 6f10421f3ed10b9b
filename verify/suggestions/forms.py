import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verify.claims.forms import ClaimForm
from verify.claims.models import Actor, Claim, Source
from verify.core.forms import DateInput
from verify.gazetteer.models import Place
from verify.incidents.forms import IncidentForm
from verify.incidents.models import Incident


class ReportForm(forms.Form):
    """Step one of claim suggestions: the report, and the incident it is about."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12, "dir": "auto"}), required=False, label=_("Report text"), strip=False,
        help_text=_("Paste the article or report, in English or Arabic. Or upload a PDF below."),
    )  # fmt: skip
    pdf = forms.FileField(required=False, label=_("Or a PDF of the report"))
    url = forms.URLField(required=False, label=_("Report URL"), max_length=1000, assume_scheme="https")
    published_on = forms.DateField(
        required=False,
        label=_("Published on"),
        widget=DateInput(),
        help_text=_("Relative dates such as 'on Sunday' or 'yesterday' are counted back from it."),
    )
    incident = forms.CharField(required=False, max_length=32, label=_("Incident reference"),
                               help_text=_("The incident these claims are about, e.g. SYR-2015-0001."))  # fmt: skip
    new_title = forms.CharField(
        required=False,
        max_length=200,
        label=_("Or create an incident titled"),
        help_text=_("Leave both empty to create a new incident from the accepted suggestions: its title, date, "
                    "place and attack type are drafted for you to check."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("pdf"):
            raise forms.ValidationError(_("Paste the report text or upload a PDF."))
        if data.get("incident") and data.get("new_title"):
            raise forms.ValidationError(_("Give an incident reference, or a title for a new incident (not both)."))
        return data


class SuggestionForm(forms.ModelForm):
    """A suggested claim, editable before it is accepted. Rejected suggestions are not validated at all."""

    military_objective_present = ClaimForm.base_fields["military_objective_present"]
    accept = forms.BooleanField(required=False, label=_("Accept"))
    sentence = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    spans = forms.CharField(widget=forms.HiddenInput, required=False)
    said_by = forms.CharField(widget=forms.HiddenInput, required=False)
    place_note = forms.CharField(widget=forms.HiddenInput, required=False)
    attack_type = forms.CharField(widget=forms.HiddenInput, required=False, max_length=24)
    other_event = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1)
    provisional = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1)

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
        self.fields["excerpt"].widget.attrs.update(rows=3, dir="auto")

    @property
    def accepted(self) -> bool:
        return self.is_bound and self.fields["accept"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("accept")
        )

    @property
    def is_other_event(self) -> bool:
        return bool(self["other_event"].value())

    @property
    def is_provisional(self) -> bool:
        return bool(self["provisional"].value())

    def full_clean(self):
        if self.is_bound and not self.accepted:
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {"accept": False}
            return
        super().full_clean()

    def clean_attack_type(self) -> str:
        value = self.cleaned_data.get("attack_type", "")
        from verify.incidents.models import AttackType

        return value if value in AttackType.values else ""

    def span_list(self) -> list:
        try:
            return json.loads(self["spans"].value() or "[]")
        except ValueError:
            return []


class IncidentDraftForm(forms.ModelForm):
    """The new incident drafted from the suggestions, shown with them so the researcher can correct it before
    saving: its title, date window and precision, place and coordinates, and attack type."""

    class Meta:
        model = Incident
        fields = ["title", "date_start", "date_end", "date_precision", "place", "latitude", "longitude", "attack_type"]
        widgets = {k: v for k, v in IncidentForm.Meta.widgets.items() if k in {"date_start", "date_end", "place"}}
        labels = {k: v for k, v in IncidentForm.Meta.labels.items() if k in {"date_start", "date_end"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.select_related("governorate").order_by("name")
        self.fields["title"].widget.attrs["dir"] = "auto"

    def clean(self):
        data = super().clean()
        place = data.get("place")
        if place and data.get("latitude") is None and data.get("longitude") is None:
            data["latitude"], data["longitude"] = place.latitude, place.longitude
        start = data.get("date_start")
        if start and not data.get("date_end") and start <= timezone.localdate():
            data["date_end"] = start
        return data


class InlineSourceForm(forms.Form):
    """A source named in the report and missing from the register, added without leaving the page."""

    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=Source.Kind.choices, label=_("Kind"))
