"""Data for evidence panels shown on other pages (the incident page), computed in one place."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from verify.evidence.forms import EvidenceUploadForm
from verify.evidence.models import EvidenceItem, IncidentEvidence, Keyframe, WebCapture
from verify.evidence.processing import hamming
from verify.evidence.webcapture import chromium_available
from verify.lib.display import distance_text
from verify.lib.gazetteer import distance_m


@dataclass
class NearDuplicate:
    item: EvidenceItem
    distance: int


def near_duplicates(item: EvidenceItem, user, *, candidates=None) -> list[NearDuplicate]:
    """Other visible images whose perceptual hash is within the configured Hamming distance."""
    if not item.perceptual_hash:
        return []
    if candidates is None:
        candidates = EvidenceItem.objects.visible_to(user).with_perceptual_hash().exclude(pk=item.pk)
    threshold = settings.EVIDENCE_NEAR_DUPLICATE_DISTANCE
    found = []
    for other in candidates:
        if other.pk == item.pk or not other.perceptual_hash:
            continue
        d = hamming(item.perceptual_hash, other.perceptual_hash)
        if d <= threshold:
            found.append(NearDuplicate(other, d))
    return sorted(found, key=lambda n: n.distance)


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
    candidates = (
        Keyframe.objects.filter(evidence__in=EvidenceItem.objects.visible_to(user))
        .exclude(evidence=item)
        .values_list("evidence_id", "perceptual_hash")
    )
    matched: dict[int, set[int]] = {}
    for other_id, other_hash in candidates:
        for index, own in enumerate(frames):
            if hamming(own, other_hash) <= threshold:
                matched.setdefault(other_id, set()).add(index)
    needed = min(settings.EVIDENCE_VIDEO_MATCHING_KEYFRAMES, len(frames))
    hits = {pk: len(found) for pk, found in matched.items() if len(found) >= needed}
    others = EvidenceItem.objects.in_bulk(list(hits))
    found_matches = [VideoMatch(others[pk], n, len(frames)) for pk, n in hits.items()]
    return sorted(found_matches, key=lambda m: (-m.matching, m.item.pk))


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
    hashed = list(EvidenceItem.objects.visible_to(user).with_perceptual_hash().only("pk", "title", "perceptual_hash"))
    positions = []
    for link in links:
        item = link.evidence
        link.near = near_duplicates(item, user, candidates=hashed)
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
        "positions": positions,
        "can_upload": user.has_perm("evidence.add_evidenceitem"),
        "upload_form": EvidenceUploadForm(),
        "max_upload_bytes": settings.EVIDENCE_MAX_UPLOAD_BYTES,
        "capture_available": chromium_available(),
        "captures": WebCapture.objects.visible_to(user).filter(incident=incident).count(),
    }
