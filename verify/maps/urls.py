from django.urls import path

from verify.incidents.columns import LOCAL_HEADERS
from verify.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("data/", views.map_data, name="data"),
    path("timeline/", views.timeline_data, name="timeline"),
    path("evidence/", views.evidence_data, name="evidence"),
    path("places.json", views.place_labels, name="place_labels"),
    path("basemap.pmtiles", views.basemap_pmtiles, name="basemap_pmtiles"),
    path("export/incidents.csv", views.export_csv, name="export_csv"),
    # The same CSV with headers=local: a path of its own, so that the map's filter links (which replace the query
    # string) keep it.
    path(
        "export/incidents-local-headers.csv",
        views.export_csv,
        {"headers": LOCAL_HEADERS},
        name="export_csv_local_headers",
    ),
    path("export/incidents.geojson", views.export_geojson, name="export_geojson"),
]
