"""Permission checks in one query per request (issue 19, item 6).

Django's ModelBackend reads a user's permissions in two queries (their own, then their groups'); this backend reads
both at once and caches them on the user object for the request, as ModelBackend does. Everything else (sign-in by
username or email, inactive users) is allauth's backend, unchanged.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q


class AuthenticationBackend(AllauthBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                own = user_obj.user_permissions.through.objects.filter(user=user_obj).values("permission_id")
                grouped = Group.permissions.through.objects.filter(group__user=user_obj).values("permission_id")
                perms = perms.filter(Q(pk__in=own) | Q(pk__in=grouped))
            rows = perms.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
