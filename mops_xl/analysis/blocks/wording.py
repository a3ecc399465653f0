"""How every sentence and table of text spells a figure, defined once: the currency on every amount, ratios as
3.1:1, percentages with one decimal (as the report's ``0.0%`` format), p-values as the report's p-value format,
plurals right.

The report's number formats (``mops_xl/outputs/workbook/layout/cell_formats.py``) show the same figures the same way,
so a
figure reads alike on a sheet, in the framework text, in the terminal summary and in an action's evidence.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from mops_xl.analysis.blocks import catalogue
from mops_xl.plural import count

__all__ = ["UNDEFINED", "count", "figure", "fixed", "money", "p_value", "percent", "threshold"]

#: What a figure that is undefined (NaN, None) shows.
UNDEFINED = "–"


def fixed(value: float, digits: int) -> str:
    """A number with thousands separators and ``digits`` decimals, rounded half away from zero as Excel shows
    it (Python's own formatting rounds half to even: 1,250.5 would read "1,250" beside the sheet's "1,251").

    Args:
        value: The number (finite).
        digits: The decimals.

    Returns:
        e.g. "1,251", "89.3".
    """
    exact = Decimal(repr(float(value)))  # the shortest repr: 2.675 stays 2.675, not 2.67499…
    return f"{exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):,.{digits}f}"


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
    shown = fixed(v, digits)
    return f"{sign if shown.strip('0.,') else ''}{prefix}{shown}"


def percent(value: float | None, signed: bool = False) -> str:
    """A measured share as every percentage of the report shows it: one decimal ("89.4%"), "–" when undefined.

    Args:
        value: The share (0.894 for 89.4 %).
        signed: Whether to show the sign of a change ("+12.5%").

    Returns:
        The text.
    """
    if value is None or math.isnan(value):
        return UNDEFINED
    shown = fixed(value * 100, 1)
    sign = "+" if signed and not shown.startswith("-") else ""
    return f"{sign}{shown}%"


def threshold(value: float) -> str:
    """A threshold or bound the team sets (or the method states) as the Settings sheet shows it: whole percent.

    Args:
        value: The share (0.8 for 80 %).

    Returns:
        e.g. "80%", "110%".
    """
    return f"{value:.0%}"


def p_value(p: float) -> str:
    """A p-value as the report's p-value format shows it: "< 0.001", "0.0023", "0.049".

    Args:
        p: The p-value.

    Returns:
        The text ("–" when undefined).
    """
    if math.isnan(p):
        return UNDEFINED
    if p < 0.001:
        return "< 0.001"
    return f"{p:.4f}" if p < 0.01 else f"{p:.3f}"


def figure(metric: str, value: object, prefix: str) -> str:
    """A figure of the metric catalogue in words, by its unit: money with the currency, ratios as 3.1:1,
    percentages with one decimal, counts whole.

    Args:
        metric: The metric's name (a name the catalogue does not know is a count).
        value: The value (NaN or None shows as "–"; a text, such as "Not tracked", shows as it is).
        prefix: The currency prefix (e.g. "$").

    Returns:
        The text.
    """
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNDEFINED
    number = float(value)  # type: ignore[arg-type]
    entry = catalogue.current().find(metric)  # the unit is the catalogue's
    unit = entry.unit if entry is not None else "count"
    if unit == "ratio":
        return f"{fixed(number, 1)}:1"
    if unit == "money":
        return money(number, prefix)
    if unit == "percent":
        return percent(number)
    return fixed(number, 0)
