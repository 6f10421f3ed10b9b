from django.core.management import call_command

from tests import factories
from verify.claims.models import Actor, Source
from verify.claims.starter import starter_entities_load


def test_the_starter_list_resolves_the_common_names_of_sources_and_actors(db):
    starter_entities_load()
    snhr = Source.objects.get(name="Syrian Network for Human Rights")
    for name in ("SNHR", "الشبكة السورية لحقوق الانسان", "syrian network for human rights"):
        assert list(Source.objects.matching(name)) == [snhr]
    assert Source.objects.matching("White Helmets").get().name == "Syrian Civil Defence"
    assert Source.objects.matching("المرصد السوري لحقوق الإنسان").get().name == "Syrian Observatory for Human Rights"
    russia = Actor.objects.matching("Military Forces of Russia (2000-)").get()
    assert russia.name == "Armed Forces of the Russian Federation"
    vks = Actor.objects.get(name="Russian Aerospace Forces")
    assert (vks.parent, vks.kind) == (russia, Actor.Kind.BRANCH)
    assert Actor.objects.matching("Military Forces of Syria (2000-)").get().name == "Syrian Arab Armed Forces"
    assert Source.objects.get(name="Russian Ministry of Defence").affiliation == russia


def test_loading_twice_changes_nothing(db):
    starter_entities_load()
    counts = (Source.objects.count(), Actor.objects.count())
    again = starter_entities_load()
    assert (again.created, again.aliases_added) == ([], 0)
    assert (Source.objects.count(), Actor.objects.count()) == counts


def test_an_entity_the_team_already_has_gets_the_aliases_and_keeps_its_rating(db):
    mine = factories.source("SNHR", reliability="B", reliability_rationale="Ours.")
    starter_entities_load()
    mine.refresh_from_db()
    assert (mine.name, mine.reliability) == ("SNHR", "B")
    assert Source.objects.matching("Syrian Network for Human Rights").get() == mine


def test_the_command_reports_what_it_loaded(db, capsys):
    call_command("load_starter_entities")
    assert "aliases" in capsys.readouterr().out


def test_the_demo_carries_the_aliases(demo):
    assert Source.objects.matching("Russian MoD").get().name == "Russian Ministry of Defence"
    assert (
        Actor.objects.matching("Military Forces of Russia (2000-)")
        .get()
        .children.filter(name="Russian Aerospace Forces")
        .exists()
    )
