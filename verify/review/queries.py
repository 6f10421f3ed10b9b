"""Reads for the review pages: the queue, its facet counts, "My work" and the activity feed.

Every function starts from Incident.objects.visible_to(user), so restricted incidents never show up in a list, a
count or a feed for someone outside their groups.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verify.incidents.models import AttackType, Incident, Status

AGE_BUCKETS = (
    (1, _("Waiting over a day")),
    (3, _("Over 3 days")),
    (7, _("Over a week")),
    (30, _("Over a month")),
)


def _count(rows: QuerySet, **filters) -> Coalesce:
    rows = rows.filter(incident=OuterRef("pk"), **filters).order_by().values("incident")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


def governorate_id():
    """The incident's governorate: its place's, or its place if that is a governorate."""
    return Case(When(place__kind="governorate", then=F("place_id")), default=F("place__governorate_id"))


def review_queue(user) -> QuerySet:
    """Submitted incidents this user can see, oldest first, with what a reviewer needs to pick one.

    The counts are correlated subqueries rather than JOIN + GROUP BY, so that the database computes them only
    for the rows of the page shown.
    """
    from verify.claims.models import Claim
    from verify.evidence.models import IncidentEvidence

    own_claims = Claim.objects.filter(incident=OuterRef("pk"), last_edited_by=user)
    own_work = Q(created_by=user) | Q(last_edited_by=user) | Exists(own_claims)
    return (
        Incident.objects.visible_to(user)
        .in_review_queue()
        .select_related("place", "place__governorate")
        .annotate(
            claim_count=_count(Claim.objects.all()),
            evidence_count=_count(IncidentEvidence.objects.visible_to(user)),
            own_work=ExpressionWrapper(own_work, output_field=BooleanField()),
        )
    )


@dataclass
class QueueFacets:
    total: int
    governorates: list[tuple[int, str, int]]  # (place id, name, count)
    attack_types: list[tuple[str, str, int]]
    ages: list[tuple[int, str, int]]
    in_review: int


def queue_facets(user, *, now: datetime | None = None) -> QueueFacets:
    """Counts for the queue's filters, over the whole queue this user can see. Four queries whatever its size."""
    now = now or timezone.now()
    visible = Incident.objects.visible_to(user).order_by()
    queue = visible.filter(status=Status.SUBMITTED)
    ages = {
        f"older_{days}": Count("pk", filter=Q(submitted_at__lte=now - timedelta(days=days))) for days, _ in AGE_BUCKETS
    }
    totals = queue.aggregate(total=Count("pk"), **ages)
    governorates = (
        queue.annotate(
            gov=governorate_id(),
            gov_name=Case(
                When(place__kind="governorate", then=F("place__name")), default=F("place__governorate__name")
            ),
        )
        .filter(gov__isnull=False)
        .values("gov", "gov_name")
        .annotate(n=Count("pk"))
        .order_by("gov_name")
    )
    attack = queue.counts_by("attack_type")
    return QueueFacets(
        total=totals["total"],
        governorates=[(row["gov"], row["gov_name"], row["n"]) for row in governorates],
        attack_types=[(value, label, attack[value]) for value, label in AttackType.choices if attack.get(value)],
        ages=[(days, label, totals[f"older_{days}"]) for days, label in AGE_BUCKETS],
        in_review=visible.filter(status=Status.IN_REVIEW).count(),
    )


def my_work(user) -> dict[str, QuerySet]:
    """The incidents waiting on this user, by what they are waiting for."""
    visible = Incident.objects.visible_to(user).select_related("place", "assigned_to")
    mine = Q(created_by=user) | Q(last_edited_by=user)
    return {
        "drafts": visible.filter(mine, status=Status.DRAFT).order_by("-updated_at"),
        "sent_back": visible.filter(mine, status=Status.CHANGES_REQUESTED).order_by("-updated_at"),
        "reviewing": visible.filter(status=Status.IN_REVIEW, assigned_to=user).order_by("assigned_at"),
        "waiting": visible.filter(mine, status__in=[Status.SUBMITTED, Status.IN_REVIEW]).order_by("submitted_at"),
    }
