from django.urls import path

from verify.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("<int:pk>/status.json", views.import_status, name="status"),
    path("<int:pk>/decide/", views.import_decide, name="decide"),
    path("<int:pk>/report.csv", views.import_report, name="report"),
]
