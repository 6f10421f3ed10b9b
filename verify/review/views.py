from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from verify.claims.access import get_claim_for_user
from verify.claims.history import IGNORED
from verify.core.history import entries_for
from verify.core.listing import filtered_page, paged
from verify.incidents.access import get_incident_for_user
from verify.incidents.models import Incident
from verify.review import services
from verify.review.filters import QueueFilter
from verify.review.forms import AssignForm
from verify.review.models import Notification
from verify.review.panels import eligible_reviewers
from verify.review.queries import my_work, queue_facets, review_queue

PAGE_SIZE = 50


def _back(request: HttpRequest, incident: Incident) -> HttpResponse:
    return redirect(incident.get_absolute_url() + "#review-h")


def _refuse(request: HttpRequest, error: Exception) -> None:
    """Show why an action was refused: a broken rule, not a crash."""
    if isinstance(error, ValidationError):
        text = " ".join(error.messages)
    else:
        text = str(error) or _("You are not allowed to do that.")
    messages.error(request, text)


# --- the queue --------------------------------------------------------------------------------------


@permission_required(services.REVIEW_PERM, raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    facets = queue_facets(request.user)
    filterset = QueueFilter(request.GET, queryset=review_queue(request.user), facets=facets)
    return render(request, "review/queue.html", filtered_page(request, filterset, per_page=PAGE_SIZE, facets=facets))


@permission_required(services.REVIEW_PERM, raise_exception=True)
@require_POST
def take_next(request: HttpRequest) -> HttpResponse:
    filterset = QueueFilter(request.POST, queryset=Incident.objects.all())
    incident = services.review_take_next(user=request.user, queryset=filterset.qs)
    if incident is None:
        messages.info(request, _("Nothing left in the queue that you may review."))
        filters = {name: value for name in filterset.filters if (value := request.POST.get(name))}
        return redirect(reverse("review:queue") + ("?" + urlencode(filters) if filters else ""))
    messages.success(request, _("%(reference)s is yours to review.") % {"reference": incident.reference})
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
        messages.success(request, success % {"ref": incident.reference})
    return _back(request, incident)


@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        reference,
        services.EDIT_PERM,
        lambda i: services.incident_submit(incident=i, user=request.user, note=note),
        _("%(ref)s is in the review queue."),
    )


@require_POST
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        reference,
        services.EDIT_PERM,
        lambda i: services.incident_withdraw(incident=i, user=request.user, note=note),
        _("%(ref)s is a draft again."),
    )


@require_POST
def take(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        services.REVIEW_PERM,
        lambda i: services.review_take(incident=i, user=request.user),
        _("%(ref)s is yours to review."),
    )


@require_POST
def release(request: HttpRequest, reference: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return _act(
        request,
        reference,
        services.REVIEW_PERM,
        lambda i: services.review_release(incident=i, user=request.user, note=note),
        _("%(ref)s is back in the queue."),
    )


@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference, perm=services.REVIEW_PERM)
    form = AssignForm(request.POST, reviewers=eligible_reviewers(incident))
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer who may review this incident."))
        return _back(request, incident)
    reviewer = form.cleaned_data["reviewer"]
    return _act(
        request,
        reference,
        services.REVIEW_PERM,
        lambda i: services.review_assign(incident=i, reviewer=reviewer, by=request.user),
        _("%(ref)s is assigned to %(reviewer)s.").replace("%(reviewer)s", reviewer.get_username()),
    )


# --- my work, notifications, history ----------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "review/my_work.html", my_work(request.user))


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    items = Notification.objects.for_user(request.user).select_related("incident", "actor")
    return render(request, "review/notifications.html", paged(request, items, per_page=PAGE_SIZE))


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
    entries = entries_for(records, _("Claim #%(pk)s (%(source)s)") % {"pk": claim.pk, "source": claim.source}, IGNORED)
    return render(
        request, "review/claim_history.html", {"claim": claim, "incident": claim.incident, "history": entries}
    )
