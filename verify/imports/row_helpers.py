"""Small helpers the run applies to each row: the model's own rules, change detection and error messages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


def validate(instance: models.Model) -> None:
    """The model's own rules without a query per row: foreign keys hold objects loaded by the run, the database
    constraints are checked by the row form and enforced again by the database at insert."""
    foreign_keys = [f.name for f in instance._meta.fields if f.is_relation]
    instance.clean_fields(exclude=foreign_keys)
    instance.clean()


def digest(fields: dict[str, Any]) -> int:
    return hash(tuple(sorted(fields.items())))


def differs(instance: models.Model, data: dict[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in data.items())


def messages(exc: ValidationError) -> list[tuple[str, str]]:
    """(column, message) pairs; an error of the whole record has no column."""
    if hasattr(exc, "error_dict"):
        return [(field if field != "__all__" else "", m) for field, ms in exc.message_dict.items() for m in ms]
    return [("", m) for m in exc.messages]
