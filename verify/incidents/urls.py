from django.urls import path

from verify.claims import views as claim_views
from verify.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<str:reference>/", views.incident_detail, name="detail"),
    path("<str:reference>/edit/", views.incident_edit, name="edit"),
    path("<str:reference>/claims/new/", claim_views.claim_create, name="claim_create"),
]
