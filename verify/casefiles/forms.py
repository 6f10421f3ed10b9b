from django import forms
from django.utils.translation import gettext_lazy as _


class RequestForm(forms.Form):
    include_failed_integrity = forms.BooleanField(
        label=_("Include evidence files that fail their integrity check, marked “integrity failed”"), required=False
    )
    note = forms.CharField(
        label=_("Purpose (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
