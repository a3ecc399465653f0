"""What the plan for the rest of the period is made from, and what it says in the other places that show it: each
channel's position (from the scorecard, its daily spend now and the signals' decision), every move of money as a
row of the Reallocation sheet, and each channel's funding in words."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Protocol

import pandas as pd

from mops_xl.analysis.blocks.wording import money, percent
from mops_xl.analysis.decisions.period_plan import (
    DAYS_TO_SPEND,
    EPSILON,
    OVERSPEND_TO_DATE,
    POSITION_COLUMNS,
    PROTECTED,
    RETURNED_UNSPENT,
    SPEND_CYCLE,
    PeriodPlan,
)
from mops_xl.analysis.decisions.reallocation import PLAN_COLUMNS, is_brand
from mops_xl.analysis.decisions.what_if_figures import DIMINISHING_RETURNS


class Judgement(Protocol):
    """What the signals decided of a channel that the plan needs: whether its efficiency may move money."""

    @property
    def conflict(self) -> str:
        """The signal that points the other way, in words ("" when none)."""
        ...


def channel_positions(
    card: pd.DataFrame,
    run_rate: pd.DataFrame,
    efficiency: pd.DataFrame,
    judged: Mapping[str, bool],
    decisions: Mapping[str, Judgement],
) -> pd.DataFrame:
    """Each channel's position for the plan.

    A channel moves money by its efficiency only when the signals judge it (a target, tracked, defined, above the
    Minimum spend before triggers) and attribution does not contradict it; otherwise its attainment is left out
    (NaN: it neither gives for its efficiency nor receives). A brand or retention channel without a Minimum spend,
    and a channel the attribution contradicts, is protected.

    Args:
        card: The channel scorecard (Budget for period, Spend, Attainment, Locked, Minimum/Maximum spend, Funnel
            stage, Role).
        run_rate: Current daily spend and Most in a day per channel (and, optionally, the Days to spend of a
            channel whose budget line starts after Report as of, and the Spend cycle of a channel that spends on
            some days only: its daily figures are averages over whole cycles).
        efficiency: CAC used and ROAS used per channel (what the plan prices with).
        judged: Channel → whether the signals judge its efficiency.
        decisions: Channel → its decision (its conflict with attribution).

    Returns:
        Indexed by channel, columns :data:`~mops_xl.analysis.decisions.period_plan.POSITION_COLUMNS` and
        :data:`~mops_xl.analysis.decisions.period_plan.PROTECTED`.
    """
    names = list(card.index)
    contested = pd.Series({ch: bool(decisions[ch].conflict) for ch in names}, dtype=bool)
    use = pd.Series({ch: bool(judged[ch]) for ch in names}, dtype=bool) & ~contested
    cac = efficiency["CAC used"].reindex(names).astype(float)
    out = pd.DataFrame(
        {
            "Budget for period": card["Budget for period"].astype(float),
            "Spend to date": card["Spend"].astype(float),
            "Current daily spend": run_rate["Current daily spend"].reindex(names).fillna(0.0),
            "Most in a day": run_rate["Most in a day"].reindex(names).fillna(0.0),
            "Attainment": card["Attainment"].astype(float).where(use),
            "Locked": card["Locked"].fillna(False).astype(bool),
            "Minimum spend": card["Minimum spend"].astype(float),
            "Maximum spend": card["Maximum spend"].astype(float),
            "Customers per spend": (1 / cac.where(cac > 0)).fillna(0.0),
            "Revenue per spend": efficiency["ROAS used"].reindex(names).astype(float).fillna(0.0),
        },
        index=pd.Index(names, name="Channel"),
    )
    brand = pd.Series({ch: is_brand(c) for ch, c in card.iterrows()}, dtype=bool)
    out[PROTECTED] = (brand & out["Minimum spend"].isna()) | contested
    optional = [c for c in (DAYS_TO_SPEND, SPEND_CYCLE) if c in run_rate]
    for column in optional:
        out[column] = run_rate[column].reindex(names)
    return out[[*POSITION_COLUMNS, PROTECTED, *optional]]


def moves_table(plan: PeriodPlan, positions: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Every move of the plan as a row of the Reallocation sheet, with its reason and its net effect: the receiver's
    gain at :data:`DIMINISHING_RETURNS` of its average less the giver's loss at its full average (money returned or
    covering the overspend to date loses the giver's average only).

    Args:
        plan: The plan.
        positions: The channels' positions (Attainment, Customers per spend, Revenue per spend).
        prefix: The currency prefix.

    Returns:
        One row per move, columns :data:`~mops_xl.analysis.decisions.reallocation.PLAN_COLUMNS`.
    """
    rows = []
    for m in plan.moves:
        src = positions.loc[m.source]
        gain = positions.loc[m.to] if m.to in positions.index else None
        customers = -m.amount * src["Customers per spend"]
        revenue = -m.amount * src["Revenue per spend"]
        if gain is not None:
            customers += m.amount * DIMINISHING_RETURNS * gain["Customers per spend"]
            revenue += m.amount * DIMINISHING_RETURNS * gain["Revenue per spend"]
        rows.append((m.source, m.to, m.amount, _move_reason(m.to, src, gain, prefix), customers, revenue))
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS))


def _move_reason(to: str, src: pd.Series, gain: pd.Series | None, prefix: str) -> str:
    """Why money moves, in one clause."""
    if to == OVERSPEND_TO_DATE:
        return "covers spend already over budget (overspent lines or spend outside any budget line)"
    why = _why_it_gives(src)
    if to == RETURNED_UNSPENT or gain is None:
        return f"{why}; no channel on target can spend it: returned unspent"
    return f"{why}; {to} is at {percent(float(gain['Attainment']))} of target and can spend more"


def _why_it_gives(src: pd.Series) -> str:
    attainment = float(src["Attainment"])
    if not math.isnan(attainment) and attainment < 1:
        return f"at {percent(attainment)} of target"
    return "cannot spend all of its budget in the days left"


def funding(plan: PeriodPlan, prefix: str) -> dict[str, str]:
    """Each channel's funding in words: where the money it gives goes, where the money it gets comes from.

    Args:
        plan: The plan.
        prefix: The currency prefix.

    Returns:
        Channel → e.g. "gives $200 to Google Ads; $100 returned unspent" or "gets $200 from LinkedIn Ads"; a channel
        that neither gives nor gets is left out.
    """
    gives: dict[str, list[str]] = {}
    gets: dict[str, list[str]] = {}
    for m in plan.moves:
        if m.amount <= EPSILON:
            continue
        if m.to == OVERSPEND_TO_DATE:
            gives.setdefault(m.source, []).append(f"{money(m.amount, prefix)} against the overspend to date")
        elif m.to == RETURNED_UNSPENT:
            gives.setdefault(m.source, []).append(f"{money(m.amount, prefix)} returned unspent")
        else:
            gives.setdefault(m.source, []).append(f"{money(m.amount, prefix)} to {m.to}")
            gets.setdefault(m.to, []).append(f"{money(m.amount, prefix)} from {m.source}")
    out = {ch: "gives " + "; ".join(parts) for ch, parts in gives.items()}
    for ch, parts in gets.items():
        out[ch] = (out[ch] + "; " if ch in out else "") + "gets " + ", ".join(parts)
    return out
