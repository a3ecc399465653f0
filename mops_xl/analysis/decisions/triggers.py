"""The signals the Settings thresholds fire, and the budget needed to hit target.

The signals (underperforming, overspending, high performer, A/B winner) are the evidence of the one action each
channel gets (:mod:`mops_xl.analysis.decisions.recommendations`); nothing shows them as actions of their own. All
functions
read the per-channel scorecard the engine assembles (see :mod:`mops_xl.analysis.engine`): one row per channel with
its spend to date, primary metric, attainment, pacing and money columns.
"""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.blocks.cycles import per_cycle
from mops_xl.analysis.blocks.statuses import BELOW_TARGET, EFFICIENT
from mops_xl.analysis.blocks.statuses import UNDERPERFORMING as UNDERPERFORMING_BAND
from mops_xl.analysis.blocks.wording import figure, money, p_value, percent, redone
from mops_xl.analysis.figures.budget.pacing import TotalPacing

#: The four signals the Settings thresholds fire (docs/metrics.md, "Recommendations"): each is evidence for the one
#: action a subject gets, never an action of its own.
UNDERPERFORMING, OVERSPENDING, HIGH_PERFORMER, AB_WINNER = (
    "Underperforming channel",
    "Overspending",
    "High performer",
    "A/B winner",
)


def efficiency_evidence(card: pd.Series, prefix: str) -> str:
    """The numbers behind a channel's efficiency, the actual against the target it was compared with: the
    target to date for a Leads target (with the period's target beside it), the target itself for a ratio.

    Args:
        card: One scorecard row with a primary metric.
        prefix: The currency prefix.

    Returns:
        E.g. "CAC $6,856 vs CAC target $3,500: attainment 51.1%".
    """
    metric = card["Primary metric"]
    target, so_far = card["Primary target"], card["Primary target to date"]
    so_far_text, actual = redone(metric, so_far, card["Primary actual"], card["Attainment"], prefix)
    against = f"{card['Primary source']} {so_far_text}"
    if so_far != target:
        against = f"{card['Primary source']} {so_far_text} to date ({figure(metric, target, prefix)} for the period)"
    return f"{metric} {actual} vs {against}: attainment {percent(card['Attainment'])}"


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


def channel_cap(card: pd.Series, prefix: str, cycle: int | None = None) -> str:
    """What an over-pace channel does to land on its budget: the daily cap of its lines, or for a channel that
    spends on some days only, the cap per cycle (the daily cap × its cycle).

    Args:
        card: One scorecard row (Daily spend to land on budget).
        prefix: The currency prefix.
        cycle: The channel's spend cycle in days when it spends on some days only, else None.

    Returns:
        E.g. "cap daily spend at $351 to land on budget", or "cap spend at $1,400 a fortnight to land on budget".
    """
    cap = card["Daily spend to land on budget"]
    if math.isnan(cap):
        return "its budget line has ended"
    if cap <= 0:
        return "its budget is already spent: pause until the next budget line"
    if cycle and cycle > 1:
        return f"cap spend at {money(cap * cycle, prefix)} {per_cycle(cycle)} to land on budget"
    return f"cap daily spend at {money(cap, prefix)} to land on budget"


def pace_evidence(card: pd.Series, prefix: str) -> str:
    """The numbers behind a channel's pacing status.

    Args:
        card: One scorecard row (Pacing actual, Expected to date, Pace, Pacing status).
        prefix: The currency prefix.

    Returns:
        E.g. "spent $47,989 vs $43,043 expected to date: pace 111.5% (Over pace)".
    """
    if math.isnan(card["Pace"]):
        return f"spent {money(card['Pacing actual'], prefix)} against a zero budget to date ({card['Pacing status']})"
    return (
        f"spent {money(card['Pacing actual'], prefix)} vs {money(card['Expected to date'], prefix)} expected to date: "
        f"pace {percent(card['Pace'])} ({card['Pacing status']})"
    )


def total_overspend(total: TotalPacing, prefix: str) -> tuple[str, str]:
    """The evidence and the cap of all channels together when the total pace is Over pace (docs/metrics.md,
    "Budget pacing"): all spend to date, unbudgeted spend included, against every line's expected spend to date.

    Args:
        total: The total pacing.
        prefix: The currency prefix.

    Returns:
        ``(evidence, what to do)``.
    """
    cap = total.daily_to_land
    if math.isnan(cap):
        cap_text = "the period has no days left"
    elif cap <= 0:
        cap_text = "the budget for the period is already spent; " + (
            "stop the spend no budget line covers" if total.unbudgeted > 0 else "pause until the next period"
        )
    else:
        cap_text = f"cap all channels' daily spend at {money(cap, prefix)} to land on the budget for the period"
    spent, outside = money(total.spend, prefix), money(total.unbudgeted, prefix)
    if math.isnan(total.pace):
        against = "a zero budget to date"
    else:
        against = (
            f"{money(total.expected, prefix)} budget to date: pace {percent(total.pace)}; at today's pace "
            f"{money(total.projected, prefix)} by period end vs a budget of {money(total.budget, prefix)}"
        )
    evidence = f"spent {spent} (all channels, {outside} of it outside any budget line) vs {against}"
    return evidence, cap_text


def experiment_evidence(variant: pd.Series) -> str:
    """The numbers behind an A/B winner.

    Args:
        variant: One row of the experiment results whose decision is Roll out.

    Returns:
        E.g. "7.0% vs control 5.0% (lift +40.0%, adjusted p = 0.049)".
    """
    control = variant["Rate"] - variant["Lift"]
    lift = percent(variant["Relative lift"], signed=True)
    p = p_value(variant["P adjusted"])
    p = p if p.startswith("<") else f"= {p}"
    return f"{percent(variant['Rate'])} vs control {percent(control)} (lift {lift}, adjusted p {p})"


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
