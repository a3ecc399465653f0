"""Each channel's daily spend now: its run-rate and its best day over the trend window, a lumpy channel's over whole
cycles of its spending (docs/metrics.md, "The plan for the rest of the period")."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from mops_xl.analysis.blocks.cycles import judging_days
from mops_xl.analysis.blocks.window import DAY, ReportingWindow

#: One row per channel.
RUN_RATE_COLUMNS = ("Current daily spend", "Most in a day")
#: An optional column of the run rate: a lumpy channel's spend cycle in days (NaN for a channel that spends most
#: days); the plan and its advice speak of such a channel's spend per cycle.
SPEND_CYCLE = "Spend cycle"


def daily_spend_now(
    actuals: pd.DataFrame,
    channels: list[str],
    window: ReportingWindow,
    days: int,
    cycles: Mapping[str, int] | None = None,
    lagging: Mapping[str, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Each channel's spend a day over the last ``days`` days to Report as of (never before Period start), and the
    most it spent in one of those days (its rows of a day added up). A lagging channel's last ``days`` days end on
    its last data date (its missing days are missing, not days without spend).

    A channel that spends on some days only (``cycles``) is read over whole cycles ending on Report as of, so that a
    day between two spend days is not "stopped" and a spend day is not a spike: its spend a day is the spend of its
    last k cycles ÷ (k × cycle days), k the trend window's whole cycles (:func:`judging_days`), as many as lie in
    the period (at least one, which may reach before Period start); its most in a day is its best cycle's spend ÷
    cycle days.

    Args:
        actuals: The Actuals table (Date, Channel, Spend; every date).
        channels: The channels, in order (a channel without rows spends 0).
        window: The reporting window (S, A).
        days: W, the Trend window setting.
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only.
        lagging: Channel → its last data date, for the channels whose rows stop early.

    Returns:
        Indexed by channel: Current daily spend (Σ spend ÷ the days of the window) and Most in a day; with
        ``cycles``, also :data:`SPEND_CYCLE` (NaN for a channel that spends most days).
    """
    out = _spend_over_days(actuals, channels, window.start, window.as_of, days)
    for channel, last in (lagging or {}).items():
        if channel in out.index:
            mine = actuals[actuals["Channel"] == channel]
            out.loc[channel] = _spend_over_days(mine, [channel], window.start, last, days).loc[channel]
    if cycles is None:
        return out
    out[SPEND_CYCLE] = pd.Series({ch: float(c) for ch, c in cycles.items()}, dtype="float64").reindex(channels)
    for channel, cycle in cycles.items():
        if channel in out.index:
            now, most = cycle_spend_now(actuals[actuals["Channel"] == channel], window, days, int(cycle))
            out.loc[channel, ["Current daily spend", "Most in a day"]] = now, most
    return out


def _spend_over_days(
    actuals: pd.DataFrame, channels: list[str], start: pd.Timestamp, last: pd.Timestamp, days: int
) -> pd.DataFrame:
    """Each channel's spend a day over the ``days`` days to ``last`` (never before ``start``) and its best day."""
    first = max(last - (max(days, 1) - 1) * DAY, start)
    span = (last - first).days + 1
    rows = actuals[(actuals["Date"] >= first) & (actuals["Date"] <= last)]
    by_day = rows.groupby(["Channel", "Date"])["Spend"].sum()
    total = by_day.groupby(level="Channel").sum().reindex(channels, fill_value=0.0)
    best = by_day.groupby(level="Channel").max().reindex(channels, fill_value=0.0)
    return pd.DataFrame(
        {"Current daily spend": total.astype(float) / max(span, 1), "Most in a day": best.astype(float)},
        index=pd.Index(channels, name="Channel"),
    ).fillna(0.0)


def cycle_spend_now(actuals: pd.DataFrame, window: ReportingWindow, days: int, cycle: int) -> tuple[float, float]:
    """A lumpy channel's spend a day now and its best cycle's spend a day, over whole cycles ending on Report as of
    (see :func:`daily_spend_now`).

    Args:
        actuals: The channel's Actuals rows (Date, Spend; every date).
        window: The reporting window (S, A).
        days: W, the Trend window setting.
        cycle: Its spend cycle in days.

    Returns:
        ``(spend of the last k cycles ÷ (k × cycle), the most spent in one of those cycles ÷ cycle)``.
    """
    in_period = ((window.as_of - window.start).days + 1) // cycle
    k = max(min(judging_days(days, cycle) // cycle, in_period), 1)
    first = window.as_of - (k * cycle - 1) * DAY
    rows = actuals[(actuals["Date"] >= first) & (actuals["Date"] <= window.as_of)]
    which = (window.as_of - rows["Date"]).dt.days // cycle  # 0: the last cycle, 1: the one before, …
    per_cycle = rows["Spend"].groupby(which).sum().reindex(range(k), fill_value=0.0).fillna(0.0)
    return float(per_cycle.sum()) / (k * cycle), float(per_cycle.max()) / cycle


def days_to_spend(
    budget: pd.DataFrame,
    channels: list[str],
    window: ReportingWindow,
    paid: Mapping[str, pd.Timestamp] | None = None,
    lagging: Mapping[str, pd.Timestamp] | None = None,
) -> pd.Series:
    """The days each channel may spend in the rest of the period: from the day after Report as of, or from the
    first day of its first budget line in the rest of the period when that line starts later, or for a lumpy channel
    from the day after its current cycle is paid for (``paid``) when that is later, to Period end. A lagging channel's
    days run from the day after its last data date (its missing days are not known to be spent: its remaining budget
    still counts them, so its plan spreads that budget over them too), never before Period start.

    Args:
        budget: The Budget table (Channel, Period start, Period end).
        channels: The channels, in order.
        window: The reporting window (A, E).
        paid: Channel → the day a lumpy channel's last spend pays for its days through (:func:`paid_through`).
        lagging: Channel → its last data date, for the channels whose rows stop early.

    Returns:
        Channel → days (0 when the period has ended).
    """
    first, end = window.as_of + DAY, window.end
    left = max((end - window.as_of).days, 0)
    lines = budget[(budget["Period end"] >= first) & (budget["Period start"] <= end)]
    starts = lines.groupby("Channel")["Period start"].min()
    out = pd.Series(left, index=pd.Index(channels, name="Channel"), dtype="int64")
    for channel, start in starts.items():
        if channel in out.index and start > first:
            out[channel] = (end - start).days + 1
    for channel, through in (paid or {}).items():
        if channel in out.index:
            out[channel] = max(min(int(out[channel]), (end - through).days), 0)
    for channel, last in (lagging or {}).items():
        if channel in out.index and left > 0:
            out[channel] += (window.as_of - max(last, window.start - DAY)).days
    return out


def paid_through(actuals: pd.DataFrame, window: ReportingWindow, cycles: Mapping[str, int]) -> dict[str, pd.Timestamp]:
    """The day each lumpy channel's last spend pays for its days through, where that is after Report as of: its last
    spend day in the period to date + its cycle − 1 (a webinar on Thursday 27 August, every 14 days, pays for the
    days to Wednesday 9 September). Its budget pace counts to there (docs/metrics.md, "Budget pacing") and the plan
    spreads what is left over the days after it.

    Args:
        actuals: The Actuals table (Date, Channel, Spend; every date).
        window: The reporting window (S, A).
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only.

    Returns:
        Channel → the day, only the channels whose current cycle runs past Report as of.
    """
    rows = actuals[(actuals["Date"] >= window.start) & (actuals["Date"] <= window.as_of) & (actuals["Spend"] > 0)]
    last = rows.groupby("Channel")["Date"].max()
    out = {}
    for channel, cycle in cycles.items():
        if channel in last.index and last[channel] + (int(cycle) - 1) * DAY > window.as_of:
            out[channel] = last[channel] + (int(cycle) - 1) * DAY
    return out
