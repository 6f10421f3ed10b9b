"""A small, realistic demo case file built from the facts of late-2015 reporting on strikes in Syria.

Idempotent: everything is keyed by a natural key and only created when missing, so a second run changes
nothing, not even records a user has edited since.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction

from verify.accounts import roles
from verify.accounts.roles import DEMO_USERS
from verify.claims.models import Actor, Claim, Source, Stance
from verify.claims.services import claim_create
from verify.claims.starter import starter_entities_load
from verify.core.choices import Credibility, DatePrecision, LocationPrecision, Reliability
from verify.gazetteer.models import Place
from verify.gazetteer.services import gazetteer_load
from verify.incidents.duplicates import duplicates_refresh
from verify.incidents.models import AttackType, Grade, Incident, TargetType
from verify.review.models import ReviewDecision
from verify.review.services import incident_submit, overrides, review_decide, review_take

CHEMICAL_DESK = "Chemical weapons desk"


@dataclass
class DemoResult:
    created: int = 0

    def add(self, created: bool) -> None:
        self.created += int(created)


def _users(result: DemoResult) -> dict[str, User]:
    users = {}
    for username, full_name, role, password in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, email=f"{username}@verify.example", password=password, first_name=first, last_name=last
            )
            user.groups.add(Group.objects.get(name=role))
            if role == roles.ADMIN:
                user.is_staff = user.is_superuser = True
                user.save()
            result.add(True)
        users[username] = user
    desk, created = Group.objects.get_or_create(name=CHEMICAL_DESK)
    result.add(created)
    if created:
        desk.user_set.add(users["researcher"], users["reviewer"])
    return users


def _place(result: DemoResult, geonames_name: str) -> Place:
    return Place.objects.filter(name=geonames_name, geonames_id__isnull=False).first()


def _mouadamiyeh(result: DemoResult, user: User) -> Place:
    place = Place.objects.filter(name="Moadamiyet al-Sham").first()
    if place is None:
        place = Place.objects.create(
            name="Moadamiyet al-Sham",
            name_ar="معضمية الشام",
            alternative_names=["Mouadamiyeh", "Moadamiyeh", "Muadamiyat al-Sham", "Al-Mu'addamiyah", "Moadamiya"],
            kind=Place.Kind.LOCALITY,
            governorate=Place.objects.governorates().get(name="Rif Dimashq"),
            latitude=Decimal("33.461100"),
            longitude=Decimal("36.195300"),
            created_by=user,
        )
        result.add(True)
    return place


def _actors(result: DemoResult) -> dict[str, Actor]:
    specs = {
        "russia": ("Russian Aerospace Forces", "VKS", Actor.Kind.BRANCH, True),
        "syria": ("Syrian government forces", "SAA", Actor.Kind.STATE_ARMED_FORCE, True),
        "coalition": ("US-led coalition", "CJTF-OIR", Actor.Kind.COALITION, True),
        "opposition": ("Armed opposition groups", "", Actor.Kind.ARMED_GROUP, True),
    }
    actors = {}
    for key, (name, short, kind, party) in specs.items():
        actor, created = Actor.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "party_to_conflict": party}
        )
        result.add(created)
        actors[key] = actor
    return actors


def _sources(result: DemoResult, actors: dict[str, Actor]) -> dict[str, Source]:
    specs = {
        "amnesty": (
            "Amnesty International",
            Source.Kind.NGO,
            None,
            Reliability.B,
            "Long record of documented field research; this work was done remotely, from photos, video and "
            "interviews with residents and first responders.",
        ),
        "hrw": (
            "Human Rights Watch",
            Source.Kind.NGO,
            None,
            Reliability.B,
            "Established methodology for identifying munitions from imagery and remnants.",
        ),
        "idlib_activists": (
            "Local activists, Idlib",
            Source.Kind.LOCAL_ACTIVISTS,
            None,
            Reliability.C,
            "Close to events and quick to report, but aligned with the opposition and unable to attribute strikes "
            "with certainty.",
        ),
        "rif_activists": (
            "Local activists, Moadamiyet al-Sham",
            Source.Kind.LOCAL_ACTIVISTS,
            None,
            Reliability.D,
            "Single network inside a besieged town; earlier reports could not be confirmed independently.",
        ),
        "mod": (
            "Russian Ministry of Defence",
            Source.Kind.GOVERNMENT,
            actors["russia"],
            Reliability.D,
            "Speaks for a party to the conflict; issues blanket denials of civilian harm.",
        ),
        "wire": (
            "International wire service",
            Source.Kind.NEWS_AGENCY,
            None,
            Reliability.C,
            "Reliable for what it witnessed; here it relays activists' accounts without its own access.",
        ),
    }
    sources = {}
    for key, (name, kind, affiliation, reliability, rationale) in specs.items():
        source, created = Source.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "affiliation": affiliation,
                "reliability": reliability,
                "reliability_rationale": rationale,
            },
        )
        result.add(created)
        sources[key] = source
    return sources


def _incident(result: DemoResult, reference: str, *, user: User, groups=(), **fields) -> Incident:
    """A draft with a fixed reference (the demo's references are cited in the docs); its status comes later, from
    the workflow (see _review)."""
    incident = Incident.objects.filter(reference=reference).first()
    if incident is None:
        incident = Incident(reference=reference, created_by=user, last_edited_by=user, **fields)
        incident._history_user = user
        incident.full_clean()
        incident.save()
        if groups:
            incident.allowed_groups.set(groups)
        duplicates_refresh([incident.pk])
        result.add(True)
    return incident


def _claim(result: DemoResult, incident: Incident, source: Source, stance: str, *, user: User, **fields) -> Claim:
    claim = Claim.objects.filter(incident=incident, source=source, stance=stance).first()
    if claim is None:
        claim = claim_create(user=user, incident=incident, data={"source": source, "stance": stance, **fields})
        result.add(True)
    return claim


def _review(
    result: DemoResult, incident: Incident, *, researcher: User, reviewer: User, grade: str, note: str, verify: bool
) -> None:
    """Take a demo incident through the workflow as a team would: submitted, and, with `verify`, taken and verified."""
    if incident.transitions.exists():
        return
    incident = incident_submit(incident=incident, user=researcher)
    if verify:
        incident = review_take(incident=incident, user=reviewer)
        review_decide(
            incident=incident,
            user=reviewer,
            verdict=ReviewDecision.Verdict.VERIFY,
            grade=grade,
            note=note,
            override_rationale=note if overrides(incident.suggested_grade, grade) else "",
            expected_version=incident.version,
        )
    result.add(True)


@transaction.atomic
def demo_load() -> DemoResult:
    result = DemoResult()
    if not Place.objects.governorates().exists():
        gazetteer_load()
    users = _users(result)
    researcher, reviewer = users["researcher"], users["reviewer"]
    actors = _actors(result)
    sources = _sources(result, actors)
    # The starter list gives the demo's sources and actors their other names (SNHR, Russian MoD, "Military Forces
    # of Russia (2000-)"), the Russian Aerospace Forces their parent, and adds the other main sources unrated.
    result.add(bool(starter_entities_load().created))
    ariha = _place(result, "Arīḩā")
    idlib = _place(result, "Idlib")
    deir = Place.objects.governorates().get(name="Deir ez-Zor")
    mouadamiyeh = _mouadamiyeh(result, researcher)

    market = _incident(
        result,
        "SYR-2015-0001",
        user=researcher,
        title="Missile strike on Ariha market",
        summary=(
            "Missiles hit the crowded main market street of Ariha in the middle of the day. Cars caught fire and "
            "many shoppers were among the dead. Activists blamed Russian aircraft; Amnesty International later "
            "gave a higher toll. The Russian Ministry of Defence rejected the allegations."
        ),
        date_start=date(2015, 11, 29),
        date_end=date(2015, 11, 29),
        date_precision=DatePrecision.DAY,
        place=ariha,
        location_name="Main market street, Ariha",
        latitude=ariha.latitude,
        longitude=ariha.longitude,
        location_precision=LocationPrecision.NEIGHBOURHOOD,
        attack_type=AttackType.MISSILE,
        target_type=TargetType.MARKET,
    )
    _claim(
        result,
        market,
        sources["idlib_activists"],
        Stance.ALLEGES,
        user=researcher,
        published_on=date(2015, 11, 29),
        excerpt="Activists counted at least 34 civilians dead after the market was hit and blamed Russian jets.",
        killed_min=34,
        perpetrator=actors["russia"],
        munition="Missiles",
        event_date=date(2015, 11, 29),
        place=ariha,
        location_precision=LocationPrecision.TOWN,
        credibility=Credibility.POSSIBLY_TRUE,
    )
    _claim(
        result,
        market,
        sources["amnesty"],
        Stance.ALLEGES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt=(
            "Three missiles struck the busy market, killing 49 civilians; a first responder put the nearest "
            "opposition base about 300 m from the impact site."
        ),
        killed_min=49,
        killed_max=49,
        perpetrator=actors["russia"],
        munition="Three missiles",
        event_date=date(2015, 11, 29),
        place=ariha,
        location_precision=LocationPrecision.NEIGHBOURHOOD,
        military_objective_present=True,
        military_objective_distance_m=300,
        credibility=Credibility.PROBABLY_TRUE,
    )
    _claim(
        result,
        market,
        sources["mod"],
        Stance.DENIES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt=(
            "The ministry's spokesman dismissed the findings as untrue and said they rested on information from "
            "militants that could not be checked."
        ),
        credibility=Credibility.DOUBTFUL,
    )
    _review(result, market, researcher=researcher, reviewer=reviewer, grade="", note="", verify=False)

    idlib_market = _incident(
        result,
        "SYR-2015-0002",
        user=reviewer,
        title="Missile strike on central Idlib market",
        summary=(
            "Logged from Amnesty International's report, which places a three-missile strike on a crowded market "
            "'in the centre of Idleb'. Probably the Ariha market strike described with a looser location."
        ),
        date_start=date(2015, 11, 29),
        date_end=date(2015, 11, 29),
        date_precision=DatePrecision.DAY,
        place=idlib,
        latitude=idlib.latitude,
        longitude=idlib.longitude,
        location_precision=LocationPrecision.DISTRICT,
        attack_type=AttackType.MISSILE,
        target_type=TargetType.MARKET,
    )
    _claim(
        result,
        idlib_market,
        sources["amnesty"],
        Stance.ALLEGES,
        user=reviewer,
        published_on=date(2015, 12, 23),
        excerpt="A three-missile strike on a crowded market in Idlib killed 49 civilians.",
        killed_min=49,
        killed_max=49,
        perpetrator=actors["russia"],
        munition="Three missiles",
        event_date=date(2015, 11, 29),
        place=idlib,
        location_precision=LocationPrecision.DISTRICT,
        military_objective_present=True,
        military_objective_distance_m=300,
        credibility=Credibility.PROBABLY_TRUE,
    )

    barrels = _incident(
        result,
        "SYR-2015-0003",
        user=researcher,
        title="Helicopter barrel bombs on Moadamiyet al-Sham",
        summary=(
            "Government helicopters dropped barrels packed with explosives on the opposition-held town south-west "
            "of Damascus while gunfire was heard on the ground."
        ),
        date_start=date(2015, 12, 23),
        date_end=date(2015, 12, 23),
        date_precision=DatePrecision.APPROXIMATE_DAY,
        place=mouadamiyeh,
        latitude=mouadamiyeh.latitude,
        longitude=mouadamiyeh.longitude,
        location_precision=LocationPrecision.TOWN,
        attack_type=AttackType.BARREL_BOMB,
        target_type=TargetType.RESIDENTIAL,
        grade=Grade.WEAK,
        grade_rationale="One independent source; no casualty figures yet.",
    )
    _claim(
        result,
        barrels,
        sources["rif_activists"],
        Stance.ALLEGES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt="Helicopters dropped barrel bombs on the town as fighting continued on its edges.",
        perpetrator=actors["syria"],
        munition="Barrel bombs dropped from helicopters",
        event_date=date(2015, 12, 23),
        place=mouadamiyeh,
        credibility=Credibility.POSSIBLY_TRUE,
    )
    _review(
        result,
        barrels,
        researcher=researcher,
        reviewer=reviewer,
        grade=Grade.WEAK,
        note="Single activist source, consistent with the pattern of helicopter attacks on the town.",
        verify=True,
    )

    chemical = _incident(
        result,
        "SYR-2015-0004",
        user=researcher,
        groups=[Group.objects.get(name=CHEMICAL_DESK)],
        title="Alleged chemical attack in Moadamiyet al-Sham",
        summary=(
            "Activists reported that five people, one of them a civilian, suffocated during the night before the "
            "barrel-bomb attack. No other source has confirmed a chemical agent. Restricted while witnesses are "
            "being contacted."
        ),
        date_start=date(2015, 12, 22),
        date_end=date(2015, 12, 22),
        date_precision=DatePrecision.APPROXIMATE_DAY,
        place=mouadamiyeh,
        latitude=mouadamiyeh.latitude,
        longitude=mouadamiyeh.longitude,
        location_precision=LocationPrecision.TOWN,
        attack_type=AttackType.CHEMICAL,
        target_type=TargetType.RESIDENTIAL,
        restricted=True,
    )
    rif_claim = _claim(
        result,
        chemical,
        sources["rif_activists"],
        Stance.ALLEGES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt=(
            "Five people, including one civilian, died of suffocation overnight; activists suspect a chemical agent."
        ),
        killed_min=5,
        killed_max=5,
        perpetrator=actors["syria"],
        munition="Suspected chemical agent",
        event_date=date(2015, 12, 22),
        place=mouadamiyeh,
        credibility=Credibility.DOUBTFUL,
    )
    _claim(
        result,
        chemical,
        sources["wire"],
        Stance.CORROBORATES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt="Relays the activists' account of five deaths by suffocation; notes it could not be confirmed.",
        killed_min=5,
        killed_max=5,
        event_date=date(2015, 12, 22),
        credibility=Credibility.CANNOT_BE_JUDGED,
        derived_from=rif_claim,
    )

    oil = _incident(
        result,
        "SYR-2015-0005",
        user=researcher,
        title="Strikes on oil storage in Deir ez-Zor province",
        summary=(
            "The Russian Ministry of Defence said Su-34 jets destroyed two oil storage facilities and several fuel "
            "pumps serving oilfields it described as controlled by terrorists."
        ),
        date_start=date(2015, 12, 16),
        date_end=date(2015, 12, 23),
        date_precision=DatePrecision.WEEK,
        place=deir,
        latitude=deir.latitude,
        longitude=deir.longitude,
        location_precision=LocationPrecision.GOVERNORATE,
        attack_type=AttackType.AIRSTRIKE,
        target_type=TargetType.INFRASTRUCTURE,
        grade=Grade.CONFIRMED,
        grade_rationale="The perpetrator's own ministry announced the strikes.",
    )
    _claim(
        result,
        oil,
        sources["mod"],
        Stance.ACKNOWLEDGES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt=(
            "Announced that Su-34 aircraft destroyed two oil storage sites and multiple fuel pumps in the province."
        ),
        perpetrator=actors["russia"],
        munition="Su-34 air strikes",
        place=deir,
        location_precision=LocationPrecision.GOVERNORATE,
        credibility=Credibility.PROBABLY_TRUE,
    )
    _review(
        result,
        oil,
        researcher=researcher,
        reviewer=reviewer,
        grade=Grade.CONFIRMED,
        note="Acknowledged by the Ministry of Defence; no civilian casualties are claimed by any source.",
        verify=True,
    )

    cluster = _incident(
        result,
        "SYR-2015-0006",
        user=researcher,
        title="Cluster munitions in Russian strikes",
        summary=(
            "Human Rights Watch documented cluster munitions on at least 20 occasions since the start of the "
            "Russian air campaign on 30 September. The Ministry of Defence said Russia has no such weapons at its "
            "Syrian base. Locations are to be split into separate incidents as they are confirmed."
        ),
        date_start=date(2015, 9, 30),
        date_end=date(2015, 12, 20),
        date_precision=DatePrecision.MONTH,
        location_name="Several governorates (Aleppo, Idlib, Homs)",
        location_precision=LocationPrecision.GOVERNORATE,
        attack_type=AttackType.CLUSTER_MUNITION,
        target_type=TargetType.UNKNOWN,
    )
    _claim(
        result,
        cluster,
        sources["hrw"],
        Stance.ALLEGES,
        user=researcher,
        published_on=date(2015, 12, 20),
        excerpt="Cluster munitions were used in at least 20 attacks since the Russian campaign began.",
        perpetrator=actors["russia"],
        munition="Cluster munitions",
        credibility=Credibility.PROBABLY_TRUE,
    )
    _claim(
        result,
        cluster,
        sources["mod"],
        Stance.DENIES,
        user=researcher,
        published_on=date(2015, 12, 23),
        excerpt="Said Russian aviation does not use cluster munitions and has none at its base in Syria.",
        credibility=Credibility.DOUBTFUL,
    )
    _review(result, cluster, researcher=researcher, reviewer=reviewer, grade="", note="", verify=False)

    from verify.claims.crosscheck import crosscheck_recompute_all

    # The flags and suggested grades of the demo incidents; a second run changes nothing.
    crosscheck_recompute_all([market, idlib_market, barrels, chemical, oil, cluster])
    return result
