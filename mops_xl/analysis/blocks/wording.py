"""How every sentence and table of text spells a figure, defined once: the currency on every amount, ratios as
3.1:1, percentages with one decimal (as the report's ``0.0%`` format), p-values as the report's p-value format,
plurals right, and dates one way in prose ("10 Sep 2026"; ISO dates stay in data cells and JSON values; ``day``
and ``days`` live with the intake's messages, ``mops_xl.intake.problems``, so its messages write them alike), the
period named once ("Q3 2026", "February–April 2026", "1 Feb–30 Apr 2026").

The report's number formats (``mops_xl/outputs/workbook/layout/cell_formats.py``) show the same figures the same way,
so a figure reads alike on a sheet, in the framework text, in the terminal summary and in an action's evidence.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from mops_xl.analysis.blocks import catalogue
from mops_xl.intake.problems import MONTHS, day, days
from mops_xl.plural import count

__all__ = [
    "MONTHS",
    "UNDEFINED",
    "count",
    "day",
    "days",
    "figure",
    "fixed",
    "money",
    "month",
    "p_value",
    "percent",
    "period",
    "period_dates",
    "redo_digits",
    "redone",
    "shown_digits",
    "threshold",
]

#: What a figure that is undefined (NaN, None) shows.
UNDEFINED = "–"
#: How far the attainment a reader works out from a target to date and an actual as shown may be from the
#: attainment shown beside them (0.1 percentage points).
REDO_TOLERANCE = 0.001
#: The most decimals a figure is given so that its attainment can be redone.
MOST_DIGITS = 4


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
    return fixed(p, 4 if p < 0.01 else 3)  # halves away from zero, as the sheet's format shows them


def month(date: dt.date) -> str:
    """A month and its year, as a period's name: "October 2026".

    Args:
        date: Any day of the month.

    Returns:
        The name.
    """
    return f"{MONTHS[date.month - 1]} {date.year}"


def period(first: dt.date, last: dt.date) -> str:
    """A reporting period named once, as people say it: "Q3 2026" for a calendar quarter, "October 2026" for a
    calendar month, "2026" for a calendar year, "February–April 2026" for other whole months
    ("November 2025–January 2026" across a year), else its days ("1 Feb–30 Apr 2026" is whole months, so
    "February–April 2026"; "5–31 Oct 2026" is not).

    Args:
        first: The first day.
        last: The last day.

    Returns:
        The name.
    """
    whole_months = first.day == 1 and (last + dt.timedelta(days=1)).day == 1 and first <= last
    if not whole_months:
        return days(first, last)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months == 1:
        return month(first)
    if months == 3 and first.month % 3 == 1:
        return f"Q{(first.month + 2) // 3} {first.year}"
    if months == 12 and first.month == 1:
        return str(first.year)
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]}–{month(last)}"
    return f"{month(first)}–{month(last)}"


def period_dates(first: dt.date, last: dt.date) -> str:
    """A period's name with its days when the name does not give them: "Q3 2026 (1 Jul–30 Sep 2026)",
    "5–31 Oct 2026".

    Args:
        first: The first day.
        last: The last day.

    Returns:
        The text.
    """
    name, span = period(first, last), days(first, last)
    return name if name == span else f"{name} ({span})"


def _unit(metric: str) -> str:
    entry = catalogue.current().find(metric)  # the unit is the catalogue's
    return entry.unit if entry is not None else "count"


def figure(metric: str, value: object, prefix: str, digits: int | None = None) -> str:
    """A figure of the metric catalogue in words, by its unit: money with the currency, ratios as 3.1:1,
    percentages with one decimal, counts whole — or with ``digits`` decimals where a reader redoes an attainment
    from it (:func:`redone`).

    Args:
        metric: The metric's name (a name the catalogue does not know is a count).
        value: The value (NaN or None shows as "–"; a text, such as "Not tracked", shows as it is).
        prefix: The currency prefix (e.g. "$").
        digits: The decimals (of the percentage for a percent), or None for the unit's own (:func:`shown_digits`).

    Returns:
        The text.
    """
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNDEFINED
    number = float(value)  # type: ignore[arg-type]
    unit = _unit(metric)
    if digits is None and unit == "money":
        return money(number, prefix)
    places = shown_digits(metric, number) if digits is None else digits
    if unit == "ratio":
        return f"{fixed(number, places)}:1"
    if unit == "money":
        return f"{'-' if number < 0 else ''}{prefix}{fixed(abs(number), places)}"
    if unit == "percent":
        return f"{fixed(number * 100, places)}%"
    return fixed(number, places)


def shown_digits(metric: str, value: float) -> int:
    """The decimals :func:`figure` shows a figure with by default: one for a ratio and a percentage, none for a
    count, money as :func:`money` (whole units from 100 up, cents below).

    Args:
        metric: The metric's name.
        value: The value.

    Returns:
        The decimals.
    """
    unit = _unit(metric)
    if unit == "money":
        return 0 if abs(value) >= 100 or round(value, 2) == 0 else 2
    return 1 if unit in ("ratio", "percent") else 0


def _as_shown(value: float, digits: int) -> float:
    """A value rounded as it is shown (half away from zero, as Excel and :func:`fixed` round)."""
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def redo_digits(
    target: float, actual: float, attainment: float, lower_is_better: bool, digits: tuple[int, int]
) -> tuple[int, int]:
    """The decimals a target to date and an actual are shown with so that a reader who divides them as shown
    gets the attainment shown beside them (one decimal) to within 0.1 points: the fewest from ``digits`` up,
    adding a decimal to whichever figure's rounding moves the quotient most (51 ÷ 70 is 72.9 % against 72.4 %;
    51 ÷ 70.4 is 72.4 %).

    Args:
        target: The target to date.
        actual: The actual.
        attainment: The attainment (actual ÷ target, or target ÷ actual when lower is better).
        lower_is_better: Whether the attainment is target ÷ actual (CPL, CAC).
        digits: The decimals each is shown with at least (target, actual).

    Returns:
        The decimals of the target and of the actual (``digits`` when a figure is undefined or zero).
    """
    values = (target, actual, attainment)
    if any(not isinstance(v, int | float) or not math.isfinite(v) or v == 0 for v in values):
        return digits
    shown = _as_shown(attainment * 100, 1) / 100
    d_target, d_actual = digits
    while max(d_target, d_actual) < MOST_DIGITS:
        t, a = _as_shown(target, d_target), _as_shown(actual, d_actual)
        redone_value = (t / a if lower_is_better else a / t) if t and a else math.inf
        if abs(redone_value - shown) <= REDO_TOLERANCE + 1e-12:
            break
        if abs(t - target) / abs(target) >= abs(a - actual) / abs(actual):
            d_target += 1
        else:
            d_actual += 1
    return d_target, d_actual


def redone(metric: str, target: object, actual: object, attainment: object, prefix: str) -> tuple[str, str]:
    """A target to date and an actual in words, each with the decimals that let a reader redo the attainment shown
    beside them (:func:`redo_digits`): "70.4" and "51" for Customers at 72.4 %, "4.0:1" and "3.13:1" for ROAS at
    78.2 %.

    Args:
        metric: The metric's name.
        target: The target to date (the target for a ratio).
        actual: The actual.
        attainment: The attainment.
        prefix: The currency prefix.

    Returns:
        The target's text and the actual's.
    """
    numbers = [v if isinstance(v, int | float) else math.nan for v in (target, actual, attainment)]
    if any(math.isnan(v) for v in numbers):
        return figure(metric, target, prefix), figure(metric, actual, prefix)
    t, a, att = (float(v) for v in numbers)
    entry = catalogue.current().find(metric)
    lower = entry is not None and entry.lower_is_better
    d_target, d_actual = redo_digits(t, a, att, lower, (shown_digits(metric, t), shown_digits(metric, a)))
    if _unit(metric) == "money":  # money that needs a decimal shows its cents: "£130.70", not "£130.7"
        d_target, d_actual = (2 if d == 1 else d for d in (d_target, d_actual))
    return figure(metric, t, prefix, d_target), figure(metric, a, prefix, d_actual)
