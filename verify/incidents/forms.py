from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verify.accounts.forms import GroupsField
from verify.core.forms import DateInput, VersionedFormMixin
from verify.core.idempotency import IdempotentFormMixin
from verify.core.models import EARLIEST_DATE
from verify.gazetteer.models import Place
from verify.gazetteer.widgets import PlacePicker
from verify.incidents.models import Incident, Label


def label_tree_choices() -> list[tuple[int, str]]:
    """The vocabulary as a tree for a drop-down: sub-labels are indented under their parent."""
    return [(label.pk, "\u2003" * depth + label.name) for label, depth in Label.objects.tree()]


class IncidentForm(IdempotentFormMixin, forms.ModelForm):
    allowed_groups = GroupsField(
        label=_("Allowed groups"),
        queryset=Group.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only members of these groups can see a restricted incident."),
    )
    labels = forms.ModelMultipleChoiceField(
        queryset=Label.objects.all(),
        required=False,
        label=_("Labels"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Tags from the label vocabulary. Changing them does not send a verified incident back to review."),
    )

    class Meta:
        model = Incident
        fields = [
            "title",
            "summary",
            "date_start",
            "date_end",
            "date_precision",
            "place",
            "location_name",
            "latitude",
            "longitude",
            "location_precision",
            "attack_type",
            "target_type",
            "restricted",
        ]
        widgets = {
            "date_start": DateInput(attrs={"min": EARLIEST_DATE.isoformat()}),
            "date_end": DateInput(attrs={"min": EARLIEST_DATE.isoformat()}),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "place": PlacePicker(),
        }
        labels = {
            "date_start": _("Date (from)"),
            "date_end": _("Date (to)"),
            "location_name": _("Location as reported"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.select_related("governorate").order_by("name")
        self.fields["place"].help_text = gettext(
            "From the gazetteer. Coordinates are taken from it if you leave them blank."
        )
        self.fields["labels"].widget.choices = label_tree_choices()
        if self.instance.pk:
            self.fields["allowed_groups"].initial = self.instance.allowed_groups.all()
            self.fields["labels"].initial = list(self.instance.labels.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        place = data.get("place")
        if place and data.get("latitude") is None and data.get("longitude") is None:
            data["latitude"], data["longitude"] = place.latitude, place.longitude
        if data.get("restricted") and not data.get("allowed_groups"):
            self.add_error(
                "allowed_groups", gettext("A restricted incident needs at least one group allowed to see it.")
            )
        start = data.get("date_start")
        if start and not data.get("date_end") and start <= timezone.localdate():
            # A single reported day: the window is that day.
            data["date_end"] = start
        return data


class IncidentEditForm(VersionedFormMixin, IncidentForm):
    idempotency_key = None  # an edit is guarded by its version instead


class LabelForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "Every signed-in user sees every label, including people who cannot see restricted incidents: never put "
            "a name, a place or another sensitive detail in a label."
        ),
    )
    parent = forms.ModelChoiceField(
        queryset=Label.objects.all(),
        required=False,
        label=_("Parent label"),
        empty_label=_("None (a top-level label)"),
        help_text=_("Filtering by a label also finds incidents tagged with the labels under it."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].widget.choices = [("", self.fields["parent"].empty_label), *label_tree_choices()]
