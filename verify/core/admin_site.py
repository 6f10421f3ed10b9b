"""The Django admin, narrowed to a superuser's window on the data.

Only active superusers get in (`VerifyAdminSite.has_permission`): every other user gets a 403, or the site's own
sign-in page, from every admin URL. Managing users for the Admin role belongs to the site's own pages, so staff
who are not superusers need nothing here, and the admin's model-by-model permissions cannot leak restricted data
through pages that never learnt about restriction (history, /admin/r/, raw-id labels, autocomplete).

Even for superusers the admin is a viewer for everything the workflow owns: status, grade, custody, fixity,
storage names and versions change only through the services, which keep the version, history, custody log and
cross-check in step. `WorkflowAdmin` is that viewer; `VocabularyAdmin` is for the few lists a superuser may edit.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin


class VerifyAdminSite(admin.AdminSite):
    site_header = _("Verify administration")
    site_title = _("Verify administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_superuser

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # Signing in happens on the site's own page (lockout, second factor); the admin's form would skip them.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", self.index_url()), settings.LOGIN_URL)

    def index_url(self) -> str:
        return reverse("admin:index", current_app=self.name)


def visible_queryset(model: type[models.Model], request: HttpRequest) -> models.QuerySet:
    """The rows the user may see, through the model's own `visible_to`, or nothing if it has none."""
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(request.user)
    return queryset.none()


class WorkflowAdmin(admin.ModelAdmin):
    """View-only: no add, change or delete, for anyone. Subclasses say which rows the user may see."""

    actions = None

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return visible_queryset(self.model, request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class HistoryViewerAdmin(SimpleHistoryAdmin):
    """Change history to look at, never to restore: a revert would skip the workflow (version, custody,
    cross-check). History is shown only for a record the user can see; simple-history would otherwise fall
    back to the last historical row of any id."""

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None) -> HttpResponse:
        self._get_visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        self._get_visible_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def _get_visible_or_404(self, request: HttpRequest, object_id: str) -> models.Model:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        return obj


class WorkflowHistoryAdmin(WorkflowAdmin, HistoryViewerAdmin):
    """View-only, with the change history."""


def is_referenced(obj: models.Model) -> bool:
    """Whether any row points at this one, history rows included (their foreign keys are hidden and unchecked
    by the database, so deleting the target would leave past versions pointing at nothing)."""
    for relation in obj._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.is_relation):
            continue
        related = relation.related_model
        if relation.many_to_many:
            if related._base_manager.filter(**{relation.field.name: obj}).exists():
                return True
        elif related._base_manager.filter(**{relation.field.name: obj.pk}).exists():
            return True
    return False


class VocabularyAdmin(admin.ModelAdmin):
    """Reference lists a superuser may edit. Nothing is deleted while anything refers to it, and there are no
    bulk actions, so every delete goes through `has_delete_permission` with its object."""

    actions = None
    # Who made a row is whoever is signed in, never a choice on the form.
    author_fields = ("created_by", "last_edited_by", "uploaded_by")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        names = {field.name for field in self.model._meta.get_fields()}
        return [*super().get_readonly_fields(request, obj), *(f for f in self.author_fields if f in names)]

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        names = {field.name for field in self.model._meta.get_fields()}
        if not change and "created_by" in names:
            obj.created_by = request.user
        if "last_edited_by" in names:
            obj.last_edited_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and is_referenced(obj):
            return False
        return super().has_delete_permission(request, obj)
