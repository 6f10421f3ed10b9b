"""Readable change history from django-simple-history records.

Change reasons are stored as codes (`edited:title,summary`, `status:verified`, `merged_from:SYR-2015-0002`),
never as sentences, and put into words here, in the reader's language. Rows written before codes were used
keep their old text, which is shown as it is.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _

from verify.core import display

# The reason codes that reason_text puts into words (with "labels" and "status", handled on their own).
REASON_CODES = frozenset(
    {
        "edited",
        "change",
        "merged_into",
        "merged_from",
        "moved",
        "source_claim_deleted",
        "imported",
        "crosscheck",
        "rated",
        "source_merged",
        "actor_merged",
        "labels",
        "status",
    }
)

# Recomputations of derived values: not a person's change, left out of histories and feeds.
SILENT_REASONS = frozenset({"crosscheck"})


def _fields(model, names: str) -> str:
    return ", ".join(_label(model, n) for n in names.split(",") if n) if model else names.replace(",", ", ")


def reason_text(reason: str | None, model=None) -> str:
    """The words for a stored change reason code."""
    if not reason:
        return ""
    code, _sep, arg = reason.partition(":")
    if code == "labels":
        return _labels_text(arg, model)
    if code == "status":
        return _("Status: %(status)s") % {"status": _value(model, "status", arg) if model else arg}
    texts = {
        "edited": _("Edited: %(arg)s"),
        "change": _("Changed during review: %(arg)s"),
        "merged_into": _("Merged into %(arg)s"),
        "merged_from": _("%(arg)s was merged into this incident"),
        "moved": _("Moved by a merge (%(arg)s)"),
        "source_claim_deleted": _("The claim it was derived from (#%(arg)s) was deleted"),
        "imported": _("Imported (import #%(arg)s)"),
        "crosscheck": _("Cross-check updated from the claims"),
        "rated": _("Reliability rated"),
        "source_merged": _("Moved by the merge of source #%(arg)s"),
        "actor_merged": _("Moved by the merge of actor #%(arg)s"),
    }
    if code == "edited" and arg:
        arg = _fields(model, arg)
    if code == "edited" and not arg:
        return _("Edited")
    if code in {"merged_from", "merged_into"} and model is not None and model._meta.model_name != "incident":
        # Sources and actors: the argument is the other record's number, not an incident's reference.
        if code == "merged_from":
            return _("#%(arg)s was merged into this one") % {"arg": arg}
        return _("Merged into #%(arg)s") % {"arg": arg}
    if code == "moved":
        arg = arg.replace(">", " → ")
    if code == "change":
        arg = arg.replace("_", " ")
    text = texts.get(code)
    return text % {"arg": arg} if text else reason


def _labels_text(arg: str, model) -> str:
    """`labels:+3,-2` in words, with the labels' current names (a renamed label shows its new name)."""
    ids = [(item[:1], item[1:]) for item in arg.split(",") if item[1:].isdigit()]
    if not ids:
        return _("Labels changed")
    names: dict[str, str] = {}
    try:
        labels = model._meta.get_field("labels").related_model._default_manager if model is not None else None
    except FieldDoesNotExist:
        labels = None
    if labels is not None:
        names = {str(pk): name for pk, name in labels.filter(pk__in=[pk for _s, pk in ids]).values_list("pk", "name")}
    added = ", ".join(names.get(pk, f"#{pk}") for sign, pk in ids if sign == "+")
    removed = ", ".join(names.get(pk, f"#{pk}") for sign, pk in ids if sign == "-")
    if added and removed:
        return _("Labels: added %(added)s; removed %(removed)s") % {"added": added, "removed": removed}
    if added:
        return _("Labels: added %(added)s") % {"added": added}
    return _("Labels: removed %(removed)s") % {"removed": removed}


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str = ""
    code: str = ""  # the stored reason code
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name.replace("_", " ")


def _value(model, name: str, value) -> str:
    """A field's stored value as the reader reads it: choices by their label, records by name, Yes/No, dates in
    the reader's format, numbers as numbers, sizes in KB or MB."""
    try:
        f = model._meta.get_field(name)
    except Exception:
        return display.stored_value_text(value, name) or "—"
    if isinstance(f, models.BooleanField):
        return display.yes_no(value) if value is not None or f.null else "—"
    if value in (None, "", [], {}):
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation and f.many_to_one:
        target = f.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if isinstance(f, models.DateTimeField) and isinstance(value, datetime):
        return date_format(localtime(value) if is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(f, models.DateField) and isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(f, models.DecimalField | models.FloatField):
        return display.decimal_text(value)
    if isinstance(f, models.IntegerField) and name.endswith("_bytes"):
        return display.size_text(value)
    if isinstance(f, models.IntegerField):
        return display.stored_value_text(value)
    if isinstance(value, list | tuple | dict):
        return display.stored_value_text(value) or "—"
    return str(value)


def entries_for(records, label: str, ignore: set[str] | frozenset[str] = frozenset()) -> list[HistoryEntry]:
    """Turn a model's historical records (newest first) into entries with field-level changes."""
    records = list(records)
    entries = []
    for index, record in enumerate(records):
        model = record.instance_type
        who = record.history_user.get_username() if record.history_user else _("system")
        entry = HistoryEntry(
            when=record.history_date,
            who=who,
            what=label,
            kind=record.history_type,
            reason=reason_text(record.history_change_reason, model),
            code=record.history_change_reason or "",
        )
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in ignore:
                    continue
                entry.changes.append(
                    (
                        _label(model, change.field),
                        _value(model, change.field, change.old),
                        _value(model, change.field, change.new),
                    )
                )
            if not entry.changes and (not entry.reason or record.history_change_reason in SILENT_REASONS):
                continue
        entries.append(entry)
    return entries
