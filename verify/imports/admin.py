from django.contrib import admin

from verify.imports.models import ImportJob, SavedMapping


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "original_filename", "format", "status", "rows_total", "rows_bad", "created_by", "created_at"]
    list_filter = ["status", "format"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]


@admin.register(SavedMapping)
class SavedMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at"]
