"""Claim suggestions from a report: read it, offer what it says as claims, add the accepted ones."""

import os
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from verify.claims.models import Source
from verify.incidents.access import get_incident_for_user
from verify.suggestions import services
from verify.suggestions.extract import Span, highlight_segments
from verify.suggestions.forms import IncidentDraftForm, InlineSourceForm, ReportForm, SuggestionForm


def researcher_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm("claims.add_claim"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@researcher_required
@require_http_methods(["GET", "POST"])
def suggest_claims(request: HttpRequest) -> HttpResponse:
    """Step one: the report and the incident. Step two (the same URL, `step=review`): accept, edit or reject."""
    if request.method == "POST" and request.POST.get("step") == "review":
        return _suggest_review(request)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        incident = None
        try:
            if data["incident"]:
                incident = get_incident_for_user(request.user, data["incident"].strip(), perm="claims.add_claim")
            text = data["text"]
            if data["pdf"]:
                text = services.pdf_text(data["pdf"])
                data["pdf_token"] = services.report_stash(data["pdf"].chunks())
                data["pdf_name"] = os.path.basename(data["pdf"].name)[:200]
        except Http404:
            form.add_error("incident", _("No incident with this reference that you can see."))
        except services.ReportUnreadable as exc:
            form.add_error("pdf", str(exc))
        else:
            initial = services.suggest(text, published_on=data["published_on"], user=request.user)
            forms = [
                SuggestionForm(prefix=f"s{i}", initial=values, user=request.user) for i, values in enumerate(initial)
            ]
            draft = None
            if incident is None:
                values = services.incident_draft(initial)
                if data["new_title"]:
                    values["title"] = data["new_title"]
                draft = IncidentDraftForm(prefix="incident", initial=values)
            return _render_review(request, forms, data, incident, draft)
    return render(request, "suggestions/report.html", {"form": form})


def _render_review(request, forms, report: dict, incident, draft=None, status: int = 200) -> HttpResponse:
    items = []
    for form in forms:
        sentence = form["sentence"].value() or ""
        spans = [Span(int(s), int(e), str(k)) for s, e, k in form.span_list() if 0 <= int(s) < int(e) <= len(sentence)]
        items.append({"form": form, "segments": highlight_segments(sentence, spans)})
    return render(
        request,
        "suggestions/review.html",
        {
            "items": items,
            "report": report,
            "incident": incident,
            "draft": draft,
            "count": len(forms),
            "can_add_source": request.user.has_perm("claims.add_source"),
            "source_kinds": Source.Kind.choices,
        },
        status=status,
    )


def _suggest_review(request: HttpRequest) -> HttpResponse:
    report = ReportForm(request.POST)
    report.is_valid()  # the report fields travel as hidden inputs; only the incident and dates are used here
    data = {
        "incident": request.POST.get("incident", "").strip(),
        "new_title": request.POST.get("new_title", "").strip()[:200],
        "url": report.cleaned_data.get("url", ""),
        "published_on": report.cleaned_data.get("published_on"),
        "pdf_token": request.POST.get("pdf_token", ""),
        "pdf_name": os.path.basename(request.POST.get("pdf_name", ""))[:200],
    }
    incident = None
    draft = None
    if data["incident"]:
        incident = get_incident_for_user(request.user, data["incident"], perm="claims.add_claim")
    elif "incident-title" in request.POST:
        draft = IncidentDraftForm(request.POST, prefix="incident")
    count = min(int(request.POST.get("count", "0") or 0), 500)
    forms = [SuggestionForm(request.POST, prefix=f"s{i}", user=request.user) for i in range(count)]
    accepted = [f for f in forms if f.accepted]
    if not accepted:
        messages.error(request, _("Accept at least one suggestion, or leave the page to reject them all."))
        return _render_review(request, forms, data, incident, draft, status=400)
    if not all(f.is_valid() for f in forms) or (draft is not None and not draft.is_valid()):
        return _render_review(request, forms, data, incident, draft, status=400)
    incident, claims = services.suggestions_accept(
        user=request.user,
        incident=incident,
        new_title=data["new_title"],
        accepted=[f.cleaned_data for f in accepted],
        url=data["url"],
        published_on=data["published_on"],
        report_file=services.report_stashed(data["pdf_token"]),
        report_name=data["pdf_name"],
        incident_data=draft.cleaned_data if draft is not None else None,
    )
    messages.success(
        request,
        ngettext("%(count)s claim added from the report.", "%(count)s claims added from the report.", len(claims))
        % {"count": len(claims)},
    )
    return redirect(incident)


@researcher_required
@require_POST
def source_inline(request: HttpRequest) -> HttpResponse:
    """Add a source named in the report to the register without leaving the suggestions page (JSON)."""
    if not request.user.has_perm("claims.add_source"):
        raise PermissionDenied
    form = InlineSourceForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        source, created = services.source_add_inline(
            user=request.user, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
        )
    except ValidationError as exc:
        return JsonResponse({"errors": {"name": [{"message": m} for m in exc.messages]}}, status=400)
    return JsonResponse({"pk": source.pk, "name": source.name, "created": created}, status=201 if created else 200)
