"""Figures over periods: how many Actuals rows a window holds, the previous period and the change on it, and the
trend (a channel's primary metric over its last Trend window days against the days before) and its change.

Like :mod:`mops_xl.analysis.figures.targets`, each figure is a definition with two sides: ``compute`` for the
engine, ``formula`` for the report, written through a writer the report implements (the analysis never imports
the report). docs/metrics.md, "Targets, attainment and status" and "Trend".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from mops_xl.analysis.blocks.figure_blocks import divide
from mops_xl.analysis.blocks.window import DAY, ReportingWindow
from mops_xl.analysis.figures.performance import ratios
from mops_xl.analysis.figures.targets import RowFormulaWriter, SheetColumnWriter, by_primary, is_volume, primary_metrics
from mops_xl.analysis.figures.volumes import in_window

#: A window as two formulas: its first day and its last.
Days = tuple[str, str]


class ActualsRowsWriter(SheetColumnWriter, Protocol):
    """Where a row's Actuals rows are, for :class:`RowsIn`."""

    def rows(self) -> str:
        """SUMIFS/COUNTIFS criteria selecting the row's subject's Actuals rows (empty: every channel's)."""
        ...


class TrendFormulaWriter(RowFormulaWriter, ActualsRowsWriter, Protocol):
    """A channel's row, for the trend: its cells, and its figures over a window."""

    def figure_in(self, metric: str, first: str, last: str) -> str:
        """A catalogue figure of the row's subject over a window (its Not tracked tests left to the caller)."""
        ...

    def sum_in(self, column: str, first: str, last: str) -> str:
        """Σ of an Actuals column over the row's subject's rows in a window."""
        ...

    def cycle(self) -> int | None:
        """The channel's spend cycle in days when it spends on some days only (its trend compares whole cycles),
        else None."""
        ...

    def data_through(self) -> str:
        """The channel's last data date as an expression over the Actuals when it lags (its trend windows end
        there), else ""."""
        ...


@dataclass(frozen=True)
class RowsIn:
    """How many Actuals rows a window holds: a status says No data without any, a trend change needs some on both
    sides."""

    def compute(self, actuals: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> int:
        """The number of Actuals rows with first ≤ Date ≤ last.

        Args:
            actuals: The Actuals rows (of a subject, or all).
            first: The window's first day.
            last: Its last day.

        Returns:
            The count.
        """
        return len(in_window(actuals, first, last))

    def formula(self, w: ActualsRowsWriter, first: str, last: str) -> str:
        """The count of the row's subject's Actuals rows from ``first`` to ``last`` (formulas of days)."""
        date, subject = w.column("Actuals", "Date"), w.rows()
        return f'COUNTIFS({subject + "," if subject else ""}{date},">="&{first},{date},"<="&{last})'


@dataclass(frozen=True)
class PreviousPeriod:
    """The previous period: the d days just before Period start. Its figures are undefined when the Actuals do not
    reach back to its first day (a change against a partial period would mislead)."""

    def compute(self, actuals: pd.DataFrame, window: ReportingWindow) -> bool:
        """Whether the Actuals reach back to the previous period's first day.

        Args:
            actuals: Every Actuals row.
            window: The reporting window.

        Returns:
            False when there is no row, or the first is later than S − d.
        """
        return not actuals.empty and actuals["Date"].min() <= window.previous[0]

    def days(self, w: RowFormulaWriter) -> Days:
        """The previous period's first and last day as formulas (S − d, S − 1)."""
        start = w.value("Period start")
        return f"{start}-{w.days('elapsed')}", f"{start}-1"

    def formula(self, w: RowFormulaWriter, figure: str) -> str:
        """A figure of the previous period (its formula over :meth:`days`), undefined when the Actuals do not
        reach back."""
        reaches_back = f"MIN({w.column('Actuals', 'Date')})<={self.days(w)[0]}"
        return f"IF({reaches_back},{figure},{w.undefined})"


@dataclass(frozen=True)
class Change:
    """The change on the previous period: (actual − previous) ÷ previous; undefined when either is, or the
    previous is 0."""

    def compute(self, actual: float, previous: float) -> float:
        """The relative change, NaN where undefined.

        Args:
            actual: The figure to date.
            previous: The same figure over the previous period.

        Returns:
            E.g. 0.25 for a rise of a quarter.
        """
        return float(divide(actual - previous, previous)) if not math.isnan(previous) else math.nan

    def formula(self, w: RowFormulaWriter) -> str:
        """The change of the row's Actual on its Previous period."""
        act, prev, u = w.cell("Actual"), w.cell("Previous period"), w.undefined
        return f"IF(AND(ISNUMBER({act}),ISNUMBER({prev})),IF({prev}<>0,({act}-{prev})/{prev},{u}),{u})"


@dataclass(frozen=True)
class TrendWindows:
    """The trend's two windows of W days (the Trend window setting; for a channel that spends on some days only, W
    rounded up to whole cycles of its spending, see :func:`~mops_xl.analysis.blocks.cycles.judging_days`): the
    recent one ends on Report as of A, [A − W + 1, A]; the prior one is the W days before it, [A − 2W + 1, A − W].
    For a lagging channel A is its last data date (see :mod:`~mops_xl.analysis.blocks.data_dates`)."""

    def compute(
        self, as_of: pd.Timestamp, window_days: int
    ) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
        """The recent and the prior window.

        Args:
            as_of: A, Report as of.
            window_days: W (a lumpy channel's whole cycles already counted in).

        Returns:
            ``((recent first, recent last), (prior first, prior last))``.
        """
        recent_first = as_of - (window_days - 1) * DAY
        prior_last = recent_first - DAY
        return (recent_first, as_of), (prior_last - (window_days - 1) * DAY, prior_last)

    def days(self, w: TrendFormulaWriter) -> str:
        """W as a formula: the Trend window's name, or for a lumpy channel of cycle c, c × MAX(1, ROUNDUP(W ÷ c))."""
        days, cycle = w.value("Trend window"), w.cycle()
        return f"({cycle}*MAX(1,ROUNDUP({days}/{cycle},0)))" if cycle else days

    def formula(self, w: TrendFormulaWriter) -> tuple[Days, Days]:
        """The recent and the prior window as formulas of their days (a lagging channel's ending on its last data
        date)."""
        a, days = w.data_through() or w.value("Report as of"), self.days(w)
        return (f"{a}-{days}+1", a), (f"{a}-2*{days}+1", f"{a}-{days}")


@dataclass(frozen=True)
class TrendMetric:
    """What a channel's trend follows: its primary metric when that is a ratio (ROAS, CAC), else leads per day
    (a channel judged on leads, or without a target)."""

    def compute(self, sums: pd.DataFrame, metric: str | None, days: int) -> pd.Series:
        """The trend metric from summed volumes: a ratio of sums, or leads per day.

        Args:
            sums: Summed volumes indexed by channel.
            metric: A ratio's name (e.g. "ROAS", "CAC"), or None / a volume for leads per day.
            days: The window's length (for leads per day).

        Returns:
            Channel → value (NaN where undefined).
        """
        by_name = {r.name: r for r in ratios()}
        if metric in by_name:
            r = by_name[metric]
            return divide(sums[r.numerator], sums[r.denominator])
        return sums["Leads"] / days

    def _ratios(self) -> list[str]:
        return [m for m in primary_metrics() if not is_volume(m)]

    def formula(self, w: TrendFormulaWriter, days: Days) -> str:
        """The trend metric over one window, by the row's primary metric."""
        first, last = days
        per_day = f"{w.sum_in('Leads', first, last)}/{TREND_WINDOWS.days(w)}"
        return by_primary(w.cell("Metric"), {m: w.figure_in(m, first, last) for m in self._ratios()}, per_day)

    def tracked_by(self, w: TrendFormulaWriter) -> str:
        """The row's cell whose figure the trend metric needs: it is Not tracked when that cell says so."""
        return by_primary(w.cell("Metric"), {m: w.cell(m) for m in self._ratios()}, w.cell("Leads"))


@dataclass(frozen=True)
class TrendChange:
    """The trend change: (recent − prior) ÷ prior of the trend metric; undefined when either window has no
    Actuals rows of the channel, either value is undefined, or the prior is 0."""

    def compute(self, recent: float, prior: float, recent_rows: int, prior_rows: int) -> float:
        """The relative change, NaN where undefined.

        Args:
            recent: The trend metric over the recent window.
            prior: Over the prior window.
            recent_rows: The channel's Actuals rows in the recent window.
            prior_rows: In the prior window.

        Returns:
            E.g. -0.1 for a fall of a tenth.
        """
        if not (recent_rows and prior_rows and prior) or math.isnan(recent) or math.isnan(prior):
            return math.nan
        return (recent - prior) / prior

    def formula(self, w: TrendFormulaWriter) -> str:
        """The change of the row's Trend recent on its Trend prior."""
        recent, prior = TREND_WINDOWS.formula(w)
        rc, pc, u = w.cell("Trend recent"), w.cell("Trend prior"), w.undefined
        has_rows = f"{ROWS_IN.formula(w, *recent)}>0,{ROWS_IN.formula(w, *prior)}>0"
        return f"IF(AND({has_rows},ISNUMBER({rc}),ISNUMBER({pc})),IF({pc}<>0,({rc}-{pc})/{pc},{u}),{u})"


ROWS_IN, PREVIOUS_PERIOD, CHANGE = RowsIn(), PreviousPeriod(), Change()
TREND_WINDOWS, TREND_METRIC, TREND_CHANGE = TrendWindows(), TrendMetric(), TrendChange()
