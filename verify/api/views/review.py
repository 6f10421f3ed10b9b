"""Review: submit, take (this one or the next), verdict with the two-person rule, comments. Every step goes
through verify.review.services, which moves the status through verify.incidents.workflow."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from verify.api.forms_bridge import form_data, run_form, serializer_for_form
from verify.api.pagination import KeysetPaginator, Order, page_serializer
from verify.api.permissions import require_perm
from verify.api.serializers import CommentSerializer, IncidentDetailSerializer
from verify.api.views.base import ApiView
from verify.api.views.incidents import IncidentListSerializer, detail_instance, list_queryset
from verify.incidents.access import get_incident_for_user
from verify.incidents.models import Incident
from verify.review import services
from verify.review.forms import CommentForm, VerdictForm
from verify.review.models import Comment


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


Verdict = serializer_for_form("Verdict", VerdictForm)
CommentCreate = serializer_for_form("CommentCreate", CommentForm)


def _note(request) -> str:
    serializer = NoteSerializer(data=request.data if hasattr(request.data, "items") else {"note": 0})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("note", "")


def _answer(request, incident: Incident) -> Response:
    return Response(IncidentDetailSerializer(detail_instance(incident, request.user)).data)


class Submit(ApiView):
    @extend_schema(request=NoteSerializer, responses={200: IncidentDetailSerializer}, operation_id="incidents_submit")
    def post(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference, perm=services.EDIT_PERM)
        services.incident_submit(incident=incident, user=request.user, note=_note(request))
        return _answer(request, incident)


class Take(ApiView):
    @extend_schema(request=None, responses={200: IncidentDetailSerializer}, operation_id="incidents_take")
    def post(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference, perm=services.REVIEW_PERM)
        services.review_take(incident=incident, user=request.user)
        return _answer(request, incident)


class TakeNext(ApiView):
    @extend_schema(
        request=None,
        responses={200: IncidentDetailSerializer, 204: None},
        operation_id="review_take_next",
        description="Take the oldest submitted incident you may review (two-person rule); 204 if there is none.",
    )
    def post(self, request):
        require_perm(request.user, services.REVIEW_PERM)
        incident = services.review_take_next(user=request.user)
        if incident is None:
            return Response(status=204)
        return _answer(request, incident)


class Queue(ApiView):
    @extend_schema(responses={200: page_serializer("QueuePage", IncidentListSerializer)}, operation_id="review_queue")
    def get(self, request):
        require_perm(request.user, services.REVIEW_PERM)
        queue = list_queryset(request.user).in_review_queue()
        paginator = KeysetPaginator(request, Order("submitted_at", descending=False, nullable=True), key="queue")
        return paginator.response(IncidentListSerializer(paginator.page(queue), many=True).data)


class VerdictView(ApiView):
    def conflict_representation(self, instance):
        return IncidentListSerializer(list_queryset(self.request.user).get(pk=instance.pk)).data

    @extend_schema(
        request=Verdict,
        responses={200: IncidentDetailSerializer},
        operation_id="incidents_verdict",
        description="Verify with a final grade or request changes. `version` is the version you reviewed: a change "
        "since is a 409. The two-person rule and the workflow's own rules are a 403 or a 409.",
    )
    def post(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference, perm=services.REVIEW_PERM)
        data = run_form(VerdictForm(form_data(request.data), incident=incident))
        services.review_decide(
            incident=incident,
            user=request.user,
            verdict=data["verdict"],
            grade=data["grade"],
            note=data["note"],
            override_rationale=data["override_rationale"],
            expected_version=data["version"],
        )
        return _answer(request, incident)


class Comments(ApiView):
    @extend_schema(responses={200: page_serializer("CommentPage", CommentSerializer)}, operation_id="comments_list")
    def get(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference)
        require_perm(request.user, "review.view_comment")
        comments = Comment.objects.filter(incident=incident).select_related("author")
        paginator = KeysetPaginator(request, Order("pk", descending=False))
        return paginator.response(CommentSerializer(paginator.page(comments), many=True).data)

    @extend_schema(request=CommentCreate, responses={201: CommentSerializer}, operation_id="comments_create")
    def post(self, request, reference: str):
        incident = get_incident_for_user(request.user, reference, perm=services.COMMENT_PERM)
        data = run_form(CommentForm(form_data(request.data)))
        comment = services.comment_create(incident=incident, user=request.user, body=data["body"])
        return Response(CommentSerializer(comment).data, status=201)


__all__ = ["_"]
