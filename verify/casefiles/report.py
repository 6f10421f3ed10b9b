"""report.pdf: a readable report of each incident in the case file, in the requester's language (WeasyPrint)."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from verify.claims.crosscheck import CrossCheck
from verify.claims.panels import COLUMNS, matrix_rows
from verify.claims.reasons import reason_text
from verify.incidents.models import Incident
from verify.lib.display import radius_text


@dataclass
class ReportEvidence:
    item: Any
    path: str
    integrity: str
    custody: list


@dataclass
class ReportIncident:
    incident: Incident
    check: CrossCheck
    evidence: list[ReportEvidence] = field(default_factory=list)

    def context(self) -> dict[str, Any]:
        return {
            "incident": self.incident,
            "radius": radius_text(self.incident.precision_radius_m),
            "crosscheck": self.check,
            "matrix_columns": COLUMNS,
            "matrix_rows": matrix_rows(self.check),
            "suggestion_reasons": [reason_text(r) for r in self.check.suggestion.reasons],
            "evidence": self.evidence,
        }


def render_report(
    target: Path, *, label: str, language: str, incidents: list[ReportIncident], meta: dict[str, Any]
) -> None:
    from weasyprint import HTML

    with translation.override(language or None):
        html = render_to_string(
            "casefiles/report.html",
            {
                "label": label,
                "incidents": [i.context() for i in incidents],
                "meta": meta,
                "LANGUAGE_CODE": translation.get_language(),
                "LANGUAGE_BIDI": translation.get_language_bidi(),
            },
        )
    HTML(string=html).write_pdf(target)
