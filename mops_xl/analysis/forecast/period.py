"""Where the period lands: the forecast of every KPI at period end, the public entry of the forecast room.

The simulation is the method; a KPI whose likely figure did not beat the straight line in the back-test
(:data:`mops_xl.analysis.forecast.measured.FALLBACK_KPIS`) takes the straight line's figures instead, and its
row's Method says so. "With the plan" is the same forecast with the planned spend of the days left.

A ratio is infinite on a path whose denominator is 0 (CAC with no customer), so its High (or even Likely) figure
may be ``inf``: an output shows it as undefined. A ratio undefined on every path (0 ÷ 0) is NaN.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.forecast import measured
from mops_xl.analysis.forecast.data_ends import per_day_to_data_ends, simulate_to_data_ends
from mops_xl.analysis.forecast.forecasters import PATHS, SEED, SIMULATION, STRAIGHT_LINE, Forecaster
from mops_xl.analysis.forecast.history import ChannelHistory, channel_history
from mops_xl.analysis.forecast.paths import PeriodPaths, PlannedSpend
from mops_xl.analysis.forecast.summary import Targets, forecast_tables


@dataclass(frozen=True)
class PeriodForecast:
    """The forecast of one period.

    Args:
        as_of: Report as of.
        period_end: The period's last day.
        method: The method in one sentence, with its measured coverage (for Data Notes).
        kpis: All channels, one row per KPI (:data:`mops_xl.analysis.forecast.summary.FORECAST_COLUMNS`).
        channels: The same per channel ("Channel" first).
        paths: The main method's simulated paths (for the budget needed with odds).
        history: The days it was read from.
        window: The reporting window.
    """

    as_of: pd.Timestamp
    period_end: pd.Timestamp
    method: str
    kpis: pd.DataFrame
    channels: pd.DataFrame
    paths: PeriodPaths
    history: ChannelHistory
    window: ReportingWindow


def forecast_period(
    daily: pd.DataFrame,
    window: ReportingWindow,
    targets: Targets | None = None,
    *,
    planned_spend: PlannedSpend | None = None,
    channels: Sequence[str] | None = None,
    paid: Collection[str] | None = None,
    forecaster: Forecaster | None = None,
    paths: int = PATHS,
    seed: int = SEED,
    data_through: Mapping[str, pd.Timestamp] | None = None,
    history: ChannelHistory | None = None,
) -> PeriodForecast:
    """Forecast every KPI at period end, for all channels and per channel.

    Args:
        daily: One row per date and channel (Date, Channel, Spend, Leads, MQLs, SQLs, Customers, Revenue; NaN
            where the channel does not track a volume), days before the period included; see
            :func:`mops_xl.analysis.forecast.history.daily_by_channel`. Rows after Report as of are left out.
        window: The reporting window (start, end, as of, settling days).
        targets: The period's targets: KPI name → target (all channels), or (KPI, channel or None) → target.
        planned_spend: The plan for the days left ("with the plan"): a daily frame (Date, Channel, Spend) or
            channel → spend a day; a channel it leaves out goes on as it goes. None: "if the current pattern
            continues".
        channels: The channels (default: those in ``daily``).
        paid: The paid channels (default: those that spent anything).
        forecaster: One method for every KPI; None (default): the simulation, with the straight line for the
            KPIs of :data:`~mops_xl.analysis.forecast.measured.FALLBACK_KPIS`.
        paths: How many paths to simulate.
        seed: The random seed (the same input and seed give the same figures).
        data_through: Channel → its last data date, for the lagging channels (their rows stop early): their days to
            date end there and the days after it are simulated as days left (see
            :mod:`mops_xl.analysis.forecast.data_ends`).
        history: The days read from ``daily`` for these channels and paid set, when another forecast of the same
            window already read them (its :attr:`PeriodForecast.history`); None: read them here.

    Returns:
        The :class:`PeriodForecast`.
    """
    if history is None:
        history = channel_history(daily, window.start, window.as_of, channels, paid)
    main = simulate_to_data_ends(history, window, forecaster or SIMULATION, planned_spend, paths, seed, data_through)
    kpis, by_channel = forecast_tables(main, targets, window.elapsed_days)
    fallback = measured.FALLBACK_KPIS if forecaster is None else frozenset()
    if fallback:
        line = simulate_to_data_ends(history, window, STRAIGHT_LINE, planned_spend, paths, seed, data_through)
        line_kpis, line_channels = forecast_tables(line, targets, window.elapsed_days)
        kpis = _take(kpis, line_kpis, fallback)
        by_channel = _take(by_channel, line_channels, fallback)
    by_channel = per_day_to_data_ends(by_channel, window, data_through)
    return PeriodForecast(
        window.as_of, window.end, measured.method_statement(), kpis, by_channel, main, history, window
    )


def _take(table: pd.DataFrame, other: pd.DataFrame, metrics: frozenset[str]) -> pd.DataFrame:
    """``table`` with the rows of ``metrics`` taken from ``other`` (the same rows in the same order)."""
    rows = table["Metric"].isin(metrics).to_numpy()
    out = table.copy()
    out.loc[rows] = other.loc[rows].to_numpy()
    tracked = out["Method"] != NOT_TRACKED
    out.loc[rows & tracked.to_numpy(), "Method"] = f"{STRAIGHT_LINE.name} (the simulation did not beat it)"
    return out
