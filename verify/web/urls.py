"""The site's URLs. The incident and review namespaces gather pages from several apps, so they are put together
here, at the top layer, rather than in an app that would have to import the apps above it."""

from django.urls import path

from verify.claims import views as claim_views
from verify.incidents import label_views
from verify.incidents import views as incident_views
from verify.review import duplicate_views
from verify.review import urls as review_urls
from verify.web import bulk, incident_page, saved_searches, views
from verify.web import help as help_views

incident_patterns = [
    path("", views.incident_list, name="list"),
    path("new/", incident_views.incident_create, name="create"),
    path("bulk/", bulk.incident_bulk, name="bulk"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("labels/", label_views.label_list, name="labels"),
    path("searches/", saved_searches.saved_search_list, name="searches"),
    path("searches/save/", saved_searches.saved_search_save, name="search_save"),
    path("searches/<int:pk>/delete/", saved_searches.saved_search_delete, name="search_delete"),
    path("labels/new/", label_views.label_create, name="label_create"),
    path("labels/<int:pk>/edit/", label_views.label_edit, name="label_edit"),
    path("<str:reference>/", incident_page.incident_detail, name="detail"),
    path("<str:reference>/edit/", incident_views.incident_edit, name="edit"),
    path("<str:reference>/claims/new/", claim_views.claim_create, name="claim_create"),
    path("<str:reference>/merge-into/<str:target>/", duplicate_views.incident_merge_view, name="merge"),
    path(
        "<str:reference>/not-duplicate/<str:other>/", duplicate_views.duplicate_dismiss_view, name="dismiss_duplicate"
    ),
]

review_patterns = [
    *review_urls.urlpatterns,
    path("<str:reference>/verdict/", incident_page.decide, name="decide"),
    path("<str:reference>/comments/", incident_page.comment, name="comment"),
]

site_patterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", help_views.help_page, name="help"),
]
