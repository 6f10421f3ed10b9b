from django.contrib import admin

from verify.core.admin_site import WorkflowAdmin, WorkflowHistoryAdmin
from verify.evidence.models import ClaimEvidence, CustodyEvent, EvidenceItem, IncidentEvidence, VerificationCheck

# All view-only: storage names, hashes, fixity and processing are the evidence services' to write, custody
# events are appended only by them, and evidence is never deleted.


def visible_evidence(request):
    return EvidenceItem.objects.visible_to(request.user)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(WorkflowHistoryAdmin):
    list_display = ["title", "kind", "sha256", "mime_type", "size_bytes", "processing_status", "fixity_status"]
    list_filter = ["kind", "processing_status", "fixity_status", "sensitivity"]
    search_fields = ["title", "sha256", "original_filename"]


@admin.register(VerificationCheck)
class VerificationCheckAdmin(WorkflowAdmin):
    list_display = ["evidence", "kind", "result", "performed_by", "created_at"]
    list_filter = ["kind", "result"]

    def get_queryset(self, request):
        return VerificationCheck.objects.filter(evidence__in=visible_evidence(request))


@admin.register(CustodyEvent)
class CustodyEventAdmin(WorkflowAdmin):
    list_display = ["evidence", "action", "actor", "at", "sha256"]
    list_filter = ["action"]

    def get_queryset(self, request):
        return CustodyEvent.objects.filter(evidence__in=visible_evidence(request))


@admin.register(IncidentEvidence)
class IncidentEvidenceAdmin(WorkflowAdmin):
    list_display = ["incident", "evidence", "linked_by", "linked_at"]

    def get_queryset(self, request):
        from verify.incidents.models import Incident

        return IncidentEvidence.objects.filter(
            incident__in=Incident.objects.visible_to(request.user), evidence__in=visible_evidence(request)
        )


@admin.register(ClaimEvidence)
class ClaimEvidenceAdmin(WorkflowAdmin):
    list_display = ["claim", "evidence", "relation", "linked_by", "linked_at"]

    def get_queryset(self, request):
        from verify.claims.models import Claim

        return ClaimEvidence.objects.filter(
            claim__in=Claim.objects.visible_to(request.user), evidence__in=visible_evidence(request)
        )
