from django.contrib import admin

from verify.core.admin_site import VocabularyAdmin, WorkflowAdmin
from verify.imports.models import ImportJob, SavedMapping


@admin.register(ImportJob)
class ImportJobAdmin(WorkflowAdmin):
    """View-only: a job moves only through the import services (check, import, cancel)."""

    list_display = ["pk", "original_filename", "format", "status", "rows_total", "rows_bad", "created_by", "created_at"]
    list_filter = ["status", "format"]

    def get_queryset(self, request):
        return ImportJob.objects.for_user(request.user)


@admin.register(SavedMapping)
class SavedMappingAdmin(VocabularyAdmin):
    list_display = ["name", "created_by", "created_at"]
