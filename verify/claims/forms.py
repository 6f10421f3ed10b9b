from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from verify.claims.models import Actor, Claim, Source
from verify.core.choices import Credibility, Reliability
from verify.core.forms import DateInput, VersionedFormMixin
from verify.core.idempotency import IdempotentFormMixin
from verify.gazetteer.models import Place
from verify.gazetteer.widgets import PlacePicker
from verify.incidents.models import Incident

OBJECTIVE_CHOICES = [("", _("Not stated")), ("true", _("Present")), ("false", _("Absent"))]


class ClaimForm(IdempotentFormMixin, forms.ModelForm):
    """A claim, with its source chosen from the register or, for researchers who may add sources, created here."""

    new_source_name = forms.CharField(
        required=False,
        max_length=200,
        label=_("Or a new source"),
        help_text=_("Name a source not yet in the register."),
    )
    new_source_kind = forms.ChoiceField(choices=Source.Kind.choices, required=False, label=_("Kind of new source"))
    new_source_reliability = forms.ChoiceField(
        choices=Reliability.choices, required=False, initial=Reliability.F, label=_("Reliability of new source")
    )
    new_source_affiliation = forms.ModelChoiceField(
        queryset=Actor.objects.order_by("name"),
        required=False,
        label=_("New source speaks for"),
        help_text=_("A party it is affiliated with, e.g. a ministry for its armed forces."),
    )
    military_objective_present = forms.NullBooleanField(
        required=False,
        label=_("Military objective"),
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
            "place": PlacePicker(),
        }
        labels = {
            "url": _("URL"),
            "event_date": _("Date of the attack (as claimed)"),
            "event_date_precision": _("Date precision"),
            "military_objective_distance_m": _("Distance to the objective (m)"),
        }

    def __init__(self, *args, incident: Incident, user, can_add_source: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.user = incident, user
        self.can_add_source = can_add_source
        self.fields["source"].required = False
        if not can_add_source:
            for name in NEW_SOURCE_FIELDS:
                del self.fields[name]
        self.instance.incident = incident
        self.fields["source"].queryset = Source.objects.visible_to(user).active().order_by("name")
        self.fields["perpetrator"].queryset = Actor.objects.visible_to(user).active().order_by("name")
        if "new_source_affiliation" in self.fields:
            self.fields["new_source_affiliation"].queryset = Actor.objects.visible_to(user).active().order_by("name")
        self.fields["place"].queryset = Place.objects.select_related("governorate").order_by("name")
        others = Claim.objects.filter(incident=incident).select_related("source")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["derived_from"].queryset = others
        self.fields["derived_from"].label_from_instance = lambda c: f"#{c.pk} {c.source} ({c.get_stance_display()})"
        self._require_credibility()
        if not self.is_bound and not self.instance.pk:
            self.initial = {**starting_values(incident), **self.initial}

    def _require_credibility(self) -> None:
        """The researcher rates every claim: no default hides an unconsidered "6"."""
        field = self.fields["credibility"]
        field.required = True
        field.initial = None
        field.choices = [("", _("Choose…")), *Credibility.choices]
        field.error_messages["required"] = gettext(
            "Rate the credibility of this claim (1–6); choose 6 if it cannot be judged."
        )

    def clean(self) -> dict:
        data = super().clean()
        new_name = " ".join((data.get("new_source_name") or "").split())
        if new_name:
            if data.get("source"):
                self.add_error(
                    "new_source_name", gettext("Choose a source from the register or name a new one, not both.")
                )
            elif existing := Source.objects.visible_to(self.user).matching(new_name).first():
                self.add_error(
                    "new_source_name",
                    gettext("“%(name)s” is already in the register: choose it above.") % {"name": existing.name},
                )
            elif not data.get("new_source_kind"):
                self.add_error("new_source_kind", gettext("Say what kind of source the new source is."))
        elif not data.get("source") and "source" not in self.errors:
            message = gettext("Choose a source.")
            if self.can_add_source:
                message = gettext("Choose a source from the register, or name a new one.")
            self.add_error("source", message)
        data["new_source_name"] = new_name
        return data

    def new_source(self) -> dict | None:
        """The new source to create with the claim, if one was named."""
        data = self.cleaned_data
        if not data.get("new_source_name"):
            return None
        return {
            "name": data["new_source_name"],
            "kind": data["new_source_kind"],
            "reliability": data.get("new_source_reliability") or Reliability.F,
            "affiliation": data.get("new_source_affiliation"),
            "reliability_rationale": gettext("Added while entering a claim; the rationale is still to be written."),
        }


def starting_values(incident: Incident) -> dict:
    """A new claim starts from what the incident already records: its date and its place."""
    values: dict = {}
    if incident.date_start:
        values["event_date"] = incident.date_start
        values["event_date_precision"] = incident.date_precision
    if incident.place_id:
        values["place"] = incident.place_id
        values["location_precision"] = incident.location_precision
    elif incident.latitude is not None and incident.longitude is not None:
        values.update(
            latitude=incident.latitude, longitude=incident.longitude, location_precision=incident.location_precision
        )
    return values


NEW_SOURCE_FIELDS = ("new_source_name", "new_source_kind", "new_source_reliability", "new_source_affiliation")


class ClaimEditForm(VersionedFormMixin, ClaimForm):
    idempotency_key = None  # an edit is guarded by its version instead

    def __init__(self, *args, **kwargs):
        kwargs["can_add_source"] = False
        super().__init__(*args, **kwargs)
        self.fields["source"].required = True


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["name", "kind", "affiliation", "reliability", "reliability_rationale", "url", "notes"]
        widgets = {
            "reliability_rationale": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An actor named only in restricted work is not offered (nor accepted) as anyone else's affiliation.
        self.fields["affiliation"].queryset = Actor.objects.visible_to(user).active().order_by("name")

    def validate_unique(self) -> None:
        """Names are checked, alias by alias, by the services (verify.claims.entities)."""


class SourceEditForm(VersionedFormMixin, SourceForm):
    """A source's description; its rating has its own form, so that each rating says who, when and why."""

    class Meta(SourceForm.Meta):
        fields = ["name", "kind", "affiliation", "url", "notes"]


class SourceRatingForm(VersionedFormMixin, forms.Form):
    reliability = forms.ChoiceField(label=_("Reliability"), choices=Reliability.choices)
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this letter: the source's methods, access, record and interests."),
    )


class AliasForm(forms.Form):
    name = forms.CharField(
        label=_("Another name"),
        max_length=200,
        help_text=_("An abbreviation, another spelling, the Arabic name, or a dataset's name."),
    )


class ActorForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Actor
        fields = ["name", "short_name", "kind", "party_to_conflict", "parent", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Actor.objects.visible_to(user).active().order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk__in=[self.instance.pk, *self.instance.descendant_ids()])
        else:
            self.fields["version"].required = False
        self.fields["parent"].queryset = parents

    def validate_unique(self) -> None:
        """Names are checked, alias by alias, by the services (verify.claims.entities)."""


class MergeForm(forms.Form):
    """Merge this entity into another: `into` is chosen among the kept candidates, `reason` is required."""

    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Source.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why these are one: kept in both histories."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates
