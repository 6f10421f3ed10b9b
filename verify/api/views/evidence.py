"""Evidence: metadata, a streaming upload hashed as it arrives (the evidence services' staging, hashing and limits),
a download that records its custody event, and the custody log. Custody is written by verify.evidence.services
only."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, parsers, serializers
from rest_framework.response import Response

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction
from verify.api.forms_bridge import form_data, run_form
from verify.api.pagination import KeysetPaginator, Order, page_serializer
from verify.api.permissions import require_perm
from verify.api.views.base import ApiView
from verify.evidence import services, storage
from verify.evidence.access import get_evidence_for_user
from verify.evidence.forms import EvidenceUploadForm
from verify.evidence.models import CustodyAction, EvidenceItem, FixityStatus
from verify.evidence.redaction import redact_custody
from verify.incidents.access import get_incident_for_user

UPLOAD_CHUNK = 64 * 1024


class EvidenceSerializer(serializers.ModelSerializer):
    gps_latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    gps_longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "title",
            "kind",
            "sha256",
            "size_bytes",
            "mime_type",
            "original_filename",
            "extension_mismatch",
            "source_url",
            "acquisition_notes",
            "sensitivity",
            "processing_status",
            "captured_at",
            "gps_latitude",
            "gps_longitude",
            "device",
            "fixity_status",
            "fixity_checked_at",
            "created_at",
        ]


class UploadResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["stored", "duplicate"])
    linked = serializers.BooleanField()
    evidence = EvidenceSerializer()


class CustodySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    detail = serializers.DictField()


class RawUpload(parsers.BaseParser):
    """The file as the request body (never read by the parser: the view streams it into a staged file)."""

    media_type = "application/octet-stream"

    def parse(self, stream, media_type=None, parser_context=None):
        return {}


UPLOAD_PARAMS = [
    OpenApiParameter("filename", str, required=True, description="The file's original name."),
    OpenApiParameter("incident", str, description="Link it to this incident (its reference)."),
    *[
        OpenApiParameter(name, str, description=str(field.help_text or field.label or name))
        for name, field in EvidenceUploadForm.base_fields.items()
        if name != "incident"
    ],
]


class EvidenceUpload(ApiView):
    parser_classes = [RawUpload]

    @extend_schema(
        parameters=UPLOAD_PARAMS,
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={201: UploadResultSerializer, 200: UploadResultSerializer},
        operation_id="evidence_upload",
        description="Send the file's bytes as the body. They are hashed as they arrive, with the same size limit "
        "and content checks as the upload page. The same bytes already stored answer 200 with that item.",
    )
    def post(self, request):
        require_perm(request.user, "evidence.add_evidenceitem")
        params = request.query_params
        filename = (params.get("filename") or "").strip()
        if not filename:
            raise exceptions.ValidationError({"filename": [_("Give the file's name.")]})
        sent = {k: v for k, v in params.items() if k in EvidenceUploadForm.base_fields}
        form = EvidenceUploadForm(form_data(sent, defaults=EvidenceUploadForm))
        run_form(form)
        reference = (params.get("incident") or "").strip()
        incident = get_incident_for_user(request.user, reference) if reference else None
        length = request.META.get("CONTENT_LENGTH")
        if length and length.isdigit() and int(length) > settings.EVIDENCE_MAX_UPLOAD_BYTES:
            raise exceptions.ValidationError({"file": [str(storage.FileTooLarge(settings.EVIDENCE_MAX_UPLOAD_BYTES))]})
        raw = request._request  # the body is streamed, never read whole
        chunks = iter(lambda: raw.read(UPLOAD_CHUNK), b"")
        try:
            outcome = services.evidence_store_file(
                user=request.user,
                chunks=chunks,
                original_filename=filename,
                metadata=form.metadata_for(filename),
                incident=incident,
            )
        except services.EvidenceRejected as error:
            raise exceptions.ValidationError({"file": [str(error)]}) from None
        body = {
            "status": "stored" if outcome.created else "duplicate",
            "linked": outcome.linked,
            "evidence": EvidenceSerializer(outcome.item).data,
        }
        return Response(body, status=201 if outcome.created else 200)


class EvidenceDetail(ApiView):
    @extend_schema(responses={200: EvidenceSerializer}, operation_id="evidence_retrieve")
    def get(self, request, pk: int):
        item = get_evidence_for_user(request.user, pk)
        services.evidence_record_access(evidence=item, action=CustodyAction.VIEWED, user=request.user)
        return Response(EvidenceSerializer(item).data)


class EvidenceCustody(ApiView):
    @extend_schema(
        responses={200: page_serializer("CustodyPage", CustodySerializer)}, operation_id="evidence_custody_list"
    )
    def get(self, request, pk: int):
        item = get_evidence_for_user(request.user, pk)
        require_perm(request.user, "evidence.view_custodyevent")
        paginator = KeysetPaginator(request, Order("pk", descending=False))
        events = paginator.page(item.custody_events.select_related("actor"))
        return paginator.response(CustodySerializer(redact_custody(events, request.user), many=True).data)


class EvidenceDownload(ApiView):
    @extend_schema(
        parameters=[OpenApiParameter("confirm", str, description="`changed` or `missing`, to accept a failed check")],
        responses={(200, "*/*"): OpenApiTypes.BINARY},
        operation_id="evidence_download",
        description="The original, streamed and hashed as it is served; the custody log records the download with "
        "the hash of the bytes sent. A file that failed its fixity check is a 409 unless `confirm` names the failure.",
    )
    def get(self, request, pk: int):
        item = get_evidence_for_user(request.user, pk)
        warning = item.fixity_status if item.fixity_status in (FixityStatus.CHANGED, FixityStatus.MISSING) else ""
        if warning and request.query_params.get("confirm") != warning:
            from verify.api.errors import body

            message = _("This file failed its integrity check (%(status)s): add confirm=%(status)s to download it.")
            return Response(body("integrity_warning", message % {"status": warning}), status=409)
        try:
            fh = storage.open_for_response(item.storage_name)
        except FileNotFoundError:
            services.evidence_fixity_check(evidence=item)
            raise exceptions.NotFound() from None
        stream = services.evidence_stream_download(evidence=item, fh=fh, user=request.user, integrity_warning=warning)
        audit_record(action=AuditAction.DOWNLOAD_ORIGINAL, request=request, target=f"evidence-{item.pk}")
        content_type = "application/octet-stream" if item.is_active_content else item.mime_type
        response = StreamingHttpResponse(stream, content_type=content_type)
        response.headers["Content-Disposition"] = content_disposition_header(True, item.original_filename)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response.headers["Cache-Control"] = "private, no-store"
        if warning:
            response.headers["X-Verify-Integrity"] = warning
        return response
