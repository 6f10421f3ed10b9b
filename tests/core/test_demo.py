"""The demo case file: the late-2015 strikes, as the researchers would have logged them, loaded once."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from verify.accounts import roles
from verify.claims.models import Claim, Source, Stance
from verify.incidents.models import AttackType, Incident
from verify.web.demo import CHEMICAL_DESK, DEMO_USERS, demo_load

pytestmark = pytest.mark.django_db


def claims_of(reference: str):
    return Claim.objects.filter(incident__reference=reference).select_related("source", "perpetrator")


def row_counts() -> dict[str, int]:
    """Rows in every table Django knows, historical records included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def history_counts() -> dict[str, int]:
    return {
        "incident": Incident.history.count(),
        "claim": Claim.history.count(),
        "source": Source.history.count(),
    }


def test_demo_creates_the_ariha_market_strike_with_three_claims(demo):
    ariha = Incident.objects.get(reference="SYR-2015-0001")

    assert "Ariha" in ariha.title
    assert ariha.place.name == "Arīḩā"
    assert ariha.place.governorate.name == "Idlib"
    assert ariha.attack_type == AttackType.MISSILE
    assert claims_of("SYR-2015-0001").count() == 3


def test_demo_ariha_activists_count_34_killed_and_blame_russian_aircraft(demo):
    activists = claims_of("SYR-2015-0001").get(source__name="Local activists, Idlib")

    assert activists.stance == Stance.ALLEGES
    assert activists.killed_min == 34
    assert activists.perpetrator.name == "Russian Aerospace Forces"


def test_demo_ariha_amnesty_claim_has_49_killed_three_missiles_and_an_objective_300_m_away(demo):
    amnesty = claims_of("SYR-2015-0001").get(source__name="Amnesty International")

    assert amnesty.killed_min == 49
    assert amnesty.military_objective_present is True
    assert amnesty.military_objective_distance_m == 300
    assert "three missiles" in amnesty.munition.lower()


def test_demo_ariha_ministry_of_defence_denies(demo):
    mod = claims_of("SYR-2015-0001").get(source__name="Russian Ministry of Defence")

    assert mod.stance == Stance.DENIES


def test_demo_idlib_market_is_a_separate_incident(demo):
    ariha = Incident.objects.get(reference="SYR-2015-0001")
    idlib = Incident.objects.get(reference="SYR-2015-0002")

    assert idlib.pk != ariha.pk
    assert idlib.place.name == "Idlib"
    assert idlib.merged_into is None
    assert claims_of("SYR-2015-0002").get().source.name == "Amnesty International"


def test_demo_mouadamiyeh_has_barrel_bombs_and_a_restricted_chemical_claim_of_five_killed(demo):
    barrels = Incident.objects.get(reference="SYR-2015-0003")
    chemical = Incident.objects.get(reference="SYR-2015-0004")

    assert barrels.attack_type == AttackType.BARREL_BOMB
    assert barrels.place.name == "Moadamiyet al-Sham"
    assert "Mouadamiyeh" in barrels.place.alternative_names
    assert chemical.attack_type == AttackType.CHEMICAL
    assert chemical.place == barrels.place
    assert chemical.restricted is True
    original = claims_of("SYR-2015-0004").get(derived_from__isnull=True)
    assert (original.killed_min, original.killed_max) == (5, 5)


def test_demo_deir_ez_zor_oil_strike_is_acknowledged_by_the_ministry(demo):
    oil = Incident.objects.get(reference="SYR-2015-0005")
    claim = claims_of("SYR-2015-0005").get()

    assert oil.place.name == "Deir ez-Zor"
    assert claim.source.name == "Russian Ministry of Defence"
    assert claim.stance == Stance.ACKNOWLEDGES


def test_demo_cluster_munitions_are_alleged_by_hrw_and_denied_by_the_ministry(demo):
    stances = {c.source.name: c.stance for c in claims_of("SYR-2015-0006")}

    assert stances == {"Human Rights Watch": Stance.ALLEGES, "Russian Ministry of Defence": Stance.DENIES}
    hrw = claims_of("SYR-2015-0006").get(source__name="Human Rights Watch")
    assert "cluster" in hrw.munition.lower()


def test_demo_ministry_of_defence_speaks_for_a_party_to_the_conflict(demo):
    mod = Source.objects.get(name="Russian Ministry of Defence")

    assert mod.affiliation.name == "Russian Aerospace Forces"
    assert mod.affiliation.party_to_conflict is True
    assert mod.is_belligerent is True
    assert Source.objects.get(name="Amnesty International").is_belligerent is False


def test_demo_creates_one_user_per_role(demo):
    for username, _full_name, role, password in DEMO_USERS:
        user = User.objects.get(username=username)
        assert set(user.groups.values_list("name", flat=True)) - {CHEMICAL_DESK} == {role}
        assert user.check_password(password)
    for role in roles.ROLES:
        assert User.objects.filter(groups__name=role).count() == 1, role
    assert User.objects.get(username="admin").is_superuser


def test_demo_load_reports_what_it_created(demo):
    assert demo.created > 0


def test_demo_load_a_second_time_changes_nothing(demo):
    counts_before = row_counts()
    history_before = history_counts()
    incidents_before = list(Incident.objects.order_by("pk").values())
    claims_before = list(Claim.objects.order_by("pk").values())

    again = demo_load()

    assert again.created == 0
    assert history_counts() == history_before
    assert row_counts() == counts_before
    assert list(Incident.objects.order_by("pk").values()) == incidents_before
    assert list(Claim.objects.order_by("pk").values()) == claims_before


def test_demo_load_a_second_time_keeps_a_users_edit(demo):
    Claim.objects.filter(incident__reference="SYR-2015-0001", source__name="Amnesty International").update(
        excerpt="Edited by a researcher."
    )

    demo_load()

    amnesty = claims_of("SYR-2015-0001").get(source__name="Amnesty International")
    assert amnesty.excerpt == "Edited by a researcher."


def test_load_demo_command_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False

    with pytest.raises(CommandError, match="VERIFY_DEMO=1"):
        call_command("load_demo", stdout=StringIO())

    assert not Incident.objects.exists()
    assert not User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).exists()


def test_load_demo_command_loads_and_prints_the_sign_ins_in_demo_mode(settings):
    settings.DEMO_MODE = True
    out = StringIO()

    call_command("load_demo", stdout=out)

    output = out.getvalue()
    assert Incident.objects.filter(reference="SYR-2015-0001").exists()
    assert "Demo sign-ins" in output
    for username, _full_name, role, password in DEMO_USERS:
        assert username in output
        assert role in output
        assert password in output
