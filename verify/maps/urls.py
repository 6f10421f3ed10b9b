from django.urls import path

from verify.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("data/", views.map_data, name="data"),
    path("timeline/", views.timeline_data, name="timeline"),
    path("evidence/", views.evidence_data, name="evidence"),
    path("export/incidents.csv", views.export_csv, name="export_csv"),
    path("export/incidents.geojson", views.export_geojson, name="export_geojson"),
]
