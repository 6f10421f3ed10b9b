"""The API validates what it is sent with the pages' own Django forms, so that a rule is never written twice.

`serializer_for_form` describes a form's fields as a DRF serializer, for the OpenAPI schema; `run_form` validates
the request data with the form and returns its cleaned data, or raises a 400 with the form's field errors.
"""

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from verify.api.errors import _field_errors

_SIMPLE = [
    (forms.URLField, serializers.URLField),
    (forms.EmailField, serializers.EmailField),
    (forms.RegexField, serializers.CharField),
    (forms.DateTimeField, serializers.DateTimeField),
    (forms.DateField, serializers.DateField),
    (forms.DecimalField, serializers.DecimalField),
    (forms.FloatField, serializers.FloatField),
    (forms.IntegerField, serializers.IntegerField),
    (forms.NullBooleanField, serializers.BooleanField),
    (forms.BooleanField, serializers.BooleanField),
]


def _drf_field(field: forms.Field, *, partial: bool) -> serializers.Field:
    required = field.required and not partial and not isinstance(field, forms.BooleanField)
    common = {"required": required, "help_text": str(field.help_text or "") or None}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **common)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **common)
    if isinstance(field, forms.ChoiceField):
        choices = [(c, label) for c, label in field.choices if c not in ("", None)]
        return serializers.ChoiceField(choices=choices, allow_blank=not field.required, **common)
    for form_type, drf_type in _SIMPLE:
        if isinstance(field, form_type):
            if drf_type is serializers.DecimalField:
                return drf_type(
                    max_digits=field.max_digits or 12,
                    decimal_places=field.decimal_places or 6,
                    allow_null=True,
                    coerce_to_string=False,
                    **common,
                )
            if drf_type is serializers.BooleanField:
                return drf_type(allow_null=isinstance(field, forms.NullBooleanField), **common)
            return drf_type(allow_null=not field.required, **common)
    max_length = getattr(field, "max_length", None)
    return serializers.CharField(
        allow_blank=not field.required, max_length=max_length, allow_null=not field.required, **common
    )


def serializer_for_form(name: str, form_class: type[forms.Form], *, partial: bool = False, exclude=()):
    """A serializer class named `name` with a field for each of the form's (for the schema). Built from the form
    class's fields, without an instance: nothing is read from the database at import time."""
    fields = {
        field_name: _drf_field(field, partial=partial)
        for field_name, field in form_class.base_fields.items()
        if field_name not in exclude and field_name != "idempotency_key"
    }
    return type(name, (serializers.Serializer,), fields)


# Databases store ids as 64-bit integers: a larger number sent as an id is an invalid choice, not a query that the
# driver cannot even send (SQLite raises OverflowError, which Django's choice fields do not catch).
MAX_ID = 2**63 - 1


def _out_of_range_ids(form: forms.Form) -> dict:
    errors = {}
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
            continue
        raw = form.data.get(name)
        for value in raw if isinstance(raw, list | tuple) else [raw]:
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                continue
            if not -MAX_ID <= number <= MAX_ID:
                errors[name] = [_("Select a valid choice. That choice is not one of the available choices.")]
    return errors


def run_form(form: forms.Form) -> dict:
    if form.is_bound and (errors := _out_of_range_ids(form)):
        raise exceptions.ValidationError(errors)
    if not form.is_valid():
        raise exceptions.ValidationError(_field_errors(form.errors))
    return form.cleaned_data


def form_data(request_data, *, instance=None, fields=(), extra: dict | None = None, defaults=None) -> dict:
    """What a form is bound to: the instance's current values (for a partial update), or the form's initial values
    (`defaults`, a form class: what a browser would send untouched), then what was sent.

    JSON null means "empty", as a blank form field does."""
    data: dict = {}
    if defaults is not None:
        for name, field in defaults.base_fields.items():
            initial = field.initial() if callable(field.initial) else field.initial
            if initial is not None and name != "idempotency_key":
                data[name] = initial
    if instance is not None:
        for name, value in model_to_dict(instance, fields=fields).items():
            if isinstance(value, list):
                data[name] = [getattr(v, "pk", v) for v in value]
            else:
                data[name] = "" if value is None else value
    data.update(extra or {})
    if not hasattr(request_data, "items"):
        raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
    for name, value in request_data.items():
        data[name] = "" if value is None else value
    return data


IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotency_key(request) -> str:
    """The request's one-time key (32 hex digits, as the pages' forms carry), or "" without one."""
    import re

    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip().lower()
    if key and not re.fullmatch(r"[0-9a-f]{32}", key):
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [_("32 hexadecimal digits, e.g. a UUID without dashes.")]}
        )
    return key
