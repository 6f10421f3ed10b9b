from django import forms
from django.forms.renderers import TemplatesSetting


class VersionedFormMixin(forms.Form):
    """Carries the version the user started from, so a stale save can be detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FormRenderer(TemplatesSetting):
    """Each field in a wrapper, so that label, input, help and errors stay together and can sit in a row."""

    field_template_name = "includes/field.html"


def add_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: beside its fields, or at the top for anything else."""
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
