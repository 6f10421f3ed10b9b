"""Each supported format and encoding imports to the same incidents and claims."""

from datetime import date
from decimal import Decimal

import pytest

from tests.imports.conftest import ARIHA_ROWS, run_import, to_json, verify_csv
from verify.claims.models import Claim, Source, Stance
from verify.imports import services
from verify.imports.storage import job_path
from verify.incidents.models import Incident

pytestmark = pytest.mark.django_db


def assert_ariha_imported(places):
    strike = Incident.objects.get(external_id="PARTNER-0001")
    assert strike.title == "Missile strike on Ariha market"
    assert strike.place == places["ariha"]
    # No coordinates in the file: geocoded from the gazetteer.
    assert (strike.latitude, strike.longitude) == (Decimal("35.813740"), Decimal("36.609640"))
    assert strike.location_precision == "neighbourhood"
    assert strike.date_start == strike.date_end == date(2015, 11, 29)
    assert strike.status == "draft"
    claims = {c.source.name: c for c in strike.claims.select_related("source", "perpetrator")}
    assert set(claims) == {"Local activists", "Amnesty International"}
    assert (claims["Local activists"].killed_min, claims["Local activists"].killed_max) == (34, None)
    assert (claims["Amnesty International"].killed_min, claims["Amnesty International"].killed_max) == (49, 49)
    assert claims["Amnesty International"].perpetrator.name == "Russian Aerospace Forces"
    assert claims["Amnesty International"].url == "https://example.org/amnesty-report"
    chemical = Incident.objects.get(external_id="PARTNER-0002")
    assert chemical.attack_type == "chemical"  # the label "Chemical" was accepted
    assert chemical.place == places["idlib"]  # the town, not the governorate of the same name
    assert chemical.claims.get().stance == Stance.DENIES


def test_verify_csv_imports_incidents_with_their_claims(researcher, places):
    checked, job = run_import(researcher, verify_csv(ARIHA_ROWS).encode())
    assert (checked.rows_total, checked.rows_bad) == (3, 0)
    assert checked.summary["incidents_created"] == 2 and checked.summary["claims_created"] == 3
    assert Incident.objects.count() == 2, "the check alone must write nothing"
    assert job.status == "done"
    assert_ariha_imported(places)
    new = Source.objects.get(name="Russian Ministry of Defence")
    assert new.reliability == "F"


def test_check_phase_writes_nothing(researcher, places):
    from verify.imports.tasks import import_validate_task

    job = services.import_job_create(
        user=researcher, chunks=[verify_csv(ARIHA_ROWS).encode()], filename="a.csv", fmt="verify_csv", start=False
    )
    import_validate_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == "validated"
    assert not Incident.objects.exists() and not Claim.objects.exists() and not Source.objects.exists()


def test_verify_csv_with_bom_and_crlf(researcher, places):
    checked, job = run_import(researcher, b"\xef\xbb\xbf" + verify_csv(ARIHA_ROWS).encode())
    assert checked.encoding == "utf-8-sig"
    assert job.status == "done"
    assert_ariha_imported(places)


def test_windows_1256_arabic_survives(researcher, places):
    rows = [
        {
            "external_id": "AR-1",
            "title": "قصف سوق أريحا",
            "summary": "قُتل مدنيون في السوق الرئيسي",
            "date_start": "2015-11-29",
            "place": "أريحا",
            "source": "ناشطون محليون",
            "stance": "alleges",
            "killed_min": "34",
        }
    ]
    data = verify_csv(rows).encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    checked, job = run_import(researcher, data)
    assert checked.encoding == "cp1256"
    assert job.status == "done", job.errors
    incident = Incident.objects.get(external_id="AR-1")
    assert incident.title == "قصف سوق أريحا"
    assert incident.summary == "قُتل مدنيون في السوق الرئيسي"
    assert incident.place == places["ariha"]
    assert incident.claims.get().source.name == "ناشطون محليون"


def test_utf8_arabic_and_latin1_accents(researcher, places):
    rows = [
        {"external_id": "L-1", "title": "Frappe près du marché d'Ariha", "place": "Ariha", "date_start": "2015-11-29"}
    ]
    checked, _ = run_import(researcher, verify_csv(rows).encode("latin-1"))
    assert checked.encoding == "latin-1"
    assert Incident.objects.get(external_id="L-1").title == "Frappe près du marché d'Ariha"


def test_acled_style_csv(researcher, places):
    header = (
        "data_id,event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,admin1,admin2,"
        "location,latitude,longitude,geo_precision,source,notes,fatalities\n"
    )
    lines = [
        "9001,SYR9001,29 November 2015,2015,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia "
        "(2015-),Civilians (Syria),Idlib,Ariha,Ariha,35.8137,36.6096,1,Local Coordination Committees; SOHR,"
        '"Russian jets struck the market in Ariha, killing 34.",34\n',
        "9002,SYR9002,2015-12-02,2015,2,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces "
        "of Syria (2000-),,Idlib,Idlib,Idlib,,,2,SOHR,Barrel bombs dropped on a residential quarter.,5\n",
    ]
    checked, job = run_import(researcher, (header + "".join(lines)).encode(), fmt="acled")
    assert job.status == "done", checked.errors
    first = Incident.objects.get(external_id="SYR9001")
    assert first.attack_type == "airstrike"
    assert first.date_start == date(2015, 11, 29) and first.date_precision == "day"
    assert first.location_precision == "town"
    assert (first.latitude, first.longitude) == (Decimal("35.813700"), Decimal("36.609600"))
    claim = first.claims.get()
    assert claim.source.name == "Local Coordination Committees"
    assert (claim.killed_min, claim.killed_max) == (34, 34)
    assert claim.perpetrator.name == "Military Forces of Russia (2015-)"
    second = Incident.objects.get(external_id="SYR9002")
    assert second.attack_type == "barrel_bomb"  # from the notes, more precise than the event type
    assert second.date_precision == "week" and second.location_precision == "district"
    assert second.place == places["idlib"]  # no coordinates: geocoded


def test_json_list_of_objects(researcher, places):
    rows = [dict(r) for r in ARIHA_ROWS]
    rows[0]["killed_min"] = 34  # numbers may be JSON numbers
    checked, job = run_import(researcher, to_json(rows).encode(), fmt="json", name="rows.json")
    assert job.status == "done", checked.errors
    assert_ariha_imported(places)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b'{"title": "not a list"}', "must be a list"),
        (b'[{"title": "a", "date_start": "2015-11-29"}, ', "not closed"),
        (b'[{"title": "a"} {"title": "b"}]', "expected ','"),
    ],
)
def test_malformed_json_is_refused_whole(researcher, places, payload, reason):
    checked, job = run_import(researcher, payload, fmt="json", name="bad.json")
    assert checked.status == "failed" and reason in checked.failure
    assert job is None and not Incident.objects.exists()


def test_json_item_that_is_not_an_object_is_a_bad_row(researcher, places):
    checked, _ = run_import(researcher, b'[{"title": "Fine", "place": "Ariha"}, 42]', fmt="json")
    assert checked.rows_bad == 1
    assert checked.errors[0]["row"] == 2 and "not an object" in checked.errors[0]["message"]


def test_other_csv_with_a_mapping(researcher, places):
    data = "Event ID;Headline;Day;Town;Dead;Reported by\n".replace(";", ",")
    data += "X-1,Strike on Ariha bakery,2015-11-29,Ariha,12,Syria Civil Defence\n"
    mapping = {
        "external_id": "Event ID",
        "title": "Headline",
        "date_start": "Day",
        "place": "Town",
        "killed_min": "Dead",
        "killed_max": "Dead",
        "source": "Reported by",
    }
    checked, job = run_import(researcher, data.encode(), fmt="mapped_csv", mapping=mapping)
    assert job.status == "done", checked.errors
    incident = Incident.objects.get(external_id="X-1")
    assert incident.place == places["ariha"]
    claim = incident.claims.get()
    assert (claim.source.name, claim.killed_min, claim.killed_max) == ("Syria Civil Defence", 12, 12)


def test_verify_csv_without_title_column_is_sent_to_the_mapping(researcher, places):
    # Issue 20, item 11: another dataset's CSV is not refused as a verify CSV: its columns are to be mapped.
    checked, _ = run_import(researcher, b"name,date\nfoo,2015-11-29\n")
    assert checked.format == "mapped_csv"
    # Checked without a mapping (as the command line could), it is refused and its file deleted.
    assert checked.status == "failed" and "Choose which of the file's columns" in checked.failure
    assert not job_path(checked).exists(), "a refused file is deleted"


def test_a_one_cell_header_chosen_as_verify_csv_is_refused(researcher, places):
    checked, _ = run_import(researcher, b"<html><body>not a table</body></html>\n")
    assert checked.format == "verify_csv"
    assert checked.status == "failed" and "no 'title' column" in checked.failure


def test_the_documented_example_file_imports(researcher):
    """docs/examples/verify-import-example.csv against the real offline gazetteer."""
    from pathlib import Path

    from verify.gazetteer import services as gazetteer_services

    gazetteer_services.gazetteer_load()
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "verify-import-example.csv"
    checked, job = run_import(researcher, example.read_bytes())
    assert checked.rows_bad == 0, checked.errors
    assert job.summary["incidents_created"] == 3 and job.summary["claims_created"] == 4
    # Mouadamiyeh is not in GeoNames: flagged, and the row's own coordinates are used.
    assert any("Mouadamiyeh" in w["message"] for w in checked.warnings)
    ariha = Incident.objects.get(external_id="PARTNER-2015-001")
    assert ariha.place.name == "Arīḩā" and ariha.claims.count() == 3
    assert Incident.objects.get(external_id="PARTNER-2015-003").title == "قصف على حي سكني"
