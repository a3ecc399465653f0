"""The building blocks of the report's living formulas: defined names, table references, the window.

Every formula the report writes implements a definition of docs/metrics.md over the data sheets the report
carries and the defined names of the Business and Settings values. A formula reaches a data sheet's column
through its defined name (``ChannelsPaid`` = ``Channels!$F$2:$F$9``, ``ActualsSpend``), never through a table's
structured reference (``tblChannels[Paid]``), which Gnumeric and other spreadsheet apps do not read; the
sheets stay Excel tables for the people who filter them. Only functions that Excel, LibreOffice and Gnumeric
all evaluate are used (no XLOOKUP, LET or dynamic arrays).

A name from the intake (a channel, a campaign) is never a criterion: SUMIFS, COUNTIFS and MATCH read ``*``,
``?`` and ``~`` as wildcards, a leading ``<``, ``>`` or ``=`` as a comparison, and refuse criteria longer
than 255 characters. The data sheets carry each channel's and campaign's number instead (the Channel key
and Campaign key columns), and the formulas select rows by that number (:func:`by_channel`,
:func:`by_campaign`); the report's own small ranges are matched with EXACT (:func:`exact_sum`,
:func:`exact_count`). Every sheet name in a formula or a link goes through :func:`sheet_ref`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from mops_xl.analysis.blocks.statuses import (
    FELL,
    FLAT,
    IMPROVING,
    NO_TREND,
    NOT_TRACKED,
    ROSE,
    STEADY,
    WORSENING,
)
from mops_xl.analysis.blocks.wording import UNDEFINED  # a formula shows the text's "–" for an undefined figure

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
        E.g. "tblBudget" (the name people filter by; formulas use the column names of :func:`col`).
    """
    return "tbl" + sheet.replace(" ", "")


#: Data sheets carried as plain ranges, written row by row (they can hold a million rows); the others are Excel
#: tables named ``tbl<Sheet>``. Formulas reach the columns of both through the same defined names.
STREAMED_SHEETS = ("Actuals", "Touchpoints")


def col(sheet: str, column: str) -> str:
    """The defined name of a data sheet column (its data rows as a plain absolute range, see
    :meth:`~mops_xl.outputs.workbook.sheets.data_sheets.DataSheets.write_all`).

    Args:
        sheet: The intake sheet name.
        column: The canonical column name.

    Returns:
        E.g. "ChannelsPaid", "ActualsSpend".
    """
    return name_for(f"{sheet} {column}")


#: The data-sheet columns holding a channel's or a campaign's number (its key), which formulas select rows by.
CHANNEL_KEY, CAMPAIGN_KEY = "Channel key", "Campaign key"
#: The Actuals column holding the key of the Campaigns row each row's spend counts for (the engine's campaign
#: matching: the name, an extension of it after a separator, or one of its Also matches names).
PLAN_KEY = "Campaign plan key"


def quote_sheet(sheet: str) -> str:
    """A sheet name as a formula or a link names it: in apostrophes, each apostrophe inside doubled.

    Args:
        sheet: The sheet name, e.g. "Mom's Day".

    Returns:
        E.g. "'Mom''s Day'".
    """
    return "'" + sheet.replace("'", "''") + "'"


def sheet_ref(sheet: str, ref: str) -> str:
    """A reference to a cell or range of another sheet, the sheet name quoted (see :func:`quote_sheet`).

    Args:
        sheet: The sheet name.
        ref: A cell or range, e.g. "$B$8" or "$A$2:$A$9".

    Returns:
        E.g. "'Mom''s Day'!$B$8".
    """
    return f"{quote_sheet(sheet)}!{ref}"


def internal_link(sheet: str, ref: str = "A1") -> str:
    """The URL of a hyperlink to a cell of another sheet of the report (for ``write_url``).

    Args:
        sheet: The sheet name.
        ref: The cell the link opens at.

    Returns:
        E.g. "internal:'Mom''s Day'!A1".
    """
    return "internal:" + sheet_ref(sheet, ref)


def by_channel(key: int | str) -> str:
    """SUMIFS/COUNTIFS criteria selecting one channel's Actuals rows, by its number (exact, whatever the name).

    Args:
        key: The channel's key (a number, or a cell or expression holding it).

    Returns:
        The criteria pair (no leading comma).
    """
    return f"{col('Actuals', CHANNEL_KEY)},{key}"


def last_data_date(key: int | str) -> str:
    """One channel's last data date: the latest Actuals Date of its rows up to Report as of (0 without one), by its
    number. SUMPRODUCT evaluates MAX over the arrays in Excel 2010 and LibreOffice alike (no MAXIFS, no array entry).

    Args:
        key: The channel's key (a number, or a cell or expression holding it).

    Returns:
        The expression (no leading "=").
    """
    date = col("Actuals", "Date")
    return f"SUMPRODUCT(MAX(({col('Actuals', CHANNEL_KEY)}={key})*({date}<={name_for('Report as of')})*{date}))"


def by_campaign(key: int | str) -> str:
    """SUMIFS/COUNTIFS criteria selecting one campaign's Actuals rows, by its number (exact, whatever the name).

    Args:
        key: The campaign's key (a number, or a cell or expression holding it).

    Returns:
        The criteria pair (no leading comma).
    """
    return f"{col('Actuals', CAMPAIGN_KEY)},{key}"


def by_campaign_plan(key: int | str) -> str:
    """SUMIFS/COUNTIFS criteria selecting the Actuals rows that count for one Campaigns row (its plan key).

    Args:
        key: The Campaigns row's campaign key (a number, or a cell or expression holding it).

    Returns:
        The criteria pair (no leading comma).
    """
    return f"{col('Actuals', PLAN_KEY)},{key}"


def exact_sum(values: str, names: str, name: str) -> str:
    """The sum of ``values`` on the rows whose name is exactly ``name`` (case and all; no wildcards).

    Meant for the report's own small ranges (budget lines); text in ``values`` counts as 0.

    Args:
        values: The range to sum.
        names: The range of names, as long as ``values``.
        name: A cell or expression holding the name.

    Returns:
        The SUMPRODUCT expression (no leading "=").
    """
    return f"SUMPRODUCT(--EXACT({names},{name}),{values})"


def exact_count(names: str, name: str, *conditions: str) -> str:
    """How many rows have exactly ``name`` (case and all; no wildcards) and meet every condition.

    Args:
        names: The range of names.
        name: A cell or expression holding the name.
        *conditions: Array conditions over ranges as long as ``names``, e.g. '(B5:B9<>"Not started")'.

    Returns:
        The SUMPRODUCT expression (no leading "=").
    """
    return f"SUMPRODUCT({'*'.join((f'EXACT({names},{name})', *conditions))}*1)"


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


#: The Actuals summary's checks (defined names of its cells: :mod:`~mops_xl.outputs.workbook.sheets.actuals_summary`).
#: How many Actuals rows have a Channel key (any value).
KEYED_ROWS = "ActualsKeyedRows"
#: TRUE when every Actuals row with a Channel key is dated within Period start … Report as of.
KEYED_IN_WINDOW = "ActualsKeyedInWindow"
#: TRUE when no Actuals row is dated before Period start.
NONE_BEFORE_START = "ActualsNoneBeforeStart"


def keyed_give(column: str) -> str:
    """The defined name of the Actuals summary's check that every row with a Channel key gives a column.

    Args:
        column: A trackable Actuals column.

    Returns:
        E.g. "ActualsKeyedGiveLeads".
    """
    return "ActualsKeyedGive" + name_for(column)


def _by_channel_key(criteria: tuple[str, ...]) -> bool:
    """Whether the criteria select rows by their Channel key (so only rows with one), first."""
    return bool(criteria) and criteria[0].startswith(col("Actuals", CHANNEL_KEY) + ",")


def actuals_sum(column: str, *criteria: str, first: str = "PeriodStart", last: str = "ReportAsOf") -> str:
    """SUMIFS of an Actuals column over a window, with optional extra criteria pairs.

    A scan of every Actuals row costs a spreadsheet engine for each criterion, and the window's two date
    criteria cost the most. When the Actuals summary says the window leaves out none of the rows the criteria
    select (every keyed row in the window, or no row before Period start), the sum skips those criteria: the
    same rows, added in the same order, so the same figure. Otherwise it is the full SUMIFS.

    Args:
        column: The Actuals column.
        *criteria: Extra ``range,criterion`` pairs.
        first: First day expression.
        last: Last day expression.

    Returns:
        The SUMIFS expression (no leading "=").
    """
    values = col("Actuals", column) + "".join("," + c for c in criteria)
    windowed = f"SUMIFS({values},{window(first, last)})"
    if first != "PeriodStart":
        return windowed
    if last == "ReportAsOf" and _by_channel_key(criteria):
        return f"IF({KEYED_IN_WINDOW},SUMIFS({values}),{windowed})"
    if not criteria:
        return f'IF({NONE_BEFORE_START},SUMIFS({values},{col("Actuals", "Date")},"<="&{last}),{windowed})'
    return windowed


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


def untracked(column: str, *criteria: str, has_rows: bool = False, nonzero: str | None = None) -> str:
    """TRUE when the Actuals rows matching the criteria, on any date, all leave a column blank, or no row gives it
    (docs/metrics.md, "Not tracked"); a subject without any row tracks what some other row gives.

    When the criteria select by Channel key and the Actuals summary says every keyed row gives the column, the
    test only asks whether the subject has rows (a cheap count, or none when ``nonzero`` is not 0), instead of
    counting its rows that give the column: the same answer.

    Args:
        column: The Actuals column (not Spend).
        *criteria: ``range,criterion`` pairs selecting the subject's rows (a channel, a campaign).
        has_rows: The subject is known to have rows (a campaign listed from its rows): one COUNTIFS suffices.
        nonzero: A cell summing the subject's rows (its Spend), which is not 0 only when it has rows.

    Returns:
        The condition (no leading "=").
    """
    rows = ",".join(criteria)
    given = f'COUNTIFS({rows},{col("Actuals", column)},"<>")=0'
    if has_rows:
        if not _by_channel_key(criteria):
            return given
        none = f"COUNTIFS({rows})=0" if nonzero is None else f"IF(N({nonzero})<>0,FALSE,COUNTIFS({rows})=0)"
        return f"IF({keyed_give(column)},{none},{given})"
    full = f'OR(COUNTIFS({col("Actuals", column)},"<>")=0,AND(COUNTIFS({rows})>0,{given}))'
    if not _by_channel_key(criteria):
        return full
    return f"IF(AND({keyed_give(column)},{KEYED_ROWS}>0),FALSE,{full})"


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


def trend_arrow(change: str) -> str:
    """Which way a number moved (docs/metrics.md, "Trend"): ↑ rose, ↓ fell by more than the band, → within it.

    Args:
        change: The Trend % cell.

    Returns:
        The IF expression (no leading "=").
    """
    return (
        f'IF(ISNUMBER({change}),IF({change}>TrendBand,"{ROSE}",IF({change}<-TrendBand,"{FELL}","{FLAT}")),"{NO_TREND}")'
    )


def trend_verdict(change: str, lower_is_better: str) -> str:
    """Whether the move is good for the metric: Improving, Worsening, or Steady within the band.

    Args:
        change: The Trend % cell.
        lower_is_better: A condition that is TRUE when the metric is better lower (CAC).

    Returns:
        The IF expression (no leading "=").
    """
    better = f"IF({lower_is_better},-{change},{change})"
    return (
        f'IF(ISNUMBER({change}),IF({better}>TrendBand,"{IMPROVING}",IF({better}<-TrendBand,"{WORSENING}",'
        f'"{STEADY}")),"{NO_TREND}")'
    )


def channel_key_lookup(channel_cell: str) -> str:
    """The Channel key of a data table's row (Budget, Targets): the number of the channel named exactly as the
    row's Channel on the Channels sheet (:func:`exact_sum` of the Channels' keys), 0 when the Channel is blank (a
    blended target) or not a channel.

    Args:
        channel_cell: The row's Channel cell, e.g. "$A2".

    Returns:
        The formula (with its leading "=").
    """
    return "=" + exact_sum(col("Channels", CHANNEL_KEY), col("Channels", "Channel"), channel_cell)


def unkeyed_rows(sheet: str) -> str:
    """How many rows of a streamed data sheet (Actuals) have a date but no Channel key: rows added by hand
    without their keys, which count in the all-channel volumes and in no channel.

    Args:
        sheet: The intake sheet.

    Returns:
        The formula (with its leading "=").
    """
    return f"=COUNT({col(sheet, 'Date')})-COUNT({col(sheet, CHANNEL_KEY)})"
