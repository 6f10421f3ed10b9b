import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from verify.claims.models import Actor, Claim, Source
from verify.gazetteer.models import Place
from verify.incidents.models import AttackType, Grade, Incident, Status, TargetType


class IncidentFilter(django_filters.FilterSet):
    """The one filter for incidents, shared by the list, the map, the timeline, the exports and the API.

    Every filter is a plain query-string parameter, so a filtered view can be shared as a link.
    """

    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Reference, title, place…"}),
    )
    date_from = django_filters.DateFilter(
        field_name="date_end", lookup_expr="gte", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date_start", lookup_expr="lte", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    governorate = django_filters.ModelChoiceFilter(
        queryset=Place.objects.governorates(),
        method="filter_governorate",
        empty_label="Any governorate",
        label="Governorate",
    )
    place = django_filters.CharFilter(
        method="filter_place",
        label="Place",
        widget=forms.TextInput(attrs={"placeholder": "Any spelling: Idleb, إدلب…"}),
    )
    perpetrator = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.order_by("name"),
        method="filter_perpetrator",
        empty_label="Any perpetrator",
        label="Perpetrator named",
    )
    attack_type = django_filters.ChoiceFilter(choices=AttackType.choices, empty_label="Any attack type")
    target_type = django_filters.ChoiceFilter(choices=TargetType.choices, empty_label="Any target")
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    grade = django_filters.ChoiceFilter(choices=Grade.choices, empty_label="Any grade")
    source = django_filters.ModelChoiceFilter(
        queryset=Source.objects.order_by("name"),
        method="filter_source",
        empty_label="Any source",
        label="Source",
    )
    has_disagreements = django_filters.BooleanFilter(
        label="Has disagreements", widget=forms.NullBooleanSelect(attrs={"aria-label": "Has disagreements"})
    )
    denied_by_party = django_filters.BooleanFilter(
        label="Denied by a party to the conflict",
        widget=forms.NullBooleanSelect(attrs={"aria-label": "Denied by a party to the conflict"}),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("date_start", "date"), ("reference", "reference"), ("created_at", "created"), ("status", "status")),
        empty_label="Newest first",
    )

    class Meta:
        model = Incident
        fields = [
            "q",
            "date_from",
            "date_to",
            "governorate",
            "place",
            "perpetrator",
            "attack_type",
            "target_type",
            "status",
            "grade",
            "source",
            "has_disagreements",
            "denied_by_party",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_governorate(self, queryset, name, value):
        return queryset.filter(Q(place__governorate=value) | Q(place=value))

    def filter_place(self, queryset, name, value):
        """The place in any spelling, or any place inside a governorate of that name."""
        places = Place.objects.search(value)
        if not value.strip():
            return queryset
        return queryset.filter(Q(place__in=places) | Q(place__governorate__in=places))

    # Claims are matched with EXISTS, not a join, so an incident with two matching claims is listed once.
    def filter_perpetrator(self, queryset, name, value):
        return queryset.filter(Exists(Claim.objects.filter(incident=OuterRef("pk"), perpetrator=value)))

    def filter_source(self, queryset, name, value):
        return queryset.filter(Exists(Claim.objects.filter(incident=OuterRef("pk"), source=value)))
