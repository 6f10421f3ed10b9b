"""Imports: start (the file as the request body, streamed to private storage), status, decision and report,
through verify.imports.services and its access helper."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from verify.api.pagination import KeysetPaginator, Order, page_serializer
from verify.api.views.base import ApiView
from verify.api.views.evidence import RawUpload
from verify.imports import services
from verify.imports.access import can_import, get_import_job_for_user
from verify.imports.errors import ImportRejected
from verify.imports.models import ImportFormat, ImportJob, ImportStatus
from verify.imports.progress import progress_get
from verify.imports.report import report_csv

UPLOAD_CHUNK = 64 * 1024


class ImportStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportStatus.values)
    status_display = serializers.CharField()
    running = serializers.BooleanField()
    percent = serializers.IntegerField()
    rows = serializers.IntegerField()
    rows_bad = serializers.IntegerField()
    summary = serializers.DictField()
    failure = serializers.CharField(allow_blank=True)
    original_filename = serializers.CharField()
    format = serializers.CharField()
    errors = serializers.ListField(
        child=serializers.DictField(), help_text=gettext_lazy("The first problems found (100 at most).")
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["import", "nothing"])


def _status(job: ImportJob) -> dict:
    errors = job.errors[:100] if isinstance(job.errors, list) else []
    return {
        **progress_get(job),
        "original_filename": job.original_filename,
        "format": job.format,
        "errors": [e if isinstance(e, dict) else {"message": str(e)} for e in errors],
    }


def _require_importer(user) -> None:
    if not can_import(user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Your role cannot import records."))


class ImportList(ApiView):
    parser_classes = [RawUpload]

    @extend_schema(responses={200: page_serializer("ImportPage", ImportStatusSerializer)}, operation_id="imports_list")
    def get(self, request):
        _require_importer(request.user)
        paginator = KeysetPaginator(request, Order("pk", descending=True))
        jobs = paginator.page(ImportJob.objects.for_user(request.user))
        return paginator.response([_status(job) for job in jobs])

    @extend_schema(
        parameters=[
            OpenApiParameter("filename", str, required=True),
            OpenApiParameter("format", str, required=True, enum=[f for f in ImportFormat.values if f != "mapped_csv"]),
        ],
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={201: ImportStatusSerializer},
        operation_id="imports_start",
        description="Send the file as the body. Its rows are checked in the background (nothing is written): poll "
        "the status, then decide.",
    )
    def post(self, request):
        _require_importer(request.user)
        filename = (request.query_params.get("filename") or "").strip()
        fmt = request.query_params.get("format") or ""
        errors = {}
        if not filename:
            errors["filename"] = [_("Give the file's name.")]
        if fmt not in ImportFormat.values or fmt == ImportFormat.MAPPED_CSV:
            errors["format"] = [_("One of: verify_csv, acled, json.")]
        if errors:
            raise exceptions.ValidationError(errors)
        raw = request._request  # streamed to storage, never read whole
        try:
            job = services.import_job_create(
                user=request.user, chunks=iter(lambda: raw.read(UPLOAD_CHUNK), b""), filename=filename, fmt=fmt
            )
        except ImportRejected as error:
            raise exceptions.ValidationError({"file": [str(error)]}) from None
        return Response(_status(job), status=201)


class ImportDetail(ApiView):
    @extend_schema(responses={200: ImportStatusSerializer}, operation_id="imports_retrieve")
    def get(self, request, pk: int):
        return Response(_status(get_import_job_for_user(request.user, pk)))


class ImportDecision(ApiView):
    @extend_schema(request=DecisionSerializer, responses={200: ImportStatusSerializer}, operation_id="imports_decide")
    def post(self, request, pk: int):
        job = get_import_job_for_user(request.user, pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            if serializer.validated_data["decision"] == "nothing":
                services.import_cancel(job=job)
            else:
                services.import_confirm(job=job, good_rows_only=bool(job.rows_bad))
        except ImportRejected as error:
            from verify.api.errors import body

            return Response(body("invalid_state", str(error)), status=409)
        return Response(_status(ImportJob.objects.get(pk=job.pk)))


class ImportReport(ApiView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, operation_id="imports_report")
    def get(self, request, pk: int):
        job = get_import_job_for_user(request.user, pk)
        if job.status in {ImportStatus.QUEUED, ImportStatus.VALIDATING}:
            raise Http404
        response = HttpResponse(report_csv(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
        return response
