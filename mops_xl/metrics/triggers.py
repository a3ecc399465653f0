"""Optimization triggers, the pacing × efficiency decision grid, and the budget needed to hit target.

All functions read the per-channel scorecard the engine assembles (see :mod:`mops_xl.metrics.engine`): one row
per channel with its spend to date, primary metric, attainment, pacing and money columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mops_xl.metrics.pacing import TotalPacing
from mops_xl.metrics.statuses import (
    ALL_CHANNELS,
    BELOW_TARGET,
    EFFICIENT,
    FIX_PAUSE,
    FREE_BUDGET,
    HOLD,
    NO_BUDGET,
    NOT_ENOUGH_DATA,
    NOT_STARTED,
    ON,
    OVER,
    ROLL_OUT,
    SCALE,
    THROTTLE,
    UNDER,
)
from mops_xl.metrics.statuses import (
    UNDERPERFORMING as UNDERPERFORMING_BAND,
)
from mops_xl.metrics.wording import money

TRIGGER_COLUMNS = ("Trigger", "Subject", "Metric", "Threshold", "Evidence", "Action", "Amount", "Owner", "Priority")
UNDERPERFORMING, OVERSPENDING, HIGH_PERFORMER, AB_WINNER = (
    "Underperforming channel",
    "Overspending",
    "High performer",
    "A/B winner",
)
#: What each trigger asks for (the Overspending action goes on with the daily cap; the A/B winner's is Roll out).
PAUSE_OR_ADJUST, INCREASE_ALLOCATION = "Pause or adjust", "Increase allocation"


@dataclass(frozen=True)
class Thresholds:
    """The four trigger thresholds (Settings sheet).

    Args:
        underperforming: Attainment below this fires "Pause or adjust" (e.g. 0.8).
        overspending: Pace above this fires "Throttle" (e.g. 1.1).
        high_performer: Attainment at or above 1 + this fires "Increase allocation" (e.g. 0.2).
        significance: Confidence for an A/B winner (e.g. 0.95).
        minimum_spend: Channels that spent less to date are not judged as under- or high performers.
    """

    underperforming: float
    overspending: float
    high_performer: float
    significance: float
    minimum_spend: float


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _evidence(card: pd.Series) -> str:
    """The numbers behind an attainment trigger, the actual against the target it was compared with: the
    target to date for a Leads target (with the period's target beside it), the target itself for a ratio."""
    target, so_far = card["Primary target"], card["Primary target to date"]
    against = f"{card['Primary source']} {target:,.2f}"
    if so_far != target:
        against = f"{card['Primary source']} {so_far:,.2f} to date ({target:,.2f} for the period)"
    return f"{card['Primary metric']} {card['Primary actual']:,.2f} vs {against}: attainment {_pct(card['Attainment'])}"


def remaining_spend(card: pd.Series, elapsed_days: int, period_days: int) -> float:
    """The money a channel is still set to spend this period: budget for the period − spend to date (≥ 0),
    or, for a channel without budget, its spend to date run on at the same daily rate.

    Args:
        card: One scorecard row.
        elapsed_days: d.
        period_days: D.

    Returns:
        The amount.
    """
    if card["Budget for period"] > 0:
        return max(card["Budget for period"] - card["Spend"], 0.0)
    return card["Spend"] * (period_days - elapsed_days) / elapsed_days


def channel_triggers(
    scorecard: pd.DataFrame, t: Thresholds, elapsed_days: int, period_days: int, currency: str = ""
) -> list[dict]:
    """Fire triggers 1-3 (underperforming, overspending, high performer) for every channel.

    Args:
        scorecard: The per-channel scorecard.
        t: The thresholds.
        elapsed_days: d.
        period_days: D.
        currency: The currency prefix of the amounts the actions name (e.g. "$").

    Returns:
        One dict per fired trigger, keys :data:`TRIGGER_COLUMNS` (Priority left blank).
    """
    fired = []
    for channel, card in scorecard.iterrows():
        owner = card["Owner"] if isinstance(card["Owner"], str) else ""
        att = card["Attainment"]
        judged = card["Spend"] >= t.minimum_spend and not math.isnan(att)
        metric = card["Primary metric"]
        if judged and att < t.underperforming:
            fired.append(
                {
                    "Trigger": UNDERPERFORMING,
                    "Subject": channel,
                    "Metric": metric,
                    "Threshold": f"attainment < {_pct(t.underperforming)}",
                    "Evidence": _evidence(card),
                    "Action": PAUSE_OR_ADJUST,
                    "Amount": remaining_spend(card, elapsed_days, period_days),
                    "Owner": owner,
                }
            )
        if card["Pacing status"] == OVER:
            cap = card["Daily spend to land on budget"]
            if math.isnan(cap):
                cap_text = "the budget line has ended"
            elif cap <= 0:
                cap_text = "the budget is already spent; pause until the next budget line"
            else:
                cap_text = f"cap daily spend at {money(cap, currency)} to land on budget"
            fired.append(
                {
                    "Trigger": OVERSPENDING,
                    "Subject": channel,
                    "Metric": "Pace",
                    "Threshold": f"pace > {_pct(t.overspending)}",
                    "Evidence": f"spent {_money(card['Pacing actual'])} vs {_money(card['Expected to date'])} expected "
                    f"to date: pace {_pct(card['Pace'])}"
                    if not math.isnan(card["Pace"])
                    else f"spent {_money(card['Pacing actual'])} against a zero budget",
                    "Action": f"{THROTTLE}: {cap_text}",
                    "Amount": max(card["Projected variance"], 0.0),
                    "Owner": owner,
                }
            )
        if judged and att >= 1 + t.high_performer:
            base = remaining_spend(card, elapsed_days, period_days)
            fired.append(
                {
                    "Trigger": HIGH_PERFORMER,
                    "Subject": channel,
                    "Metric": metric,
                    "Threshold": f"attainment ≥ {_pct(1 + t.high_performer)}",
                    "Evidence": _evidence(card),
                    "Action": INCREASE_ALLOCATION,
                    "Amount": base * min(att - 1, 1.0),
                    "Owner": owner,
                }
            )
    return fired


def total_triggers(total: TotalPacing, t: Thresholds, currency: str = "") -> list[dict]:
    """Fire trigger 2 (overspending) for all channels together, on the total pace (docs/metrics.md, "Budget
    pacing"): all spend to date, unbudgeted spend included, against every line's expected spend to date.

    Args:
        total: The total pacing.
        t: The thresholds.
        currency: The currency prefix of the amount the action names (e.g. "$").

    Returns:
        The fired trigger (a list of one), or an empty list.
    """
    if total.status != OVER:
        return []
    cap = total.daily_to_land
    if math.isnan(cap):
        cap_text = "the period has no days left"
    elif cap <= 0:
        cap_text = "the budget for the period is already spent; " + (
            "stop the spend no budget line covers" if total.unbudgeted > 0 else "pause until the next period"
        )
    else:
        cap_text = f"cap all channels' daily spend at {money(cap, currency)} to land on the budget for the period"
    evidence = (
        f"spent {_money(total.spend)} (all channels, {_money(total.unbudgeted)} of it outside any budget line) vs "
        + (
            f"{_money(total.expected)} budget to date: pace {total.pace:.1%}; projected {_money(total.projected)} "
            f"vs a budget of {_money(total.budget)}"
            if not math.isnan(total.pace)
            else "a zero budget to date"
        )
    )
    return [
        {
            "Trigger": OVERSPENDING,
            "Subject": ALL_CHANNELS,
            "Metric": "Pace",
            "Threshold": f"pace > {_pct(t.overspending)}",
            "Evidence": evidence,
            "Action": f"Throttle: {cap_text}",
            "Amount": total.projected_overspend,
            "Owner": "",
        }
    ]


def experiment_triggers(results: pd.DataFrame, significance: float, owners: dict[str, str]) -> list[dict]:
    """Fire trigger 4 (A/B winner) for every variant whose decision is "Roll out".

    Args:
        results: The per-variant experiment results.
        significance: The A/B significance level.
        owners: Channel → owner (an experiment's owner is its channel's owner).

    Returns:
        One dict per fired trigger.
    """
    fired = []
    if results.empty:
        return fired
    for _, v in results[results["Decision"] == ROLL_OUT].iterrows():
        channel = v.get("Channel")
        fired.append(
            {
                "Trigger": AB_WINNER,
                "Subject": f"{v['Experiment']}: {v['Variant']}",
                "Metric": "Conversion rate",
                "Threshold": f"adjusted p < {1 - significance:.2g}",
                "Evidence": f"{v['Rate']:.2%} vs control {v['Rate'] - v['Lift']:.2%} "
                f"(lift {v['Relative lift']:+.1%}, adjusted p = {v['P adjusted']:.2g})",
                "Action": ROLL_OUT,
                "Amount": math.nan,
                "Owner": owners.get(channel, "") if isinstance(channel, str) else "",
            }
        )
    return fired


def prioritise(fired: list[dict]) -> pd.DataFrame:
    """Order triggers by the money at stake, largest first (those without an amount last), and number them.

    Args:
        fired: Trigger dicts.

    Returns:
        A DataFrame with columns :data:`TRIGGER_COLUMNS`.
    """
    frame = pd.DataFrame(fired, columns=list(TRIGGER_COLUMNS))
    if frame.empty:
        return frame
    frame["_key"] = frame["Amount"].fillna(-1.0)
    frame = frame.sort_values("_key", ascending=False, kind="stable").drop(columns="_key").reset_index(drop=True)
    frame["Priority"] = range(1, len(frame) + 1)
    return frame


GRID = {
    (OVER, EFFICIENT): (SCALE, "spending ahead of plan and beating target: fund the extra spend"),
    (OVER, BELOW_TARGET): (THROTTLE, "spending ahead of plan without beating target"),
    (OVER, UNDERPERFORMING_BAND): (FIX_PAUSE, "spending ahead of plan while underperforming"),
    (ON, EFFICIENT): (HOLD, "on plan and beating target"),
    (ON, BELOW_TARGET): (HOLD, "on plan, a little below target: watch"),
    (ON, UNDERPERFORMING_BAND): (FIX_PAUSE, "on plan but underperforming"),
    (UNDER, EFFICIENT): (SCALE, "beating target with budget left: spend it"),
    (UNDER, BELOW_TARGET): (HOLD, "behind plan and a little below target"),
    (UNDER, UNDERPERFORMING_BAND): (FREE_BUDGET, "behind plan and underperforming: move its unspent budget"),
}


#: Why a channel is "Not enough data" on the grid (the grid's formulas write the same words).
NO_BUDGET_REASON, NO_TARGET_REASON = "no budget line running", "no target to judge by"


def efficiency_band(attainment: float, underperforming: float) -> str | None:
    """Bucket a primary-metric attainment: efficient (≥ 1), below target, or underperforming.

    Args:
        attainment: The attainment (NaN when undefined).
        underperforming: The Underperforming threshold.

    Returns:
        The band, or None when undefined.
    """
    if math.isnan(attainment):
        return None
    if attainment >= 1:
        return EFFICIENT
    return BELOW_TARGET if attainment >= underperforming else UNDERPERFORMING_BAND


def decision_grid(scorecard: pd.DataFrame, underperforming: float) -> pd.DataFrame:
    """Place each channel on the pacing × efficiency grid.

    Args:
        scorecard: The per-channel scorecard.
        underperforming: The Underperforming threshold.

    Returns:
        Indexed by channel: Pacing, Efficiency, Decision, Reason.
    """
    rows = []
    for channel, card in scorecard.iterrows():
        pacing = card["Pacing status"]
        band = efficiency_band(card["Attainment"], underperforming)
        if pacing in (NO_BUDGET, NOT_STARTED) or band is None:
            why = NO_BUDGET_REASON if pacing in (NO_BUDGET, NOT_STARTED) else NO_TARGET_REASON
            decision, reason = NOT_ENOUGH_DATA, why
        else:
            decision, reason = GRID[(pacing, band)]
        rows.append(
            {"Channel": channel, "Pacing": pacing, "Efficiency": band or "–", "Decision": decision, "Reason": reason}
        )
    return pd.DataFrame(rows, columns=["Channel", "Pacing", "Efficiency", "Decision", "Reason"]).set_index("Channel")


def budget_needed(metric: str, target: float, actual: float, spend: float, budget: float) -> tuple[float, float, str]:
    """The spend that reaches a volume target by period end at the current cost per unit.

    Needed = target × spend to date ÷ actual to date; gap = needed − budget for the period.

    Args:
        metric: The volume (Leads, MQLs, SQLs, Customers, Revenue).
        target: The target for the whole period.
        actual: The volume to date.
        spend: Spend to date.
        budget: The budget for the period.

    Returns:
        ``(needed, gap, reason)``: NaNs with a reason when the cost per unit is undefined.
    """
    if spend <= 0:
        return math.nan, math.nan, "no spend to date: the volume does not come from spend"
    if actual <= 0:
        return math.nan, math.nan, f"no {metric} to date: cost per unit unknown"
    needed = target * spend / actual
    return needed, needed - budget, ""
