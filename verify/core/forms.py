from django import forms


class VersionedFormMixin(forms.Form):
    """Carries the version the user started from, so a stale save can be detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
