"""Sources, actors and labels: list, detail, create and update, through the claim and label services and the
pages' forms."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from verify.api.forms_bridge import form_data, run_form, serializer_for_form
from verify.api.pagination import KeysetPaginator, Order, page_serializer
from verify.api.permissions import require_perm
from verify.api.serializers import ActorSerializer, LabelSerializer, SourceSerializer
from verify.api.views.base import ApiView
from verify.claims import entities, services
from verify.claims.access import get_actor_for_user, get_source_for_user
from verify.claims.forms import ActorForm, SourceEditForm, SourceForm
from verify.claims.models import Actor, Source
from verify.incidents import services as incident_services
from verify.incidents.forms import LabelForm
from verify.incidents.models import Label

BY_ID = Order("pk", descending=False)

SourceCreate = serializer_for_form("SourceCreate", SourceForm)
SourceUpdate = serializer_for_form("SourceUpdate", SourceEditForm, partial=True)
SourceUpdate._declared_fields["version"].required = True
ActorCreate = serializer_for_form("ActorCreate", ActorForm, exclude=("version",))
ActorUpdate = serializer_for_form("ActorUpdate", ActorForm, partial=True)
ActorUpdate._declared_fields["version"].required = True
LabelWrite = serializer_for_form("LabelWrite", LabelForm)


def _need_version(request) -> None:
    if "version" not in request.data:
        raise exceptions.ValidationError({"version": [_("Send the version you read.")]})


def _page(request, queryset, serializer):
    paginator = KeysetPaginator(request, BY_ID)
    return paginator.response(serializer(paginator.page(queryset), many=True).data)


class SourceList(ApiView):
    @extend_schema(responses={200: page_serializer("SourcePage", SourceSerializer)}, operation_id="sources_list")
    def get(self, request):
        require_perm(request.user, "claims.view_source")
        return _page(request, Source.objects.visible_to(request.user).active(), SourceSerializer)

    @extend_schema(request=SourceCreate, responses={201: SourceSerializer}, operation_id="sources_create")
    def post(self, request):
        require_perm(request.user, "claims.add_source")
        data = run_form(SourceForm(form_data(request.data, defaults=SourceForm), user=request.user))
        known = Source.objects.visible_to(request.user).matching(data["name"]).first()
        if known is not None:
            raise exceptions.ValidationError(
                {
                    "name": [
                        _("%(name)s is already in the register as %(known)s.")
                        % {"name": data["name"], "known": known.name}
                    ]
                }
            )
        source = services.source_create(data=data, user=request.user)
        return Response(SourceSerializer(source).data, status=201)


class SourceDetail(ApiView):
    def conflict_representation(self, instance):
        return SourceSerializer(instance).data

    @extend_schema(responses={200: SourceSerializer}, operation_id="sources_retrieve")
    def get(self, request, pk: int):
        return Response(SourceSerializer(get_source_for_user(request.user, pk)).data)

    @extend_schema(request=SourceUpdate, responses={200: SourceSerializer}, operation_id="sources_update")
    def patch(self, request, pk: int):
        source = get_source_for_user(request.user, pk, perm="claims.change_source")
        _need_version(request)
        form = SourceEditForm(
            form_data(request.data, instance=source, fields=SourceEditForm.Meta.fields),
            instance=source,
            user=request.user,
        )
        data = run_form(form)
        with transaction.atomic():
            entities.source_update(
                source=Source.objects.get(pk=source.pk), user=request.user, data=data, expected_version=data["version"]
            )
        return Response(SourceSerializer(Source.objects.get(pk=source.pk)).data)


class ActorList(ApiView):
    @extend_schema(responses={200: page_serializer("ActorPage", ActorSerializer)}, operation_id="actors_list")
    def get(self, request):
        require_perm(request.user, "claims.view_actor")
        return _page(request, Actor.objects.visible_to(request.user).active(), ActorSerializer)

    @extend_schema(request=ActorCreate, responses={201: ActorSerializer}, operation_id="actors_create")
    def post(self, request):
        require_perm(request.user, "claims.add_actor")
        data = run_form(ActorForm(form_data(request.data, defaults=ActorForm), user=request.user))
        actor = entities.actor_add(user=request.user, data=data)
        return Response(ActorSerializer(actor).data, status=201)


class ActorDetail(ApiView):
    def conflict_representation(self, instance):
        return ActorSerializer(instance).data

    @extend_schema(responses={200: ActorSerializer}, operation_id="actors_retrieve")
    def get(self, request, pk: int):
        return Response(ActorSerializer(get_actor_for_user(request.user, pk)).data)

    @extend_schema(request=ActorUpdate, responses={200: ActorSerializer}, operation_id="actors_update")
    def patch(self, request, pk: int):
        actor = get_actor_for_user(request.user, pk, perm="claims.change_actor")
        _need_version(request)
        fields = ["name", "short_name", "kind", "party_to_conflict", "parent", "description"]
        form = ActorForm(form_data(request.data, instance=actor, fields=fields), instance=actor, user=request.user)
        data = run_form(form)
        with transaction.atomic():
            entities.actor_update(
                actor=Actor.objects.get(pk=actor.pk), user=request.user, data=data, expected_version=data["version"]
            )
        return Response(ActorSerializer(Actor.objects.get(pk=actor.pk)).data)


class LabelList(ApiView):
    @extend_schema(responses={200: page_serializer("LabelPage", LabelSerializer)}, operation_id="labels_list")
    def get(self, request):
        require_perm(request.user, "incidents.view_incident")
        return _page(request, Label.objects.all(), LabelSerializer)

    @extend_schema(request=LabelWrite, responses={201: LabelSerializer}, operation_id="labels_create")
    def post(self, request):
        require_perm(request.user, "incidents.change_incident")
        data = run_form(LabelForm(form_data(request.data)))
        label = incident_services.label_create(user=request.user, **data)
        return Response(LabelSerializer(label).data, status=201)


class LabelDetail(ApiView):
    @extend_schema(responses={200: LabelSerializer}, operation_id="labels_retrieve")
    def get(self, request, pk: int):
        require_perm(request.user, "incidents.view_incident")
        return Response(LabelSerializer(get_object_or_404(Label, pk=pk)).data)

    @extend_schema(request=LabelWrite, responses={200: LabelSerializer}, operation_id="labels_update")
    def patch(self, request, pk: int):
        require_perm(request.user, "incidents.change_incident")
        label = get_object_or_404(Label, pk=pk)
        current = {"name": label.name, "parent": label.parent_id or "", "description": label.description}
        data = run_form(LabelForm(form_data(request.data, extra=current)))
        label = incident_services.label_update(label=label, user=request.user, **data)
        return Response(LabelSerializer(label).data)
