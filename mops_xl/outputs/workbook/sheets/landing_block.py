"""The Dashboard's "Where the period lands" block, across the page under the charts: which targets the period will
hit and how sure that is (one sentence beside the title), then one row per KPI with a target (and Spend against the
budget): likely range by period end, target, chance in words, the chance with the plan, what it takes a day and the
spend it takes.

It lays out the story room's lines (:mod:`mops_xl.analysis.story.landing`) as built values: the forecast is a
simulation, not a formula, so the note under the page (:data:`BUILT`, with the top actions' note) says to rebuild
after editing the data.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.wording import day
from mops_xl.analysis.story.landing import RANGE_NOTE, Landing, landing_summary
from mops_xl.outputs.workbook.sheets.dashboard_grid import ROW_PT, TITLE_PT, put, span_width, text_lines

#: The block's columns: header → the first and last grid column it spans.
LANDING_SPANS = {
    "KPI": (0, 0),
    "Likely by period end": (1, 2),
    "Target": (3, 3),
    "Chance of target": (4, 5),
    "With the plan": (6, 8),
    "What it takes": (9, 12),
    "Spend it takes": (13, 18),
}
#: Text of the block's rows is mostly letters, narrower than the digit a column's width counts in: a span holds
#: about this many times its width in characters (LibreOffice and Excel, Calibri 11).
WIDER = 1.3
#: Under the block: the figures are built values.
BUILT = f"{RANGE_NOTE} Forecasts are built values: rebuild after editing the data or the targets."
#: The first grid column of the summary beside the title.
SUMMARY_FROM = 3


def landing_cells(line: Landing, end: pd.Timestamp, prefix: str) -> dict[str, str]:
    """One KPI's row of the block, header → text.

    Args:
        line: Where the KPI lands.
        end: Period end.
        prefix: The currency prefix.

    Returns:
        The texts, by :data:`LANDING_SPANS` header.
    """
    target, chance = line.shown(line.target, prefix), line.chance_text()
    plan = line.chance_text(with_plan=True)
    plan = plan if line.reached or plan == "–" else f"chance {plan}"
    if line.is_spend:
        chance, plan = "–", line.shown(line.likely_with_plan, prefix)
    return {
        "KPI": "Spend (target: the budget)" if line.is_spend else line.metric,
        "Likely by period end": f"{line.shown(line.likely, prefix)} ({line.likely_range(prefix)})",
        "Target": target,
        "Chance of target": chance,
        "With the plan": plan,
        "What it takes": line.takes(prefix),
        "Spend it takes": line.spend_text(prefix),
    }


def write_landing(ws: Any, r: int, lines: list[Landing], end: pd.Timestamp, prefix: str, fmt: dict[str, Any]) -> int:
    """Write the block from row ``r``.

    Args:
        ws: The Dashboard worksheet.
        r: The title's row.
        lines: The story room's landing lines.
        end: Period end.
        prefix: The currency prefix.
        fmt: The formats: "title", "header", "note", "wrap", "bold_wrap".

    Returns:
        The block's last row.
    """
    put(ws, r, 0, SUMMARY_FROM - 1, f"Where the period lands by {day(end)}", fmt["title"])
    ws.set_row(r, TITLE_PT)
    if not lines:
        ws.write_string(r + 1, 0, "No forecast: no KPI has a target and no budget is set.", fmt["note"])
        return r + 1
    # beside the title: which targets the period will hit, and how sure that is
    summary = landing_summary(lines) or "No KPI has a target: the likely figures only."
    put(ws, r, SUMMARY_FROM, 18, summary, fmt["bold_wrap"])
    title_lines = text_lines(summary, WIDER * span_width(SUMMARY_FROM, 18))
    ws.set_row(r, max(TITLE_PT, ROW_PT * title_lines))
    for header, (first, last) in LANDING_SPANS.items():
        put(ws, r + 1, first, last, header, fmt["header"])
    row = r + 2
    for line in lines:
        cells = landing_cells(line, end, prefix)
        for header, (first, last) in LANDING_SPANS.items():
            put(ws, row, first, last, cells[header], fmt["wrap"])
        lines_needed = (text_lines(t, WIDER * span_width(*LANDING_SPANS[h])) for h, t in cells.items())
        ws.set_row(row, ROW_PT * max(lines_needed))
        row += 1
    return row - 1
