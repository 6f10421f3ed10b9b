"""The custody log as CSV and JSON."""

import csv
import io
import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder

from verify.evidence.models import CustodyEvent, EvidenceItem
from verify.lib.csvsafe import escape_cell

COLUMNS = ["at", "action", "actor", "sha256", "detail"]


def safe_cell(value) -> str:
    return escape_cell("" if value is None else str(value))


def custody_rows(events: Iterable[CustodyEvent]) -> Iterable[dict]:
    for event in events:
        yield {
            "at": event.at.isoformat(),
            "action": event.action,
            "actor": event.actor.get_username() if event.actor else "system",
            "sha256": event.sha256,
            "detail": event.detail,
        }


def custody_csv(item: EvidenceItem, events: Iterable[CustodyEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["evidence", "evidence_sha256", *COLUMNS])
    for row in custody_rows(events):
        detail = json.dumps(row["detail"], cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
        cells = [item.pk, item.sha256, row["at"], row["action"], row["actor"], row["sha256"], detail]
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()


def custody_json(item: EvidenceItem, events: Iterable[CustodyEvent]) -> str:
    data = {
        "evidence": {
            "id": item.pk,
            "title": item.title,
            "sha256": item.sha256,
            "size_bytes": item.size_bytes,
            "mime_type": item.mime_type,
            "original_filename": item.original_filename,
        },
        "events": list(custody_rows(events)),
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
