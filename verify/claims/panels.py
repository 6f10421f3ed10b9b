"""What the incident page shows of cross-checking: the claims matrix, its summary, the suggestion, the entry form."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from verify.claims.crosscheck import CrossCheck, incident_crosscheck
from verify.claims.models import Claim
from verify.core.choices import LocationPrecision
from verify.core.display import distance_text, radius_text
from verify.incidents.models import Incident

# (column key, heading); the keys are the Disagreement.column values that highlight a cell.
COLUMNS = (
    ("stance", gettext_lazy("Stance")),
    ("killed", gettext_lazy("Killed")),
    ("injured", gettext_lazy("Injured")),
    ("perpetrator", gettext_lazy("Perpetrator")),
    ("munition", gettext_lazy("Munition")),
    ("date", gettext_lazy("Date")),
    ("place", gettext_lazy("Place")),
    ("military_objective", gettext_lazy("Military objective")),
    ("credibility", gettext_lazy("Credibility")),
)


@dataclass
class Cell:
    column: str
    heading: str
    value: str
    messages: list[str]
    numeric: bool = False
    # ids of the disagreement list items that explain the highlight (aria-describedby)
    described_by: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.messages)


@dataclass
class Row:
    claim: Claim
    cells: list[Cell]

    @property
    def flagged(self) -> bool:
        return any(cell.flagged for cell in self.cells)


def _place(claim: Claim) -> str:
    if claim.latitude is not None:
        where = f"{claim.latitude:.4f}, {claim.longitude:.4f}"
    elif claim.place_id:
        where = str(claim.place)
    else:
        return ""
    return f"{where} ({radius_text(LocationPrecision(claim.location_precision).radius_m)})"


def _objective(claim: Claim) -> str:
    if claim.military_objective_present is None:
        return ""
    if not claim.military_objective_present:
        return gettext("Absent")
    if claim.military_objective_distance_m is not None:
        return gettext("Present, %(distance)s away") % {"distance": distance_text(claim.military_objective_distance_m)}
    return gettext("Present")


def _values(claim: Claim) -> dict[str, str]:
    return {
        "stance": claim.get_stance_display(),
        "killed": claim.killed_display,
        "injured": claim.injured_display,
        "perpetrator": str(claim.perpetrator) if claim.perpetrator_id else "",
        "munition": claim.munition,
        "date": (
            _("%(date)s (%(precision)s)")
            % {
                "date": date_format(claim.event_date, "j M Y"),
                "precision": claim.get_event_date_precision_display().lower(),
            }
            if claim.event_date
            else ""
        ),
        "place": _place(claim),
        "military_objective": _objective(claim),
        "credibility": claim.get_credibility_display(),
    }


def matrix_rows(check: CrossCheck) -> list[Row]:
    rows = []
    for claim in check.claims:
        flagged = check.flagged.get(claim.pk, {})
        values = _values(claim)
        cells = []
        for key, heading in COLUMNS:
            indexes = flagged.get(key, [])
            cells.append(
                Cell(
                    key,
                    heading,
                    values[key],
                    [check.disagreements[i].message for i in indexes],
                    numeric=key in {"killed", "injured"},
                    described_by=" ".join(f"disagreement-{i + 1}" for i in indexes),
                )
            )
        rows.append(Row(claim, cells))
    return rows


def claims_panel_context(request: HttpRequest, incident: Incident) -> dict:
    """The context of templates/claims/_incident_claims.html."""
    check = incident_crosscheck(incident)
    can_add_claim = request.user.has_perm("claims.add_claim")
    return {
        "incident": incident,
        "crosscheck": check,
        "claims": check.claims,
        "matrix_columns": COLUMNS,
        "matrix_rows": matrix_rows(check),
        "can_add_claim": can_add_claim,
        "claim_form": None,  # the inline form is fetched when opened; set to a bound form to show its errors
    }


def incident_crosscheck_context(request: HttpRequest, incident: Incident) -> dict:
    """Everything of cross-checking on the incident page: the claims panel and the possible duplicates."""
    from verify.incidents.duplicates import duplicate_candidates

    return {
        **claims_panel_context(request, incident),
        "duplicates": duplicate_candidates(incident, user=request.user),
        "can_merge": request.user.has_perm("incidents.change_incident"),
    }
