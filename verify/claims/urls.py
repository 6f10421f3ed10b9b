from django.urls import path

from verify.claims import views

app_name = "claims"

urlpatterns = [
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
]
