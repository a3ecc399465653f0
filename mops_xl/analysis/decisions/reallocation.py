"""What the plan for the rest of the period prices and bounds its moves with (docs/metrics.md, "Budget
reallocation plan"): the guard rails, attributed efficiency, whether a channel is a brand or retention channel, how
much may leave or enter a channel, the CAC and ROAS the moves are priced with, and the what-if over proposed budgets.
The plan itself is :mod:`~mops_xl.analysis.decisions.period_plan`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mops_xl.analysis.decisions.what_if_figures import (
    CHANGE,
    EXPECTED_CUSTOMERS,
    EXPECTED_REVENUE,
    WHAT_IF_COLUMNS,
)

#: A channel needs at least this many attributed conversions for attribution to judge it.
MIN_ATTRIBUTED_CONVERSIONS = 5
#: A channel in this funnel stage, or whose Role mentions "brand", is a brand/retention channel.
RETENTION_STAGE = "Retention"
#: One row per move of budget between two channels.
PLAN_COLUMNS = (
    "From",
    "To",
    "Budget to move this period",
    "Reason",
    "Net expected customers",
    "Net expected revenue",
)


@dataclass(frozen=True)
class GuardRails:
    """The limits of the plan.

    Args:
        max_shift: The largest share of a channel's budget moved per period (Maximum budget shift).
    """

    max_shift: float


def attributed_efficiency(card: pd.DataFrame, conversions: pd.Series, value: pd.Series) -> pd.DataFrame:
    """Attributed CAC and ROAS per channel under one model: spend to date ÷ credited conversions, credited
    value ÷ spend to date.

    Args:
        card: The channel scorecard (Spend).
        conversions: Channel → credited conversions.
        value: Channel → credited value.

    Returns:
        Indexed by channel: Attributed conversions, Attributed value, Attributed CAC, Attributed ROAS (NaN
        where undefined).
    """
    conv = conversions.reindex(card.index, fill_value=0.0).astype(float)
    val = value.reindex(card.index, fill_value=0.0).astype(float)
    spend = card["Spend"].astype(float)
    return pd.DataFrame(
        {
            "Attributed conversions": conv,
            "Attributed value": val,
            "Attributed CAC": spend.div(conv.where(conv > 0)).where(spend > 0),
            "Attributed ROAS": val.div(spend.where(spend > 0)),
        }
    )


def is_brand(c: pd.Series) -> bool:
    """Whether a channel is a brand or retention channel (never cut without a Minimum spend).

    Args:
        c: One scorecard row (Funnel stage, Role).

    Returns:
        True for Funnel stage Retention or a Role mentioning "brand".
    """
    return c["Funnel stage"] == RETENTION_STAGE or "brand" in str(c["Role"] or "").lower()


def room_out(c: pd.Series, rails: GuardRails) -> float:
    """How much budget may leave a channel this period: at most the maximum shift of its budget, never more than
    its unspent budget, never below its Minimum spend; nothing from a brand/retention channel without one.

    Args:
        c: One scorecard row (Budget for period, Spend, Minimum spend, Funnel stage, Role).
        rails: The guard rails.

    Returns:
        The amount (≥ 0).
    """
    budget = float(c["Budget for period"])
    floor = None if pd.isna(c["Minimum spend"]) else float(c["Minimum spend"])
    if is_brand(c) and floor is None:
        return 0.0
    room = min(rails.max_shift * budget, max(budget - float(c["Spend"]), 0.0))
    return max(min(room, budget - floor), 0.0) if floor is not None else max(room, 0.0)


def room_in(c: pd.Series) -> float:
    """How much budget a channel may receive: up to its Maximum spend (no limit without one).

    Args:
        c: One scorecard row (Budget for period, Maximum spend).

    Returns:
        The amount (≥ 0, inf without a Maximum spend).
    """
    ceiling = c["Maximum spend"]
    return math.inf if pd.isna(ceiling) else max(float(ceiling) - float(c["Budget for period"]), 0.0)


def plan_efficiency(card: pd.DataFrame, attributed: pd.DataFrame, use_attribution: bool) -> pd.DataFrame:
    """The CAC and ROAS the plan prices moves with: attributed under the chosen model when attribution is used,
    else the channels' own (Channel Performance).

    Args:
        card: The channel scorecard (CAC, ROAS).
        attributed: Attributed CAC and ROAS per channel (output of :func:`attributed_efficiency`; may be empty).
        use_attribution: Whether the plan uses attribution.

    Returns:
        Indexed by channel: CAC used (undefined where it is 0: no spend prices nothing), ROAS used.
    """
    if use_attribution and not attributed.empty:
        cac, roas = attributed["Attributed CAC"], attributed["Attributed ROAS"]
    else:
        cac, roas = card["CAC"], card["ROAS"]
    cac = cac.reindex(card.index).astype(float)
    return pd.DataFrame({"CAC used": cac.where(cac > 0), "ROAS used": roas.reindex(card.index).astype(float)})


def what_if(card: pd.DataFrame, efficiency: pd.DataFrame, change: dict[str, float]) -> pd.DataFrame:
    """The plan's effect per channel: its budget for the period moved by this period's amounts, and the
    customers and revenue the change is expected to bring (docs/metrics.md, "What-if").

    Expected extra customers = change × (0.5 if positive, else 1) ÷ CAC used; expected extra revenue =
    change × (0.5 if positive, else 1) × ROAS used; undefined where the figure used is (the definitions of
    :mod:`~mops_xl.analysis.decisions.what_if_figures`, which the report writes as formulas too).

    Args:
        card: The channel scorecard (Budget for period), every channel in order.
        efficiency: CAC used and ROAS used per channel (output of :func:`plan_efficiency`).
        change: Channel → budget to move this period (the plan's :attr:`Plan.change`).

    Returns:
        Indexed by channel, columns :data:`WHAT_IF_COLUMNS`.
    """
    moved = pd.Series(change, dtype="float64").reindex(card.index, fill_value=0.0)
    budget = card["Budget for period"].astype(float)
    cac = efficiency["CAC used"].reindex(card.index).astype(float)
    roas = efficiency["ROAS used"].reindex(card.index).astype(float)
    return pd.DataFrame(
        {
            "Budget for period": budget,
            "Proposed budget": CHANGE.compute(budget, moved),
            "Change": moved,
            "CAC used": cac,
            "ROAS used": roas,
            "Expected extra customers": EXPECTED_CUSTOMERS.compute(moved, cac),
            "Expected extra revenue": EXPECTED_REVENUE.compute(moved, roas),
        },
        columns=list(WHAT_IF_COLUMNS),
    )
