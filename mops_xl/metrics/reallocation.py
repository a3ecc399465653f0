"""The budget reallocation plan: move budget from channels that attribution says work least to those it says
work best, within guard rails, and say where the triggers (platform numbers) disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mops_xl.metrics.triggers import HIGH_PERFORMER, PAUSE_OR_ADJUST, UNDERPERFORMING

#: The extra budget in a receiving channel is assumed to work at this share of its current average
#: efficiency (diminishing returns); the budget leaving a channel loses its full average efficiency.
DIMINISHING_RETURNS = 0.5
#: A channel needs at least this many attributed conversions (and the trigger minimum spend) to be moved.
MIN_ATTRIBUTED_CONVERSIONS = 5
#: A channel in this funnel stage, or whose Role mentions "brand", is a brand/retention channel.
RETENTION_STAGE = "Retention"
PLAN_COLUMNS = (
    "From",
    "To",
    "Amount this period",
    "Amount next period",
    "Reason",
    "Expected customers",
    "Expected revenue",
    "Conflict",
)
#: The What-if table of the Reallocation sheet, per channel.
WHAT_IF_COLUMNS = (
    "Budget for period",
    "Proposed budget",
    "Change",
    "Attributed CAC",
    "Attributed ROAS",
    "Expected extra customers",
    "Expected extra revenue",
)
#: The To of a plan row that moves nothing (a channel left alone, with its reason).
NO_MOVE = "–"


@dataclass(frozen=True)
class GuardRails:
    """The limits of the plan.

    Args:
        max_shift: The largest share of a channel's budget moved per period (Maximum budget shift).
        minimum_spend: Channels that spent less to date are "not enough data" (Minimum spend before triggers).
    """

    max_shift: float
    minimum_spend: float


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


def _room_out(c: pd.Series, rails: GuardRails) -> float:
    """How much may leave a channel this period: its max shift, its unspent budget, its minimum spend."""
    budget = float(c["Budget for period"])
    floor = c["Minimum spend"] if not pd.isna(c["Minimum spend"]) else None
    brand = c["Funnel stage"] == RETENTION_STAGE or "brand" in str(c["Role"] or "").lower()
    if brand and floor is None:
        return 0.0  # a brand or retention channel is never cut below a minimum; without one, not at all
    room = min(rails.max_shift * budget, max(budget - float(c["Spend"]), 0.0))
    return max(min(room, budget - floor), 0.0) if floor is not None else room


def _room_in(c: pd.Series) -> float:
    ceiling = c["Maximum spend"]
    return math.inf if pd.isna(ceiling) else max(float(ceiling) - float(c["Budget for period"]), 0.0)


def reallocation_plan(
    card: pd.DataFrame, efficiency: pd.DataFrame, rails: GuardRails, trigger_subjects: dict[str, set[str]]
) -> pd.DataFrame:
    """Pair the least efficient channels (by attributed CAC) with the most efficient ones.

    Args:
        card: The channel scorecard (Spend, Budget for period, Paid, Funnel stage, Locked, Minimum spend,
            Maximum spend).
        efficiency: The output of :func:`attributed_efficiency` for the chosen model.
        rails: The guard rails.
        trigger_subjects: Trigger name → channels it fired for (to flag conflicts).

    Returns:
        One row per move and per channel left alone with its reason; columns :data:`PLAN_COLUMNS`.
    """
    rows: list[dict] = []
    joined = card.join(efficiency)
    eligible = []
    for channel, c in joined.iterrows():
        if not bool(c["Paid"]) or float(c["Budget for period"]) <= 0:
            continue
        if bool(c["Locked"]):
            rows.append(_hold(channel, "locked on the Channels sheet"))
        elif c["Spend"] <= 0:
            rows.append(_hold(channel, "not enough data: no spend to date to judge"))
        elif c["Spend"] < rails.minimum_spend or c["Attributed conversions"] < MIN_ATTRIBUTED_CONVERSIONS:
            rows.append(
                _hold(
                    channel,
                    f"not enough data: {c['Attributed conversions']:.1f} attributed conversions "
                    f"(needs {MIN_ATTRIBUTED_CONVERSIONS}) on {c['Spend']:,.2f} spend",
                )
            )
        elif pd.isna(c["Attributed CAC"]):
            rows.append(_hold(channel, "not enough data: no spend to date to judge"))
        else:
            eligible.append(channel)
    if len(eligible) < 2:
        return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    blended = float(joined.loc[eligible, "Spend"].sum() / joined.loc[eligible, "Attributed conversions"].sum())
    sources = sorted(
        (ch for ch in eligible if joined.at[ch, "Attributed CAC"] > blended),
        key=lambda ch: -joined.at[ch, "Attributed CAC"],
    )
    targets = sorted(
        (ch for ch in eligible if joined.at[ch, "Attributed CAC"] < blended),
        key=lambda ch: joined.at[ch, "Attributed CAC"],
    )
    room_in = {ch: _room_in(joined.loc[ch]) for ch in targets}
    for src in sources:
        s = joined.loc[src]
        out = _room_out(s, rails)
        # a move must pay after diminishing returns: the receiver's haircut efficiency beats the source's
        paying = [t for t in targets if DIMINISHING_RETURNS / joined.at[t, "Attributed CAC"] > 1 / s["Attributed CAC"]]
        dst = next((t for t in paying if room_in[t] > 0), None)
        if out <= 0 or dst is None:
            if out <= 0:
                why = "no room to move: at its minimum, budget spent, or a brand/retention channel"
            elif not paying:
                why = (
                    f"the efficiency gap is too small to pay once diminishing returns "
                    f"({DIMINISHING_RETURNS:.0%}) are counted"
                )
            else:
                why = "no receiving channel has room below its maximum spend"
            rows.append(_hold(src, why))
            continue
        d = joined.loc[dst]
        amount = min(out, room_in[dst])
        room_in[dst] -= amount
        next_amount = min(rails.max_shift * float(s["Budget for period"]), room_in[dst] + amount)
        rows.append(
            {
                "From": src,
                "To": dst,
                "Amount this period": amount,
                "Amount next period": next_amount,
                "Reason": f"attributed CAC {s['Attributed CAC']:,.2f} vs {d['Attributed CAC']:,.2f} "
                f"(blended {blended:,.2f})",
                "Expected customers": amount * (DIMINISHING_RETURNS / d["Attributed CAC"] - 1 / s["Attributed CAC"]),
                "Expected revenue": amount * (DIMINISHING_RETURNS * d["Attributed ROAS"] - s["Attributed ROAS"]),
                "Conflict": _conflict(src, dst, trigger_subjects),
            }
        )
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def _hold(channel: str, reason: str) -> dict:
    return {
        "From": channel,
        "To": NO_MOVE,
        "Amount this period": 0.0,
        "Amount next period": 0.0,
        "Reason": reason,
        "Expected customers": 0.0,
        "Expected revenue": 0.0,
        "Conflict": "",
    }


def _conflict(src: str, dst: str, fired: dict[str, set[str]]) -> str:
    notes = []
    if dst in fired.get(UNDERPERFORMING, set()):
        notes.append(f"{dst} has a '{PAUSE_OR_ADJUST}' trigger on platform-reported numbers")
    if src in fired.get(HIGH_PERFORMER, set()):
        notes.append(f"{src} is a high performer on platform-reported numbers")
    return "; ".join(notes)


def what_if(card: pd.DataFrame, attributed: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """The plan's effect per channel: its budget for the period moved by this period's amounts, and the
    customers and revenue the change is expected to bring (docs/metrics.md, "What-if").

    Expected extra customers = change × (0.5 if positive, else 1) ÷ attributed CAC; expected extra revenue =
    change × (0.5 if positive, else 1) × attributed ROAS; undefined where the attributed figure is.

    Args:
        card: The channel scorecard (Budget for period), every channel in order.
        attributed: Attributed CAC and ROAS per channel (output of :func:`attributed_efficiency`).
        plan: The reallocation plan (output of :func:`reallocation_plan`).

    Returns:
        Indexed by channel, columns :data:`WHAT_IF_COLUMNS`.
    """
    change = pd.Series(0.0, index=card.index)
    for _, move in plan.iterrows():
        if move["To"] != NO_MOVE:
            change[move["From"]] -= move["Amount this period"]
            change[move["To"]] += move["Amount this period"]
    budget = card["Budget for period"].astype(float)
    cac = attributed["Attributed CAC"].reindex(card.index).astype(float)
    roas = attributed["Attributed ROAS"].reindex(card.index).astype(float)
    factor = change.where(change <= 0, change * DIMINISHING_RETURNS)
    return pd.DataFrame(
        {
            "Budget for period": budget,
            "Proposed budget": budget + change,
            "Change": change,
            "Attributed CAC": cac,
            "Attributed ROAS": roas,
            "Expected extra customers": factor.div(cac.where(cac > 0)),
            "Expected extra revenue": factor * roas,
        },
        columns=list(WHAT_IF_COLUMNS),
    )
