"""Claim suggestions from a report: read the text (pasted or from a PDF), extract, match names to our records, and
turn the accepted suggestions into claims."""

import json
import os
import re
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from verify.claims import services as claim_services
from verify.claims.models import Actor, Claim, Source, SourceAlias
from verify.gazetteer.geocode import Gazetteer
from verify.gazetteer.models import Place
from verify.incidents import services as incident_services
from verify.incidents.models import Incident
from verify.lib.gazetteer import PlaceRef
from verify.lib.names import normalise
from verify.suggestions.extract import SourceBook, Suggestion, extract

MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 500_000
# Words that do not tell sources or actors apart: "Russian warplanes" is the Russian air force.
_NOISE = frozenset(
    {
        "the",
        "of",
        "for",
        "and",
        "local",
        "a",
        "an",
        "on",
        "in",
        "s",
        "’s",
        "group",
        "organisation",
        "organization",
        "warplanes",
        "aircraft",
        "jets",
        "planes",
        "helicopters",
        "forces",
        "troops",
        "army",
        "military",
    }
)


class ReportUnreadable(Exception):
    pass


# An uploaded PDF waits here, privately, between reading it and the researcher's decision; accepted, it becomes an
# evidence item (kept by its hash, with custody) that supports each claim taken from it.


def _stash_root() -> Path:
    return Path(settings.IMPORT_ROOT) / "reports"


def report_stash(chunks: Iterable[bytes]) -> str:
    _stash_root().mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    path = _stash_root() / f"{token}.pdf"
    with open(path, "xb") as out:
        os.chmod(path, 0o600)
        for chunk in chunks:
            out.write(chunk)
    return token


def report_stashed(token: str) -> Path | None:
    """The stashed PDF for this token, if there is one (the token comes back from the browser: checked)."""
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    path = _stash_root() / f"{token}.pdf"
    return path if path.is_file() else None


def pdf_text(stream: BinaryIO) -> str:
    """The text of a PDF, page by page (pypdf, offline). Encrypted or broken files get a clear error."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    head = stream.read(5)
    stream.seek(0)
    if head != b"%PDF-":
        raise ReportUnreadable(_("This file is not a PDF."))
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            raise ReportUnreadable(_("The PDF is encrypted: save an unprotected copy and upload that."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ReportUnreadable(
                _("The PDF has more than %(pages)s pages: upload the relevant part.") % {"pages": MAX_PDF_PAGES}
            )
        parts, size = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT_CHARS:
                break
    except ReportUnreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ReportUnreadable(_("The PDF cannot be read: %(error)s") % {"error": exc}) from exc
    text = "\n\n".join(parts)
    # PDF lines break mid-sentence: join them, keeping blank lines as paragraph breaks.
    text = re.sub(r"-\n(?=[a-z])", "", text)
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)
    if not text.strip():
        raise ReportUnreadable(_("The PDF has no text layer (a scan?): paste the text instead."))
    return text[:MAX_TEXT_CHARS]


# A capital speaks for its state in wire copy: "Moscow's defence ministry" is Russia's.
_CAPITALS = {"moscow": "russia", "damascus": "syria", "ankara": "turkey", "tehran": "iran", "washington": "us"}


def _tokens(name: str) -> set[str]:
    """Words that identify a name, cut to five letters so that 'Russia's' meets 'Russian' and 'Defense' 'Defence'."""
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w’']+", name.casefold())]
    return {_CAPITALS.get(w, w)[:5] for w in words if w not in _NOISE}


def best_match(name: str, candidates: list[tuple[Any, str]]) -> Any | None:
    """The candidate whose name is this one, contains it or is contained in it (ignoring filler words)."""
    if not name:
        return None
    folded, wanted = name.casefold(), _tokens(name)
    for obj, label in candidates:
        if label.casefold() == folded:
            return obj
    scored = []
    for obj, label in candidates:
        tokens = _tokens(label)
        if wanted and tokens and (wanted <= tokens or tokens <= wanted):
            scored.append((len(tokens ^ wanted), label, obj))
    scored.sort(key=lambda s: (s[0], s[1]))
    return scored[0][2] if scored else None


def source_book(user) -> tuple[SourceBook, dict[str, Source]]:
    """The sources register as the extractor sees it: every name and alias of the sources this user may see, and
    the register's own lookup (`matching`: a name or an alias in its normal form) to resolve a mention. The second
    value collects the sources resolved, by name."""
    visible = Source.objects.visible_to(user).active()
    names = list(visible.values_list("name", flat=True))
    names += list(SourceAlias.objects.filter(source__in=visible).values_list("name", flat=True))
    resolved: dict[str, Source] = {}

    def resolve(mention: str) -> str | None:
        source = visible.matching(mention).first()
        if source is None:
            return None
        resolved[source.name] = source
        return source.name

    return SourceBook(names=names, resolve=resolve), resolved


def suggest(
    text: str, *, published_on: date | None, user, default_source: Source | None = None
) -> list[dict[str, Any]]:
    """Initial values for one suggestion form per suggestion."""
    gazetteer = Gazetteer()
    book, resolved = source_book(user)
    suggestions = extract(
        text[:MAX_TEXT_CHARS], published_on=published_on, places=gazetteer.place_index(), sources=book
    )
    actors = [(a, a.name) for a in Actor.objects.visible_to(user)]
    actors += [(a, a.short_name) for a in Actor.objects.visible_to(user).exclude(short_name="")]
    return [_initial(s, resolved, actors, default_source) for s in suggestions]


def _initial(s: Suggestion, resolved: dict[str, Source], actors, default_source: Source | None) -> dict[str, Any]:
    # Only the register's own match: "activists" is no particular group of local activists.
    source = resolved.get(s.source) or (default_source if not s.source else None)
    perpetrator = best_match(s.perpetrator, actors) if s.perpetrator else None
    place = s.place
    notes = [
        _("“%(name)s” could be %(places)s") % {"name": m.text, "places": ", ".join(_label(c) for c in m.candidates)}
        for m in s.places
        if m.ambiguous
    ]
    excerpt = s.sentence
    if s.provisional:
        excerpt = f"{excerpt} [{_('provisional toll: it could rise')}]"
    return {
        "accept": False,
        "sentence": s.sentence,
        "spans": json.dumps([[span.start, span.end, span.kind] for span in s.spans]),
        "said_by": s.source if source is None else (s.source_mention or s.source),
        "place_note": "; ".join(notes),
        "attack_type": s.attack_type,
        "other_event": "1" if s.other_event else "",
        "provisional": "1" if s.provisional else "",
        "source": source.pk if source else None,
        "stance": s.stance,
        "killed_min": s.killed_min,
        "killed_max": s.killed_max,
        "injured_min": s.injured_min,
        "injured_max": s.injured_max,
        "perpetrator": perpetrator.pk if perpetrator else None,
        "munition": s.munition,
        "event_date": s.event_date,
        "event_date_precision": s.event_date_precision or "day",
        "place": place.id if place else None,
        # The select's values are the strings "true" and "false".
        "military_objective_present": _select_value(s.military_objective_present),
        "military_objective_distance_m": s.military_objective_distance_m,
        "credibility": "6",
        "excerpt": excerpt,
    }


def _label(place: PlaceRef) -> str:
    return f"{place.name} ({place.governorate})" if place.governorate else place.name


CLAIM_KEYS = ("source", "stance", "killed_min", "killed_max", "injured_min", "injured_max", "perpetrator", "munition",
              "event_date", "event_date_precision", "place", "military_objective_present",
              "military_objective_distance_m", "credibility", "excerpt")  # fmt: skip


# The most specific weapon names the attack: chlorine dropped from a helicopter is a chemical attack.
_ATTACK_PRIORITY = ("chemical", "cluster_munition", "barrel_bomb", "missile", "shelling", "airstrike")


def _place_of(value: Any) -> Place | None:
    if isinstance(value, Place) or value is None:
        return value
    return Place.objects.filter(pk=value).first()


def incident_draft(suggested: list[dict[str, Any]]) -> dict[str, Any]:
    """What a new incident takes from suggestions (initial values, or the accepted claims' cleaned data): the
    date window and its precision, the place and its coordinates, the attack type, and a title drafted from them.
    Suggestions flagged as another event are left out unless nothing else is there."""
    main = [d for d in suggested if not d.get("other_event")] or suggested
    dates = sorted({d["event_date"] for d in main if d.get("event_date")})
    draft: dict[str, Any] = {"date_start": None, "date_end": None, "date_precision": "unknown"}
    if dates:
        start, end = dates[0], dates[-1]
        precisions = {d.get("event_date_precision") or "day" for d in main if d.get("event_date")}
        if start == end:
            precision = "day" if precisions <= {"day"} else "approx_day"
        else:
            precision = "approx_day" if (end - start).days <= 1 else "week"
        draft.update(date_start=start, date_end=end, date_precision=precision)
    place_ids = [getattr(d["place"], "pk", d["place"]) for d in main if d.get("place")]
    place = _place_of(max(place_ids, key=place_ids.count)) if place_ids else None
    draft.update(
        place=place.pk if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )
    types = {d.get("attack_type") for d in main}
    draft["attack_type"] = next((t for t in _ATTACK_PRIORITY if t in types), "other")
    draft["title"] = draft_title(place, draft["date_start"], draft["attack_type"])
    return draft


def draft_title(place: Place | None, day: date | None, attack_type: str) -> str:
    """'Airstrike in Ariha, 29 November 2015': the place and the date, and the attack when known."""
    from verify.incidents.models import AttackType

    where = place.name if place else _("unknown place")
    when = formats.date_format(day, "j F Y") if day else _("date unknown")
    if attack_type and attack_type != "other":
        return _("%(attack)s in %(place)s, %(date)s") % {
            "attack": AttackType(attack_type).label,
            "place": where,
            "date": when,
        }
    return _("%(place)s, %(date)s") % {"place": where, "date": when}


@transaction.atomic
def suggestions_accept(
    *,
    user,
    incident: Incident | None,
    new_title: str = "",
    accepted: list[dict[str, Any]],
    url: str,
    published_on: date | None,
    report_file: Path | None = None,
    report_name: str = "",
    incident_data: dict[str, Any] | None = None,
) -> tuple[Incident, list[Claim]]:
    """Accepted suggestions become claims linked to the report (its URL; the sentence as excerpt). A new incident is
    created only now, when at least one suggestion was accepted: from `incident_data` as the researcher edited it,
    else from the accepted claims (incident_draft). Its reference takes the attack's year."""
    if not accepted:
        raise ValueError(_("Accept at least one suggestion."))
    if incident is None:
        data = dict(incident_data) if incident_data else incident_draft(accepted)
        if not incident_data and new_title:
            data["title"] = new_title
        place = _place_of(data.get("place"))
        data["place"] = place
        if place is not None and data.get("latitude") is None and data.get("longitude") is None:
            data["latitude"], data["longitude"] = place.latitude, place.longitude
        incident = incident_services.incident_create(user=user, data=data)
    claims = []
    for data in accepted:
        fields = {key: data.get(key) for key in CLAIM_KEYS}
        fields["url"], fields["published_on"] = url, published_on
        claims.append(claim_services.claim_create(user=user, incident=incident, data=fields))
    if report_file is not None:
        _report_as_evidence(user=user, incident=incident, claims=claims, path=report_file, name=report_name, url=url)
    return incident, claims


def source_add_inline(*, user, name: str, kind: str) -> tuple[Source, bool]:
    """A source named in a report and missing from the register, added from the suggestions page: the one already
    known by this name or alias if there is one (created False), else a new one."""
    name = " ".join((name or "").split())
    if not normalise(name):
        raise ValidationError(_("A name needs at least one letter or digit."))
    if len(name) > (Source._meta.get_field("name").max_length or 200):
        raise ValidationError(_("This name is too long."))
    if kind not in Source.Kind.values:
        raise ValidationError(_("Choose a kind of source."))
    known = Source.objects.visible_to(user).matching(name).first()
    if known is not None:
        return known, False
    return claim_services.source_create(data={"name": name, "kind": kind}, user=user), True


def _report_as_evidence(*, user, incident: Incident, claims: list[Claim], path: Path, name: str, url: str) -> None:
    from verify.evidence.models import ClaimEvidence, EvidenceKind
    from verify.evidence.services import evidence_link_claim, evidence_store

    with path.open("rb") as fh:
        item, _ = evidence_store(
            user=user,
            chunks=iter(lambda: fh.read(1 << 20), b""),
            original_filename=name or "report.pdf",
            metadata={"title": f"Report: {name or 'PDF'}"[:200], "kind": EvidenceKind.DOCUMENT, "source_url": url},
            incident=incident,
        )
    for claim in claims:
        evidence_link_claim(evidence=item, claim=claim, relation=ClaimEvidence.Relation.SUPPORTS, user=user)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def report_stash_sweep(*, max_age: timedelta = timedelta(days=1)) -> int:
    """Delete stashed reports older than `max_age` (never accepted). Returns how many were removed."""
    cutoff = (timezone.now() - max_age).timestamp()
    removed = 0
    for path in _stash_root().glob("*.pdf") if _stash_root().is_dir() else []:
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _select_value(flag: bool | None) -> str:
    """A yes/no/unknown select's value: "true", "false" or ""."""
    return "" if flag is None else "true" if flag else "false"
