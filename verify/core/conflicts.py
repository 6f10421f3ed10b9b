"""What a conflict page shows: the user's unsaved values beside the values saved in the meantime."""

from dataclasses import dataclass

from django import forms
from django.db import models


@dataclass
class ConflictRow:
    label: str
    yours: str
    theirs: str


def _display(field: forms.Field, value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return {True: "Yes", False: "No"}.get(value, "—")
    return str(value)


def conflict_context(form: forms.ModelForm, error) -> dict:
    """What the conflict page shows, and the form re-armed at the current version.

    The form keeps what the user typed; saving it again now overwrites the newer version knowingly.
    """
    current = error.current
    form.data = form.data.copy()
    form.data["version"] = current.version
    return {"error": error, "current": current, "rows": conflict_rows(form, current)}


def conflict_rows(form: forms.ModelForm, current: models.Model) -> list[ConflictRow]:
    """Every field where what the user typed differs from what is saved now."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        yours = form.cleaned_data[name]
        if isinstance(field, forms.ModelMultipleChoiceField):
            theirs = list(getattr(current, name).all())
            differs = {o.pk for o in yours} != {o.pk for o in theirs}
        else:
            theirs = getattr(current, name, None)
            differs = yours != theirs and not (yours in (None, "") and theirs in (None, ""))
        if differs:
            rows.append(ConflictRow(str(field.label or name), _display(field, yours), _display(field, theirs)))
    return rows
