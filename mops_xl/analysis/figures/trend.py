"""The trend: a channel's primary metric over the last W days against the W days before (for a channel that spends
on some days only, W rounded up to whole cycles of its spending: fortnight against fortnight). The last W days end
on Report as of, or for a lagging channel (its rows stop early) on its last data date: its missing days are not a
fall.

The arrow says which way the number moved (↑ rose, ↓ fell, → within the Trend band); the verdict says whether
that is good for the metric (a CAC that rose is Worsening, a ROAS that rose is Improving).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.cycles import judging_days
from mops_xl.analysis.blocks.statuses import FELL, FLAT, IMPROVING, NO_TREND, ROSE, STEADY, WORSENING
from mops_xl.analysis.figures.periods import TREND_CHANGE, TREND_METRIC, TREND_WINDOWS

TREND_COLUMNS = ("Trend metric", "Recent", "Prior", "Trend %", "Trend", "Trend verdict")


def metric_value(sums: pd.DataFrame, metric: str | None, days: int) -> pd.Series:
    """Evaluate a channel's trend metric from summed volumes: a ratio of sums, or leads per day.

    Args:
        sums: Summed volumes indexed by channel.
        metric: A ratio name (e.g. "ROAS", "CAC"), or None / a volume for leads per day.
        days: The window length (for leads per day).

    Returns:
        Channel → value (NaN where undefined).
    """
    return TREND_METRIC.compute(sums, metric, days)


def channel_trends(
    actuals: pd.DataFrame,
    metrics: pd.Series,
    as_of: pd.Timestamp,
    window_days: int,
    band: float,
    cycles: Mapping[str, int] | None = None,
    data_through: Mapping[str, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Compare each channel's metric over [A − W + 1, A] with [A − 2W + 1, A − W]; a lumpy channel's W is rounded
    up to whole cycles of its spending (fortnight against fortnight, not day by day); a lagging channel's A is its
    last data date.

    Args:
        actuals: The Actuals table (all dates; the earlier window may reach before the period).
        metrics: Channel → its trend metric name ("ROAS", "CAC", … or None for leads per day).
        as_of: A, Report as of.
        window_days: W, the Trend window setting.
        band: The Trend band setting (e.g. 0.05).
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only (see
            :func:`~mops_xl.analysis.blocks.cycles.lumpy_channels`); none when omitted.
        data_through: Channel → its last data date, for the lagging channels (see
            :func:`~mops_xl.analysis.blocks.data_dates.lagging_channels`); none when omitted.

    Returns:
        Indexed by channel, :data:`TREND_COLUMNS`: Trend metric, Recent, Prior, Trend % (relative change of the
        metric), Trend (the arrow: ↑ rose by more than the band, ↓ fell by more, → otherwise; – when a window
        has no rows for the channel or the metric is undefined in either window or the prior value is 0) and
        Trend verdict (:func:`verdict`).
    """
    channels = list(metrics.index)
    days = pd.Series([judging_days(window_days, (cycles or {}).get(str(ch))) for ch in channels], index=channels)
    ends = pd.Series([(data_through or {}).get(str(ch), as_of) for ch in channels], index=channels)
    judged_alike = pd.MultiIndex.from_arrays([days, ends]).unique()  # one pass per window length and last day
    windows = pd.concat(
        [_window_values(actuals, metrics[(days == n) & (ends == end)], end, int(n)) for n, end in judged_alike]
        or [_NO_WINDOWS]
    ).reindex(channels)
    out = []
    for ch, metric in zip(channels, metrics, strict=True):
        rv, pv, rn, pn = windows.loc[ch, ["Recent", "Prior", "Recent rows", "Prior rows"]]
        change = TREND_CHANGE.compute(rv, pv, int(rn), int(pn))
        out.append(
            {
                "Channel": ch,
                "Trend metric": metric or "Leads per day",
                "Recent": rv,
                "Prior": pv,
                "Trend %": change,
                "Trend": arrow(change, band),
                "Trend verdict": verdict(change, band, lower_is_better=metric in catalogue.current().lower_is_better),
            }
        )
    return pd.DataFrame(out, columns=["Channel", *TREND_COLUMNS]).set_index("Channel")


#: No channel: the columns of :func:`_window_values`.
_NO_WINDOWS = pd.DataFrame(columns=["Recent", "Prior", "Recent rows", "Prior rows"], dtype="float64")


def _window_values(actuals: pd.DataFrame, metrics: pd.Series, as_of: pd.Timestamp, days: int) -> pd.DataFrame:
    """The trend metric of channels judged over windows of the same length, over the recent and the prior window,
    with the channels' Actuals rows in each.

    Args:
        actuals: The Actuals table (all dates).
        metrics: Channel → its trend metric name (None for leads per day).
        as_of: A, Report as of.
        days: The windows' length.

    Returns:
        Indexed by channel: Recent, Prior, Recent rows, Prior rows.
    """
    (recent_start, _), (prior_start, prior_end) = TREND_WINDOWS.compute(as_of, days)
    channels = list(metrics.index)
    cols = ["Spend", "Leads", "Customers", "Revenue", "Clicks", "Impressions", "MQLs", "SQLs"]

    def sums(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.DataFrame, pd.Series]:
        rows = actuals[(actuals["Date"] >= first) & (actuals["Date"] <= last)]
        grouped = rows.groupby("Channel")
        return (
            grouped[cols].sum().astype("float64").reindex(channels, fill_value=0.0),
            grouped.size().reindex(channels, fill_value=0),
        )

    recent, recent_n = sums(recent_start, as_of)
    prior, prior_n = sums(prior_start, prior_end)
    r = pd.Series(math.nan, index=recent.index, dtype="float64")
    p = pd.Series(math.nan, index=recent.index, dtype="float64")
    by_metric = pd.Series(metrics.to_numpy(dtype=object), index=recent.index).fillna("")
    for metric, group in by_metric.groupby(by_metric, sort=False).groups.items():  # one pass per metric, not channel
        name = metric or None
        r.loc[group] = metric_value(recent.loc[group], name, days).to_numpy(dtype="float64")
        p.loc[group] = metric_value(prior.loc[group], name, days).to_numpy(dtype="float64")
    return pd.DataFrame(
        {"Recent": r, "Prior": p, "Recent rows": recent_n.to_numpy(), "Prior rows": prior_n.to_numpy()},
        index=recent.index,
    )


def arrow(change: float, band: float) -> str:
    """Which way a number moved: ↑ when it rose by more than the band, ↓ when it fell by more, → otherwise.

    Args:
        change: The relative change (NaN when undefined).
        band: The Trend band setting (e.g. 0.05).

    Returns:
        "↑", "↓", "→", or "–" when the change is undefined.
    """
    if math.isnan(change):
        return NO_TREND
    return ROSE if change > band else FELL if change < -band else FLAT


def verdict(change: float, band: float, *, lower_is_better: bool) -> str:
    """Whether a move is good for the metric: a rise beyond the band is Improving for a higher-is-better metric
    (ROAS, leads per day) and Worsening for a lower-is-better one (CAC, CPL); a fall the other way round.

    Args:
        change: The relative change (NaN when undefined).
        band: The Trend band setting.
        lower_is_better: True for CAC and CPL.

    Returns:
        "Improving", "Worsening", "Steady" (within the band), or "–" when the change is undefined.
    """
    if math.isnan(change):
        return NO_TREND
    better = -change if lower_is_better else change
    return IMPROVING if better > band else WORSENING if better < -band else STEADY
