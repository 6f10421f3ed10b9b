"""Create the four role groups with their permissions.

The role table lives in verify/accounts/roles.py; a post_migrate hook re-applies it after every migrate and flush.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from verify.accounts.roles import ROLES, ensure_roles


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ensure_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), strict=False)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("incidents", "0001_initial"),
        ("claims", "0001_initial"),
        ("evidence", "0003_custody_append_only"),
        ("gazetteer", "0001_initial"),
        ("review", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
