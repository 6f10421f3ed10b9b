"""The place picker: a plain drop-down of the gazetteer that static/js/place-picker.js turns into a searchable
combobox (any spelling, Arabic included, through the gazetteer's search endpoint). Without JavaScript the
drop-down itself is the working field."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class PlacePicker(forms.Select):
    def __init__(self, attrs: dict | None = None, choices=()) -> None:
        defaults = {
            "class": "place-picker",
            "data-search-url": reverse_lazy("gazetteer:search"),
            "data-placeholder": _("Type a place in any spelling, e.g. Idleb or إدلب"),
        }
        super().__init__({**defaults, **(attrs or {})}, choices)
