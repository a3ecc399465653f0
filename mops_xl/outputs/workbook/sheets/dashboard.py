"""The Dashboard: page 1 of the pack, the story at a size a person reads (issue 28).

One page wide, printed at about 80 % (every word 8 pt or more). Page 1, in order of priority: the title, the
engine's headline sentence, where the period lands, "Since <date>" with a previous report to compare with (what
changed in a sentence or two), the decisions for leadership and the KPI boxes the engine chose (worst first). What
does not fit moves to the next pages, never shrinks: page 2 says who and when, spend against budget and the top
actions of the plan for the rest of the period (who does what, with how much, and what it is expected to bring);
page 3 holds the charts, sized for print, each in a block of cells nothing is written to. The charts read a hidden
"Chart data" sheet (formulas over the report's sheets), so no helper table prints or shows beside them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks.data_dates import data_through_line
from mops_xl.analysis.blocks.wording import day as prose_day
from mops_xl.analysis.blocks.wording import period_dates
from mops_xl.analysis.decisions.recommendations import AS_BUILT
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.targets import is_volume
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED, cached, exact_sum, sheet_ref
from mops_xl.outputs.workbook.formulas.figure_formulas import number_format
from mops_xl.outputs.workbook.formulas.pacing_formulas import CurveFormulas
from mops_xl.outputs.workbook.layout.cell_formats import DIGITS, NAVY, Formats, figure_format
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter
from mops_xl.outputs.workbook.sheets.actions_sheets import NO_DECISION
from mops_xl.outputs.workbook.sheets.changes_sheet import write_since
from mops_xl.outputs.workbook.sheets.dashboard_grid import (
    BOX_COLUMNS,
    BOX_WIDTH,
    CHART_H,
    CHART_W,
    GAP_COL,
    GAP_WIDTH,
    LABEL_WIDTH,
    RIGHT_COL,
    RIGHT_COL_WIDTH,
    RIGHT_COLS,
    ROW_PT,
    TITLE_PT,
    page_points,
    put,
    span_width,
    text_lines,
    tick_step,
)
from mops_xl.outputs.workbook.sheets.kpi_sheets import channel_cell, kpi_cell, redo_digits_of, strategy_cell
from mops_xl.outputs.workbook.sheets.landing_block import BUILT, write_landing

SHEET = "Dashboard"
#: The last column of the page (the blocks across the page end in it).
LAST_COL = RIGHT_COL + RIGHT_COLS - 1
#: The hidden sheet the Dashboard's charts read (it never prints and never shows beside a chart).
CHART_SHEET = "Chart data"
#: The longest channel name a chart shows whole; a longer one shows its start and end (:func:`chart_label`).
LABEL_CHARS, LABEL_HEAD, LABEL_TAIL = 24, 18, 5
#: The line the top actions are when the plan has none.
NO_ACTION = "No action: every channel holds."
#: A date axis labelled once a week.
WEEKLY = {"major_unit": 7, "major_unit_type": "days"}
#: The funnel chart's stages.
FUNNEL = ("Leads", "MQLs", "SQLs", "Customers")
#: The charts' label size in points (axes, legend): 8 pt and more printed at the Dashboard's scale.
LABEL_PT = 12
#: The chart data per channel. Expected CAC is the Channels sheet's; CAC target the Targets sheet's (both
#: through Channel Strategy).
CHART_HEADERS = ("Channel", "Spend", "Budget for period", "CAC", "Expected CAC", "CAC target", "ROAS")
#: The top actions the Dashboard lists.
TOP_ACTIONS = 5
#: The decisions for leadership the Dashboard lists (Optimization Actions lists them all, with why).
TOP_DECISIONS = 5

#: The decisions for leadership under the KPI boxes: column → the first and last grid column it spans.
DECISION_SPANS = {"Subject": (0, 0), "Decision": (1, 3), "Money at stake": (4, 4), "Owner": (5, 6)}


@dataclass(frozen=True)
class TopAction:
    """One line of the Dashboard's top actions.

    Args:
        subject: The channel (or the experiment variant).
        action: What to do.
        owner: Who does it ("" when nobody owns the subject).
        amount: The money at stake (NaN when the action has none).
        amount_label: What the amount is ("Change in spend to period end", …).
        customers: The customers the plan expects it to add (+) or lose (−) by period end (NaN without a plan).
        revenue: The revenue likewise.
        funding: Where the money it gives goes, or where the money it gets comes from ("" when neither).
    """

    subject: str
    action: str
    owner: str
    amount: float
    amount_label: str
    customers: float = math.nan
    revenue: float = math.nan
    funding: str = ""


#: The top actions across the page: column → (first and last grid column it spans, the TopAction field it shows).
ACTION_SPANS = {
    "Subject": ((0, 0), "subject"),
    "Action": ((1, 1), "action"),
    "Owner": ((2, 2), "owner"),
    "Money at stake": ((3, 3), "amount"),
    "What it is": ((4, 5), "amount_label"),
    "Expected customers": ((6, 6), "customers"),
    "Expected revenue": ((7, 9), "revenue"),
    "Where the money goes": ((10, 18), "funding"),
}


#: Under the top actions: what they are by, and that they are built values.
ACTIONS_NOTE = (
    "Actions by the money at stake; expected customers and revenue by period end against the current "
    f"pattern. Actions are the engine's values, {AS_BUILT}. {BUILT}"
)
#: The format of a top action's text right of a figure (it starts a character in); other text is "wrap".
TEXT_FORMATS = {"amount_label": "wrap_note", "funding": "wrap_in"}


def top_actions(a: Analysis, n: int = TOP_ACTIONS) -> list[TopAction]:
    """The Dashboard's top actions: the engine's recommendations that ask for something, by the money at stake,
    each with its owner, its amount labelled with what it measures, its expected effect and its funding.

    Args:
        a: The engine's results.
        n: How many.

    Returns:
        At most ``n`` actions, by priority.
    """
    out = []
    for _, r in a.top_actions.head(n).iterrows():
        label = str(r["Money at stake is"])  # what the priority is by, under the name of the column it is
        amount = float(r["Money at stake"]) if label else math.nan
        if not label:  # no money at stake (an A/B test to roll out): what the action rests on, not a row of "–"
            label = str(r["Evidence"]) if isinstance(r["Evidence"], str) else ""
        owner = r["Owner"] if isinstance(r["Owner"], str) else ""
        effect = (float(r["Expected customers change"]), float(r["Expected revenue change"]))
        funding = r["Funding"] if isinstance(r["Funding"], str) else ""
        out.append(TopAction(str(r["Subject"]), str(r["Action"]), owner, amount, label, *effect, funding))
    return out


class Dashboard(SheetWriter):
    """Writes the Dashboard sheet and its hidden chart data.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        pacing: The Budget Pacing writer (budget references).
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, pacing: Any):
        super().__init__(wb, fmt, analysis)
        self.pacing = pacing
        currency = analysis.intake.business["Currency"]
        self.currency, self.prefix = currency, symbol(currency)
        self.own = {
            "headline": wb.add_format({"text_wrap": True, "valign": "top", "font_size": 12, "bold": True}),
            "box_name": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": NAVY, "align": "center"}),
            "box_note": wb.add_format({"italic": True, "font_color": "#595959", "align": "center", "font_size": 9}),
            "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
            "bold_wrap": wb.add_format({"text_wrap": True, "valign": "top", "bold": True}),
            "wrap_note_left": wb.add_format(
                {"text_wrap": True, "valign": "top", "italic": True, "font_color": "#595959"}
            ),
            "title": self.fmt["title"],
            "header": self.fmt["header"],
            "note": self.fmt["note"],
            # text right of a right-aligned figure starts a character in, so the two never run together
            "note_right": wb.add_format(
                {"italic": True, "font_color": "#595959", "align": "right", "valign": "bottom"}
            ),
            "wrap_in": wb.add_format({"text_wrap": True, "valign": "top", "indent": 1}),
            "wrap_note": wb.add_format(
                {"text_wrap": True, "valign": "top", "italic": True, "font_color": "#595959", "indent": 1}
            ),
            "money_top": wb.add_format({"num_format": f'"{self.prefix}"#,##0', "valign": "top", "align": "right"}),
            "number_top": wb.add_format({"num_format": "#,##0.0", "valign": "top", "align": "right"}),
            "value": wb.add_format({"align": "right"}),
        }
        for kind in ("integer", "money", "ratio"):
            self._box_format(kind, DIGITS[kind])
        self.own["box_status"] = wb.add_format({"align": "center", "border": 1})
        self.own["label_right"] = wb.add_format({"align": "right"})
        n = len(analysis.channels)
        #: Where each chart-data table sits on the hidden sheet: its header row and its last row (0-based).
        self._chart_rows = {
            "channels": (0, n),
            "funnel": (n + 2, n + 6),
            "curve": (n + 8, n + 8 + len(analysis.spend_curve)),
        }

    # --- the sheet ---------------------------------------------------------------------------------------
    def write(self) -> None:
        """Write the sheet. Page 1, by priority: the headline, where the period lands, what changed (with a previous
        report), the decisions for leadership and the KPI boxes. Page 2: who and when, spend against budget and the
        top actions. Page 3: the charts. One page wide, printed at about 80 %, so no word prints under 8 pt."""
        a = self.a
        ws = self.wb.add_worksheet(SHEET)
        self._heights: dict[int, float] = {}
        ws.set_column(0, 0, LABEL_WIDTH)
        ws.set_column(1, BOX_COLUMNS, BOX_WIDTH)
        ws.set_column(GAP_COL, GAP_COL, GAP_WIDTH)
        ws.set_column(RIGHT_COL, LAST_COL, RIGHT_COL_WIDTH)
        business = a.intake.business["Business name"]
        ws.write_string(0, 0, f"Marketing operations dashboard — {business}", self.fmt["title"])
        self._row(ws, 0, 21)
        ws.merge_range(1, 0, 1, LAST_COL, a.headline, self.own["headline"])
        self._row(ws, 1, 16.5 * text_lines(a.headline, span_width(0, LAST_COL) * 0.9) + 3)
        above = write_landing(ws, 3, a.landing, a.window.end, self.prefix, self.own)
        if a.changes is not None:  # since the previous report: its summary, under where the period lands
            above = write_since(ws, above + 2, a.changes, self.own)
        page_one = self._boxes(ws, self._decisions(ws, above + 2) + 2)
        # what does not fit page 1 moves on, never shrinks: the top actions, when page 1 has no room for them
        actions_fit = self._points(page_one) + ROW_PT + sum(self._action_heights()) <= page_points()
        if actions_fit:
            page_one = self._actions(ws, page_one + 2)
        # ... and who and when, when page 1 has room for them too: then the charts have page 2 to themselves
        who_fits = actions_fit and self._points(page_one) + self._who_points() <= page_points()
        bottom = self._who_and_when(ws, page_one + 2)
        breaks = [bottom + 2] if who_fits else [page_one + 2]
        if not actions_fit:
            bottom = self._actions(ws, bottom + 2)
            breaks.append(bottom + 2)
        charts = bottom + 2
        self._charts(ws, charts)
        ws.set_h_pagebreaks(breaks)
        ws.hide_gridlines(2)
        ws.print_area(0, 0, self._row_below(charts, 2 * CHART_H), LAST_COL)
        ws.set_landscape()
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.fit_to_pages(1, 0)
        ws.activate()

    def _who_and_when(self, ws: Any, r: int) -> int:
        """Who and when (business, period, Report as of, active channels, budget, left to spend) with spend against
        budget to date beside it, from row ``r``. Returns the last row."""
        a, b, w = self.a, self.a.intake.business, self.a.window
        header = [
            ("Business", str(b["Business name"])),
            ("Period", period_dates(w.start, w.end)),
            ("Report as of", f"{prose_day(w.as_of)} (day {w.elapsed_days} of {w.period_days})"),
            ("Active channels", len(a.funnel.active)),
        ]
        for i, (label, value) in enumerate(header, start=r):
            ws.write_string(i, 0, label, self.fmt["bold"])
            if isinstance(value, str):
                ws.merge_range(i, 1, i, 3, value, self.fmt["text"])
            else:
                ws.write_number(i, 1, value, self.own["value"])
        ws.write_string(r + 4, 0, "Budget for the period", self.fmt["bold"])
        ws.write_formula(
            r + 4, 1, f"={kpi_cell('Spend', 'Target')}", self.fmt["money"], cached(a.kpis.loc["Spend", "Target"])
        )
        # the plan's: the one answer to "how much is left?"
        ws.write_string(r + 5, 0, "Left to spend", self.fmt["bold"])
        ws.write_number(r + 5, 1, a.plan.left, self.fmt["money"])
        self._spend_panel(ws, r, 4)
        through, points = self._data_through()
        if not through:
            return r + 5
        ws.merge_range(r + 6, 0, r + 6, GAP_COL - 1, through, self.own["wrap_note_left"])
        self._row(ws, r + 6, points)
        return r + 6

    def _data_through(self) -> tuple[str, float]:
        """The line naming the channels whose rows stop early (under who and when, beside Report as of) and its
        height in points ("" and 0 when every channel's rows reach Report as of)."""
        through = data_through_line(self.a.lagging, self.a.window.as_of)
        return through, ROW_PT * text_lines(through, span_width(0, GAP_COL - 1)) if through else 0.0

    def _who_points(self) -> float:
        """The height of who and when with the gap row above it, in points (:meth:`_who_and_when`)."""
        return 7 * ROW_PT + self._data_through()[1]

    def _row(self, ws: Any, r: int, points: float) -> None:
        """Set a row's height (points), remembered so the rows under the charts can be found."""
        self._heights[r] = points
        ws.set_row(r, points)

    def _points(self, last: int) -> float:
        """The height of rows 0 to ``last``, in points."""
        return sum(self._heights.get(r, ROW_PT) for r in range(last + 1))

    def _row_below(self, first: int, px_down: int) -> int:
        """The first row that starts at least ``px_down`` pixels below the top of row ``first``."""
        r, down = first, 0
        while down < px_down:
            down += int(4 / 3 * self._heights.get(r, ROW_PT))  # as XlsxWriter sizes a row in pixels
            r += 1
        return r

    def _spend_panel(self, ws: Any, r: int, c: int) -> None:
        """ "Are we on budget?": the KPI Framework's Spend row — spend to date, budget to date, pace, status (the title
        in column ``c``, labels right-aligned in ``c + 1``, figures in ``c + 2``)."""
        k = self.a.kpis.loc["Spend"]
        ws.merge_range(r, c, r, c + 2, "Spend vs budget to date", self.fmt["bold"])
        for i, (label, column, kind) in enumerate(
            (
                ("Spend to date", "Actual", "money"),
                ("Budget to date", "Target to date", "money"),
                ("Pace", "Attainment", "percent"),
                ("Status", "Status", None),
            ),
            start=r + 1,
        ):
            ws.write_string(i, c + 1, label, self.own["label_right"])  # spills left into the empty column c
            ws.write_formula(i, c + 2, f"={kpi_cell('Spend', column)}", self.fmt.get(kind), cached(k[column]))
        self.fmt.colour_statuses(ws, r + 4, c + 2, r + 4, c + 2)

    def _box_format(self, kind: str, digits: int) -> Any:
        """A KPI box's figure format: centred, bold, with the decimals the KPI Framework shows the figure with."""
        key = f"box_{kind}" if digits == DIGITS[kind] else f"box_{kind}:{digits}"
        if key not in self.own:
            self.own[key] = self.wb.add_format(
                {"num_format": figure_format(kind, digits, self.prefix), "align": "center", "bold": True}
            )
        return self.own[key]

    def _boxes(self, ws: Any, r: int) -> int:
        """The KPI boxes the engine chose (tracked KPIs with a target, worst first; "No target" fillers last), their
        actual and target with the KPI Framework's decimals (enough to redo its attainment). Returns the last row."""
        ws.write_string(r, 0, "KPI", self.fmt["bold"])
        ws.write_string(r + 1, 0, "Actual to date")
        ws.write_string(r + 2, 0, "Target", self.fmt["note"])
        ws.write_string(r + 4, 0, "Status")
        for j, m in enumerate(self.a.kpi_boxes, start=1):
            k = self.a.kpis.loc[m]
            kind = number_format(m)
            to_date, actual = redo_digits_of(m, kind, k["Target to date"], k["Actual"], k["Attainment"])
            ws.write_string(r, j, m, self.own["box_name"])
            box_actual = self._box_format(kind, actual)
            ws.write_formula(r + 1, j, f"={kpi_cell(m, 'Actual')}", box_actual, cached(k["Actual"]))
            target_col = "Target to date" if is_volume(m) else "Target"
            ws.write_string(r + 2, j, "target to date" if is_volume(m) else "target", self.own["box_note"])
            box_target = self._box_format(kind, to_date)
            ws.write_formula(r + 3, j, f"={kpi_cell(m, target_col)}", box_target, cached(k[target_col]))
            ws.write_formula(r + 4, j, f"={kpi_cell(m, 'Status')}", self.own["box_status"], k["Status"])
        self.fmt.colour_statuses(ws, r + 4, 1, r + 4, BOX_COLUMNS)
        return r + 4

    def _decisions(self, ws: Any, r: int) -> int:
        """The decisions for leadership under the KPI boxes: subject, decision, amount, owner (Optimization Actions
        says why). Returns the last row."""
        decisions = self.a.decisions_needed
        ws.write_string(r, 0, "Decisions for leadership", self.fmt["title"])
        self._row(ws, r, TITLE_PT)
        if decisions.empty:
            ws.write_string(r + 1, 0, NO_DECISION, self.fmt["note"])
            return r + 1
        for header, (first, last) in DECISION_SPANS.items():
            put(ws, r + 1, first, last, header, self.fmt["header"])
        shown = decisions.head(TOP_DECISIONS)
        for i, (_, d) in enumerate(shown.iterrows(), start=r + 2):
            texts = {
                h: str(d[h]) if isinstance(d[h], str) and d[h].strip() else UNDEFINED
                for h in ("Subject", "Decision", "Owner")
            }
            for header, text in texts.items():
                put(ws, i, *DECISION_SPANS[header], text, self.own["wrap_in" if header == "Owner" else "wrap"])
            put(ws, i, *DECISION_SPANS["Money at stake"], float(d["Money at stake"]), self.own["money_top"])
            lines = max(text_lines(t, span_width(*DECISION_SPANS[h])) for h, t in texts.items())
            self._row(ws, i, ROW_PT * lines)
        more = len(decisions) - len(shown)
        where = f"{more} more, and why each is asked" if more else "Why each is asked"
        # beside the title, right-aligned over the columns it does not reach
        ws.merge_range(r, 3, r, BOX_COLUMNS, f"{where}: Optimization Actions", self.own["note_right"])
        last = r + 1 + len(shown)
        return last

    def _actions(self, ws: Any, r: int) -> int:
        """The top actions across the page: subject, action, owner, the money at stake and what it is, the expected
        effect by period end, where the money goes. Returns the last row."""
        review = self.a.review
        due = (
            f" — due at the next review, {prose_day(review.due)}"
            if review is not None and not pd.isna(review.due)
            else ""
        )
        ws.write_string(r, 0, f"Top actions of the plan for the rest of the period{due}", self.fmt["title"])
        actions, heights = top_actions(self.a), self._action_heights()
        self._row(ws, r, heights[0])
        if not actions:  # one line, no header over an empty table
            ws.write_string(r + 1, 0, NO_ACTION, self.fmt["note"])
            return r + 1
        for header, ((first, last), _) in ACTION_SPANS.items():
            put(ws, r + 1, first, last, header, self.fmt["header"])
        self._row(ws, r + 1, heights[1])
        for i, t in enumerate(actions, start=r + 2):
            for span, field in ACTION_SPANS.values():
                value = getattr(t, field)
                if isinstance(value, str):
                    put(ws, i, *span, value or UNDEFINED, self.own[TEXT_FORMATS.get(field, "wrap")])
                else:
                    kind = self.own["number_top"] if field == "customers" else self.own["money_top"]
                    put(ws, i, *span, UNDEFINED if math.isnan(value) else value, kind)
            self._row(ws, i, heights[i - r])
        last = r + 2 + len(actions)
        put(ws, last, 0, LAST_COL, ACTIONS_NOTE, self.own["wrap_note_left"])
        self._row(ws, last, heights[-1])
        return last

    def _action_heights(self) -> list[float]:
        """The heights of the top actions' rows, in points: title, header, one per action, the note under them (or
        the line saying there is none)."""
        spans = ACTION_SPANS.items()
        heights = [TITLE_PT, ROW_PT * max(text_lines(h, span_width(*span)) for h, (span, _) in spans)]
        actions = top_actions(self.a)
        for t in actions:
            texts = [(getattr(t, f), span) for span, f in ACTION_SPANS.values() if isinstance(getattr(t, f), str)]
            heights.append(ROW_PT * max(1, *(text_lines(v, span_width(*span)) for v, span in texts)))
        note = ROW_PT * text_lines(ACTIONS_NOTE, span_width(0, LAST_COL)) if actions else ROW_PT
        return [*heights, note]

    # --- the charts ----------------------------------------------------------------------------------------
    def _charts(self, ws: Any, top: int) -> None:
        """Five charts in a 3 × 2 grid of CHART_W × CHART_H px blocks from row ``top``, on a page of their own."""
        self._chart_top = top
        rows = self._chart_rows
        n = len(self.a.channels)
        money_axis = {"name": f"Spend ({self.currency})", "num_format": f'"{self.prefix}"#,##0', "min": 0}
        # a horizontal value axis gets a round step, so its labels never run into each other
        roas_top = _top(self.a.channels["ROAS"])
        funnel_top = _top(self.a.kpis.loc[list(FUNNEL), "Actual"])
        if n:
            cats = self._range("Channel")
            self._place(
                ws,
                self._chart(
                    "column",
                    "Spend vs budget by channel",
                    [(h, self._range(h)) for h in ("Spend", "Budget for period")],
                    cats,
                    y_axis=money_axis,
                ),
                0,
                0,
            )
            self._place(
                ws,
                self._chart(
                    "column",
                    "CAC vs expected CAC and CAC target",
                    [(h, self._range(h)) for h in ("CAC", "Expected CAC", "CAC target")],
                    cats,
                    y_axis={**money_axis, "name": f"{self.currency} per customer"},
                ),
                1,
                0,
            )
            self._place(
                ws,
                self._chart(
                    "bar",
                    "ROAS by channel",
                    [("ROAS", self._range("ROAS"))],
                    cats,
                    y_axis={"name": "Revenue ÷ spend", "min": 0, **_round_ticks(roas_top, '0":1"', '0.0":1"')},
                    x_axis={"reverse": True},
                ),
                2,
                0,
            )
        top, last = rows["funnel"]
        self._place(
            ws,
            self._chart(
                "bar",
                "Funnel: Leads → MQLs → SQLs → Customers",
                [("Count", "=" + sheet_ref(CHART_SHEET, f"$B${top + 2}:$B${last + 1}"))],
                "=" + sheet_ref(CHART_SHEET, f"$A${top + 2}:$A${last + 1}"),
                y_axis={"name": "Count", "min": 0, **_round_ticks(funnel_top, "#,##0", "#,##0.0")},
                x_axis={"reverse": True},
            ),
            0,
            1,
        )
        top, last = rows["curve"]
        chart = self._chart(
            "line",
            "Cumulative spend vs budget to date",
            [
                (name, "=" + sheet_ref(CHART_SHEET, f"${c}${top + 2}:${c}${last + 1}"))
                for c, name in (("B", "Cumulative spend"), ("C", "Budget to date"))
            ],
            "=" + sheet_ref(CHART_SHEET, f"$A${top + 2}:$A${last + 1}"),
            y_axis=money_axis,
            # a label a week: the days between are read off the line
            x_axis={"date_axis": True, "num_format": "d mmm", "name": "Date", **WEEKLY},
        )
        chart.set_size({"width": 2 * CHART_W, "height": CHART_H})
        self._place(ws, chart, 1, 1)

    def _range(self, header: str) -> str:
        top, last = self._chart_rows["channels"]
        c = CHART_HEADERS.index(header)
        span = f"{xl_rowcol_to_cell(top + 1, c, True, True)}:{xl_rowcol_to_cell(last, c, True, True)}"
        return "=" + sheet_ref(CHART_SHEET, span)

    def _place(self, ws: Any, chart: Any, i: int, j: int) -> None:
        """Put a chart in block (column ``i``, row ``j``) of the charts' grid."""
        ws.insert_chart(
            self._chart_top,
            0,
            chart,
            {"x_offset": i * CHART_W, "y_offset": j * CHART_H, "object_position": 3},
        )

    def _chart(
        self,
        kind: str,
        title: str,
        series: list[tuple[str, str]],
        categories: str,
        y_axis: dict[str, Any],
        x_axis: dict[str, Any] | None = None,
    ) -> Any:
        chart = self.wb.add_chart({"type": kind})
        for name, values in series:
            chart.add_series({"name": name, "categories": categories, "values": values})
        # sized for print: the Dashboard prints at 74-84 %, so labels at 12 pt print at 8.9-10 pt, the title larger
        chart.set_title({"name": title, "name_font": {"size": 14}})
        chart.set_legend({"position": "bottom", "font": {"size": LABEL_PT}} if len(series) > 1 else {"none": True})
        # a bar chart's value axis is its x axis in Excel's terms; a column or line chart's is its y axis
        value_axis, category_axis = ("set_x_axis", "set_y_axis") if kind == "bar" else ("set_y_axis", "set_x_axis")
        label = {"size": LABEL_PT}
        getattr(chart, value_axis)({**y_axis, "name_font": label, "num_font": label})
        getattr(chart, category_axis)({**(x_axis or {}), "name_font": label, "num_font": label})
        chart.set_size({"width": CHART_W, "height": CHART_H})
        return chart

    # --- the hidden chart data -----------------------------------------------------------------------------
    def chart_data(self) -> None:
        """Write the hidden sheet the charts read: per channel, the funnel, and the day-by-day spend curve.

        Formulas over the report's sheets (so the charts follow an edit); hidden, so it never prints.
        """
        a = self.a
        ws = self.wb.add_worksheet(CHART_SHEET)
        ws.hide()
        ws.set_column(0, 0, 22)
        ws.set_column(1, len(CHART_HEADERS) - 1, 16)
        ws.write_row(0, 0, list(CHART_HEADERS), self.fmt["header"])
        at = CHART_HEADERS.index
        channels = list(a.channels.index)
        for i, ch in enumerate(channels, start=1):
            c = a.channels.loc[ch]
            ws.write_formula(i, at("Channel"), short_label(channel_cell(ch, "Channel", a)), None, chart_label(str(ch)))
            ws.write_formula(i, at("Spend"), f"={channel_cell(ch, 'Spend', a)}", self.fmt["money"], float(c["Spend"]))
            if len(a.pacing_lines):
                A = channel_cell(ch, "Channel", a)  # the name itself: column A holds the chart's (maybe cut) label
                ws.write_formula(
                    i,
                    at("Budget for period"),
                    "="
                    + exact_sum(self.pacing.column_range("Budget for period"), self.pacing.column_range("Channel"), A),
                    self.fmt["money"],
                    float(c["Budget for period"]),
                )
            else:
                ws.write_number(i, at("Budget for period"), float(c["Budget for period"]), self.fmt["money"])

            def shown(metric: str, value: Any, ch: str = ch) -> Any:
                return cached(a.tracking.value_if_tracked(metric, value, ch))

            ws.write_formula(i, at("CAC"), f"={channel_cell(ch, 'CAC', a)}", self.fmt["money"], shown("CAC", c["CAC"]))
            for h in ("Expected CAC", "CAC target"):  # each from its own sheet: Channels, Targets
                ws.write_formula(i, at(h), f"={strategy_cell(ch, h, a)}", self.fmt["money"], cached(c[h]))
            ws.write_formula(
                i, at("ROAS"), f"={channel_cell(ch, 'ROAS', a)}", self.fmt["ratio"], shown("ROAS", c["ROAS"])
            )
        f0 = self._chart_rows["funnel"][0]
        ws.write_row(f0, 0, ["Funnel stage", "Count"], self.fmt["header"])
        for i, m in enumerate(FUNNEL, start=f0 + 1):
            ws.write_string(i, 0, m)
            ws.write_formula(
                i,
                1,
                f"={kpi_cell(m, 'Actual')}",
                self.fmt["integer"],
                cached(a.tracking.value_if_tracked(m, a.kpis.loc[m, "Actual"])),
            )
        self._pace_data(ws, self._chart_rows["curve"][0])

    def _pace_data(self, ws: Any, r0: int) -> None:
        """Cumulative spend against the budget to date: every budget line's expected spend, day by day."""
        a = self.a
        ws.write_row(r0, 0, ["Date", "Cumulative spend", "Budget to date"], self.fmt["header"])
        for i, (day, point) in enumerate(a.spend_curve.iterrows(), start=r0 + 1):
            ws.write_datetime(i, 0, day.to_pydatetime(), self.fmt["date"])
            previous = xl_rowcol_to_cell(i - 1, 2) if i > r0 + 1 else ""
            w = CurveFormulas(xl_rowcol_to_cell(i, 0), previous, self.pacing.column_range)
            if not pd.isna(point["Cumulative spend"]):
                ws.write_formula(i, 1, w.cumulative_spend(), self.fmt["money"], float(point["Cumulative spend"]))
            if len(a.pacing_lines):
                ws.write_formula(i, 2, w.budget_to_date(), self.fmt["money"], float(point["Budget to date"]))
            else:
                ws.write_number(i, 2, 0.0, self.fmt["money"])


def _top(values: pd.Series) -> float:
    """The largest finite number of ``values`` (NaN when there is none)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return float(numbers[np.isfinite(numbers)].max())


def _round_ticks(top: float, whole: str, tenths: str) -> dict[str, Any]:
    """A value axis's step and number format: a round step (:func:`tick_step`), shown whole when it is."""
    step = tick_step(top)
    if step is None:
        return {"num_format": tenths}
    return {"major_unit": step, "num_format": whole if step >= 1 else tenths}


def chart_label(name: str) -> str:
    """A channel's name as a chart's axis shows it: whole up to :data:`LABEL_CHARS` characters, else its first
    :data:`LABEL_HEAD` and last :data:`LABEL_TAIL` around "…" (a long name would squeeze the chart to a speck).

    Args:
        name: The channel's name.

    Returns:
        The label (the value :func:`short_label`'s formula gives).
    """
    return name if len(name) <= LABEL_CHARS else f"{name[:LABEL_HEAD]}…{name[-LABEL_TAIL:]}"


def short_label(cell: str) -> str:
    """The formula that gives :func:`chart_label` of the name in ``cell``.

    Args:
        cell: A reference to the cell holding the name.

    Returns:
        The formula, with its "=".
    """
    return f'=IF(LEN({cell})>{LABEL_CHARS},LEFT({cell},{LABEL_HEAD})&"…"&RIGHT({cell},{LABEL_TAIL}),{cell})'
