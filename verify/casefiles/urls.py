from django.urls import path

from verify.casefiles import views

app_name = "casefiles"

urlpatterns = [
    path("", views.casefile_list, name="list"),
    path("new/", views.request_filtered, name="request_filtered"),
    path("incident/<str:reference>/", views.request_incident, name="request_incident"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/", views.casefile_detail, name="detail"),
    path("<int:pk>/status/", views.casefile_status, name="status"),
    path("<int:pk>/download/", views.casefile_download, name="download"),
    path("<int:pk>/retry/", views.casefile_retry, name="retry"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
