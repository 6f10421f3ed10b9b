from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verify.gazetteer.models import Place


class PlaceForm(forms.ModelForm):
    alternative_names = forms.CharField(
        label=_("Alternative names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Other spellings and transliterations, separated by commas."),
    )

    class Meta:
        model = Place
        fields = ["name", "name_ar", "alternative_names", "kind", "governorate", "latitude", "longitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].queryset = Place.objects.governorates()
        self.fields["kind"].choices = [c for c in Place.Kind.choices if c[0] != Place.Kind.GOVERNORATE]

    def clean_alternative_names(self) -> list[str]:
        raw = self.cleaned_data.get("alternative_names") or ""
        names = [n.strip() for n in raw.split(",") if n.strip()]
        if any(len(n) > 200 for n in names):
            raise forms.ValidationError(gettext("Each spelling must be at most 200 characters."))
        return names

    def clean(self):
        data = super().clean()
        if data.get("kind") != Place.Kind.GOVERNORATE and not data.get("governorate"):
            self.add_error("governorate", gettext("Choose the governorate this place is in."))
        return data
