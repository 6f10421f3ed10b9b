from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from verify.evidence.models import CustodyEvent, EvidenceItem, VerificationCheck


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "sha256", "mime_type", "size_bytes", "processing_status", "fixity_status"]
    list_filter = ["kind", "processing_status", "fixity_status", "sensitivity"]
    search_fields = ["title", "sha256", "original_filename"]
    readonly_fields = [f.name for f in EvidenceItem._meta.fields if not f.editable] + ["uploaded_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # Evidence is never hard-deleted.

    def get_queryset(self, request):
        return EvidenceItem.objects.visible_to(request.user)


@admin.register(VerificationCheck)
class VerificationCheckAdmin(admin.ModelAdmin):
    list_display = ["evidence", "kind", "result", "performed_by", "created_at"]
    list_filter = ["kind", "result"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(admin.ModelAdmin):
    list_display = ["evidence", "action", "actor", "at", "sha256"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
