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
