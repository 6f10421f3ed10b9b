"""Claim suggestions from a report: read it, offer what it says as claims, add the accepted ones."""

import os
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from verify.claims.models import Source
from verify.incidents.access import get_incident_for_user
from verify.suggestions import services
from verify.suggestions.extract import Span, highlight_segments
from verify.suggestions.forms import ReportForm, SuggestionForm


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
            form.add_error("incident", "No incident with this reference that you can see.")
        except services.ReportUnreadable as exc:
            form.add_error("pdf", str(exc))
        else:
            initial = services.suggest(text, published_on=data["published_on"], user=request.user)
            forms = [
                SuggestionForm(prefix=f"s{i}", initial=values, user=request.user) for i, values in enumerate(initial)
            ]
            return _render_review(request, forms, data, incident)
    return render(request, "suggestions/report.html", {"form": form})


def _render_review(request, forms, report: dict, incident, status: int = 200) -> HttpResponse:
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
            "count": len(forms),
            "sources": Source.objects.visible_to(request.user).order_by("name"),
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
    if data["incident"]:
        incident = get_incident_for_user(request.user, data["incident"], perm="claims.add_claim")
    elif not data["new_title"]:
        messages.error(request, "Give an incident or a title for a new one.")
        return redirect("suggestions:report")
    count = min(int(request.POST.get("count", "0") or 0), 500)
    forms = [SuggestionForm(request.POST, prefix=f"s{i}", user=request.user) for i in range(count)]
    accepted = [f for f in forms if f.accepted]
    if not accepted:
        messages.error(request, "Accept at least one suggestion, or leave the page to reject them all.")
        return _render_review(request, forms, data, incident, status=400)
    if not all(f.is_valid() for f in forms):
        return _render_review(request, forms, data, incident, status=400)
    incident, claims = services.suggestions_accept(
        user=request.user,
        incident=incident,
        new_title=data["new_title"],
        accepted=[f.cleaned_data for f in accepted],
        url=data["url"],
        published_on=data["published_on"],
        report_file=services.report_stashed(data["pdf_token"]),
        report_name=data["pdf_name"],
    )
    messages.success(request, f"{len(claims)} claim{'s' if len(claims) != 1 else ''} added from the report.")
    return redirect(incident)
