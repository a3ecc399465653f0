"""The weekly view: the last 7 days to Report as of against the 7 before, per channel and for all channels, from this
report's daily figures alone (so it compares even across periods).

Weeks are 7-day blocks ending on Report as of (week 0 the last 7 days, week 1 the 7 before …), so every week holds
each weekday once: weekday-aligned by construction. A ratio (CAC, ROAS) is the ratio of the week's sums; for all
channels it counts the channels that track both of its volumes (ROAS: paid ones only), as the KPI Framework does.

**Unusual.** A channel-week is scored against the same channel's weeks before it (weeks 1 to
:data:`WEEKS_OF_HISTORY`, those on or after its first day of data) with a robust z-score: z = (x − median) ÷ s, s =
1.4826 × the median absolute deviation (so s estimates the standard deviation of normal noise); when half the weeks
or more sit on the median (MAD = 0), s = 1.2533 × the mean absolute deviation; and s is never below
:data:`SCALE_FLOORS` (one customer, one unit of money, 1 % of the median of a ratio), so a quiet channel's first
customer is not a z of infinity. |z| > :data:`THRESHOLD` (3.5, Iglewicz and Hoaglin's cut-off for outliers) is
"unusual"; anything else is "within normal variation". With fewer than :data:`MIN_WEEKS` weeks of history the
score is NaN and the row reads "within normal variation", with a note saying so.

**A channel whose data stops early** (it lags: :func:`mops_xl.analysis.blocks.data_dates.lagging_channels`) has
its weeks end on its last data date, not on Report as of: its missing days are missing, not a fall, so its last 7
days of data are compared with the 7 before them. The all-channels rows add each channel's own weeks and say which
channels' weeks end early.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.blocks.wording import day
from mops_xl.analysis.review.changes import NORMAL, UNUSUAL, WeeklyRow
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.plural import and_list

#: The figures of the weekly view, in order.
WEEKLY_METRICS = ("Spend", "Leads", "Customers", "Revenue", "CAC", "ROAS")
#: The ratios: numerator, denominator, paid channels only.
WEEKLY_RATIOS = {"CAC": ("Spend", "Customers", False), "ROAS": ("Revenue", "Spend", True)}
#: The weeks before the last one a score reads (about a quarter).
WEEKS_OF_HISTORY = 12
#: The fewest weeks of history a score needs.
MIN_WEEKS = 4
#: |z| above this is unusual.
THRESHOLD = 3.5
#: s = MAD × this estimates a normal standard deviation.
MAD_SCALE = 1.4826
#: s = mean absolute deviation × this, when the MAD is 0.
MEAN_AD_SCALE = 1.2533
#: The smallest s by figure: whole units for volumes; a ratio's is 1 % of its median (see :func:`robust_score`).
SCALE_FLOORS = {"Spend": 1.0, "Leads": 1.0, "Customers": 1.0, "Revenue": 1.0}


def weekly_view(current: Snapshot, lagging: Mapping[str, pd.Timestamp] | None = None) -> list[WeeklyRow]:
    """The weekly view of one report: all channels first, then each channel in Channels order, one row per figure
    it tracks (ROAS for paid channels only).

    Args:
        current: This report's snapshot.
        lagging: Channel → its last data date, for the channels whose data stops early (their weeks end there).

    Returns:
        The rows.
    """
    ends = {ch: pd.Timestamp(d) for ch, d in (lagging or {}).items() if ch in current.channels}
    weeks, tracked, first = _weekly_sums(current, ends)
    as_of = pd.Timestamp(current.as_of)
    rows = []
    for subject in [ALL_CHANNELS, *current.channels]:
        counted = current.channels if subject == ALL_CHANNELS else [subject]
        start = min((first[ch] for ch in counted if ch in first), default=as_of)
        end = ends.get(subject, as_of)
        history = int(min(WEEKS_OF_HISTORY, max((end - start).days + 1 - 7, 0) // 7))
        early = _early_note(subject, ends)
        for metric in WEEKLY_METRICS:
            if subject != ALL_CHANNELS and not _shown(current, subject, metric, tracked):
                continue
            row = _row(subject, metric, _series(weeks, tracked, current.paid, counted, metric), history)
            rows.append(replace(row, note="; ".join(n for n in (early, row.note) if n)) if early else row)
    return rows


def _early_note(subject: str, ends: Mapping[str, pd.Timestamp]) -> str:
    """What a row says of the weeks that end on a last data date ("" when none does)."""
    if subject in ends:
        return f"weeks to its last data date, {day(ends[subject])}: its later days are missing, not a fall"
    if subject == ALL_CHANNELS and len(ends) == 1:
        (channel, last), *_ = ends.items()
        return f"{channel}: weeks to its last data date, {day(last)} (its later days are missing, not a fall)"
    if subject == ALL_CHANNELS and ends:
        names = and_list(sorted(ends))
        return f"{names}: weeks to their last data dates (their later days are missing, not a fall)"
    return ""


def _weekly_sums(
    current: Snapshot, ends: Mapping[str, pd.Timestamp]
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict[str, pd.Timestamp]]:
    """Each channel's weekly sums (weeks 0 … :data:`WEEKS_OF_HISTORY` × volumes, weeks ending on Report as of or on
    its last data date when it lags), which volumes it tracks (any value in its daily figures), and its first day
    of data."""
    daily = current.daily
    fields = [f for f in ("Spend", "Leads", "Customers", "Revenue") if f in daily.values]
    frame = pd.DataFrame({f: pd.Series(daily.values[f], dtype="float64") for f in fields})
    frame["Date"] = pd.to_datetime(pd.Series(daily.dates, dtype="object"))
    frame["Channel"] = pd.Series(daily.channels, dtype="object")
    tracked = frame.groupby("Channel")[fields].agg(lambda s: bool(s.notna().any()))
    first = {str(ch): pd.Timestamp(d) for ch, d in frame.groupby("Channel")["Date"].min().items()}
    end = frame["Channel"].map(lambda ch: ends.get(str(ch), pd.Timestamp(current.as_of)))
    frame["Week"] = (pd.to_datetime(end) - frame["Date"]).dt.days // 7
    recent = frame[(frame["Week"] >= 0) & (frame["Week"] <= WEEKS_OF_HISTORY)]
    weeks = range(WEEKS_OF_HISTORY + 1)
    sums = {
        str(ch): group.groupby("Week")[fields].sum().reindex(weeks, fill_value=0.0)
        for ch, group in recent.groupby("Channel")
    }
    return sums, tracked, first


def _shown(current: Snapshot, channel: str, metric: str, tracked: pd.DataFrame) -> bool:
    """Whether a channel has a row for a figure: it tracks its volumes (a ratio: and it is paid)."""
    needs = WEEKLY_RATIOS[metric][:2] if metric in WEEKLY_RATIOS else (metric,)
    if metric in WEEKLY_RATIOS and not current.paid.get(channel, False):
        return False  # a channel that spends nothing has no CAC or ROAS ("–", not $0.00)
    return all(_tracks(tracked, channel, v) for v in needs)


def _tracks(tracked: pd.DataFrame, channel: str, volume: str) -> bool:
    if volume == "Spend":
        return True
    return channel in tracked.index and volume in tracked.columns and bool(tracked.at[channel, volume])


def _series(
    weeks: dict[str, pd.DataFrame], tracked: pd.DataFrame, paid: dict[str, bool], channels: list[str], metric: str
) -> np.ndarray:
    """One figure's weekly values (weeks 0 … :data:`WEEKS_OF_HISTORY`) over some channels (NaN where undefined)."""
    size = WEEKS_OF_HISTORY + 1
    if metric in WEEKLY_RATIOS:
        top, bottom, paid_only = WEEKLY_RATIOS[metric]
        counted = [ch for ch in channels if _tracks(tracked, ch, top) and _tracks(tracked, ch, bottom)]
        counted = [ch for ch in counted if paid.get(ch, False) or not paid_only]
        n, d = _summed(weeks, counted, top, size), _summed(weeks, counted, bottom, size)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(d != 0, n / np.where(d != 0, d, 1.0), np.nan)
    counted = [ch for ch in channels if _tracks(tracked, ch, metric)]
    if not counted:
        return np.full(size, np.nan)
    return _summed(weeks, counted, metric, size)


def _summed(weeks: dict[str, pd.DataFrame], channels: list[str], volume: str, size: int) -> np.ndarray:
    out = np.zeros(size)
    for ch in channels:
        if ch in weeks and volume in weeks[ch].columns:
            out += weeks[ch][volume].to_numpy(dtype="float64")
    return out


def _row(subject: str, metric: str, series: np.ndarray, history: int) -> WeeklyRow:
    """One row: the last week against the week before, scored on the weeks before it."""
    last, before = float(series[0]), float(series[1])
    score, note = math.nan, ""
    if math.isnan(last):
        note = "undefined in the last 7 days"
    else:
        past = series[1 : history + 1]
        past = past[~np.isnan(past)]
        if len(past) < MIN_WEEKS:
            note = f"too little history to judge: {len(past)} earlier weeks, {MIN_WEEKS} needed"
        else:
            score = robust_score(last, past, SCALE_FLOORS.get(metric))
    verdict = UNUSUAL if not math.isnan(score) and abs(score) > THRESHOLD else NORMAL
    return WeeklyRow(subject, metric, last, before, last - before, score, verdict, note)


def robust_score(value: float, history: np.ndarray, floor: float | None = None) -> float:
    """The robust z-score of a week against the weeks before it (see the module's docstring).

    Args:
        value: This week's figure.
        history: The figures of the weeks before (no NaN).
        floor: The smallest spread (None: 1 % of the median's size, for a ratio).

    Returns:
        z = (value − median) ÷ s.
    """
    median = float(np.median(history))
    deviations = np.abs(history - median)
    scale = MAD_SCALE * float(np.median(deviations))
    if scale == 0:
        scale = MEAN_AD_SCALE * float(np.mean(deviations))
    least = floor if floor is not None else 0.01 * abs(median)
    scale = max(scale, least, 1e-12)
    return (value - median) / scale
