"""The one owner of an incident's status: every status change and every status log entry is written here.

    draft ──submit──▶ submitted ──take──▶ in review ──verify──▶ verified
      ▲                 │   ▲               │   │                  │
      └────withdraw─────┘   └───release─────┘   └─request changes─▶ changes requested ──submit──▶ submitted

And one rule that every writer calls: a substantive change to a verified incident, to its claims or to its
evidence links sends it back to review (`record_change`); during a review it bumps the version, so that a
verdict given on what the reviewer saw before is refused as stale.

Who may do what (the two-person rule, roles) is checked by the callers' services before they call in here;
this module checks the state each move starts from, on the locked row, and records the move.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verify.incidents.models import Incident, Status, StatusTransition, TransitionReason
from verify.lib import stances


class TransitionError(Exception):
    """A status change that the workflow does not allow from the incident's current state."""


class Change:
    """What changed, as stored in a reopening transition's params (`{"change": code, ...}`)."""

    INCIDENT_EDITED = "incident_edited"
    CLAIM_ADDED = "claim_added"
    CLAIM_EDITED = "claim_edited"
    CLAIM_DELETED = "claim_deleted"
    EVIDENCE_LINKED = "evidence_linked"
    EVIDENCE_UNLINKED = "evidence_unlinked"
    MERGED = "merged"
    IMPORTED = "imported"
    SOURCE_MERGED = "source_merged"
    ACTOR_MERGED = "actor_merged"


def change_text(change: str, params: dict[str, Any]) -> str:
    """The words for a change code, in the reader's language."""
    texts = {
        Change.INCIDENT_EDITED: _("The incident was edited (%(fields)s)."),
        Change.CLAIM_ADDED: _("A claim from %(source)s was added."),
        Change.CLAIM_EDITED: _("A claim from %(source)s was edited (%(fields)s)."),
        Change.CLAIM_DELETED: _("A claim from %(source)s was deleted."),
        Change.EVIDENCE_LINKED: _("Evidence was linked."),
        Change.EVIDENCE_UNLINKED: _("Evidence was unlinked."),
        Change.MERGED: _("%(merged)s was merged into it."),
        Change.IMPORTED: _("An import added claims to it (import #%(job)s)."),
        Change.SOURCE_MERGED: _("The source %(merged)s was merged into %(kept)s."),
        Change.ACTOR_MERGED: _("The actor %(merged)s was merged into %(kept)s."),
    }
    values = {
        "fields": ", ".join(params.get("fields", [])),
        "source": "",
        "evidence": "",
        "merged": "",
        "job": "",
        "kept": "",
    }
    values |= {k: v for k, v in params.items() if k != "fields"}
    text = texts.get(change)
    return text % values if text else change


def transition_text(transition: StatusTransition) -> str:
    """Why the status changed, in words: the reason's label, the change that caused it, and who was assigned."""
    parts = [str(TransitionReason(transition.reason).label)] if transition.reason else []
    params = transition.params or {}
    if params.get("change"):
        parts.append(change_text(params["change"], params))
    if params.get("assignee"):
        parts.append(_("Assigned to %(name)s.") % {"name": params["assignee"]})
    return " ".join(parts)


def lock(incident: Incident) -> Incident:
    """The incident's row, locked until the end of the transaction, as it is now in the database."""
    return Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)


def expect(incident: Incident, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if incident.status not in allowed:
        wanted = _(" or ").join(str(Status(s).label).lower() for s in allowed)
        raise TransitionError(
            _("Cannot %(action)s %(reference)s: it is %(status)s, and only a %(wanted)s incident can be.")
            % {
                "action": action,
                "reference": incident.reference,
                "status": incident.get_status_display().lower(),
                "wanted": wanted,
            }
        )


def move(
    incident: Incident,
    *,
    to: str,
    by,
    reason: str,
    params: dict[str, Any] | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> StatusTransition:
    """Record the transition and save the (locked) incident at its new status, bumping its version."""
    transition = StatusTransition.objects.create(
        incident=incident,
        from_status=incident.status,
        to_status=to,
        by=by,
        reason=reason,
        params=params or {},
        note=note,
    )
    incident.status = to
    incident._history_user = by
    incident._change_reason = f"status:{to}"
    incident.save_versioned(expected_version=incident.version if expected_version is None else expected_version)
    return transition


def submit_refusal(incident: Incident) -> str | None:
    """Why this incident cannot go to review yet, or None. The claims are read through the reverse relation."""
    if not incident.claims.filter(stance__in=stances.AFFIRMING).exists():
        return _(
            "Add at least one claim that alleges, corroborates or acknowledges the attack before submitting it "
            "for review."
        )
    return None


def submit(*, incident: Incident, by, note: str = "") -> Incident:
    with transaction.atomic():
        incident = lock(incident)
        expect(incident, [Status.DRAFT, Status.CHANGES_REQUESTED], _("submit"))
        refusal = submit_refusal(incident)
        if refusal:
            raise ValidationError(refusal)
        incident.submitted_at = timezone.now()
        incident.assigned_to = None
        incident.assigned_at = None
        move(incident, to=Status.SUBMITTED, by=by, reason=TransitionReason.SUBMITTED, note=note.strip())
    return incident


def withdraw(*, incident: Incident, by, note: str = "") -> Incident:
    with transaction.atomic():
        incident = lock(incident)
        expect(incident, [Status.SUBMITTED, Status.CHANGES_REQUESTED], _("withdraw"))
        incident.submitted_at = None
        move(incident, to=Status.DRAFT, by=by, reason=TransitionReason.WITHDRAWN, note=note.strip())
    return incident


def start_review(*, incident: Incident, reviewer, by) -> None:
    """Put a locked, submitted incident in `reviewer`'s hands."""
    expect(incident, [Status.SUBMITTED], _("take"))
    incident.assigned_to = reviewer
    incident.assigned_at = timezone.now()
    if reviewer == by:
        move(incident, to=Status.IN_REVIEW, by=by, reason=TransitionReason.TAKEN)
    else:
        params = {"assignee": reviewer.get_username()}
        move(incident, to=Status.IN_REVIEW, by=by, reason=TransitionReason.ASSIGNED, params=params)


def release(*, incident: Incident, by, note: str = "") -> None:
    """Put a locked incident under review back in the queue, at its old place (submitted_at is kept)."""
    expect(incident, [Status.IN_REVIEW], _("release"))
    incident.assigned_to = None
    incident.assigned_at = None
    move(incident, to=Status.SUBMITTED, by=by, reason=TransitionReason.RELEASED, note=note.strip())


def conclude(
    *, incident: Incident, by, verified: bool, note: str, expected_version: int, grade: str = "", rationale: str = ""
) -> None:
    """End a locked incident's review: verified with its final grade, or sent back with changes requested."""
    expect(incident, [Status.IN_REVIEW], _("give a verdict on"))
    incident.assigned_to = None
    incident.assigned_at = None
    if verified:
        incident.grade = grade
        incident.grade_rationale = rationale
        to, reason = Status.VERIFIED, TransitionReason.VERIFIED
    else:
        to, reason = Status.CHANGES_REQUESTED, TransitionReason.CHANGES_REQUESTED
    move(incident, to=to, by=by, reason=reason, note=note, expected_version=expected_version)


def record_change(*, incident: Incident, by, change: str, bumped: bool = False, **params: Any) -> Incident:
    """A substantive change was made to this incident, its claims or its evidence links: apply the rule.

    Verified: back to submitted (and into the queue). In review: the version is bumped, so a pending verdict
    based on the version the reviewer read is refused as stale. Otherwise nothing to do. Call it inside the
    transaction that made the change; `bumped` says the caller has already bumped the version in it. Returns the
    locked, current row.
    """
    with transaction.atomic():
        locked = lock(incident)
        if locked.status == Status.VERIFIED:
            locked.submitted_at = timezone.now()
            move(
                locked,
                to=Status.SUBMITTED,
                by=by,
                reason=TransitionReason.REOPENED,
                params={"change": change, **params},
            )
        elif locked.status == Status.IN_REVIEW and not bumped:
            locked._history_user = by
            locked._change_reason = f"change:{change}"
            locked.save_versioned(expected_version=locked.version)
        incident.status, incident.version = locked.status, locked.version
        incident.submitted_at = locked.submitted_at
        return locked
