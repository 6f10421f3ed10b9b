"""Small factories: each makes one valid object, with keyword overrides."""

from datetime import date
from decimal import Decimal
from itertools import count

from django.contrib.auth.models import Group, User

from verify.claims.models import Actor, Claim, Source, Stance
from verify.core.choices import Reliability
from verify.gazetteer.models import Place
from verify.incidents import services as incident_services
from verify.incidents.models import Incident

_seq = count(1)


def user(username: str | None = None, *, role: str | None = "Researcher", password: str = "pw-for-tests-123") -> User:
    username = username or f"user{next(_seq)}"
    u = User.objects.create_user(username, password=password, first_name=username.title())
    if role:
        u.groups.add(Group.objects.get(name=role))
    return u


def place(name: str = "Testville", **fields) -> Place:
    defaults = {"latitude": Decimal("35.800000"), "longitude": Decimal("36.600000"), "alternative_names": []}
    defaults.update(fields)
    return Place.objects.create(name=name, **defaults)


def incident(*, created_by: User, groups: list[Group] | None = None, **fields) -> Incident:
    data = {
        "title": f"Strike {next(_seq)}",
        "date_start": date(2015, 11, 29),
        "date_end": date(2015, 11, 29),
        "latitude": Decimal("35.813740"),
        "longitude": Decimal("36.609640"),
    }
    data.update(fields)
    return incident_services.incident_create(user=created_by, data=data, allowed_groups=groups)


def actor(name: str | None = None, **fields) -> Actor:
    return Actor.objects.create(name=name or f"Actor {next(_seq)}", **fields)


def source(name: str | None = None, **fields) -> Source:
    fields.setdefault("reliability", Reliability.B)
    return Source.objects.create(name=name or f"Source {next(_seq)}", **fields)


def claim(*, incident: Incident, created_by: User | None = None, **fields) -> Claim:
    fields.setdefault("source", source())
    fields.setdefault("stance", Stance.ALLEGES)
    c = Claim(incident=incident, created_by=created_by or incident.created_by, **fields)
    c.full_clean()
    c.save()
    return c


def claimed_incident(*, created_by: User, groups: list[Group] | None = None, **fields) -> Incident:
    """An incident with one claim alleging the attack: what the workflow needs before it can be submitted."""
    made = incident(created_by=created_by, groups=groups, **fields)
    claim(incident=made)
    return made
