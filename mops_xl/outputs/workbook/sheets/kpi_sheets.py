"""KPI Framework, Channel Strategy and Channel Performance: the engine's figures as living formulas."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS, NO_DATA, NO_TARGET, NOT_TRACKED, ON, OVER
from mops_xl.analysis.blocks.tracking import needs, value_if_volumes_tracked
from mops_xl.analysis.engine import CHANNEL_PERFORMANCE_COLUMNS, KPI_COLUMNS, Analysis
from mops_xl.analysis.figures.targets import EXPECTED_CAC, PRIMARY_SOURCES
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    UNDEFINED,
    actuals_sum,
    by_campaign,
    by_channel,
    cached,
    col,
    exact_sum,
    if_tracked,
    pacing_status,
    ratio,
    sheet_ref,
    status,
    trend_arrow,
    trend_verdict,
)
from mops_xl.outputs.workbook.formulas.figure_formulas import (
    BlendedFormulas,
    RowFormulas,
    figure_formula,
    number_format,
)
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter

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
PREVIOUS_FIRST, PREVIOUS_LAST = "PeriodStart-ElapsedDays", "PeriodStart-1"
#: KPI Framework columns computed from the Actual: they say "Not tracked" when the Actual does.
_FROM_ACTUAL = ("Actual", "Attainment", "Status", "Projection", "Previous period", "Change")
WINDOW_ROWS = "WindowRows"
#: At most this many campaigns in Channel Performance's breakdown (the ones with the most spend).
MAX_CAMPAIGN_ROWS = 200
#: What the By campaign section says when no Actuals row of the period names a campaign.
NO_CAMPAIGN_ROWS = (
    "No campaign figures: no Actuals row of the period to date names a campaign (Actuals' Campaign column)."
)


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


def _blended_target(metric: str) -> str:
    """The blended target: the blank-Channel row, else (volumes) the channel targets' sum if all have one."""
    is_metric, blank = f'({col("Targets", "Metric")}="{metric}")', f'({col("Targets", "Channel")}="")'
    row = f"SUMPRODUCT({is_metric}*{blank}*{col('Targets', 'Target')})"
    fallback = f'"{UNDEFINED}"'
    if catalogue.current().get(metric).prorated:
        every = (
            f'SUMPRODUCT(--(COUNTIFS({col("Targets", "Metric")},"{metric}",{col("Targets", CHANNEL_KEY)},'
            f"{col('Channels', CHANNEL_KEY)})>0))=ROWS({col('Channels', 'Channel')})"
        )
        fallback = f'IF({every},SUMIFS({col("Targets", "Target")},{col("Targets", "Metric")},"{metric}"),"{UNDEFINED}")'
    return f"IF(SUMPRODUCT({is_metric}*{blank})>0,{row},{fallback})"


def _one_of(cell: str, metrics: list[str]) -> str:
    """A condition: the cell holds one of the metrics (FALSE when there is none)."""
    tests = [f'{cell}="{m}"' for m in metrics]
    return "FALSE" if not tests else tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def _primary_metrics() -> list[str]:
    """The metrics a channel may be judged by, in :data:`PRIMARY_SOURCES` order."""
    return list(dict.fromkeys(m for m, _ in PRIMARY_SOURCES))


def _by_primary(pm: str, value: dict[str, str], otherwise: str) -> str:
    """A formula choosing, by the channel's primary metric in ``pm``, the expression of that metric."""
    out = otherwise
    for m in reversed([m for m in _primary_metrics() if m in value]):
        out = f'IF({pm}="{m}",{value[m]},{out})'
    return out


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
        """Write the KPI Framework: blended metrics against targets, with projection and previous period."""
        a, w = self.a, self.a.window
        ws = self.titled_sheet(
            KPI_SHEET,
            f"All channels, {w.start:%Y-%m-%d} to {w.as_of:%Y-%m-%d} (day {w.elapsed_days} of "
            f"{w.period_days}); previous period: the same number of days before Period start. "
            "Targets and thresholds are read from the Targets and Settings sheets.",
            f"All channels, {w.start:%Y-%m-%d} to {w.as_of:%Y-%m-%d} (day {w.elapsed_days} of "
            f"{w.period_days}); previous period: the same number of days before the period starts. "
            "Targets and thresholds as the team set them for the period.",
        )
        ws.write_string(2, 0, "Actuals rows in the window", self.fmt["note"])
        ws.write_formula(2, 1, f"=COUNTIFS({actuals_window()})", None, float(a.window_rows))
        self.wb.define_name(WINDOW_ROWS, "=" + sheet_ref(KPI_SHEET, "$B$3"))
        ws.write_row(TOP, 0, list(KPI_COLUMNS), self.fmt["header"])
        metrics = list(a.kpis.index)
        rows = {m: TOP + 1 + i for i, m in enumerate(metrics)}
        for m in metrics:
            self._kpi_row(ws, rows[m], m, rows)
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 56)
        ws.set_column(2, 9, 14)
        ws.freeze_panes(TOP + 1, 1)
        self.fmt.colour_statuses(ws, TOP + 1, 6, TOP + len(metrics), 6)

    def _kpi_row(self, ws: Any, r: int, m: str, rows: dict[str, int]) -> None:
        k = self.a.kpis.loc[m]
        entry = catalogue.current().get(m)
        cell = {c: xl_rowcol_to_cell(r, KPI_COLUMNS.index(c)) for c in KPI_COLUMNS}
        E = lambda metric, column="Actual": xl_rowcol_to_cell(rows[metric], KPI_COLUMNS.index(column))  # noqa: E731
        kind = number_format(m)
        ws.write_string(r, 0, m)
        ws.write_string(r, 1, k["Definition"], self.fmt["wrap"])
        has_budget = len(self.a.pacing_lines) > 0
        # Target
        target: str | None
        if entry.status_rule == "budget pace":  # Budget Pacing's total (docs/metrics.md, "Budget pacing")
            target = f"={self.pacing.total_cell('Budget for period')}" if has_budget else None
        elif not entry.takes_target:
            target = None
        else:
            target = "=" + _blended_target(entry.measures)
        self._formula(ws, r, "Target", target, k["Target"], kind)
        to_date = entry.to_date_formula(cell["Target"], "ElapsedDays", "PeriodDays")
        ttd = f'=IF(ISNUMBER({cell["Target"]}),{to_date},"{UNDEFINED}")'
        if entry.status_rule == "budget pace":  # every budget line's expected spend to date
            ttd = f"={self.pacing.total_cell('Expected to date')}"
        self._formula(ws, r, "Target to date", ttd if target else None, k["Target to date"], kind)
        # Actual and previous period: the catalogue's formula of the figure
        sums = [v for v in catalogue.current().volumes if v in rows and v != m]  # volumes on the rows above/below
        actual = "=" + figure_formula(m, BlendedFormulas("PeriodStart", "ReportAsOf", lambda f: E(f), sums))
        previous = figure_formula(
            m, BlendedFormulas(PREVIOUS_FIRST, PREVIOUS_LAST, lambda f: E(f, "Previous period"), sums)
        )
        self._formula(ws, r, "Actual", actual, k["Actual"], kind)
        reach_back = f"MIN({col('Actuals', 'Date')})<=PeriodStart-ElapsedDays"
        self._formula(
            ws, r, "Previous period", f'=IF({reach_back},{previous},"{UNDEFINED}")', k["Previous period"], kind
        )
        # Attainment, status, projection, change
        t, act = cell["Target to date"], cell["Actual"]
        if entry.lower_is_better:
            att = f'=IF(AND(ISNUMBER({t}),ISNUMBER({act})),IF({act}>0,{t}/{act},"{UNDEFINED}"),"{UNDEFINED}")'
        else:
            att = f'=IF(AND(ISNUMBER({t}),ISNUMBER({act})),IF({t}>0,{act}/{t},"{UNDEFINED}"),"{UNDEFINED}")'
        self._formula(ws, r, "Attainment", att if target else None, k["Attainment"], "percent")
        has_target = f"ISNUMBER({cell['Target']})"
        if entry.status_rule == "budget pace":  # the total pace's status, computed once on Budget Pacing
            stat = f"={self.pacing.overall_status_cell}"
        elif entry.status_rule == "pacing bands":  # spending more than the target is not "Ahead"
            stat = (
                f'=IF(NOT({has_target}),"{NO_TARGET}",IF({WINDOW_ROWS}=0,"{NO_DATA}",IF(ISNUMBER({cell["Attainment"]}),'
                f'{pacing_status(cell["Attainment"])},IF({act}>0,"{OVER}","{ON}"))))'
            )
        else:
            stat = "=" + status(cell["Attainment"], has_target, f"AND({WINDOW_ROWS}>0,ISNUMBER({act}))")
        self._formula(
            ws, r, "Status", stat if target or entry.status_rule == "budget pace" else None, k["Status"], None
        )
        projection = f'=IF(ISNUMBER({act}),{act}*PeriodDays/ElapsedDays,"{UNDEFINED}")' if entry.prorated else None
        self._formula(ws, r, "Projection", projection, k["Projection"], kind)
        prev = cell["Previous period"]
        self._formula(
            ws,
            r,
            "Change",
            f"=IF(AND(ISNUMBER({act}),ISNUMBER({prev})),IF({prev}<>0,({act}-{prev})/{prev},"
            f'"{UNDEFINED}"),"{UNDEFINED}")',
            k["Change"],
            "percent",
        )

    def _formula(self, ws: Any, r: int, column: str, formula: str | None, value: Any, kind: str | None) -> None:
        c = KPI_COLUMNS.index(column)
        fmt = self.fmt.get(kind)
        if column in _FROM_ACTUAL:  # every figure of a metric that is not tracked says so
            m = str(self.a.kpis.index[r - TOP - 1])
            value = self.a.tracking.value_if_tracked(m, value)
            if formula is not None and column != "Actual" and needs(m):
                formula = "=" + if_tracked(formula[1:], xl_rowcol_to_cell(r, KPI_COLUMNS.index("Actual")))
        if formula is None:
            ws.write_string(r, c, UNDEFINED if value is None or pd.isna(value) else str(value))
        else:
            ws.write_formula(r, c, formula, fmt, cached(value))

    # --- Channel Performance -------------------------------------------------------------------------------

    def channel_performance(self) -> None:
        """Write Channel Performance: per-channel volumes, ratios, trend and status; totals; campaigns."""
        a = self.a
        ws = self.titled_sheet(
            PERFORMANCE_SHEET,
            f"Period to date: {a.window.start:%Y-%m-%d} to {a.window.as_of:%Y-%m-%d}. Status "
            "judges each channel by its primary metric (ROAS target, else CAC target, else "
            "Expected CAC, else Leads target); its attainment is against the target to date beside it. Trend "
            "compares the last Trend window days with the ones before (leads per day for a channel judged on "
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
        self._campaigns(ws, last + 5)  # below the totals row and its note, after an empty row
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(PERFORMANCE_HEADERS) - 1, 13)
        ws.freeze_panes(TOP + 1, 1)

    def _channel_row(self, ws: Any, r: int, channel: str, c: pd.Series) -> None:
        cell = {h: xl_rowcol_to_cell(r, PERFORMANCE_HEADERS.index(h)) for h in PERFORMANCE_HEADERS}
        key = self.keys.channels[channel]
        ws.write_string(r, 0, str(channel))
        rows = by_channel(key)

        def show(metric: str, value: Any) -> Any:
            return self.a.tracking.value_if_tracked(metric, value, channel)

        written: dict[str, str] = {}  # the figures already on the row, which the next ones reference
        for v in CHANNEL_PERFORMANCE_COLUMNS:
            if v in catalogue.current():
                self._put(ws, r, v, "=" + figure_formula(v, RowFormulas((rows,), written)), show(v, c[v]))
                written[v] = cell[v]
        self._trend(ws, r, cell, c, key)

        def targets(metric: str) -> str:  # COUNTIFS/SUMIFS criteria: this channel's target for a metric
            return f"{col('Targets', 'Metric')},{metric},{col('Targets', CHANNEL_KEY)},{key}"

        expected = f"INDEX({col('Channels', 'Expected CAC')},MATCH({key},{col('Channels', CHANNEL_KEY)},0))"

        def has(metric: str, source: str) -> str:  # the channel has this source of a primary target
            return (
                f"ISNUMBER({expected})"
                if source == EXPECTED_CAC
                else f"COUNTIFS({targets(chr(34) + metric + chr(34))})>0"
            )

        pm = cell["Primary metric"]
        chosen = f'"{UNDEFINED}"'
        for metric, source in reversed(PRIMARY_SOURCES):  # the first source the channel has
            chosen = f'IF({has(metric, source)},"{metric}",{chosen})'
        self._put(ws, r, "Primary metric", "=" + chosen, c["Primary metric"])
        sources: dict[str, str] = {}
        for metric in _primary_metrics():
            options = [source for m, source in PRIMARY_SOURCES if m == metric]
            pick = f'"{options[-1]}"'
            for source in reversed(options[:-1]):
                pick = f'IF({has(metric, source)},"{source}",{pick})'
            sources[metric] = pick
        self._put(ws, r, "Primary source", "=" + _by_primary(pm, sources, f'"{UNDEFINED}"'), c["Primary source"])
        self._put(
            ws,
            r,
            "Primary target",
            f'=IF({pm}="{UNDEFINED}","{UNDEFINED}",IF(COUNTIFS({targets(pm)})>0,SUMIFS('
            f"{col('Targets', 'Target')},{targets(pm)}),{expected}))",
            c["Primary target"],
        )
        t = cell["Primary target"]
        cat = catalogue.current()
        prorated = [m for m in _primary_metrics() if cat.get(m).prorated]
        lower = [m for m in _primary_metrics() if cat.get(m).lower_is_better]
        self._put(
            ws,
            r,
            "Primary target to date",
            f'=IF(ISNUMBER({t}),IF({_one_of(pm, prorated)},{t}*ElapsedDays/PeriodDays,{t}),"{UNDEFINED}")',
            c["Primary target to date"],
        )
        self._put(
            ws,
            r,
            "Primary actual",
            "=" + _by_primary(pm, {m: cell[m] for m in _primary_metrics()}, f'"{UNDEFINED}"'),
            show(c["Primary metric"], c["Primary actual"])
            if isinstance(c["Primary metric"], str)
            else c["Primary actual"],
        )
        so_far, act = cell["Primary target to date"], cell["Primary actual"]
        self._put(
            ws,
            r,
            "Attainment",
            "="
            + if_tracked(
                f'IF(OR(NOT(ISNUMBER({so_far})),NOT(ISNUMBER({act}))),"{UNDEFINED}",IF({_one_of(pm, lower)},IF({act}>0,'
                f'{so_far}/{act},"{UNDEFINED}"),IF({so_far}>0,{act}/{so_far},"{UNDEFINED}")))',
                act,
            ),
            show(c["Primary metric"], c["Attainment"]) if isinstance(c["Primary metric"], str) else c["Attainment"],
        )
        self._put(
            ws,
            r,
            "Status",
            "="
            + if_tracked(
                status(cell["Attainment"], f'{pm}<>"{UNDEFINED}"', f"AND({WINDOW_ROWS}>0,ISNUMBER({act}))"), act
            ),
            c["Status"],
        )

    def _trend(self, ws: Any, r: int, cell: dict[str, str], c: pd.Series, key: int) -> None:
        """The trend columns: the primary metric over the last W days against the W days before."""
        pm = cell["Primary metric"]
        recent = ("ReportAsOf-TrendWindow+1", "ReportAsOf")
        prior = ("ReportAsOf-2*TrendWindow+1", "ReportAsOf-TrendWindow")
        channel_rows = by_channel(key)

        cat = catalogue.current()
        ratios = [m for m in _primary_metrics() if not cat.get(m).prorated]  # else: leads per day

        def metric(first: str, last: str) -> str:
            rows_ = RowFormulas((channel_rows,), {}, first=first, last=last, tracked=False)
            per_day = f"{actuals_sum('Leads', channel_rows, first=first, last=last)}/TrendWindow"
            return _by_primary(pm, {m: figure_formula(m, rows_) for m in ratios}, per_day)

        def rows(first: str, last: str) -> str:
            date = col("Actuals", "Date")
            return f'COUNTIFS({channel_rows},{date},">="&{first},{date},"<="&{last})'

        # the trend metric (ROAS, CAC, else leads per day) is not tracked when its cell on this row says so
        needed = _by_primary(pm, {m: cell[m] for m in ratios}, cell["Leads"])
        shown = lambda value: self.a.tracking.value_if_tracked(c["Trend metric"], value, c.name)  # noqa: E731
        self._put(ws, r, "Trend recent", "=" + if_tracked(metric(*recent), needed), shown(c["Trend recent"]))
        self._put(ws, r, "Trend prior", "=" + if_tracked(metric(*prior), needed), shown(c["Trend prior"]))
        rc, pc, tc = cell["Trend recent"], cell["Trend prior"], cell["Trend %"]
        self._put(
            ws,
            r,
            "Trend %",
            "="
            + if_tracked(
                f"IF(AND({rows(*recent)}>0,{rows(*prior)}>0,ISNUMBER({rc}),ISNUMBER({pc})),"
                f'IF({pc}<>0,({rc}-{pc})/{pc},"{UNDEFINED}"),"{UNDEFINED}")',
                rc,
            ),
            shown(c["Trend %"]),
        )
        self._put(ws, r, "Trend", "=" + if_tracked(trend_arrow(tc), tc), c["Trend"])
        lower = [m for m in _primary_metrics() if cat.get(m).lower_is_better]
        self._put(
            ws, r, "Trend verdict", "=" + if_tracked(trend_verdict(tc, _one_of(pm, lower)), tc), c["Trend verdict"]
        )

    def _put(self, ws: Any, r: int, header: str, formula: str | None, value: Any) -> None:
        c = PERFORMANCE_HEADERS.index(header)
        kind = (
            self._row_unit(r, header)
            if header in _PLAIN_NUMBERS
            else number_format(header)
            if header in catalogue.current()
            else _KIND.get(header)
        )
        if formula is None:
            if value is None or pd.isna(value):
                ws.write_string(r, c, UNDEFINED)
            else:
                ws.write_number(r, c, float(value), self.fmt.get(kind))
        else:
            ws.write_formula(r, c, formula, self.fmt.get(kind), cached(value))

    def _row_unit(self, r: int, header: str) -> str:
        """The format of a column whose unit is the row's: its primary metric's (CAC money, ROAS a ratio, a
        volume whole), the trend's metric for the trend columns (leads per day with one decimal), as built."""
        channel = self.a.channels.iloc[r - TOP - 1]
        metric = channel["Trend metric" if header.startswith("Trend") else "Primary metric"]
        return number_format(metric) if isinstance(metric, str) and metric in catalogue.current() else "number"

    def _channel_totals(self, ws: Any, r: int) -> None:
        a, first, last = self.a, TOP + 1, TOP + len(self.a.channels)
        ws.write_string(r, 0, ALL_CHANNELS, self.fmt["total_text"])
        for v in ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue"):
            c = PERFORMANCE_HEADERS.index(v)
            kind = "total_money" if v in ("Spend", "Revenue") else "total_integer"
            span = f"{xl_rowcol_to_cell(first, c)}:{xl_rowcol_to_cell(last, c)}"
            total = f"SUM({span})" if v == "Spend" else f'IF(COUNT({span})=0,"{NOT_TRACKED}",SUM({span}))'
            ws.write_formula(
                r, c, "=" + total, self.fmt[kind], cached(a.tracking.value_if_tracked(v, a.blended.volumes[v]))
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
        campaigns = self.a.campaigns
        if len(campaigns) > MAX_CAMPAIGN_ROWS:  # a leader reads the biggest; --json has them all
            ws.write_string(
                top,
                3,
                f"The {MAX_CAMPAIGN_ROWS} campaigns with the most spend of "
                f"{len(campaigns):,}; every campaign is in the JSON output.",
                self.fmt["note"],
            )
            campaigns = campaigns.sort_values("Spend", ascending=False, kind="stable").head(MAX_CAMPAIGN_ROWS)
        ws.write_string(top, 0, "By campaign", self.fmt["title"])
        if campaigns.empty:  # a section with nothing to show says so, in one line
            ws.write_string(top + 1, 0, NO_CAMPAIGN_ROWS, self.fmt["note"])
            return
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
                    "=" + ratio(exact_sum(budget, chans, A), f"SUM({budget})"),
                    self.fmt["percent"],
                    cached(c["Budget %"]),
                )
            else:
                ws.write_string(r, at("Budget %"), UNDEFINED)
            if pd.isna(c["Expected CAC"]):
                ws.write_string(r, at("Expected CAC"), UNDEFINED)
            else:
                ws.write_number(r, at("Expected CAC"), float(c["Expected CAC"]), self.fmt["money"])
            # an exact match (SUMPRODUCT compares whole names; a criterion would read * ? < = in them)
            is_row = f'({col("Targets", "Metric")}="CAC")*({col("Targets", "Channel")}={A})'
            ws.write_formula(
                r,
                at("CAC target"),
                f'=IF(SUMPRODUCT({is_row})>0,SUMPRODUCT({is_row}*{col("Targets", "Target")}),"{UNDEFINED}")',
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


def actuals_window() -> str:
    """COUNTIFS criteria counting the Actuals rows in the window."""
    from mops_xl.outputs.workbook.formulas.excel_formulas import window

    return window()
