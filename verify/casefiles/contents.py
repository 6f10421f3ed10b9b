"""What a case file says about one incident: its record, its claims matrix and each evidence item's files.

Everything is read through the apps' visibility rules for the person who asked: an evidence item linked to a
restricted incident they cannot see is left out, and custody details naming such an incident are redacted.
"""

import csv
import io
import json
import mimetypes
import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from verify.claims.crosscheck import CrossCheck, incident_crosscheck
from verify.claims.reasons import reason_text
from verify.evidence.exports import custody_csv, custody_json, custody_rows
from verify.evidence.models import CustodyAction, EvidenceItem, IncidentEvidence, VerificationCheck
from verify.evidence.redaction import redact_custody, visible_claim_links
from verify.incidents.models import Incident
from verify.lib.csvsafe import escape_cell

EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")


def to_json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def _user(user) -> str | None:
    return user.get_username() if user is not None else None


def fields_of(instance: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every concrete field: foreign keys as their id, plus their text under `<name>_display`."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if f.name in exclude:
            continue
        if f.is_relation:
            data[f.attname] = getattr(instance, f.attname)
            related = getattr(instance, f.name) if getattr(instance, f.attname) is not None else None
            data[f"{f.name}_display"] = str(related) if related is not None else None
        else:
            data[f.name] = getattr(instance, f.attname)
            if f.choices:
                data[f"{f.name}_display"] = str(getattr(instance, f"get_{f.name}_display")())
    return data


def history_of(instance: models.Model) -> list[dict[str, Any]]:
    """Every saved version, oldest first, with who, when, why and what changed from the version before."""
    rows: list[dict[str, Any]] = []
    previous = None
    for record in instance.history.order_by("history_date", "history_id").select_related("history_user"):
        entry: dict[str, Any] = {
            "at": record.history_date,
            "by": _user(record.history_user),
            "type": {"+": "created", "~": "changed", "-": "deleted"}.get(record.history_type, record.history_type),
            "reason": record.history_change_reason or "",
        }
        if previous is None:
            entry["values"] = {
                f.attname: getattr(record, f.attname)
                for f in record.instance._meta.concrete_fields
                if hasattr(record, f.attname)
            }
        else:
            delta = record.diff_against(previous)
            entry["changes"] = {c.field: {"from": c.old, "to": c.new} for c in delta.changes}
        rows.append(entry)
        previous = record
    return rows


def incident_record(incident: Incident) -> dict[str, Any]:
    return {
        "incident": {
            **fields_of(incident),
            "labels": sorted(incident.labels.values_list("name", flat=True)),
            "allowed_groups": sorted(incident.allowed_groups.values_list("name", flat=True)),
            "precision_radius_m": incident.precision_radius_m,
        },
        "history": history_of(incident),
        "status_transitions": [
            {
                "at": t.at,
                "from": t.from_status,
                "to": t.to_status,
                "by": _user(t.by),
                "reason": t.reason,
                "params": t.params,
                "note": t.note,
            }
            for t in incident.transitions.select_related("by").order_by("at", "pk")
        ],
        "review_decisions": [
            {
                "at": d.created_at,
                "reviewer": _user(d.reviewer),
                "verdict": d.verdict,
                "grade": d.grade,
                "suggested_grade": d.suggested_grade,
                "override_rationale": d.override_rationale,
                "note": d.note,
            }
            for d in incident.review_decisions.select_related("reviewer").order_by("created_at", "pk")
        ],
        "discussion": [
            {"at": c.created_at, "author": _user(c.author), "body": c.body}
            for c in incident.comments.select_related("author").order_by("created_at", "pk")
        ],
    }


CLAIM_COLUMNS = [
    "claim_id",
    "source",
    "source_kind",
    "source_reliability",
    "source_reliability_rationale",
    "source_affiliation",
    "source_party_to_conflict",
    "stance",
    "published_on",
    "url",
    "excerpt",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "perpetrator",
    "munition",
    "event_date",
    "event_date_precision",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "military_objective_present",
    "military_objective_distance_m",
    "credibility",
    "derived_from_claim",
    "derived_from_source",
    "independent",
    "disagreements",
    "evidence",
]


def claim_row(claim, check: CrossCheck, evidence: dict[int, list[str]]) -> dict[str, Any]:
    source = claim.source
    flagged = check.flagged.get(claim.pk, {})
    numbers = sorted({i + 1 for indexes in flagged.values() for i in indexes})
    return {
        "claim_id": claim.pk,
        "source": source.name,
        "source_kind": source.kind,
        "source_reliability": source.reliability,
        "source_reliability_rationale": source.reliability_rationale,
        "source_affiliation": source.affiliation.name if source.affiliation_id else "",
        "source_party_to_conflict": source.is_belligerent,
        "stance": claim.stance,
        "published_on": claim.published_on,
        "url": claim.url,
        "excerpt": claim.excerpt,
        "killed_min": claim.killed_min,
        "killed_max": claim.killed_max,
        "injured_min": claim.injured_min,
        "injured_max": claim.injured_max,
        "perpetrator": str(claim.perpetrator) if claim.perpetrator_id else "",
        "munition": claim.munition,
        "event_date": claim.event_date,
        "event_date_precision": claim.event_date_precision,
        "place": str(claim.place) if claim.place_id else "",
        "latitude": claim.latitude,
        "longitude": claim.longitude,
        "location_precision": claim.location_precision,
        "military_objective_present": claim.military_objective_present,
        "military_objective_distance_m": claim.military_objective_distance_m,
        "credibility": claim.credibility,
        "derived_from_claim": claim.derived_from_id,
        "derived_from_source": claim.derived_from.source.name if claim.derived_from_id else "",
        "independent": claim.derived_from_id is None,
        "disagreements": numbers,
        "evidence": evidence.get(claim.pk, []),
    }


def claims_data(incident: Incident, check: CrossCheck, evidence_ids: set[int]) -> tuple[bytes, bytes]:
    """claims.json and claims.csv: the matrix, the summary, the disagreements and the suggestion's reasons."""
    links: dict[int, list[str]] = {}
    from verify.evidence.models import ClaimEvidence

    for link in ClaimEvidence.objects.filter(claim__incident=incident, evidence_id__in=evidence_ids).select_related(
        "evidence"
    ):
        links.setdefault(link.claim_id, []).append(f"{link.relation}:{link.evidence.sha256}")
    rows = [claim_row(c, check, links) for c in check.claims]
    data = {
        "incident": incident.reference,
        "summary": check.summary,
        "perpetrator": check.perpetrator,
        "suggested_grade": check.suggestion.grade,
        "suggestion_reasons": [reason_text(r) for r in check.suggestion.reasons],
        "stored_suggestion_reasons": incident.suggestion_reasons,
        "has_disagreements": bool(check.disagreements),
        "denied_by_party": check.denied_by_party,
        "disagreements": [
            {"number": i + 1, "kind": d.kind, "column": d.column, "claims": list(d.claim_ids), "message": d.message}
            for i, d in enumerate(check.disagreements)
        ],
        "claims": rows,
        "history": {str(c.pk): history_of(c) for c in check.claims},
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CLAIM_COLUMNS)
    for row in rows:
        cells = [row[c] for c in CLAIM_COLUMNS]
        writer.writerow(
            [
                escape_cell("" if v is None else (" ".join(map(str, v)) if isinstance(v, list) else str(v)))
                for v in cells
            ]
        )
    return to_json(data), ("\ufeff" + out.getvalue()).encode("utf-8")


def evidence_links(incident: Incident, user) -> list[EvidenceItem]:
    """The incident's evidence this user may see, oldest first."""
    ids = IncidentEvidence.objects.visible_to(user).filter(incident=incident).values("evidence_id")
    return list(EvidenceItem.objects.filter(pk__in=ids).select_related("uploaded_by").order_by("created_at", "pk"))


def extension_for(item: EvidenceItem) -> str:
    """The archive name's extension: the original file's, if plain, else one for its type."""
    _, dot, ext = item.original_filename.rpartition(".")
    ext = ext.lower()
    if dot and EXTENSION.match(ext):
        return ext
    guessed = (mimetypes.guess_extension(item.mime_type) or ".bin").lstrip(".")
    return guessed if EXTENSION.match(guessed) else "bin"


def evidence_metadata(item: EvidenceItem, user, *, integrity: dict[str, Any]) -> bytes:
    processed = [
        {"at": row["at"], **(row["detail"] or {})}
        for row in custody_rows(item.custody_events.filter(action=CustodyAction.PROCESSED).order_by("at", "pk"))
    ]
    data = {
        "evidence": fields_of(item, exclude=("storage_name", "thumbnail_name")),
        "integrity": integrity,
        "processing_results": processed,
        "claims": [
            {"claim": link.claim_id, "incident": link.claim.incident.reference, "relation": link.relation}
            for link in visible_claim_links(item, user).select_related("claim__incident").order_by("pk")
        ],
        "derived_copies": [],
    }
    return to_json(data)


def evidence_checks(item: EvidenceItem) -> bytes:
    checks = VerificationCheck.objects.filter(evidence=item).select_related("performed_by").order_by("created_at")
    return to_json(
        [
            {
                "at": c.created_at,
                "kind": c.kind,
                "result": c.result,
                "note": c.note,
                "performed_by": _user(c.performed_by),
            }
            for c in checks
        ]
    )


def custody_events(item: EvidenceItem, user) -> list:
    return redact_custody(item.custody_events.select_related("actor").order_by("at", "pk"), user)


def evidence_custody(item: EvidenceItem, user) -> tuple[bytes, bytes]:
    events = custody_events(item, user)
    return ("\ufeff" + custody_csv(item, events)).encode("utf-8"), custody_json(item, events).encode("utf-8")


def crosscheck_for(incident: Incident) -> CrossCheck:
    return incident_crosscheck(incident)
