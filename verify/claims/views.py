from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from verify.claims import services
from verify.claims.access import get_claim_for_user, get_source_for_user
from verify.claims.entity_views import kept_entity
from verify.claims.forms import AliasForm, ClaimEditForm, ClaimForm, SourceForm
from verify.claims.models import Claim, Source
from verify.claims.panels import claims_panel_context
from verify.claims.track_record import track_records
from verify.core.choices import Reliability
from verify.core.conflicts import conflict_context
from verify.core.idempotency import create_once
from verify.core.models import ConflictError
from verify.incidents.access import get_incident_for_user

LOOKUP_LIMIT = 15


def _inline(request: HttpRequest) -> bool:
    """Sent by the claim-entry script on the incident page, which swaps in the panel it gets back."""
    return request.headers.get("X-Requested-With") == "claim-entry"


@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest, reference: str) -> HttpResponse:
    incident = get_incident_for_user(request.user, reference, perm="claims.add_claim")
    can_add_source = request.user.has_perm("claims.add_source")
    form = ClaimForm(request.POST or None, incident=incident, user=request.user, can_add_source=can_add_source)
    if request.method == "POST" and form.is_valid():
        notices = []

        def create() -> str:
            claim = services.claim_create(
                user=request.user, incident=incident, data=form.cleaned_data, new_source=form.new_source()
            )
            notices.append(_("Claim from %(source)s added.") % {"source": claim.source})
            return incident.get_absolute_url()

        create_once(user=request.user, key=form.cleaned_data["idempotency_key"], create=create)
        # A repeated POST of the same form finds the claim already added and says so.
        notice = notices[0] if notices else _("This claim was already added.")
        if _inline(request):
            context = claims_panel_context(request, incident)
            return HttpResponse(
                render_to_string("claims/_incident_claims.html", {**context, "notice": notice}, request)
            )
        messages.success(request, notice)
        return redirect(incident)
    if _inline(request) and request.method == "POST":
        context = {**claims_panel_context(request, incident), "claim_form": form, "entry_open": True}
        return HttpResponse(render_to_string("claims/_incident_claims.html", context, request), status=422)
    if _inline(request):
        return render(request, "claims/_claim_entry_form.html", {"form": form, "incident": incident})
    return render(request, "claims/claim_form.html", {"form": form, "incident": incident})


@require_http_methods(["GET", "POST"])
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk, perm="claims.change_claim")
    incident = claim.incident
    form = ClaimEditForm(
        request.POST or None, instance=claim, incident=incident, user=request.user, initial={"version": claim.version}
    )
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
            messages.success(request, _("Claim saved."))
            return redirect(incident)
    return render(
        request,
        "claims/claim_form.html",
        {"form": form, "incident": incident, "claim": claim, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_http_methods(["GET", "POST"])
def claim_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk, perm="claims.delete_claim")
    incident = claim.incident
    if request.method == "POST":
        services.claim_delete(claim=claim, user=request.user)
        messages.success(
            request, _("Claim from %(source)s deleted. It remains in the history.") % {"source": claim.source}
        )
        return redirect(incident)
    return render(request, "claims/claim_confirm_delete.html", {"claim": claim, "incident": incident})


@permission_required("claims.view_source", raise_exception=True)
def source_list(request: HttpRequest) -> HttpResponse:
    visible = Claim.objects.visible_to(request.user).values("pk")
    sources = (
        Source.objects.visible_to(request.user)
        .active()
        .select_related("affiliation")
        .annotate(claim_count=Count("claims", filter=Q(claims__in=visible)))
        .order_by("name")
    )
    needs_rating = request.GET.get("show") == "needs_rating"
    if needs_rating:
        sources = sources.filter(Q(reliability=Reliability.F) | Q(rated_at__isnull=True))
    records = track_records(request.user)
    rows = [(source, records.get(source.pk)) for source in sources]
    return render(request, "claims/source_list.html", {"rows": rows, "needs_rating": needs_rating})


def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_source_for_user(request.user, pk)
    if source.merged_into_id:
        return redirect("claims:source_detail", pk=kept_entity(source).pk)
    claims = (
        Claim.objects.visible_to(request.user)
        .filter(source=source)
        .select_related("incident", "perpetrator", "derived_from__source")
        .order_by("-published_on", "-pk")
    )
    record = track_records(request.user, source_ids=[source.pk]).get(source.pk)
    context = {"source": source, "claims": claims, "record": record, "alias_form": AliasForm()}
    return render(request, "claims/source_detail.html", context)


@permission_required("claims.view_source", raise_exception=True)
@require_GET
def source_lookup(request: HttpRequest) -> JsonResponse:
    """Sources whose name contains `q`, for the claim form's autocomplete. Names only: no claims, no incidents."""
    q = " ".join(request.GET.get("q", "").split())[:100]
    sources = Source.objects.visible_to(request.user).active().select_related("affiliation").order_by("name")
    if q:
        sources = sources.filter(Q(name__icontains=q) | Q(pk__in=Source.objects.matching(q).values("pk")))
    results = [
        {
            "id": s.pk,
            "name": s.name,
            "kind": s.get_kind_display(),
            "reliability": s.reliability,
            "party_to_conflict": s.is_belligerent,
        }
        for s in sources[:LOOKUP_LIMIT]
    ]
    return JsonResponse({"results": results})


@permission_required("claims.add_source", raise_exception=True)
@require_http_methods(["GET", "POST"])
def source_create(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        known = Source.objects.visible_to(request.user).matching(form.cleaned_data["name"]).first()
        if known is not None:
            # Another spelling or an alias of a source already in the register: say so rather than add a twin.
            messages.info(
                request,
                _("%(name)s is already in the register as %(known)s.")
                % {"name": form.cleaned_data["name"], "known": known.name},
            )
            return redirect("claims:source_detail", pk=known.pk)
        source = services.source_create(data=form.cleaned_data, user=request.user)
        messages.success(request, _("Source %(name)s added.") % {"name": source.name})
        return redirect("claims:source_detail", pk=source.pk)
    return render(request, "claims/source_form.html", {"form": form})
