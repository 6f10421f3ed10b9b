"""Fixtures for import tests: a small gazetteer, private import storage, and a helper that runs both phases."""

import csv
import io
import json
from decimal import Decimal

import pytest

from tests import factories
from verify.gazetteer.models import Place
from verify.imports import services
from verify.imports.models import ImportJob
from verify.imports.tasks import import_commit_task, import_validate_task
from verify.incidents.columns import VERIFY_CSV_COLUMNS


@pytest.fixture(autouse=True)
def _import_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"


@pytest.fixture
def places(db) -> dict[str, Place]:
    """Idlib governorate and its capital (same name), Ariha with its Arabic name, and an ambiguous Kafr Zita."""
    idlib_gov = factories.place(
        "Idlib",
        kind=Place.Kind.GOVERNORATE,
        name_ar="إدلب",
        alternative_names=["Idleb", "Edlib"],
        latitude=Decimal("35.750000"),
        longitude=Decimal("36.650000"),
    )
    hama_gov = factories.place(
        "Hama",
        kind=Place.Kind.GOVERNORATE,
        name_ar="حماة",
        latitude=Decimal("35.200000"),
        longitude=Decimal("36.950000"),
    )
    return {
        "idlib_gov": idlib_gov,
        "hama_gov": hama_gov,
        "idlib": factories.place(
            "Idlib",
            governorate=idlib_gov,
            name_ar="إدلب",
            alternative_names=["Idleb"],
            latitude=Decimal("35.930870"),
            longitude=Decimal("36.633930"),
        ),
        "ariha": factories.place(
            "Arīḩā",
            governorate=idlib_gov,
            name_ar="أريحا",
            alternative_names=["Ariha", "Areeha"],
            latitude=Decimal("35.813740"),
            longitude=Decimal("36.609640"),
        ),
        "kafr_zita_hama": factories.place(
            "Kafr Zita", governorate=hama_gov, latitude=Decimal("35.374000"), longitude=Decimal("36.601000")
        ),
        "kafr_zita_idlib": factories.place(
            "Kafr Zita", governorate=idlib_gov, latitude=Decimal("35.900000"), longitude=Decimal("36.400000")
        ),
    }


def verify_csv(rows: list[dict], *, columns=VERIFY_CSV_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False)


def run_import(user, data: bytes, *, fmt: str = "verify_csv", good_rows: bool = False, mapping=None, name="f.csv"):
    """Both phases in this process, as the tasks run them. Returns the job after the check and after the import
    (None when the import was not attempted because rows were bad and `good_rows` is False)."""
    job = services.import_job_create(user=user, chunks=[data], filename=name, fmt=fmt, mapping=mapping, start=False)
    import_validate_task.apply(args=[job.pk])
    job.refresh_from_db()
    checked = ImportJob.objects.get(pk=job.pk)
    if checked.status != "validated" or (checked.rows_bad and not good_rows):
        return checked, None
    services.import_confirm(job=job, good_rows_only=bool(job.rows_bad), queue=False)
    import_commit_task.apply(args=[job.pk])
    job.refresh_from_db()
    return checked, job


ARIHA_ROWS = [
    {
        "external_id": "PARTNER-0001",
        "title": "Missile strike on Ariha market",
        "summary": "Missiles hit the main market street at midday.",
        "date_start": "2015-11-29",
        "date_precision": "day",
        "governorate": "Idlib",
        "place": "Ariha",
        "location_name": "main market street",
        "location_precision": "neighbourhood",
        "attack_type": "missile",
        "target_type": "market",
        "source": "Local activists",
        "stance": "alleges",
        "published_on": "2015-11-29",
        "killed_min": "34",
        "credibility": "3",
        "excerpt": "Activists counted at least 34 dead.",
    },
    {
        "external_id": "PARTNER-0001",
        "title": "Missile strike on Ariha market",
        "summary": "Missiles hit the main market street at midday.",
        "date_start": "2015-11-29",
        "date_precision": "day",
        "governorate": "Idlib",
        "place": "Ariha",
        "location_name": "main market street",
        "location_precision": "neighbourhood",
        "attack_type": "missile",
        "target_type": "market",
        "source": "Amnesty International",
        "source_url": "https://example.org/amnesty-report",
        "stance": "alleges",
        "published_on": "2015-12-23",
        "killed_min": "49",
        "killed_max": "49",
        "perpetrator": "Russian Aerospace Forces",
        "munition": "three missiles",
        "credibility": "2",
    },
    {
        "external_id": "PARTNER-0002",
        "title": "Alleged chemical attack, Idlib",
        "date_start": "2015-12-01",
        "date_end": "2015-12-03",
        "date_precision": "week",
        "place": "Idleb",
        "attack_type": "Chemical",
        "target_type": "residential",
        "source": "Russian Ministry of Defence",
        "stance": "denies",
        "published_on": "2015-12-04",
    },
]
