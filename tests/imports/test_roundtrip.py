"""An export of the incident list imports back to the same data.

Run twice: once with a verify CSV written here from database rows with `verify.incidents.columns` (UTF-8 with BOM,
formula-guarded cells), and once with the real CSV export of the incident list (`maps:export_csv`). Each is
imported into an empty database and compared.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.imports.conftest import ARIHA_ROWS, run_import
from verify.claims.models import Claim, Stance
from verify.incidents.columns import CLAIM_COLUMNS, INCIDENT_COLUMNS, VERIFY_CSV_COLUMNS
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db

INCIDENT_FIELDS = (
    "title",
    "summary",
    "date_start",
    "date_end",
    "date_precision",
    "place_id",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "attack_type",
    "target_type",
)
CLAIM_FIELDS = (
    "source__name",
    "url",
    "stance",
    "published_on",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "perpetrator__name",
    "munition",
    "credibility",
    "excerpt",
)


def guard(value: str) -> str:
    return "'" + value if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value


def cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def export_like(incidents) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(VERIFY_CSV_COLUMNS)
    for incident in incidents:
        base = {
            "reference": incident.reference,
            "external_id": incident.external_id,
            "governorate": incident.place.governorate_name if incident.place else "",
            "place": incident.place.name if incident.place else "",
            **{
                name: cell(getattr(incident, name))
                for name in INCIDENT_COLUMNS
                if hasattr(incident, name) and name not in ("place", "governorate", "reference", "external_id")
            },
        }
        claims = list(incident.claims.select_related("source", "perpetrator").order_by("pk")) or [None]
        for claim in claims:
            row = dict(base)
            if claim is not None:
                row |= {
                    "source": claim.source.name,
                    "source_url": claim.url,
                    "perpetrator": claim.perpetrator.name if claim.perpetrator else "",
                    **{
                        name: cell(getattr(claim, name))
                        for name in CLAIM_COLUMNS
                        if name not in ("source", "source_url", "perpetrator") and hasattr(claim, name)
                    },
                }
            writer.writerow([guard(row.get(c, "")) for c in VERIFY_CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def real_export(user) -> bytes:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("maps:export_csv"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def state():
    incidents = sorted(Incident.objects.values_list(*INCIDENT_FIELDS, "external_id", "reference"), key=lambda r: r[-1])
    claims = sorted(Claim.objects.values_list("incident__reference", *CLAIM_FIELDS), key=str)
    return incidents, claims


@pytest.mark.parametrize("exporter", ["written here", "the list's CSV export"])
def test_export_then_import_round_trips(researcher, places, exporter):
    activists = factories.source("Local activists")
    amnesty = factories.source("Amnesty International")
    ministry = factories.source("Russian Ministry of Defence")
    russia = factories.actor("Russian Aerospace Forces")
    market = factories.incident(
        created_by=researcher,
        title="Ariha market strike",
        summary="=cmd| a formula-looking summary\nsecond line",
        place=places["ariha"],
        location_name="main market street, أريحا",
        location_precision="neighbourhood",
        attack_type="missile",
        target_type="market",
        latitude=Decimal("35.813740"),
        longitude=Decimal("36.609640"),
    )
    factories.claim(incident=market, source=activists, killed_min=34, published_on=date(2015, 11, 29), credibility="3")
    factories.claim(
        incident=market,
        source=amnesty,
        killed_min=49,
        killed_max=49,
        perpetrator=russia,
        munition="three missiles",
        url="https://example.org/amnesty",
        published_on=date(2015, 12, 23),
        excerpt="-49 dead, it says",
        credibility="2",
    )
    factories.claim(incident=market, source=ministry, stance=Stance.DENIES, published_on=date(2015, 12, 24))
    factories.incident(
        created_by=researcher,
        title="Chemical attack alleged",
        date_start=date(2015, 12, 1),
        date_end=date(2015, 12, 3),
        date_precision="week",
        latitude=Decimal("33.461000"),
        longitude=Decimal("36.195000"),
        location_precision="district",
        attack_type="chemical",
    )
    factories.incident(
        created_by=researcher,
        title="Date unknown",
        date_start=None,
        date_end=None,
        date_precision="unknown",
        place=places["idlib_gov"],
        latitude=places["idlib_gov"].latitude,
        longitude=places["idlib_gov"].longitude,
        location_precision="governorate",
    )
    exporters = {
        "written here": lambda: export_like(Incident.objects.order_by("pk")),
        "the list's CSV export": lambda: real_export(researcher),
    }
    exported = exporters[exporter]()
    before_incidents, before_claims = state()

    # A fresh database: the same gazetteer, sources and actors; no incidents.
    Claim.objects.all().delete()
    Incident.history.all().delete()
    Incident.objects.all().delete()
    checked, job = run_import(researcher, exported)
    assert checked.rows_bad == 0, checked.errors
    assert job.summary["incidents_created"] == 3 and job.summary["claims_created"] == 3

    after_incidents, after_claims = state()
    # Each incident was matched by its old reference (kept as the external id) and got a new reference here.
    old_refs = [row[-1] for row in before_incidents]
    assert sorted(row[-2] for row in after_incidents) == old_refs
    assert [r[: len(INCIDENT_FIELDS)] for r in sorted(after_incidents, key=lambda r: r[-2])] == [
        r[: len(INCIDENT_FIELDS)] for r in before_incidents
    ]
    new_to_old = {row[-1]: row[-2] for row in after_incidents}
    assert sorted(((new_to_old[c[0]], *c[1:]) for c in after_claims), key=str) == before_claims

    # And importing the export again changes nothing.
    _, again = run_import(researcher, exported)
    assert again.summary["incidents_unchanged"] == 3, again.summary
    assert again.summary["claims_unchanged"] == 3
    assert state() == (after_incidents, after_claims)


def test_an_ambiguous_reference_is_refused_not_guessed(researcher, places):
    """A reference of this database that an earlier import also kept as an external id, with a third title."""
    ours = factories.incident(created_by=researcher, title="Shelling of a school in Douma")
    factories.incident(created_by=researcher, title="Imported strike", external_id=ours.reference)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=VERIFY_CSV_COLUMNS, restval="")
    writer.writeheader()
    writer.writerow({**ARIHA_ROWS[0], "reference": ours.reference, "external_id": ""})
    checked, job = run_import(researcher, out.getvalue().encode())

    assert (checked.rows_bad, job) == (1, None)
    assert "both an incident of this database and the external id" in str(checked.errors)
    ours.refresh_from_db()
    assert (ours.title, Incident.objects.count()) == ("Shelling of a school in Douma", 2)
