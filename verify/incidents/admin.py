from django.contrib import admin

from verify.core.admin_site import WorkflowAdmin, WorkflowHistoryAdmin
from verify.incidents.models import DuplicateDismissal, Incident


@admin.register(Incident)
class IncidentAdmin(WorkflowHistoryAdmin):
    """View-only: an incident changes through its pages and the review workflow, and is never deleted."""

    list_display = ["reference", "title", "date_start", "status", "grade", "restricted"]
    list_filter = ["status", "grade", "attack_type", "target_type", "restricted"]
    search_fields = ["reference", "title", "summary", "location_name"]


@admin.register(DuplicateDismissal)
class DuplicateDismissalAdmin(WorkflowAdmin):
    list_display = ["incident_a", "incident_b", "dismissed_by", "created_at"]

    def get_queryset(self, request):
        visible = Incident.objects.visible_to(request.user)
        return DuplicateDismissal.objects.filter(incident_a__in=visible, incident_b__in=visible)
