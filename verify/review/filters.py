from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verify.gazetteer.models import Place
from verify.incidents.models import AttackType
from verify.review.queries import AGE_BUCKETS, QueueFacets, governorate_id


class QueueFilter(django_filters.FilterSet):
    """Filters of the review queue. The options carry their counts from the facets of the whole queue."""

    governorate = django_filters.ChoiceFilter(
        method="filter_governorate", empty_label=_("Any governorate"), label=_("Governorate")
    )
    attack_type = django_filters.ChoiceFilter(choices=AttackType.choices, empty_label=_("Any attack type"))
    age = django_filters.ChoiceFilter(method="filter_age", empty_label=_("Any age"), label=_("Waiting"))

    def __init__(self, *args, facets: QueueFacets | None = None, **kwargs):
        """With facets, the options are those present in the queue, with counts; without (take-next), all."""
        super().__init__(*args, **kwargs)
        if facets is None:
            governorates = Place.objects.governorates().values_list("pk", "name")
            self.filters["governorate"].extra["choices"] = lambda: list(governorates)
            self.filters["age"].extra["choices"] = AGE_BUCKETS
            return
        self.filters["governorate"].extra["choices"] = [(pk, f"{name} ({n})") for pk, name, n in facets.governorates]
        self.filters["attack_type"].extra["choices"] = [(v, f"{label} ({n})") for v, label, n in facets.attack_types]
        self.filters["age"].extra["choices"] = [(d, f"{label} ({n})") for d, label, n in facets.ages]

    def filter_governorate(self, queryset, name, value):
        return queryset.annotate(gov=governorate_id()).filter(gov=int(value))

    def filter_age(self, queryset, name, value):
        return queryset.filter(submitted_at__lte=timezone.now() - timedelta(days=int(value)))
