"""The four roles and their permissions.

Groups are created by the data migration accounts/0001 and kept in step after every migrate or flush by a
post_migrate hook (see apps.py), so a test database flush never leaves the roles empty.
"""

from django.utils.translation import gettext_lazy as _

# The group names, in the database; ROLE_LABELS are how they read on the pages.
RESEARCHER = "Researcher"
REVIEWER = "Reviewer"
VIEWER = "Viewer"
ADMIN = "Admin"
ROLE_LABELS = {RESEARCHER: _("Researcher"), REVIEWER: _("Reviewer"), VIEWER: _("Viewer"), ADMIN: _("Admin")}

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
    "incidents.view_statustransition",
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
    "evidence.view_sensitive_original",
    "review.add_comment",
]
REVIEW = ["incidents.review_incident", "review.add_reviewdecision", "casefiles.request_casefile"]
ADMIN_EXTRA = [
    "incidents.view_all_restricted",
    "casefiles.approve_casefilerequest",
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
    VIEWER: READ,
    RESEARCHER: READ + RESEARCH,
    REVIEWER: READ + RESEARCH + REVIEW,
    ADMIN: READ + RESEARCH + REVIEW + ADMIN_EXTRA,
}


# The demo's sign-ins, one per role (demo mode only: printed by `make run`, exempt from the second factor).
DEMO_USERS = (
    # username, full name, role, password (demo only: printed by `make run`)
    ("researcher", "Rana Haddad", RESEARCHER, "demo-researcher-2015"),
    ("reviewer", "Samir Aziz", REVIEWER, "demo-reviewer-2015"),
    ("viewer", "Leila Nour", VIEWER, "demo-viewer-2015"),
    ("admin", "Admin User", ADMIN, "demo-admin-2015"),
)


def ensure_roles(group_model, permission_model, *, strict: bool = True) -> None:
    """Create the role groups and give each exactly its permissions. Idempotent.

    `strict=False` is for the old data migration, which runs against the models of its time: a permission of a
    later model is left to the post-migrate hook, which always runs strict.
    """
    for role, codes in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=role)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            found = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None and strict:
                raise permission_model.DoesNotExist(f"No permission {code} for the {role} role.")
            if found is not None:
                perms.append(found)
        group.permissions.set(perms)
