"""The channel scorecard: each channel's volumes and figures (from the catalogue), budget, primary metric,
status, trend and pacing; and the same volumes and ratios per campaign."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS, NO_TARGET, NOT_TRACKED, UNDER
from mops_xl.analysis.blocks.thresholds import Thresholds
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.blocks.wording import percent, threshold
from mops_xl.analysis.figures.budget.pacing import TotalPacing
from mops_xl.analysis.figures.performance import with_ratios
from mops_xl.analysis.figures.targets import CHANNEL_TARGET, attainment, primary_metric, status, target_to_date
from mops_xl.analysis.figures.trend import channel_trends
from mops_xl.analysis.figures.volumes import VOLUMES
from mops_xl.intake.model import TRACKABLE

#: The Channels sheet columns the scorecard carries.
CHANNEL_INFO = (
    "Role",
    "Funnel stage",
    "Target audience",
    "Owner",
    "Expected CAC",
    "Locked",
    "Minimum spend",
    "Maximum spend",
)


@dataclass(frozen=True)
class ChannelInputs:
    """What the scorecard is built from besides the volumes.

    Args:
        info: The Channels sheet indexed by channel.
        paid: Channel → paid media.
        budget: Channel → its budget for the period.
        pacing: Channel pacing (:func:`~mops_xl.analysis.figures.budget.pacing.channel_pacing`).
        targets: The Targets sheet by (metric, channel).
        business: The Business values.
    """

    info: pd.DataFrame
    paid: pd.Series
    budget: pd.Series
    pacing: pd.DataFrame
    targets: dict[tuple[str, str | None], float]
    business: dict[str, Any]


def scorecard(
    *,
    volumes: pd.DataFrame,
    total_spend: float,
    inputs: ChannelInputs,
    actuals: pd.DataFrame,
    window: ReportingWindow,
    settings: dict[str, Any],
    thresholds: Thresholds,
    has_data: bool,
    tracking: Tracking,
    cycles: Mapping[str, int] | None = None,
    lagging: Mapping[str, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Build the channel scorecard.

    Args:
        volumes: Summed volumes to date, indexed by channel (NaN where not tracked).
        total_spend: All spend to date.
        inputs: The channel's sheet values, budget, pacing and targets.
        actuals: The Actuals table (all dates: the trend reaches before the period).
        window: The reporting window.
        settings: The Settings values (trend window and band).
        thresholds: The trigger thresholds.
        has_data: Whether any Actuals row falls in the window.
        tracking: What the intake tracks.
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only (their trend
            compares whole cycles).
        lagging: Channel → its last data date, for the channels whose rows stop early (their trend ends there).

    Returns:
        Indexed by channel (named "Channel").
    """
    names = list(volumes.index)
    card = catalogue.current().per_channel(volumes, inputs.business)
    for col in CHANNEL_INFO:
        card[col] = inputs.info[col].reindex(names).to_numpy()
    card["CAC target"] = [CHANNEL_TARGET.compute(inputs.targets, "CAC", ch) for ch in names]
    card["Paid"] = inputs.paid.reindex(names).to_numpy()
    card["Budget for period"] = inputs.budget
    total_budget = float(inputs.budget.sum())
    card["Budget %"] = inputs.budget / total_budget if total_budget else math.nan
    card["Spend share"] = volumes["Spend"] / total_spend if total_spend else math.nan
    _judge_channels(
        card, targets=inputs.targets, thresholds=thresholds, window=window, has_data=has_data, tracking=tracking
    )
    trends = _trends(actuals, card, window, settings, tracking, cycles, lagging)
    card = card.join(trends[["Trend metric", "Trend %", "Trend", "Trend verdict"]]).join(
        trends[["Recent", "Prior"]].rename(columns={"Recent": "Trend recent", "Prior": "Trend prior"})
    )
    by_channel_pace = inputs.pacing
    card["Expected to date"] = by_channel_pace["Expected to date"]
    card["Pacing actual"] = by_channel_pace["Actual"].fillna(0.0)
    card["Pace"] = by_channel_pace["Pace"]
    card["Pacing status"] = by_channel_pace["Status"]
    card["Projected variance"] = by_channel_pace["Variance"].fillna(0.0)
    card["Daily spend to land on budget"] = by_channel_pace["Daily spend to land on budget"]
    card.index.name = "Channel"
    return card


def underspending(card: pd.DataFrame, total: TotalPacing, t: Thresholds) -> list[dict[str, str]]:
    """The underspending warnings: each channel, and all channels (the overall pace), below 2 − the
    overspending threshold of the budget pace.

    Args:
        card: The channel scorecard.
        total: The total pace.
        t: The thresholds.

    Returns:
        One ``{"subject", "warning"}`` per subject under pace.
    """
    paces = [(str(ch), c["Pace"], c["Pacing status"]) for ch, c in card.iterrows()]
    return [
        {
            "subject": subject,
            "warning": f"Underspending: pace {percent(pace)} is below {threshold(2 - t.overspending)} of the budget "
            "pace",
        }
        for subject, pace, state in [*paces, (ALL_CHANNELS, total.pace, total.status)]
        if state == UNDER
    ]


#: The scorecard columns that say how each channel is judged.
JUDGED_COLUMNS = (
    "Primary metric",
    "Primary target",
    "Primary source",
    "Primary target to date",
    "Primary actual",
    "Attainment",
    "Status",
)


def _judge_channels(
    card: pd.DataFrame,
    *,
    targets: dict[tuple[str, str | None], float],
    thresholds: Thresholds,
    window: ReportingWindow,
    has_data: bool,
    tracking: Tracking,
) -> None:
    """Add each channel's primary metric, its target (for the period and to date), attainment and status (Not
    tracked where the channel does not track what its primary metric needs)."""
    t = thresholds
    judged: list[tuple[Any, ...]] = []
    for ch, c in card.iterrows():
        primary = primary_metric(str(ch), targets, c["Expected CAC"])
        if primary is None:
            judged.append((None, math.nan, None, math.nan, math.nan, math.nan, NO_TARGET))
            continue
        m, tgt, src = primary
        value = float(c[m])
        so_far = target_to_date(m, tgt, window.elapsed_days, window.period_days)
        a = attainment(m, value, so_far)
        verdict = status(a, t.underperforming, t.high_performer, has_data=has_data and not math.isnan(value))
        judged.append((m, tgt, src, so_far, value, a, verdict if tracking.channel(str(ch), m) else NOT_TRACKED))
    for i, column in enumerate(JUDGED_COLUMNS):
        card[column] = [row[i] for row in judged]


def _trends(
    actuals: pd.DataFrame,
    card: pd.DataFrame,
    window: ReportingWindow,
    s: dict[str, Any],
    tracking: Tracking,
    cycles: Mapping[str, int] | None,
    lagging: Mapping[str, pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Each channel's trend (docs/metrics.md, "Trend"); Not tracked where its trend metric is not tracked."""
    trends = channel_trends(
        actuals,
        card["Primary metric"].where(card["Primary metric"] != "Leads"),
        window.as_of,
        s["Trend window"],
        s["Trend band"],
        cycles,
        lagging,
    )
    for ch, tr in trends.iterrows():
        if not tracking.channel(ch, tr["Trend metric"]):
            trends.loc[ch, ["Recent", "Prior", "Trend %"]] = math.nan
            trends.loc[ch, ["Trend", "Trend verdict"]] = NOT_TRACKED
    return trends


def campaign_figures(rows: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Volumes and ratios per channel and campaign to date; a volume is NaN (Not tracked) for a campaign whose
    Actuals rows, on any date, all leave it blank.

    Args:
        rows: The Actuals rows in the window.
        actuals: Every Actuals row (what each campaign tracks).

    Returns:
        Indexed by (Channel, Campaign).
    """
    with_campaign = rows[rows["Campaign"].notna()]
    sums = with_campaign.groupby(["Channel", "Campaign"], sort=True)[list(VOLUMES)].sum().astype("float64")
    if not sums.empty:  # no campaign in the window: nothing to mark Not tracked
        named = actuals[actuals["Campaign"].notna()]
        given = named[list(TRACKABLE)].notna().groupby([named["Channel"], named["Campaign"]]).any()
        sums[list(TRACKABLE)] = sums[list(TRACKABLE)].where(given.reindex(sums.index, fill_value=False))
    return with_ratios(sums)
