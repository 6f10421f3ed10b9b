"""The review part of the incident page: actions, the verdict form, the status log and the discussion.

The incident page itself is put together in verify.web.incident_page; a form that failed validation there is
passed in here by argument, so the page re-renders with the user's text and the errors beside the fields.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from verify.claims.history import IGNORED
from verify.core.history import entries_for
from verify.incidents.models import Incident, Status
from verify.review import services
from verify.review.forms import AssignForm, CommentForm, VerdictForm

REVIEWABLE = (Status.SUBMITTED, Status.IN_REVIEW)


def active_reviewers():
    """Every active user who may review (the list's bulk "assign to" choice; each incident's rules are checked
    when assigning)."""
    users = get_user_model().objects.filter(is_active=True)
    perm = Q(groups__permissions__codename="review_incident") | Q(user_permissions__codename="review_incident")
    return users.filter(perm | Q(is_superuser=True)).distinct().order_by("username")


def eligible_reviewers(incident: Incident):
    """Active reviewers the two-person rule allows for this incident (visibility is checked when assigning)."""
    # NOT IN with a NULL in the list matches nothing: claims nobody has edited are left out of the list.
    claim_editors = incident.claims.filter(last_edited_by__isnull=False).values("last_edited_by")
    return (
        active_reviewers()
        .exclude(pk=incident.created_by_id)
        .exclude(pk=incident.last_edited_by_id)
        .exclude(pk__in=claim_editors)
    )


def changes_since(incident: Incident, version: int) -> list[tuple[str, str, str]]:
    """Field, value in the version the reviewer read, value now: what they have not seen."""
    newest = incident.history.select_related("history_user").order_by("-history_id").first()
    read = incident.history.filter(version=version).order_by("-history_id").first()
    if newest is None or read is None or newest.pk == read.pk:
        return []
    entries = entries_for([newest, read], incident.reference, IGNORED)
    return entries[0].changes if entries and entries[0].when == newest.history_date else []


def review_panel_context(
    user,
    incident: Incident,
    *,
    verdict_form: VerdictForm | None = None,
    verdict_conflict: list | None = None,
    comment_form: CommentForm | None = None,
) -> dict:
    """What the incident page needs for its review actions, review panel and discussion."""
    status = incident.status
    can_edit = user.has_perm(services.EDIT_PERM)
    is_reviewer = user.has_perm(services.REVIEW_PERM)
    refusal = services.review_refusal(incident, user) if is_reviewer and status in REVIEWABLE else None
    assigned_to_me = status == Status.IN_REVIEW and incident.assigned_to_id == user.pk
    context = {
        "transitions": incident.transitions.select_related("by"),
        "decisions": incident.review_decisions.select_related("reviewer"),
        "comments": incident.comments.select_related("author"),
        "can_submit": can_edit and status in (Status.DRAFT, Status.CHANGES_REQUESTED),
        "can_withdraw": can_edit
        and status in (Status.SUBMITTED, Status.CHANGES_REQUESTED)
        and (services.is_author(incident, user) or user.is_superuser),
        "can_take": is_reviewer and status == Status.SUBMITTED and refusal is None,
        "can_release": assigned_to_me or (status == Status.IN_REVIEW and user.is_superuser),
        "review_refusal": refusal,
        "can_comment": user.has_perm(services.COMMENT_PERM),
        "comment_form": comment_form or CommentForm(),
        "has_suggestion": services.has_suggestion(incident.suggested_grade),
        "verdict_conflict": verdict_conflict,
    }
    if assigned_to_me and refusal is None:
        context["verdict_form"] = verdict_form or VerdictForm(incident=incident)
    if is_reviewer and status == Status.SUBMITTED:
        context["assign_form"] = AssignForm(reviewers=eligible_reviewers(incident))
    return context
