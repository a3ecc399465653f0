"""Channel Performance's "Week by week" block, under the channel table: per channel (and All channels) three lines,
spend, customers and CAC, each with a sparkline of its weeks and the weekly figures right of it.

The figures are the engine's week-by-week trend (:func:`mops_xl.analysis.figures.weekly.weekly_trend`) written as
built values. A sparkline draws the full weeks (a partial last week would read as a fall); the partial week's
figures stand at the end of the row, labelled with its days. A sheet no wider than the channel table: when the
period has more weeks than the table has columns, the last ones show (``--json``'s ``weekly_trend`` has them all).
LibreOffice prints no sparkline, so the values-only copy (which the PDF board pack prints) draws each line in
characters instead (▁▂▃▅▇).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.weekly import WEEK_DAYS, WEEKLY_FIGURES
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED
from mops_xl.outputs.workbook.layout.cell_formats import NAVY, Formats

TITLE = "Week by week"
#: The block's columns before the weeks: the channel, the figure, its sparkline.
LEAD_COLUMNS = ("Channel", "Figure", "Trend")
#: The weekly figures in money: whole units (a week's spend and CAC read to the unit; the table stays narrow).
MONEY_FIGURES = ("Spend", "CAC")
#: The characters a sparkline is drawn with where no sparkline prints, lowest to highest.
BLOCKS = "▁▂▃▄▅▆▇█"
NO_BREAK = "\u00a0"


def shown_weeks(weekly: pd.DataFrame, most: int) -> list[str]:
    """The weeks the block shows: every week, or the last ``most`` of them.

    Args:
        weekly: The week-by-week trend.
        most: The most week columns the sheet has room for.

    Returns:
        The week labels, in order.
    """
    weeks = list(dict.fromkeys(weekly["Week"]))
    return weeks[-most:] if len(weeks) > most else weeks


def drawn_weeks(weekly: pd.DataFrame, weeks: list[str]) -> int:
    """How many of the shown weeks a sparkline draws: the full ones (all of them when fewer than two are full).

    Args:
        weekly: The week-by-week trend.
        weeks: The weeks shown.

    Returns:
        The count, from the first shown week.
    """
    days = weekly.drop_duplicates("Week").set_index("Week")["Days"]
    full = sum(1 for w in weeks if days[w] == WEEK_DAYS)
    return full if full >= 2 else len(weeks)


def header_label(week: str) -> str:
    """A week's label as a column header: its date span kept on one line ("Jul 29–Aug 4"), its days on the next.

    Args:
        week: The week's label.

    Returns:
        The header text (no-break spaces inside the span).
    """
    span, _, days = week.partition(" (")
    return span.replace(" ", NO_BREAK) + (f" ({days.replace(' ', NO_BREAK)}" if days else "")


def text_sparkline(values: list[float]) -> str:
    """A line of values drawn in characters, lowest ▁ to highest █ (a gap where a value is undefined).

    Args:
        values: The values, in order (NaN: undefined).

    Returns:
        One character per value ("" when none is defined).
    """
    defined = [v for v in values if not pd.isna(v)]
    if not defined:
        return ""
    low, high = min(defined), max(defined)
    steps = len(BLOCKS) - 1
    return "".join(
        " " if pd.isna(v) else BLOCKS[round((v - low) / (high - low) * steps) if high > low else steps // 2]
        for v in values
    )


def write_week_by_week(wb: Any, ws: Any, top: int, a: Analysis, fmt: Formats, values_only: bool = False) -> int:
    """Write the block from row ``top`` of Channel Performance.

    Args:
        wb: The workbook.
        ws: The worksheet (written up to ``top``).
        top: The block's title row.
        a: The engine's results.
        fmt: The report's formats.
        values_only: The values-only copy (the board pack's too): each line drawn in characters, which LibreOffice
            prints (it prints no sparkline).

    Returns:
        The block's last row.
    """
    weekly = a.weekly
    ws.write_string(top, 0, TITLE, fmt["title"])
    if weekly.empty:
        ws.write_string(top + 1, 0, "No week to show: the period has not started.", fmt["note"])
        return top + 1
    most = max((ws.dim_colmax or 0) + 1 - len(LEAD_COLUMNS), 1)
    weeks = shown_weeks(weekly, most)
    drawn = drawn_weeks(weekly, weeks)
    ws.write_string(top + 1, 0, _note(weekly, weeks, drawn), fmt["note"])
    header = top + 2
    for c, text in enumerate([*LEAD_COLUMNS, *map(header_label, weeks)]):
        ws.write_string(header, c, text, fmt["header"])
    money = wb.add_format({"num_format": f'"{symbol(a.intake.business["Currency"])}"#,##0', "align": "right"})
    formats = {name: money if name in MONEY_FIGURES else fmt["integer"] for name in WEEKLY_FIGURES}
    line = {"series_color": NAVY, "empty_cells": "gaps", "markers": False, "weight": 1.25}
    first = len(LEAD_COLUMNS)
    r = header + 1
    for channel in [*a.channels.index, ALL_CHANNELS]:
        figures = weekly[weekly["Channel"] == channel].set_index("Week")
        for i, name in enumerate(WEEKLY_FIGURES):
            if i == 0:  # the channel names its three lines once
                ws.write_string(r, 0, str(channel), fmt["bold"] if channel == ALL_CHANNELS else None)
            ws.write_string(r, 1, name)
            by_week = figures[name].to_dict()
            for c, week in enumerate(weeks, start=first):
                _figure(ws, r, c, a, channel, name, by_week[week], formats[name])
            if values_only:  # LibreOffice prints no sparkline: the copy to share and print draws it in characters
                drawn_values = [by_week[week] for week in weeks[:drawn]]
                ws.write_string(r, 2, text_sparkline(drawn_values), fmt["text"])
            else:
                span = f"{xl_rowcol_to_cell(r, first)}:{xl_rowcol_to_cell(r, first + drawn - 1)}"
                ws.add_sparkline(r, 2, {**line, "range": span})
            r += 1
    return r - 1


def _figure(ws: Any, r: int, c: int, a: Analysis, channel: str, name: str, value: float, fmt: Any) -> None:
    """One week's figure: the number, "Not tracked" where the channel does not track it, "–" where undefined."""
    shown = a.tracking.value_if_tracked(name, value, None if channel == ALL_CHANNELS else channel)
    if isinstance(shown, str) or pd.isna(shown):
        ws.write_string(r, c, shown if isinstance(shown, str) else UNDEFINED)
    else:
        ws.write_number(r, c, float(shown), fmt)


def _note(weekly: pd.DataFrame, weeks: list[str], drawn: int) -> str:
    """The line under the title: what a week is, what the lines draw, that the figures are built values."""
    total = weekly["Week"].nunique()
    shown = (
        f"The last {len(weeks)} of {total} weeks; --json's weekly_trend has them all. " if len(weeks) < total else ""
    )
    lines = "Each line draws the full weeks. " if drawn < len(weeks) else ""
    return (
        f"{shown}Weeks run from Period start, the last to Report as of. {lines}CAC is the week's spend ÷ its "
        "customers (– on none, or when nothing was spent). Built values: rebuild after editing the data."
    )
