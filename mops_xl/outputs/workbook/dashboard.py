"""The Dashboard: who and when, the four KPI boxes, the top actions, and native charts."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.metrics.engine import BOX_CANDIDATES, Analysis
from mops_xl.metrics.recommendations import AS_BUILT
from mops_xl.metrics.targets import is_volume
from mops_xl.outputs.workbook.figure_formulas import number_format
from mops_xl.outputs.workbook.formats import Formats, SheetWriter
from mops_xl.outputs.workbook.formulas import UNDEFINED, cached, col, exact_sum, sheet_ref
from mops_xl.outputs.workbook.kpi_sheets import channel_cell, kpi_cell, strategy_cell

SHEET = "Dashboard"
#: The chart data under the Dashboard, per channel. Expected CAC is the Channels sheet's; CAC target the Targets
#: sheet's (both through Channel Strategy).
CHART_HEADERS = ("Channel", "Spend", "Budget for period", "CAC", "Expected CAC", "CAC target", "ROAS")
#: The number format of each figure a KPI box may show (see :data:`mops_xl.metrics.engine.BOX_CANDIDATES`), from
#: its catalogue unit.
BOX_KINDS = {m: number_format(m) for m in BOX_CANDIDATES}
#: The top actions' columns (the Optimization Actions sheet has their evidence and money).
TOP_ACTION_HEADERS = ("Priority", "Subject", "Action", "Owner", "Due")
CHART_TOP = 34  # 0-based row where the chart data tables start


class Dashboard(SheetWriter):
    """Writes the Dashboard sheet.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        pacing: The Budget Pacing writer (budget references).
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, pacing: Any):
        super().__init__(wb, fmt, analysis)
        self.pacing = pacing

    def write(self) -> None:
        """Write the sheet."""
        a, b, w = self.a, self.a.intake.business, self.a.window
        ws = self.wb.add_worksheet(SHEET)
        ws.write_string(0, 0, f"Marketing operations dashboard — {b['Business name']}", self.fmt["title"])
        header = [
            ("Business", str(b["Business name"])),
            ("Team size", b["Team size"]),
            ("Active channels", len(a.funnel.active)),
            ("Currency", b["Currency"]),
            ("Period", f"{w.start:%Y-%m-%d} to {w.end:%Y-%m-%d}"),
            ("Report as of", f"{w.as_of:%Y-%m-%d}"),
        ]
        for i, (label, value) in enumerate(header, start=2):
            ws.write_string(i, 0, label, self.fmt["bold"])
            if isinstance(value, str):
                ws.write_string(i, 1, value)
            elif value is not None:
                ws.write_number(i, 1, value)
        ws.write_string(8, 0, "Budget for the period", self.fmt["bold"])
        ws.write_formula(
            8, 1, f"={kpi_cell('Spend', 'Target')}", self.fmt["money"], cached(a.kpis.loc["Spend", "Target"])
        )
        self._spend_panel(ws, 2, 3)
        self._boxes(ws, 10)
        self._actions(ws, 17)
        self._charts(ws)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 8, 16)

    def _spend_panel(self, ws: Any, r: int, c: int) -> None:
        """ "Are we on budget?": the KPI Framework's Spend row — spend to date, budget to date, pace, status."""
        k = self.a.kpis.loc["Spend"]
        ws.write_string(r, c, "Spend vs budget to date", self.fmt["bold"])
        for i, (label, column, kind) in enumerate(
            (
                ("Spend to date", "Actual", "money"),
                ("Budget to date", "Target to date", "money"),
                ("Pace", "Attainment", "percent"),
                ("Status", "Status", None),
            ),
            start=r + 1,
        ):
            ws.write_string(i, c, label)
            ws.write_formula(i, c + 1, f"={kpi_cell('Spend', column)}", self.fmt.get(kind), cached(k[column]))
        self.fmt.colour_statuses(ws, r + 4, c + 1, r + 4, c + 1)

    def _boxes(self, ws: Any, r: int) -> None:
        """The KPI boxes the engine chose among the tracked metrics (those with a target first)."""
        for j, m in enumerate(self.a.kpi_boxes):
            c = 1 + 2 * j
            k = self.a.kpis.loc[m]
            kind = BOX_KINDS[m]
            ws.write_string(r, c, m, self.fmt["header"])
            ws.write_formula(r + 1, c, f"={kpi_cell(m, 'Actual')}", self.fmt[kind], cached(k["Actual"]))
            target_col = "Target to date" if is_volume(m) else "Target"
            ws.write_string(r + 2, c, "vs target" + (" to date" if is_volume(m) else ""), self.fmt["note"])
            ws.write_formula(r + 3, c, f"={kpi_cell(m, target_col)}", self.fmt[kind], cached(k[target_col]))
            ws.write_formula(r + 4, c, f"={kpi_cell(m, 'Status')}", None, k["Status"])
        self.fmt.colour_statuses(ws, r + 4, 1, r + 4, 8)

    def _actions(self, ws: Any, r: int) -> None:
        """The top actions by the money at stake: the engine's values, as built."""
        ws.write_string(r, 0, f"Top actions ({AS_BUILT})", self.fmt["title"])
        ws.write_row(r + 1, 0, list(TOP_ACTION_HEADERS), self.fmt["header"])
        top = self.a.top_actions.head(5)
        for i, (_, t) in enumerate(top.iterrows(), start=r + 2):
            ws.write_number(i, 0, int(t["Priority"]))
            for c, h in enumerate(TOP_ACTION_HEADERS[1:-1], start=1):
                ws.write_string(i, c, str(t[h]))
            if pd.isna(t["Due"]):
                ws.write_string(i, len(TOP_ACTION_HEADERS) - 1, UNDEFINED)
            else:
                ws.write_datetime(i, len(TOP_ACTION_HEADERS) - 1, t["Due"].to_pydatetime(), self.fmt["date"])
        if top.empty:
            ws.write_string(r + 2, 0, "No action: every channel holds.", self.fmt["note"])

    def _charts(self, ws: Any) -> None:
        a = self.a
        r0 = CHART_TOP
        ws.write_string(r0 - 1, 0, "Chart data (formulas over the sheets above)", self.fmt["note"])
        ws.write_row(r0, 0, list(CHART_HEADERS), self.fmt["header"])
        at = CHART_HEADERS.index
        channels = list(a.channels.index)
        for i, ch in enumerate(channels, start=r0 + 1):
            c = a.channels.loc[ch]
            ws.write_formula(i, at("Channel"), f"={channel_cell(ch, 'Channel', a)}", None, str(ch))
            ws.write_formula(i, at("Spend"), f"={channel_cell(ch, 'Spend', a)}", self.fmt["money"], float(c["Spend"]))
            if len(a.pacing_lines):
                A = xl_rowcol_to_cell(i, 0)
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
                return cached(a.tracking.show(metric, value, ch))

            ws.write_formula(i, at("CAC"), f"={channel_cell(ch, 'CAC', a)}", self.fmt["money"], shown("CAC", c["CAC"]))
            for h in ("Expected CAC", "CAC target"):  # each from its own sheet: Channels, Targets
                ws.write_formula(i, at(h), f"={strategy_cell(ch, h, a)}", self.fmt["money"], cached(c[h]))
            ws.write_formula(
                i, at("ROAS"), f"={channel_cell(ch, 'ROAS', a)}", self.fmt["ratio"], shown("ROAS", c["ROAS"])
            )
        last = r0 + len(channels)

        def rng(c: int) -> str:
            span = f"{xl_rowcol_to_cell(r0 + 1, c, True, True)}:{xl_rowcol_to_cell(last, c, True, True)}"
            return "=" + sheet_ref(SHEET, span)

        cats = rng(0)
        self._chart(
            ws,
            "column",
            "Spend vs budget by channel",
            [(h, rng(at(h))) for h in ("Spend", "Budget for period")],
            cats,
            "H3",
        )
        self._chart(
            ws,
            "column",
            "CAC by channel vs expected CAC and CAC target",
            [(h, rng(at(h))) for h in ("CAC", "Expected CAC", "CAC target")],
            cats,
            "H19",
        )
        self._chart(ws, "bar", "ROAS by channel", [("ROAS", rng(at("ROAS")))], cats, "P3")
        f0 = last + 3
        ws.write_row(f0, 0, ["Funnel stage", "Count"], self.fmt["header"])
        for i, m in enumerate(("Leads", "MQLs", "SQLs", "Customers"), start=f0 + 1):
            ws.write_string(i, 0, m)
            ws.write_formula(
                i,
                1,
                f"={kpi_cell(m, 'Actual')}",
                self.fmt["integer"],
                cached(a.tracking.show(m, a.kpis.loc[m, "Actual"])),
            )
        self._chart(
            ws,
            "bar",
            "Funnel: Leads → MQLs → SQLs → Customers",
            [("Count", "=" + sheet_ref(SHEET, f"$B${f0 + 2}:$B${f0 + 5}"))],
            "=" + sheet_ref(SHEET, f"$A${f0 + 2}:$A${f0 + 5}"),
            "P19",
            reverse=True,
        )
        self._pace_chart(ws, f0 + 7)

    def _pace_chart(self, ws: Any, r0: int) -> None:
        """Cumulative spend against the budget to date: every budget line's expected spend, day by day."""
        a = self.a
        ws.write_row(r0, 0, ["Date", "Cumulative spend", "Budget to date"], self.fmt["header"])
        per_day = None
        if len(a.pacing_lines):
            rate, start, end = (self.pacing.column_range(h) for h in ("Planned per day", "Line start", "Line end"))
            per_day = (
                f'IF(AND(PacingMethod="weekdays",WEEKDAY({{day}},2)>5),0,SUMIFS({rate},{start},"<="&{{day}},'
                f'{end},">="&{{day}}))'
            )
        for i, (day, point) in enumerate(a.spend_curve.iterrows(), start=r0 + 1):
            ws.write_datetime(i, 0, day.to_pydatetime(), self.fmt["date"])
            D = xl_rowcol_to_cell(i, 0)
            if not pd.isna(point["Cumulative spend"]):
                ws.write_formula(
                    i,
                    1,
                    f'=SUMIFS({col("Actuals", "Spend")},{col("Actuals", "Date")},">="&PeriodStart,'
                    f'{col("Actuals", "Date")},"<="&{D})',
                    self.fmt["money"],
                    float(point["Cumulative spend"]),
                )
            if per_day is None:
                ws.write_number(i, 2, 0.0, self.fmt["money"])
                continue
            before = xl_rowcol_to_cell(i - 1, 2) + "+" if i > r0 + 1 else ""
            ws.write_formula(
                i, 2, f"={before}{per_day.format(day=D)}", self.fmt["money"], float(point["Budget to date"])
            )
        last = r0 + len(a.spend_curve)
        chart = self.wb.add_chart({"type": "line"})
        for c, name in ((1, "Cumulative spend"), (2, "Budget to date")):
            span = f"{xl_rowcol_to_cell(r0 + 1, c, True, True)}:{xl_rowcol_to_cell(last, c, True, True)}"
            chart.add_series(
                {
                    "name": name,
                    "categories": "=" + sheet_ref(SHEET, f"$A${r0 + 2}:$A${last + 1}"),
                    "values": "=" + sheet_ref(SHEET, span),
                }
            )
        chart.set_title({"name": "Cumulative spend vs budget to date"})
        chart.set_x_axis({"date_axis": True, "num_format": "mm-dd"})
        chart.set_size({"width": 620, "height": 300})
        ws.insert_chart("H35", chart)

    def _chart(
        self,
        ws: Any,
        kind: str,
        title: str,
        series: list[tuple[str, str]],
        categories: str,
        where: str,
        reverse: bool = False,
    ) -> None:
        chart = self.wb.add_chart({"type": kind})
        for name, values in series:
            chart.add_series({"name": name, "categories": categories, "values": values})
        chart.set_title({"name": title})
        chart.set_legend({"position": "bottom"})
        if reverse:
            chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 620, "height": 300})
        ws.insert_chart(where, chart)
