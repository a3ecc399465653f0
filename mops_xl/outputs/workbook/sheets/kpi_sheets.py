"""KPI Framework, Channel Strategy and Channel Performance: the engine's figures as living formulas."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.blocks.tracking import needs, value_if_volumes_tracked
from mops_xl.analysis.blocks.wording import days, redo_digits
from mops_xl.analysis.engine import CHANNEL_PERFORMANCE_COLUMNS, KPI_COLUMNS, Analysis
from mops_xl.analysis.figures.targets import primary_order
from mops_xl.outputs.forecast_columns import KPI_FORECAST_COLUMNS
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    UNDEFINED,
    by_campaign,
    by_channel,
    cached,
    if_tracked,
    sheet_ref,
)
from mops_xl.outputs.workbook.formulas.figure_formulas import RowFormulas, figure_formula, number_format
from mops_xl.outputs.workbook.formulas.kpi_formulas import (
    WINDOW_ROWS,
    BudgetCells,
    ChannelRowFormulas,
    KpiRowFormulas,
    budget_share,
    cac_target,
    channel_judgement,
    channel_trend,
    channels_total,
    kpi_row,
    window_rows,
)
from mops_xl.outputs.workbook.layout.cell_formats import DIGITS, Formats
from mops_xl.outputs.workbook.layout.print_blocks import print_in_blocks
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter
from mops_xl.outputs.workbook.sheets.forecast_cells import ForecastCells
from mops_xl.outputs.workbook.sheets.week_by_week import write_week_by_week

KPI_SHEET, PERFORMANCE_SHEET, STRATEGY_SHEET = "KPI Framework", "Channel Performance", "Channel Strategy"
TOP = 3  # 0-based header row of the main table on each sheet
#: Channel Performance columns after the pinned ones: how each channel is judged. The attainment stands beside
#: the target it is computed against (to date: a Leads target prorated; a ratio target as it is).
JUDGEMENT_COLUMNS = (
    "Primary metric",
    "Primary source",
    "Primary target",
    "Primary target to date",
    "Primary actual",
    "Attainment",
    "Trend recent",
    "Trend prior",
)
PERFORMANCE_HEADERS = ("Channel", *CHANNEL_PERFORMANCE_COLUMNS, *JUDGEMENT_COLUMNS)
#: Expected CAC is the Channels sheet's planning figure; CAC target the Targets sheet's row for the channel.
STRATEGY_HEADERS = (
    "Channel",
    "Role",
    "Funnel stage",
    "Budget %",
    "Expected CAC",
    "CAC target",
    "Actual CAC",
    "Target audience",
    "Owner",
)
#: Number formats of the columns that are not catalogue figures (those take their unit's).
_KIND = {"Trend %": "percent", "Attainment": "percent"}
#: The figures of each campaign in Channel Performance's breakdown, after Channel and Campaign.
CAMPAIGN_FIGURES = ("Spend", "Leads", "Customers", "Revenue", "CPL", "CAC", "ROAS")
#: Columns shown as plain numbers (their unit depends on the channel's primary metric).
_PLAIN_NUMBERS = ("Primary target", "Primary target to date", "Primary actual", "Trend recent", "Trend prior")
#: KPI Framework columns computed from the Actual: they say "Not tracked" when the Actual does.
_FROM_ACTUAL = ("Actual", "Attainment", "Status", "Previous period", "Change")
#: KPI Framework columns whose number format is not the metric's (Status is text).
_KPI_KIND: dict[str, str | None] = {"Attainment": "percent", "Status": None, "Change": "percent"}
#: The KPI Framework's Definition column: its definitions wrap in it (the forecast's columns take the rest of the
#: page's width, so the sheet prints no smaller than it did with one Projection column).
DEFINITION_WIDTH = 38
#: At most this many campaigns in Channel Performance's breakdown (the ones with the most spend).
MAX_CAMPAIGN_ROWS = 200
#: What the By campaign section says when no Actuals row of the period names a campaign.
NO_CAMPAIGN_ROWS = (
    "No campaign figures: no Actuals row of the period to date names a campaign (Actuals' Campaign column)."
)


def redo_digits_of(metric: Any, kind: str, target: Any, actual: Any, attainment: Any) -> tuple[int, int]:
    """The decimals a target to date and an actual are shown with on a sheet, so a reader who divides them as
    shown gets the attainment beside them (:func:`~mops_xl.analysis.blocks.wording.redo_digits`), from the
    decimals of their number format up.

    Args:
        metric: The metric judged (a catalogue figure; anything else keeps the format's decimals).
        kind: The figures' format kind ("integer", "money", "ratio" …).
        target: The target to date (the engine's value).
        actual: The actual.
        attainment: The attainment.

    Returns:
        The decimals of the target to date and of the actual.
    """
    start = DIGITS.get(kind, 0)
    entry = catalogue.current().find(metric) if isinstance(metric, str) else None
    numbers = [v for v in (target, actual, attainment) if isinstance(v, int | float) and not pd.isna(v)]
    if entry is None or len(numbers) < 3:
        return start, start
    return redo_digits(float(target), float(actual), float(attainment), entry.lower_is_better, (start, start))


def kpi_cell(metric: str, column: str) -> str:
    """The KPI Framework cell of a metric and column.

    Args:
        metric: A KPI metric.
        column: A KPI Framework column.

    Returns:
        E.g. "'KPI Framework'!$E$6".
    """
    r = TOP + 1 + catalogue.current().kpis.index(metric)
    return sheet_ref(KPI_SHEET, xl_rowcol_to_cell(r, KPI_COLUMNS.index(column), True, True))


def channel_cell(channel: str, header: str, a: Analysis, absolute: bool = True) -> str:
    """The Channel Performance cell of one channel and column, for other sheets' formulas.

    Args:
        channel: The channel.
        header: A :data:`PERFORMANCE_HEADERS` column.
        a: The analysis (gives the channel order).
        absolute: Absolute reference.

    Returns:
        E.g. "'Channel Performance'!$I$6".
    """
    r = TOP + 1 + list(a.channels.index).index(channel)
    return sheet_ref(PERFORMANCE_SHEET, xl_rowcol_to_cell(r, PERFORMANCE_HEADERS.index(header), absolute, absolute))


def strategy_cell(channel: str, header: str, a: Analysis) -> str:
    """The Channel Strategy cell of one channel and column, for other sheets' formulas.

    Args:
        channel: The channel.
        header: A :data:`STRATEGY_HEADERS` column.
        a: The analysis (gives the channel order).

    Returns:
        E.g. "'Channel Strategy'!$F$5".
    """
    r = TOP + 1 + list(a.channels.index).index(channel)
    return f"'{STRATEGY_SHEET}'!{xl_rowcol_to_cell(r, STRATEGY_HEADERS.index(header), True, True)}"


class KpiSheets(SheetWriter):
    """Writes the KPI Framework, Channel Strategy and Channel Performance sheets.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        pacing: The Budget Pacing sheet writer (for budget and pacing references).
        keys: The channels' and campaigns' numbers (:class:`~mops_xl.outputs.workbook.sheets.data_sheets.NameKeys`),
            which the formulas select Actuals and Targets rows by.
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, pacing: Any, keys: Any):
        super().__init__(wb, fmt, analysis)
        self.pacing, self.keys = pacing, keys

    # --- KPI Framework -----------------------------------------------------------------------------------

    def kpi_framework(self) -> None:
        """Write the KPI Framework: blended metrics against targets, with the previous period, and where each lands
        at period end (the forecast's Low, Likely and High, and the chance of the target)."""
        a, w = self.a, self.a.window
        ws = self.titled_sheet(
            KPI_SHEET,
            f"All channels, {days(w.start, w.as_of)} (day {w.elapsed_days} of "
            f"{w.period_days}); previous period: the same number of days before Period start. "
            "Targets and thresholds are read from the Targets and Settings sheets.",
            f"All channels, {days(w.start, w.as_of)} (day {w.elapsed_days} of "
            f"{w.period_days}); previous period: the same number of days before the period starts. "
            "Targets and thresholds as the team set them for the period.",
        )
        forecast = self._forecast()
        ws.write_string(2, 0, "Actuals rows in the window", forecast.caption)  # wraps: column A stays narrow
        ws.write_formula(2, 1, "=" + window_rows(), None, float(a.window_rows))
        self.wb.define_name(WINDOW_ROWS, "=" + sheet_ref(KPI_SHEET, "$B$3"))
        ws.write_row(TOP, 0, list(KPI_COLUMNS), self.fmt["header"])
        metrics = list(a.kpis.index)
        rows = {m: TOP + 1 + i for i, m in enumerate(metrics)}
        for m in metrics:
            self._kpi_row(ws, rows[m], m, rows)
        forecast.kpi_columns(ws, TOP, len(KPI_COLUMNS))
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, DEFINITION_WIDTH)
        ws.set_column(2, len(KPI_COLUMNS) + len(KPI_FORECAST_COLUMNS) - 1, 14)
        ws.freeze_panes(TOP + 1, 1)
        self.fmt.colour_statuses(ws, TOP + 1, 6, TOP + len(metrics), 6)
        # where each KPI lands prints after the table (with its caption), each row named by its metric: a metric
        # that is not tracked says so in every column, which would otherwise shrink the page below 8 pt
        last = len(KPI_COLUMNS) + len(KPI_FORECAST_COLUMNS) - 1
        print_in_blocks(ws, len(KPI_COLUMNS) - 1, (TOP - 1, len(KPI_COLUMNS), TOP + len(metrics), last), 1)

    def _kpi_row(self, ws: Any, r: int, m: str, rows: dict[str, int]) -> None:
        k = self.a.kpis.loc[m]
        ws.write_string(r, 0, m)
        ws.write_string(r, 1, k["Definition"], self.fmt["wrap"])
        kind = number_format(m)
        to_date, actual = redo_digits_of(m, kind, k["Target to date"], k["Actual"], k["Attainment"])
        digits = {"Target to date": to_date, "Actual": actual}
        if not catalogue.current().get(m).prorated:  # a ratio's target is its target to date: shown alike
            digits["Target"] = to_date
        for column, formula in kpi_row(KpiRowFormulas(m, rows), self._budget_cells()).items():
            if column in _KPI_KIND:
                fmt = self.fmt.get(_KPI_KIND[column])
            else:
                fmt = self.fmt.with_digits(kind, digits.get(column, DIGITS[kind]))
            self._formula(ws, r, column, formula, k[column], fmt)

    def _budget_cells(self) -> BudgetCells:
        """Budget Pacing's totals, which the Spend row is judged by (no budget without a budget line)."""
        has_budget = len(self.a.pacing_lines) > 0
        return BudgetCells(
            self.pacing.total_cell("Budget for period") if has_budget else None,
            self.pacing.total_cell("Expected to date"),
            self.pacing.overall_status_cell,
        )

    def _formula(self, ws: Any, r: int, column: str, formula: str | None, value: Any, fmt: Any) -> None:
        c = KPI_COLUMNS.index(column)
        if column in _FROM_ACTUAL:  # every figure of a metric that is not tracked says so
            m = str(self.a.kpis.index[r - TOP - 1])
            value = self.a.tracking.value_if_tracked(m, value)
            if formula is not None and column != "Actual" and needs(m):
                formula = if_tracked(formula, xl_rowcol_to_cell(r, KPI_COLUMNS.index("Actual")))
        if formula is None:
            ws.write_string(r, c, UNDEFINED if value is None or pd.isna(value) else str(value))
        else:
            ws.write_formula(r, c, "=" + formula, fmt, cached(value))

    def _forecast(self) -> ForecastCells:
        """The forecast's cells (built values) of the KPI Framework and Channel Performance."""
        return ForecastCells(self.wb, self.fmt, self.a, self.values_only)

    # --- Channel Performance -------------------------------------------------------------------------------

    def channel_performance(self) -> None:
        """Write Channel Performance: per-channel volumes, ratios, trend and status; totals; campaigns."""
        a = self.a
        ws = self.titled_sheet(
            PERFORMANCE_SHEET,
            f"Period to date: {days(a.window.start, a.window.as_of)}. Status judges each channel "
            f"by its primary metric ({primary_order()}); its attainment is against the target to date beside it. "
            "Trend compares the last Trend window days with the ones before (leads per day for a channel judged on "
            "leads or without a target): ↑ rose, ↓ fell; the Trend verdict and the colour say whether that is good.",
        )
        ws.write_row(TOP, 0, list(PERFORMANCE_HEADERS), self.fmt["header"])
        for i, (channel, c) in enumerate(a.channels.iterrows()):
            self._channel_row(ws, TOP + 1 + i, channel, c)
        last = TOP + len(a.channels)
        self._channel_totals(ws, last + 1)
        self.fmt.colour_statuses(
            ws, TOP + 1, PERFORMANCE_HEADERS.index("Trend verdict"), last, PERFORMANCE_HEADERS.index("Status")
        )
        # the arrow and the % say which way the number moved; their colour says whether that is good
        self.fmt.colour_by_status(
            ws,
            TOP + 1,
            PERFORMANCE_HEADERS.index("Trend"),
            last,
            PERFORMANCE_HEADERS.index("Trend %"),
            PERFORMANCE_HEADERS.index("Trend verdict"),
        )
        below = self._forecast().channel_table(ws, last + 5)  # below the totals row and its note, after an empty row
        weeks = write_week_by_week(self.wb, ws, below + 1, a, self.fmt, self.values_only)
        self._campaigns(ws, weeks + 2)  # after an empty row
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(PERFORMANCE_HEADERS) - 1, 13)
        ws.freeze_panes(TOP + 1, 1)
        # the sheet as wide as its figures (to Status), then the channels' primary metric columns, each row
        # headed by its channel and spend (wide enough for the title above): the wide table does not shrink the page
        status = PERFORMANCE_HEADERS.index("Status")
        print_in_blocks(ws, status, (TOP, status + 1, last, len(PERFORMANCE_HEADERS) - 1), 2)

    def _channel_row(self, ws: Any, r: int, channel: str, c: pd.Series) -> None:
        cell = {h: xl_rowcol_to_cell(r, PERFORMANCE_HEADERS.index(h)) for h in PERFORMANCE_HEADERS}
        w = ChannelRowFormulas(
            self.keys.channels[channel], cell, self.a.cycles.get(channel), lagging=channel in self.a.lagging
        )
        ws.write_string(r, 0, str(channel))
        written: dict[str, str] = {}  # the figures already on the row, which the next ones reference
        for v in CHANNEL_PERFORMANCE_COLUMNS:
            if v in catalogue.current():
                formula = figure_formula(v, RowFormulas((w.rows(),), written))
                self._put(ws, r, v, "=" + formula, self.a.tracking.value_if_tracked(v, c[v], channel))
                written[v] = cell[v]
        judged = {header: self._judged(header, c) for header in (*channel_trend(w), *channel_judgement(w))}
        kind = self._row_unit(r, "Primary actual")
        to_date, actual = redo_digits_of(
            c["Primary metric"], kind, judged["Primary target to date"], judged["Primary actual"], judged["Attainment"]
        )
        digits = {"Primary target to date": to_date, "Primary actual": actual}
        if isinstance(c["Primary metric"], str) and not catalogue.current().get(c["Primary metric"]).prorated:
            digits["Primary target"] = to_date  # a ratio's target is its target to date: shown alike
        for header, formula in {**channel_trend(w), **channel_judgement(w)}.items():
            self._put(ws, r, header, "=" + formula, judged[header], digits.get(header))

    def _judged(self, header: str, c: pd.Series) -> Any:
        """The engine's value of a trend or judgement column of a channel, Not tracked where the figure it is
        computed from is (the trend metric; the primary metric)."""
        if header in ("Trend recent", "Trend prior", "Trend %"):
            return self.a.tracking.value_if_tracked(c["Trend metric"], c[header], c.name)
        if header in ("Primary actual", "Attainment") and isinstance(c["Primary metric"], str):
            return self.a.tracking.value_if_tracked(c["Primary metric"], c[header], c.name)
        return c[header]

    def _put(self, ws: Any, r: int, header: str, formula: str | None, value: Any, digits: int | None = None) -> None:
        c = PERFORMANCE_HEADERS.index(header)
        kind = (
            self._row_unit(r, header)
            if header in _PLAIN_NUMBERS
            else number_format(header)
            if header in catalogue.current()
            else _KIND.get(header)
        )
        fmt = self.fmt.get(kind) if digits is None else self.fmt.with_digits(kind, digits)
        if formula is None:
            if value is None or pd.isna(value):
                ws.write_string(r, c, UNDEFINED)
            else:
                ws.write_number(r, c, float(value), fmt)
        else:
            ws.write_formula(r, c, formula, fmt, cached(value))

    def _row_unit(self, r: int, header: str) -> str:
        """The format of a column whose unit is the row's: its primary metric's (CAC money, ROAS a ratio, a
        volume whole), the trend's metric for the trend columns (leads per day with one decimal), as built."""
        channel = self.a.channels.iloc[r - TOP - 1]
        metric = channel["Trend metric" if header.startswith("Trend") else "Primary metric"]
        if header.startswith("Trend") and not (isinstance(metric, str) and metric in catalogue.current()):
            return "leads_per_day"  # each row's unit labelled: $ (CAC), :1 (ROAS), leads/day
        return number_format(metric) if isinstance(metric, str) and metric in catalogue.current() else "number"

    def _channel_totals(self, ws: Any, r: int) -> None:
        a, first, last = self.a, TOP + 1, TOP + len(self.a.channels)
        ws.write_string(r, 0, ALL_CHANNELS, self.fmt["total_text"])
        for v in ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue"):
            c = PERFORMANCE_HEADERS.index(v)
            kind = "total_money" if v in ("Spend", "Revenue") else "total_integer"
            span = f"{xl_rowcol_to_cell(first, c)}:{xl_rowcol_to_cell(last, c)}"
            ws.write_formula(
                r,
                c,
                "=" + channels_total(span, v),
                self.fmt[kind],
                cached(a.tracking.value_if_tracked(v, a.blended.volumes[v])),
            )
        ratios = [h for h in CHANNEL_PERFORMANCE_COLUMNS if h in catalogue.current() and h not in a.blended.volumes]
        for name in ratios:  # the KPI Framework's: one answer, over the channels that track them
            ws.write_formula(
                r,
                PERFORMANCE_HEADERS.index(name),
                "=" + kpi_cell(name, "Actual"),
                self.fmt[number_format(name)],
                cached(a.tracking.value_if_tracked(name, a.blended.figures[name])),
            )
        ws.write_string(
            r + 2,
            0,
            "The totals row's CPL, CAC and ROAS are the KPI Framework's: each counts the channels that track what it "
            "needs (ROAS paid channels only); a channel's Not tracked figures add nothing to the totals.",
            self.fmt["note"],
        )

    def _campaigns(self, ws: Any, top: int) -> None:
        campaigns, window = self.a.campaigns, self.a.window
        # the section's window, said: a campaign's plan sheet reconciles it with its own dates
        said = f"Period to date ({days(window.start, window.as_of)}), each campaign's own dates or not."
        if len(campaigns) > MAX_CAMPAIGN_ROWS:  # a leader reads the biggest; --json has them all
            said += (
                f" The {MAX_CAMPAIGN_ROWS} campaigns with the most spend of "
                f"{len(campaigns):,}; every campaign is in the JSON output."
            )
            campaigns = campaigns.sort_values("Spend", ascending=False, kind="stable").head(MAX_CAMPAIGN_ROWS)
        ws.write_string(top, 0, "By campaign", self.fmt["title"])
        if campaigns.empty:  # a section with nothing to show says so, in one line
            ws.write_string(top + 1, 0, NO_CAMPAIGN_ROWS, self.fmt["note"])
            return
        ws.write_string(top, 3, said, self.fmt["note"])
        headers = ["Channel", "Campaign", *CAMPAIGN_FIGURES]
        ws.write_row(top + 1, 0, headers, self.fmt["header"])
        for i, ((channel, campaign), c) in enumerate(campaigns.iterrows()):
            r = top + 2 + i
            ws.write_string(r, 0, str(channel))
            ws.write_string(r, 1, str(campaign))
            crit = (by_channel(self.keys.channels[channel]), by_campaign(self.keys.campaigns[campaign]))
            cells: dict[str, str] = {}  # the figures already on the row, which the next ones reference
            for j, v in enumerate(CAMPAIGN_FIGURES, start=2):
                formula = figure_formula(v, RowFormulas(crit, cells, has_rows=True))
                ws.write_formula(
                    r, j, "=" + formula, self.fmt.get(number_format(v)), cached(value_if_volumes_tracked(v, c[v], c))
                )
                cells[v] = xl_rowcol_to_cell(r, j)

    # --- Channel Strategy ----------------------------------------------------------------------------------

    def channel_strategy(self) -> None:
        """Write Channel Strategy: each channel's role, stage, budget share, expected CAC (Channels sheet), CAC
        target (Targets sheet) and actual CAC, audience."""
        a = self.a
        ws = self.titled_sheet(
            STRATEGY_SHEET,
            "Budget % is the channel's share of the budget for the period (Budget Pacing). Expected CAC is the "
            "planning figure of the Channels sheet; CAC target is the channel's CAC row on the Targets sheet.",
        )
        ws.write_row(TOP, 0, list(STRATEGY_HEADERS), self.fmt["header"])
        has_lines = len(a.pacing_lines) > 0
        at = STRATEGY_HEADERS.index
        for i, (channel, c) in enumerate(a.channels.iterrows()):
            r = TOP + 1 + i
            A = xl_rowcol_to_cell(r, 0)
            ws.write_string(r, 0, str(channel))
            for h in ("Role", "Funnel stage", "Target audience", "Owner"):
                if isinstance(c[h], str):
                    ws.write_string(r, at(h), c[h])
            if has_lines:
                budget = self.pacing.column_range("Budget for period")
                chans = self.pacing.column_range("Channel")
                ws.write_formula(
                    r,
                    at("Budget %"),
                    "=" + budget_share(budget, chans, A),
                    self.fmt["percent"],
                    cached(c["Budget %"]),
                )
            else:
                ws.write_string(r, at("Budget %"), UNDEFINED)
            if pd.isna(c["Expected CAC"]):
                ws.write_string(r, at("Expected CAC"), UNDEFINED)
            else:
                ws.write_number(r, at("Expected CAC"), float(c["Expected CAC"]), self.fmt["money"])
            ws.write_formula(
                r,
                at("CAC target"),
                "=" + cac_target(A),
                self.fmt["money"],
                cached(c["CAC target"]),
            )
            ws.write_formula(
                r,
                at("Actual CAC"),
                "=" + channel_cell(channel, "CAC", a),
                self.fmt["money"],
                cached(a.tracking.value_if_tracked("CAC", c["CAC"], channel)),
            )
        ws.set_column(0, 0, 24)
        ws.set_column(1, 2, 18)
        ws.set_column(3, 6, 13)
        ws.set_column(7, 7, 40)
        ws.set_column(8, 8, 20)
        ws.freeze_panes(TOP + 1, 1)
