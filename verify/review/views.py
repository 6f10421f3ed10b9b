from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from verify.claims.access import get_claim_for_user
from verify.core.history import entries_for
from verify.core.idempotency import create_once
from verify.core.models import ConflictError
from verify.incidents.access import get_incident_for_user
from verify.incidents.history import IGNORED
from verify.incidents.models import Incident, Status
from verify.review import services
from verify.review.filters import QueueFilter
from verify.review.forms import AssignForm, CommentForm, VerdictForm
from verify.review.models import Notification, ReviewDecision
from verify.review.queries import my_work, queue_facets, review_queue

PAGE_SIZE = 50


def _back(request: HttpRequest, incident: Incident) -> HttpResponse:
    return redirect(incident.get_absolute_url() + "#review-h")


def _refuse(request: HttpRequest, error: Exception) -> None:
    """Show why an action was refused: a broken rule, not a crash."""
    if isinstance(error, ValidationError):
        text = " ".join(error.messages)
    else:
        text = str(error) or "You are not allowed to do that."
    messages.error(request, text)


# --- the queue --------------------------------------------------------------------------------------


@permission_required(services.REVIEW_PERM, raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    facets = queue_facets(request.user)
    filterset = QueueFilter(request.GET, queryset=review_queue(request.user), facets=facets)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/queue.html",
        {"filter": filterset, "facets": facets, "page": page, "querystring": query.urlencode()},
    )


@permission_required(services.REVIEW_PERM, raise_exception=True)
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    filterset = QueueFilter(request.POST, queryset=Incident.objects.all())
    incident = services.review_take_next(user=request.user, queryset=filterset.qs)
    if incident is None:
        messages.info(request, "Nothing left in the queue that you may review.")
        filters = {name: value for name in filterset.filters if (value := request.POST.get(name))}
        return redirect(reverse("review:queue") + ("?" + urlencode(filters) if filters else ""))
    messages.success(request, f"{incident.reference} is yours to review.")
    return _back(request, incident)


# --- actions on one incident ------------------------------------------------------------------------


def _act(request: HttpRequest, reference: str, perm: str, action, success: str) -> HttpResponse:
    """Run a workflow action. No role: 403 (404 if the incident is hidden); a broken rule: a message."""
    incident = get_incident_for_user(request.user, reference, perm=perm)
    try:
        action(incident)
    except (services.TransitionError, PermissionDenied, ValidationError) as error:
        _refuse(request, error)
    else:
        messages.success(request, success.format(ref=incident.reference))
    return _back(request, incident)


@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        reference,
        services.EDIT_PERM,
        lambda i: services.incident_submit(incident=i, user=request.user, note=note),
        "{ref} is in the review queue.",
    )


@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        reference,
        services.EDIT_PERM,
        lambda i: services.incident_withdraw(incident=i, user=request.user, note=note),
        "{ref} is a draft again.",
    )


@require_POST
def take(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        services.REVIEW_PERM,
        lambda i: services.review_take(incident=i, user=request.user),
        "{ref} is yours to review.",
    )


@require_POST
def release(request: HttpRequest, reference: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        reference,
        services.REVIEW_PERM,
        lambda i: services.review_release(incident=i, user=request.user, note=note),
        "{ref} is back in the queue.",
    )


@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference, perm=services.REVIEW_PERM)
    form = AssignForm(request.POST, reviewers=eligible_reviewers(incident))
    if not form.is_valid():
        messages.error(request, "Choose a reviewer who may review this incident.")
        return _back(request, incident)
    reviewer = form.cleaned_data["reviewer"]
    return _act(
        request,
        reference,
        services.REVIEW_PERM,
        lambda i: services.review_assign(incident=i, reviewer=reviewer, by=request.user),
        f"{{ref}} is assigned to {reviewer.get_username()}.",
    )


def decide(request: HttpRequest, reference: str) -> HttpResponse:
    """The verdict form, posted from the incident page. Errors re-render that page with the form."""
    from verify.incidents.views import incident_detail

    if request.method != "POST":
        return redirect("incidents:detail", reference=reference)
    incident = get_incident_for_user(request.user, reference, perm=services.REVIEW_PERM)
    form = VerdictForm(request.POST, incident=incident)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.review_decide(
                incident=incident,
                user=request.user,
                verdict=data["verdict"],
                grade=data["grade"],
                note=data["note"],
                override_rationale=data["override_rationale"],
                expected_version=data["version"],
            )
        except ConflictError as error:
            form.data = form.data.copy()
            form.data["version"] = error.current_version
            form.add_error(
                None,
                f"{incident.reference} changed while you were reviewing it (you read version "
                f"{error.expected_version}, it is now version {error.current_version}). Your verdict has not been "
                "saved: check the change history below, then give it again.",
            )
            request.verdict_form = form
            request.verdict_conflict = changes_since(incident, error.expected_version)
            return incident_detail(request, reference, status=409)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (services.TransitionError, PermissionDenied) as error:
            _refuse(request, error)
            return _back(request, incident)
        else:
            if decision.verdict == ReviewDecision.Verdict.VERIFY:
                messages.success(request, f"{incident.reference} is verified as {decision.get_grade_display()}.")
            else:
                messages.success(request, f"Changes requested on {incident.reference}; the authors are notified.")
            return _back(request, incident)
    request.verdict_form = form
    return incident_detail(request, reference, status=400)


@require_POST
def comment(request: HttpRequest, reference: str) -> HttpResponse:
    from verify.incidents.views import incident_detail

    incident = get_incident_for_user(request.user, reference, perm=services.COMMENT_PERM)
    form = CommentForm(request.POST)
    if form.is_valid():

        def create() -> str:
            services.comment_create(incident=incident, user=request.user, body=form.cleaned_data["body"])
            messages.success(request, "Comment posted.")
            return incident.get_absolute_url() + "#discussion-h"

        try:
            url, _ = create_once(user=request.user, key=form.cleaned_data["idempotency_key"], create=create)
        except ValidationError as error:
            form.add_error("body", " ".join(m for msgs in error.message_dict.values() for m in msgs))
        else:
            return redirect(url)
    request.comment_form = form
    return incident_detail(request, reference, status=400)


def eligible_reviewers(incident: Incident):
    """Active reviewers the two-person rule allows for this incident (visibility is checked when assigning)."""
    from verify.claims.models import Claim

    users = get_user_model().objects.filter(is_active=True)
    perm = Q(groups__permissions__codename="review_incident") | Q(user_permissions__codename="review_incident")
    # NOT IN with a NULL in the list matches nothing: claims nobody has edited are left out of the list.
    claim_editors = Claim.objects.filter(incident=incident, last_edited_by__isnull=False).values("last_edited_by")
    return (
        users.filter(perm | Q(is_superuser=True))
        .exclude(pk=incident.created_by_id)
        .exclude(pk=incident.last_edited_by_id)
        .exclude(pk__in=claim_editors)
        .distinct()
        .order_by("username")
    )


def changes_since(incident: Incident, version: int) -> list[tuple[str, str, str]]:
    """Field, value in the version the reviewer read, value now: what they have not seen."""
    newest = incident.history.select_related("history_user").order_by("-history_id").first()
    read = incident.history.filter(version=version).order_by("-history_id").first()
    if newest is None or read is None or newest.pk == read.pk:
        return []
    entries = entries_for([newest, read], incident.reference, IGNORED)
    return entries[0].changes if entries and entries[0].when == newest.history_date else []


# --- my work, notifications, history ----------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "review/my_work.html", my_work(request.user))


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.for_user(request.user).select_related("incident", "actor")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "review/notifications.html", {"page": page})


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    pk = request.POST.get("notification")
    pks = None if pk is None else [int(pk)] if pk.isdigit() else []
    services.notifications_mark_read(user=request.user, pks=pks)
    return redirect("review:notifications")


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification to its incident, marking it read on the way."""
    note = Notification.objects.for_user(request.user).select_related("incident").filter(pk=pk).first()
    if note is None:
        return redirect("review:notifications")
    services.notifications_mark_read(user=request.user, pks=[note.pk])
    anchor = "#discussion-h" if note.kind == Notification.Kind.MENTION else "#review-h"
    return redirect(note.incident.get_absolute_url() + anchor)


def claim_history(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    records = claim.history.select_related("history_user").order_by("-history_date", "-history_id")
    entries = entries_for(records, f"Claim #{claim.pk} ({claim.source})", IGNORED)
    return render(
        request, "review/claim_history.html", {"claim": claim, "incident": claim.incident, "history": entries}
    )


# --- the incident page's review panels --------------------------------------------------------------


def incident_review_context(request: HttpRequest, incident: Incident) -> dict:
    """What the incident page needs for its review actions, review panel and discussion.

    A form that failed validation in decide() or comment() is handed over on the request, so the page
    re-renders with the user's text and the errors beside the fields.
    """
    user = request.user
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
        "comment_form": getattr(request, "comment_form", None) or CommentForm(),
        "has_suggestion": services.has_suggestion(incident.suggested_grade),
        "verdict_conflict": getattr(request, "verdict_conflict", None),
    }
    if assigned_to_me and refusal is None:
        context["verdict_form"] = getattr(request, "verdict_form", None) or VerdictForm(incident=incident)
    if is_reviewer and status == Status.SUBMITTED:
        context["assign_form"] = AssignForm(reviewers=eligible_reviewers(incident))
    return context


REVIEWABLE = (Status.SUBMITTED, Status.IN_REVIEW)
