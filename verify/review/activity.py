"""The site-wide activity feed: who did what to which incident, newest first, only for incidents one may see."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from verify.core.history import SILENT_REASONS, reason_text
from verify.incidents.models import Incident, Status, StatusTransition
from verify.incidents.workflow import transition_text
from verify.review.models import Comment

# Each verb is shown between who did it and the incident's reference: "rana submitted for review SYR-2016-0001".
STATUS_VERBS = {
    Status.DRAFT: pgettext_lazy("activity: who … incident", "withdrew to draft"),
    Status.SUBMITTED: pgettext_lazy("activity: who … incident", "submitted for review"),
    Status.IN_REVIEW: pgettext_lazy("activity: who … incident", "took for review"),
    Status.VERIFIED: pgettext_lazy("activity: who … incident", "verified"),
    Status.CHANGES_REQUESTED: pgettext_lazy("activity: who … incident", "requested changes to"),
}


@dataclass
class Activity:
    when: datetime
    who: str
    verb: str
    reference: str
    title: str
    detail: str = ""
    claim_id: int | None = None  # for claim edits: links to the claim's history


def _name(user) -> str:
    return user.get_username() if user else _("system")


def activity_feed(user, *, limit: int = 15) -> list[Activity]:
    """Status changes, comments, and edits of incidents and claims. Four queries, each at most `limit` rows."""
    from verify.claims.models import Claim

    visible = Incident.objects.visible_to(user).values("pk")
    items: list[Activity] = []
    transitions = (
        StatusTransition.objects.filter(incident__in=visible).select_related("incident", "by").order_by("-at", "-pk")
    )
    for t in transitions[:limit]:
        verb = str(STATUS_VERBS.get(t.to_status, "")) or _("moved to %(status)s") % {
            "status": t.get_to_status_display()
        }
        if t.from_status == Status.IN_REVIEW and t.to_status == Status.SUBMITTED:
            verb = _("released back to the queue")
        elif t.from_status == Status.VERIFIED and t.to_status == Status.SUBMITTED:
            verb = _("sent back to review by an edit of")
        detail = " ".join(part for part in (transition_text(t), t.note) if part)
        items.append(Activity(t.at, _name(t.by), verb, t.incident.reference, t.incident.title, detail))
    comments = Comment.objects.filter(incident__in=visible).select_related("incident", "author")
    for c in comments.order_by("-created_at", "-pk")[:limit]:
        items.append(
            Activity(c.created_at, _name(c.author), _("commented on"), c.incident.reference, c.incident.title, c.body)
        )
    edits = (
        Incident.history.filter(id__in=visible)
        # Status changes are listed from the transitions; recomputations are nobody's change.
        .exclude(Q(history_change_reason__startswith="status:") | Q(history_change_reason__in=SILENT_REASONS))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    for h in edits[:limit]:
        verb = {"+": _("logged"), "-": _("deleted")}.get(h.history_type, _("edited"))
        items.append(
            Activity(
                h.history_date,
                _name(h.history_user),
                verb,
                h.reference,
                h.title,
                reason_text(h.history_change_reason, Incident),
            )
        )
    claim_edits = (
        Claim.history.filter(incident_id__in=visible)
        .select_related("history_user", "incident", "source")
        .order_by("-history_date", "-history_id")
    )
    for h in claim_edits[:limit]:
        if h.source_id:
            # The source's name is isolated (<bdi>), so that an Arabic name reads right in an English sentence.
            values = {"source": format_html("<bdi>{}</bdi>", h.source)}
            sentence = {
                "+": _("added a claim from %(source)s on"),
                "-": _("deleted a claim from %(source)s on"),
            }.get(h.history_type, _("edited a claim from %(source)s on"))
            verb = mark_safe(conditional_escape(sentence) % values)  # noqa: S308 (escaped above; the name by format_html)
        else:
            verb = {"+": _("added a claim from a source on"), "-": _("deleted a claim from a source on")}.get(
                h.history_type, _("edited a claim from a source on")
            )
        items.append(
            Activity(
                h.history_date,
                _name(h.history_user),
                verb,
                h.incident.reference,
                h.incident.title,
                reason_text(h.history_change_reason, Claim),
                claim_id=h.id,
            )
        )
    items.sort(key=lambda a: a.when, reverse=True)
    return items[:limit]
