"""How a source's claims held up: a read over the claims this user may see.

* Figures: for each verified incident where the source gave a killed figure and other sources' independent,
  affirming claims gave figures too, did the source's figure fall within the span of theirs? The source's own
  claims are left out of that span, or every figure would trivially fall within it.
* Denials: how many of the source's denials (denies, denies responsibility, alternative explanation) concern
  incidents that were later verified.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from verify.claims.models import Claim
from verify.incidents.models import Status
from verify.lib import stances
from verify.lib.crosscheck import AFFIRMING_STANCES, Range, best_figure, combined_range

DENIALS = stances.PARTY_DENIAL


@dataclass
class TrackRecord:
    claims: int = 0
    figures_compared: int = 0
    figures_within: int = 0
    denials: int = 0
    denials_of_verified: int = 0
    # incident reference -> (this source's figure, the others' span), for the source page
    comparisons: list[tuple[str, str, str, bool]] = field(default_factory=list)

    @property
    def figures_text(self) -> str:
        if not self.figures_compared:
            return gettext("No figures to compare yet")
        return ngettext(
            "%(within)s of %(compared)s within the range of verified incidents",
            "%(within)s of %(compared)s within the range of verified incidents",
            self.figures_compared,
        ) % {"within": self.figures_within, "compared": self.figures_compared}

    @property
    def denials_text(self) -> str:
        if not self.denials:
            return gettext("No denials")
        return ngettext(
            "%(verified)s of %(denials)s denial concern incidents later verified",
            "%(verified)s of %(denials)s denials concern incidents later verified",
            self.denials,
        ) % {"verified": self.denials_of_verified, "denials": self.denials}


def track_records(user, source_ids=None) -> dict[int, TrackRecord]:
    """Track records by source id, computed over the claims visible to `user`, in two queries."""
    claims = Claim.objects.visible_to(user)
    if source_ids is not None:
        claims = claims.filter(source_id__in=source_ids)
    records: dict[int, TrackRecord] = defaultdict(TrackRecord)
    figured: list[tuple] = []
    for row in claims.values_list(
        "source_id", "stance", "incident__status", "incident_id", "incident__reference", "killed_min", "killed_max"
    ):
        source_id, stance, status, incident_id, reference, low, high = row
        record = records[source_id]
        record.claims += 1
        if stance in DENIALS:
            record.denials += 1
            record.denials_of_verified += status == Status.VERIFIED
        elif status == Status.VERIFIED and (low is not None or high is not None):
            figured.append((source_id, incident_id, reference, Range(low, high)))
    if not figured:
        return dict(records)

    # Every independent, affirming figure on those verified incidents, whoever gave it.
    others: dict[int, list[tuple[int, Range]]] = defaultdict(list)
    for incident_id, source_id, low, high in (
        Claim.objects.visible_to(user)
        .filter(incident_id__in={f[1] for f in figured}, derived_from__isnull=True, stance__in=AFFIRMING_STANCES)
        .exclude(killed_min__isnull=True, killed_max__isnull=True)
        .values_list("incident_id", "source_id", "killed_min", "killed_max")
    ):
        others[incident_id].append((source_id, Range(low, high)))
    for source_id, incident_id, reference, figure in figured:
        span = combined_range(r for s, r in others[incident_id] if s != source_id)
        if span is None:
            continue
        within = span.low <= best_figure(figure) <= span.high  # type: ignore[operator]
        record = records[source_id]
        record.figures_compared += 1
        record.figures_within += within
        record.comparisons.append((reference, str(figure), str(span), within))
    return dict(records)
