"""Read an uploaded file as a stream of rows named by verify CSV columns, whatever its format.

Nothing here reads a whole file into memory: CSV goes through csv.reader over a TextIOWrapper, JSON through an
incremental decoder. Each row carries its number (as a spreadsheet shows it: the header is row 1) and how far
into the file the reader has got, for the progress bar.
"""

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verify.imports.models import ImportFormat
from verify.incidents.columns import CLAIM_DETAIL_COLUMNS, VERIFY_CSV_COLUMNS
from verify.lib import csvsafe

# A cell longer than this is not a spreadsheet cell but a broken quote swallowing the rest of the file.
MAX_CELL_CHARS = 100_000
MAX_JSON_OBJECT_CHARS = 1_000_000


class FileUnreadable(Exception):
    """The file as a whole cannot be read (not a CSV, wrong columns, not a JSON list): nothing to import."""


@dataclass
class RawRow:
    number: int
    values: dict[str, str]
    position: int
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message) found while reading


def unescape_cell(value: str) -> str:
    """Undo the export's guard against formula injection: "'=SUM(A1)" was written for the text "=SUM(A1)"."""
    return csvsafe.unescape_cell(value)


def read_header(stream: BinaryIO, encoding: str) -> list[str]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        header = next(csv.reader(text), [])
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileUnreadable(_("The first row cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    finally:
        text.detach()
        stream.seek(0)
    return [h.strip() for h in header]


def read_preview(stream: BinaryIO, encoding: str, rows: int = 3) -> list[list[str]]:
    """The first few data rows' cells, as written, for the mapping page's preview. Unreadable rows end it."""
    csv.field_size_limit(MAX_CELL_CHARS)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    found: list[list[str]] = []
    try:
        reader = csv.reader(text)
        next(reader, None)
        for cells in reader:
            if any(c.strip() for c in cells):
                found.append([unescape_cell(c) for c in cells])
            if len(found) >= rows:
                break
    except (csv.Error, UnicodeDecodeError):
        pass
    finally:
        text.detach()
        stream.seek(0)
    return found


def iter_rows(stream: BinaryIO, *, fmt: str, encoding: str, mapping: dict[str, str] | None = None) -> Iterator[RawRow]:
    if fmt == ImportFormat.JSON:
        yield from _json_rows(stream, encoding)
        return
    convert: Callable[[dict[str, str]], dict[str, str]]
    if fmt == ImportFormat.VERIFY_CSV:
        convert = _verify_columns
    elif fmt == ImportFormat.ACLED:
        convert = acled_to_verify
    elif fmt == ImportFormat.MAPPED_CSV:
        if not mapping:
            raise FileUnreadable(_("Choose which of the file's columns holds each of ours."))
        convert = _mapper(mapping)
    else:
        raise FileUnreadable(_("Unknown format %(format)s.") % {"format": repr(fmt)})
    yield from _csv_rows(stream, encoding, fmt, convert)


def _csv_rows(stream: BinaryIO, encoding: str, fmt: str, convert) -> Iterator[RawRow]:
    csv.field_size_limit(MAX_CELL_CHARS)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise FileUnreadable(_("The file is empty.")) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileUnreadable(_("The first row cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    _check_header(header, fmt)
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The reader cannot find its footing again after a broken quote: report it and stop here.
            yield RawRow(
                number,
                {},
                stream.tell(),
                [("", _("Malformed CSV, the rest of the file was not read: %(error)s.") % {"error": exc})],
            )
            break
        except UnicodeDecodeError as exc:
            yield RawRow(
                number,
                {},
                stream.tell(),
                [
                    (
                        "",
                        _("Bytes that are not %(encoding)s text: %(error)s.")
                        % {"encoding": encoding, "error": exc.reason},
                    )
                ],
            )
            break
        if not any(c.strip() for c in cells):
            continue
        problems = []
        if len(cells) != len(header):
            problems.append(
                (
                    "",
                    _("The row has %(cells)s cells where the header has %(header)s.")
                    % {"cells": len(cells), "header": len(header)},
                )
            )
        values = {name: unescape_cell(cell) for name, cell in zip(header, cells, strict=False) if name}
        yield RawRow(number, convert(values) if not problems else {}, stream.tell(), problems)


def _check_header(header: list[str], fmt: str) -> None:
    if fmt == ImportFormat.VERIFY_CSV:
        if "title" not in header:
            raise FileUnreadable(
                _("This is not a verify CSV: it has no 'title' column. Choose 'Other CSV' to map its columns to ours.")
            )
    elif fmt == ImportFormat.ACLED:
        missing = [c for c in ("event_date", "location", "source") if c not in header]
        if missing:
            raise FileUnreadable(
                ngettext(
                    "This is not an ACLED-style CSV: it has no %(columns)s column.",
                    "This is not an ACLED-style CSV: it has no %(columns)s columns.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)}
            )


# The columns every row has, empty when its file lacks them; the claim's own facts only when the file has them.
BASE_COLUMNS = tuple(c for c in VERIFY_CSV_COLUMNS if c not in CLAIM_DETAIL_COLUMNS)


def _verify_columns(values: dict[str, str]) -> dict[str, str]:
    """Every column, empty when the file lacks it, except the claim's own facts (CLAIM_DETAIL_COLUMNS): a file
    without those (an older export) leaves them out, so that the import leaves them alone."""
    return {
        name: values.get(name, "") for name in VERIFY_CSV_COLUMNS if name in values or name not in CLAIM_DETAIL_COLUMNS
    }


def _mapper(mapping: dict[str, str]) -> Callable[[dict[str, str]], dict[str, str]]:
    pairs = [(ours, theirs) for ours, theirs in mapping.items() if ours in VERIFY_CSV_COLUMNS and theirs]

    def convert(values: dict[str, str]) -> dict[str, str]:
        row = dict.fromkeys(BASE_COLUMNS, "")
        for ours, theirs in pairs:
            row[ours] = values.get(theirs, "")
        return row

    return convert


def _json_rows(stream: BinaryIO, encoding: str) -> Iterator[RawRow]:
    text = io.TextIOWrapper(stream, encoding=encoding)
    for number, item in enumerate(_json_array(text), start=1):
        if not isinstance(item, dict):
            yield RawRow(number, {}, stream.tell(), [("", _("The item is not an object."))])
            continue
        problems = []
        values = {}
        for name in VERIFY_CSV_COLUMNS:
            if name in CLAIM_DETAIL_COLUMNS and name not in item:
                continue
            value = item.get(name)
            if value is None:
                value = ""
            elif isinstance(value, bool) or not isinstance(value, str | int | float):
                problems.append((name, _("Expected text or a number.")))
                value = ""
            values[name] = str(value)
        yield RawRow(number, values, stream.tell(), problems)


def _json_array(text: io.TextIOBase, chunk_size: int = 1 << 16) -> Iterator[object]:
    """The items of a top-level JSON list, decoded one at a time from a stream."""
    decoder = json.JSONDecoder()
    buffer, position, eof = "", 0, False

    def fill() -> bool:
        nonlocal buffer, position, eof
        chunk = text.read(chunk_size)
        if not chunk:
            eof = True
            return False
        buffer = buffer[position:] + chunk
        position = 0
        return True

    def skip_space() -> str:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position].isspace():
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not fill():
                return ""

    try:
        if skip_space() != "[":
            raise FileUnreadable(_("The JSON file must be a list of objects: [{…}, {…}]."))
        position += 1
        expect_item = True
        while True:
            ch = skip_space()
            if ch == "]":
                return
            if ch == "":
                raise FileUnreadable(_("The JSON list is not closed: the file ends too soon."))
            if ch == "," and not expect_item:
                position += 1
                expect_item = True
                continue
            if not expect_item:
                raise FileUnreadable(
                    _("Malformed JSON: expected ',' or ']' but found %(found)s.") % {"found": repr(ch)}
                )
            while True:
                try:
                    item, end = decoder.raw_decode(buffer, position)
                    break
                except json.JSONDecodeError as exc:
                    if len(buffer) - position > MAX_JSON_OBJECT_CHARS:
                        raise FileUnreadable(_("A JSON item is larger than 1,000,000 characters.")) from exc
                    if eof or not fill():
                        raise FileUnreadable(
                            _("Malformed JSON: %(error)s (character %(position)s).")
                            % {"error": exc.msg, "position": exc.pos}
                        ) from exc
            position = end
            expect_item = False
            yield item
    except UnicodeDecodeError as exc:
        raise FileUnreadable(_("The file is not valid text: %(error)s.") % {"error": exc.reason}) from exc


# --- ACLED ------------------------------------------------------------------------------------------------------

# ACLED's geo_precision: 1 the named town, 2 near it or part of a region, 3 the wider region.
ACLED_GEO_PRECISION = {"1": "town", "2": "district", "3": "governorate"}
# time_precision: 1 the day, 2 within the week, 3 within the month.
ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
ACLED_SUB_EVENT_TYPES = {
    "air/drone strike": "airstrike",
    "shelling/artillery/missile attack": "shelling",
    "chemical weapon": "chemical",
    "armed clash": "ground_attack",
    "attack": "ground_attack",
    "abduction/forced disappearance": "other",
    "remote explosive/landmine/ied": "other",
    "suicide bomb": "other",
    "grenade": "other",
    "looting/property destruction": "other",
}
# The notes often say more precisely what was used than the event type does.
ACLED_NOTES_WEAPONS = (
    (re.compile(r"\bbarrel[- ]bombs?\b", re.I), "barrel_bomb"),
    (re.compile(r"\bcluster\s+(?:munitions?|bombs?)\b", re.I), "cluster_munition"),
    (re.compile(r"\b(?:chlorine|sarin|chemical)\b", re.I), "chemical"),
    (re.compile(r"\bmissiles?\b", re.I), "missile"),
)
ACLED_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%B %d, %Y")


def acled_date(text: str) -> str:
    text = text.strip()
    for fmt in ACLED_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text  # left as written: the row check reports it as a bad date


def acled_to_verify(values: dict[str, str]) -> dict[str, str]:
    """One ACLED event as a verify row: an incident and the claim of the event's source."""

    def get(name: str) -> str:
        return (values.get(name) or "").strip()

    notes, sub_event = get("notes"), get("sub_event_type")
    attack_type = ACLED_SUB_EVENT_TYPES.get(sub_event.lower(), "other") if sub_event else ""
    if attack_type in {"airstrike", "shelling", "other", ""}:
        for pattern, weapon in ACLED_NOTES_WEAPONS:
            if pattern.search(notes):
                attack_type = weapon
                break
    event_date = acled_date(get("event_date"))
    location = get("location")
    title = f"{sub_event or get('event_type') or 'Event'} in {location or get('admin1') or 'unknown place'}"
    fatalities = get("fatalities")
    # ACLED lists several outlets in one cell ("SOHR; Syrian Network for Human Rights"): the first names the claim.
    source = re.split(r"[;|]", get("source"))[0].strip()
    return dict.fromkeys(BASE_COLUMNS, "") | {
        "external_id": get("event_id_cnty") or get("data_id"),
        "title": title[:200],
        "summary": notes,
        "date_start": event_date,
        "date_end": event_date,
        "date_precision": ACLED_TIME_PRECISION.get(get("time_precision"), ""),
        "governorate": get("admin1"),
        "place": location,
        "location_name": ", ".join(p for p in (location, get("admin2"), get("admin1")) if p),
        "latitude": get("latitude"),
        "longitude": get("longitude"),
        "location_precision": ACLED_GEO_PRECISION.get(get("geo_precision"), ""),
        "attack_type": attack_type,
        "source": source,
        "stance": "alleges" if source else "",
        "published_on": "",
        "killed_min": fatalities,
        "killed_max": fatalities,
        "perpetrator": get("actor1"),
        "excerpt": notes,
    }
