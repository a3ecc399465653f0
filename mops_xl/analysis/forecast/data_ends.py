"""The forecast of channels whose data ends on different days: a lagging channel (its rows stop more than the Data
settling days before Report as of; see :mod:`mops_xl.analysis.blocks.data_dates`) has days to date that end on its
last data date, and the days after it are unknown, not days on which nothing happened. Its days after that date are
simulated as days left, from its own history to that date.

The channels are simulated in groups of the same last day (those whose data reaches Report as of first, with the
forecast's seed; each lagging group with the next seed) and their paths put side by side on the channel axis. Without
a lagging channel the forecast is the one simulation of every channel, as it always was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.window import DAY, ReportingWindow
from mops_xl.analysis.forecast.forecasters import Forecaster
from mops_xl.analysis.forecast.history import ChannelHistory
from mops_xl.analysis.forecast.paths import PeriodPaths, PlannedSpend, planned_totals, simulate_paths


def data_end_groups(
    channels: tuple[str, ...], window: ReportingWindow, data_through: Mapping[str, pd.Timestamp] | None
) -> list[tuple[pd.Timestamp, list[int]]]:
    """The channels grouped by the last day of their days to date: Report as of first, then each earlier last
    data date, oldest first (never before the day before Period start: a channel's days in the period are its days
    to date or days left).

    Args:
        channels: The channels, in the history's order.
        window: The reporting window.
        data_through: Channel → its last data date, for the lagging channels (others end on Report as of).

    Returns:
        ``(last day, channel indices)`` per group; one group without a lagging channel.
    """
    ends = [_end(window, (data_through or {}).get(ch)) for ch in channels]
    days = sorted(set(ends), key=lambda day: (day != window.as_of, day))
    return [(day, [i for i, end in enumerate(ends) if end == day]) for day in days] or [(window.as_of, [])]


def _end(window: ReportingWindow, through: pd.Timestamp | None) -> pd.Timestamp:
    if through is None or pd.isna(through) or through >= window.as_of:
        return window.as_of
    return max(pd.Timestamp(through), window.start - DAY)


def simulate_to_data_ends(
    history: ChannelHistory,
    window: ReportingWindow,
    forecaster: Forecaster,
    planned_spend: PlannedSpend | None,
    paths: int,
    seed: int,
    data_through: Mapping[str, pd.Timestamp] | None = None,
) -> PeriodPaths:
    """Simulate the period's end, each channel from the last day of its data (see the module).

    Args:
        history: Every channel's days to Report as of.
        window: The reporting window.
        forecaster: The method.
        planned_spend: The plan for the days left (see :func:`~mops_xl.analysis.forecast.paths.planned_totals`; a
            plan of a spend a day counts for a lagging channel's unknown days too), or None.
        paths: How many paths.
        seed: The random seed.
        data_through: Channel → its last data date, for the lagging channels.

    Returns:
        The :class:`~mops_xl.analysis.forecast.paths.PeriodPaths` of every channel, in the history's order.
    """
    groups = data_end_groups(history.channels, window, data_through)
    if len(groups) == 1:
        planned = planned_totals(planned_spend, history.channels, window) if planned_spend is not None else None
        return simulate_paths(history, window, forecaster, planned, paths, seed)
    parts = []
    for k, (last, which) in enumerate(groups):
        part_window = dataclasses.replace(window, as_of=last)
        part = history.of_channels(which, last)
        planned = planned_totals(planned_spend, part.channels, part_window) if planned_spend is not None else None
        parts.append((which, simulate_paths(part, part_window, forecaster, planned, paths, seed + k)))
    return _side_by_side(parts, history, window)


def _side_by_side(
    parts: list[tuple[list[int], PeriodPaths]], history: ChannelHistory, window: ReportingWindow
) -> PeriodPaths:
    """The groups' paths on one channel axis, in the history's order (the days left: Report as of's)."""
    first = parts[0][1]
    channels, volumes = len(history.channels), first.actual.shape[1]
    actual = np.zeros((channels, volumes))
    totals = np.zeros((first.totals.shape[0], channels, volumes))
    remaining = np.zeros(channels)
    for which, part in parts:
        actual[which], totals[:, which], remaining[which] = part.actual, part.totals, part.remaining_spend
    return PeriodPaths(
        first.forecaster,
        history.channels,
        history.tracked,
        history.paid,
        actual,
        totals,
        remaining,
        max((window.end - window.as_of).days, 0),
    )


def per_day_to_data_ends(
    by_channel: pd.DataFrame, window: ReportingWindow, data_through: Mapping[str, pd.Timestamp] | None
) -> pd.DataFrame:
    """The per-channel forecast table with a lagging channel's Per day so far over its days to its last data date
    and its Per day needed over the days after it (its missing days are neither days without anything nor days
    gone).

    Args:
        by_channel: The forecast per channel ("Channel", Metric, Actual to date, Target, Per day so far, Per day
            needed …).
        window: The reporting window.
        data_through: Channel → its last data date, for the lagging channels.

    Returns:
        The table (a copy when a channel lags).
    """
    lagging = {ch: _end(window, day) for ch, day in (data_through or {}).items()}
    lagging = {ch: day for ch, day in lagging.items() if day != window.as_of}
    if not lagging:
        return by_channel
    out = by_channel.copy()
    for channel, last in lagging.items():
        rows = (out["Channel"] == channel) & out["Per day so far"].notna()
        to_date, left = (last - window.start).days + 1, (window.end - last).days
        out.loc[rows, "Per day so far"] = out.loc[rows, "Actual to date"] / to_date if to_date > 0 else np.nan
        needed = (out.loc[rows, "Target"] - out.loc[rows, "Actual to date"]) / left if left > 0 else np.nan
        out.loc[rows, "Per day needed"] = needed
    return out
