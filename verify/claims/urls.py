from django.urls import path

from verify.claims import entity_views, views

app_name = "claims"

urlpatterns = [
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("<int:pk>/delete/", views.claim_delete, name="delete"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/lookup/", views.source_lookup, name="source_lookup"),
    path("sources/duplicates/", entity_views.source_duplicates, name="source_duplicates"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", entity_views.source_edit, name="source_edit"),
    path("sources/<int:pk>/rate/", entity_views.source_rate, name="source_rate"),
    path("sources/<int:pk>/aliases/", entity_views.source_alias_add, name="source_alias_add"),
    path(
        "sources/<int:pk>/aliases/<int:alias_pk>/remove/",
        entity_views.source_alias_remove,
        name="source_alias_remove",
    ),
    path("sources/<int:pk>/merge/", entity_views.source_merge, name="source_merge"),
    path("actors/<int:pk>/merge/", entity_views.actor_merge, name="actor_merge"),
    path("actors/", entity_views.actor_list, name="actor_list"),
    path("actors/new/", entity_views.actor_create, name="actor_create"),
    path("actors/<int:pk>/", entity_views.actor_detail, name="actor_detail"),
    path("actors/<int:pk>/edit/", entity_views.actor_edit, name="actor_edit"),
    path("actors/<int:pk>/aliases/", entity_views.actor_alias_add, name="actor_alias_add"),
    path("actors/<int:pk>/aliases/<int:alias_pk>/remove/", entity_views.actor_alias_remove, name="actor_alias_remove"),
]
