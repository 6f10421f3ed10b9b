"""Imports resolve names, they do not multiply them: aliases, the researcher's mapping of unknown names (remembered
as aliases), and ACLED's spellings of the governorates."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.imports.conftest import run_import, verify_csv
from verify.claims import services as claim_services
from verify.claims.crosscheck import incident_crosscheck
from verify.claims.entities import actor_alias_add, source_alias_add
from verify.claims.merging import actor_merge
from verify.claims.models import Actor, Claim, Source
from verify.gazetteer.models import Place
from verify.imports import services
from verify.imports.models import ImportJob, ImportStatus
from verify.imports.tasks import import_commit_task, import_validate_task
from verify.incidents.models import Grade, Incident

pytestmark = pytest.mark.django_db

ACLED_HEADER = (
    "data_id,event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,admin1,admin2,"
    "location,latitude,longitude,geo_precision,source,notes,fatalities\n"
)


def acled(*events: tuple[str, str, str, str, str]) -> bytes:
    """Events as (id, admin1, location, actor1, source); coordinates near Douma."""
    lines = [
        f"{n},{n},2016-02-0{i + 1},2016,1,Explosions/Remote violence,Air/drone strike,{actor},,{admin1},,{location},"
        f"33.5700,36.4000,1,{source},Airstrike.,3\n"
        for i, (n, admin1, location, actor, source) in enumerate(events)
    ]
    return (ACLED_HEADER + "".join(lines)).encode()


@pytest.fixture
def rif(db) -> dict[str, Place]:
    governorate = factories.place(
        "Rif Dimashq", kind=Place.Kind.GOVERNORATE, latitude=Decimal("33.5"), longitude=Decimal("36.6")
    )
    return {
        "governorate": governorate,
        "douma": factories.place(
            "Douma", governorate=governorate, latitude=Decimal("33.57"), longitude=Decimal("36.4")
        ),
    }


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


RUSSIA = "Military Forces of Russia (2000-)"
UNKNOWN_GROUP = "Unidentified Armed Group (Syria)"


def check(client, data: bytes) -> ImportJob:
    client.post(reverse("imports:start"), {"file": SimpleUploadedFile("acled.csv", data), "format": "acled"})
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None
    return job


def test_rural_damascus_is_rif_dimashq(researcher, rif):
    checked, job = run_import(researcher, acled(("E1", "Rural Damascus", "Douma", "", "Local Media")), fmt="acled")
    assert job.status == ImportStatus.DONE, checked.errors
    assert Incident.objects.get(external_id="E1").place == rif["douma"]
    assert checked.warnings == []


@pytest.mark.parametrize(
    ("admin1", "governorate"),
    [
        ("Dar'a", "Daraa"),
        ("Al Hasakeh", "Al-Hasakah"),
        ("Ar-Raqqa", "Raqqa"),
        ("Deir-ez-Zor", "Deir ez-Zor"),
        ("Idleb", "Idlib"),
        ("As-Sweida", "As-Suwayda"),
        ("Tartous", "Tartus"),
        ("Lattakia", "Latakia"),
        ("Rural Damascus", "Rif Dimashq"),
    ],
)
def test_acled_admin1_spellings_find_the_governorate(researcher, admin1, governorate):
    gov = factories.place(governorate, kind=Place.Kind.GOVERNORATE)
    checked, job = run_import(researcher, acled(("E1", admin1, "", "", "Local Media")), fmt="acled")
    assert job.status == ImportStatus.DONE, checked.errors
    assert Incident.objects.get(external_id="E1").place == gov


def test_unknown_town_keeps_its_governorate_with_a_warning(researcher, rif):
    checked, job = run_import(
        researcher, acled(("E1", "Rural Damascus", "Nowhereville", "", "Local Media")), fmt="acled"
    )
    assert job.status == ImportStatus.DONE
    incident = Incident.objects.get(external_id="E1")
    assert incident.place == rif["governorate"]
    assert (incident.latitude, incident.longitude) == (Decimal("33.570000"), Decimal("36.400000"))
    assert any("Nowhereville" in w["message"] and "Rif Dimashq" in w["message"] for w in checked.warnings)


def test_a_place_under_another_governorate_is_offered_not_dropped(researcher, rif):
    other = factories.place("Harasta", governorate=factories.place("Homs", kind=Place.Kind.GOVERNORATE))
    checked, job = run_import(researcher, acled(("E1", "Rural Damascus", "Harasta", "", "Local Media")), fmt="acled")
    assert job.status == ImportStatus.DONE
    assert Incident.objects.get(external_id="E1").place == rif["governorate"]
    [warning] = checked.warnings
    assert warning["column"] == "place" and "Harasta (Homs)" in warning["message"]
    assert other.pk  # the place found elsewhere is named, not used


def test_sources_and_actors_are_matched_through_aliases(researcher, rif):
    snhr = factories.source("Syrian Network for Human Rights")
    source_alias_add(source=snhr, name="SNHR")
    russia = factories.actor("Russian Aerospace Forces")
    actor_alias_add(actor=russia, name="VKS")
    checked, _ = run_import(researcher, acled(("E1", "Rural Damascus", "Douma", "vks", "the S.N.H.R.")), fmt="acled")
    assert checked.summary["unmatched_sources"] == [] and checked.summary["unmatched_actors"] == []
    claim = Claim.objects.get()
    assert (claim.source, claim.perpetrator) == (snhr, russia)
    assert Source.objects.count() == 1 and Actor.objects.count() == 1


def test_an_entity_the_importer_cannot_see_is_not_matched(researcher2, rif, restricted_incident):
    hidden = factories.source("Secret Informant Network", restricted_origin=True)
    factories.claim(incident=restricted_incident, source=hidden)
    checked, _ = run_import(
        researcher2, acled(("E1", "Rural Damascus", "Douma", "", "secret informant network")), fmt="acled"
    )
    # Predicted as new, exactly as an unknown name: the check confirms nothing about the hidden source.
    assert checked.summary["unmatched_sources"] == [
        {"key": "secret informant network", "name": "secret informant network", "rows": 1}
    ]


def test_unknown_names_are_grouped_mapped_remembered_and_not_asked_again(client, researcher, rif):
    russia = factories.actor("Russian Aerospace Forces")
    client.force_login(researcher)
    job = check(
        client,
        acled(
            ("E1", "Rural Damascus", "Douma", RUSSIA, "Local Media"),
            ("E2", "Rural Damascus", "Douma", RUSSIA, "Local Media"),
            ("E3", "Rural Damascus", "Douma", UNKNOWN_GROUP, "local media"),
        ),
    )
    assert job.status == ImportStatus.VALIDATED, job.errors
    assert job.summary["unmatched_actors"] == [
        {"key": "military forces of russia 2000", "name": RUSSIA, "rows": 2},
        {"key": "unidentified armed group syria", "name": UNKNOWN_GROUP, "rows": 1},
    ]
    assert job.summary["unmatched_sources"] == [{"key": "local media", "name": "Local Media", "rows": 3}]
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert RUSSIA in page and "Russian Aerospace Forces" in page and "2 rows" in page

    client.post(
        reverse("imports:decide", args=[job.pk]),
        {"decision": "import", "actor_0": str(russia.pk), "actor_1": "", "source_0": ""},
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.failure, job.errors)
    perpetrators = dict(Claim.objects.values_list("incident__external_id", "perpetrator__name"))
    assert perpetrators == {"E1": russia.name, "E2": russia.name, "E3": UNKNOWN_GROUP}
    assert list(russia.aliases.values_list("name", flat=True)) == [RUSSIA]
    assert Source.objects.filter(name="Local Media").count() == 1

    second = check(client, acled(("E4", "Rural Damascus", "Douma", RUSSIA, "LOCAL MEDIA")))
    assert second.summary["unmatched_actors"] == [] and second.summary["unmatched_sources"] == []
    client.post(reverse("imports:decide", args=[second.pk]), {"decision": "import"})
    assert Claim.objects.get(incident__external_id="E4").perpetrator == russia
    assert Actor.objects.count() == 2


def test_a_mapping_to_an_entity_the_importer_cannot_see_is_refused(client, researcher2, rif, restricted_incident):
    hidden = factories.actor("Hidden Unit", restricted_origin=True)
    factories.claim(incident=restricted_incident, perpetrator=hidden)
    client.force_login(researcher2)
    job = check(client, acled(("E1", "Rural Damascus", "Douma", RUSSIA, "Local Media")))
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Hidden Unit" not in page
    response = client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import", "actor_0": str(hidden.pk)})
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and not Incident.objects.filter(external_id="E1").exists()
    assert not hidden.aliases.exists()
    assert response.status_code == 302


def test_snhr_import_then_claim_from_the_full_name_counts_one_source(researcher, places):
    call_command("load_starter_entities", verbosity=0)
    snhr = Source.objects.get(name="Syrian Network for Human Rights")
    rows = [
        {"external_id": "SNHR-1", "title": "Strike on Ariha", "date_start": "2015-11-29", "governorate": "Idlib",
         "place": "Ariha", "source": "SNHR", "stance": "alleges", "killed_min": "9", "killed_max": "9",
         "perpetrator": "Military Forces of Russia (2000-)"},
    ]  # fmt: skip
    checked, job = run_import(researcher, verify_csv(rows).encode())
    assert job.status == ImportStatus.DONE, checked.errors
    assert checked.summary["unmatched_sources"] == [] and checked.summary["unmatched_actors"] == []
    incident = Incident.objects.get(external_id="SNHR-1")
    assert incident.claims.get().source == snhr
    russia = Actor.objects.get(name="Armed Forces of the Russian Federation")
    claim_services.claim_create(
        user=researcher,
        incident=incident,
        data={"source": snhr, "stance": "alleges", "killed_min": 9, "killed_max": 9, "perpetrator": russia},
    )
    check_ = incident_crosscheck(incident)
    assert check_.suggestion.grade != Grade.CONTESTED
    assert "according to 1 source" in check_.summary
    incident.refresh_from_db()
    assert incident.suggested_grade != Grade.CONTESTED
    assert Source.objects.filter(name="SNHR").count() == 0


def test_a_restricted_import_uses_a_mapping_but_does_not_remember_it(researcher, rif, desk):
    russia = factories.actor("Russian Aerospace Forces")
    job = services.import_job_create(
        user=researcher,
        chunks=[acled(("E1", "Rural Damascus", "Douma", RUSSIA, "Local Media"))],
        filename="acled.csv",
        fmt="acled",
        start=False,
        allowed_groups=[desk],
    )
    import_validate_task.apply(args=[job.pk])
    job.refresh_from_db()
    key = job.summary["unmatched_actors"][0]["key"]
    services.import_confirm(job=job, good_rows_only=False, queue=False, resolutions={"actors": {key: russia.pk}})
    import_commit_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Claim.objects.get().perpetrator == russia
    assert not russia.aliases.exists()


def test_a_mapping_that_no_longer_holds_imports_nothing_and_can_be_decided_again(client, researcher, admin_user, rif):
    russia, other = factories.actor("Russian Aerospace Forces"), factories.actor("Armed Forces of Russia")
    client.force_login(researcher)
    job = check(client, acled(("E1", "Rural Damascus", "Douma", RUSSIA, "Local Media")))
    key = job.summary["unmatched_actors"][0]["key"]
    services.import_confirm(job=job, good_rows_only=False, queue=False, resolutions={"actors": {key: russia.pk}})
    actor_merge(actor=russia, into=other, user=admin_user, reason="one force")  # between the decision and the import
    import_commit_task.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert f"“{RUSSIA}” was mapped to a record you can no longer choose" in job.failure
    assert not Incident.objects.exists() and not Source.objects.filter(name="Local Media").exists()
    assert not other.aliases.filter(name=RUSSIA).exists()
    # The merged actor is no longer offered; the page lets the researcher decide again.
    response = client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import", "actor_0": str(russia.pk)})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED and not Incident.objects.exists()
    client.post(reverse("imports:decide", args=[job.pk]), {"decision": "import", "actor_0": str(other.pk)})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Claim.objects.get().perpetrator == other


def test_a_name_with_no_letter_is_a_bad_row_and_an_unknown_town_keeps_its_name(researcher, rif):
    rows = [
        {"title": "Strike A", "date_start": "2016-01-01", "governorate": "Rural Damascus", "place": "Nowhereville",
         "source": "???"},
        {"title": "Strike B", "date_start": "2016-01-02", "governorate": "Rural Damascus", "place": "Nowhereville",
         "source": "Local Media"},
    ]  # fmt: skip
    checked, job = run_import(researcher, verify_csv(rows).encode(), good_rows=True)
    assert [(e["row"], e["column"]) for e in checked.errors] == [(2, "source")]
    assert job.status == ImportStatus.DONE
    strike = Incident.objects.get()
    assert (strike.place, strike.location_name, strike.location_precision) == (
        rif["governorate"],
        "Nowhereville",
        "governorate",
    )
