"""What the API answers with. Read-only: writes are validated by the pages' forms (forms_bridge)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from verify.claims.models import Actor, Claim, Source
from verify.incidents.models import Incident, Label


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable code: invalid, not_found, forbidden, conflict, throttled, …"))
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ConflictSerializer(ErrorSerializer):
    """A stale version (`conflict`: with both versions and the record as it is now), or a step the workflow refuses
    in the record's present state (`invalid_state`: code and message only)."""

    your_version = serializers.IntegerField(required=False)
    current_version = serializers.IntegerField(required=False, allow_null=True)
    current = serializers.DictField(required=False, allow_null=True, help_text=_("The record as it is saved now."))


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "name", "parent", "description"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "name",
            "kind",
            "affiliation",
            "reliability",
            "reliability_rationale",
            "url",
            "notes",
            "version",
        ]


class ActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "name", "short_name", "kind", "party_to_conflict", "parent", "description", "version"]


class ClaimSerializer(serializers.ModelSerializer):
    incident = serializers.CharField(source="incident.reference", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "incident",
            "source",
            "source_name",
            "stance",
            "published_on",
            "url",
            "excerpt",
            "killed_min",
            "killed_max",
            "injured_min",
            "injured_max",
            "perpetrator",
            "munition",
            "event_date",
            "event_date_precision",
            "place",
            "latitude",
            "longitude",
            "location_precision",
            "military_objective_present",
            "military_objective_distance_m",
            "credibility",
            "derived_from",
            "version",
        ]


INCIDENT_FIELDS = [
    "reference",
    "title",
    "status",
    "grade",
    "suggested_grade",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "attack_type",
    "target_type",
    "has_disagreements",
    "denied_by_party",
    "restricted",
    "version",
    "created_at",
    "updated_at",
]


class IncidentListSerializer(serializers.ModelSerializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True)
    place_name = serializers.SerializerMethodField()
    labels = serializers.SerializerMethodField()
    claim_count = serializers.IntegerField(read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Incident
        fields = [*INCIDENT_FIELDS, "place_name", "labels", "claim_count", "evidence_count"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_place_name(self, incident) -> str | None:
        return incident.place.name if incident.place_id else None

    @extend_schema_field(NamedSerializer(many=True))
    def get_labels(self, incident) -> list[dict]:
        return [{"id": label.pk, "name": label.name} for label in incident.labels.all()]


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    params = serializers.DictField()


class DisagreementSerializer(serializers.Serializer):
    kind = serializers.CharField()
    claim_ids = serializers.ListField(child=serializers.IntegerField())
    message = serializers.CharField()


class CrossCheckSerializer(serializers.Serializer):
    summary = serializers.CharField()
    suggested_grade = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    disagreements = DisagreementSerializer(many=True)
    perpetrator = serializers.CharField(allow_null=True)
    denied_by_party = serializers.BooleanField()


class EvidenceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    sha256 = serializers.CharField()
    kind = serializers.CharField()
    linked_at = serializers.DateTimeField()


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistorySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    what = serializers.CharField()
    kind = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    by = serializers.CharField()
    at = serializers.DateTimeField()
    reason = serializers.CharField()
    text = serializers.CharField()
    note = serializers.CharField()


class IncidentDetailSerializer(IncidentListSerializer):
    summary = serializers.CharField()
    grade_rationale = serializers.CharField()
    allowed_groups = serializers.SerializerMethodField()
    claims = ClaimSerializer(many=True, read_only=True, source="api_claims")
    crosscheck = CrossCheckSerializer(read_only=True, source="api_crosscheck")
    evidence = EvidenceRefSerializer(many=True, read_only=True, source="api_evidence")
    history = HistorySerializer(many=True, read_only=True, source="api_history")
    transitions = TransitionSerializer(many=True, read_only=True, source="api_transitions")
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True, default=None)
    submitted_at = serializers.DateTimeField(allow_null=True)

    class Meta(IncidentListSerializer.Meta):
        fields = [
            *IncidentListSerializer.Meta.fields,
            "summary",
            "grade_rationale",
            "allowed_groups",
            "assigned_to",
            "submitted_at",
            "claims",
            "crosscheck",
            "evidence",
            "history",
            "transitions",
        ]

    @extend_schema_field(NamedSerializer(many=True))
    def get_allowed_groups(self, incident) -> list[dict]:
        return [{"id": g.pk, "name": g.name} for g in incident.allowed_groups.all()]


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.username")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
