from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from verify.incidents.models import Incident


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "date_start", "status", "grade", "restricted"]
    list_filter = ["status", "grade", "attack_type", "target_type", "restricted"]
    search_fields = ["reference", "title", "summary", "location_name"]
    autocomplete_fields = ["place"]
    filter_horizontal = ["allowed_groups"]
    readonly_fields = ["reference", "version", "created_by", "last_edited_by", "created_at", "updated_at"]
    raw_id_fields = ["assigned_to", "merged_into"]

    def get_queryset(self, request):
        # Even in the admin, restricted incidents stay invisible outside their groups.
        return Incident.objects.visible_to(request.user)
