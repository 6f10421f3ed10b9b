"""Readable change history from django-simple-history records."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name.replace("_", " ")


def _value(model, name: str, value) -> str:
    if value in (None, ""):
        return "—"
    try:
        f = model._meta.get_field(name)
    except Exception:
        return str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation and f.many_to_one:
        target = f.related_model._default_manager.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    return str(value)


def entries_for(records, label: str, ignore: set[str] | frozenset[str] = frozenset()) -> list[HistoryEntry]:
    """Turn a model's historical records (newest first) into entries with field-level changes."""
    records = list(records)
    entries = []
    for index, record in enumerate(records):
        model = record.instance_type
        who = record.history_user.get_username() if record.history_user else "system"
        entry = HistoryEntry(
            when=record.history_date,
            who=who,
            what=label,
            kind=record.history_type,
            reason=record.history_change_reason or "",
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
            if not entry.changes:
                continue
        entries.append(entry)
    return entries
