"""The forecast's input: every channel's days, from the first day of data to Report as of, as numpy arrays.

A channel-day without an Actuals row is a day on which nothing happened (0); a volume a channel never records is
not tracked (its figures are NaN), as in :func:`mops_xl.intake.model.tracked_by_channel`. A lagging channel (its
rows stop more than the Data settling days before Report as of) is the exception: its days after its last data date
are unknown, and the forecast reads its history to that date only (:meth:`ChannelHistory.of_channels`) and simulates
the days after it as days left (:mod:`mops_xl.analysis.forecast.data_ends`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mops_xl.analysis.forecast.kpis import VOLUMES

#: The daily frame's columns: one row per date and channel.
DAILY_COLUMNS = ("Date", "Channel", *VOLUMES)


def daily_by_channel(actuals: pd.DataFrame) -> pd.DataFrame:
    """Sum the Actuals rows (one per date, channel and campaign) into one row per date and channel.

    A volume stays NaN on a day when none of the channel's rows that day gives it (not tracked, not 0).

    Args:
        actuals: The Actuals table (Date, Channel and any of :data:`VOLUMES`).

    Returns:
        The daily frame: :data:`DAILY_COLUMNS`, sorted by date and channel.
    """
    frame = actuals.reindex(columns=list(DAILY_COLUMNS)).dropna(subset=["Date", "Channel"])
    summed = frame.groupby(["Date", "Channel"], sort=True)[list(VOLUMES)].sum(min_count=1)
    return summed.reset_index()[list(DAILY_COLUMNS)]


@dataclass(frozen=True)
class ChannelHistory:
    """Every channel's days up to Report as of.

    Args:
        dates: Every day from the first day of data (or the period start, when earlier) to Report as of.
        channels: The channels, in the order of the arrays' channel axis.
        values: days × channels × :data:`VOLUMES`; 0 where a channel recorded nothing that day.
        tracked: channels × :data:`VOLUMES`: whether the channel records the volume (Spend always).
        paid: channels: whether the channel is paid (counts in ROAS).
    """

    dates: pd.DatetimeIndex
    channels: tuple[str, ...]
    values: np.ndarray
    tracked: np.ndarray
    paid: np.ndarray

    @property
    def weekdays(self) -> np.ndarray:
        """Each day's weekday (Monday 0)."""
        return np.asarray(self.dates.day_of_week, dtype=np.intp)

    def column(self, volume: str) -> np.ndarray:
        """One volume's days × channels array.

        Args:
            volume: One of :data:`VOLUMES`.

        Returns:
            The array (a view).
        """
        return self.values[:, :, VOLUMES.index(volume)]

    def since(self, first: pd.Timestamp) -> ChannelHistory:
        """The same history from ``first`` on (the straight line reads the period to date only).

        Args:
            first: The first day kept.

        Returns:
            The shorter history.
        """
        keep = self.dates >= first
        return ChannelHistory(self.dates[keep], self.channels, self.values[keep], self.tracked, self.paid)

    def of_channels(self, which: Sequence[int], last: pd.Timestamp) -> ChannelHistory:
        """Some channels' days to ``last``: the history of channels whose data stops there (a lagging channel's
        days after its last data date are unknown, not days on which nothing happened).

        Args:
            which: The channels' indices on the channel axis.
            last: The last day kept.

        Returns:
            The narrower, shorter history.
        """
        keep, index = np.asarray(self.dates <= last), list(which)
        return ChannelHistory(
            self.dates[keep],
            tuple(self.channels[i] for i in index),
            self.values[keep][:, index],
            self.tracked[index],
            self.paid[index],
        )


def channel_history(
    daily: pd.DataFrame,
    period_start: pd.Timestamp,
    as_of: pd.Timestamp,
    channels: Sequence[str] | None = None,
    paid: Collection[str] | None = None,
) -> ChannelHistory:
    """Turn the daily frame into a :class:`ChannelHistory` (rows after ``as_of`` are left out).

    Args:
        daily: The daily frame (see :func:`daily_by_channel`); missing volume columns are not tracked.
        period_start: The period's first day (the history reaches back at least to it).
        as_of: Report as of, the last day counted.
        channels: The channels to forecast (default: those in ``daily``); one without rows did nothing yet.
        paid: The paid channels (default: those that spent anything).

    Returns:
        The history.
    """
    frame = daily.reindex(columns=list(DAILY_COLUMNS))
    frame = frame[frame["Date"].notna() & frame["Channel"].notna() & (frame["Date"] <= as_of)]
    names = tuple(channels) if channels is not None else tuple(sorted(frame["Channel"].astype(str).unique()))
    first = min(frame["Date"].min(), period_start) if not frame.empty else period_start
    dates = pd.date_range(first, max(as_of, first), freq="D")
    summed = frame.groupby(["Date", "Channel"])[list(VOLUMES)].sum(min_count=1)
    wide = summed.unstack("Channel") if not summed.empty else summed
    values = np.zeros((len(dates), len(names), len(VOLUMES)))
    if not summed.empty:  # every volume's days × channels in one reindex
        every = pd.MultiIndex.from_product([list(VOLUMES), list(names)])
        table = wide.reindex(index=dates, columns=every).fillna(0.0).to_numpy(dtype=float)
        values[:, :, :] = table.reshape(len(dates), len(VOLUMES), len(names)).transpose(0, 2, 1)
    tracked = _tracked(frame, names)
    spent = values[:, :, 0].sum(axis=0) > 0
    is_paid = np.array([ch in paid for ch in names]) if paid is not None else spent
    return ChannelHistory(dates, names, values, tracked, is_paid.astype(bool))


def _tracked(frame: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """channels × volumes: recorded by the channel; a channel without rows tracks what any channel tracks."""
    given = frame[list(VOLUMES)].notna().groupby(frame["Channel"]).any()
    anywhere = given.any(axis=0) if not given.empty else pd.Series(False, index=list(VOLUMES))
    table = given.reindex(list(names))
    without_rows = table.isna().all(axis=1)
    table.loc[without_rows] = np.broadcast_to(anywhere.to_numpy(), (int(without_rows.sum()), len(VOLUMES)))
    out = table.fillna(False).to_numpy(dtype=bool) & anywhere.to_numpy(dtype=bool)
    out[:, 0] = True  # Spend is always tracked: a blank Spend cell is 0
    return out
