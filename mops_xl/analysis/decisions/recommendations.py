"""One recommendation per channel: the signals, the pacing × efficiency view and the reallocation plan made into
one decision, made once (docs/metrics.md, "Recommendations").

:func:`decide` gives a channel its one action from its scorecard row, with the evidence that decided it and any
conflicting signal in words; :func:`recommend` decides every channel, moves the budget the actions free to the
channels whose action is Scale (:mod:`mops_xl.analysis.decisions.reallocation`), and gives each action its money,
owner and
due date, by priority (the money at stake).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from mops_xl.analysis.blocks.statuses import (
    ALL_CHANNELS,
    CHANNEL_ACTIONS,
    EFFICIENT,
    FIX,
    FREE_BUDGET,
    HOLD,
    NO_BUDGET,
    NOT_ENOUGH_DATA,
    NOT_TRACKED,
    ON,
    OVER,
    PAUSE,
    ROLL_OUT,
    SCALE,
    SPEND_TO_PLAN,
    THROTTLE,
    UNDER,
    UNDERPERFORMING,
)
from mops_xl.analysis.blocks.thresholds import Thresholds
from mops_xl.analysis.blocks.wording import figure, money, percent
from mops_xl.analysis.decisions.reallocation import (
    MIN_ATTRIBUTED_CONVERSIONS,
    GuardRails,
    Plan,
    is_brand,
    plan_efficiency,
    reallocation_plan,
    room_in,
    room_out,
    what_if,
)
from mops_xl.analysis.decisions.reviews import NextReview
from mops_xl.analysis.decisions.triggers import (
    channel_cap,
    efficiency_band,
    efficiency_evidence,
    experiment_evidence,
    pace_evidence,
    total_overspend,
)
from mops_xl.analysis.figures.budget.pacing import TotalPacing
from mops_xl.analysis.figures.targets import attainment

#: One row per subject (every channel, then All channels when the total is over pace, then each A/B winner).
RECOMMENDATION_COLUMNS = (
    "Priority",
    "Subject",
    "Action",
    "Evidence",
    "Conflict",
    "Budget for period",
    "Remaining budget",
    "Projected overspend",
    "Budget asked",
    "Budget to move this period",
    "Funding",
    "Owner",
    "Due",
    "Review",
    "Money at stake",
    "Money at stake is",
)
#: The money columns, each one measure (docs/metrics.md, "Recommendations").
MONEY_COLUMNS = (
    "Budget for period",
    "Remaining budget",
    "Projected overspend",
    "Budget asked",
    "Budget to move this period",
)
#: The money columns the money at stake may be, in this order of preference.
STAKE_COLUMNS = ("Budget asked", "Projected overspend", "Remaining budget", "Budget for period")
#: How every place that shows the actions labels them: values, decided when the report was built.
AS_BUILT = "as built — rebuild after editing Settings, Targets or Budget"
#: The role on the Team sheet that owns the actions no channel owner takes (all channels, unowned channels).
OPERATIONS_ROLE = "Marketing Ops"
#: The actions that ask nothing of anyone (left out of the Dashboard's top actions).
QUIET_ACTIONS = (HOLD, NOT_ENOUGH_DATA)
#: The actions that free budget, and the one that receives it.
FREES_BUDGET, RECEIVES_BUDGET = (PAUSE, FREE_BUDGET), SCALE


@dataclass(frozen=True)
class Decision:
    """One channel's action.

    Args:
        action: One of :data:`~mops_xl.analysis.blocks.statuses.CHANNEL_ACTIONS`.
        evidence: The figures that decided it.
        conflict: A signal that points the other way, in words ("" when none).
        frees: The budget the action frees this period, within the guard rails (Pause, Free budget).
        asks: The increase the action asks, within the Maximum spend (Scale).
        why_not: Why an increase the figures justify is not asked (a lock, a guard rail, the attribution).
    """

    action: str
    evidence: str
    conflict: str = ""
    frees: float = 0.0
    asks: float = 0.0
    why_not: str = ""


def attribution_verdict(
    c: pd.Series, attributed: pd.Series | None, t: Thresholds, prefix: str
) -> tuple[str | None, str]:
    """What attribution says of a channel judged on CAC or ROAS: the efficiency band of its attributed figure
    against the same target.

    Args:
        c: One scorecard row (Primary metric, Primary target).
        attributed: The channel's row of attributed figures (Attributed conversions, CAC, ROAS), or None.
        t: The thresholds.
        prefix: The currency prefix.

    Returns:
        ``(band, text)``: None and "" when attribution cannot judge the channel (another primary metric, fewer
        than :data:`~mops_xl.analysis.decisions.reallocation.MIN_ATTRIBUTED_CONVERSIONS` attributed conversions, an
        undefined figure).
    """
    metric = c["Primary metric"]
    if attributed is None or metric not in ("CAC", "ROAS"):
        return None, ""
    if not attributed["Attributed conversions"] >= MIN_ATTRIBUTED_CONVERSIONS:
        return None, ""
    value = float(attributed[f"Attributed {metric}"])
    att = attainment(metric, value, float(c["Primary target"]))
    band = efficiency_band(att, t.underperforming)
    if band is None:
        return None, ""
    return band, f"attributed {metric} {figure(metric, value, prefix)} ({percent(att)} of target)"


def _conflict(c: pd.Series, band: str | None, verdict: str | None, attr: str, before: str) -> str:
    """The conflict between the channel's own figure and attribution, when they fall in opposite bands."""
    metric = c["Primary metric"]
    after = f": check the attribution before {before}" if before else ": check the attribution"
    if band == UNDERPERFORMING and verdict == EFFICIENT:
        return f"{metric} is off target, but {attr} is on target{after}"
    if band == EFFICIENT and verdict == UNDERPERFORMING:
        return f"{metric} is on target, but {attr} is off target{after}"
    return ""


def _unjudged(c: pd.Series, band: str | None, t: Thresholds, prefix: str) -> str:
    """Why a channel's efficiency cannot be judged ("" when it can)."""
    metric = c["Primary metric"]
    if not isinstance(metric, str):
        return "no target to judge by"
    if c["Status"] == NOT_TRACKED:
        return f"does not track what its {metric} needs"
    if band is None:
        return f"{metric} undefined: nothing to judge by"
    if c["Spend"] < t.minimum_spend:
        return (
            f"spent {money(c['Spend'], prefix)} to date, below the Minimum spend before triggers "
            f"{money(t.minimum_spend, prefix)}"
        )
    return ""


def decide(
    c: pd.Series,
    t: Thresholds,
    rails: GuardRails,
    attributed: pd.Series | None = None,
    attribution_reliable: bool = True,
    *,
    prefix: str,
) -> Decision:
    """Give one channel its one action (docs/metrics.md, "Recommendations", precedence rules 1-7).

    Args:
        c: One scorecard row (pacing, primary metric, attainment, status, budget, guard-rail columns).
        t: The thresholds.
        rails: The guard rails.
        attributed: The channel's attributed figures under the chosen model, or None without journeys.
        attribution_reliable: False when the journeys do not reconcile with Actuals: attribution then raises
            no conflict (the plan prices on the channels' own figures).
        prefix: The currency prefix the evidence writes money with.

    Returns:
        The :class:`Decision`.
    """
    pacing = c["Pacing status"]
    over, budgeted = pacing == OVER, pacing in (OVER, ON, UNDER)
    band = efficiency_band(float(c["Attainment"]), t.underperforming)
    if budgeted:
        pace = pace_evidence(c, prefix)
    else:
        pace = "no budget line running" if pacing == NO_BUDGET else "its budget line has not started"
    cap = f": {channel_cap(c, prefix)}" if over else ""
    unjudged = _unjudged(c, band, t, prefix)
    # 1. Nothing to judge its efficiency by: overspending is still certain.
    if unjudged:
        if over:
            return Decision(THROTTLE, f"{pace}{cap}; {unjudged}")
        return Decision(NOT_ENOUGH_DATA, f"{unjudged}; {pace}")
    evidence = f"{efficiency_evidence(c, prefix)}; {pace}"
    verdict, attr = attribution_verdict(c, attributed, t, prefix) if attribution_reliable else (None, "")
    # 2. Underperforming: its budget goes where it works, unless something holds the money.
    if band == UNDERPERFORMING:
        return _underperforming(c, rails, evidence, cap, verdict, attr)
    # 3. Beating target and able to use more: over pace (its projected overspend) or a high performer on pace.
    high = float(c["Attainment"]) >= 1 + t.high_performer
    if band == EFFICIENT and (over or (pacing == ON and high)):
        scaled = _scale(c, evidence, cap, verdict, attr, prefix)
        if scaled is not None:
            return scaled
    conflict = _conflict(c, band, verdict, attr, "")
    # 4. Over pace and below target.
    if over:
        return Decision(THROTTLE, f"{evidence}{cap}", conflict)
    # 5. Under pace and beating target: spend the budget it has, no increase.
    if pacing == UNDER and band == EFFICIENT:
        return Decision(SPEND_TO_PLAN, f"{evidence}: spend the budget it has; no increase while under pace", conflict)
    # 6. Everything else: on plan, or a little below target, or no budget to move.
    return Decision(HOLD, evidence, conflict)


def _underperforming(
    c: pd.Series, rails: GuardRails, evidence: str, cap: str, verdict: str | None, attr: str
) -> Decision:
    """Rule 2: Pause (over pace, or spending without a budget line) or Free budget; Fix or Throttle when the
    attribution disagrees, the channel is Locked or a brand/retention channel without a Minimum spend."""
    over, budgeted = c["Pacing status"] == OVER, c["Pacing status"] in (OVER, ON, UNDER)
    pausing = over or (not budgeted and c["Spend"] > 0)
    conflict = _conflict(c, UNDERPERFORMING, verdict, attr, "pausing" if pausing else "freeing its budget")
    if conflict:
        held = "the attribution disagrees (see Conflict)"
    elif bool(c["Locked"]):
        held = "locked on the Channels sheet"
    elif is_brand(c) and pd.isna(c["Minimum spend"]):
        held = "a brand/retention channel without a Minimum spend is never cut"
    else:
        held = ""
    if held:
        return Decision(THROTTLE if over else FIX, f"{evidence}{cap}; no budget leaves it: {held}", conflict)
    frees = room_out(c, rails) if budgeted else 0.0
    if pausing:
        nothing = (
            # without a budget line the evidence already says "no budget line running"
            "" if frees > 0 else "; frees nothing" + (": budget spent" if budgeted else "")
        )
        return Decision(PAUSE, f"{evidence}{nothing}", frees=frees)
    if frees > 0:
        return Decision(FREE_BUDGET, evidence, frees=frees)
    why = "no budget line to free" if not budgeted else "nothing to free: budget spent or at its Minimum spend"
    return Decision(FIX, f"{evidence}; {why}")


def _scale(c: pd.Series, evidence: str, cap: str, verdict: str | None, attr: str, prefix: str) -> Decision | None:
    """Rule 3: Scale by the increase the figures justify, within the Maximum spend; Throttle (over pace) or Hold
    with the reason when a lock, the Maximum spend or the attribution stops it; None when it asks nothing."""
    over = c["Pacing status"] == OVER
    conflict = _conflict(c, EFFICIENT, verdict, attr, "scaling")
    if over:
        ask, why_ask = max(float(c["Projected variance"]), 0.0), "its projected overspend"
    else:
        remaining = max(float(c["Budget for period"]) - float(c["Spend"]), 0.0)
        ask, why_ask = remaining * min(float(c["Attainment"]) - 1, 1.0), "remaining budget × min(attainment − 1, 1)"
    room = room_in(c)
    if bool(c["Locked"]):
        why_not = "locked on the Channels sheet"
    elif room <= 0:
        why_not = "at its Maximum spend"
    elif conflict:
        why_not = "the attribution disagrees (see Conflict)"
    else:
        why_not = ""
    if why_not:
        return Decision(THROTTLE if over else HOLD, f"{evidence}{cap}", conflict, why_not=why_not)
    if ask <= 0:
        return None
    asks = min(ask, room)
    return Decision(SCALE, f"{evidence}; asks {money(asks, prefix)}: {why_ask}", conflict, asks=asks)


@dataclass
class Recommendations:
    """Every subject's one action and the plan that is its money side.

    Args:
        table: One row per subject by priority, columns :data:`RECOMMENDATION_COLUMNS`.
        plan: The moves of budget between channels, with each channel's funding.
        what_if: The plan's effect per channel (see :func:`~mops_xl.analysis.decisions.reallocation.what_if`).
        decisions: Channel → its :class:`Decision`.
    """

    table: pd.DataFrame
    plan: Plan
    what_if: pd.DataFrame
    decisions: dict[str, Decision]


def owner_of_operations(team: pd.DataFrame) -> str:
    """The name of the first Team member whose Role is Marketing Ops ("" without one).

    Args:
        team: The Team table (Role, Name).

    Returns:
        The name.
    """
    if team.empty:
        return ""
    ops = team[team["Role"].astype(str).str.strip().str.lower() == OPERATIONS_ROLE.lower()]
    names = [n for n in ops["Name"] if isinstance(n, str) and n.strip()]
    return names[0] if names else ""


def recommend(
    card: pd.DataFrame,
    t: Thresholds,
    rails: GuardRails,
    *,
    attributed: pd.DataFrame,
    model: str,
    total: TotalPacing,
    experiments: pd.DataFrame,
    team: pd.DataFrame,
    review: NextReview,
    days: tuple[int, int],
    attribution_reliable: bool = True,
    prefix: str,
) -> Recommendations:
    """Decide every channel once and fund the actions.

    Args:
        card: The channel scorecard.
        t: The thresholds.
        rails: The guard rails.
        attributed: Attributed conversions, CAC and ROAS per channel under the chosen model (empty without
            journeys).
        model: The chosen attribution model's name.
        total: The total pacing (All channels).
        experiments: The A/B results (with the Channel of each variant).
        team: The Team table (the Marketing Ops owner of unowned actions).
        review: The review the actions are due at.
        days: ``(elapsed days d, period days D)``.
        attribution_reliable: Whether attribution reconciles with Actuals (see :func:`decide`); False makes the
            plan price on the channels' own CAC and ROAS.
        prefix: The currency prefix the evidence writes money with.

    Returns:
        The :class:`Recommendations`.
    """
    use_attribution = attribution_reliable and not attributed.empty
    decisions = {
        ch: decide(
            c,
            t,
            rails,
            attributed.loc[ch] if not attributed.empty and ch in attributed.index else None,
            attribution_reliable,
            prefix=prefix,
        )
        for ch, c in card.iterrows()
    }
    efficiency = plan_efficiency(card, attributed, use_attribution)
    plan = reallocation_plan(
        {ch: d.frees for ch, d in decisions.items()},
        {ch: d.asks for ch, d in decisions.items()},
        card["Attainment"].astype(float),
        efficiency,
        _plan_basis(attributed, model, use_attribution),
        prefix,
    )
    rows = [_channel_row(ch, card.loc[ch], decisions[ch], plan, days, prefix) for ch in card.index]
    rows += _all_channels_rows(total, prefix) + _roll_out_rows(experiments)
    table = _by_priority(_with_owners(pd.DataFrame(rows), card, team, review))
    return Recommendations(table[list(RECOMMENDATION_COLUMNS)], plan, what_if(card, efficiency, plan.change), decisions)


def _plan_basis(attributed: pd.DataFrame, model: str, use_attribution: bool) -> str:
    """Which CAC and ROAS price the plan, in words."""
    if use_attribution:
        return f"attributed CAC and ROAS ({model} model)"
    if attributed.empty:
        return "the channels' own CAC and ROAS (no journey data)"
    return "the channels' own CAC and ROAS (attribution does not reconcile with Actuals)"


def _all_channels_rows(total: TotalPacing, prefix: str) -> list[dict]:
    """All channels' row (Throttle) when the total spend is over pace; none otherwise."""
    if total.status != OVER:
        return []
    evidence, cap = total_overspend(total, prefix)
    return [
        _row(
            ALL_CHANNELS,
            THROTTLE,
            f"{evidence}: {cap}",
            budget=total.budget,
            remaining=max(total.remaining, 0.0),
            overspend=total.projected_overspend,
            stake=total.projected_overspend,
        )
    ]


def _roll_out_rows(experiments: pd.DataFrame) -> list[dict]:
    """One Roll out row per A/B winner, owned by its channel's owner."""
    if experiments.empty:
        return []
    return [
        _row(f"{v['Experiment']}: {v['Variant']}", ROLL_OUT, experiment_evidence(v), channel=v.get("Channel"))
        for _, v in experiments[experiments["Decision"] == ROLL_OUT].iterrows()
    ]


def _with_owners(table: pd.DataFrame, card: pd.DataFrame, team: pd.DataFrame, review: NextReview) -> pd.DataFrame:
    """Give each row its owner (its channel's, else the Marketing Ops member's) and the review it is due at."""
    fallback = owner_of_operations(team)
    owners = {ch: o if isinstance(o, str) and o.strip() else fallback for ch, o in card["Owner"].items()}
    table["Owner"] = [owners.get(ch, fallback) if isinstance(ch, str) else fallback for ch in table.pop("_owner_of")]
    table["Due"] = review.due
    table["Review"] = review.review
    return table


def _by_priority(table: pd.DataFrame) -> pd.DataFrame:
    """Order the rows by the money at stake (largest first; ties by action, then as listed) and number them."""
    order = {a: i for i, a in enumerate((*CHANNEL_ACTIONS, ROLL_OUT))}
    table["_action"] = table["Action"].map(order)
    table["_row"] = range(len(table))
    table = table.sort_values(["Money at stake", "_action", "_row"], ascending=[False, True, True], kind="stable")
    table = table.drop(columns=["_action", "_row"]).reset_index(drop=True)
    table["Priority"] = range(1, len(table) + 1)
    table["Money at stake is"] = [_stake_column(r) for _, r in table.iterrows()]
    return table


def _stake_column(r: pd.Series) -> str:
    """Which of the money columns the money at stake is ("" when nothing is at stake): the label every place that
    shows one amount per action gives it."""
    stake = r["Money at stake"]
    if not stake > 0:
        return ""
    return next((h for h in STAKE_COLUMNS if not pd.isna(r[h]) and abs(r[h] - stake) < 0.005), "")


def _row(
    subject: str,
    action: str,
    evidence: str,
    *,
    conflict: str = "",
    budget: float = math.nan,
    remaining: float = math.nan,
    overspend: float = math.nan,
    asked: float = math.nan,
    moved: float = 0.0,
    funding: str = "",
    stake: float = 0.0,
    channel: object = ALL_CHANNELS,
) -> dict:
    return {
        "Subject": subject,
        "Action": action,
        "Evidence": evidence,
        "Conflict": conflict,
        "Budget for period": budget,
        "Remaining budget": remaining,
        "Projected overspend": overspend,
        "Budget asked": asked,
        "Budget to move this period": moved,
        "Funding": funding,
        "Money at stake": 0.0 if pd.isna(stake) else float(stake),
        "_owner_of": channel,
    }


def _channel_row(ch: str, c: pd.Series, d: Decision, plan: Plan, days: tuple[int, int], prefix: str) -> dict:
    """A channel's row: its decision with its labelled money, its funding and the money at stake."""
    elapsed, period = days
    budget = float(c["Budget for period"])
    spend = float(c["Spend"])
    budgeted = c["Pacing status"] in (OVER, ON, UNDER)
    remaining = max(budget - spend, 0.0) if budget > 0 else math.nan
    if budgeted:
        overspend = max(float(c["Projected variance"]), 0.0)
    elif c["Pacing status"] == NO_BUDGET and spend > 0:
        overspend = spend * period / elapsed  # no budget line: all its projected spend lies outside one
    else:
        overspend = math.nan
    funding = plan.funding.get(ch, "")
    if d.why_not:
        funding = f"no increase: {d.why_not}"
    if d.action == SCALE and c["Pacing status"] == OVER and d.asks - plan.change.get(ch, 0.0) > 0.005:
        funding += f"; until funded, {channel_cap(c, prefix)}"
    zero = 0.0
    stake = {
        SCALE: d.asks,
        THROTTLE: overspend,
        PAUSE: max(_num(remaining), _num(overspend)),
        FREE_BUDGET: max(_num(remaining), _num(overspend)),
        FIX: max(_num(remaining), _num(overspend)),
        SPEND_TO_PLAN: remaining,
    }.get(d.action, zero)
    return _row(
        ch,
        d.action,
        d.evidence,
        conflict=d.conflict,
        budget=budget,
        remaining=remaining,
        overspend=overspend,
        asked=d.asks if d.action == SCALE else math.nan,
        moved=plan.change.get(ch, 0.0),
        funding=funding,
        stake=stake,
        channel=ch,
    )


def _num(x: float) -> float:
    return 0.0 if pd.isna(x) else float(x)
