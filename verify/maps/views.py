from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction
from verify.accounts.reauth import reauthentication_required
from verify.core.routers import replica_reads
from verify.evidence.panels import evidence_map_features
from verify.incidents.columns import HEADERS_PARAM, LOCAL_HEADERS
from verify.incidents.models import Grade
from verify.maps import basemap, exports, queries
from verify.maps.queries import BadRequest

VIEW_PERM = "incidents.view_incident"


def _bad_request(exc: BadRequest) -> JsonResponse:
    return JsonResponse({"error": str(exc)}, status=400)


@require_GET
@permission_required(VIEW_PERM, raise_exception=True)
def map_page(request: HttpRequest) -> HttpResponse:
    filterset = queries.incident_filter(request.user, request.GET)
    filterset.is_valid()  # bind the form so errors show beside the fields
    return render(
        request,
        "maps/map.html",
        {
            "filter": filterset,
            "grades": Grade.choices,
            "querystring": queries.without(request.GET, "page").urlencode(),
        },
    )


@require_GET
@replica_reads
@permission_required(VIEW_PERM, raise_exception=True)
def map_data(request: HttpRequest) -> JsonResponse:
    try:
        params = queries.without(request.GET, *queries.MAP_PARAMS)
        incidents = queries.filtered_incidents(request.user, params)
        bbox = queries.BBox.parse(request.GET.get("bbox"))
        zoom = queries.parse_zoom(request.GET.get("zoom"))
        colour = queries.parse_colour(request.GET.get("colour"))
    except BadRequest as exc:
        return _bad_request(exc)
    unfiltered_for = request.user if queries.unfiltered(params) else None
    data = queries.map_data(incidents, bbox=bbox, zoom=zoom, unfiltered_for=unfiltered_for, colour=colour)
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


@require_GET
@permission_required(VIEW_PERM, raise_exception=True)
def place_labels(request: HttpRequest) -> JsonResponse:
    """The gazetteer's towns for the basemap's labels (static/js/basemap.js)."""
    response = JsonResponse(basemap.place_labels(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@permission_required(VIEW_PERM, raise_exception=True)
def basemap_pmtiles(request: HttpRequest) -> HttpResponseBase:
    """The self-hosted vector basemap (MAP_PMTILES_PATH), by byte ranges; 404 when none is configured."""
    response = basemap.pmtiles_response(request)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
@permission_required(VIEW_PERM, raise_exception=True)
def evidence_data(request: HttpRequest) -> JsonResponse:
    """The evidence layer: photos and videos with GPS of the incidents under the same filters (static/js/
    map-evidence.js)."""
    try:
        incidents = queries.filtered_incidents(request.user, queries.without(request.GET, *queries.MAP_PARAMS))
    except BadRequest as exc:
        return _bad_request(exc)
    data = evidence_map_features(incidents, request.user)
    return JsonResponse(data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False})


@require_GET
@replica_reads
@permission_required(VIEW_PERM, raise_exception=True)
def timeline_data(request: HttpRequest) -> JsonResponse:
    """Incidents per week or month under every filter but the dates: the timeline is where dates are chosen."""
    params = queries.without(request.GET, *queries.MAP_PARAMS, "date_from", "date_to")
    try:
        incidents = queries.filtered_incidents(request.user, params)
        unfiltered_for = request.user if queries.unfiltered(params) else None
        data = queries.timeline(incidents, interval=request.GET.get("interval"), unfiltered_for=unfiltered_for)
    except BadRequest as exc:
        return _bad_request(exc)
    return JsonResponse(data)


def _filename(extension: str) -> str:
    return f"verify-incidents-{timezone.now():%Y%m%d-%H%M}.{extension}"


@require_GET
@replica_reads
@permission_required(VIEW_PERM, raise_exception=True)
@reauthentication_required
def export_csv(request: HttpRequest, headers: str | None = None) -> HttpResponse:
    try:
        incidents = queries.filtered_incidents(request.user, request.GET)
    except BadRequest as exc:
        return HttpResponse(
            _("Cannot export: %(error)s") % {"error": exc}, status=400, content_type="text/plain; charset=utf-8"
        )
    headers = headers or request.GET.get(HEADERS_PARAM, "")
    if headers not in ("", LOCAL_HEADERS):
        return HttpResponse(
            _("Cannot export: %(error)s")
            % {
                "error": _("headers: leave it out for the verify column names, or use %(local)s.")
                % {"local": LOCAL_HEADERS}
            },
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    # The header is made now, in the reader's language, before the response streams.
    lines = exports.csv_rows(incidents, headers=headers)
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    audit_record(
        action=AuditAction.EXPORT, request=request, target="incidents.csv", detail={"query": request.GET.urlencode()}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@replica_reads
@permission_required(VIEW_PERM, raise_exception=True)
@reauthentication_required
def export_geojson(request: HttpRequest) -> HttpResponse:
    try:
        incidents = queries.filtered_incidents(request.user, request.GET)
    except BadRequest as exc:
        return HttpResponse(
            _("Cannot export: %(error)s") % {"error": exc}, status=400, content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in exports.geojson_chunks(incidents)), content_type="application/geo+json"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("geojson")}"'
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        target="incidents.geojson",
        detail={"query": request.GET.urlencode()},
    )
    response["Cache-Control"] = "no-store"
    return response
