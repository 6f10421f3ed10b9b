import functools

import django_filters
from django import forms
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from verify.claims.models import Actor, Claim, Source
from verify.core import cached
from verify.gazetteer.models import Place
from verify.incidents.forms import label_tree_choices
from verify.incidents.models import AttackType, Grade, Incident, Label, Status, TargetType

# Choices as (id, name) pairs read in one plain query each: model choice fields would build a model instance per
# option through a server-side cursor, which on PostgreSQL cost more than the list's own queries.
# They are cached (verify.core.cached) for as long as the vocabularies are unchanged: one query per request, for
# the fingerprint, instead of one per drop-down.
VOCABULARIES = (("places", Place), ("actors", Actor), ("sources", Source), ("labels", Label))


def _fingerprint() -> tuple:
    """Row count and latest change of each vocabulary (table names from the models, nothing from the request)."""
    parts = []
    for _name, model in VOCABULARIES:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table}), (SELECT MAX(updated_at) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(str(value) for value in cursor.fetchone())


def _shared_choices() -> dict:
    def compute() -> dict:
        return {
            "governorates": list(Place.objects.governorates().order_by("name").values_list("pk", "name")),
            "labels": label_tree_choices(),
            **{
                f"{name}_{scope}": list(rows.order_by("name").values_list("pk", "name"))
                for name, model in (("actors", Actor), ("sources", Source))
                for scope, rows in (
                    ("all", model.objects.all()),
                    ("public", model.objects.filter(restricted_origin=False)),
                )
            },
        }

    return cached.by_fingerprint("filter-choices", _fingerprint(), compute)


def _governorate_choices() -> list[tuple[int, str]]:
    return _shared_choices()["governorates"]


def _label_choices() -> list[tuple[int, str]]:
    return _shared_choices()["labels"]


def _vocabulary_choices(model, name: str, user, shared: dict | None = None) -> list[tuple[int, str]]:
    """Sources and actors this user may see; without a user, only those released to everyone. From the cache
    unless some are of restricted origin and the user may not see every one (then VocabularyQuerySet decides)."""
    shared = shared if shared is not None else _shared_choices()
    if user is None:
        return shared[f"{name}_public"]
    if (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("incidents.view_all_restricted"))
    ):
        return shared[f"{name}_all"]
    if shared[f"{name}_public"] == shared[f"{name}_all"]:  # none of restricted origin
        return shared[f"{name}_public"] if user.is_authenticated and user.is_active else []
    return list(model.objects.visible_to(user).order_by("name").values_list("pk", "name"))


def _actor_choices(user=None) -> list[tuple[int, str]]:
    return _vocabulary_choices(Actor, "actors", user)


def _source_choices(user=None) -> list[tuple[int, str]]:
    return _vocabulary_choices(Source, "sources", user)


# The flags in the URL read ?has_disagreements=true; empty means either.
YES_NO_CHOICES = [("", _("Either")), ("true", _("Yes")), ("false", _("No"))]


ORDER_FIELDS = (("date_start", "date"), ("reference", "reference"), ("created_at", "created"), ("status", "status"))
ORDER_LABELS = {"date_start": _("Date"), "reference": _("Reference"), "created_at": _("Created"), "status": _("Status")}


class Ordering(django_filters.OrderingFilter):
    descending_fmt = _("%s (descending)")  # django-filter's own words have no Arabic

    def translated_choices(self) -> list:
        """The choices in the reader's language: django-filter puts them into words once, when the class is made."""
        return self.build_choices(self.normalize_fields(ORDER_FIELDS), ORDER_LABELS)


class IncidentFilter(django_filters.FilterSet):
    """The one filter for incidents, shared by the list, the map, the timeline, the exports and the API.

    Every filter is a plain query-string parameter, so a filtered view can be shared as a link.
    """

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference, title, place…")}),
    )
    # One date rule for the list, the map and the timeline: an incident matches when its window (date_start to
    # date_end, or the one day of date_start) overlaps the span From–To.
    date_from = django_filters.DateFilter(
        method="filter_date_from", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        field_name="date_start", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    governorate = django_filters.ChoiceFilter(
        choices=_governorate_choices,
        method="filter_governorate",
        empty_label=_("Any governorate"),
        label=_("Governorate"),
    )
    place = django_filters.CharFilter(
        method="filter_place",
        label=_("Place"),
        widget=forms.TextInput(attrs={"placeholder": _("Any spelling: Idleb, إدلب…")}),
    )
    perpetrator = django_filters.ChoiceFilter(
        choices=_actor_choices,
        method="filter_perpetrator",
        empty_label=_("Any perpetrator"),
        label=_("Perpetrator named"),
    )
    attack_type = django_filters.ChoiceFilter(
        choices=AttackType.choices, empty_label=_("Any attack type"), label=_("Attack type")
    )
    target_type = django_filters.ChoiceFilter(
        choices=TargetType.choices, empty_label=_("Any target"), label=_("Target")
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label=_("Any status"), label=_("Status"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, empty_label=_("Any grade"), label=_("Grade"))
    source = django_filters.ChoiceFilter(
        choices=_source_choices, method="filter_source", empty_label=_("Any source"), label=_("Source")
    )
    label = django_filters.ChoiceFilter(
        choices=_label_choices, method="filter_label", empty_label=_("Any label"), label=_("Label")
    )
    has_disagreements = django_filters.BooleanFilter(
        label=_("Has disagreements"), widget=forms.Select(choices=YES_NO_CHOICES)
    )
    denied_by_party = django_filters.BooleanFilter(
        label=_("Denied by a party to the conflict"), widget=forms.Select(choices=YES_NO_CHOICES)
    )
    # ?located=false: the incidents without coordinates (the map's "12 more have no location" links here).
    located = django_filters.BooleanFilter(
        method="filter_located", label=_("Has a location"), widget=forms.Select(choices=YES_NO_CHOICES)
    )
    ordering = Ordering(
        fields=ORDER_FIELDS,
        field_labels=ORDER_LABELS,
        label=_("Order"),
        empty_label=_("Newest first"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["ordering"].extra["choices"] = self.filters["ordering"].translated_choices()
        # The drop-downs name only the sources and actors this user may see (see VocabularyQuerySet).
        # The cached choices are looked up once per filter (one fingerprint query), not once per drop-down.
        shared = functools.cache(_shared_choices)
        self.filters["governorate"].extra["choices"] = lambda: shared()["governorates"]
        self.filters["label"].extra["choices"] = lambda: shared()["labels"]
        self.filters["perpetrator"].extra["choices"] = lambda: _vocabulary_choices(Actor, "actors", user, shared())
        self.filters["source"].extra["choices"] = lambda: _vocabulary_choices(Source, "sources", user, shared())

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
            "label",
            "has_disagreements",
            "denied_by_party",
            "located",
        ]

    def filter_located(self, queryset, name, value):
        return queryset.filter(latitude__isnull=not value)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(Q(date_end__gte=value) | Q(date_end__isnull=True, date_start__gte=value))

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_governorate(self, queryset, name, value):
        # A list of place ids (one small gazetteer query) lets the index on place answer; see filter_place.
        ids = list(Place.objects.filter(Q(governorate_id=value) | Q(pk=value)).values_list("pk", flat=True))
        return queryset.filter(place__in=ids)

    def filter_place(self, queryset, name, value):
        """The place in any spelling, or any place inside a governorate of that name.

        The gazetteer is small, so the matching places are looked up first and the incidents filtered by a list
        of ids, which the index on place answers directly (a subquery here made PostgreSQL scan every incident).
        """
        return queryset.filter(place__in=Place.objects.lookup(value)[0])

    # Claims are matched with EXISTS, not a join, so an incident with two matching claims is listed once.
    def filter_perpetrator(self, queryset, name, value):
        return queryset.filter(Exists(Claim.objects.filter(incident=OuterRef("pk"), perpetrator_id=value)))

    def filter_source(self, queryset, name, value):
        return queryset.filter(Exists(Claim.objects.filter(incident=OuterRef("pk"), source_id=value)))

    def filter_label(self, queryset, name, value):
        """Incidents tagged with this label or with any label under it (the vocabulary is small: a list of ids)."""
        ids = Label.objects.with_descendants([value])
        tagged = Incident.labels.through.objects.filter(incident_id=OuterRef("pk"), label_id__in=ids)
        return queryset.filter(Exists(tagged))
