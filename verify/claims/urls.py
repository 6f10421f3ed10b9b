from django.urls import path

from verify.claims import views

app_name = "claims"

urlpatterns = [
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("<int:pk>/delete/", views.claim_delete, name="delete"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/lookup/", views.source_lookup, name="source_lookup"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
]
