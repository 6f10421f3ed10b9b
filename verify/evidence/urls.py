from django.urls import path

from verify.evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("upload/", views.evidence_upload, name="upload"),
    path("status/", views.processing_status, name="status"),
    path("captures/", views.capture_list, name="capture_list"),
    path("captures/new/", views.capture_new, name="capture_new"),
    path("captures/<int:pk>/", views.capture_detail, name="capture_detail"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/download/", views.evidence_download, name="download"),
    path("<int:pk>/thumbnail/", views.evidence_thumbnail, name="thumbnail"),
    path("<int:pk>/keyframes/<int:position>/", views.evidence_keyframe, name="keyframe"),
    path("<int:pk>/custody.csv", views.custody_export, {"fmt": "csv"}, name="custody_csv"),
    path("<int:pk>/custody.json", views.custody_export, {"fmt": "json"}, name="custody_json"),
    path("<int:pk>/checks/", views.check_add, name="check_add"),
    path("<int:pk>/claims/", views.claim_link, name="claim_link"),
    path("<int:pk>/reprocess/", views.reprocess, name="reprocess"),
    path("<int:pk>/edit/", views.evidence_edit, name="edit"),
    path("<int:pk>/redact/", views.evidence_redact, name="redact"),
    path("<int:pk>/incidents/", views.incident_link, name="incident_link"),
    path("<int:pk>/incidents/<str:reference>/unlink/", views.incident_unlink, name="incident_unlink"),
]
