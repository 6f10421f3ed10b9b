from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction
from verify.accounts.reauth import reauthentication_required
from verify.core.listing import filtered_page
from verify.evidence import media, netguard, ocr, services, storage, webcapture
from verify.evidence.access import get_capture_for_user, get_evidence_for_user
from verify.evidence.exports import custody_csv, custody_json
from verify.evidence.filters import EvidenceFilter
from verify.evidence.forms import (
    ClaimLinkForm,
    EvidenceEditForm,
    EvidenceUploadForm,
    IncidentLinkForm,
    RedactionForm,
    VerificationCheckForm,
    WebCaptureForm,
    linkable_claims,
)
from verify.evidence.models import CustodyAction, EvidenceItem, FixityStatus, WebCapture
from verify.evidence.panels import near_duplicates, video_near_duplicates
from verify.evidence.redaction import redact_custody, visible_acquisitions, visible_claim_links
from verify.evidence.uploads import EvidenceUploadHandler
from verify.incidents.access import get_incident_for_user

PAGE_SIZE = 30


@permission_required("evidence.view_evidenceitem", raise_exception=True)
def evidence_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        EvidenceItem.objects.visible_to(request.user)
        .select_related("uploaded_by")
        .prefetch_related("incident_links__incident")
        .order_by("-created_at", "-pk")
    )
    filterset = EvidenceFilter(request.GET, queryset=queryset)
    context = filtered_page(request, filterset, per_page=PAGE_SIZE) | {
        "capture_available": webcapture.chromium_available()
    }
    return render(request, "evidence/evidence_list.html", context)


# --- Upload -----------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def evidence_upload(request: HttpRequest) -> HttpResponse:
    """Files stream through EvidenceUploadHandler straight into staged evidence files.

    The handler must be installed before anything reads the body, and CSRF protection reads it, so this view is
    exempt and the inner view is csrf_protect-ed (Django's documented pattern). The permission is checked before
    a single byte of the body is read, and whatever happens, no staged file outlives the request.
    """
    if not request.user.has_perm("evidence.add_evidenceitem"):
        raise PermissionDenied
    handler = EvidenceUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _evidence_upload(request, handler)
    finally:
        handler.discard_all()


@csrf_protect
def _evidence_upload(request: HttpRequest, handler: EvidenceUploadHandler) -> HttpResponse:
    incident_ref = request.POST.get("incident") or request.GET.get("incident") or ""
    incident = get_incident_for_user(request.user, incident_ref.strip()) if incident_ref.strip() else None
    if request.method == "GET":
        form = EvidenceUploadForm(initial={"incident": incident.reference if incident else ""})
        return render(request, "evidence/upload.html", upload_context(form, incident))

    form = EvidenceUploadForm(request.POST)
    files = request.FILES.getlist("files")
    results = [rejected(name, message, reason=code) for name, code, message in handler.rejected]
    if not files and not results:
        form.add_error(None, _("Choose at least one file to upload."))
    if form.is_valid():
        for uploaded in files:
            results.append(store_one(request, form, uploaded, incident))
    else:
        reason = " ".join(
            f"{form.fields[name].label if name in form.fields else 'Form'}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        results += [rejected(f.name, reason) for f in files]

    ok = any(r["status"] != "rejected" for r in results)
    if wants_json(request):
        return JsonResponse({"results": results, "errors": form.errors.get_json_data()}, status=200 if ok else 400)
    context = upload_context(form, incident) | {"results": results}
    return render(request, "evidence/upload.html", context, status=200 if ok else 400)


def store_one(request: HttpRequest, form: EvidenceUploadForm, uploaded, incident) -> dict:
    try:
        outcome = services.evidence_store_file(
            user=request.user,
            staged=uploaded.staged,
            original_filename=uploaded.name,
            metadata=form.metadata_for(uploaded.name),
            incident=incident,
        )
    except services.EvidenceRejected as exc:
        return rejected(uploaded.name, str(exc))
    item = outcome.item
    result = {
        "filename": uploaded.name,
        "status": "stored" if outcome.created else "duplicate",
        "id": item.pk,
        "title": item.title,
        "url": item.get_absolute_url(),
        "sha256": item.sha256,
        "mime_type": item.mime_type,
        "extension_mismatch": item.extension_mismatch,
    }
    if outcome.created:
        result["message"] = _("Evidence #%(pk)d: %(type)s, SHA-256 %(hash)s…") % {
            "pk": item.pk,
            "type": item.mime_type,
            "hash": item.sha256[:12],
        }
        item.refresh_from_db()  # processing may already have run (in-process tasks)
        near = near_duplicates(item, request.user)
        if near:
            names = ", ".join(f"#{n.item.pk} “{n.item.title}”" for n in near[:3])
            result["message"] += " " + _("Looks almost the same as %(names)s.") % {"names": names}
        if item.extension_mismatch:
            result["message"] += " " + _("Its name says otherwise: the content is %(type)s.") % {"type": item.mime_type}
    else:
        if outcome.linked:
            message = _("Identical to evidence #%(pk)d “%(title)s”; now linked to %(ref)s too. Not stored again.")
        else:
            message = _("Identical to evidence #%(pk)d “%(title)s”. Not stored again.")
        result["message"] = message % {
            "pk": item.pk,
            "title": item.title,
            "ref": incident.reference if incident else "",
        }
    return result


def rejected(filename: str, message: str, *, reason: str = "refused") -> dict:
    """`reason` is a code for scripts ("too_large", "refused"); `message` says it for a person."""
    return {"filename": filename, "status": "rejected", "reason": reason, "message": message}


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def upload_context(form: EvidenceUploadForm, incident) -> dict:
    return {"form": form, "incident": incident, "max_upload_bytes": settings.EVIDENCE_MAX_UPLOAD_BYTES}


# --- One item ---------------------------------------------------------------------------------


def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk)
    services.evidence_record_access(evidence=item, action=CustodyAction.VIEWED, user=request.user)
    claims = linkable_claims(item)
    context = {
        "item": item,
        "incident_links": item.incident_links.select_related("incident", "linked_by").order_by("linked_at"),
        "claim_links": visible_claim_links(item, request.user).select_related(
            "claim__incident", "claim__source", "linked_by"
        ),
        "checks": item.checks.select_related("performed_by"),
        "acquisitions": visible_acquisitions(item, request.user).select_related("acquired_by", "incident"),
        "custody": redact_custody(
            item.custody_events.select_related("actor").order_by("-at", "-pk")[:500], request.user
        ),
        "near_duplicates": near_duplicates(item, request.user),
        "keyframes": list(item.keyframes.all()),
        "video_matches": video_near_duplicates(item, request.user),
        "is_media": item.mime_type.startswith(("video/", "audio/")),
        "ffmpeg_available": media.ffmpeg_available(),
        "ocr_expected": item.is_raster_image or item.mime_type == "application/pdf",
        "ocr_available": ocr.tesseract_available(),
        "original_hidden": item.original_hidden_from(request.user),
        "redacted_copy": item.redacted_copy(),
        "derivatives": list(item.derivatives.filter(pk__in=EvidenceItem.objects.visible_to(request.user))),
        "near_threshold": settings.EVIDENCE_NEAR_DUPLICATE_DISTANCE,
        "check_form": VerificationCheckForm() if request.user.has_perm("evidence.add_verificationcheck") else None,
        "claim_form": ClaimLinkForm(claims=claims)
        if request.user.has_perm("evidence.add_claimevidence") and claims.exists()
        else None,
        "link_form": IncidentLinkForm() if request.user.has_perm("evidence.add_incidentevidence") else None,
        "can_edit": request.user.has_perm("evidence.change_evidenceitem"),
        "can_reprocess": request.user.has_perm("evidence.change_evidenceitem") and item.can_be_reprocessed,
    }
    return render(request, "evidence/evidence_detail.html", context)


def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The original, always as an attachment: never rendered by the browser, whatever it contains.

    A file that failed its fixity check is served only after explicit confirmation, and with a warning header.
    """
    item = get_evidence_for_user(request.user, pk)
    if item.original_hidden_from(request.user):
        copy = item.redacted_copy()
        if copy is None:
            raise PermissionDenied(_("This original is sensitive: ask a researcher for a redacted copy."))
        return redirect("evidence:download", copy.pk)
    warning = item.fixity_status if item.fixity_status in (FixityStatus.CHANGED, FixityStatus.MISSING) else ""
    if warning and request.GET.get("confirm") != warning:
        response = render(request, "evidence/download_warning.html", {"item": item}, status=409)
        response.headers["X-Verify-Integrity"] = warning
        return response
    try:
        fh = storage.open_for_response(item.storage_name)
    except FileNotFoundError:
        services.evidence_fixity_check(evidence=item)
        raise Http404(_("The stored file is missing; an integrity alert has been raised.")) from None
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


def evidence_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """Our own re-encoded JPEG, safe to show inline; the original is never inlined."""
    item = get_evidence_for_user(request.user, pk)
    if item.original_hidden_from(request.user):
        item = item.redacted_copy()  # the working copy stands in for a sensitive original
        if item is None:
            raise Http404(_("No thumbnail."))
    if not item.thumbnail_name:
        raise Http404(_("No thumbnail."))
    try:
        fh = storage.open_for_response(item.thumbnail_name)
    except FileNotFoundError:
        raise Http404(_("No thumbnail.")) from None
    response = FileResponse(fh, content_type="image/jpeg")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def evidence_keyframe(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """A keyframe's thumbnail: our own re-encoded JPEG, like the item's thumbnail."""
    item = get_evidence_for_user(request.user, pk)
    frame = item.keyframes.filter(position=position).first()
    if frame is None:
        raise Http404(_("No such keyframe."))
    try:
        fh = storage.open_for_response(frame.thumbnail_name)
    except FileNotFoundError:
        raise Http404(_("No such keyframe.")) from None
    response = FileResponse(fh, content_type="image/jpeg")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@reauthentication_required
def custody_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk)
    audit_record(action=AuditAction.EXPORT, request=request, target=f"custody-{item.pk}.{fmt}")
    services.evidence_record_access(evidence=item, action=CustodyAction.EXPORTED, user=request.user, format=fmt)
    events = redact_custody(item.custody_events.select_related("actor").order_by("at", "pk"), request.user)
    name = f"custody-{item.pk}-{slugify(item.title)[:40] or 'evidence'}"
    if fmt == "csv":
        response = HttpResponse(custody_csv(item, events), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(custody_json(item, events), content_type="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_POST
def check_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk, perm="evidence.add_verificationcheck")
    form = VerificationCheckForm(request.POST)
    if form.is_valid():
        check = services.verification_check_add(evidence=item, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Recorded: %(kind)s, %(result)s.")
            % {"kind": check.get_kind_display(), "result": check.get_result_display().lower()},
        )
    else:
        messages.error(request, _("The check was not recorded: choose a check and a result."))
    return redirect(item.get_absolute_url() + "#checks")


@require_POST
def claim_link(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk, perm="evidence.add_claimevidence")
    form = ClaimLinkForm(request.POST, claims=linkable_claims(item))
    if form.is_valid():
        link = services.evidence_link_claim(evidence=item, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Linked: %(relation)s the claim from %(source)s.")
            % {"relation": link.get_relation_display().lower(), "source": link.claim.source},
        )
    else:
        messages.error(request, _("Not linked: choose one of the claims of this item's incidents and a relation."))
    return redirect(item.get_absolute_url() + "#claims")


@require_POST
def reprocess(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk, perm="evidence.change_evidenceitem")
    if services.evidence_reprocess(evidence=item, user=request.user):
        messages.info(request, _("Processing queued again."))
    else:
        messages.info(request, _("This item is being processed right now."))
    return redirect(item)


@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk, perm="evidence.change_evidenceitem")
    form = EvidenceEditForm(request.POST or None, instance=EvidenceItem.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        changed = services.evidence_update(evidence=item, user=request.user, data=form.cleaned_data)
        if changed:
            messages.success(
                request, _("Saved: %(fields)s.") % {"fields": ", ".join(f.replace("_", " ") for f in changed)}
            )
        else:
            messages.info(request, _("Nothing changed."))
        return redirect(item)
    return render(request, "evidence/evidence_form.html", {"form": form, "item": item})


@require_POST
def incident_link(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk, perm="evidence.add_incidentevidence")
    form = IncidentLinkForm(request.POST)
    if form.is_valid():
        incident = get_incident_for_user(request.user, form.cleaned_data["incident"].strip())
        if incident.restricted:
            # Linking to a restricted incident hides the item from everyone outside its groups.
            messages.warning(
                request,
                _("%(ref)s is restricted: this item is now hidden from outsiders.") % {"ref": incident.reference},
            )
        if services.evidence_link(evidence=item, incident=incident, user=request.user):
            messages.success(request, _("Linked to %(ref)s.") % {"ref": incident.reference})
        else:
            messages.info(request, _("Already linked to %(ref)s.") % {"ref": incident.reference})
    return redirect(item.get_absolute_url() + "#incidents")


@require_POST
def incident_unlink(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    item = get_evidence_for_user(request.user, pk, perm="evidence.change_evidenceitem")
    incident = get_incident_for_user(request.user, reference)
    if incident.restricted and not request.user.has_perm("incidents.view_all_restricted"):
        # Unlinking would reveal the item to everyone outside the incident's groups: only an admin decides that.
        messages.error(
            request,
            _("%(ref)s is restricted: only an administrator can unlink its evidence.") % {"ref": incident.reference},
        )
        return redirect(item.get_absolute_url() + "#incidents")
    if services.evidence_unlink(evidence=item, incident=incident, user=request.user):
        messages.success(
            request, _("Unlinked from %(ref)s. The file and its custody log are kept.") % {"ref": incident.reference}
        )
    return redirect(item.get_absolute_url() + "#incidents")


def processing_status(request: HttpRequest) -> JsonResponse:
    """Processing status of the requested items (?id=1&id=2), for pages that wait for it. Not a view of the
    evidence itself, so not a custody event; items the user may not see are simply absent."""
    ids = [int(i) for i in request.GET.getlist("id")[:100] if i.isdigit()]
    items = EvidenceItem.objects.visible_to(request.user).filter(pk__in=ids)
    return JsonResponse(
        {
            str(item.pk): {"status": item.processing_status, "label": item.get_processing_status_display()}
            for item in items.only("pk", "processing_status")
        }
    )


# --- Web capture ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def capture_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("evidence.add_evidenceitem"):
        raise PermissionDenied
    ref = (request.POST.get("incident") or request.GET.get("incident") or "").strip()
    incident = get_incident_for_user(request.user, ref) if ref else None
    form = WebCaptureForm(request.POST or None, initial={"incident": ref})
    status = 200
    if request.method == "POST":
        if not webcapture.chromium_available():
            form.add_error(None, _("Web capture is not available: install chromium."))
        if form.is_valid():
            try:
                captures = services.web_capture_request(
                    user=request.user, urls=form.cleaned_data["urls"], incident=incident
                )
            except netguard.Refused as exc:
                form.add_error("urls", str(exc))
            else:
                messages.success(
                    request,
                    ngettext("%(count)d capture queued.", "%(count)d captures queued.", len(captures))
                    % {"count": len(captures)},
                )
                if len(captures) == 1:
                    return redirect(captures[0])
                return redirect(
                    reverse("evidence:capture_list") + (f"?incident={incident.reference}" if incident else "")
                )
        status = 400
    context = {"form": form, "incident": incident, "available": webcapture.chromium_available()}
    return render(request, "evidence/capture_form.html", context, status=status)


@permission_required("evidence.view_evidenceitem", raise_exception=True)
def capture_list(request: HttpRequest) -> HttpResponse:
    captures = WebCapture.objects.visible_to(request.user).select_related("incident", "requested_by")
    ref = request.GET.get("incident", "").strip()
    incident = get_incident_for_user(request.user, ref) if ref else None
    if incident is not None:
        captures = captures.filter(incident=incident)
    page = Paginator(captures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evidence/capture_list.html", {"page": page, "incident": incident})


def capture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    capture = get_capture_for_user(request.user, pk)
    visible = EvidenceItem.objects.visible_to(request.user)
    items = capture.capture_items.filter(evidence__in=visible).select_related("evidence").order_by("pk")
    return render(request, "evidence/capture_detail.html", {"capture": capture, "capture_items": items})


@require_http_methods(["GET", "POST"])
def evidence_redact(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw rectangles on an image to blur or black out: a new, derived item; the original is never changed."""
    item = get_evidence_for_user(request.user, pk, perm="evidence.add_evidenceitem")
    if not item.is_raster_image:
        raise Http404(_("Only images can be redacted."))
    if item.original_hidden_from(request.user):
        raise PermissionDenied
    form = RedactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.evidence_redact(
                evidence=item,
                user=request.user,
                regions=form.cleaned_data["regions"],
                method=form.cleaned_data["method"],
                sensitivity=form.cleaned_data["sensitivity"],
            )
        except services.EvidenceRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Redacted copy #%(pk)d made; the original is unchanged.") % {"pk": copy.pk})
            return redirect(copy)
    status = 400 if request.method == "POST" else 200
    return render(request, "evidence/redact.html", {"item": item, "form": form}, status=status)
