"""Claims: create, update and delete, with the workflow effects of the page (a verified incident goes back to
review), through the claim services and the page's forms."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from verify.api.forms_bridge import form_data, run_form, serializer_for_form
from verify.api.serializers import ClaimSerializer
from verify.api.views.base import ApiView
from verify.claims import services
from verify.claims.access import get_claim_for_user
from verify.claims.forms import ClaimEditForm, ClaimForm
from verify.claims.models import Claim
from verify.incidents.access import get_incident_for_user

ClaimCreate = serializer_for_form("ClaimCreate", ClaimForm)
ClaimUpdate = serializer_for_form("ClaimUpdate", ClaimEditForm, partial=True)
ClaimUpdate._declared_fields["version"].required = True


def _claims(incident):
    return Claim.objects.filter(incident=incident).select_related("incident", "source").order_by("published_on", "pk")


class IncidentClaims(ApiView):
    @extend_schema(responses={200: ClaimSerializer(many=True)}, operation_id="incident_claims_list")
    def get(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference)
        return Response(ClaimSerializer(_claims(incident), many=True).data)

    @extend_schema(request=ClaimCreate, responses={201: ClaimSerializer}, operation_id="incident_claims_create")
    def post(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference, perm="claims.add_claim")
        can_add_source = request.user.has_perm("claims.add_source")
        form = ClaimForm(
            form_data(request.data, defaults=ClaimForm),
            incident=incident,
            user=request.user,
            can_add_source=can_add_source,
        )
        run_form(form)
        claim = services.claim_create(
            user=request.user, incident=incident, data=form.cleaned_data, new_source=form.new_source()
        )
        return Response(
            ClaimSerializer(Claim.objects.select_related("incident", "source").get(pk=claim.pk)).data, status=201
        )


class ClaimDetail(ApiView):
    def conflict_representation(self, instance):
        return ClaimSerializer(instance).data

    @extend_schema(responses={200: ClaimSerializer}, operation_id="claims_retrieve")
    def get(self, request, pk: int):
        return Response(ClaimSerializer(get_claim_for_user(request.user, pk)).data)

    @extend_schema(request=ClaimUpdate, responses={200: ClaimSerializer}, operation_id="claims_update")
    def patch(self, request, pk: int):
        claim = get_claim_for_user(request.user, pk, perm="claims.change_claim")
        if "version" not in request.data:
            raise exceptions.ValidationError({"version": [_("Send the version you read.")]})
        fields = ClaimForm.Meta.fields
        form = ClaimEditForm(
            form_data(request.data, instance=claim, fields=fields),
            instance=claim,
            incident=claim.incident,
            user=request.user,
        )
        data = run_form(form)
        with transaction.atomic():
            services.claim_update(
                claim=Claim.objects.get(pk=claim.pk), user=request.user, data=data, expected_version=data["version"]
            )
        return Response(ClaimSerializer(get_claim_for_user(request.user, pk)).data)

    @extend_schema(responses={204: None}, operation_id="claims_destroy")
    def delete(self, request, pk: int):
        claim = get_claim_for_user(request.user, pk, perm="claims.delete_claim")
        services.claim_delete(claim=claim, user=request.user)
        return Response(status=204)
