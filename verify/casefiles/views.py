"""Case-file pages: ask for one (an incident, or the incident list's filter), follow it, download it, approve it."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from verify.casefiles import builder, services
from verify.casefiles.access import can_approve, can_request, get_request_for_user
from verify.casefiles.forms import DecisionForm, RequestForm
from verify.casefiles.models import CaseFileRequest
from verify.claims.filters import IncidentFilter
from verify.incidents.access import get_incident_for_user
from verify.incidents.models import Incident

SHOWN = 50


def requester_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not can_request(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _create(request: HttpRequest, form: RequestForm, incidents, filter_query: str = "") -> HttpResponse | None:
    try:
        made = services.casefile_request_create(
            user=request.user,
            incidents=incidents,
            filter_query=filter_query,
            include_failed_integrity=form.cleaned_data["include_failed_integrity"],
            note=form.cleaned_data["note"],
            language=request.LANGUAGE_CODE,
        )
    except services.RequestRefused as exc:
        form.add_error(None, str(exc))
        return None
    return redirect(made)


@requester_required
@require_http_methods(["GET", "POST"])
def request_incident(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference)
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        response = _create(request, form, [incident])
        if response is not None:
            return response
    return render(
        request, "casefiles/request.html", {"form": form, "incidents": [incident], "total": 1, "incident": incident}
    )


@requester_required
@require_http_methods(["GET", "POST"])
def request_filtered(request: HttpRequest) -> HttpResponse:
    """The incidents the list's current filter selects (the query string is the list's own)."""
    filterset = IncidentFilter(request.GET, queryset=Incident.objects.visible_to(request.user), user=request.user)
    if not filterset.is_valid():
        return HttpResponse(
            _("Cannot make a case file of this filter: %(errors)s") % {"errors": filterset.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    incidents = filterset.qs.filter(merged_into__isnull=True).order_by("reference")
    total = incidents.count()
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        response = _create(
            request, form, list(incidents[: settings.CASEFILE_MAX_INCIDENTS + 1]), request.GET.urlencode()
        )
        if response is not None:
            return response
    return render(
        request,
        "casefiles/request.html",
        {"form": form, "incidents": incidents[:SHOWN], "total": total, "querystring": request.GET.urlencode()},
    )


@require_GET
def casefile_list(request: HttpRequest) -> HttpResponse:
    if not (can_request(request.user) or can_approve(request.user)):
        raise PermissionDenied
    mine = CaseFileRequest.objects.mine(request.user).prefetch_related("incidents")[:50]
    waiting = CaseFileRequest.objects.awaiting_approval().count() if can_approve(request.user) else 0
    return render(request, "casefiles/list.html", {"requests": mine, "waiting": waiting})


def _visible_incidents(request: HttpRequest, casefile: CaseFileRequest):
    return casefile.incidents.filter(pk__in=Incident.objects.visible_to(request.user).values("pk")).order_by(
        "reference"
    )


@require_GET
def casefile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    casefile = get_request_for_user(request.user, pk)
    return render(
        request,
        "casefiles/detail.html",
        {
            "casefile": casefile,
            "incidents": _visible_incidents(request, casefile),
            "mine": casefile.requested_by_id == request.user.pk,
            "can_decide": can_approve(request.user) and casefile.requested_by_id != request.user.pk,
        },
    )


@require_GET
def casefile_status(request: HttpRequest, pk: int) -> JsonResponse:
    casefile = get_request_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": casefile.state,
            "status_display": casefile.get_state_display(),
            "percent": casefile.percent,
            "done": casefile.progress_done,
            "total": casefile.progress_total,
            "finished": casefile.is_finished,
            "error": casefile.error_text,
        },
        headers={"Cache-Control": "no-store"},
    )


@requester_required
@require_GET
def casefile_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's own, ready, unexpired case file, streamed as an attachment; never from a public URL."""
    casefile = get_request_for_user(request.user, pk)
    if casefile.requested_by_id != request.user.pk or not casefile.is_downloadable:
        raise Http404(_("No case file to download."))
    if _visible_incidents(request, casefile).count() != casefile.incidents.count():
        raise Http404(_("No case file to download."))  # the requester has since lost access to one of them
    try:
        fh = builder.path_for(casefile.file_name).open("rb")
    except FileNotFoundError:
        raise Http404(_("No case file to download.")) from None
    response = FileResponse(fh, as_attachment=True, filename=casefile.download_name, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Digest"] = f"sha-256={casefile.sha256}"
    return response


@requester_required
@require_POST
def casefile_retry(request: HttpRequest, pk: int) -> HttpResponse:
    casefile = get_request_for_user(request.user, pk)
    if not services.casefile_retry(request=casefile, user=request.user):
        messages.error(request, _("This case file cannot be retried."))
    return redirect(casefile)


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    if not can_approve(request.user):
        raise PermissionDenied
    waiting = CaseFileRequest.objects.awaiting_approval().select_related("requested_by").order_by("created_at")
    rows = [(r, _visible_incidents(request, r)) for r in waiting[:200]]
    return render(request, "casefiles/approvals.html", {"rows": rows, "form": DecisionForm()})


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_approve(request.user):
        raise PermissionDenied
    casefile = get_request_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("casefiles:approvals")
    try:
        services.casefile_decide(
            request=casefile,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except services.RequestRefused as exc:
        messages.error(request, str(exc))
    return redirect("casefiles:approvals")
