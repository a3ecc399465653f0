"""A chance in words, as a leader reads it: "about 1 in 20", "about 7 in 10", "almost certain", never
"P = 0.0473"."""

from __future__ import annotations

import math

#: The "1 in N" a small chance is rounded to (and the "N − 1 in N" of a large one).
FRIENDLY = (8, 10, 12, 15, 20, 25, 30, 40, 50, 100)
#: At or beyond these a chance is "almost certain" or "less than 1 in 100".
CERTAIN, NONE = 0.99, 0.01
#: The words of the two ends.
ALMOST_CERTAIN, ALMOST_NONE = "almost certain", "less than 1 in 100"
#: Between these a chance is "about even".
EVEN = (0.45, 0.55)
#: Between these (and their mirror above even) a chance is said in tenths.
TENTHS_FROM = 0.15


def chance_in_words(chance: float) -> str:
    """Say a chance in words.

    Args:
        chance: A fraction from 0 to 1 (NaN: unknown).

    Returns:
        "almost certain" (99 % or more), "about 19 in 20", "about 9 in 10", "about 7 in 10", "about even"
        (45–55 %), "about 3 in 10", "about 1 in 8", "about 1 in 20", "less than 1 in 100" (1 % or less), or
        "unknown".

    Examples:
        >>> chance_in_words(0.05), chance_in_words(0.9), chance_in_words(0.995)
        ('about 1 in 20', 'about 9 in 10', 'almost certain')
    """
    if chance is None or math.isnan(chance):
        return "unknown"
    if chance >= CERTAIN:
        return ALMOST_CERTAIN
    if chance <= NONE:
        return ALMOST_NONE
    if EVEN[0] <= chance <= EVEN[1]:
        return "about even"
    if TENTHS_FROM < chance < 1 - TENTHS_FROM:
        return f"about {round(chance * 10)} in 10"
    if chance <= TENTHS_FROM:
        return f"about 1 in {_friendly(1 / chance)}"
    n = _friendly(1 / (1 - chance))
    return f"about {n - 1} in {n}"


def _friendly(odds: float) -> int:
    """The :data:`FRIENDLY` number nearest to ``odds`` on a log scale."""
    return min(FRIENDLY, key=lambda n: abs(math.log(n) - math.log(odds)))
