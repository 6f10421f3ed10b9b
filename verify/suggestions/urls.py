from django.urls import path

from verify.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("", views.suggest_claims, name="report"),
    path("source/", views.source_inline, name="source_inline"),
]
