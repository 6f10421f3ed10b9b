from django.contrib.admin.apps import AdminConfig


class VerifyAdminConfig(AdminConfig):
    """The admin with our site, for active superusers only: see verify/core/admin_site.py."""

    default_site = "verify.core.admin_site.VerifyAdminSite"
