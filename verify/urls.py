from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from verify.accounts.language import set_language
from verify.web.urls import incident_patterns, review_patterns, site_patterns

urlpatterns = [
    path("", include(site_patterns)),
    path("", include("verify.api.urls")),  # /api/v1/, /api/schema/, /api/docs/ and /accounts/tokens/
    path("accounts/", include("verify.accounts.urls")),
    path("incidents/", include((incident_patterns, "incidents"))),
    path("claims/", include("verify.claims.urls")),
    path("evidence/", include("verify.evidence.urls")),
    path("places/", include("verify.gazetteer.urls")),
    path("review/", include((review_patterns, "review"))),
    path("map/", include("verify.maps.urls")),
    path("import/", include("verify.imports.urls")),
    path("suggestions/", include("verify.suggestions.urls")),
    path("casefiles/", include("verify.casefiles.urls")),
    path("admin/", admin.site.urls),
    path("language/", set_language, name="set_language"),
    # The translated strings of static/js, as `gettext()` and `interpolate()` (see templates/base.html).
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]
