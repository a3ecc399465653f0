"""How far each channel's data reaches: its last data date, the channels whose rows stop early (lagging), and the
rows that leave a funnel column blank where the channel's earlier days give it.

A channel's **last data date** is the latest Actuals date with a row for it, up to Report as of. A channel whose
rows stop more than the Data settling days before Report as of **lags** (a platform imported alone, say): its
missing days are missing, not zero. Its trend, budget pace, run rate and forecast count its days to its last data
date (the engine finds the lagging channels once, in the basis, and every figure reads them from there); the totals
stay sums of what is there. A channel that spends on some days only (its rows are its spend days, see
:mod:`mops_xl.analysis.blocks.cycles`) never lags, nor does a channel without a row in the period (it has No data).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.blocks.wording import day as prose_date
from mops_xl.analysis.blocks.wording import days as prose_days
from mops_xl.intake.model import TRACKABLE
from mops_xl.plural import and_list


def last_data_dates(actuals: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Each channel's last data date: the latest Actuals date with a row for it, up to Report as of.

    Args:
        actuals: The Actuals table (Date, Channel; every date).
        as_of: Report as of (later rows are left out).

    Returns:
        Channel → its last data date (only channels with a row up to ``as_of``), by channel name.
    """
    rows = actuals[actuals["Date"] <= as_of].dropna(subset=["Channel"])
    return rows.groupby("Channel")["Date"].max().sort_index()


def lagging_channels(
    actuals: pd.DataFrame, window: ReportingWindow, cycles: Mapping[str, int] | None = None
) -> dict[str, pd.Timestamp]:
    """The channels whose rows stop more than the Data settling days before Report as of, with their last data
    date: Report as of − last data date > settling days, the last data date in the period (on or after Period
    start), the channel not one that spends on some days only.

    Args:
        actuals: The Actuals table (every date).
        window: The reporting window (its settling days).
        cycles: Channel → spend cycle, for the channels that spend on some days only (they never lag).

    Returns:
        Channel → its last data date, by channel name.
    """
    last = last_data_dates(actuals, window.as_of)
    gap = (window.as_of - last).dt.days
    lags = (gap > window.settling_days) & (last >= window.start)
    return {str(ch): day for ch, day in last[lags].items() if str(ch) not in (cycles or {})}


def data_end(window: ReportingWindow, lagging: Mapping[str, pd.Timestamp], channel: str) -> pd.Timestamp:
    """The last day a channel's figures count: its last data date when it lags, else Report as of.

    Args:
        window: The reporting window.
        lagging: The lagging channels (see :func:`lagging_channels`).
        channel: The channel.

    Returns:
        The day.
    """
    return lagging.get(channel, window.as_of)


def lagging_warnings(lagging: Mapping[str, pd.Timestamp], as_of: pd.Timestamp) -> list[dict[str, str]]:
    """One warning per lagging channel, naming it and its last data date.

    Args:
        lagging: The lagging channels.
        as_of: Report as of.

    Returns:
        ``{"subject", "warning"}`` each, e.g. LinkedIn Ads: "data through 3 Sep 2026, 7 days before Report as of
        (10 Sep 2026): its missing days are left out, not read as zero".
    """
    return [
        {
            "subject": channel,
            "warning": f"data through {prose_date(day)}, {(as_of - day).days} days before Report as of "
            f"({prose_date(as_of)}): its missing days are left out, not read as zero",
        }
        for channel, day in lagging.items()
    ]


def data_through_line(lagging: Mapping[str, pd.Timestamp], as_of: pd.Timestamp) -> str:
    """The one line that says how far the lagging channels' data reaches, beside Report as of ("" without one).

    Args:
        lagging: The lagging channels.
        as_of: Report as of.

    Returns:
        E.g. "Report as of 10 Sep 2026; data through 3 Sep 2026 for LinkedIn Ads (its later days are left out, not
        read as zero)".
    """
    if not lagging:
        return ""
    by_day: dict[pd.Timestamp, list[str]] = {}
    for channel, day in sorted(lagging.items(), key=lambda item: item[1]):
        by_day.setdefault(day, []).append(channel)
    parts = [f"{prose_date(day)} for {and_list(names)}" for day, names in by_day.items()]
    their = "its" if len(lagging) == 1 else "their"
    return (
        f"Report as of {prose_date(as_of)}; data through {'; '.join(parts)} ({their} later days are left out, "
        "not read as zero)"
    )


def data_through_sentence(lagging: Mapping[str, pd.Timestamp]) -> str:
    """The headline's sentence on the lagging channels, so that their missing days do not read as a fall ("" without
    one).

    Args:
        lagging: The lagging channels.

    Returns:
        E.g. "LinkedIn Ads has data through 3 Sep 2026 only: its later days are missing, not a fall."
    """
    if not lagging:
        return ""
    by_day: dict[pd.Timestamp, list[str]] = {}
    for channel, day in sorted(lagging.items(), key=lambda item: item[1]):
        by_day.setdefault(day, []).append(channel)
    parts = [
        f"{and_list(names)} {'has' if len(names) == 1 else 'have'} data through {prose_date(day)}"
        for day, names in by_day.items()
    ]
    their = "its" if len(lagging) == 1 else "their"
    return f"{'; '.join(parts)} only: {their} later days are missing, not a fall."


def blank_funnel_warnings(actuals: pd.DataFrame, window: ReportingWindow) -> list[dict[str, str]]:
    """One warning per channel and funnel column whose rows in the window leave the column blank on days after
    the channel's rows first gave it (a day counts as blank when none of its rows of the channel gives it). The
    figures read such a blank as nothing that day: the channel's sums count only the rows that give the column,
    so a ratio over it (its CAC over Customers) counts the blank days' spend and none of their volume.

    Args:
        actuals: The Actuals table (every date).
        window: The reporting window (rows from Period start to Report as of are checked).

    Returns:
        ``{"subject", "warning"}`` each, one per channel and span of blank days (the columns those days leave blank
        said together), e.g. Google Ads: "7 rows on 4–10 Sep 2026 leave MQLs and Customers blank, where its earlier
        rows give them: the figures count them as no MQLs and Customers, so its figures over them count their spend
        and none of their MQLs and Customers".
    """
    rows = actuals[actuals["Date"] <= window.as_of].dropna(subset=["Channel"])
    columns = [c for c in TRACKABLE if c in rows]
    # which columns each channel's rows give on each day: one groupby, sorted by channel and day
    given = rows[columns].notna().assign(Channel=rows["Channel"], Date=rows["Date"]).groupby(["Channel", "Date"]).any()
    of_channel, days = given.index.get_level_values("Channel"), given.index.get_level_values("Date")
    flags, in_window = given.to_numpy(dtype=bool), np.asarray(days >= window.start)
    out = []
    for channel in rows["Channel"].unique():
        mine = np.asarray(of_channel == channel)
        gives, its_days, checked = flags[mine], days[mine], in_window[mine]
        since_given = np.maximum.accumulate(gives, axis=0)  # from the first day that gave it on
        spans: dict[tuple[pd.Timestamp, ...], list[str]] = {}  # the same blank days: one warning for their columns
        for k, column in enumerate(columns):
            blank_days = its_days[since_given[:, k] & ~gives[:, k] & checked]
            if len(blank_days):
                spans.setdefault(tuple(blank_days), []).append(column)
        if not spans:
            continue
        row_days = rows.loc[rows["Channel"] == channel, "Date"]  # the channel's rows' days, once for all its spans
        for blank_days, blank_columns in spans.items():
            count = int(row_days.isin(blank_days).sum())
            words = _blank_words(count, pd.DatetimeIndex(blank_days), and_list(blank_columns), len(blank_columns))
            out.append({"subject": str(channel), "warning": words})
    return out


def _blank_words(count: int, blank_days: pd.DatetimeIndex, columns: str, how_many: int) -> str:
    """The warning's words: the rows, their days, the columns they leave blank ("MQLs, SQLs and Customers")."""
    first, last = blank_days.min(), blank_days.max()
    span = f"on {prose_date(first)}" if first == last else f"on {prose_days(first, last)}"
    rows = "1 row" if count == 1 else f"{count} rows"
    leave = "leaves" if count == 1 else "leave"
    them, its = ("it", "its") if count == 1 else ("them", "their")
    over = columns if how_many == 1 else "them"
    return (
        f"{rows} {span} {leave} {columns} blank, where its earlier rows give {'it' if how_many == 1 else 'them'}: "
        f"the figures count {them} as no {columns}, so its figures over {over} count {its} spend and none of "
        f"{its} {columns}"
    )
