"""Map data (GeoJSON) and the timeline (JSON), as the map page gets them: verify.maps.queries, unchanged."""

from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from verify.api.permissions import require_perm
from verify.api.views.base import ApiView
from verify.api.views.incidents import _filter_parameters
from verify.core.routers import replica_reads
from verify.maps import queries

VIEW_PERM = "incidents.view_incident"
FILTERS = [p for p in _filter_parameters() if p.name not in ("cursor", "page_size", "ordering")]


def _bad(exc: queries.BadRequest):
    return exceptions.ValidationError({"non_field_errors": [str(exc)]})


class MapData(ApiView):
    @extend_schema(
        parameters=[
            *FILTERS,
            OpenApiParameter("bbox", str, description="west,south,east,north in degrees"),
            OpenApiParameter("zoom", int, description="The map's zoom, 0 to 18"),
        ],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="map_data",
        description="A GeoJSON FeatureCollection: single incidents, or grid clusters when there are many.",
    )
    @method_decorator(replica_reads)
    def get(self, request):
        require_perm(request.user, VIEW_PERM)
        try:
            incidents = queries.filtered_incidents(request.user, queries.without(request.GET, *queries.MAP_PARAMS))
            bbox = queries.BBox.parse(request.GET.get("bbox"))
            zoom = queries.parse_zoom(request.GET.get("zoom"))
        except queries.BadRequest as exc:
            raise _bad(exc) from None
        return Response(queries.map_data(incidents, bbox=bbox, zoom=zoom))


class Timeline(ApiView):
    @extend_schema(
        parameters=[*FILTERS, OpenApiParameter("interval", str, enum=["week", "month"])],
        responses={200: OpenApiTypes.OBJECT},
        operation_id="timeline",
        description="Incidents per week or month under every filter but the dates.",
    )
    @method_decorator(replica_reads)
    def get(self, request):
        require_perm(request.user, VIEW_PERM)
        params = queries.without(request.GET, *queries.MAP_PARAMS, "date_from", "date_to")
        try:
            incidents = queries.filtered_incidents(request.user, params)
            data = queries.timeline(incidents, interval=request.GET.get("interval"))
        except queries.BadRequest as exc:
            raise _bad(exc) from None
        return Response(data)
