"""The building blocks of the report's living formulas: defined names, table references, the window.

Every formula the report writes implements a definition of docs/metrics.md over the data sheets the report
carries (Excel tables named ``tbl<Sheet>``) and the defined names of the Business and Settings values. Only
functions that both Excel and LibreOffice evaluate are used (no XLOOKUP, LET or dynamic arrays).
"""

from __future__ import annotations

import math
import re
from typing import Any

from mops_xl.metrics.tracking import NOT_TRACKED

#: Text a formula shows when a figure is undefined (a ratio over zero, a missing target).
UNDEFINED = "–"

#: Defined names computed from other names (name → formula).
DERIVED_NAMES = {
    "PeriodDays": "=PeriodEnd-PeriodStart+1",
    "ElapsedDays": "=ReportAsOf-PeriodStart+1",
}


def name_for(field: str) -> str:
    """The defined name of a Business or Settings field: its words in CamelCase, punctuation dropped.

    Args:
        field: The field name, e.g. "High-performer threshold".

    Returns:
        E.g. "HighPerformerThreshold".
    """
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", field) if w)


def table(sheet: str) -> str:
    """The Excel table name of a data sheet.

    Args:
        sheet: The intake sheet name.

    Returns:
        E.g. "tblActuals".
    """
    return "tbl" + sheet.replace(" ", "")


#: Data sheets carried as plain ranges, written row by row (they can hold a million rows): formulas reach
#: their columns through defined names such as ``ActualsSpend`` instead of a table's structured reference.
STREAMED_SHEETS = ("Actuals", "Touchpoints")


def col(sheet: str, column: str) -> str:
    """A reference to a data sheet column: a table's structured reference, or a streamed sheet's name.

    Args:
        sheet: The intake sheet name.
        column: The canonical column name.

    Returns:
        E.g. "tblChannels[Paid]", or "ActualsSpend" for a streamed sheet.
    """
    if sheet in STREAMED_SHEETS:
        return name_for(f"{sheet} {column}")
    return f"{table(sheet)}[{column}]"


def window(first: str = "PeriodStart", last: str = "ReportAsOf") -> str:
    """SUMIFS/COUNTIFS criteria selecting Actuals rows with first ≤ Date ≤ last.

    Args:
        first: An expression for the first day.
        last: An expression for the last day.

    Returns:
        The criteria pairs (no leading comma).
    """
    date = col("Actuals", "Date")
    return f'{date},">="&{first},{date},"<="&{last}'


def actuals_sum(column: str, *criteria: str, first: str = "PeriodStart", last: str = "ReportAsOf") -> str:
    """SUMIFS of an Actuals column over a window, with optional extra criteria pairs.

    Args:
        column: The Actuals column.
        *criteria: Extra ``range,criterion`` pairs.
        first: First day expression.
        last: Last day expression.

    Returns:
        The SUMIFS expression (no leading "=").
    """
    extra = "".join("," + c for c in criteria)
    return f"SUMIFS({col('Actuals', column)}{extra},{window(first, last)})"


def ratio(numerator: str, denominator: str) -> str:
    """A guarded ratio: "–" when the denominator is zero (or not a number).

    Args:
        numerator: An expression or cell.
        denominator: An expression or cell.

    Returns:
        The IF expression (no leading "=").
    """
    return (
        f'IF(OR(NOT(ISNUMBER({denominator})),NOT(ISNUMBER({numerator}))),"{UNDEFINED}",'
        f'IF({denominator}=0,"{UNDEFINED}",{numerator}/{denominator}))'
    )


def untracked(column: str, *criteria: str, has_rows: bool = False) -> str:
    """TRUE when the Actuals rows matching the criteria, on any date, all leave a column blank, or no row gives it
    (docs/metrics.md, "Not tracked"); a subject without any row tracks what some other row gives.

    Args:
        column: The Actuals column (not Spend).
        *criteria: ``range,criterion`` pairs selecting the subject's rows (a channel, a campaign).
        has_rows: The subject is known to have rows (a campaign listed from its rows): one COUNTIFS suffices.

    Returns:
        The condition (no leading "=").
    """
    rows = ",".join(criteria)
    given = f'COUNTIFS({rows},{col("Actuals", column)},"<>")=0'
    if has_rows:
        return given
    return f'OR(COUNTIFS({col("Actuals", column)},"<>")=0,AND(COUNTIFS({rows})>0,{given}))'


def if_tracked(formula: str, *cells: str) -> str:
    """A formula that says "Not tracked" when a figure it is computed from does.

    Args:
        formula: The formula (no leading "=").
        *cells: The cells (or expressions) holding the figures it needs.

    Returns:
        The IF expression (no leading "=").
    """
    tests = [f'{c}="{NOT_TRACKED}"' for c in cells]
    test = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
    return f'IF({test},"{NOT_TRACKED}",{formula})'


def tracked_ratio(numerator: str, denominator: str) -> str:
    """A guarded ratio of two cells that says "Not tracked" when either does.

    Args:
        numerator: A cell.
        denominator: A cell.

    Returns:
        The IF expression (no leading "=").
    """
    return if_tracked(ratio(numerator, denominator), numerator, denominator)


def tracking_channels_sum(
    column: str, tracked_by: str, first: str = "PeriodStart", last: str = "ReportAsOf", paid: bool = False
) -> str:
    """Σ of an Actuals column over the window, counting only the channels that track another column (the
    like-for-like sums of blended ratios, docs/metrics.md, "Not tracked").

    Args:
        column: The Actuals column summed (e.g. Spend).
        tracked_by: The column a channel must track to count (e.g. Customers).
        first: First day expression.
        last: Last day expression.
        paid: Count paid channels only.

    Returns:
        The SUMPRODUCT expression (no leading "=").
    """
    channels = f"{col('Actuals', 'Channel')},{col('Channels', 'Channel')}"
    tracking = f'(COUNTIFS({channels},{col("Actuals", tracked_by)},"<>")>0)'
    if paid:
        tracking = f'({col("Channels", "Paid")}="Yes")*{tracking}'
    return f"SUMPRODUCT({tracking}*{actuals_sum(column, channels, first=first, last=last)})"


def status(attainment: str, has_target: str, has_data: str) -> str:
    """The attainment status bands (docs/metrics.md, "Targets, attainment and status").

    Args:
        attainment: The attainment cell.
        has_target: A condition that is TRUE when there is a target.
        has_data: A condition that is TRUE when the actual is defined.

    Returns:
        The IF expression (no leading "=").
    """
    return (
        f'IF(NOT({has_target}),"No target",IF(OR(NOT({has_data}),NOT(ISNUMBER({attainment}))),"No data",'
        f'IF({attainment}>=1+HighPerformerThreshold,"Ahead",IF({attainment}>=1,"On track",'
        f'IF({attainment}>=UnderperformingThreshold,"At risk","Off track")))))'
    )


def pacing_status(pace: str) -> str:
    """The pacing bands: Over pace above the threshold, Under pace below 2 − threshold, else On pace.

    Args:
        pace: The pace cell.

    Returns:
        The IF expression (no leading "=").
    """
    return f'IF({pace}>OverspendingThreshold,"Over pace",IF({pace}<2-OverspendingThreshold,"Under pace","On pace"))'


def cached(value: Any) -> Any:
    """The value a formula cell caches: the engine's number, or "–" where the engine says undefined.

    Args:
        value: The engine's value.

    Returns:
        A float, a string, or "–".
    """
    if value is None:
        return UNDEFINED
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value
    number = float(value)
    return UNDEFINED if math.isnan(number) or math.isinf(number) else number
