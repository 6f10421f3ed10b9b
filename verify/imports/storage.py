"""The uploaded file is private (never served by URL) and lives only as long as its job."""

import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from verify.imports.errors import ImportRejected
from verify.imports.models import ImportJob


def import_root() -> Path:
    return Path(settings.IMPORT_ROOT)


def job_path(job: ImportJob) -> Path:
    path = (import_root() / job.stored_name).resolve()
    if import_root().resolve() not in path.parents:
        raise ValueError("Import path escapes the import root.")
    return path


def store_upload(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Write the chunks to a new private file; returns its name under the import root and its size."""
    import_root().mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.upload"
    path = import_root() / name
    size = 0
    try:
        with open(path, "xb") as out:
            os.chmod(path, 0o600)
            for chunk in chunks:
                size += len(chunk)
                if size > settings.IMPORT_MAX_UPLOAD_BYTES:
                    raise ImportRejected(
                        _("The file is larger than %(limit)s bytes.")
                        % {"limit": number_format(settings.IMPORT_MAX_UPLOAD_BYTES, force_grouping=True)}
                    )
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise ImportRejected(_("The file is empty."))
    return name, size


def discard_file(job: ImportJob) -> None:
    if job.stored_name:
        job_path(job).unlink(missing_ok=True)
