from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from verify.imports import services
from verify.imports.access import can_import, get_import_job_for_user
from verify.imports.errors import ImportRejected
from verify.imports.forms import DecisionForm, MappingForm, ResolutionForm, UploadForm
from verify.imports.models import ImportFormat, ImportJob, ImportStatus, SavedMapping
from verify.imports.progress import progress_get
from verify.imports.readers import FileUnreadable, read_header, read_preview
from verify.imports.report import named_by_file, report_csv
from verify.imports.storage import job_path
from verify.incidents.columns import VERIFY_CSV_COLUMNS

SHOWN_PROBLEMS = 200


def researcher_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@researcher_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        fmt = form.cleaned_data["format"]
        saved = form.cleaned_data["saved_mapping"]
        try:
            job = services.import_job_create(
                user=request.user,
                chunks=upload.chunks(),
                filename=upload.name,
                fmt=fmt,
                mapping=saved.mapping if saved else None,
                start=fmt != ImportFormat.MAPPED_CSV,
                allowed_groups=list(form.cleaned_data["allowed_groups"]) if form.cleaned_data["restricted"] else None,
            )
        except ImportRejected as exc:
            form.add_error("file", str(exc))
        else:
            if job.format != fmt:
                messages.info(
                    request,
                    _("The file's columns are those of: %(detected)s. It is read as such, not as: %(chosen)s.")
                    % {"detected": job.get_format_display(), "chosen": ImportFormat(fmt).label},
                )
            if job.format == ImportFormat.MAPPED_CSV:
                return redirect("imports:mapping", pk=job.pk)
            return redirect("imports:detail", pk=job.pk)
    jobs = ImportJob.objects.for_user(request.user).select_related("created_by")[:20]
    return render(request, "imports/start.html", {"form": form, "jobs": jobs, "columns": VERIFY_CSV_COLUMNS})


@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    if job.format != ImportFormat.MAPPED_CSV or job.status != ImportStatus.QUEUED or job.rows_total:
        return redirect("imports:detail", pk=job.pk)
    try:
        with open(job_path(job), "rb") as fh:
            headers = read_header(fh, job.encoding)
            sample = read_preview(fh, job.encoding)
    except (FileUnreadable, OSError) as exc:
        messages.error(request, _("The file cannot be read: %(error)s") % {"error": exc})
        return redirect("imports:start")
    form = MappingForm(request.POST or None, headers=headers, initial_mapping=job.mapping)
    if request.method == "POST" and form.is_valid():
        job.mapping = form.mapping
        job.save(update_fields=["mapping", "updated_at"])
        if form.cleaned_data["save_as"]:
            SavedMapping.objects.create(name=form.cleaned_data["save_as"], mapping=job.mapping, created_by=request.user)
        services.import_start(job=job)
        return redirect("imports:detail", pk=job.pk)
    preview = [(name, [row[i] for row in sample if i < len(row)]) for i, name in enumerate(headers) if name]
    return render(request, "imports/mapping.html", {"job": job, "form": form, "headers": headers, "preview": preview})


@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    return render(
        request,
        "imports/detail.html",
        {
            "job": job,
            "progress": progress_get(job),
            "errors": named_by_file(job, job.errors[:SHOWN_PROBLEMS]),
            "warnings": named_by_file(job, job.warnings[:SHOWN_PROBLEMS]),
            "shown": SHOWN_PROBLEMS,
            "resolution_form": ResolutionForm(job=job, user=request.user)
            if job.status == ImportStatus.VALIDATED
            else None,
        },
    )


@require_GET
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_import_job_for_user(request.user, pk)
    return JsonResponse(progress_get(job))


@require_POST
def import_decide(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to import or to import nothing."))
        return redirect("imports:detail", pk=job.pk)
    try:
        if form.cleaned_data["decision"] == "nothing":
            services.import_cancel(job=job)
            messages.info(request, _("Nothing was imported, and the uploaded file was deleted."))
        else:
            names = ResolutionForm(request.POST, job=job, user=request.user)
            if not names.is_valid():
                messages.error(request, _("Choose, for each name, one of the listed records or a new one."))
                return redirect("imports:detail", pk=job.pk)
            services.import_confirm(job=job, good_rows_only=bool(job.rows_bad), resolutions=names.resolutions)
    except ImportRejected as exc:
        messages.error(request, str(exc))
    return redirect("imports:detail", pk=job.pk)


@require_GET
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    if job.status in {ImportStatus.QUEUED, ImportStatus.VALIDATING}:
        raise Http404(_("The rows have not been checked yet."))
    response = HttpResponse(report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-report.csv"'
    return response
