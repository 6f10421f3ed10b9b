import django_filters
from django import forms
from django.db.models import Q

from verify.gazetteer.models import Place
from verify.incidents.models import AttackType, Grade, Incident, Status, TargetType


class IncidentFilter(django_filters.FilterSet):
    """The one filter for incidents, shared by the list, the map, the exports and the API."""

    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Reference, title, place…"}),
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    grade = django_filters.ChoiceFilter(choices=Grade.choices, empty_label="Any grade")
    attack_type = django_filters.ChoiceFilter(choices=AttackType.choices, empty_label="Any attack type")
    target_type = django_filters.ChoiceFilter(choices=TargetType.choices, empty_label="Any target")
    governorate = django_filters.ModelChoiceFilter(
        queryset=Place.objects.governorates(),
        method="filter_governorate",
        empty_label="Any governorate",
        label="Governorate",
    )
    date_from = django_filters.DateFilter(
        field_name="date_end", lookup_expr="gte", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date_start", lookup_expr="lte", label="To", widget=forms.DateInput(attrs={"type": "date"})
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
            "status",
            "grade",
            "attack_type",
            "target_type",
            "governorate",
            "date_from",
            "date_to",
            "has_disagreements",
            "denied_by_party",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_governorate(self, queryset, name, value):
        return queryset.filter(Q(place__governorate=value) | Q(place=value))
