import json

from django import forms
from django.contrib.auth.models import Group

from verify.claims.forms import ClaimForm
from verify.claims.models import Actor, Claim, Source
from verify.core.forms import DateInput
from verify.gazetteer.models import Place
from verify.imports.models import ImportFormat, SavedMapping
from verify.incidents.columns import VERIFY_CSV_COLUMNS

IGNORE = ""


class UploadForm(forms.Form):
    file = forms.FileField(label="File", help_text="CSV or JSON, in UTF-8, Windows-1256 (Arabic) or Latin-1.")
    format = forms.ChoiceField(
        choices=ImportFormat.choices, initial=ImportFormat.VERIFY_CSV, widget=forms.RadioSelect, label="Format"
    )
    restricted = forms.BooleanField(
        required=False, label="Restrict the new incidents", help_text="For a sensitive dataset."
    )
    allowed_groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Groups allowed to see them",
    )
    saved_mapping = forms.ModelChoiceField(
        SavedMapping.objects.all(),
        required=False,
        label="Saved column mapping",
        help_text="For 'Other CSV': start from a mapping saved earlier. You can still adjust it.",
    )

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not data.get("allowed_groups"):
            self.add_error("allowed_groups", "Restricted incidents need at least one group allowed to see them.")
        return data


class MappingForm(forms.Form):
    """One select per verify column, offering the file's own headers."""

    save_as = forms.CharField(
        max_length=100, required=False, label="Save this mapping as", help_text="Optional: a name to reuse it."
    )

    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, "— not in this file —")] + [(h, h) for h in headers if h]
        by_name = {h.casefold(): h for h in headers}
        for column in VERIFY_CSV_COLUMNS:
            guess = initial_mapping.get(column) or by_name.get(column.casefold(), IGNORE)
            self.fields[f"col_{column}"] = forms.ChoiceField(
                choices=choices, required=False, label=column, initial=guess if guess in by_name.values() else IGNORE
            )
        self.order_fields([f"col_{c}" for c in VERIFY_CSV_COLUMNS] + ["save_as"])

    def clean(self):
        data = super().clean()
        if not data.get("col_title"):
            raise forms.ValidationError("Choose the column that holds the title: every incident needs one.")
        name = data.get("save_as", "").strip()
        if name and SavedMapping.objects.filter(name=name).exists():
            self.add_error("save_as", "A mapping with this name exists already; choose another name.")
        return data

    @property
    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data[f"col_{column}"]
            for column in VERIFY_CSV_COLUMNS
            if self.cleaned_data.get(f"col_{column}")
        }

    def column_fields(self):
        return [self[f"col_{c}"] for c in VERIFY_CSV_COLUMNS]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("import", "Import"), ("nothing", "Import nothing")])


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
