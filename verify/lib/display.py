"""The one definition of how a casualty range, a distance and a precision radius read. No Django here.

Every page, message and data endpoint that shows one of these calls the function here, so that "34–49",
"at least 34", "300 m" and "1.2 km" read the same everywhere.
"""

EN_DASH = "\u2013"


def range_text(low: int | None, high: int | None) -> str:
    """A casualty figure: "34–49", "49", "at least 34", "up to 15", or "" when neither end is stated."""
    if low is None and high is None:
        return ""
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"up to {high}"
    if low == high:
        return str(low)
    return f"{low}{EN_DASH}{high}"


def distance_text(metres: float) -> str:
    """A distance: whole metres below a kilometre ("300 m"), else kilometres to one decimal ("1.2 km")."""
    rounded = round(metres)
    return f"{rounded} m" if rounded < 1000 else f"{metres / 1000:.1f} km"


def radius_text(metres: int) -> str:
    """A stated precision, always in metres so that the precisions compare at a glance: "± 5,000 m"."""
    return f"± {metres:,} m"
