"""What a CSV file looks like from its header: which of our formats it is, and which of its columns likely holds
each of ours (for the mapping page's first guess).

Pure functions over the header's names; nothing here reads a file.
"""

import re

from verify.imports.models import ImportFormat
from verify.incidents.columns import VERIFY_CSV_COLUMNS

# The columns that make a header ACLED's: its identifiers and the three the ACLED reader needs.
ACLED_MARKERS = ("event_id_cnty", "event_date", "sub_event_type", "admin1", "fatalities", "geo_precision")
ACLED_REQUIRED = ("event_date", "location", "source")

# Which file column each verify CSV column is read from in an ACLED file, to name the file's own columns in
# the problem report. The title and the precisions are built from several.
ACLED_COLUMNS = {
    "external_id": "event_id_cnty",
    "title": "sub_event_type",
    "summary": "notes",
    "date_start": "event_date",
    "date_end": "event_date",
    "date_precision": "time_precision",
    "governorate": "admin1",
    "place": "location",
    "location_name": "location",
    "latitude": "latitude",
    "longitude": "longitude",
    "location_precision": "geo_precision",
    "attack_type": "sub_event_type",
    "source": "source",
    "killed_min": "fatalities",
    "killed_max": "fatalities",
    "perpetrator": "actor1",
    "excerpt": "notes",
}

# Headers other datasets use for our columns, in English and Arabic, compared without case, accents of spacing
# or punctuation. The first header of the file that matches wins; a column is guessed for one of ours only.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "reference": ("ref", "reference number"),
    "external_id": ("id", "event id", "incident id", "code", "uid", "record id", "المعرف", "الرقم", "رقم الحادثة"),
    "title": ("name", "headline", "event", "incident", "subject", "العنوان", "الحادثة", "اسم الحادثة"),
    "summary": ("description", "notes", "details", "narrative", "comment", "comments", "الوصف", "ملخص", "التفاصيل"),
    "date_start": (
        "date",
        "event date",
        "start date",
        "incident date",
        "day",
        "when",
        "التاريخ",
        "تاريخ الحادثة",
        "تاريخ",
    ),
    "date_end": ("end date", "date to", "until", "تاريخ الانتهاء"),
    "governorate": ("province", "region", "admin1", "state", "governorate", "المحافظة", "محافظة"),
    "place": ("town", "city", "village", "location", "locality", "place name", "المدينة", "البلدة", "القرية", "المكان"),
    "location_name": ("address", "site", "neighbourhood", "neighborhood", "district", "الحي", "العنوان التفصيلي"),
    "latitude": ("lat", "y", "خط العرض"),
    "longitude": ("lon", "lng", "long", "x", "خط الطول"),
    "attack_type": ("type", "attack", "weapon", "event type", "sub event type", "نوع الهجوم", "السلاح", "النوع"),
    "target_type": ("target", "facility", "الهدف", "نوع الهدف"),
    "source": ("source name", "outlet", "reported by", "organisation", "organization", "المصدر"),
    "source_url": ("link", "url", "source link", "href", "web", "الرابط", "رابط"),
    "published_on": ("published", "publication date", "report date", "تاريخ النشر"),
    "killed_min": (
        "dead",
        "killed",
        "deaths",
        "fatalities",
        "deaths min",
        "killed min",
        "civilian deaths",
        "القتلى",
        "قتلى",
        "الضحايا",
        "عدد القتلى",
        "الشهداء",
    ),
    "killed_max": ("deaths max", "killed max", "fatalities max", "max killed"),
    "injured_min": ("wounded", "injured", "injuries", "injured min", "الجرحى", "جرحى", "المصابون", "عدد الجرحى"),
    "injured_max": ("injured max", "wounded max", "max injured"),
    "perpetrator": ("perpetrator", "actor", "actor1", "belligerent", "attacker", "الجهة المنفذة", "الفاعل"),
    "munition": ("munition", "ammunition", "weapon used", "الذخيرة"),
    "excerpt": ("quote", "text", "extract", "النص", "المقتطف"),
}

_PUNCTUATION = re.compile(r"[\s_\-./:()#]+")


def normalise(header: str) -> str:
    """A header compared without case, spacing or punctuation: "Killed (min)" and "killed_min" are one."""
    return _PUNCTUATION.sub(" ", header.casefold()).strip()


def detect_format(header: list[str]) -> str | None:
    """The format this CSV header looks like: a verify CSV (it has our `title`), an ACLED export (its identifiers
    and the columns the ACLED reader needs), or None: another CSV, to map."""
    names = {h.strip().casefold() for h in header}
    acled = all(c in names for c in ACLED_REQUIRED) and sum(c in names for c in ACLED_MARKERS) >= 3
    if acled:
        return ImportFormat.ACLED
    if "title" in names:
        return ImportFormat.VERIFY_CSV
    return None


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Our column -> the file's header most likely holding it: the same name first, then a known synonym.

    Each of the file's headers is given to one of our columns at most."""
    by_norm: dict[str, str] = {}
    for h in header:
        if h:
            by_norm.setdefault(normalise(h), h)
    guess: dict[str, str] = {}
    used: set[str] = set()
    for column in VERIFY_CSV_COLUMNS:
        found = by_norm.get(normalise(column))
        if found:
            guess[column] = found
            used.add(found)
    for column in VERIFY_CSV_COLUMNS:
        if column in guess:
            continue
        for synonym in SYNONYMS.get(column, ()):
            found = by_norm.get(normalise(synonym))
            if found and found not in used:
                guess[column] = found
                used.add(found)
                break
    return guess


def file_columns(fmt: str, mapping: dict[str, str]) -> dict[str, str]:
    """Our column -> the name of the file's column it was read from, for the formats whose columns are not ours."""
    if fmt == ImportFormat.MAPPED_CSV:
        return {ours: theirs for ours, theirs in mapping.items() if theirs}
    if fmt == ImportFormat.ACLED:
        return dict(ACLED_COLUMNS)
    return {}
