"""The data the crawler looks for: a public incident with ordinary content, and a restricted one whose every
piece of text carries a marker.

Everything is made through the services, as researchers and reviewers make it in the app, so that side
records (history rows, custody events, status transitions, notifications) exist as they would in production.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from django.contrib.auth.models import Group, User
from django.db import models

from tests import factories
from tests.evidence.conftest import jpeg
from verify.claims import services as claim_services
from verify.claims.models import Actor, Claim, Source, Stance
from verify.evidence import services as evidence_services
from verify.evidence.models import CustodyEvent, EvidenceItem, VerificationCheck
from verify.imports import services as import_services
from verify.imports.models import ImportFormat, ImportJob
from verify.incidents import services as incident_services
from verify.incidents.models import Grade, Incident, StatusTransition
from verify.review import services as review_services
from verify.review.models import Comment, Notification, ReviewDecision

MARK = "ZQXMARKER"
# What the crawler searches for: the marker followed by a field suffix. A search for the bare marker (which a
# page may echo back in its search box) does not match.
MARKER_PATTERN = rf"(?i){MARK}[a-z0-9]+"

# The four kinds of signed-in user who must never see the restricted incident.
RESTRICTED_SEEDS = (2, 3)  # the pictures of the restricted evidence
RESTRICTED_DATE = date(2016, 1, 1)
CRAWLERS = ("outsider", "staff_researcher", "viewer", "researcher_outside")


RESTRICTED_MODELS = (
    Incident,
    Claim,
    Source,
    Actor,
    EvidenceItem,
    VerificationCheck,
    CustodyEvent,
    Comment,
    StatusTransition,
    ReviewDecision,
    Notification,
    ImportJob,
)


def m(suffix: str) -> str:
    return f"{MARK}{suffix}"


@dataclass
class World:
    users: dict[str, User]
    desk: Group
    public_incident: Incident
    restricted_incident: Incident | None = None
    # Per model, the primary keys of the restricted records and of some public ones.
    restricted: dict[type[models.Model], list[int]] = field(default_factory=dict)
    public: dict[type[models.Model], list[int]] = field(default_factory=dict)
    restricted_sha256: list[str] = field(default_factory=list)
    restricted_references: list[str] = field(default_factory=list)


def build_public() -> World:
    """Users of every kind, the restricted desk (empty of crawlers), and a verified public incident."""
    desk = Group.objects.create(name="Sensitive desk")
    users = {
        "author": factories.user("rita", role="Researcher"),
        "reviewer": factories.user("ravi", role="Reviewer"),
        "public_author": factories.user("pat", role="Researcher"),
        "outsider": factories.user("otto", role=None),
        "staff_researcher": factories.user("stan", role="Researcher"),
        "viewer": factories.user("vera", role="Viewer"),
        "researcher_outside": factories.user("rose", role="Researcher"),
    }
    users["staff_researcher"].is_staff = True
    users["staff_researcher"].save(update_fields=["is_staff"])
    users["author"].groups.add(desk)
    users["reviewer"].groups.add(desk)

    pat = users["public_author"]
    place = factories.place("Ariha", latitude=Decimal("35.813740"), longitude=Decimal("36.609640"))
    public = factories.incident(
        created_by=pat,
        title="Market strike in Ariha",
        summary="Several shops hit at noon.",
        location_name="Ariha market",
        place=place,
        date_start=date(2015, 12, 31),
        date_end=date(2015, 12, 31),
    )
    source = claim_services.source_create(data={"name": "Ariha civil defence", "kind": Source.Kind.FIRST_RESPONDER})
    claim = claim_services.claim_create(
        user=pat,
        incident=public,
        data={"source": source, "stance": Stance.ALLEGES, "excerpt": "Four killed.", "killed_min": 4, "killed_max": 4},
    )
    item = _upload(pat, public, seed=1, title="Market photo", filename="market.jpg")
    evidence_services.verification_check_add(evidence=item, kind="geolocated", result="pass", note="Matches.", user=pat)
    review_services.comment_create(incident=public, user=pat, body="Checked the photo.")
    # Left in the queue, not verified: the restricted work links a file to it, and linking evidence to a verified
    # record sends it back to review, a change everyone would see (by design: the record's substance changed).
    review_services.incident_submit(incident=public, user=pat)

    world = World(users=users, desk=desk, public_incident=public)
    world.public = {
        Incident: [public.pk],
        Claim: [claim.pk],
        Source: [source.pk],
        EvidenceItem: [item.pk],
    }
    return world


def add_restricted(world: World) -> World:
    """A restricted incident, seen by the desk only, with a marker in every text it has."""
    rita, ravi = world.users["author"], world.users["reviewer"]
    incident = factories.incident(
        created_by=rita,
        groups=[world.desk],
        restricted=True,
        title=m("TITLE"),
        summary=m("SUMMARY"),
        location_name=m("LOCATION"),
        # Next to the public incident in space and time, so duplicate detection pairs them.
        date_start=RESTRICTED_DATE,
        date_end=RESTRICTED_DATE,
    )
    incident_services.incident_update(
        incident=incident,
        user=rita,
        data={"summary": m("SUMMARYEDITED")},
        expected_version=incident.version,
    )
    # As a restricted import adds a perpetrator it has not seen before (the only way researchers add actors).
    actor = Actor.objects.create(
        name=m("ACTOR"), short_name=m("ACTORSHORT"), description=m("ACTORDESC"), restricted_origin=True
    )
    claim = claim_services.claim_create(
        user=rita,
        incident=incident,
        data={
            "stance": Stance.ALLEGES,
            "excerpt": m("EXCERPT"),
            "url": f"https://example.org/{m('CLAIMURL')}",
            "perpetrator": actor,
            "munition": m("MUNITION"),
            "killed_min": 7,
            "killed_max": 9,
        },
        new_source={
            "name": m("SOURCE"),
            "kind": Source.Kind.WITNESS,
            "url": f"https://example.org/{m('SOURCEURL')}",
            "notes": m("SOURCENOTES"),
            "reliability_rationale": m("RELIABILITY"),
        },
    )
    derived = claim_services.claim_create(
        user=rita,
        incident=incident,
        data={"source": claim.source, "stance": Stance.CORROBORATES, "excerpt": m("DERIVED"), "derived_from": claim},
    )
    item = _upload(rita, incident, seed=RESTRICTED_SEEDS[0], title=m("EVIDENCETITLE"), filename=f"{m('FILENAME')}.jpg")
    evidence_services.evidence_link_claim(evidence=item, claim=claim, relation="supports", user=rita)
    check = evidence_services.verification_check_add(
        evidence=item, kind="chronolocated", result="pass", note=m("CHECKNOTE"), user=rita
    )
    # One file in both incidents: restriction wins, so it must stay hidden on the public incident too.
    shared = _upload(
        rita, incident, seed=RESTRICTED_SEEDS[1], title=m("SHAREDTITLE"), filename=f"{m('SHAREDFILE')}.jpg"
    )
    evidence_services.evidence_link(evidence=shared, incident=world.public_incident, user=rita)
    comment = review_services.comment_create(incident=incident, user=rita, body=f"@ravi {m('COMMENT')}")
    _verify(incident, author=rita, reviewer=ravi, note=m("VERDICT"), submit_note=m("SUBMITNOTE"))
    job = import_services.import_job_create(
        user=rita,
        chunks=[f"title,summary\n{m('IMPORTROW')},{m('IMPORTROW')}\n".encode()],
        filename=f"{m('IMPORTFILE')}.csv",
        fmt=ImportFormat.VERIFY_CSV,
        start=False,
        allowed_groups=[world.desk],
    )

    items = [item.pk, shared.pk]
    world.restricted_incident = incident
    world.restricted_references = [incident.reference]
    world.restricted_sha256 = list(EvidenceItem.objects.filter(pk__in=items).values_list("sha256", flat=True))
    world.restricted = {
        Incident: [incident.pk],
        Claim: [claim.pk, derived.pk],
        Source: [claim.source_id],
        Actor: [actor.pk],
        EvidenceItem: items,
        VerificationCheck: [check.pk],
        CustodyEvent: list(CustodyEvent.objects.filter(evidence__in=items).values_list("pk", flat=True)),
        Comment: [comment.pk],
        StatusTransition: list(StatusTransition.objects.filter(incident=incident).values_list("pk", flat=True)),
        ReviewDecision: list(ReviewDecision.objects.filter(incident=incident).values_list("pk", flat=True)),
        Notification: list(Notification.objects.filter(incident=incident).values_list("pk", flat=True)),
        ImportJob: [job.pk],
    }
    return world


def predicted(world: World) -> World:
    """What the restricted records will be called, before they exist: for pages fetched before and after."""
    next_ids = {}
    for model in RESTRICTED_MODELS:
        last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
        next_ids[model] = list(range(last + 1, last + 11))
    return replace(
        world,
        restricted=next_ids,
        restricted_references=[incident_services.next_reference(year=RESTRICTED_DATE.year)],
        restricted_sha256=[hashlib.sha256(jpeg(seed=seed)).hexdigest() for seed in RESTRICTED_SEEDS],
    )


def _upload(user, incident, *, seed: int, title: str, filename: str) -> EvidenceItem:
    content = jpeg(seed=seed)
    result = evidence_services.evidence_store_file(
        user=user,
        original_filename=filename,
        metadata={
            "title": title,
            "kind": "photo",
            "source_url": f"https://example.org/{quote(title)}",
            "acquisition_notes": f"{title} notes",
        },
        incident=incident,
        chunks=[content],
    )
    assert result.item.sha256 == hashlib.sha256(content).hexdigest()
    # Tests never commit, so the on-commit queueing does not run: process in place, as the worker would.
    evidence_services.evidence_process(evidence_id=result.item.pk)
    return result.item


def _verify(incident: Incident, *, author, reviewer, note: str, submit_note: str = "") -> None:
    review_services.incident_submit(incident=incident, user=author, note=submit_note)
    incident = review_services.review_take(incident=Incident.objects.get(pk=incident.pk), user=reviewer)
    review_services.review_decide(
        incident=incident,
        user=reviewer,
        verdict=ReviewDecision.Verdict.VERIFY,
        note=note,
        grade=Grade.FAIR,
        override_rationale=note,
        expected_version=incident.version,
    )
