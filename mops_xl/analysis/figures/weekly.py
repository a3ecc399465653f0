"""The week-by-week trend: each channel's spend, customers and CAC week by week over the period to date.

Weeks start on Period start (S, S + 7, S + 14 …); the last one ends on Report as of, so it may be partial: its
label says how many days it holds ("Sep 9–10 (2 days)"). A week's CAC is its spend ÷ its customers (undefined on
none), as the catalogue defines CAC; "All channels" sums the channels, its CAC counting the channels that track
customers (as the KPI Framework's CAC does).
"""

from __future__ import annotations

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import Subjects, tracked_sums
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.volumes import channel_volumes_by_window
from mops_xl.plural import count

#: The figures each week gives, per channel.
WEEKLY_FIGURES = ("Spend", "Customers", "CAC")
#: The weekly table's columns, in order.
WEEKLY_COLUMNS = ("Week", "Week start", "Week end", "Days", "Channel", *WEEKLY_FIGURES)
WEEK_DAYS = 7


def week_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A week as a reader names it: "Jul 1–7", "Jul 29–Aug 4", and a partial week with its days, "Sep 9–10 (2 days)".

    Args:
        start: Its first day.
        end: Its last day.

    Returns:
        The label.
    """
    days = (end - start).days + 1
    last = f"{end.day}" if end.month == start.month else f"{end:%b} {end.day}"
    label = f"{start:%b} {start.day}–{last}" if days > 1 else f"{start:%b} {start.day}"
    return label if days == WEEK_DAYS else f"{label} ({count(days, 'day')})"


def week_starts(window: ReportingWindow) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The weeks of the period to date: (first day, last day), from Period start, the last ending on Report as of.

    Args:
        window: The reporting window.

    Returns:
        The weeks, in order.
    """
    day = pd.Timedelta(days=1)
    out, start = [], window.start
    while start <= window.as_of:
        out.append((start, min(start + (WEEK_DAYS - 1) * day, window.as_of)))
        start += WEEK_DAYS * day
    return out


def weekly_trend(
    actuals: pd.DataFrame, window: ReportingWindow, channels: list[str], tracked: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each channel's spend, customers and CAC week by week over the period to date, and All channels.

    Args:
        actuals: The Actuals rows (any dates: each week takes its own).
        window: The reporting window.
        channels: The channels, in Channels order.
        tracked: Channel × volume → tracked (a channel that does not track customers has no customers or CAC:
            NaN); None: every channel tracks every volume.

    Returns:
        One row per week and channel (weeks in order; in each, the channels in order, then All channels), columns
        :data:`WEEKLY_COLUMNS`; a figure that is undefined or not tracked is NaN.
    """
    rows = []
    cac = catalogue.current().get("CAC").expression  # the catalogue's: none without customers or without spend
    weeks = week_starts(window)
    by_week = channel_volumes_by_window(actuals, weeks, channels, ("Spend", "Customers"), tracked)
    # every week's channels' CAC in one pass: a channel-week's CAC reads only its own row
    each = cac.per_subject(pd.concat(by_week, ignore_index=True), {}).to_numpy() if by_week else []
    for k, ((start, end), volumes) in enumerate(zip(weeks, by_week, strict=True)):
        week = {"Week": week_label(start, end), "Week start": start, "Week end": end, "Days": (end - start).days + 1}
        spend, customers = volumes["Spend"].to_numpy(), volumes["Customers"].to_numpy()
        for j, channel in enumerate(volumes.index):
            figures = (float(spend[j]), float(customers[j]), float(each[k * len(volumes) + j]))
            rows.append({**week, "Channel": channel, **dict(zip(WEEKLY_FIGURES, figures, strict=True))})
        customers = tracked_sums(volumes, "Customers")
        every = Subjects(volumes, pd.Series(False, index=volumes.index), {}, 0.0)
        rows.append(
            {
                **week,
                "Channel": ALL_CHANNELS,
                "Spend": float(volumes["Spend"].sum()),
                "Customers": customers[0] if customers is not None else float("nan"),
                "CAC": float(cac.blended(every, {})),
            }
        )
    return pd.DataFrame(rows, columns=list(WEEKLY_COLUMNS))
