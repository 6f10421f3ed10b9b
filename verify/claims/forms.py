from django import forms

from verify.claims.models import Actor, Claim, Source
from verify.core.forms import DateInput, VersionedFormMixin
from verify.gazetteer.models import Place
from verify.incidents.models import Incident

OBJECTIVE_CHOICES = [("", "Not stated"), ("true", "Present"), ("false", "Absent")]


class ClaimForm(forms.ModelForm):
    military_objective_present = forms.NullBooleanField(
        required=False,
        label="Military objective",
        widget=forms.Select(choices=OBJECTIVE_CHOICES),
    )

    class Meta:
        model = Claim
        fields = [
            "source",
            "stance",
            "published_on",
            "url",
            "excerpt",
            "killed_min",
            "killed_max",
            "injured_min",
            "injured_max",
            "perpetrator",
            "munition",
            "event_date",
            "event_date_precision",
            "place",
            "latitude",
            "longitude",
            "location_precision",
            "military_objective_present",
            "military_objective_distance_m",
            "credibility",
            "derived_from",
        ]
        widgets = {
            "published_on": DateInput(),
            "event_date": DateInput(),
            "excerpt": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "url": "URL",
            "event_date": "Date of the attack (as claimed)",
            "event_date_precision": "Date precision",
            "military_objective_distance_m": "Distance to the objective (m)",
        }

    def __init__(self, *args, incident: Incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.instance.incident = incident
        self.fields["source"].queryset = Source.objects.order_by("name")
        self.fields["perpetrator"].queryset = Actor.objects.order_by("name")
        self.fields["place"].queryset = Place.objects.select_related("governorate").order_by("name")
        others = Claim.objects.filter(incident=incident).select_related("source")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["derived_from"].queryset = others
        self.fields["derived_from"].label_from_instance = lambda c: f"#{c.pk} {c.source} ({c.get_stance_display()})"


class ClaimEditForm(VersionedFormMixin, ClaimForm):
    pass


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["name", "kind", "affiliation", "reliability", "reliability_rationale", "url", "notes"]
        widgets = {
            "reliability_rationale": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
