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
from mops_xl.analysis.decisions.period_plan import EPSILON, PeriodPlan, PlanRules, plan_rest_of_period
from mops_xl.analysis.decisions.plan_inputs import channel_positions, funding, moves_table
from mops_xl.analysis.decisions.reallocation import (
    MIN_ATTRIBUTED_CONVERSIONS,
    GuardRails,
    is_brand,
    plan_efficiency,
    room_in,
    room_out,
    what_if,
)
from mops_xl.analysis.decisions.reviews import NextReview
from mops_xl.analysis.decisions.triggers import (
    efficiency_band,
    efficiency_evidence,
    experiment_evidence,
    pace_evidence,
)
from mops_xl.analysis.figures.targets import attainment

#: One row per subject (every channel, then each A/B winner), read off the plan for the rest of the period.
RECOMMENDATION_COLUMNS = (
    "Priority",
    "Subject",
    "Action",
    "Evidence",
    "Conflict",
    "Budget for period",
    "Remaining budget",
    "Current daily spend",
    "Planned daily spend",
    "Planned rest of period",
    "Budget to move this period",
    "Expected customers change",
    "Expected revenue change",
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
    "Current daily spend",
    "Planned daily spend",
    "Planned rest of period",
    "Budget to move this period",
    "Expected revenue change",
)
#: What the money at stake of an action is, by action: the change in spend the plan makes by Period end (Scale,
#: Throttle, Pause, Spend to plan), the budget a channel gives (Free budget), the budget spent while a channel is
#: fixed (Fix).
CHANGE_IN_SPEND = "Change in spend to period end"
#: How every place that shows the actions labels them: values, decided when the report was built.
AS_BUILT = "as built — rebuild after editing Settings, Targets or Budget"
#: The role on the Team sheet that owns the actions no channel owner takes (all channels, unowned channels).
OPERATIONS_ROLE = "Marketing Ops"
#: The actions that ask nothing of anyone (left out of the Dashboard's top actions).
QUIET_ACTIONS = (HOLD, NOT_ENOUGH_DATA)


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
    cap = ""  # the plan says what the channel spends a day from now on
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
    """Rule 3: Scale, unless a lock, the Maximum spend or the attribution stops it (then Throttle when over pace,
    else Hold, with the reason). How much it gets is the plan's (:mod:`~mops_xl.analysis.decisions.period_plan`)."""
    over = c["Pacing status"] == OVER
    conflict = _conflict(c, EFFICIENT, verdict, attr, "scaling")
    if bool(c["Locked"]):
        why_not = "locked on the Channels sheet"
    elif room_in(c) <= 0:
        why_not = "at its Maximum spend"
    elif conflict:
        why_not = "the attribution disagrees (see Conflict)"
    else:
        why_not = ""
    if why_not:
        return Decision(THROTTLE if over else HOLD, f"{evidence}{cap}", conflict, why_not=why_not)
    return Decision(SCALE, evidence, conflict)


@dataclass
class Recommendations:
    """Every subject's one action, read off the plan for the rest of the period.

    Args:
        table: One row per subject by priority, columns :data:`RECOMMENDATION_COLUMNS`.
        plan: The plan for the rest of the period.
        moves: Every move of the plan, columns :data:`~mops_xl.analysis.decisions.reallocation.PLAN_COLUMNS`.
        what_if: The plan's effect per channel (see :func:`~mops_xl.analysis.decisions.reallocation.what_if`).
        decisions: Channel → its :class:`Decision` (the signals' judgement).
        positions: What the plan was made from, per channel.
        basis: Which CAC and ROAS price the plan, in words.
    """

    table: pd.DataFrame
    plan: PeriodPlan
    moves: pd.DataFrame
    what_if: pd.DataFrame
    decisions: dict[str, Decision]
    positions: pd.DataFrame
    basis: str


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
    run_rate: pd.DataFrame,
    days_left: int,
    experiments: pd.DataFrame,
    team: pd.DataFrame,
    review: NextReview,
    attribution_reliable: bool = True,
    prefix: str,
) -> Recommendations:
    """Judge every channel once, plan the money left in the period, and read each channel's action off the plan.

    Args:
        card: The channel scorecard.
        t: The thresholds.
        rails: The guard rails (the Maximum budget shift).
        attributed: Attributed conversions, CAC and ROAS per channel under the chosen model (empty without
            journeys).
        model: The chosen attribution model's name.
        run_rate: Each channel's Current daily spend and Most in a day (over the trend window).
        days_left: The days from the day after Report as of to Period end.
        experiments: The A/B results (with the Channel of each variant).
        team: The Team table (the Marketing Ops owner of unowned actions).
        review: The review the actions are due at.
        attribution_reliable: Whether attribution reconciles with Actuals (see :func:`decide`); False makes the
            plan price on the channels' own CAC and ROAS.
        prefix: The currency prefix the evidence writes money with.

    Returns:
        The :class:`Recommendations`.
    """
    use_attribution = attribution_reliable and not attributed.empty
    decisions = {
        ch: decide(c, t, rails, _attributed_row(attributed, ch), attribution_reliable, prefix=prefix)
        for ch, c in card.iterrows()
    }
    judged = {ch: not _unjudged(c, efficiency_band(float(c["Attainment"]), t.underperforming), t, prefix)
              for ch, c in card.iterrows()}  # fmt: skip
    efficiency = plan_efficiency(card, attributed, use_attribution)
    positions = channel_positions(card, run_rate, efficiency, judged, decisions)
    plan = plan_rest_of_period(positions, PlanRules(days_left, rails.max_shift, t.underperforming, prefix))
    money_in = funding(plan, prefix)
    rows = [_channel_row(ch, card.loc[ch], decisions[ch], plan, money_in.get(ch, "")) for ch in card.index]
    rows += _roll_out_rows(experiments)
    table = _by_priority(_with_owners(pd.DataFrame(rows), card, team, review))
    change = (plan.table["Planned rest of period"] - plan.table["Remaining budget"]).to_dict()
    return Recommendations(
        table=table[list(RECOMMENDATION_COLUMNS)],
        plan=plan,
        moves=moves_table(plan, positions, prefix),
        what_if=what_if(card, efficiency, change),
        decisions=decisions,
        positions=positions,
        basis=_plan_basis(attributed, model, use_attribution),
    )


def _attributed_row(attributed: pd.DataFrame, channel: str) -> pd.Series | None:
    return attributed.loc[channel] if not attributed.empty and channel in attributed.index else None


def _plan_basis(attributed: pd.DataFrame, model: str, use_attribution: bool) -> str:
    """Which CAC and ROAS price the plan, in words."""
    if use_attribution:
        return f"attributed CAC and ROAS ({model} model)"
    if attributed.empty:
        return "the channels' own CAC and ROAS (no journey data)"
    return "the channels' own CAC and ROAS (attribution does not reconcile with Actuals)"


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
    """Order the rows and number them 1, 2, 3 …: the actions that ask for something first (not Hold, not Not
    enough data), then the quiet ones, each by the money at stake (largest first; ties by action, then as
    listed). The top actions (the Dashboard's, the terminal summary's) are so the first rows, numbered 1 to n as
    the Optimization Actions sheet numbers them."""
    order = {a: i for i, a in enumerate((*CHANNEL_ACTIONS, ROLL_OUT))}
    table["_quiet"] = table["Action"].isin(QUIET_ACTIONS)
    table["_action"] = table["Action"].map(order)
    table["_row"] = range(len(table))
    table = table.sort_values(
        ["_quiet", "Money at stake", "_action", "_row"], ascending=[True, False, True, True], kind="stable"
    )
    table = table.drop(columns=["_quiet", "_action", "_row"]).reset_index(drop=True)
    table["Priority"] = range(1, len(table) + 1)
    return table


def _row(subject: str, action: str, evidence: str, *, channel: object, **figures: object) -> dict:
    """A row of the table: every column not given is empty (money NaN, text "")."""
    row: dict[str, object] = {
        "Subject": subject,
        "Action": action,
        "Evidence": evidence,
        "Conflict": "",
        "Funding": "",
        "Money at stake": 0.0,
        "Money at stake is": "",
        "_owner_of": channel,
    }
    row.update({c: math.nan for c in MONEY_COLUMNS})
    row.update({"Expected customers change": math.nan})
    row.update(figures)
    return row


def final_action(plan_action: str, decision: Decision, gives: float) -> str:
    """A channel's one action: the plan's, named by the signals where the plan keeps its spend about the same.

    Args:
        plan_action: The action read off the plan (Pause, Scale, Throttle, Spend to plan, Hold).
        decision: The signals' judgement (:func:`decide`).
        gives: The budget the plan takes from it beyond what it plans (its remaining budget less its plan).

    Returns:
        The plan's action; where the plan holds the channel's daily spend: Free budget when the signals find it
        underperforming and it gives budget, Fix or Not enough data when the signals say so, else Hold.
    """
    if plan_action != HOLD:
        return plan_action
    if gives > EPSILON and decision.action in (FREE_BUDGET, PAUSE):
        return FREE_BUDGET
    if decision.action in (FIX, NOT_ENOUGH_DATA):
        return decision.action
    return HOLD


def _channel_row(ch: str, c: pd.Series, d: Decision, plan: PeriodPlan, money_in: str) -> dict:
    """A channel's row: its plan, its action, the evidence and reason, its funding and the money at stake."""
    p = plan.table.loc[ch]
    remaining, planned = float(p["Remaining budget"]), float(p["Planned rest of period"])
    action = final_action(str(p["Action"]), d, remaining - planned)
    change = planned - float(p["Current daily spend"]) * plan.days_left
    stake, stake_is = {
        FREE_BUDGET: (remaining - planned, "Budget to move this period"),
        FIX: (remaining, "Remaining budget"),
        HOLD: (0.0, ""),
        NOT_ENOUGH_DATA: (0.0, ""),
    }.get(action, (abs(change), CHANGE_IN_SPEND))
    why_not = f"no increase: {d.why_not}" if d.why_not else ""
    return _row(
        ch,
        action,
        f"{d.evidence}; plan: {p['Reason']}",
        channel=ch,
        Conflict=d.conflict,
        **{
            "Budget for period": float(c["Budget for period"]),
            "Remaining budget": remaining,
            "Current daily spend": float(p["Current daily spend"]),
            "Planned daily spend": float(p["Planned daily spend"]),
            "Planned rest of period": planned,
            "Budget to move this period": planned - remaining,
            "Expected customers change": float(p["Expected customers change"]),
            "Expected revenue change": float(p["Expected revenue change"]),
            "Funding": "; ".join(x for x in (money_in, why_not) if x),
            "Money at stake": float(stake) if stake > EPSILON else 0.0,
            "Money at stake is": stake_is if stake > EPSILON else "",
        },
    )
