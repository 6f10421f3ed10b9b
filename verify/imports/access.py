from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from verify.imports.models import ImportJob

IMPORT_PERMISSIONS = ("incidents.add_incident", "incidents.change_incident", "claims.add_claim", "claims.change_claim")


def can_import(user) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS)


def get_import_job_for_user(user, pk: int) -> ImportJob:
    """An import job is its uploader's (admins see all); anyone else gets a 404. Importing needs a researcher."""
    if not can_import(user):
        raise PermissionDenied
    job = ImportJob.objects.for_user(user).select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404(_("No such import."))
    return job
