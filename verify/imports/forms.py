from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from verify.accounts.forms import GroupsField
from verify.claims.models import Actor, Source
from verify.imports.detect import guess_mapping
from verify.imports.models import ImportFormat, SavedMapping
from verify.incidents.columns import VERIFY_CSV_COLUMNS

IGNORE = ""


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("CSV or JSON, in UTF-8, Windows-1256 (Arabic) or Latin-1."))
    format = forms.ChoiceField(
        choices=ImportFormat.choices, initial=ImportFormat.VERIFY_CSV, widget=forms.RadioSelect, label=_("Format")
    )
    restricted = forms.BooleanField(
        required=False, label=_("Restrict the new incidents"), help_text=_("For a sensitive dataset.")
    )
    allowed_groups = GroupsField(
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Groups allowed to see them"),
    )
    saved_mapping = forms.ModelChoiceField(
        SavedMapping.objects.all(),
        required=False,
        label=_("Saved column mapping"),
        help_text=_("For 'Other CSV': start from a mapping saved earlier. You can still adjust it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not data.get("allowed_groups"):
            self.add_error(
                "allowed_groups", gettext("Restricted incidents need at least one group allowed to see them.")
            )
        return data


class MappingForm(forms.Form):
    """One select per verify column, offering the file's own headers."""

    save_as = forms.CharField(
        max_length=100, required=False, label=_("Save this mapping as"), help_text=_("Optional: a name to reuse it.")
    )

    def __init__(self, *args, headers: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, gettext("— not in this file —"))] + [(h, h) for h in headers if h]
        present = set(headers)
        guessed = guess_mapping(headers)  # the same names first, then known English and Arabic synonyms
        for column in VERIFY_CSV_COLUMNS:
            guess = initial_mapping.get(column) or guessed.get(column, IGNORE)
            self.fields[f"col_{column}"] = forms.ChoiceField(
                choices=choices, required=False, label=column, initial=guess if guess in present else IGNORE
            )
        self.order_fields([f"col_{c}" for c in VERIFY_CSV_COLUMNS] + ["save_as"])

    def clean(self):
        data = super().clean()
        if not data.get("col_title"):
            raise forms.ValidationError(gettext("Choose the column that holds the title: every incident needs one."))
        name = data.get("save_as", "").strip()
        if name and SavedMapping.objects.filter(name=name).exists():
            self.add_error("save_as", gettext("A mapping with this name exists already; choose another name."))
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
    decision = forms.ChoiceField(choices=[("import", _("Import")), ("nothing", _("Import nothing"))])


class ResolutionForm(forms.Form):
    """For each name the check found no match for: an existing source or actor the researcher can see, or new."""

    def __init__(self, *args, job, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list]] = []
        for kind, model, prefix, label in (
            ("sources", Source, "source", _("— a new source —")),
            ("actors", Actor, "actor", _("— a new actor —")),
        ):
            names = []
            choices = model.objects.visible_to(user).active().order_by("name")
            for index, row in enumerate(job.summary.get(f"unmatched_{kind}", [])):
                name = f"{prefix}_{index}"
                self.fields[name] = forms.ModelChoiceField(
                    choices, required=False, empty_label=label, label=row["name"],
                    help_text=ngettext("%(n)s row", "%(n)s rows", row["rows"]) % {"n": row["rows"]},
                )  # fmt: skip
                self.fields[name].row_key = row["key"]  # type: ignore[attr-defined]
                names.append(self[name])
            self.groups.append((kind, names))

    @property
    def resolutions(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for kind, bound_fields in self.groups:
            chosen = {f.field.row_key: self.cleaned_data[f.name].pk for f in bound_fields if self.cleaned_data[f.name]}
            if chosen:
                result[kind] = chosen
        return result
