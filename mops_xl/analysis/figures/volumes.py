"""Volumes: sums of the Actuals columns over a date window, blended and per channel."""

from __future__ import annotations

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
        sums = sums.where(mask)
    return sums
