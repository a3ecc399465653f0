"""The lumpy channels: a channel that spends on some days only (a webinar every other Thursday), its spend cycle,
and the cycle its trend, pace and plan are judged over (fortnight against fortnight rather than day by day).

The engine finds each channel's cycle once (:func:`lumpy_channels`); the trend compares whole cycles
(:func:`judging_days`), the run rate averages the spend of whole cycles, and the plan and its advice speak per
cycle (:func:`per_cycle`). The forecast reads a channel's schedule (:func:`spend_cycle`) to simulate its spend days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: A channel is lumpy when it spends on fewer than this share of its days.
LUMPY_SHARE = 0.5
#: A lumpy channel keeps a schedule when this share of the gaps between its spend days is the usual gap (± 1 day).
REGULAR_SHARE = 0.75


@dataclass(frozen=True)
class SpendCycle:
    """How a lumpy channel spends: on some days only, every ``days`` days when ``regular``.

    Args:
        days: The usual gap between two spend days (14 for every other Thursday).
        regular: The gaps keep to it (± 1 day), so the next spend days can be told from the last one.
        last: The index of the last spend day among the days read.
    """

    days: int
    regular: bool
    last: int

    def next_days(self, first: int, last: int) -> np.ndarray:
        """The days (indices on the same count) from ``first`` to ``last`` when the channel will spend, if it keeps
        its schedule; none when it is overdue by more than a cycle (it seems to have stopped).

        Args:
            first: The first future day's index.
            last: The last future day's index.

        Returns:
            The indices.
        """
        if first - self.last > 2 * self.days:
            return np.zeros(0, dtype=np.intp)
        steps = np.arange(self.last + self.days, last + 1, self.days)
        return steps[steps >= first]


def spend_cycle(spend: Sequence[float] | np.ndarray) -> SpendCycle | None:
    """The spend cycle of a channel that spends on some days only, or None for a channel that spends most days
    (or too rarely to tell: fewer than three spend days).

    Args:
        spend: The channel's daily spend, oldest first.

    Returns:
        The :class:`SpendCycle`, or None.
    """
    values = np.asarray(spend, dtype=float)
    spent = np.flatnonzero(values > 0)
    if len(spent) < 3:
        return None
    span = len(values) - spent[0]
    gaps = np.diff(spent)
    usual = int(np.median(gaps))
    if len(spent) >= LUMPY_SHARE * span or usual < 2:
        return None
    regular = float(np.mean(np.abs(gaps - usual) <= 1)) >= REGULAR_SHARE
    return SpendCycle(usual, regular, int(spent[-1]))


def lumpy_channels(daily: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, int]:
    """The channels that spend on some days only, each with the cycle its trend and pace are judged over (e.g.
    14 days: fortnight against fortnight rather than day by day). A channel's days run from its first row to
    Report as of (a day without a row spends 0), before Period start too.

    Args:
        daily: Rows with Date, Channel and Spend: the Actuals, or the forecast's daily frame (a date's rows are
            added up).
        as_of: Report as of (later rows are left out).

    Returns:
        Channel → cycle in days.
    """
    rows = daily[daily["Date"] <= as_of]
    out: dict[str, int] = {}
    summed = rows.groupby(["Channel", "Date"], sort=True)["Spend"].sum()  # every channel's days in one groupby
    of_channel, spend = summed.index.get_level_values("Channel"), summed.to_numpy()
    for channel in of_channel.unique():
        mine = np.asarray(of_channel == channel)
        by_day = pd.Series(spend[mine], index=summed.index.get_level_values("Date")[mine])
        if by_day.empty:
            continue
        days = by_day.reindex(pd.date_range(by_day.index.min(), as_of, freq="D"), fill_value=0.0)
        cycle = spend_cycle(days.to_numpy(dtype=float))
        if cycle is not None:
            out[str(channel)] = cycle.days
    return out


def judging_days(window_days: int, cycle: int | None) -> int:
    """The days a channel's trend window and run rate cover: the Trend window W, or for a lumpy channel W rounded
    up to whole cycles (at least one): a fortnightly webinar with W = 7 is judged over 14 days.

    Args:
        window_days: W, the Trend window setting.
        cycle: The channel's cycle in days (None for a channel that spends most days).

    Returns:
        The days.
    """
    if not cycle:
        return int(window_days)
    return int(cycle) * max(1, math.ceil(int(window_days) / int(cycle)))


def per_cycle(cycle: int) -> str:
    """A cycle as the advice speaks of it: "a week", "a fortnight", else "per N days".

    Args:
        cycle: The cycle in days.

    Returns:
        The words, e.g. "a fortnight" ("$1,000 a fortnight").
    """
    return {1: "a day", 7: "a week", 14: "a fortnight"}.get(int(cycle), f"per {int(cycle)} days")


def cycle_against_cycle(cycle: int) -> str:
    """How a lumpy channel is judged, in words: "fortnight against fortnight", "week against week", else
    "14 days against the 14 days before".

    Args:
        cycle: The cycle in days.

    Returns:
        The words.
    """
    named = {7: "week", 14: "fortnight"}.get(int(cycle))
    return f"{named} against {named}" if named else f"{int(cycle)} days against the {int(cycle)} days before"
