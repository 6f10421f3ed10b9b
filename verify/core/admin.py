"""django-axes registers its lockout records as editable; they are security logs, so here they are view-only,
except that deleting an access attempt is how a superuser lifts a lockout. (This app comes after axes in
INSTALLED_APPS, so its registrations are already there to replace.)"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from verify.core.admin_site import WorkflowAdmin


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AccessLogAdmin(WorkflowAdmin, axes_admin.AccessLogAdmin):
    def get_queryset(self, request):
        return AccessLog.objects.all()


class AccessFailureLogAdmin(WorkflowAdmin, axes_admin.AccessFailureLogAdmin):
    def get_queryset(self, request):
        return AccessFailureLog.objects.all()


for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
