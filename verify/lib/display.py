"""The one definition of how a casualty range, a distance and a precision radius read. No Django here.

Each measure is first a code with its numbers (range_parts, distance_parts, radius_parts); the Django layer
(verify.core.display) puts the code into words in the reader's language and formats the numbers for their
locale. The English functions here (range_text, distance_text, radius_text) are the reference wording, used by
verify.lib itself and by the tests, so that "34–49", "at least 34", "300 m" and "1.2 km" read the same everywhere.
"""

EN_DASH = "\u2013"

# Casualty ranges. Parameters: low and/or high (ints).
RANGE_AT_LEAST = "at_least"  # low
RANGE_UP_TO = "up_to"  # high
RANGE_EXACT = "exact"  # low (== high)
RANGE_BETWEEN = "between"  # low, high
RANGE_TO_AT_LEAST = "to_at_least"  # low, high: several claims, the highest figure only a minimum
# Distances and radii. Parameters: metres (int) or km (float, shown to one decimal).
DISTANCE_METRES = "metres"  # metres
DISTANCE_KILOMETRES = "kilometres"  # km
RADIUS_METRES = "radius_metres"  # metres

CODES = frozenset(
    {
        RANGE_AT_LEAST,
        RANGE_UP_TO,
        RANGE_EXACT,
        RANGE_BETWEEN,
        RANGE_TO_AT_LEAST,
        DISTANCE_METRES,
        DISTANCE_KILOMETRES,
        RADIUS_METRES,
    }
)

ENGLISH = {
    RANGE_AT_LEAST: "at least {low}",
    RANGE_UP_TO: "up to {high}",
    RANGE_EXACT: "{low}",
    RANGE_BETWEEN: "{low}" + EN_DASH + "{high}",
    RANGE_TO_AT_LEAST: "{low} to at least {high}",
    DISTANCE_METRES: "{metres} m",
    DISTANCE_KILOMETRES: "{km:.1f} km",
    RADIUS_METRES: "± {metres:,} m",
}

Parts = tuple[str, dict]


def range_parts(low: int | None, high: int | None) -> Parts | None:
    """A casualty figure as a code and its ends; None when neither end is stated."""
    if low is None and high is None:
        return None
    if high is None:
        return RANGE_AT_LEAST, {"low": low}
    if low is None:
        return RANGE_UP_TO, {"high": high}
    if low == high:
        return RANGE_EXACT, {"low": low}
    return RANGE_BETWEEN, {"low": low, "high": high}


def distance_parts(metres: float) -> Parts:
    """Whole metres below a kilometre, else kilometres to one decimal (999.7 m is "1.0 km", never "1000 m")."""
    rounded = round(metres)
    if rounded < 1000:
        return DISTANCE_METRES, {"metres": rounded}
    return DISTANCE_KILOMETRES, {"km": metres / 1000}


def radius_parts(metres: int) -> Parts:
    """A stated precision, always in metres so that the precisions compare at a glance."""
    return RADIUS_METRES, {"metres": metres}


def english(parts: Parts | None) -> str:
    """The reference English words of a code and its parameters; "" for None."""
    if parts is None:
        return ""
    code, params = parts
    return ENGLISH[code].format(**params)


def span_parts(low: int | None, high: int | None, *, low_open: bool = False, high_open: bool = False) -> Parts | None:
    """Figures combined over several claims, worded as the claims word them. `high_open`: the highest figure is
    only a minimum ("at least 40"), so it stays one: "30" and "at least 40" read "30 to at least 40", never
    "30–40", and "at least 40" alone reads "at least 40". `low_open`: the lowest is only a maximum ("up to 15")."""
    if low is None or high is None or (low != high and not high_open):
        return range_parts(low, high)
    if low == high:
        if high_open and not low_open:
            return RANGE_AT_LEAST, {"low": low}
        if low_open and not high_open:
            return RANGE_UP_TO, {"high": high}
        return RANGE_EXACT, {"low": low}
    return RANGE_TO_AT_LEAST, {"low": low, "high": high}


def span_text(low: int | None, high: int | None, *, low_open: bool = False, high_open: bool = False) -> str:
    """The reference English of span_parts: "30 to at least 40", "at least 40", "34–49"."""
    return english(span_parts(low, high, low_open=low_open, high_open=high_open))


def range_text(low: int | None, high: int | None) -> str:
    """A casualty figure: "34–49", "49", "at least 34", "up to 15", or "" when neither end is stated."""
    return english(range_parts(low, high))


def distance_text(metres: float) -> str:
    """A distance: whole metres below a kilometre ("300 m"), else kilometres to one decimal ("1.2 km")."""
    return english(distance_parts(metres))


def radius_text(metres: int) -> str:
    """A stated precision, always in metres so that the precisions compare at a glance: "± 5,000 m"."""
    return english(radius_parts(metres))
