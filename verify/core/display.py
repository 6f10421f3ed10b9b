"""The measures of verify.lib.display in the reader's language: casualty ranges, distances and radii.

verify.lib.display decides what a measure is (a code and its numbers); this module puts it into words with
gettext, at the time it is shown, and formats the numbers for the active locale. Under English the words are
exactly verify.lib.display's reference English.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, pgettext

from verify.lib import display


def _number(value, decimals: int | None = None, grouping: bool = False) -> str:
    return number_format(value, decimal_pos=decimals, force_grouping=grouping)


def parts_text(parts: display.Parts | None) -> str:
    """The words of a code and its parameters from verify.lib.display, in the active language."""
    if parts is None:
        return ""
    code, params = parts
    if code == display.RANGE_AT_LEAST:
        return gettext("at least %(low)s") % {"low": _number(params["low"])}
    if code == display.RANGE_UP_TO:
        return gettext("up to %(high)s") % {"high": _number(params["high"])}
    if code == display.RANGE_EXACT:
        return _number(params["low"])
    if code == display.RANGE_BETWEEN:
        return pgettext("casualty range", "%(low)s–%(high)s") % {
            "low": _number(params["low"]),
            "high": _number(params["high"]),
        }
    if code == display.RANGE_TO_AT_LEAST:
        return gettext("%(low)s to at least %(high)s") % {
            "low": _number(params["low"]),
            "high": _number(params["high"]),
        }
    if code == display.DISTANCE_METRES:
        return gettext("%(metres)s m") % {"metres": _number(params["metres"])}
    if code == display.DISTANCE_KILOMETRES:
        # Rounded as verify.lib.display rounds it (number_format would cut the decimals off instead).
        return gettext("%(km)s km") % {"km": _number(Decimal(f"{params['km']:.1f}"), decimals=1)}
    if code == display.RADIUS_METRES:
        return gettext("± %(metres)s m") % {"metres": _number(params["metres"], grouping=True)}
    raise KeyError(code)


def range_text(low: int | None, high: int | None) -> str:
    """A casualty figure: "34–49", "49", "at least 34", "up to 15", or "" when neither end is stated."""
    return parts_text(display.range_parts(low, high))


def span_text(low: int | None, high: int | None, *, low_open: bool = False, high_open: bool = False) -> str:
    """Figures combined over several claims, as the claims word them: "30 to at least 40", "at least 40"."""
    return parts_text(display.span_parts(low, high, low_open=low_open, high_open=high_open))


def distance_text(metres: float) -> str:
    """A distance: "300 m", "1.2 km"."""
    return parts_text(display.distance_parts(metres))


def radius_text(metres: int) -> str:
    """A stated precision: "± 5,000 m"."""
    return parts_text(display.radius_parts(metres))


# --- Values of a record as stored, for histories and the custody log -------------------------------------------------

# Keys of a custody event's detail whose whole-number value is a count of bytes.
BYTE_KEYS = frozenset({"size", "bytes", "size_bytes", "expected_bytes"})


def yes_no(value: bool | None) -> str:
    """Yes, No, or Unknown (a yes/no question nobody answered)."""
    if value is None:
        return gettext("Unknown")
    return gettext("Yes") if value else gettext("No")


def size_text(size: int) -> str:
    """A file size in the reader's units: "4.6 KB", "12.3 MB" (the same words as Django's filesizeformat)."""
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(size))


def decimal_text(value) -> str:
    """A stored decimal (a coordinate, say) as a number: 35.81374, not "35.813740" nor "['35.8137', …]"."""
    number = Decimal(str(value))
    if number == number.to_integral():
        return _number(number.quantize(Decimal(1)))
    text = format(number.normalize(), "f")
    return _number(number, decimals=len(text.partition(".")[2]))


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    if isinstance(value, str):
        try:
            Decimal(value)
        except ArithmeticError:
            return False
        return value.strip() != "" and any(ch.isdigit() for ch in value) and "." in value
    return False


def stored_value_text(value, key: str = "") -> str:
    """One stored value (of a custody event's detail, say) in words: Yes/No for booleans, sizes in KB or MB for
    counts of bytes, numbers as numbers, lists joined, nested records as `key: value` pairs. Blank for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if key in BYTE_KEYS and isinstance(value, int):
        return size_text(value)
    if isinstance(value, int):
        return _number(value)
    if _is_number(value):
        return decimal_text(value)
    if isinstance(value, list | tuple):
        if key == "size" and len(value) == 2 and all(isinstance(v, int) for v in value):
            return pgettext("image dimensions", "%(width)s × %(height)s") % {"width": value[0], "height": value[1]}
        return ", ".join(text for item in value if (text := stored_value_text(item)))
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {text}" for k, v in value.items() if (text := stored_value_text(v, k)))
        return f"({inner})" if inner else ""
    return str(value)


def detail_items(detail) -> list[tuple[str, str]]:
    """A custody event's detail as (key, words) pairs, leaving out what is empty. The keys are the log's own
    codes (data, shown as stored); the values are put into words."""
    if not isinstance(detail, dict):
        return []
    return [(key, text) for key, value in detail.items() if (text := stored_value_text(value, key))]
