from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, using="default", **kwargs) -> None:
    """After every migrate or flush: the permissions of every app exist, and each role has exactly its own."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from verify.accounts.roles import ensure_roles

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_roles(Group, Permission)


class AccountsConfig(AppConfig):
    name = "verify.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="verify.accounts.ensure_roles")
        # The admin's own sign-in form takes a password alone: send it to ours, which asks for the second factor.
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        from verify.accounts import language, signals  # noqa: F401  (connect the audit and language receivers)

        admin.site.login = secure_admin_login(admin.site.login)
