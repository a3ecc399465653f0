"""Simulated paths of the period: for each path, channel and volume, the period-end total.

A path is the days to date as recorded, plus what the provisional last days will likely still gain as late data
comes in, plus one draw of the days left. Every ratio is computed on the paths (see
:mod:`mops_xl.analysis.forecast.summary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.window import DAY, ReportingWindow
from mops_xl.analysis.forecast.forecasters import PATHS, SEED, Forecaster
from mops_xl.analysis.forecast.history import ChannelHistory
from mops_xl.analysis.forecast.kpis import OUTCOMES
from mops_xl.analysis.forecast.patterns import active_days
from mops_xl.analysis.forecast.spend import read_spend, simulate_spend
from mops_xl.analysis.forecast.volumes import (
    IS_COUNT,
    RETURNS_EXPONENT,
    VolumeModel,
    draw_rates,
    draw_revenue,
    draw_volumes,
    read_tickets,
    read_volumes,
)

#: Period-end totals are rounded to cents (counts are whole already).
CENTS = 2
#: Planned spend: a daily frame of the days left (Date, Channel, Spend) or channel → spend a day.
PlannedSpend: TypeAlias = pd.DataFrame | Mapping[str, float]


@dataclass(frozen=True)
class PeriodPaths:
    """The simulated period ends.

    Args:
        forecaster: The method that drew them.
        channels: The channels (the arrays' channel axis).
        tracked: channels × :data:`VOLUMES`.
        paid: channels.
        actual: channels × volumes, the totals to date (NaN where not tracked).
        totals: paths × channels × volumes, the period-end totals (NaN where not tracked).
        remaining_spend: channels, the likely (mean) spend of the days left, as the paths spend it (the plan's
            under "with the plan").
        days_left: The days after Report as of, to period end.
    """

    forecaster: Forecaster
    channels: tuple[str, ...]
    tracked: np.ndarray
    paid: np.ndarray
    actual: np.ndarray
    totals: np.ndarray
    remaining_spend: np.ndarray
    days_left: int


def planned_totals(planned: PlannedSpend | None, channels: tuple[str, ...], window: ReportingWindow) -> np.ndarray:
    """Each channel's planned spend for the days left (NaN for a channel the plan leaves as it goes).

    Args:
        planned: A daily frame (Date, Channel, Spend; days after Report as of count) or channel → spend a day.
        channels: The channels.
        window: The reporting window.

    Returns:
        One total per channel.
    """
    out = np.full(len(channels), np.nan)
    if planned is None:
        return out
    days_left = (window.end - window.as_of).days
    if isinstance(planned, pd.DataFrame):
        rows = planned[(planned["Date"] > window.as_of) & (planned["Date"] <= window.end)]
        sums = rows.groupby("Channel")["Spend"].sum()
        given = set(planned["Channel"])
        return np.array([float(sums.get(ch, 0.0)) if ch in given else np.nan for ch in channels])
    return np.array([float(planned[ch]) * days_left if ch in planned else np.nan for ch in channels])


def simulate_paths(
    history: ChannelHistory,
    window: ReportingWindow,
    forecaster: Forecaster,
    planned: np.ndarray | None = None,
    paths: int = PATHS,
    seed: int = SEED,
) -> PeriodPaths:
    """Simulate the period's end.

    Args:
        history: Every channel's days to Report as of.
        window: The reporting window.
        forecaster: The method.
        planned: Each channel's planned spend for the days left (NaN: as it goes; see :func:`planned_totals`);
            None for "if the current pattern continues".
        paths: How many paths.
        seed: The random seed.

    Returns:
        The :class:`PeriodPaths`.
    """
    rng = np.random.default_rng(seed)
    past = history.since(window.start) if forecaster.period_only else history
    weekdays, spent = past.weekdays, past.column("Spend")
    active = active_days(past.values) if forecaster.schedules else np.ones(past.values.shape[:2], dtype=bool)
    draws = rng.standard_exponential((paths, len(past.dates)))
    future = pd.date_range(window.as_of + DAY, window.end, freq="D")
    future_weekdays = np.asarray(future.day_of_week, dtype=np.intp)
    f = forecaster
    plan = read_spend(spent, weekdays, active, f.weekday, f.schedules, f.adaptive)
    spend = simulate_spend(spent, weekdays, draws, plan, future_weekdays, rng)
    values, late = _made_up(past, window, active, f) if f.settling else (past.values, 0.0)
    model = read_volumes(values, weekdays, active, f.weekday, f.adaptive)
    rates = draw_rates(model, paths, len(future), rng)
    exposure = np.where(model.with_spend[None], spend[:, :, None], model.day_exposure(future_weekdays)[None])
    if planned is not None:
        spend, exposure = _with_plan(spend, exposure, planned, past, model, history.paid, len(future))
    remaining_spend = spend.mean(axis=0)
    ahead = draw_volumes(rates * exposure, model.dispersion, rng)
    tickets = read_tickets(values, active)
    won, sold = OUTCOMES.index("Customers"), OUTCOMES.index("Revenue")
    compound = draw_revenue(ahead[:, :, won], tickets, rng)
    ahead[:, :, sold] = np.where(tickets.with_customers, compound, ahead[:, :, sold])
    ahead += late
    actual = _to_date(history, window)
    totals = np.round(actual[None] + np.concatenate([spend[:, :, None], ahead], axis=2), CENTS)
    untracked = ~history.tracked
    totals[:, untracked] = np.nan
    actual[untracked] = np.nan
    return PeriodPaths(
        forecaster, history.channels, history.tracked, history.paid, actual, totals, remaining_spend, len(future)
    )


def _provisional(dates: pd.DatetimeIndex, window: ReportingWindow) -> np.ndarray:
    """Which past days are provisional (they may still be revised)."""
    first = window.provisional_from
    return np.asarray(dates >= first) if first is not None else np.zeros(len(dates), dtype=bool)


def _to_date(history: ChannelHistory, window: ReportingWindow) -> np.ndarray:
    """channels × volumes: the totals from period start to Report as of."""
    in_period = (history.dates >= window.start) & (history.dates <= window.as_of)
    return history.values[np.asarray(in_period)].sum(axis=0)


def _made_up(
    past: ChannelHistory, window: ReportingWindow, active: np.ndarray, forecaster: Forecaster
) -> tuple[np.ndarray, np.ndarray]:
    """The past days with the late data their provisional days will likely gain, and what the period gains by it
    (channels × outcomes).

    Over all channels together (so that one channel's quiet days are not taken for late data), each volume's
    shortfall on the provisional days against what the settled days' rates expect of them counts beyond one
    standard deviation of their noise (so that complete data, a little below its expectation by chance, gains
    next to nothing). It is shared by the channels and days in proportion to how far each fell short of what was
    expected of it; the days so made up are learnt from like the others."""
    days = _provisional(past.dates, window)
    if not days.any():
        return past.values, np.zeros((len(past.channels), len(OUTCOMES)))
    settled = read_volumes(past.values, past.weekdays, active & ~days[:, None], forecaster.weekday, forecaster.adaptive)
    tracked = past.tracked[:, 1:]
    recorded = past.values[days][:, :, 1:] * tracked
    spent = past.values[days][:, :, 0]
    exposure = np.where(settled.with_spend[None], spent[:, :, None], settled.factors[past.weekdays[days]])
    rate = np.divide(settled.events, settled.exposure, out=np.zeros_like(settled.events), where=settled.exposure > 0)
    expected = rate * exposure * tracked
    pooled = expected.sum(axis=(0, 1))
    noise = np.sqrt((settled.dispersion * expected).sum(axis=(0, 1)))
    shortfall = np.maximum(pooled - recorded.sum(axis=(0, 1)) - noise, 0.0)
    gap = np.maximum(expected - recorded, 0.0)
    gaps = gap.sum(axis=(0, 1))
    rise = shortfall * np.divide(gap, gaps, out=np.zeros_like(gap), where=gaps > 0)
    values = past.values.copy()
    values[days, :, 1:] += rise
    in_period = rise[past.dates[days] >= window.start].sum(axis=0)
    return values, np.where(IS_COUNT, np.floor(in_period + 0.5), in_period)


def _with_plan(
    spend: np.ndarray,
    exposure: np.ndarray,
    planned: np.ndarray,
    past: ChannelHistory,
    model: VolumeModel,
    paid: np.ndarray,
    days_left: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The days left under the plan: the planned spend, and each paid channel's volume exposure moved along the
    returns curve (volume ∝ spend ^ :data:`RETURNS_EXPONENT` around the pace the channel is on)."""
    in_plan = ~np.isnan(planned)
    if not in_plan.any():
        return spend, exposure
    pace = spend.mean(axis=0)
    past_daily = past.column("Spend").mean(axis=0) if len(past.dates) else np.zeros(len(planned))
    reference = np.where(pace > 0, pace, past_daily * days_left)
    target = np.where(in_plan, np.maximum(np.nan_to_num(planned), 0.0), pace)
    ratio = np.divide(target, reference, out=np.ones_like(target), where=reference > 0)
    moved = ratio**RETURNS_EXPONENT
    scaled = in_plan & paid & (reference > 0)
    with_spend = np.where(scaled[:, None] & model.with_spend, (reference * moved)[:, None], exposure)
    by_days = np.where(scaled[:, None] & ~model.with_spend, exposure * moved[:, None], exposure)
    new_exposure = np.where(model.with_spend, with_spend, by_days)
    new_spend = np.where(in_plan, target, spend)
    return new_spend, new_exposure
