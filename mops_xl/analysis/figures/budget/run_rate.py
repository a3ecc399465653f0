"""Each channel's daily spend now: its run-rate and its best day over the trend window (docs/metrics.md, "The plan
for the rest of the period")."""

from __future__ import annotations

import pandas as pd

from mops_xl.analysis.blocks.window import DAY, ReportingWindow

#: One row per channel.
RUN_RATE_COLUMNS = ("Current daily spend", "Most in a day")


def daily_spend_now(actuals: pd.DataFrame, channels: list[str], window: ReportingWindow, days: int) -> pd.DataFrame:
    """Each channel's spend a day over the last ``days`` days to Report as of (never before Period start), and the
    most it spent in one of those days (its rows of a day added up).

    Args:
        actuals: The Actuals table (Date, Channel, Spend; every date).
        channels: The channels, in order (a channel without rows spends 0).
        window: The reporting window (S, A).
        days: W, the Trend window setting.

    Returns:
        Indexed by channel: Current daily spend (Σ spend ÷ the days of the window) and Most in a day.
    """
    first = max(window.as_of - (max(days, 1) - 1) * DAY, window.start)
    span = (window.as_of - first).days + 1
    rows = actuals[(actuals["Date"] >= first) & (actuals["Date"] <= window.as_of)]
    by_day = rows.groupby(["Channel", "Date"])["Spend"].sum()
    total = by_day.groupby(level="Channel").sum().reindex(channels, fill_value=0.0)
    best = by_day.groupby(level="Channel").max().reindex(channels, fill_value=0.0)
    out = pd.DataFrame(
        {"Current daily spend": total.astype(float) / max(span, 1), "Most in a day": best.astype(float)},
        index=pd.Index(channels, name="Channel"),
    )
    return out.fillna(0.0)


def days_to_spend(budget: pd.DataFrame, channels: list[str], window: ReportingWindow) -> pd.Series:
    """The days each channel may spend in the rest of the period: from the day after Report as of, or from the
    first day of its first budget line in the rest of the period when that line starts later, to Period end.

    Args:
        budget: The Budget table (Channel, Period start, Period end).
        channels: The channels, in order.
        window: The reporting window (A, E).

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
    return out
