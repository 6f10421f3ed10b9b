from django.contrib.auth.decorators import login_not_required, permission_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from verify.claims.filters import IncidentFilter
from verify.core.listing import filtered_keyset_page, without_empty_parameters
from verify.core.routers import replica_reads
from verify.evidence.models import EvidenceItem
from verify.incidents.models import Grade, Incident, Status
from verify.review.activity import activity_feed
from verify.web.bulk import MAX_SELECTION, BulkForm

PAGE_SIZE = 25


@replica_reads
@permission_required("incidents.view_incident", raise_exception=True)
def incident_list(request: HttpRequest) -> HttpResponse:
    shorter = without_empty_parameters(request)
    if shorter is not None:
        return redirect(shorter)
    queryset = (
        Incident.objects.visible_to(request.user)
        .select_related("place", "place__governorate")
        .prefetch_related("labels")
        .with_counts(request.user)
        .order_by("-date_start", "-pk")
    )
    filterset = IncidentFilter(request.GET, queryset=queryset, user=request.user)
    context = filtered_keyset_page(
        request,
        filterset,
        order=["-date_start", "-pk"],
        per_page=PAGE_SIZE,
        bulk_form=BulkForm(),
        bulk_max=MAX_SELECTION,
    )
    return render(request, "incidents/incident_list.html", context, status=400 if context["filter_invalid"] else 200)


def dashboard(request: HttpRequest) -> HttpResponse:
    visible = Incident.objects.visible_to(request.user)
    by_status = visible.counts_by("status")
    by_grade = visible.counts_by("grade")
    context = {
        "total": sum(by_status.values()),
        "status_counts": [(value, label, by_status.get(value, 0)) for value, label in Status.choices],
        "grade_counts": [(value, label, by_grade.get(value, 0)) for value, label in Grade.choices],
        "queue_size": by_status.get(Status.SUBMITTED, 0),
        "recent": visible.select_related("place").order_by("-updated_at")[:8],
        "fixity_alerts": EvidenceItem.objects.visible_to(request.user).fixity_alerts()[:10],
        "activity": activity_feed(request.user),
    }
    return render(request, "core/dashboard.html", context)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and compose: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
