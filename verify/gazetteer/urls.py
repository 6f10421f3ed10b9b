from django.urls import path

from verify.gazetteer import views

app_name = "gazetteer"

urlpatterns = [
    path("", views.place_list, name="list"),
    path("search.json", views.place_search, name="search"),
    path("new/", views.place_create, name="create"),
]
