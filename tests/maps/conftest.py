from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from verify.claims.models import Stance
from verify.core.choices import LocationPrecision
from verify.gazetteer.models import Place
from verify.incidents.models import AttackType, Grade


@pytest.fixture
def places(db) -> dict[str, Place]:
    idlib_gov = factories.place(
        "Idlib", kind=Place.Kind.GOVERNORATE, name_ar="إدلب", alternative_names=["Idleb"], latitude=Decimal("35.8")
    )
    damascus_gov = factories.place(
        "Rif Dimashq", kind=Place.Kind.GOVERNORATE, latitude=Decimal("33.5"), longitude=Decimal("36.5")
    )
    return {
        "idlib_gov": idlib_gov,
        "ariha": factories.place(
            "Ariha", governorate=idlib_gov, alternative_names=["Arīḩā"], latitude=Decimal("35.813740")
        ),
        "idlib": factories.place(
            "Idlib", governorate=idlib_gov, name_ar="إدلب", alternative_names=["Idleb"], latitude=Decimal("35.93")
        ),
        "moadamiyeh": factories.place(
            "Moadamiyet al-Sham",
            governorate=damascus_gov,
            alternative_names=["Mouadamiyeh", "Moadamiyeh"],
            latitude=Decimal("33.461100"),
            longitude=Decimal("36.195300"),
        ),
    }


@pytest.fixture
def dataset(researcher, desk, places) -> dict:
    """A small case file with every filter dimension varied, and one restricted incident for the desk group,
    which the researcher belongs to."""
    researcher.groups.add(desk)
    russia = factories.actor("Russian Aerospace Forces", party_to_conflict=True)
    syria = factories.actor("Syrian government forces", party_to_conflict=True)
    amnesty = factories.source("Amnesty International")
    activists = factories.source("Local activists")
    ministry = factories.source("Russian Ministry of Defence", affiliation=russia)

    def make(title, place, day, **fields):
        p = places[place]
        return factories.incident(
            created_by=researcher,
            title=title,
            place=p,
            latitude=p.latitude,
            longitude=p.longitude,
            date_start=day,
            date_end=day,
            **fields,
        )

    market = make("Ariha market", "ariha", date(2015, 11, 29), attack_type=AttackType.MISSILE, target_type="market")
    factories.claim(incident=market, source=activists, killed_min=34, perpetrator=russia)
    factories.claim(incident=market, source=amnesty, killed_min=49, killed_max=49, perpetrator=russia)
    factories.claim(incident=market, source=ministry, stance=Stance.DENIES)
    market.grade, market.has_disagreements, market.denied_by_party = Grade.FAIR, True, True
    market.save()

    idlib = make("Idlib cluster strike", "idlib", date(2015, 11, 29), attack_type=AttackType.CLUSTER_MUNITION)
    factories.claim(incident=idlib, source=amnesty, killed_min=3, killed_max=5, perpetrator=syria)

    barrels = make("Barrel bombs on Moadamiyeh", "moadamiyeh", date(2015, 12, 23), attack_type="barrel_bomb")
    factories.claim(incident=barrels, source=activists, killed_min=7, killed_max=9, injured_min=20, perpetrator=syria)
    barrels.grade = Grade.WEAK
    barrels.save()

    spring = make(
        "Spring shelling in Ariha",
        "ariha",
        date(2016, 4, 2),
        attack_type="shelling",
        location_precision=LocationPrecision.DISTRICT,
    )

    undated = factories.incident(
        created_by=researcher, title="Undated report", date_start=None, date_end=None, latitude=None, longitude=None
    )

    secret = make(
        "Chemical attack report",
        "moadamiyeh",
        date(2015, 12, 22),
        attack_type="chemical",
        restricted=True,
        groups=[desk],
    )
    factories.claim(incident=secret, source=activists, killed_min=2, perpetrator=syria)
    secret.grade = Grade.FAIR
    secret.save()
    return {
        "market": market,
        "idlib": idlib,
        "barrels": barrels,
        "spring": spring,
        "undated": undated,
        "secret": secret,
        "russia": russia,
        "syria": syria,
        "amnesty": amnesty,
        "activists": activists,
        "ministry": ministry,
    }
