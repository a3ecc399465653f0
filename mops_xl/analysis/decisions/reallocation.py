"""The budget reallocation plan: the money side of the channels' actions (docs/metrics.md, "Recommendations").

The plan takes budget only from channels whose action frees it (Pause, Free budget) and gives it only to channels
whose action is Scale (on or over pace, beating target, below their Maximum spend, not Locked), within guard rails;
every increase is funded or says why not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mops_xl.analysis.blocks.wording import money, percent, threshold
from mops_xl.analysis.decisions.what_if_figures import (
    CHANGE,
    DIMINISHING_RETURNS,
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


@dataclass
class Plan:
    """The plan: the moves, and per channel the budget it moves and how its action is funded.

    Args:
        moves: One row per move, columns :data:`PLAN_COLUMNS`.
        change: Channel → budget to move this period (+ received, − given).
        funding: Channel → how its increase is funded or why not; where a freed budget goes.
        basis: Which CAC and ROAS priced the moves, in words.
    """

    moves: pd.DataFrame
    change: dict[str, float]
    funding: dict[str, str]
    basis: str


def _pays(src: str, dst: str, eff: pd.DataFrame) -> bool | None:
    """Whether a move pays after diminishing returns: on CAC where both have one, else on ROAS; None when
    neither figure is defined for both."""
    cs, cd = eff.at[src, "CAC used"], eff.at[dst, "CAC used"]
    if cs > 0 and cd > 0:  # NaN compares False
        return bool(DIMINISHING_RETURNS / cd > 1 / cs)
    rs, rd = eff.at[src, "ROAS used"], eff.at[dst, "ROAS used"]
    if not (pd.isna(rs) or pd.isna(rd)):
        return bool(DIMINISHING_RETURNS * rd > rs)
    return None


def _effect(amount: float, src: str, dst: str, eff: pd.DataFrame) -> tuple[float, float]:
    cs, cd = eff.at[src, "CAC used"], eff.at[dst, "CAC used"]
    customers = amount * (DIMINISHING_RETURNS / cd - 1 / cs) if cs > 0 and cd > 0 else math.nan
    revenue = amount * (DIMINISHING_RETURNS * eff.at[dst, "ROAS used"] - eff.at[src, "ROAS used"])
    return customers, revenue


def reallocation_plan(
    frees: dict[str, float],
    asks: dict[str, float],
    rank: pd.Series,
    efficiency: pd.DataFrame,
    basis: str,
    prefix: str,
) -> Plan:
    """Move the budget the donors free to the channels that ask for it.

    Donors give, the least efficient first (lowest attainment), to receivers, the most efficient first; a move is
    made only when it pays once diminishing returns are counted (0.5 ÷ CAC of the receiver > 1 ÷ CAC of the
    donor; on ROAS, 0.5 × ROAS of the receiver > ROAS of the donor, where a CAC is undefined).

    Args:
        frees: Donor → the budget its action frees this period (within the guard rails).
        asks: Receiver → the increase its action asks (within its Maximum spend).
        rank: Channel → its primary-metric attainment (orders donors and receivers).
        efficiency: Per channel "CAC used" and "ROAS used" (see :func:`plan_efficiency`).
        basis: Which figures ``efficiency`` holds, in words.
        prefix: The currency prefix the funding text writes money with.

    Returns:
        The :class:`Plan`.
    """
    donors = sorted((ch for ch, x in frees.items() if x > 0), key=lambda ch: (rank[ch], ch))
    receivers = sorted((ch for ch, x in asks.items() if x > 0), key=lambda ch: (-rank[ch], ch))
    ledger = _Ledger(
        left={ch: frees[ch] for ch in donors},
        room={ch: asks[ch] for ch in receivers},
        got={ch: [] for ch in [*donors, *receivers]},
        unpaid={ch: [] for ch in receivers},
    )
    rows = []
    for src in donors:
        for dst in receivers:
            amount = ledger.move(src, dst, efficiency)
            if amount:
                rows.append(_move_row(src, dst, amount, rank, efficiency, basis))
    change: dict[str, float] = {}
    funding: dict[str, str] = {}
    for ch in donors:
        change[ch], funding[ch] = ledger.donor_funding(ch, prefix)
    for ch in receivers:
        change[ch], funding[ch] = ledger.receiver_funding(ch, bool(donors), prefix)
    return Plan(pd.DataFrame(rows, columns=list(PLAN_COLUMNS)), change, funding, basis)


@dataclass
class _Ledger:
    """The plan as it is made: what each donor has left to give, what each receiver may still take, the moves
    each channel took part in (the other channel, the amount) and the donors whose move to a receiver would not
    pay."""

    left: dict[str, float]
    room: dict[str, float]
    got: dict[str, list[tuple[str, float]]]
    unpaid: dict[str, list[str]]

    def move(self, src: str, dst: str, efficiency: pd.DataFrame) -> float:
        """Move what the donor has left, up to the receiver's room, when the move pays.

        Args:
            src: The donor.
            dst: The receiver.
            efficiency: Per channel "CAC used" and "ROAS used".

        Returns:
            The amount moved (0 for none).
        """
        if self.left[src] <= 0 or self.room[dst] <= 0:
            return 0.0
        if _pays(src, dst, efficiency) is False:
            self.unpaid[dst].append(src)
            return 0.0
        amount = min(self.left[src], self.room[dst])
        self.left[src] -= amount
        self.room[dst] -= amount
        self.got[src].append((dst, amount))
        self.got[dst].append((src, amount))
        return amount

    def donor_funding(self, ch: str, prefix: str) -> tuple[float, str]:
        """A donor's change (− what it gave) and where its freed budget went, in words."""
        given = sum(x for _, x in self.got[ch])
        parts = [f"gives {_gives(self.got[ch], prefix)}"] if given else []
        if self.left[ch] > 0:
            parts.append(f"{money(self.left[ch], prefix)} freed and not placed: no channel can use it, keep it unspent")
        return -given, "; ".join(parts)

    def receiver_funding(self, ch: str, any_donor: bool, prefix: str) -> tuple[float, str]:
        """A receiver's change (what it got) and how its increase is funded or why not, in words."""
        funded = sum(x for _, x in self.got[ch])
        parts = [f"funded {money(funded, prefix)} from {_sources(self.got[ch], prefix)}"] if funded else []
        if self.room[ch] > 0:
            if self.unpaid[ch]:
                why = (
                    f"a move from {', '.join(self.unpaid[ch])} would not pay once diminishing returns "
                    f"({threshold(DIMINISHING_RETURNS)}) are counted"
                )
            elif any_donor:
                why = "the budget other channels free is used up"
            else:
                why = "no channel frees budget this period"
            parts.append(f"{money(self.room[ch], prefix)} not funded: {why}")
        return funded, "; ".join(parts)


def _move_row(
    src: str, dst: str, amount: float, rank: pd.Series, efficiency: pd.DataFrame, basis: str
) -> dict[str, object]:
    """One move as a row of :data:`PLAN_COLUMNS`."""
    customers, revenue = _effect(amount, src, dst, efficiency)
    return {
        "From": src,
        "To": dst,
        "Budget to move this period": amount,
        "Reason": f"{src} frees budget (attainment {percent(rank[src])}); {dst} can use it (attainment "
        f"{percent(rank[dst])}); priced on {basis}",
        "Net expected customers": customers,
        "Net expected revenue": revenue,
    }


def _gives(pairs: list[tuple[str, float]], prefix: str) -> str:
    return ", ".join(f"{money(amount, prefix)} to {ch}" for ch, amount in pairs)


def _sources(pairs: list[tuple[str, float]], prefix: str) -> str:
    if len(pairs) == 1:
        return pairs[0][0]
    return ", ".join(f"{ch} ({money(amount, prefix)})" for ch, amount in pairs)


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
