"""Where the KPI Framework's and the channel sheets' figures are: the writers their definitions write through.

The definitions (:mod:`mops_xl.analysis.figures.targets`, :mod:`mops_xl.analysis.figures.periods`) know what a
target, an attainment, a status or a change is, and compute it for the engine; a writer here knows where a row's
cells are, which Actuals rows it counts and what the workbook's defined names are. :func:`kpi_row`,
:func:`channel_judgement` and :func:`channel_trend` give each column's formula (no leading "="), so the sheet
writers only place cells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.engine import KPI_COLUMNS
from mops_xl.analysis.figures.budget.budget_line_figures import pacing_status_formula
from mops_xl.analysis.figures.periods import (
    CHANGE,
    PREVIOUS_PERIOD,
    ROWS_IN,
    TREND_CHANGE,
    TREND_METRIC,
    TREND_WINDOWS,
)
from mops_xl.analysis.figures.targets import (
    ATTAINMENT,
    BLENDED_TARGET,
    CHANNEL_TARGET,
    PRIMARY_TARGET,
    SPEND_STATUS,
    STATUS,
    TARGET_TO_DATE,
    lower_is_better,
)
from mops_xl.intake.model import TRACKABLE
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    actuals_sum,
    by_channel,
    col,
    exact_sum,
    if_tracked,
    last_data_date,
    ratio,
    trend_arrow,
    trend_verdict,
)
from mops_xl.outputs.workbook.formulas.figure_formulas import (
    BlendedFormulas,
    RowFormulas,
    WorkbookNames,
    figure_formula,
)

#: The defined name of the KPI Framework's count of Actuals rows in the window.
WINDOW_ROWS = "WindowRows"
#: A channel's row: the Channel Performance column holding each figure a definition names.
_CHANNEL_CELLS = {
    "Metric": "Primary metric",
    "Target": "Primary target",
    "Target to date": "Primary target to date",
    "Actual": "Primary actual",
}


class EveryChannel(WorkbookNames):
    """Every channel's Actuals rows: the KPI Framework's."""

    def rows(self) -> str:
        """No criteria: every channel's rows."""
        return ""

    def key(self, sheet: str) -> str:
        """A data sheet's Channel key column."""
        return col(sheet, CHANNEL_KEY)

    def window_rows(self) -> str:
        """The KPI Framework's count of Actuals rows in the window."""
        return WINDOW_ROWS

    def pacing_bands(self, pace: str) -> str:
        """Budget Pacing's bands of a pace."""
        return pacing_status_formula(pace, "OverspendingThreshold")


class KpiRowFormulas(EveryChannel):
    """A KPI Framework row: one metric over every channel, judged as the metric whose target it reads.

    Args:
        metric: The row's metric.
        rows: Each KPI's 0-based row on the sheet.
    """

    def __init__(self, metric: str, rows: Mapping[str, int]):
        self.row_metric, self.kpi_rows = metric, rows
        self.metric: str | None = catalogue.current().get(metric).measures

    def cell(self, figure: str) -> str:
        """The row's cell of a KPI Framework column."""
        return self.of(self.row_metric, figure)

    def of(self, metric: str, column: str = "Actual") -> str:
        """Another KPI's cell of a column (for the blended figures that reuse a volume's sum)."""
        return xl_rowcol_to_cell(self.kpi_rows[metric], KPI_COLUMNS.index(column))

    def channel(self) -> str:
        """A KPI's row is every channel's: it has no channel."""
        raise ValueError("a KPI Framework row has no channel")


@dataclass(frozen=True)
class BudgetCells:
    """Budget Pacing's total cells the Spend row is judged by (docs/metrics.md, "Budget pacing").

    Args:
        budget: The budget for the period, or None without a budget line.
        expected: Every budget line's expected spend to date.
        status: The total pace's status.
    """

    budget: str | None
    expected: str
    status: str


def window_rows() -> str:
    """The count of Actuals rows in the window (Period start to Report as of)."""
    w = EveryChannel()
    return ROWS_IN.formula(w, w.value("Period start"), w.value("Report as of"))


def kpi_row(w: KpiRowFormulas, budget: BudgetCells) -> dict[str, str | None]:
    """The formulas of a KPI Framework row, by the catalogue's status rule of its metric.

    Args:
        w: The row.
        budget: Budget Pacing's totals (the Spend row's target, target to date and status).

    Returns:
        Column → formula (no leading "="), None where the figure does not apply (no target).
    """
    entry = catalogue.current().get(w.row_metric)
    status: str | None
    if entry.status_rule == "budget pace":  # against the budget: the total pace (Budget Pacing)
        target, to_date, status = budget.budget, budget.expected if budget.budget else None, budget.status
    else:
        target = BLENDED_TARGET.formula(w, entry.measures) if entry.takes_target else None
        to_date = TARGET_TO_DATE.formula(w) if target else None
        rule = SPEND_STATUS if entry.status_rule == "pacing bands" else STATUS
        status = rule.formula(w) if target else None
    return {
        "Target": target,
        "Target to date": to_date,
        **_actual_and_previous(w),
        "Attainment": ATTAINMENT.formula(w) if target else None,
        "Status": status,
        "Change": CHANGE.formula(w),
    }


def _actual_and_previous(w: KpiRowFormulas) -> dict[str, str | None]:
    """The catalogue's formula of the row's figure, to date and over the previous period."""
    m = w.row_metric
    sums = [v for v in catalogue.current().volumes if v in w.kpi_rows and v != m]  # the volumes on other rows
    now = BlendedFormulas(w.value("Period start"), w.value("Report as of"), w.of, sums)
    first, last = PREVIOUS_PERIOD.days(w)
    before = BlendedFormulas(first, last, lambda f: w.of(f, "Previous period"), sums)
    return {"Actual": figure_formula(m, now), "Previous period": PREVIOUS_PERIOD.formula(w, figure_formula(m, before))}


class ChannelRowFormulas(EveryChannel):
    """A Channel Performance row: one channel, judged by the primary metric its Primary metric cell holds.

    Args:
        key: The channel's number (its Actuals and Targets rows are selected by it).
        cells: Channel Performance column → the row's cell.
        cycle: The channel's spend cycle in days when it spends on some days only (its trend compares whole
            cycles), else None.
        lagging: The engine found the channel lagging (its rows stop early): its trend windows end on its last data
            date, a formula over the Actuals.
    """

    metric: str | None = None

    def __init__(self, key: int, cells: Mapping[str, str], cycle: int | None = None, lagging: bool = False):
        self._key, self._cells, self._cycle, self._lagging = key, cells, cycle, lagging

    def cycle(self) -> int | None:
        """The channel's spend cycle in days, or None."""
        return self._cycle

    def data_through(self) -> str:
        """A lagging channel's last data date (the latest Actuals Date of its rows up to Report as of), else ""."""
        return last_data_date(self._key) if self._lagging else ""

    def cell(self, figure: str) -> str:
        """The row's cell of a figure (Metric, Target … are the Primary columns)."""
        return self._cells[_CHANNEL_CELLS.get(figure, figure)]

    def channel(self) -> str:
        """The channel's number."""
        return str(self._key)

    def rows(self) -> str:
        """The channel's Actuals rows."""
        return by_channel(self._key)

    def figure_in(self, metric: str, first: str, last: str) -> str:
        """A catalogue figure of the channel over a window (the caller tests Not tracked)."""
        return figure_formula(metric, RowFormulas((self.rows(),), {}, first=first, last=last, tracked=False))

    def sum_in(self, column: str, first: str, last: str) -> str:
        """Σ of an Actuals column over the channel's rows in a window."""
        return actuals_sum(column, self.rows(), first=first, last=last)


def channel_judgement(w: ChannelRowFormulas) -> dict[str, str]:
    """How a channel is judged: its primary metric, source, target (for the period and to date), actual,
    attainment and status (Not tracked when its primary actual is).

    Args:
        w: The channel's row.

    Returns:
        Channel Performance column → formula (no leading "=").
    """
    actual = w.cell("Actual")
    return {
        "Primary metric": PRIMARY_TARGET.metric_formula(w),
        "Primary source": PRIMARY_TARGET.source_formula(w),
        "Primary target": PRIMARY_TARGET.formula(w),
        "Primary target to date": TARGET_TO_DATE.formula(w),
        "Primary actual": PRIMARY_TARGET.actual_formula(w),
        "Attainment": if_tracked(ATTAINMENT.formula(w), actual),
        "Status": if_tracked(STATUS.formula(w), actual),
    }


def channel_trend(w: ChannelRowFormulas) -> dict[str, str]:
    """A channel's trend: its trend metric over the recent and the prior window, the change, the arrow and the
    verdict (Not tracked when the figure the trend metric needs is).

    Args:
        w: The channel's row.

    Returns:
        Channel Performance column → formula (no leading "=").
    """
    recent, prior = TREND_WINDOWS.formula(w)
    needed = TREND_METRIC.tracked_by(w)
    change = w.cell("Trend %")
    return {
        "Trend recent": if_tracked(TREND_METRIC.formula(w, recent), needed),
        "Trend prior": if_tracked(TREND_METRIC.formula(w, prior), needed),
        "Trend %": if_tracked(TREND_CHANGE.formula(w), w.cell("Trend recent")),
        "Trend": if_tracked(trend_arrow(change), change),
        "Trend verdict": if_tracked(trend_verdict(change, lower_is_better(w)), change),
    }


def channels_total(span: str, volume: str) -> str:
    """The all-channel total of a volume column: the sum of the channels' cells; Not tracked when none holds a
    number (no channel tracks it).

    Args:
        span: The channels' cells of the column.
        volume: The volume.

    Returns:
        The formula (no leading "=").
    """
    total = f"SUM({span})"
    return f'IF(COUNT({span})=0,"{NOT_TRACKED}",{total})' if volume in TRACKABLE else total


def cac_target(channel_name: str) -> str:
    """A channel's CAC target (its CAC row on the Targets sheet) for Channel Strategy.

    Args:
        channel_name: The cell holding the channel's name.

    Returns:
        The formula (no leading "=").
    """
    return CHANNEL_TARGET.formula(WorkbookNames(), "CAC", channel_name)


def budget_share(budgets: str, channels: str, channel_name: str) -> str:
    """A channel's share of the budget for the period: its budget lines' sum ÷ every line's.

    Args:
        budgets: Budget Pacing's Budget for period column.
        channels: Its Channel column.
        channel_name: The cell holding the channel's name.

    Returns:
        The formula (no leading "=").
    """
    return ratio(exact_sum(budgets, channels, channel_name), f"SUM({budgets})")
