"""The Budget Pacing sheet: every budget line paced by formulas, each channel's unbudgeted spend, the total
pace (all spend against every line's expected spend to date). Each channel's action is on Optimization Actions.

When a line's channel spends on some days only, the sheet has three more columns (only then): the channel's spend
cycle in days (a built value, the engine's), its last spend day (a formula over the Actuals) and the day its line is
paced to (the end of its current cycle), which that line's Elapsed days and the figures after them count to.

The sheet places the cells; each figure's formula is its definition's (analysis/figures/budget/budget_line_figures.py,
pacing_total_figures.py), written through the writers of formulas/pacing_formulas.py."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks.statuses import ALL_CHANNELS, NO_BUDGET, UNBUDGETED
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.budget.budget_line_figures import (
    AT_TODAYS_PACE,
    CYCLE_COLUMNS,
    DATA_THROUGH,
    LAST_SPEND_DAY,
    PACED_TO,
    SPEND_CYCLE,
)
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    actuals_sum,
    by_channel,
    cached,
    exact_sum,
    sheet_ref,
)
from mops_xl.outputs.workbook.formulas.pacing_formulas import LineFormulas, TotalFormulas
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.print_blocks import print_in_blocks
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter
from mops_xl.outputs.workbook.sheets.data_sheets import field_column_letter, key_column_letter
from mops_xl.outputs.workbook.sheets.kpi_sheets import WINDOW_ROWS

SHEET = "Budget Pacing"
#: The header of a line's budget for the period less its spend on its own days in the period (the line figure of
#: the same name): named apart from a channel's Remaining budget on Optimization Actions (its budget for the period
#: less all its spend in the period), which counts spend outside the line's days too.
LEFT_ON_LINE = "Left on this line"
HEADERS = (
    "Channel",
    "Line start",
    "Line end",
    "Planned",
    "Expected to date",
    "Actual",
    "Pace",
    AT_TODAYS_PACE,
    "Variance",
    LEFT_ON_LINE,
    "Daily spend to land on budget",
    "Status",
    "Line days",
    "Elapsed days",
    "Budget for period",
    "Remaining days",
    "Planned per day",
)
#: The columns a sheet with a lumpy line adds after :data:`HEADERS` (header → the line figure it shows).
CYCLE_HEADERS = {"Spend cycle (days, built)": SPEND_CYCLE, LAST_SPEND_DAY: LAST_SPEND_DAY, PACED_TO: PACED_TO}
#: What the sheet's note adds when a line is lumpy.
CYCLE_NOTE = (
    " A channel that spends on some days only is paced over its cycle: its spend on a spend day pays for the days to "
    "the end of that cycle, so its line's Elapsed days run to Paced to (its Last spend day + Spend cycle − 1, never "
    "before Report as of; before its first spend, while its first cycle lasts, the line is Not started). Spend cycle "
    "is the cycle the build found in the Actuals (a built value: rebuild after changing the channel's schedule)."
)
_KIND = {
    "Planned": "money",
    "Expected to date": "money",
    "Actual": "money",
    "Pace": "percent",
    AT_TODAYS_PACE: "money",
    "Variance": "money",
    LEFT_ON_LINE: "money",
    "Daily spend to land on budget": "money",
    "Line days": "integer",
    "Elapsed days": "integer",
    "Budget for period": "money",
    "Remaining days": "integer",
    "Planned per day": "money",
    "Line start": "date",
    "Line end": "date",
    LAST_SPEND_DAY: "date",
    PACED_TO: "date",
    "Spend cycle (days, built)": "integer",
}
#: The Budget data sheet's columns a line's row reads.
_BUDGET_FIELDS = ("Channel", "Period start", "Period end", "Planned spend")
TOP = 3  # 0-based row of the header
#: The line under the table when every channel's spend to date falls on days its budget lines cover.
NO_UNBUDGETED = "No unbudgeted spend: every channel's spend to date falls on days its budget lines cover."


class PacingSheet(SheetWriter):
    """Writes the Budget Pacing sheet and tells other sheets where its cells are.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        data_row: Intake sheet and row → the row of that record in the report's data sheet.
        keys: The channels' numbers, for exact lookups in Actuals.
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, data_row: Any, keys: Any):
        super().__init__(wb, fmt, analysis)
        self.data_row, self.keys = data_row, keys
        self.lines = analysis.pacing_lines
        lumpy = all(column in self.lines for column in CYCLE_COLUMNS)
        self.headers = HEADERS + (tuple(CYCLE_HEADERS) if lumpy else ())
        self.first = TOP + 1
        self.last = TOP + len(self.lines)  # 0-based, inclusive (first - 1 when there are no lines)
        # one Unbudgeted row per channel the engine found spend of on days no budget line covers, in channel order
        self.unbudgeted_channels = [ch for ch in analysis.channels.index if ch in analysis.unbudgeted.index]
        self.total_row = self.last + len(self.unbudgeted_channels) + 1

    def column_range(self, header: str) -> str:
        """An absolute reference to one column of the line rows, for other sheets' formulas.

        Args:
            header: A column header.

        Returns:
            E.g. "'Budget Pacing'!$D$5:$D$9".
        """
        c = self.headers.index(header)
        last = max(self.last, self.first)
        span = f"{xl_rowcol_to_cell(self.first, c, True, True)}:{xl_rowcol_to_cell(last, c, True, True)}"
        return sheet_ref(SHEET, span)

    def total_cell(self, header: str) -> str:
        """An absolute reference to one cell of the total row (all channels), for other sheets' formulas.

        Args:
            header: A column header (Planned, Expected to date, Actual, Pace, Status, Budget for period).

        Returns:
            E.g. "'Budget Pacing'!$F$12".
        """
        return sheet_ref(SHEET, xl_rowcol_to_cell(self.total_row, self.headers.index(header), True, True))

    @property
    def overall_status_cell(self) -> str:
        """The cell holding the total pacing status (the KPI Framework's Spend status)."""
        return self.total_cell("Status")

    def write(self) -> None:
        """Write the sheet."""
        cycle_note = CYCLE_NOTE if len(self.headers) > len(HEADERS) else ""
        ws = self.titled_sheet(
            SHEET,
            "One row per budget line overlapping the period, paced over its days in the period (from Period "
            "start, or the line's start if later, to Report as of); then the spend of each channel outside "
            "its budget lines (Unbudgeted). The total is all spend to date against every line's expected spend to "
            f"date: the KPI Framework's Spend. {LEFT_ON_LINE} is the line's budget for the period less the spend on "
            "its own days in the period (a channel's Remaining budget, on Optimization Actions, is its budget for the "
            "period less all its spend in the period). "
            f"{AT_TODAYS_PACE} is the line's spend in the period if it goes on spending as it has; Variance is that "
            "less its budget for the period (where the period lands is the KPI Framework's forecast). Pacing method "
            "and Overspending threshold are read from the Settings sheet." + cycle_note,
            "One row per budget line overlapping the period, paced over its days in the period (from the "
            "period's start, or the line's start if later, to the report date); then the spend of each channel "
            "outside its budget lines (Unbudgeted). The total is all spend to date against every line's expected "
            f"spend to date: the KPI Framework's Spend. {LEFT_ON_LINE} is the line's budget for the period less the "
            "spend on its own days in the period (a channel's Remaining budget, on Optimization Actions, is its "
            "budget for the period less all its spend in the period). "
            f"{AT_TODAYS_PACE} is the line's spend in the period if it goes on spending as it has; Variance is that "
            "less its budget for the period (where the period lands is the KPI Framework's forecast). Paced by the "
            "team's pacing method and overspending threshold." + cycle_note,
        )
        ws.write_row(TOP, 0, list(self.headers), self.fmt["header"])
        for i, (row, line) in enumerate(self.lines.iterrows()):
            self._line(ws, self.first + i, self.data_row("Budget", row), line)
        for i, channel in enumerate(self.unbudgeted_channels):
            self._unbudgeted(ws, self.last + 1 + i, channel)
        self._totals(ws)
        if not self.unbudgeted_channels:  # a section with nothing to show says so, in one line
            ws.write_string(self.total_row + 2, 0, NO_UNBUDGETED, self.fmt["note"])
        self.fmt.colour_statuses(ws, self.first, HEADERS.index("Status"), self.total_row, HEADERS.index("Status"))
        ws.set_column(0, 0, 22)
        ws.set_column(1, len(self.headers) - 1, 13)
        ws.freeze_panes(TOP + 1, 1)
        # the days and amounts each line is paced on print after the table, each row named by its channel and start
        if not self.lines.empty:
            status = HEADERS.index("Status")
            print_in_blocks(ws, status, (TOP, status + 1, self.total_row, len(self.headers) - 1), 2)

    def _cell(self, r: int, header: str) -> str:
        return xl_rowcol_to_cell(r, self.headers.index(header))

    def _line(self, ws: Any, r: int, k: int, line: pd.Series) -> None:
        """A budget line's row: each figure's formula from its definition, the engine's value cached; a lumpy line's
        Spend cycle is the engine's number (the other lines leave the cycle columns blank)."""
        budget = {f: sheet_ref("Budget", f"${field_column_letter('Budget', f)}${k}") for f in _BUDGET_FIELDS}
        budget[CHANNEL_KEY] = sheet_ref("Budget", f"${key_column_letter('Budget', CHANNEL_KEY)}${k}")
        cycle = line.get(SPEND_CYCLE, math.nan)
        cycle = 0 if pd.isna(cycle) else int(cycle)
        cells = {CYCLE_HEADERS.get(h, h): self._cell(r, h) for h in self.headers}
        w = LineFormulas(cells, budget, cycle, lagging=not pd.isna(line.get(DATA_THROUGH, pd.NaT)))
        for c, h in enumerate(self.headers):
            figure = CYCLE_HEADERS.get(h, h)
            if figure in CYCLE_COLUMNS and not cycle:
                continue
            if figure == SPEND_CYCLE:
                ws.write_number(r, c, cycle, self.fmt.get(_KIND.get(h)))
                continue
            value = line[figure]
            value = _date_value(value) if _KIND.get(h) == "date" else cached(value)
            ws.write_formula(r, c, w.formula(figure), self.fmt.get(_KIND.get(h)), value)

    def _unbudgeted(self, ws: Any, r: int, channel: str) -> None:
        """A channel's spend to date on days no budget line of it covers: its spend minus its lines' actuals."""
        A = self._cell(r, "Channel")
        ws.write_string(r, 0, str(channel))
        spend = actuals_sum("Spend", by_channel(self.keys.channels[channel]))
        if not self.lines.empty:
            spend += f"-{exact_sum(self.column_range('Actual'), self.column_range('Channel'), A)}"
        ws.write_formula(
            r,
            HEADERS.index("Actual"),
            "=" + spend,
            self.fmt["money"],
            float(self.a.unbudgeted.get(channel, 0.0)),
        )
        ws.write_string(r, HEADERS.index("Status"), UNBUDGETED)

    def _totals(self, ws: Any) -> None:
        """The total row: all spend to date (lines and unbudgeted rows) against every line's expected spend."""
        r, total = self.total_row, self.a.total_pacing
        ws.write_string(r, 0, ALL_CHANNELS, self.fmt["total_text"])
        ws.write_formula(
            r,
            HEADERS.index("Actual"),
            f"=SUM({self._span('Actual', r - 1)})" if r > self.first else "=0",
            self.fmt["total_money"],
            total.spend,
        )
        if self.lines.empty:
            ws.write_string(r, HEADERS.index("Status"), NO_BUDGET, self.fmt["total_text"])
            return
        w = TotalFormulas(lambda h: self._cell(r, h), self._span, WINDOW_ROWS)
        for h, value, kind in (
            ("Planned", total.planned, "total_money"),
            ("Expected to date", total.expected, "total_money"),
            ("Budget for period", total.budget, "total_money"),
            ("Pace", cached(total.pace), "percent"),
            ("Status", total.status, "total_text"),
        ):
            ws.write_formula(r, HEADERS.index(h), w.formula(h), self.fmt[kind], value)

    def _span(self, header: str, last: int | None = None) -> str:
        c, last = HEADERS.index(header), self.last if last is None else last
        return f"{xl_rowcol_to_cell(self.first, c, True, True)}:{xl_rowcol_to_cell(last, c, True, True)}"


_EPOCH = pd.Timestamp("1899-12-30").to_pydatetime()


def _date_value(day: Any) -> Any:
    """A day as the serial number a formula cell caches ("–" for an undefined day)."""
    return cached(None) if pd.isna(day) else (day.to_pydatetime() - _EPOCH).days
