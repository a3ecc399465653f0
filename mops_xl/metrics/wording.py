"""How the engine's sentences spell money and counts, defined once: the currency on every amount, plurals right."""

from __future__ import annotations


def money(value: float, prefix: str) -> str:
    """Money as a leader reads it: the currency always; whole units from 100 up (and for zero), cents below.

    Args:
        value: The amount.
        prefix: The currency prefix (e.g. "$", "THB ").

    Returns:
        e.g. "$38,073", "$351", "$11.93", "$0", "-$1,200".
    """
    sign = "-" if value < 0 else ""
    v = abs(value)
    digits = 0 if v >= 100 or round(v, 2) == 0 else 2
    return f"{sign}{prefix}{v:,.{digits}f}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun in the right number.

    Args:
        n: The count.
        singular: The noun for one ("campaign").
        plural: The noun for other counts (default: ``singular`` + "s").

    Returns:
        e.g. "1 campaign", "3 campaigns", "0 touches".
    """
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
