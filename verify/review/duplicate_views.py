"""Possible duplicates: the site-wide list, merging, and "not a duplicate"."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from verify.core.listing import paged
from verify.incidents.access import get_incident_for_user
from verify.incidents.duplicates import duplicate_dismiss, duplicate_pairs
from verify.incidents.models import Incident
from verify.lib.gazetteer import distance_m
from verify.review.merging import incident_merge, merge_problems

PAGE_SIZE = 50


class MergeForm(forms.Form):
    note = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Why these are the same attack"),
        help_text=_("Recorded in both histories."),
    )


class DismissForm(forms.Form):
    note = forms.CharField(required=False, max_length=2000, label=_("Why they differ"))


@permission_required("incidents.view_incident", raise_exception=True)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    context = paged(request, duplicate_pairs(user=request.user), per_page=PAGE_SIZE)
    context |= {
        "total": context["page"].paginator.count,
        "can_merge": request.user.has_perm("incidents.change_incident"),
    }
    return render(request, "incidents/duplicate_list.html", context)


def _pair(request: HttpRequest, reference: str, other: str) -> tuple[Incident, Incident] | None:
    """Both incidents, if both are visible and neither has been merged away (else None, with a message)."""
    first = get_incident_for_user(request.user, reference, perm="incidents.change_incident")
    second = get_incident_for_user(request.user, other, perm="incidents.change_incident")
    if first.reference != reference or second.reference != other:
        messages.error(request, gettext("One of these incidents has already been merged into another."))
        return None
    return first, second


@require_http_methods(["GET", "POST"])
def incident_merge_view(request: HttpRequest, reference: str, target: str) -> HttpResponse:
    """Merge the incident `reference` into `target`, after a confirmation page."""
    pair = _pair(request, reference, target)
    if pair is None:
        return redirect("incidents:detail", reference=target)
    source, kept = pair
    form = MergeForm(request.POST or None)
    problems = merge_problems(source=source, target=kept)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            result = incident_merge(source=source, target=kept, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            problems = exc.messages
        else:
            evidence = result.evidence_moved + result.evidence_already_linked
            messages.success(
                request,
                gettext(
                    "%(source)s merged into %(kept)s: %(claims)s and %(evidence)s moved. %(source)s now leads here."
                )
                % {
                    "source": source.reference,
                    "kept": kept.reference,
                    "claims": ngettext("%(count)s claim", "%(count)s claims", result.claims_moved)
                    % {"count": result.claims_moved},
                    "evidence": ngettext("%(count)s evidence link", "%(count)s evidence links", evidence)
                    % {"count": evidence},
                },
            )
            return redirect(result.target)
    distance = None
    if source.has_coordinates and kept.has_coordinates:
        distance = distance_m(
            float(source.latitude), float(source.longitude), float(kept.latitude), float(kept.longitude)
        )
    context = {
        "source": source,
        "target": kept,
        "form": form,
        "problems": problems,
        "distance_m": distance,
        "source_claims": source.claims.count(),
        "source_evidence": source.evidence_links.visible_to(request.user).count(),
        "target_claims": kept.claims.count(),
        "target_evidence": kept.evidence_links.visible_to(request.user).count(),
    }
    return render(
        request, "incidents/merge_confirm.html", context, status=400 if problems and request.method == "POST" else 200
    )


@require_POST
def duplicate_dismiss_view(request: HttpRequest, reference: str, other: str) -> HttpResponse:
    pair = _pair(request, reference, other)
    if pair is None:
        return redirect("incidents:detail", reference=reference)
    if pair[0].pk == pair[1].pk:
        return HttpResponseBadRequest(
            gettext("An incident cannot be marked as not a duplicate of itself."), content_type="text/plain"
        )
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    duplicate_dismiss(incident=pair[0], other=pair[1], user=request.user, note=note)
    messages.success(
        request,
        gettext("Noted: %(first)s and %(second)s are different incidents.")
        % {"first": pair[0].reference, "second": pair[1].reference},
    )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(pair[0])
