"""Create the four role groups with their permissions.

The permission lists are written out here rather than imported, so that this migration keeps meaning what it
meant when it ran.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "incidents.view_incident",
    "claims.view_claim",
    "claims.view_source",
    "claims.view_actor",
    "gazetteer.view_place",
    "evidence.view_evidenceitem",
    "evidence.view_verificationcheck",
    "evidence.view_custodyevent",
    "review.view_reviewdecision",
    "review.view_statustransition",
    "review.view_comment",
]
RESEARCH = [
    "incidents.add_incident",
    "incidents.change_incident",
    "claims.add_claim",
    "claims.change_claim",
    "claims.add_source",
    "claims.change_source",
    "claims.add_actor",
    "gazetteer.add_place",
    "evidence.add_evidenceitem",
    "evidence.change_evidenceitem",
    "evidence.add_incidentevidence",
    "evidence.add_claimevidence",
    "evidence.add_verificationcheck",
    "review.add_comment",
]
REVIEW = ["incidents.review_incident", "review.add_reviewdecision"]
ADMIN_EXTRA = [
    "incidents.view_all_restricted",
    "incidents.delete_incident",
    "claims.delete_claim",
    "claims.change_actor",
    "claims.delete_source",
    "gazetteer.change_place",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "auth.change_group",
]

ROLES = {
    "Viewer": READ,
    "Researcher": READ + RESEARCH,
    "Reviewer": READ + RESEARCH + REVIEW,
    "Admin": READ + RESEARCH + REVIEW + ADMIN_EXTRA,
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)


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
