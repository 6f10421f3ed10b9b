import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from verify.evidence.models import (
    EvidenceItem,
    EvidenceKind,
    FixityStatus,
    IncidentEvidence,
    ProcessingStatus,
    Sensitivity,
)

ANY_YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class EvidenceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Title, file name, SHA-256, incident, text in the image…")}
        ),
    )
    incident = django_filters.CharFilter(
        field_name="incident_links__incident__reference", lookup_expr="iexact", label=_("Incident reference")
    )
    kind = django_filters.ChoiceFilter(choices=EvidenceKind.choices, empty_label=_("Any kind"))
    processing_status = django_filters.ChoiceFilter(
        choices=ProcessingStatus.choices, empty_label=_("Any processing status"), label=_("Processing")
    )
    fixity_status = django_filters.ChoiceFilter(
        choices=FixityStatus.choices, empty_label=_("Any integrity"), label=_("Integrity")
    )
    sensitivity = django_filters.ChoiceFilter(choices=Sensitivity.choices, empty_label=_("Any sensitivity"))
    has_position = django_filters.BooleanFilter(
        field_name="gps_latitude",
        lookup_expr="isnull",
        exclude=True,
        label=_("Has GPS position"),
        widget=forms.Select(choices=ANY_YES_NO),
    )
    unlinked = django_filters.BooleanFilter(
        method="filter_unlinked",
        label=_("Not linked to an incident"),
        widget=forms.Select(choices=ANY_YES_NO),
    )

    class Meta:
        model = EvidenceItem
        fields = ["q", "kind", "processing_status", "fixity_status", "sensitivity"]

    def filter_unlinked(self, queryset, name, value):
        linked = Exists(IncidentEvidence.objects.filter(evidence=OuterRef("pk")))
        return queryset.filter(~linked if value else linked)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = (
            Q(title__icontains=value)
            | Q(original_filename__icontains=value)
            | Q(sha256__startswith=value.lower())
            | Q(incident_links__incident__reference__iexact=value)
            | Q(ocr_text__icontains=value)
        )
        return queryset.filter(pk__in=EvidenceItem.objects.filter(matches).values("pk"))
