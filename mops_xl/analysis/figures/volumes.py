"""Volumes: sums of the Actuals columns over a date window, blended and per channel."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The Actuals columns that are summed.
VOLUMES = ("Spend", "Impressions", "Clicks", "Leads", "MQLs", "SQLs", "Customers", "Revenue")


def in_window(actuals: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Return the Actuals rows with ``start <= Date <= end``.

    Args:
        actuals: The Actuals table.
        start: First day of the window.
        end: Last day of the window (inclusive).

    Returns:
        The rows in the window.
    """
    dates = actuals["Date"]
    return actuals[(dates >= start) & (dates <= end)]


def channel_volumes(
    actuals: pd.DataFrame,
    channels: list[str] | pd.Series,
    columns: tuple[str, ...] = VOLUMES,
    tracked: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sum the volume columns per channel, with a row for every channel (zero when it has no rows).

    Blank cells are missing, not 0: they add nothing, and a volume a channel does not track is NaN.

    Args:
        actuals: Actuals rows (already limited to a window).
        channels: The channels to report, in order (from the Channels sheet).
        columns: Which volumes to sum.
        tracked: Channel × column → tracked (see :func:`mops_xl.intake.model.tracked_by_channel`); None: all are.

    Returns:
        A DataFrame indexed by channel with one float column per volume (NaN where not tracked).
    """
    names = list(channels)
    sums = actuals.groupby("Channel")[list(columns)].sum().astype("float64")
    sums = sums.reindex(pd.Index(names, name="Channel"), fill_value=0.0)
    if tracked is not None:
        mask = tracked.reindex(index=sums.index, columns=sums.columns, fill_value=True).astype(bool)
        sums = pd.DataFrame(np.where(mask.to_numpy(), sums.to_numpy(), np.nan), index=sums.index, columns=sums.columns)
    return sums


def channel_volumes_by_window(
    actuals: pd.DataFrame,
    windows: list[tuple[pd.Timestamp, pd.Timestamp]],
    channels: list[str],
    columns: tuple[str, ...] = VOLUMES,
    tracked: pd.DataFrame | None = None,
) -> list[pd.DataFrame]:
    """:func:`channel_volumes` of each of several date windows that do not overlap, in order (the weeks of the
    period), with one pass over the rows: the same sums as one call per window (each channel's rows in a window
    are summed in the same order).

    Args:
        actuals: The Actuals rows (any dates: each window takes its own).
        windows: (first day, last day) each, in date order, none overlapping the next.
        channels: The channels to report, in order.
        columns: Which volumes to sum.
        tracked: Channel × column → tracked; None: all are.

    Returns:
        One frame per window, as :func:`channel_volumes` gives it.
    """
    if not windows:
        return []
    dates = actuals["Date"]
    rows = actuals[(dates >= windows[0][0]) & (dates <= windows[-1][1])]
    # each row's window: the last that starts on or before its day, if the row's day is not past its end (-1:
    # between two windows); one binary search per row, however many windows
    days = rows["Date"].to_numpy(dtype="datetime64[ns]")
    starts = np.array([start for start, _ in windows], dtype="datetime64[ns]")
    ends = np.array([end for _, end in windows], dtype="datetime64[ns]")
    which = np.searchsorted(starts, days, side="right") - 1
    which[days > ends[which]] = -1
    names = pd.Index(list(channels), name="Channel")
    keyed = rows[["Channel", *columns]].assign(_window=which)
    sums = keyed.groupby(["_window", "Channel"])[list(columns)].sum().astype("float64")
    every = pd.MultiIndex.from_product([range(len(windows)), names])
    values = sums.reindex(every, fill_value=0.0).to_numpy().reshape(len(windows), len(names), len(columns))
    if tracked is not None:
        mask = tracked.reindex(index=names, columns=list(columns), fill_value=True).astype(bool).to_numpy()
        values = np.where(mask[None], values, np.nan)
    return [pd.DataFrame(values[k], index=names, columns=list(columns)) for k in range(len(windows))]
