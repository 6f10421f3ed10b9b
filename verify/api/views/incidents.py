"""Incidents: the list with every filter of the list page, the detail, create and update."""

from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from verify.accounts.audit import audit_record
from verify.accounts.models import AuditAction
from verify.api.forms_bridge import IDEMPOTENCY_HEADER, form_data, idempotency_key, run_form, serializer_for_form
from verify.api.pagination import KeysetPaginator, Order, page_serializer
from verify.api.permissions import require_perm
from verify.api.serializers import IncidentDetailSerializer, IncidentListSerializer
from verify.api.views.base import ApiView
from verify.claims.crosscheck import incident_crosscheck
from verify.claims.filters import IncidentFilter
from verify.claims.history import incident_history
from verify.claims.reasons import reason_text
from verify.core.idempotency import create_once
from verify.core.routers import replica_reads
from verify.evidence.models import IncidentEvidence
from verify.incidents import services
from verify.incidents.access import get_incident_for_user
from verify.incidents.forms import IncidentEditForm, IncidentForm
from verify.incidents.models import Incident

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Optional: 32 hex digits. Repeating the request with the same key returns what the first created "
    "(200) instead of creating again.",
)

# The list's `ordering` values (those of the page's filter) and the keyset order each stands for.
ORDERS = {
    "": Order("date_start", descending=True, nullable=True),
    "-date": Order("date_start", descending=True, nullable=True),
    "date": Order("date_start", descending=False, nullable=True),
    "reference": Order("reference", descending=False),
    "-reference": Order("reference", descending=True),
    "created": Order("created_at", descending=False),
    "-created": Order("created_at", descending=True),
    "status": Order("status", descending=False),
    "-status": Order("status", descending=True),
}
FORM_FIELDS = [*IncidentForm.Meta.fields, "allowed_groups", "labels"]

IncidentCreate = serializer_for_form("IncidentCreate", IncidentForm)
IncidentUpdate = serializer_for_form("IncidentUpdate", IncidentEditForm, partial=True)
IncidentUpdate._declared_fields["version"].required = True


def _filter_parameters() -> list[OpenApiParameter]:
    params = []
    for name, flt in IncidentFilter.base_filters.items():
        if name == "ordering":
            params.append(OpenApiParameter(name, str, enum=[k for k in ORDERS if k], description="Sort order."))
            continue
        kind = {"DateFilter": OpenApiTypes.DATE, "BooleanFilter": OpenApiTypes.BOOL}.get(type(flt).__name__, str)
        params.append(OpenApiParameter(name, kind, description=str(flt.label or name)))
    params += [
        OpenApiParameter("cursor", str, description="From `next_cursor` of the previous page."),
        OpenApiParameter("page_size", int, description="1 to 200; 50 by default."),
    ]
    return params


def list_queryset(user):
    """The list page's queryset, exactly (verify.web.views.incident_list)."""
    return (
        Incident.objects.visible_to(user)
        .select_related("place", "place__governorate")
        .prefetch_related("labels")
        .with_counts(user)
    )


def filtered(request) -> tuple:
    filterset = IncidentFilter(request.query_params, queryset=list_queryset(request.user), user=request.user)
    if not filterset.is_valid():
        raise exceptions.ValidationError(filterset.errors)
    ordering = request.query_params.get("ordering", "")
    if ordering not in ORDERS:
        raise exceptions.ValidationError({"ordering": [_("Not one of the orders offered.")]})
    return filterset.qs, ORDERS[ordering], ordering or "-date"


def detail_instance(incident: Incident, user) -> Incident:
    """The incident with everything its page shows, read through the same helpers as the page."""
    incident = list_queryset(user).select_related("assigned_to").get(pk=incident.pk)
    check = incident_crosscheck(incident)
    incident.api_claims = check.claims
    incident.api_crosscheck = {
        "summary": check.summary,
        "suggested_grade": check.suggestion.grade,
        "reasons": [{"code": r.code, "text": reason_text(r), "params": r.params} for r in check.suggestion.reasons],
        "disagreements": [
            {"kind": d.kind, "claim_ids": list(d.claim_ids), "message": d.message} for d in check.disagreements
        ],
        "perpetrator": check.perpetrator,
        "denied_by_party": check.denied_by_party,
    }
    links = (
        IncidentEvidence.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("evidence")
        .order_by("-linked_at")
    )
    incident.api_evidence = [
        {
            "id": link.evidence.pk,
            "title": link.evidence.title,
            "sha256": link.evidence.sha256,
            "kind": link.evidence.kind,
            "linked_at": link.linked_at,
        }
        for link in links
    ]
    incident.api_history = [
        {
            "when": e.when,
            "who": e.who,
            "what": e.what,
            "kind": e.kind,
            "code": e.code,
            "reason": e.reason,
            "changes": [{"field": f, "old": o, "new": n} for f, o, n in e.changes],
        }
        for e in incident_history(incident)
    ]
    incident.api_transitions = [
        {
            "from_status": t.from_status,
            "to_status": t.to_status,
            "by": t.by.get_username(),
            "at": t.at,
            "reason": t.reason,
            "text": t.text,
            "note": t.note,
        }
        for t in incident.transitions.select_related("by")
    ]
    return incident


def _check_restriction_reauth(request, incident: Incident, data: dict) -> None:
    """Changing who may see an incident asks a browser session for the password again, as the page does (a 403 to
    sign in again, in JSON). A token was itself created after the password was entered."""
    from django.conf import settings

    from verify.api.models import ApiToken

    if isinstance(request.auth, ApiToken) or not settings.SENSITIVE_ACTION_REAUTHENTICATION:
        return
    groups = {g.pk for g in data["allowed_groups"]} if data["restricted"] else set()
    before = set(incident.allowed_groups.values_list("pk", flat=True)) if incident.restricted else set()
    if data["restricted"] == incident.restricted and groups == before:
        return
    from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate

    if not did_recently_reauthenticate(request._request):
        raise exceptions.PermissionDenied(
            _("Changing who may see an incident needs your password again: confirm it in the browser, then retry."),
            code="reauthentication_required",
        )


class IncidentList(ApiView):
    @extend_schema(
        parameters=_filter_parameters(),
        responses={200: page_serializer("IncidentPage", IncidentListSerializer)},
        operation_id="incidents_list",
    )
    @method_decorator(replica_reads)
    def get(self, request):
        queryset, order, key = filtered(request)
        paginator = KeysetPaginator(request, order, key=key)
        rows = paginator.page(queryset)
        return paginator.response(IncidentListSerializer(rows, many=True).data)

    @extend_schema(
        request=IncidentCreate,
        responses={201: IncidentDetailSerializer, 200: IncidentDetailSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        operation_id="incidents_create",
    )
    def post(self, request):
        require_perm(request.user, "incidents.add_incident")
        form = IncidentForm(form_data(request.data, defaults=IncidentForm))
        data = run_form(form)
        groups = list(data["allowed_groups"]) if data["restricted"] else []

        def create() -> str:
            incident = services.incident_create(
                user=request.user, data=data, allowed_groups=groups, labels=list(data["labels"])
            )
            return incident.reference

        # With an Idempotency-Key, a repeated request (a retry after a lost answer) gets the incident it created.
        reference, created = create_once(user=request.user, key=idempotency_key(request), create=create)
        incident = get_incident_for_user(request.user, reference)
        return Response(
            IncidentDetailSerializer(detail_instance(incident, request.user)).data, status=201 if created else 200
        )


class IncidentDetail(ApiView):
    def conflict_representation(self, instance):
        return IncidentListSerializer(list_queryset(self.request.user).get(pk=instance.pk)).data

    @extend_schema(responses={200: IncidentDetailSerializer}, operation_id="incidents_retrieve")
    def get(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference)
        if incident.restricted:
            audit_record(action=AuditAction.VIEW_RESTRICTED, request=request, target=incident.reference)
        return Response(IncidentDetailSerializer(detail_instance(incident, request.user)).data)

    @extend_schema(
        request=IncidentUpdate,
        responses={200: IncidentDetailSerializer},
        operation_id="incidents_update",
        description="Send `version` (the one you read) and the fields to change. A stale version is a 409 with "
        "both versions and the record as it is now.",
    )
    def patch(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference, perm="incidents.change_incident")
        extra = {"allowed_groups": list(incident.allowed_groups.values_list("pk", flat=True))}
        extra["labels"] = list(incident.labels.values_list("pk", flat=True))
        if "version" not in request.data:
            raise exceptions.ValidationError({"version": [_("Send the version you read.")]})
        form = IncidentEditForm(
            form_data(request.data, instance=incident, fields=IncidentForm.Meta.fields, extra=extra), instance=incident
        )
        data = run_form(form)
        _check_restriction_reauth(request, incident, data)
        with transaction.atomic():
            changed = services.incident_update(
                incident=Incident.objects.get(pk=incident.pk),
                user=request.user,
                data=data,
                expected_version=data["version"],
                allowed_groups=list(data["allowed_groups"]) if data["restricted"] else [],
                labels=list(data["labels"]),
            )
        if {"restricted", "allowed_groups"} & set(changed):
            audit_record(action=AuditAction.INCIDENT_RESTRICTION, request=request, target=incident.reference)
        fresh = Incident.objects.get(pk=incident.pk)
        if not fresh.is_visible_to(request.user):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(IncidentDetailSerializer(detail_instance(fresh, request.user)).data)
