import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests import factories
from verify.claims import entities, services
from verify.claims.models import Actor, ActorAlias, Source, SourceAlias
from verify.core.models import ConflictError


@pytest.fixture
def snhr(db) -> Source:
    source = factories.source("Syrian Network for Human Rights")
    entities.source_alias_add(source=source, name="SNHR")
    entities.source_alias_add(source=source, name="الشبكة السورية لحقوق الإنسان")
    return source


@pytest.mark.parametrize(
    "spelling",
    [
        "SNHR",
        "s.n.h.r.",
        "The Syrian Network for Human Rights",
        "syrian network for human-rights",
        "الشبكة السورية لحقوق الانسان",
    ],
)
def test_a_source_is_found_by_any_spelling_of_its_name_or_aliases(snhr, spelling):
    assert list(Source.objects.matching(spelling)) == [snhr]


def test_matching_finds_nothing_for_an_unknown_or_empty_name(snhr):
    assert not Source.objects.matching("SOHR").exists()
    assert not Source.objects.matching(" - ").exists()


def test_an_alias_that_is_another_sources_name_is_refused(snhr):
    other = factories.source("Syrian Observatory for Human Rights")
    with pytest.raises(ValidationError, match="already a name of Syrian Network"):
        entities.source_alias_add(source=other, name="the syrian network for human rights")
    assert not other.aliases.exists()


def test_an_alias_that_is_another_sources_alias_is_refused(snhr):
    other = factories.source("Syrian Observatory for Human Rights")
    with pytest.raises(ValidationError, match="already a name of Syrian Network"):
        entities.source_alias_add(source=other, name="S.N.H.R")
    assert SourceAlias.objects.count() == 2


def test_an_alias_repeating_the_sources_own_name_is_refused(snhr):
    with pytest.raises(ValidationError):
        entities.source_alias_add(source=snhr, name="SYRIAN NETWORK FOR HUMAN RIGHTS")


def test_the_database_refuses_two_aliases_with_one_form(snhr):
    other = factories.source("Other")
    with pytest.raises(IntegrityError):
        SourceAlias.objects.create(source=other, name="snhr")


def test_actor_aliases_match_and_are_separate_from_source_aliases(snhr):
    russia = factories.actor("Armed Forces of the Russian Federation")
    entities.actor_alias_add(actor=russia, name="Military Forces of Russia (2000-)")
    assert list(Actor.objects.matching("military forces of russia 2000")) == [russia]
    entities.actor_alias_add(actor=russia, name="SNHR")  # a source's alias is no actor's name
    assert ActorAlias.objects.count() == 2


def test_creating_a_source_by_an_alias_returns_the_known_source(snhr, researcher):
    assert services.source_create(data={"name": "S.N.H.R.", "kind": Source.Kind.NGO}, user=researcher) == snhr
    assert Source.objects.count() == 1


def test_an_actor_cannot_be_its_own_parent(researcher):
    actor = factories.actor("Armed Forces")
    with pytest.raises(ValidationError, match="part of itself"):
        entities.actor_update(actor=actor, user=researcher, data={"parent": actor}, expected_version=actor.version)
    assert Actor.objects.get(pk=actor.pk).parent is None


def test_a_cycle_of_parents_is_refused(researcher):
    top = factories.actor("Armed Forces")
    branch = factories.actor("Aerospace Forces", parent=top)
    unit = factories.actor("Unit", parent=branch)
    with pytest.raises(ValidationError, match="loop"):
        entities.actor_update(actor=top, user=researcher, data={"parent": unit}, expected_version=top.version)
    assert Actor.objects.get(pk=top.pk).parent is None


def test_a_parent_is_set_and_the_lineage_follows_it(researcher):
    top = factories.actor("Armed Forces")
    branch = factories.actor("Aerospace Forces")
    entities.actor_update(actor=branch, user=researcher, data={"parent": top}, expected_version=branch.version)
    branch.refresh_from_db()
    assert branch.lineage_ids() == [branch.pk, top.pk]
    assert top.descendant_ids() == {branch.pk}


def test_an_actor_may_not_take_a_name_another_has_as_alias(researcher):
    russia = factories.actor("Armed Forces of the Russian Federation")
    entities.actor_alias_add(actor=russia, name="Russian Armed Forces")
    with pytest.raises(ValidationError, match="already a name"):
        entities.actor_add(user=researcher, data={"name": "russian armed forces", "kind": Actor.Kind.OTHER})
    assert Actor.objects.count() == 1


def test_renaming_a_source_to_anothers_alias_is_refused(snhr, researcher):
    other = factories.source("Other")
    with pytest.raises(ValidationError):
        entities.source_update(source=other, user=researcher, data={"name": "SNHR"}, expected_version=other.version)
    assert Source.objects.get(pk=other.pk).name == "Other"


def test_two_editors_of_one_source_get_a_conflict(snhr, researcher, researcher2):
    first, second = Source.objects.get(pk=snhr.pk), Source.objects.get(pk=snhr.pk)
    entities.source_update(source=first, user=researcher, data={"notes": "one"}, expected_version=first.version)
    with pytest.raises(ConflictError):
        entities.source_update(source=second, user=researcher2, data={"notes": "two"}, expected_version=1)
    assert Source.objects.get(pk=snhr.pk).notes == "one"


def test_a_rating_records_who_when_why_and_keeps_its_history(snhr, researcher):
    entities.source_rate(
        source=snhr, user=researcher, reliability="B", rationale="Named victims, methodology.", expected_version=1
    )
    snhr.refresh_from_db()
    assert (snhr.reliability, snhr.rated_by, snhr.rated_at is not None) == ("B", researcher, True)
    latest = snhr.history.latest()
    assert (latest.reliability, latest.history_user, latest.history_change_reason) == ("B", researcher, "rated")


def test_a_rating_without_a_rationale_is_refused(snhr, researcher):
    with pytest.raises(ValidationError, match="why"):
        entities.source_rate(source=snhr, user=researcher, reliability="A", rationale="  ", expected_version=1)
    assert Source.objects.get(pk=snhr.pk).reliability == "B"
