"""The review side of the workflow: who may submit, take, assign, release and decide, the verdicts, comments and
notifications. The status changes themselves are made by verify.incidents.workflow, and only there.
"""

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from verify.core.models import ConflictError
from verify.incidents import workflow
from verify.incidents.models import Grade, Incident, IncidentQuerySet, Status
from verify.incidents.workflow import TransitionError, lock
from verify.lib import stances
from verify.review.models import Comment, Notification, ReviewDecision

REVIEW_PERM = "incidents.review_incident"
EDIT_PERM = "incidents.change_incident"
COMMENT_PERM = "review.add_comment"
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


# --- rules ------------------------------------------------------------------------------------------


def _refusal_code(incident: Incident, user) -> str | None:
    if not user.has_perm(REVIEW_PERM):
        return "not_reviewer"
    if incident.created_by_id == user.pk:
        return "logged"
    if incident.last_edited_by_id == user.pk:
        return "last_edit"
    if incident.claims.filter(last_edited_by=user).exists():
        return "claim_edit"
    return None


def review_refusal(incident: Incident, user) -> str | None:
    """Why this user may not review this incident (the two-person rule), or None if they may."""
    texts = {
        "not_reviewer": _("Only reviewers can review incidents."),
        "logged": _("You logged this incident, so a second researcher must review it (two-person rule)."),
        "last_edit": _(
            "You made the last substantive edit to this incident, so someone else must review it (two-person rule)."
        ),
        "claim_edit": _(
            "You last edited one of this incident's claims, so someone else must review it (two-person rule)."
        ),
    }
    code = _refusal_code(incident, user)
    return texts[code] if code else None


def _refusal_for(incident: Incident, reviewer) -> str | None:
    """Why another person may not be assigned this incident, said of them."""
    texts = {
        "not_reviewer": _("%(name)s cannot review it: only reviewers can review incidents."),
        "logged": _(
            "%(name)s cannot review it: they logged this incident, so a second researcher must review it "
            "(two-person rule)."
        ),
        "last_edit": _(
            "%(name)s cannot review it: they made the last substantive edit to this incident, so someone else must "
            "review it (two-person rule)."
        ),
        "claim_edit": _(
            "%(name)s cannot review it: they last edited one of this incident's claims, so someone else must "
            "review it (two-person rule)."
        ),
    }
    code = _refusal_code(incident, reviewer)
    return texts[code] % {"name": reviewer.get_username()} if code else None


def reviewable_by(queryset: QuerySet, user) -> QuerySet:
    """The incidents in `queryset` that the two-person rule lets this user review."""
    from verify.claims.models import Claim

    own_claims = Claim.objects.filter(last_edited_by=user).values("incident_id")
    return queryset.exclude(created_by=user).exclude(last_edited_by=user).exclude(pk__in=own_claims)


def is_author(incident: Incident, user) -> bool:
    return user.pk in (incident.created_by_id, incident.last_edited_by_id)


def _require(user, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


# --- researcher's side ------------------------------------------------------------------------------


def incident_submit(*, incident: Incident, user, note: str = "") -> Incident:
    """Send a draft, or an incident sent back with changes requested, to the review queue."""
    _require(user, EDIT_PERM, _("Only researchers can submit incidents for review."))
    return workflow.submit(incident=incident, by=user, note=note)


def incident_withdraw(*, incident: Incident, user, note: str = "") -> Incident:
    """Take an incident out of the queue (or back from changes requested) to work on it as a draft."""
    _require(user, EDIT_PERM, _("Only researchers can withdraw incidents."))
    if not is_author(incident, user) and not user.is_superuser:
        raise PermissionDenied(_("Only the researchers who wrote this incident can withdraw it."))
    return workflow.withdraw(incident=incident, by=user, note=note)


# --- reviewer's side --------------------------------------------------------------------------------


def _assign(incident: Incident, *, reviewer, by) -> None:
    refusal = review_refusal(incident, reviewer) if reviewer == by else _refusal_for(incident, reviewer)
    if refusal:
        raise PermissionDenied(refusal)
    workflow.start_review(incident=incident, reviewer=reviewer, by=by)
    if reviewer != by:
        notify(recipients=[reviewer], actor=by, kind=Notification.Kind.ASSIGNED, incident=incident)


def review_take(*, incident: Incident, user) -> Incident:
    """Take this particular submitted incident for review."""
    _require(user, REVIEW_PERM, _("Only reviewers can take incidents for review."))
    with transaction.atomic():
        incident = lock(incident)
        if incident.status == Status.IN_REVIEW and incident.assigned_to_id != user.pk:
            raise TransitionError(
                _("%(reference)s was taken by %(reviewer)s a moment ago.")
                % {"reference": incident.reference, "reviewer": incident.assigned_to}
            )
        _assign(incident, reviewer=user, by=user)
    return incident


def review_assign(*, incident: Incident, reviewer, by) -> Incident:
    """Hand a submitted incident to another reviewer, who is notified."""
    _require(by, REVIEW_PERM, _("Only reviewers can assign incidents."))
    if not incident.is_visible_to(reviewer):
        raise PermissionDenied(_("%(name)s cannot see this incident.") % {"name": reviewer.get_username()})
    with transaction.atomic():
        incident = lock(incident)
        _assign(incident, reviewer=reviewer, by=by)
    return incident


def review_take_next(*, user, queryset: IncidentQuerySet | None = None) -> Incident | None:
    """Assign the oldest untaken submitted incident to this reviewer, or return None if there is none.

    On PostgreSQL, SKIP LOCKED lets concurrent reviewers pass over a row another one is taking, so each gets a
    different incident without waiting. On SQLite the IMMEDIATE transaction serialises the whole call.
    """
    _require(user, REVIEW_PERM, _("Only reviewers can take incidents for review."))
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
        incident = lock(incident)
        if incident.assigned_to_id != user.pk and not user.is_superuser:
            raise PermissionDenied(_("Only the reviewer who took this incident can release it."))
        workflow.release(incident=incident, by=user, note=note)
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
    _require(user, REVIEW_PERM, _("Only reviewers can give a verdict."))
    note, override_rationale = note.strip(), override_rationale.strip()
    with transaction.atomic():
        incident = lock(incident)
        workflow.expect(incident, [Status.IN_REVIEW], _("give a verdict on"))
        if incident.assigned_to_id != user.pk:
            raise PermissionDenied(
                _("%(reference)s is being reviewed by %(reviewer)s, not by you.")
                % {"reference": incident.reference, "reviewer": incident.assigned_to}
            )
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
        _check_decision(decision, grade, incident)
        decision.save()
        verified = verdict == ReviewDecision.Verdict.VERIFY
        workflow.conclude(
            incident=incident,
            by=user,
            verified=verified,
            note=note,
            expected_version=expected_version,
            grade=grade if verified else "",
            rationale=(override_rationale or note) if verified else "",
        )
        authors = {incident.created_by, incident.last_edited_by} - {None, user}
        notify(
            recipients=authors,
            actor=user,
            kind=Notification.Kind.VERDICT,
            incident=incident,
            params={"verdict": verdict, "grade": grade if verified else ""},
            excerpt=note,
        )
    return decision


def _check_decision(decision: ReviewDecision, grade: str, incident: Incident) -> None:
    """The verdict rules. Any final grade other than the suggestion needs a rationale (Unassessed included), and
    Confirmed needs a claim acknowledging responsibility or a rationale saying why it is confirmed without one."""
    errors: dict[str, str] = {}
    if decision.verdict not in ReviewDecision.Verdict.values:
        errors["verdict"] = _("Choose to verify or to request changes.")
    if not decision.note:
        errors["note"] = _("A note is required with every verdict.")
    if decision.verdict == ReviewDecision.Verdict.VERIFY:
        if grade not in Grade.values or grade == Grade.UNASSESSED:
            errors["grade"] = _("Verifying needs a final grade (not Unassessed).")
        elif not decision.override_rationale:
            refusal = rationale_needed(incident, grade)
            if refusal:
                errors["override_rationale"] = refusal
        decision.grade = grade
    if errors:
        raise ValidationError(errors)
    decision.full_clean()


def has_suggestion(suggested_grade: str) -> bool:
    """Unassessed means the cross-check had nothing to go on: nothing to preselect in the verdict form."""
    return bool(suggested_grade) and suggested_grade != Grade.UNASSESSED


def overrides(suggested_grade: str, grade: str) -> bool:
    """A final grade other than the suggestion. No suggestion at all counts as Unassessed."""
    return grade != (suggested_grade or Grade.UNASSESSED)


def rationale_needed(incident: Incident, grade: str) -> str | None:
    """Why this final grade needs a rationale, or None if it does not."""
    if overrides(incident.suggested_grade, grade):
        suggested = Grade(incident.suggested_grade or Grade.UNASSESSED).label
        return _("The suggested grade is %(grade)s: explain why you set a different one.") % {"grade": suggested}
    if grade == Grade.CONFIRMED and not incident.claims.filter(stance=stances.ACKNOWLEDGES).exists():
        return _("No claim acknowledges responsibility: explain why the attack is confirmed.")
    return None


# --- discussion and notifications -------------------------------------------------------------------


def mentioned_users(text: str) -> list:
    names = {name.rstrip(".") for name in MENTION.findall(text)}
    if not names:
        return []
    return list(get_user_model().objects.filter(is_active=True, username__in=names))


def comment_create(*, incident: Incident, user, body: str) -> Comment:
    """Add a comment; everyone @mentioned who can see the incident is notified."""
    _require(user, COMMENT_PERM, _("You cannot comment on incidents."))
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something before posting.")})
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
            excerpt=body,
        )
    return comment


def notify(
    *,
    recipients: Iterable,
    actor,
    kind: str,
    incident: Incident,
    params: dict | None = None,
    excerpt: str = "",
    comment=None,
) -> int:
    """Notify each recipient who can see the incident, except the actor. Returns how many were notified.

    The words are put together when shown (Notification.text), from the kind and `params`; `excerpt` is the start
    of what a person wrote (the comment or the verdict's note)."""
    notes = [
        Notification(
            recipient=r,
            actor=actor,
            kind=kind,
            incident=incident,
            comment=comment,
            params=params or {},
            message=excerpt[:150],
        )
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
