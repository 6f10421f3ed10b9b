from django import forms
from django.utils.translation import gettext_lazy as _

from verify.api.models import TokenScope

EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("One year"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What will use it, e.g. “scraper on the team server”.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_in_days = forms.TypedChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial="90")
