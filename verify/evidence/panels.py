"""Data for evidence panels shown on other pages (the incident page), computed in one place."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from verify.core.choices import DatePrecision
from verify.evidence.forms import EvidenceUploadForm
from verify.evidence.models import (
    ClaimEvidence,
    EvidenceItem,
    IncidentEvidence,
    Keyframe,
    VerificationCheck,
    WebCapture,
    band_candidates,
)
from verify.evidence.webcapture import chromium_available
from verify.lib import phash
from verify.lib.display import distance_text
from verify.lib.evidence_fit import Fit, fit_warnings
from verify.lib.gazetteer import distance_m


@dataclass
class NearDuplicate:
    item: EvidenceItem
    distance: int


def near_duplicates(item: EvidenceItem, user) -> list[NearDuplicate]:
    """Other visible images whose perceptual hash is within the configured Hamming distance."""
    return near_duplicates_many([item], user).get(item.pk, [])


def near_duplicates_many(items: list[EvidenceItem], user) -> dict[int, list[NearDuplicate]]:
    """Near duplicates of several items in one query, found through the hash band indexes (verify/lib/phash.py),
    never by reading every hash: one lookup of the visible candidates of all of them."""
    threshold = settings.EVIDENCE_NEAR_DUPLICATE_DISTANCE
    hashed = [item for item in items if item.perceptual_hash]
    if not hashed:
        return {}
    condition = Q()
    for item in hashed:
        condition |= band_candidates(item.perceptual_hash, threshold)
    # Only the ids and hashes of the candidates (a few hundred among a million), unordered; the exact distance is
    # worked out here, and only the matches are read in full.
    candidates = list(
        EvidenceItem.objects.visible_to(user).filter(condition).order_by().values_list("pk", "perceptual_hash")
    )
    distances: dict[int, list[tuple[int, int]]] = {}
    for item in hashed:
        own = phash.to_int(item.perceptual_hash)
        for pk, other in candidates:
            if pk != item.pk and (d := (own ^ phash.to_int(other)).bit_count()) <= threshold:
                distances.setdefault(item.pk, []).append((pk, d))
    if not distances:
        return {}
    others = EvidenceItem.objects.only("pk", "title", "perceptual_hash", "sensitivity").in_bulk(
        {pk for near in distances.values() for pk, _ in near}
    )
    found = {item_pk: [NearDuplicate(others[pk], d) for pk, d in near] for item_pk, near in distances.items()}
    return {pk: sorted(near, key=lambda n: (n.distance, n.item.pk)) for pk, near in found.items()}


@dataclass
class VideoMatch:
    item: EvidenceItem
    matching: int  # keyframes of this video with a near-identical keyframe in the other
    of: int


def video_near_duplicates(item: EvidenceItem, user) -> list[VideoMatch]:
    """Other visible videos sharing near-identical keyframes: re-encoded, trimmed or re-uploaded copies."""
    frames = list(item.keyframes.values_list("perceptual_hash", flat=True))
    if not frames:
        return []
    threshold = settings.EVIDENCE_NEAR_DUPLICATE_DISTANCE
    matched: dict[int, set[int]] = {}
    for index, own in enumerate(frames):
        candidates = (
            Keyframe.objects.filter(band_candidates(own, threshold))
            .exclude(evidence=item)
            .values_list("evidence_id", "perceptual_hash")
        )
        for other_id, other_hash in candidates:
            if phash.distance(own, other_hash) <= threshold:
                matched.setdefault(other_id, set()).add(index)
    visible = set(EvidenceItem.objects.visible_to(user).filter(pk__in=list(matched)).values_list("pk", flat=True))
    matched = {pk: found for pk, found in matched.items() if pk in visible}
    needed = min(settings.EVIDENCE_VIDEO_MATCHING_KEYFRAMES, len(frames))
    hits = {pk: len(found) for pk, found in matched.items() if len(found) >= needed}
    others = EvidenceItem.objects.in_bulk(list(hits))
    found_matches = [VideoMatch(others[pk], n, len(frames)) for pk, n in hits.items()]
    return sorted(found_matches, key=lambda m: (-m.matching, m.item.pk))


def evidence_fit(item: EvidenceItem, incident) -> list[Fit]:
    """Where the item's metadata disagrees with the incident: taken outside its date window, or outside its
    precision circle (verify/lib/evidence_fit.py)."""
    precision = DatePrecision(incident.date_precision)
    tolerance = precision.tolerance
    return fit_warnings(
        captured_on=item.captured_at.date() if item.captured_at else None,
        window_start=incident.date_start,
        window_end=incident.date_end,
        tolerance_days=None if tolerance is None else tolerance.days,
        photo_position=(float(item.gps_latitude), float(item.gps_longitude)) if item.has_position else None,
        incident_position=(float(incident.latitude), float(incident.longitude)) if incident.has_coordinates else None,
        radius_m=incident.precision_radius_m,
    )


def distance_label(metres: int | None) -> str:
    return "" if metres is None else distance_text(metres)


def incident_evidence_panel(incident, user) -> dict:
    links = list(
        IncidentEvidence.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("evidence")
        .annotate(
            checks_passed=Count("evidence__checks", filter=Q(evidence__checks__result="pass")),
            checks_total=Count("evidence__checks"),
        )
        .order_by("-linked_at")
    )
    positions = []
    near = near_duplicates_many([link.evidence for link in links], user)
    for link in links:
        item = link.evidence
        link.near = near.get(item.pk, [])
        link.warnings = evidence_fit(item, incident)
        link.distance_m, link.distance_label = None, ""
        if item.has_position:
            if incident.has_coordinates:
                link.distance_m = round(
                    distance_m(
                        float(incident.latitude),
                        float(incident.longitude),
                        float(item.gps_latitude),
                        float(item.gps_longitude),
                    )
                )
            link.distance_label = distance_label(link.distance_m)
            positions.append(
                {
                    "title": item.title,
                    "url": item.get_absolute_url(),
                    "lat": float(item.gps_latitude),
                    "lng": float(item.gps_longitude),
                    "distance": link.distance_label,
                }
            )
    return {
        "links": links,
        "misfits": [link for link in links if link.warnings],
        "positions": positions,
        "can_upload": user.has_perm("evidence.add_evidenceitem"),
        "upload_form": EvidenceUploadForm(),
        "max_upload_bytes": settings.EVIDENCE_MAX_UPLOAD_BYTES,
        "capture_available": chromium_available(),
        "captures": WebCapture.objects.visible_to(user).filter(incident=incident).count(),
    }


MAP_EVIDENCE_LIMIT = 2000
MAP_EVIDENCE_KINDS = ("photo", "video")


def evidence_map_features(incidents, user) -> dict:
    """Photos and videos with a GPS position, linked to the given (already filtered, visible) incidents: a GeoJSON
    feature each, with the incident's position and the distance between them, for the map's evidence layer."""
    links = (
        IncidentEvidence.objects.visible_to(user)
        .filter(incident__in=incidents, evidence__gps_latitude__isnull=False, evidence__gps_longitude__isnull=False)
        .filter(evidence__kind__in=MAP_EVIDENCE_KINDS)
        .select_related("evidence", "incident")
        .order_by("-evidence__pk")[: MAP_EVIDENCE_LIMIT + 1]
    )
    features = []
    for link in links[:MAP_EVIDENCE_LIMIT]:
        item, incident = link.evidence, link.incident
        lat, lng = float(item.gps_latitude), float(item.gps_longitude)
        target = None
        metres = None
        if incident.has_coordinates:
            target = [float(incident.longitude), float(incident.latitude)]
            metres = round(distance_m(lat, lng, target[1], target[0]))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "id": item.pk,
                    "title": item.title,
                    "kind": item.kind,
                    "url": item.get_absolute_url(),
                    "thumbnail": reverse("evidence:thumbnail", args=[item.pk])
                    if item.thumbnail_name and not item.is_sensitive
                    else "",
                    "incident": incident.reference,
                    "incident_url": incident.get_absolute_url(),
                    "incident_position": target,
                    "distance_m": metres,
                    "distance": distance_label(metres),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "truncated": len(links) > MAP_EVIDENCE_LIMIT}


@dataclass
class ClaimEvidenceNote:
    item: EvidenceItem
    relation: str
    failed_checks: list[str]  # the check kinds' labels


def claim_evidence_notes(claim_ids: list[int], user) -> dict[int, list[ClaimEvidenceNote]]:
    """For the claims panel: the visible evidence linked to each claim, what it says of the claim (supports or
    contradicts), and which of its verification checks failed. Two queries whatever the number of claims."""
    links = list(
        ClaimEvidence.objects.filter(claim_id__in=claim_ids, evidence__in=EvidenceItem.objects.visible_to(user))
        .select_related("evidence")
        .only("claim_id", "relation", "evidence__id", "evidence__title")
        .order_by("-relation", "evidence_id")  # contradicts first
    )
    failed: dict[int, list[str]] = {}
    for evidence_id, kind in (
        VerificationCheck.objects.filter(
            evidence_id__in={link.evidence_id for link in links}, result=VerificationCheck.Result.FAIL
        )
        .order_by("kind")
        .values_list("evidence_id", "kind")
        .distinct()
    ):
        failed.setdefault(evidence_id, []).append(VerificationCheck.Kind(kind).label)
    notes: dict[int, list[ClaimEvidenceNote]] = {}
    for link in links:
        notes.setdefault(link.claim_id, []).append(
            ClaimEvidenceNote(link.evidence, link.relation, failed.get(link.evidence_id, []))
        )
    return notes
