from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from verify.claims import services
from verify.claims.access import get_claim_for_user, get_source_for_user
from verify.claims.forms import ClaimEditForm, ClaimForm, SourceForm
from verify.claims.models import Claim, Source
from verify.core.conflicts import conflict_context
from verify.core.models import ConflictError
from verify.incidents.access import get_incident_for_user


@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference, perm="claims.add_claim")
    form = ClaimForm(request.POST or None, incident=incident)
    if request.method == "POST" and form.is_valid():
        claim = services.claim_create(user=request.user, incident=incident, data=form.cleaned_data)
        messages.success(request, f"Claim from {claim.source} added.")
        return redirect(incident)
    return render(request, "claims/claim_form.html", {"form": form, "incident": incident})


@require_http_methods(["GET", "POST"])
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk, perm="claims.change_claim")
    incident = claim.incident
    form = ClaimEditForm(request.POST or None, instance=claim, incident=incident, initial={"version": claim.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_update(
                claim=Claim.objects.get(pk=claim.pk),
                user=request.user,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
            )
        except ConflictError as exc:
            conflict = conflict_context(form, exc)
        else:
            messages.success(request, "Claim saved.")
            return redirect(incident)
    return render(
        request,
        "claims/claim_form.html",
        {"form": form, "incident": incident, "claim": claim, "conflict": conflict},
        status=409 if conflict else 200,
    )


@permission_required("claims.view_source", raise_exception=True)
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.select_related("affiliation").order_by("name")
    return render(request, "claims/source_list.html", {"sources": sources})


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk)
    claims = Claim.objects.visible_to(request.user).filter(source=source).select_related("incident")
    return render(request, "claims/source_detail.html", {"source": source, "claims": claims})


@permission_required("claims.add_source", raise_exception=True)
@require_http_methods(["GET", "POST"])
def source_create(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = services.source_create(data=form.cleaned_data)
        messages.success(request, f"Source {source.name} added.")
        return redirect("claims:source_detail", pk=source.pk)
    return render(request, "claims/source_form.html", {"form": form})
