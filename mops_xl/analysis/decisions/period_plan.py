"""One plan for the money left in the period: each channel's planned daily spend until Period end, and the action
read off it (docs/metrics.md, "The plan for the rest of the period").

The plan answers "how much is left, and who spends it?" once, so that no two actions contradict each other:

- **Left to spend** = max(0, budget for the period − spend to date), unbudgeted spend included.
- **Floors** come first and are never cut: a Locked channel keeps its current daily spend, and a channel with a
  Minimum spend gets what it still needs to reach it (as much as it can spend). Floors that do not fit in Left to
  spend are planned anyway; the excess is a decision for leadership (a budget increase).
- **Wishes**: every other channel would spend its own remaining budget, as much of it as it can spend (its best day
  in the trend window × the days left, and its Maximum spend). A channel that falls short of its efficiency target
  (attainment below the Underperforming threshold) gives up to the Maximum budget shift of its budget, unless it is
  a brand or retention channel without a Minimum spend (:data:`PROTECTED`).
- **Too little money** (the account is over budget, or unbudgeted spend took part of it): the least efficient
  channels are cut first (protected ones last), down to their floors.
- **Money to spare** goes to the most efficient channels (attainment at or above target) that will spend their own
  remaining budget at their current daily spend (not under pace) and can spend more, best first, up to what each
  can spend; the rest is returned unspent.
- **The action** is read off the plan: Pause plans nothing, Scale receives money and plans more a day than it spends
  now, Throttle less, Spend to plan more within its own budget (each by more than :data:`PLAN_BAND`), Hold about the
  same.
  With no days left, every channel holds.
- **Expected effect** against the current pattern continuing (current daily spend × days left): extra spend works at
  :data:`~mops_xl.analysis.decisions.reallocation.DIMINISHING_RETURNS` of the channel's average customers and revenue
  per unit of spend; spend taken away loses its full average.

Every amount taken from a channel is placed (:attr:`PeriodPlan.moves`): with a named channel, against the overspend
to date, or returned unspent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from mops_xl.analysis.blocks.cycles import per_cycle
from mops_xl.analysis.blocks.statuses import HOLD, PAUSE, SCALE, SPEND_TO_PLAN, THROTTLE
from mops_xl.analysis.blocks.wording import money, percent
from mops_xl.analysis.decisions.what_if_figures import DIMINISHING_RETURNS
from mops_xl.analysis.figures.budget.run_rate import SPEND_CYCLE  # optional: a lumpy channel's cycle

#: A planned daily spend within this share of the current daily spend is "about the same" (Hold).
PLAN_BAND = 0.10
#: What a channel's plan is read from, one row per channel (index: Channel).
POSITION_COLUMNS = (
    "Budget for period",
    "Spend to date",
    "Current daily spend",
    "Most in a day",
    "Attainment",
    "Locked",
    "Minimum spend",
    "Maximum spend",
    "Customers per spend",
    "Revenue per spend",
)
#: An optional column of :data:`POSITION_COLUMNS`' frame: a brand or retention channel without a Minimum spend,
#: which gives nothing for its efficiency and is cut last.
PROTECTED = "Protected"
#: An optional column: the days a channel may spend in the rest of the period (fewer than the days left when its
#: budget line starts later; more for a lagging channel, whose days run from the day after its last data date); the
#: days left when absent.
DAYS_TO_SPEND = "Days to spend"
#: The plan, one row per channel.
PLAN_COLUMNS = (
    "Action",
    "Spend to date",
    "Remaining budget",
    "Current daily spend",
    "Planned daily spend",
    "Days planned",
    "Planned rest of period",
    "Expected customers change",
    "Expected revenue change",
    "Reason",
)
#: Where money taken from a channel goes when no channel receives it.
OVERSPEND_TO_DATE, RETURNED_UNSPENT = "Overspend to date", "Returned unspent"
#: Money smaller than this is nothing (a hundredth of a cent).
EPSILON = 1e-4


@dataclass(frozen=True)
class PlanRules:
    """What the plan is bounded by.

    Args:
        days_left: Days from the day after Report as of to Period end (0 when the period has ended).
        max_shift: The Maximum budget shift: the largest share of its budget a channel gives up for efficiency.
        underperforming: Attainment below this gives budget away (the Underperforming threshold, e.g. 0.8).
        prefix: The currency prefix the reasons write money with.
    """

    days_left: int
    max_shift: float
    underperforming: float
    prefix: str = ""


@dataclass(frozen=True)
class Move:
    """An amount that leaves one channel's remaining budget for another use.

    Args:
        source: The channel it is taken from.
        to: The channel that receives it, :data:`OVERSPEND_TO_DATE` or :data:`RETURNED_UNSPENT`.
        amount: The amount (> 0).
    """

    source: str
    to: str
    amount: float


@dataclass
class PeriodPlan:
    """The plan for the rest of the period.

    Args:
        table: One row per channel, columns :data:`PLAN_COLUMNS`.
        budget: The budget for the period (all channels).
        spend: Spend to date (all channels, unbudgeted spend included).
        left: Left to spend, max(0, budget − spend).
        planned: The channels' planned rest of period, added up.
        budget_increase: What the floors need beyond Left to spend (0 when they fit): a decision for leadership.
        moves: Where every amount taken from a channel goes.
        days_left: The days the plan covers.
    """

    table: pd.DataFrame
    budget: float
    spend: float
    left: float
    planned: float
    budget_increase: float
    moves: list[Move] = field(default_factory=list)
    days_left: int = 0

    @property
    def returned_unspent(self) -> float:
        """The part of Left to spend that no channel plans to spend."""
        return sum(m.amount for m in self.moves if m.to == RETURNED_UNSPENT)


def _capacity(p: pd.Series, days: int) -> float:
    """The most a channel can spend in the rest of the period: its best day × the days left (its remaining budget
    when it has not spent yet), never past its Maximum spend."""
    best = float(p["Most in a day"]) if not pd.isna(p["Most in a day"]) else 0.0
    remaining = max(float(p["Budget for period"]) - float(p["Spend to date"]), 0.0)
    can = best * days if best > 0 else remaining
    if not pd.isna(p["Maximum spend"]):
        can = min(can, max(float(p["Maximum spend"]) - float(p["Spend to date"]), 0.0))
    return max(can, 0.0)


def _floor(p: pd.Series, days: int, can: float) -> float:
    """What a channel is never planned below: a Locked channel's current daily spend, or what it still needs to
    reach its Minimum spend (as much as it can spend)."""
    if bool(p["Locked"]):
        return float(p["Current daily spend"]) * days
    if pd.isna(p["Minimum spend"]):
        return 0.0
    return min(max(float(p["Minimum spend"]) - float(p["Spend to date"]), 0.0), can)


def _wish(p: pd.Series, rules: PlanRules, can: float, floor: float) -> float:
    """What a channel would spend on its own: its remaining budget (as much as it can spend), less what an
    underperformer gives up, never below its floor."""
    if bool(p["Locked"]):
        return floor
    remaining = max(float(p["Budget for period"]) - float(p["Spend to date"]), 0.0)
    wish = min(remaining, can)
    attainment = float(p["Attainment"])
    if not math.isnan(attainment) and attainment < rules.underperforming and not bool(p.get(PROTECTED, False)):
        wish -= min(rules.max_shift * float(p["Budget for period"]), wish)
    return max(wish, floor)


def _spans(positions: pd.DataFrame, days: int) -> pd.Series:
    """The days each channel may spend: its :data:`DAYS_TO_SPEND`, never more than the days left but for a lagging
    channel (its days run from the day after its last data date); none once the period has ended."""
    if DAYS_TO_SPEND not in positions:
        return pd.Series(days, index=positions.index, dtype="int64")
    return positions[DAYS_TO_SPEND].fillna(days).astype("int64").clip(lower=0, upper=days if days <= 0 else None)


def _efficiency(positions: pd.DataFrame, cutting: bool = False) -> pd.Series:
    """The order of merit: attainment, a channel that cannot be judged counted as on target; when ``cutting``, a
    protected channel counts as the most efficient (it is cut last)."""
    merit = positions["Attainment"].astype(float).fillna(1.0)
    if cutting and PROTECTED in positions:
        merit = merit.where(~positions[PROTECTED].astype(bool), math.inf)
    return merit


def _cut(planned: pd.Series, floors: pd.Series, merit: pd.Series, excess: float) -> pd.Series:
    """Take ``excess`` from the least efficient channels first, each down to its floor."""
    out = planned.copy()
    for ch in merit.sort_values(kind="stable").index:
        if excess <= EPSILON:
            break
        take = min(out[ch] - floors[ch], excess)
        if take > 0:
            out[ch] -= take
            excess -= take
    return out


def _top_up(planned: pd.Series, room: pd.Series, merit: pd.Series, spare: float) -> pd.Series:
    """Give ``spare`` to the channels with room, the most efficient first, each up to its room."""
    out = planned.copy()
    for ch in merit[room > EPSILON].sort_values(ascending=False, kind="stable").index:
        if spare <= EPSILON:
            break
        give = min(room[ch], spare)
        out[ch] += give
        spare -= give
    return out


def _receivers_room(positions: pd.DataFrame, wishes: pd.Series, caps: pd.Series, days: pd.Series) -> pd.Series:
    """How much more each channel may receive: only an unlocked channel at or above target that will spend its own
    remaining budget at its current daily spend (not under pace), up to what it can spend."""
    remaining = (positions["Budget for period"] - positions["Spend to date"]).clip(lower=0.0)
    on_pace = positions["Current daily spend"].astype(float).fillna(0.0) * days + EPSILON >= remaining
    eligible = ~positions["Locked"].astype(bool) & (positions["Attainment"].astype(float) >= 1.0) & on_pace
    return (caps - wishes).clip(lower=0.0).where(eligible, 0.0)


def plan_rest_of_period(positions: pd.DataFrame, rules: PlanRules) -> PeriodPlan:
    """Plan every channel's spend for the rest of the period (see the module's rules).

    Args:
        positions: One row per channel (index: Channel), columns :data:`POSITION_COLUMNS`: Budget for period, Spend
            to date (in the period), Current daily spend (its run-rate over the trend window), Most in a day (its
            best day in that window), Attainment (against its own target or the business's; NaN when it cannot be
            judged), Locked, Minimum spend and Maximum spend (NaN when not set), Customers per spend and Revenue per
            spend (its average to date; 0 when it has none); optionally :data:`DAYS_TO_SPEND` and
            :data:`SPEND_CYCLE` (a lumpy channel's run rate and best day are averages over whole cycles, so a day
            between two spend days is not "stopped" and a spend day is not a spike).
        rules: The days left, the Maximum budget shift and the Underperforming threshold.

    Returns:
        The :class:`PeriodPlan`.
    """
    budget = float(positions["Budget for period"].sum())
    spend = float(positions["Spend to date"].sum())
    left = max(budget - spend, 0.0)
    days = max(int(rules.days_left), 0)
    spans = _spans(positions, days)
    caps = pd.Series({ch: _capacity(p, spans[ch]) for ch, p in positions.iterrows()}, dtype="float64")
    floors = pd.Series({ch: _floor(p, spans[ch], caps[ch]) for ch, p in positions.iterrows()}, dtype="float64")
    wishes = pd.Series({ch: _wish(p, rules, caps[ch], floors[ch]) for ch, p in positions.iterrows()}, dtype="float64")
    floors, wishes, caps = (s.reindex(positions.index).fillna(0.0) for s in (floors, wishes, caps))
    if days == 0:
        planned = pd.Series(0.0, index=positions.index)
    elif floors.sum() >= left:
        planned = floors.copy()
    elif wishes.sum() > left:
        planned = _cut(wishes, floors, _efficiency(positions, cutting=True), wishes.sum() - left)
    else:
        room = _receivers_room(positions, wishes, caps, spans)
        planned = _top_up(wishes, room, _efficiency(positions), left - wishes.sum())
    increase = max(float(planned.sum()) - left, 0.0)
    spent = f"{money(spend, rules.prefix)} of {money(budget, rules.prefix)}" if budget and spend >= budget else ""
    table = _table(positions, planned, rules, spent)
    moves = _moves(positions, planned, left, _efficiency(positions), _efficiency(positions, cutting=True))
    return PeriodPlan(table, budget, spend, left, float(planned.sum()), increase, moves, days)


def action_for(current_daily: float, planned_daily: float, received: float, days_left: int) -> str:
    """The action a channel's plan means.

    Args:
        current_daily: What it spends a day now.
        planned_daily: What the plan has it spend a day.
        received: What it receives beyond its own remaining budget.
        days_left: The days the plan covers.

    Returns:
        Pause, Scale, Throttle, Spend to plan or Hold (always Hold with no days left).
    """
    if days_left <= 0:
        return HOLD
    if planned_daily <= EPSILON:
        return PAUSE if current_daily > EPSILON else HOLD
    if received > EPSILON and planned_daily > current_daily * (1 + PLAN_BAND):
        return SCALE
    if planned_daily < current_daily * (1 - PLAN_BAND):
        return THROTTLE
    if planned_daily > current_daily * (1 + PLAN_BAND):
        return SPEND_TO_PLAN
    return HOLD


def _table(positions: pd.DataFrame, planned: pd.Series, rules: PlanRules, spent: str) -> pd.DataFrame:
    """One row per channel: the plan, its action, its expected effect and its reason (``spent``: the period's
    spend against its budget when the budget is spent, else "")."""
    spans = _spans(positions, max(rules.days_left, 0))
    remaining = (positions["Budget for period"] - positions["Spend to date"]).clip(lower=0.0)
    current = positions["Current daily spend"].astype(float).fillna(0.0)
    daily = (planned / spans.where(spans > 0)).fillna(0.0)
    change = planned - current * spans
    factor = change.where(change <= 0, change * DIMINISHING_RETURNS)
    rows = {}
    for ch in positions.index:
        action = action_for(current[ch], daily[ch], planned[ch] - remaining[ch], int(spans[ch]))
        rows[ch] = {
            "Action": action,
            "Spend to date": float(positions.at[ch, "Spend to date"]),
            "Remaining budget": float(remaining[ch]),
            "Current daily spend": float(current[ch]),
            "Planned daily spend": float(daily[ch]),
            "Days planned": int(spans[ch]),
            "Planned rest of period": float(planned[ch]),
            "Expected customers change": float(factor[ch] * positions.at[ch, "Customers per spend"]) + 0.0,
            "Expected revenue change": float(factor[ch] * positions.at[ch, "Revenue per spend"]) + 0.0,
            "Reason": _reason(
                positions.loc[ch], action, (float(daily[ch]), float(planned[ch])), rules, spent, spans[ch]
            ),
        }
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(PLAN_COLUMNS))
    table.index.name = "Channel"
    return table


def _reason(p: pd.Series, action: str, plan: tuple[float, float], rules: PlanRules, spent: str, span: int) -> str:
    """Why the plan has a channel do what it does, in one clause with its figures.

    Args:
        p: The channel's position.
        action: The action read off its plan.
        plan: Its planned daily spend and planned rest of period.
        rules: The plan's rules (the days left, the currency prefix).
        spent: The period's spend against its budget when the budget is spent, else "".
        span: The days it may spend (fewer than the days left when its budget line starts later).

    Returns:
        E.g. "spends $713 a day now at 51.1% of target; its remaining $7,011 goes to better channels or back".
    """
    (daily, planned), cur, days, pre = plan, float(p["Current daily spend"]), int(span), rules.prefix
    remaining = max(float(p["Budget for period"]) - float(p["Spend to date"]), 0.0)
    attainment = float(p["Attainment"])
    merit = "" if math.isnan(attainment) else f" at {percent(attainment)} of target"
    now = f"spends {_rate(p, cur, pre)} now{merit}"
    if rules.days_left <= 0:
        return "the period has ended: nothing left to plan"
    if bool(p["Locked"]):
        return f"locked on the Channels sheet: keeps its {_rate(p, cur, pre)}"
    if cur <= EPSILON and planned <= EPSILON and remaining <= EPSILON:
        return "no spend and no budget left: nothing to plan"
    unpriced = _unpriced(p, planned - cur * days)
    if action == PAUSE:
        return _pause_reason(p, now, remaining, spent, pre) + unpriced
    plan_text = f"plans {_rate(p, daily, pre)} for {days} days ({money(planned, pre)})"
    if planned - remaining > EPSILON:  # it gets money (Scale), or keeps its pace on money it gets (Hold)
        return f"{now}; {plan_text}, {money(planned - remaining, pre)} more than its remaining budget{unpriced}"
    return f"{now}; {plan_text} of its remaining {money(remaining, pre)}{unpriced}"


def _rate(p: pd.Series, daily: float, prefix: str) -> str:
    """A spend a day in words: "$713 a day", or for a channel that spends on some days only, per cycle ("$1,000 a
    fortnight": the daily average × its cycle)."""
    cycle = p.get(SPEND_CYCLE, math.nan)
    if cycle is None or pd.isna(cycle) or int(cycle) <= 1:
        return f"{money(daily, prefix)} a day"
    return f"{money(daily * int(cycle), prefix)} {per_cycle(int(cycle))}"


def _unpriced(p: pd.Series, change: float) -> str:
    """Why a change in spend has no expected effect: the channel has no customers (or revenue) yet to price it."""
    if abs(change) <= EPSILON:
        return ""
    if float(p["Customers per spend"]) <= 0 and float(p["Revenue per spend"]) <= 0:
        return "; no customers or revenue yet, so its effect cannot be priced (0)"
    if float(p["Customers per spend"]) <= 0:
        return "; no customers yet, so its effect on customers cannot be priced (0)"
    return ""


def _pause_reason(p: pd.Series, now: str, remaining: float, spent: str, pre: str) -> str:
    """Why a channel plans nothing more: the period's budget is spent, its own budget is, or its budget goes to
    better use."""
    if spent:
        return f"the period's budget is spent ({spent}): plans nothing more"
    if float(p["Budget for period"]) <= EPSILON:
        return f"{now}; no budget line: plans nothing more"
    if remaining <= EPSILON:
        return f"its budget is spent ({money(float(p['Spend to date']), pre)} to date): plans nothing more"
    return f"{now}; its remaining {money(remaining, pre)} is taken by the plan (see Funding)"


def _moves(
    positions: pd.DataFrame, planned: pd.Series, left: float, merit: pd.Series, cut_merit: pd.Series
) -> list[Move]:
    """Where every amount taken from a channel's remaining budget goes: first against the overspend to date, then
    to the channels that plan more than their remaining budget (the most efficient first), the rest returned
    unspent. The least efficient channel's money is placed first."""
    remaining = (positions["Budget for period"] - positions["Spend to date"]).clip(lower=0.0)
    delta = planned - remaining
    given = (-delta).clip(lower=0.0)
    received = delta.clip(lower=0.0)
    overspend = float((positions["Spend to date"] - positions["Budget for period"]).clip(lower=0.0).sum())
    uses: list[tuple[str, float]] = [(OVERSPEND_TO_DATE, min(overspend, float(given.sum())))]
    best_first = merit[received > EPSILON].sort_values(ascending=False, kind="stable").index
    uses += [(ch, float(received[ch])) for ch in best_first]
    uses.append((RETURNED_UNSPENT, max(left - float(planned.sum()), 0.0)))
    sources = [(ch, float(given[ch])) for ch in cut_merit[given > EPSILON].sort_values(kind="stable").index]
    moves: list[Move] = []
    j = 0
    for source, amount in sources:
        while amount > EPSILON and j < len(uses):
            to, room = uses[j]
            step = min(amount, room)
            if step > EPSILON:
                moves.append(Move(source, to, step))
            amount -= step
            uses[j] = (to, room - step)
            if uses[j][1] <= EPSILON:
                j += 1
    return moves
