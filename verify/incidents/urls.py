from django.urls import path

from verify.claims import views as claim_views
from verify.incidents import duplicate_views, views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("<str:reference>/", views.incident_detail, name="detail"),
    path("<str:reference>/edit/", views.incident_edit, name="edit"),
    path("<str:reference>/claims/new/", claim_views.claim_create, name="claim_create"),
    path("<str:reference>/merge-into/<str:target>/", duplicate_views.incident_merge_view, name="merge"),
    path(
        "<str:reference>/not-duplicate/<str:other>/", duplicate_views.duplicate_dismiss_view, name="dismiss_duplicate"
    ),
]
