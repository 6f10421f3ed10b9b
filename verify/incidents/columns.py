"""The columns of the verify CSV: what the list exports (issue 6) and what the importer reads back (issue 7).

The format is long: one row per claim, with its incident's columns repeated, so that an export imports back to
the same incidents and claims. An incident without claims is one row with the claim columns empty. Rows belong to
the same incident when they share `reference` (an incident of this database) or, failing that, `external_id`
(the incident's identifier in the dataset it came from).

`labels` holds the incident's labels by name, separated by "; " (a label name cannot contain ";"). An import adds
the labels it names (an unknown name becomes a new top-level label) and never removes one.

Values: dates are ISO 8601 (YYYY-MM-DD); choice fields use their stored values (for example `airstrike`,
`neighbourhood`, `denies`); `place` is a gazetteer name in any spelling and `governorate` helps to tell places of
the same name apart; numbers are plain integers; an empty cell means unknown.
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
)

VERIFY_CSV_COLUMNS: tuple[str, ...] = INCIDENT_COLUMNS + CLAIM_COLUMNS

# Not part of what makes a row's identity (see verify.imports.rows.content_key): a file gaining or losing these
# columns still matches the incidents an earlier import of it created.
NOT_IDENTITY_COLUMNS: frozenset[str] = frozenset({"status", "grade", "labels"})


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
}
assert tuple(COLUMN_LABELS) == VERIFY_CSV_COLUMNS


def csv_header(headers: str | None = None) -> list[str]:
    """The export's header row: the verify column names, or with `headers=local` their names in the reader's
    language (evaluated now, in the active language)."""
    if headers == LOCAL_HEADERS:
        return [str(COLUMN_LABELS[column]) for column in VERIFY_CSV_COLUMNS]
    return list(VERIFY_CSV_COLUMNS)
