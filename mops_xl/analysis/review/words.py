"""How the review room spells a change: signed, in the metric's unit, with the currency
(:mod:`mops_xl.analysis.blocks.wording`), and a minus sign that reads as one ("−$48", "+9", "+18%", "−0.3").
"""

from __future__ import annotations

import math

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.wording import UNDEFINED, figure, fixed, money

#: The sign of a fall.
MINUS = "−"
#: The money volumes (a channel's change in them reads as a percentage of what it was).
MONEY_VOLUMES = ("Spend", "Revenue")


def _signed(text: str, value: float) -> str:
    """``text`` (the size) with the sign of ``value``; no sign when the size shows as zero."""
    if not any(ch in "123456789" for ch in text):
        return text
    return ("+" if value > 0 else MINUS) + text


def signed_money(value: float, prefix: str) -> str:
    """A change of money: "+$212", "−$48", "$0".

    Args:
        value: The change.
        prefix: The currency prefix.

    Returns:
        The text.
    """
    return _signed(money(abs(value), prefix), value)


def signed_count(value: float) -> str:
    """A change of a count: "+9", "−2", "0" (one decimal when it is not whole).

    Args:
        value: The change.

    Returns:
        The text.
    """
    digits = 0 if abs(value - round(value)) < 1e-9 else 1
    return _signed(fixed(abs(value), digits), value)


def signed_change(metric: str, value: float, prefix: str) -> str:
    """A change of a catalogue figure in its unit: money with the currency, counts whole, ratios with two
    decimals below 0.1 (else one), percentages in points.

    Args:
        metric: The metric (a name the catalogue does not know is a count).
        value: The change (NaN: "–").
        prefix: The currency prefix.

    Returns:
        The text.
    """
    if math.isnan(value):
        return UNDEFINED
    entry = catalogue.current().find(metric)
    unit = entry.unit if entry is not None else "count"
    if unit == "money":
        return signed_money(value, prefix)
    if unit == "ratio":
        return _signed(fixed(abs(value), 2 if abs(value) < 0.1 else 1), value)
    if unit == "percent":
        return _signed(fixed(abs(value) * 100, 1) + " pts", value)
    return signed_count(value)


def shown(metric: str, value: float | None, prefix: str) -> str:
    """A figure as the report shows it ("–" when undefined).

    Args:
        metric: The metric.
        value: The value.
        prefix: The currency prefix.

    Returns:
        The text.
    """
    return figure(metric, math.nan if value is None else value, prefix)


def volume_change(volume: str, before: float, after: float, prefix: str) -> str:
    """How a channel's volume moved, as a leader reads it: money as a percentage of what it was ("spend +18.0%";
    "+$1,200" from nothing), counts as a number ("customers −2").

    Args:
        volume: The volume ("Spend", "Customers" …).
        before: Its value in the previous report (NaN: none).
        after: Its value in this one (NaN: none).
        prefix: The currency prefix.

    Returns:
        E.g. "spend +18.0%" (one decimal, as every measured percentage).
    """
    b = 0.0 if math.isnan(before) else before
    a = 0.0 if math.isnan(after) else after
    name = volume if volume in ("MQLs", "SQLs") else volume.lower()
    if volume in MONEY_VOLUMES:
        if b > 0:
            return f"{name} {_signed(fixed(abs(a - b) / b * 100, 1) + '%', a - b)}"
        return f"{name} {signed_money(a - b, prefix)}"
    return f"{name} {signed_count(a - b)}"
