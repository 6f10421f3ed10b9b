"""The columns of the verify CSV: what the list exports (issue 6) and what the importer reads back (issue 7).

The format is long: one row per claim, with its incident's columns repeated, so that an export imports back to
the same incidents and claims. An incident without claims is one row with the claim columns empty. Rows belong to
the same incident when they share `reference` (an incident of this database) or, failing that, `external_id`
(the incident's identifier in the dataset it came from).

`labels` holds the incident's labels by name, separated by "; " (a label name cannot contain ";"). An import adds
the labels it names (an unknown name becomes a new top-level label) and never removes one.

Values: dates are ISO 8601 (YYYY-MM-DD); choice fields use their stored values (for example `airstrike`,
`neighbourhood`, `denies`); `place` is a gazetteer name in any spelling and `governorate` helps to tell places of
the same name apart; numbers are plain integers; yes/no cells hold `yes` or `no`; an empty cell means unknown.

A claim carries its own facts too (`claim_date`, `claim_place`, `claim_latitude`, `military_objective`...), and
`claim_key` names it within its incident (the export numbers an incident's claims 1, 2, 3...), so that
`derived_from` can name the claim it repeats. `suggested_grade`, `has_disagreements` and `denied_by_party` are
exported but not imported: an import recomputes them from the claims.
"""

from django.utils.translation import gettext_lazy as _

INCIDENT_COLUMNS: tuple[str, ...] = (
    "reference",
    "external_id",
    "title",
    "summary",
    "date_start",
    "date_end",
    "date_precision",
    "governorate",
    "place",
    "location_name",
    "latitude",
    "longitude",
    "location_precision",
    "attack_type",
    "target_type",
    "status",
    "grade",
    "labels",
    "suggested_grade",
    "has_disagreements",
    "denied_by_party",
)

CLAIM_COLUMNS: tuple[str, ...] = (
    "source",
    "source_url",
    "stance",
    "published_on",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "perpetrator",
    "munition",
    "credibility",
    "excerpt",
    "claim_key",
    "claim_date",
    "claim_date_precision",
    "claim_governorate",
    "claim_place",
    "claim_latitude",
    "claim_longitude",
    "claim_location_precision",
    "military_objective",
    "military_objective_distance_m",
    "derived_from",
)

VERIFY_CSV_COLUMNS: tuple[str, ...] = INCIDENT_COLUMNS + CLAIM_COLUMNS

# Not part of what makes a row's identity (see verify.imports.rows.content_key): a file gaining or losing these
# columns still matches the incidents an earlier import of it created.
NOT_IDENTITY_COLUMNS: frozenset[str] = frozenset(
    {"status", "grade", "labels", "suggested_grade", "has_disagreements", "denied_by_party"}
)

# Exported for reading but never imported: an import recomputes them from the claims (the cross-check).
COMPUTED_COLUMNS: frozenset[str] = frozenset({"suggested_grade", "has_disagreements", "denied_by_party"})

# The claim's own facts, added to the format later (issue 20). A file without one of these columns (an older
# export) leaves that fact of an existing claim as it is; with the column, an empty cell clears it.
CLAIM_DETAIL_COLUMNS: frozenset[str] = frozenset(CLAIM_COLUMNS[CLAIM_COLUMNS.index("claim_key") :])

# Yes/no cells (military_objective, has_disagreements, denied_by_party): an empty cell means unknown.
YES, NO = "yes", "no"


# Headers in the reader's language, for an export asked for with `headers=local` (HEADERS_PARAM). Such a file is
# for reading: the importer knows only the column names above, which every export uses unless asked otherwise.
HEADERS_PARAM = "headers"
LOCAL_HEADERS = "local"
COLUMN_LABELS = {
    "reference": _("Reference"),
    "external_id": _("External ID"),
    "title": _("Title"),
    "summary": _("Summary"),
    "date_start": _("Date (from)"),
    "date_end": _("Date (to)"),
    "date_precision": _("Date precision"),
    "governorate": _("Governorate"),
    "place": _("Place"),
    "location_name": _("Location as reported"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "location_precision": _("Location precision"),
    "attack_type": _("Attack type"),
    "target_type": _("Target type"),
    "status": _("Status"),
    "grade": _("Grade"),
    "labels": _("Labels"),
    "suggested_grade": _("Suggested grade"),
    "has_disagreements": _("Sources disagree"),
    "denied_by_party": _("Denied by a party"),
    "source": _("Source"),
    "source_url": _("Source URL"),
    "stance": _("Stance"),
    "published_on": _("Published on"),
    "killed_min": _("Killed (minimum)"),
    "killed_max": _("Killed (maximum)"),
    "injured_min": _("Injured (minimum)"),
    "injured_max": _("Injured (maximum)"),
    "perpetrator": _("Perpetrator"),
    "munition": _("Munition"),
    "credibility": _("Credibility"),
    "excerpt": _("Excerpt"),
    "claim_key": _("Claim key"),
    "claim_date": _("Date of the attack (as claimed)"),
    "claim_date_precision": _("Claimed date precision"),
    "claim_governorate": _("Claimed governorate"),
    "claim_place": _("Claimed place"),
    "claim_latitude": _("Claimed latitude"),
    "claim_longitude": _("Claimed longitude"),
    "claim_location_precision": _("Claimed location precision"),
    "military_objective": _("Military objective present"),
    "military_objective_distance_m": _("Distance to the military objective (m)"),
    "derived_from": _("Derived from (claim key)"),
}
assert tuple(COLUMN_LABELS) == VERIFY_CSV_COLUMNS


def csv_header(headers: str | None = None) -> list[str]:
    """The export's header row: the verify column names, or with `headers=local` their names in the reader's
    language (evaluated now, in the active language)."""
    if headers == LOCAL_HEADERS:
        return [str(COLUMN_LABELS[column]) for column in VERIFY_CSV_COLUMNS]
    return list(VERIFY_CSV_COLUMNS)
