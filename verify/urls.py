from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("verify.core.urls")),
    path("accounts/", include("verify.accounts.urls")),
    path("incidents/", include("verify.incidents.urls")),
    path("claims/", include("verify.claims.urls")),
    path("evidence/", include("verify.evidence.urls")),
    path("places/", include("verify.gazetteer.urls")),
    path("review/", include("verify.review.urls")),
    path("map/", include("verify.maps.urls")),
    path("import/", include("verify.imports.urls")),
    path("admin/", admin.site.urls),
]
