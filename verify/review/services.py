"""The review workflow: every status change of an incident happens here, and only here.

    draft ──submit──▶ submitted ──take──▶ in review ──verify──▶ verified
      ▲                 │   ▲               │   │                  │
      └────withdraw─────┘   └───release─────┘   └─request changes─▶ changes requested ──submit──▶ submitted

A substantive edit of a verified incident sends it back to submitted (see incidents.services.incident_update).

Each transition locks the incident row (SELECT … FOR UPDATE), checks the state it starts from on the locked row,
records a StatusTransition and saves through save_versioned, so it bumps the version: an edit form opened before
the transition is then refused as stale instead of silently writing the old status back.
"""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from verify.core.models import ConflictError
from verify.incidents.models import Grade, Incident, Status
from verify.review.models import Comment, Notification, ReviewDecision, StatusTransition

REVIEW_PERM = "incidents.review_incident"
EDIT_PERM = "incidents.change_incident"
COMMENT_PERM = "review.add_comment"
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


class TransitionError(Exception):
    """A status change that the workflow does not allow from the incident's current state."""


# --- rules ------------------------------------------------------------------------------------------


def review_refusal(incident: Incident, user) -> str | None:
    """Why this user may not review this incident (the two-person rule), or None if they may."""
    if not user.has_perm(REVIEW_PERM):
        return "Only reviewers can review incidents."
    if incident.created_by_id == user.pk:
        return "You logged this incident, so a second researcher must review it (two-person rule)."
    if incident.last_edited_by_id == user.pk:
        return "You made the last substantive edit to this incident, so someone else must review it (two-person rule)."
    if incident.claims.filter(last_edited_by=user).exists():
        return "You last edited one of this incident's claims, so someone else must review it (two-person rule)."
    return None


def reviewable_by(queryset: QuerySet, user) -> QuerySet:
    """The incidents in `queryset` that the two-person rule lets this user review."""
    from verify.claims.models import Claim

    own_claims = Claim.objects.filter(last_edited_by=user).values("incident_id")
    return queryset.exclude(created_by=user).exclude(last_edited_by=user).exclude(pk__in=own_claims)


def is_author(incident: Incident, user) -> bool:
    return user.pk in (incident.created_by_id, incident.last_edited_by_id)


def _locked(incident: Incident) -> Incident:
    """The incident's row, locked until the end of the transaction, as it is now in the database."""
    return Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)


def _move(incident: Incident, *, to: Status, by, note: str = "", expected_version: int | None = None) -> None:
    """Record the transition and save the (locked) incident at its new status."""
    StatusTransition.objects.create(incident=incident, from_status=incident.status, to_status=to, by=by, note=note)
    incident.status = to
    incident._history_user = by
    incident._change_reason = f"Status: {Status(to).label}" + (f". {note}" if note else "")
    incident.save_versioned(expected_version=incident.version if expected_version is None else expected_version)


def _expect(incident: Incident, allowed: Iterable[str], action: str) -> None:
    allowed = list(allowed)
    if incident.status not in allowed:
        wanted = " or ".join(str(Status(s).label).lower() for s in allowed)
        raise TransitionError(
            f"Cannot {action} {incident.reference}: it is {incident.get_status_display().lower()}, "
            f"and only a {wanted} incident can be."
        )


def _require(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


# --- researcher's side ------------------------------------------------------------------------------


def incident_submit(*, incident: Incident, user, note: str = "") -> Incident:
    """Send a draft, or an incident sent back with changes requested, to the review queue."""
    _require(user, EDIT_PERM, "Only researchers can submit incidents for review.")
    with transaction.atomic():
        incident = _locked(incident)
        _expect(incident, [Status.DRAFT, Status.CHANGES_REQUESTED], "submit")
        incident.submitted_at = timezone.now()
        incident.assigned_to = None
        incident.assigned_at = None
        _move(incident, to=Status.SUBMITTED, by=user, note=note.strip())
    return incident


def incident_withdraw(*, incident: Incident, user, note: str = "") -> Incident:
    """Take an incident out of the queue (or back from changes requested) to work on it as a draft."""
    _require(user, EDIT_PERM, "Only researchers can withdraw incidents.")
    with transaction.atomic():
        incident = _locked(incident)
        if not is_author(incident, user) and not user.is_superuser:
            raise PermissionDenied("Only the researchers who wrote this incident can withdraw it.")
        _expect(incident, [Status.SUBMITTED, Status.CHANGES_REQUESTED], "withdraw")
        incident.submitted_at = None
        _move(incident, to=Status.DRAFT, by=user, note=note.strip())
    return incident


def incident_claims_changed(*, incident: Incident, user, what: str) -> None:
    """Claims are the substance of a record: changing one sends a verified incident back to the queue.

    During a review, the version is bumped so that a verdict given on what the reviewer saw before is refused
    as stale.
    """
    with transaction.atomic():
        locked = _locked(incident)
        if locked.status == Status.VERIFIED:
            locked.submitted_at = timezone.now()
            _move(locked, to=Status.SUBMITTED, by=user, note=f"{what} on a verified record: back to review.")
        elif locked.status == Status.IN_REVIEW:
            locked._history_user = user
            locked._change_reason = f"{what} during review"
            locked.save_versioned(expected_version=locked.version)
        else:
            return
        incident.status, incident.version = locked.status, locked.version


# --- reviewer's side --------------------------------------------------------------------------------


def _assign(incident: Incident, *, reviewer, by) -> None:
    refusal = review_refusal(incident, reviewer)
    if refusal:
        if reviewer != by:
            refusal = f"{reviewer.get_username()} cannot review it: " + refusal.replace("You ", "they ", 1)
        raise PermissionDenied(refusal)
    _expect(incident, [Status.SUBMITTED], "take")
    incident.assigned_to = reviewer
    incident.assigned_at = timezone.now()
    note = "" if reviewer == by else f"Assigned to {reviewer.get_username()}."
    _move(incident, to=Status.IN_REVIEW, by=by, note=note)
    if reviewer != by:
        notify(
            recipients=[reviewer],
            actor=by,
            kind=Notification.Kind.ASSIGNED,
            incident=incident,
            message=f"{by.get_username()} assigned {incident.reference} to you for review.",
        )


def review_take(*, incident: Incident, user) -> Incident:
    """Take this particular submitted incident for review."""
    _require(user, REVIEW_PERM, "Only reviewers can take incidents for review.")
    with transaction.atomic():
        incident = _locked(incident)
        if incident.status == Status.IN_REVIEW and incident.assigned_to_id != user.pk:
            raise TransitionError(f"{incident.reference} was taken by {incident.assigned_to} a moment ago.")
        _assign(incident, reviewer=user, by=user)
    return incident


def review_assign(*, incident: Incident, reviewer, by) -> Incident:
    """Hand a submitted incident to another reviewer, who is notified."""
    _require(by, REVIEW_PERM, "Only reviewers can assign incidents.")
    if not incident.is_visible_to(reviewer):
        raise PermissionDenied(f"{reviewer.get_username()} cannot see this incident.")
    with transaction.atomic():
        incident = _locked(incident)
        _assign(incident, reviewer=reviewer, by=by)
    return incident


def review_take_next(*, user, queryset: QuerySet | None = None) -> Incident | None:
    """Assign the oldest untaken submitted incident to this reviewer, or return None if there is none.

    On PostgreSQL, SKIP LOCKED lets concurrent reviewers pass over a row another one is taking, so each gets a
    different incident without waiting. On SQLite the IMMEDIATE transaction serialises the whole call.
    """
    _require(user, REVIEW_PERM, "Only reviewers can take incidents for review.")
    queryset = Incident.objects.all() if queryset is None else queryset
    candidates = reviewable_by(
        queryset.visible_to(user).filter(status=Status.SUBMITTED, assigned_to__isnull=True), user
    ).order_by("submitted_at", "pk")
    with transaction.atomic():
        incident = candidates.select_for_update(skip_locked=True, of=("self",)).first()
        if incident is None:
            return None
        _assign(incident, reviewer=user, by=user)
    return incident


def review_release(*, incident: Incident, user, note: str = "") -> Incident:
    """Put an incident the user took back in the queue, at its old place (submitted_at is kept)."""
    with transaction.atomic():
        incident = _locked(incident)
        _expect(incident, [Status.IN_REVIEW], "release")
        if incident.assigned_to_id != user.pk and not user.is_superuser:
            raise PermissionDenied("Only the reviewer who took this incident can release it.")
        incident.assigned_to = None
        incident.assigned_at = None
        _move(incident, to=Status.SUBMITTED, by=user, note=note.strip() or "Released back to the queue.")
    return incident


def review_decide(
    *,
    incident: Incident,
    user,
    verdict: str,
    note: str,
    expected_version: int,
    grade: str = "",
    override_rationale: str = "",
) -> ReviewDecision:
    """Verify the incident with a final grade, or send it back with changes requested.

    `expected_version` is the version the reviewer read: if the record changed since, the verdict is refused
    with a ConflictError rather than applied to something the reviewer has not seen.
    """
    _require(user, REVIEW_PERM, "Only reviewers can give a verdict.")
    note, override_rationale = note.strip(), override_rationale.strip()
    with transaction.atomic():
        incident = _locked(incident)
        _expect(incident, [Status.IN_REVIEW], "give a verdict on")
        if incident.assigned_to_id != user.pk:
            raise PermissionDenied(f"{incident.reference} is being reviewed by {incident.assigned_to}, not by you.")
        refusal = review_refusal(incident, user)
        if refusal:
            raise PermissionDenied(refusal)
        if incident.version != expected_version:
            raise ConflictError(incident, expected_version)
        decision = ReviewDecision(
            incident=incident,
            reviewer=user,
            verdict=verdict,
            note=note,
            suggested_grade=incident.suggested_grade,
            override_rationale=override_rationale,
        )
        _check_decision(decision, grade)
        decision.save()
        incident.assigned_to = None
        incident.assigned_at = None
        if verdict == ReviewDecision.Verdict.VERIFY:
            incident.grade = grade
            incident.grade_rationale = override_rationale or note
            _move(incident, to=Status.VERIFIED, by=user, note=note, expected_version=expected_version)
            what = f"verified {incident.reference} as {Grade(grade).label}"
        else:
            _move(incident, to=Status.CHANGES_REQUESTED, by=user, note=note, expected_version=expected_version)
            what = f"requested changes to {incident.reference}"
        authors = {incident.created_by, incident.last_edited_by} - {None, user}
        notify(
            recipients=authors,
            actor=user,
            kind=Notification.Kind.VERDICT,
            incident=incident,
            message=f"{user.get_username()} {what}: {note[:150]}",
        )
    return decision


def _check_decision(decision: ReviewDecision, grade: str) -> None:
    errors: dict[str, str] = {}
    if decision.verdict not in ReviewDecision.Verdict.values:
        errors["verdict"] = "Choose to verify or to request changes."
    if not decision.note:
        errors["note"] = "A note is required with every verdict."
    if decision.verdict == ReviewDecision.Verdict.VERIFY:
        if grade not in Grade.values or grade == Grade.UNASSESSED:
            errors["grade"] = "Verifying needs a final grade (not Unassessed)."
        elif overrides(decision.suggested_grade, grade) and not decision.override_rationale:
            errors["override_rationale"] = (
                f"The suggested grade is {Grade(decision.suggested_grade).label}: explain why you set a different one."
            )
        decision.grade = grade
    if errors:
        raise ValidationError(errors)
    decision.full_clean()


def has_suggestion(suggested_grade: str) -> bool:
    """Unassessed means the cross-check had nothing to go on: there is no suggestion to override."""
    return bool(suggested_grade) and suggested_grade != Grade.UNASSESSED


def overrides(suggested_grade: str, grade: str) -> bool:
    return has_suggestion(suggested_grade) and grade != suggested_grade


# --- discussion and notifications -------------------------------------------------------------------


def mentioned_users(text: str) -> list:
    names = {name.rstrip(".") for name in MENTION.findall(text)}
    if not names:
        return []
    return list(get_user_model().objects.filter(is_active=True, username__in=names))


def comment_create(*, incident: Incident, user, body: str) -> Comment:
    """Add a comment; everyone @mentioned who can see the incident is notified."""
    _require(user, COMMENT_PERM, "You cannot comment on incidents.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write something before posting."})
    with transaction.atomic():
        comment = Comment(incident=incident, author=user, body=body)
        comment.full_clean()
        comment.save()
        notify(
            recipients=mentioned_users(body),
            actor=user,
            kind=Notification.Kind.MENTION,
            incident=incident,
            comment=comment,
            message=f"{user.get_username()} mentioned you on {incident.reference}: {body[:150]}",
        )
    return comment


def notify(*, recipients: Iterable, actor, kind: str, incident: Incident, message: str, comment=None) -> int:
    """Notify each recipient who can see the incident, except the actor. Returns how many were notified."""
    notes = [
        Notification(recipient=r, actor=actor, kind=kind, incident=incident, comment=comment, message=message[:300])
        for r in {r for r in recipients if r is not None and r != actor}
        if r.is_active and incident.is_visible_to(r)
    ]
    Notification.objects.bulk_create(notes)
    return len(notes)


def notifications_mark_read(*, user, pks: Iterable[int] | None = None) -> int:
    """Mark some (or, with pks=None, all) of the user's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    return unread.update(read_at=timezone.now())
