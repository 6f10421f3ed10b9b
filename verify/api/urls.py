"""The API under /api/v1/, its schema and documentation page, and the account page for tokens.

Mounted by verify/urls.py with one include. Any other path under /api/ is a JSON 404."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer

from verify.api.errors import not_found
from verify.api.views import claims, entities, evidence, imports, incidents, maps, review, tokens

v1 = [
    path("incidents/", incidents.IncidentList.as_view(), name="incidents"),
    path("incidents/<str:reference>/", incidents.IncidentDetail.as_view(), name="incident"),
    path("incidents/<str:reference>/claims/", claims.IncidentClaims.as_view(), name="incident_claims"),
    path("incidents/<str:reference>/submit/", review.Submit.as_view(), name="incident_submit"),
    path("incidents/<str:reference>/take/", review.Take.as_view(), name="incident_take"),
    path("incidents/<str:reference>/verdict/", review.VerdictView.as_view(), name="incident_verdict"),
    path("incidents/<str:reference>/comments/", review.Comments.as_view(), name="incident_comments"),
    path("claims/<int:pk>/", claims.ClaimDetail.as_view(), name="claim"),
    path("sources/", entities.SourceList.as_view(), name="sources"),
    path("sources/<int:pk>/", entities.SourceDetail.as_view(), name="source"),
    path("actors/", entities.ActorList.as_view(), name="actors"),
    path("actors/<int:pk>/", entities.ActorDetail.as_view(), name="actor"),
    path("labels/", entities.LabelList.as_view(), name="labels"),
    path("labels/<int:pk>/", entities.LabelDetail.as_view(), name="label"),
    path("review/queue/", review.Queue.as_view(), name="review_queue"),
    path("review/take-next/", review.TakeNext.as_view(), name="review_take_next"),
    path("evidence/", evidence.EvidenceUpload.as_view(), name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.EvidenceDetail.as_view(), name="evidence"),
    path("evidence/<int:pk>/custody/", evidence.EvidenceCustody.as_view(), name="evidence_custody"),
    path("evidence/<int:pk>/download/", evidence.EvidenceDownload.as_view(), name="evidence_download"),
    path("imports/", imports.ImportList.as_view(), name="imports"),
    path("imports/<int:pk>/", imports.ImportDetail.as_view(), name="import"),
    path("imports/<int:pk>/decision/", imports.ImportDecision.as_view(), name="import_decision"),
    path("imports/<int:pk>/report/", imports.ImportReport.as_view(), name="import_report"),
    path("map/data/", maps.MapData.as_view(), name="map_data"),
    path("map/timeline/", maps.Timeline.as_view(), name="timeline"),
]


class SchemaView(SpectacularAPIView):
    """The schema in YAML or JSON; its errors in JSON like every other answer under /api/."""

    def handle_exception(self, exc):
        # finalize_response renders with the request's negotiated renderer: make that JSON for an error.
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)


def _api(view):
    view.login_required = False  # answers 401/403 in JSON itself, never the sign-in page
    return view


urlpatterns = [
    path("api/v1/", include((v1, "api"))),
    path("api/schema/", _api(SchemaView.as_view()), name="api_schema"),
    path(
        "api/docs/",
        _api(SpectacularSwaggerSplitView.as_view(url_name="api_schema", template_name="api/swagger_ui.html")),
        name="api_docs",
    ),
    re_path(r"^api/(?P<url>.*)$", login_not_required(not_found)),
    path("accounts/tokens/", tokens.token_list, name="api_tokens"),
    path("accounts/tokens/new/", tokens.token_create, name="api_token_create"),
    path("accounts/tokens/<int:pk>/revoke/", tokens.token_revoke, name="api_token_revoke"),
]
