"""The engine: everything the report shows, computed once from a validated intake.

The writer, the text framework and ``--json`` only lay out what :func:`analyse` returns; the numbers
come from the pure functions in :mod:`mops_xl.metrics`, each defined once in docs/metrics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mops_xl.intake.model import TRACKABLE, Intake
from mops_xl.metrics import pacing as pacing_m
from mops_xl.metrics.attribution import (
    SETTING_NAMES,
    Attribution,
    attribute,
    channels_affected_by_model,
    journeys_from_paths,
    journeys_from_touchpoints,
    moving_channels,
)
from mops_xl.metrics.campaigns import CampaignPlan, campaign_plans
from mops_xl.metrics.martech import (
    STANDARD_CATEGORIES,
    FunnelCoverage,
    IntegrationMap,
    StackOverview,
    TeamStructure,
    funnel_coverage,
    integration_map,
    stack_overview,
    team_structure,
)
from mops_xl.metrics.maturity import Evidence, Maturity, maturity
from mops_xl.metrics.pacing import spend_status
from mops_xl.metrics.performance import (
    Blended,
    blended,
    stack_cost_for_days,
    tracked_sums,
    undefined_reason,
    with_ratios,
)
from mops_xl.metrics.reallocation import GuardRails, attributed_efficiency, reallocation_plan, what_if
from mops_xl.metrics.statuses import ALL_CHANNELS, NO_BUDGET, NOT_TRACKED, UNDER
from mops_xl.metrics.targets import (
    NO_DATA,
    NO_TARGET,
    attainment,
    blended_target,
    primary_metric,
    projection,
    status,
    target_table,
    target_to_date,
)
from mops_xl.metrics.tracking import Tracking, needs
from mops_xl.metrics.trend import channel_trends
from mops_xl.metrics.triggers import (
    Thresholds,
    budget_needed,
    channel_triggers,
    decision_grid,
    experiment_triggers,
    prioritise,
    total_triggers,
)
from mops_xl.metrics.volumes import VOLUMES, channel_volumes, in_window
from mops_xl.metrics.window import ReportingWindow

#: The KPI Framework rows, in order (blended figures).
KPI_METRICS = (
    "Leads",
    "MQLs",
    "SQLs",
    "Customers",
    "Revenue",
    "Spend",
    "Spend vs target",
    "CPL",
    "CAC",
    "Fully-loaded CAC",
    "LTV:CAC",
    "ROAS",
    "MER",
)
KPI_COLUMNS = (
    "Metric",
    "Definition",
    "Target",
    "Target to date",
    "Actual",
    "Attainment",
    "Status",
    "Projection",
    "Previous period",
    "Change",
)
#: Columns of the Channel Performance table, in order (after Channel).
CHANNEL_PERFORMANCE_COLUMNS = (
    "Spend",
    "Leads",
    "MQLs",
    "SQLs",
    "Customers",
    "Revenue",
    "CPL",
    "CAC",
    "ROAS",
    "Trend",
    "Trend %",
    "Trend verdict",
    "Status",
)
NEEDED_METRICS = ("Leads", "MQLs", "SQLs", "Customers", "Revenue")
#: The figures the Dashboard's KPI boxes may show, in order of preference (see :func:`kpi_boxes`).
BOX_CANDIDATES = ("MQLs", "SQLs", "CAC", "ROAS", "Customers", "Revenue", "Leads", "CPL", "LTV:CAC", "MER")
#: How many KPI boxes the Dashboard, the framework and the terminal summary show.
BOX_COUNT = 4


@dataclass
class Analysis:
    """What the engine computed for one intake.

    Args:
        intake: The intake it was computed from.
        window: The reporting window.
        channels: The per-channel scorecard (volumes, ratios, budget, primary metric, status, trend, pacing).
        blended: The all-channel figures to date.
        previous: The all-channel figures of the previous period, or None when Actuals do not reach back.
        kpis: The KPI Framework table.
        campaigns: Volumes and ratios per channel and campaign, to date.
        pacing_lines: Budget pacing per budget line.
        unbudgeted: Channel → spend to date on days no budget line covers.
        total_pacing: All spend to date against every line's expected spend to date: the one answer to "are
            we on budget?" (KPI Framework Spend, Budget Pacing's total, Dashboard, roll-up).
        spend_curve: Day by day: cumulative spend and the budget to date (the Dashboard's pace chart).
        grid: The pacing × efficiency decision grid.
        needed: The budget needed to hit each volume target.
        triggers: Every fired optimization trigger, by priority.
        warnings: Findings that are not triggers (e.g. underspending).
        notes: Assumptions and data notes, each ``{"subject", "note"}``.
        definitions: Lead, MQL and SQL definitions, as the intake states them.
        experiments: Per-variant A/B test results.
        has_data: Whether any Actuals row falls in the window.
        stack: The martech stack by stage and category, with gaps and islands.
        integrations: The integration map and its automation share.
        funnel: Active channels per funnel stage, with gaps.
        team: The team against the standard roles and the stack.
        maturity: The maturity level, module scores, evidence and next steps.
        attribution: Credit per channel under every attribution model (None without journey data).
        attribution_model: The model the plan uses (the Settings choice, or Markov when it cannot run).
        attributed: Attributed conversions, value, CAC and ROAS per channel under that model.
        affected: Channels whose credit moves most between models → spread of their share.
        affected_by_model: Model → the channels whose share it moves most from the models' average.
        reallocation: The budget reallocation plan.
        what_if: The plan's effect per channel: proposed budget, change, expected extra customers and revenue.
        window_rows: The number of Actuals rows in the window (S … A).
        campaign_plans: One plan per campaign: checklist with due dates, progress, spend to date.
        tracking: Which volumes each channel tracks; what is "Not tracked".
        kpi_boxes: The KPI Framework metrics the KPI boxes show (see :func:`kpi_boxes`).
    """

    intake: Intake
    window: ReportingWindow
    channels: pd.DataFrame
    blended: Blended
    previous: Blended | None
    kpis: pd.DataFrame
    campaigns: pd.DataFrame
    pacing_lines: pd.DataFrame
    unbudgeted: pd.Series
    total_pacing: pacing_m.TotalPacing
    spend_curve: pd.DataFrame
    grid: pd.DataFrame
    needed: pd.DataFrame
    triggers: pd.DataFrame
    warnings: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    experiments: pd.DataFrame = field(default_factory=pd.DataFrame)
    has_data: bool = True
    stack: StackOverview | None = None
    integrations: IntegrationMap | None = None
    funnel: FunnelCoverage | None = None
    team: TeamStructure | None = None
    maturity: Maturity | None = None
    attribution: Attribution | None = None
    attribution_model: str = ""
    attributed: pd.DataFrame = field(default_factory=pd.DataFrame)
    affected: dict[str, float] = field(default_factory=dict)
    affected_by_model: dict[str, list[str]] = field(default_factory=dict)
    reallocation: pd.DataFrame = field(default_factory=pd.DataFrame)
    what_if: pd.DataFrame = field(default_factory=pd.DataFrame)
    window_rows: int = 0
    campaign_plans: list[CampaignPlan] = field(default_factory=list)
    tracking: Tracking | None = None
    kpi_boxes: list[str] = field(default_factory=list)

    @property
    def channel_performance(self) -> pd.DataFrame:
        """The Channel Performance table: :data:`CHANNEL_PERFORMANCE_COLUMNS` per channel."""
        return self.channels[list(CHANNEL_PERFORMANCE_COLUMNS)]


def thresholds(settings: dict[str, Any]) -> Thresholds:
    """Read the trigger thresholds from the Settings values.

    Args:
        settings: The intake's settings.

    Returns:
        The :class:`Thresholds`.
    """
    return Thresholds(
        settings["Underperforming threshold"],
        settings["Overspending threshold"],
        settings["High-performer threshold"],
        settings["A/B significance level"],
        settings["Minimum spend before triggers"],
    )


def definitions(business: dict[str, Any]) -> dict[str, str]:
    """The funnel definitions that travel with the counts.

    Args:
        business: The Business values.

    Returns:
        ``{"Leads": …, "MQLs": …, "SQLs": …}``.
    """
    mql = business["MQL definition"]
    if business.get("MQL score threshold") is not None:
        mql += f" (MQL score threshold: {business['MQL score threshold']:g})"
    return {"Leads": business["Lead definition"], "MQLs": mql, "SQLs": business["SQL definition"]}


def analyse(intake: Intake) -> Analysis:
    """Compute the report's figures for an intake.

    Args:
        intake: A validated intake.

    Returns:
        The :class:`Analysis`.
    """
    s = intake.settings
    t = thresholds(s)
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, s["Data settling days"])
    d, D = window.elapsed_days, window.period_days
    actuals, channels_tbl = intake.actuals, intake.channels
    names = list(channels_tbl["Channel"])
    info = channels_tbl.set_index("Channel")
    paid = info["Paid"].fillna(False).astype(bool)
    rows = in_window(actuals, window.start, window.as_of)
    ltv = intake.business["Customer lifetime value"]
    stack_cost = stack_cost_for_days(intake.table("Stack"), d)

    tracking = Tracking.of(intake)
    volumes = channel_volumes(rows, names, tracked=tracking.by_channel)
    current = blended(volumes, paid, ltv, stack_cost)
    previous = _previous(actuals, window, names, paid, ltv, intake.table("Stack"), tracking)

    lines = pacing_m.budget_lines(intake.budget, actuals, window, s["Pacing method"], t.overspending)
    by_channel_pace = pacing_m.channel_pacing(lines, names, t.overspending)
    budget = pacing_m.budget_for_period(lines, names)
    table = target_table(intake.targets)

    card = with_ratios(volumes)
    card["LTV:CAC"] = [math.nan if ltv is None else _div(ltv, c) for c in card["CAC"]]
    for col in (
        "Role",
        "Funnel stage",
        "Target audience",
        "Owner",
        "Expected CAC",
        "Locked",
        "Minimum spend",
        "Maximum spend",
    ):
        card[col] = info[col].reindex(names).to_numpy()
    card["CAC target"] = [table.get(("CAC", ch), math.nan) for ch in names]
    card["Paid"] = paid.reindex(names).to_numpy()
    card["Budget for period"] = budget
    total_budget = float(budget.sum())
    card["Budget %"] = budget / total_budget if total_budget else math.nan
    card["Spend share"] = volumes["Spend"] / current.volumes["Spend"] if current.volumes["Spend"] else math.nan
    _judge_channels(card, table, t, d, D, not rows.empty, tracking)
    trends = _trends(actuals, card, window, s, tracking)
    card = card.join(trends[["Trend metric", "Trend %", "Trend", "Trend verdict"]]).join(
        trends[["Recent", "Prior"]].rename(columns={"Recent": "Trend recent", "Prior": "Trend prior"})
    )
    card["Expected to date"] = by_channel_pace["Expected to date"]
    card["Pacing actual"] = by_channel_pace["Actual"].fillna(0.0)
    card["Pace"] = by_channel_pace["Pace"]
    card["Pacing status"] = by_channel_pace["Status"]
    card["Projected variance"] = by_channel_pace["Variance"].fillna(0.0)
    card["Daily spend to land on budget"] = by_channel_pace["Daily spend to land on budget"]
    card.index.name = "Channel"

    experiments = _experiments(intake, s)
    owners = {ch: o for ch, o in info["Owner"].items() if isinstance(o, str)}
    total = pacing_m.total_pacing(
        lines, float(current.volumes["Spend"]), window, s["Pacing method"], t.overspending, not rows.empty
    )
    fired = (
        channel_triggers(card, t, d, D)
        + total_triggers(total, t)
        + experiment_triggers(experiments, t.significance, owners)
    )
    paces = [(ch, c["Pace"], c["Pacing status"]) for ch, c in card.iterrows()]
    warnings = [
        {
            "subject": subject,
            "warning": f"Underspending: pace {pace:.0%} is below {2 - t.overspending:.0%} of the budget pace",
        }
        for subject, pace, state in [*paces, (ALL_CHANNELS, total.pace, total.status)]
        if state == UNDER
    ]
    unbudgeted = pacing_m.unbudgeted_spend(intake.budget, actuals, window)
    kpis = _kpis(current, previous, table, names, total, t, window, rows.empty, intake, tracking)
    stack = stack_overview(intake.table("Stack"), intake.table("Integrations"))
    links = integration_map(intake.table("Integrations"))
    volume_cols = ["Spend", "Impressions", "Clicks", "Leads", "Customers", "Revenue"]
    budgeted, moved = set(lines["Channel"]), card[volume_cols].sum(axis=1) > 0  # built once: near-linear in channels
    active = [ch for ch in names if moved.get(ch, False) or ch in budgeted]
    evidence = maturity_evidence(intake, stack, links, kpis, card, experiments)
    attribution, model = _attribution(intake, s)
    attributed = pd.DataFrame()
    plan = pd.DataFrame()
    effect = pd.DataFrame()
    if attribution is not None:
        attributed = attributed_efficiency(card, attribution.conversions[model], attribution.value[model])
        fired_for: dict[str, set[str]] = {}
        for f in fired:
            fired_for.setdefault(f["Trigger"], set()).add(f["Subject"])
        plan = reallocation_plan(card, attributed, GuardRails(s["Maximum budget shift"], t.minimum_spend), fired_for)
        effect = what_if(card, attributed, plan)
    return Analysis(
        intake=intake,
        window=window,
        channels=card,
        blended=current,
        previous=previous,
        kpis=kpis,
        campaigns=_campaigns(rows, actuals),
        pacing_lines=lines,
        unbudgeted=unbudgeted,
        total_pacing=total,
        spend_curve=pacing_m.spend_curve(lines, actuals, window, s["Pacing method"]),
        grid=decision_grid(card, t.underperforming),
        needed=_needed(table, card, total_budget, tracking),
        triggers=prioritise(fired),
        warnings=warnings,
        notes=_notes(intake, window, card, unbudgeted, t, rows.empty, tracking)
        + pacing_m.clipped_line_notes(lines, window),
        definitions=definitions(intake.business),
        experiments=experiments,
        has_data=not rows.empty,
        stack=stack,
        integrations=links,
        funnel=funnel_coverage(channels_tbl, active),
        team=team_structure(intake.table("Team"), intake.table("Stack")),
        maturity=maturity(intake.table("Assessment"), evidence),
        attribution=attribution,
        attribution_model=model,
        attributed=attributed,
        affected=moving_channels(attribution) if attribution is not None else {},
        affected_by_model=channels_affected_by_model(attribution) if attribution is not None else {},
        reallocation=plan,
        what_if=effect,
        window_rows=len(rows),
        campaign_plans=campaign_plans(intake.table("Campaigns"), actuals, intake.table("Team"), window.as_of),
        tracking=tracking,
        kpi_boxes=kpi_boxes(kpis, tracking),
    )


def kpi_boxes(kpis: pd.DataFrame, tracking: Tracking) -> list[str]:
    """Choose the KPI boxes: the first :data:`BOX_COUNT` tracked figures of :data:`BOX_CANDIDATES` that have a
    target, then, if fewer, the tracked ones without a target (each in that order).

    Args:
        kpis: The KPI Framework table.
        tracking: What the intake tracks.

    Returns:
        The metrics, at most :data:`BOX_COUNT`.
    """
    tracked = [m for m in BOX_CANDIDATES if tracking.blended(m)]
    with_target = [m for m in tracked if not pd.isna(kpis.loc[m, "Target"])]
    return (with_target + [m for m in tracked if m not in with_target])[:BOX_COUNT]


def _trends(
    actuals: pd.DataFrame, card: pd.DataFrame, window: ReportingWindow, s: dict[str, Any], tracking: Tracking
) -> pd.DataFrame:
    """Each channel's trend (docs/metrics.md, "Trend"); Not tracked where its trend metric is not tracked."""
    trends = channel_trends(
        actuals,
        card["Primary metric"].where(card["Primary metric"] != "Leads"),
        window.as_of,
        s["Trend window"],
        s["Trend band"],
    )
    for ch, tr in trends.iterrows():
        if not tracking.channel(ch, tr["Trend metric"]):
            trends.loc[ch, ["Recent", "Prior", "Trend %"]] = math.nan
            trends.loc[ch, ["Trend", "Trend verdict"]] = NOT_TRACKED
    return trends


def _attribution(intake: Intake, s: dict[str, Any]) -> tuple[Attribution | None, str]:
    """Attribute the Touchpoints (else the Paths) with every model; pick the Settings model."""
    touches, paths = intake.table("Touchpoints"), intake.table("Paths")
    if not touches.empty:
        journeys = journeys_from_touchpoints(touches, s["Lookback window"])
    elif not paths.empty:
        journeys = journeys_from_paths(paths)
    else:
        return None, SETTING_NAMES[s["Attribution model"]]
    result = attribute(journeys, s["Time-decay half-life"], s["Position-based endpoint share"])
    model = SETTING_NAMES[s["Attribution model"]]
    if result.conversions[model].isna().all():
        result.notes.append(f"{model} cannot run on this data; the plan uses Markov instead")
        model = "Markov"
    return result, model


def _share(part: int, whole: int, what: str) -> tuple[float | None, str]:
    if whole == 0:
        return None, f"no {what} to judge"
    return part / whole, f"{part} of {whole} {what} ({part / whole:.0%})"


def maturity_evidence(
    intake: Intake,
    stack: StackOverview,
    links: IntegrationMap,
    kpis: pd.DataFrame,
    card: pd.DataFrame,
    experiments: pd.DataFrame,
) -> list[Evidence]:
    """Gather what the data itself says about each maturity module (see docs/metrics.md, "Maturity").

    Args:
        intake: The intake.
        stack: The stack overview.
        links: The integration map.
        kpis: The KPI Framework table.
        card: The channel scorecard.
        experiments: The experiment results.

    Returns:
        One :class:`~mops_xl.metrics.maturity.Evidence` per item.
    """
    ev = []
    n_links = len(links.rows)
    value, text = _share(
        int(round(links.automation_share * n_links)) if n_links else 0, n_links, "integrations automated"
    )
    ev.append(Evidence("automation", value, text))
    n_tools = sum(len(v) for v in stack.by_stage.values())
    ev.append(
        Evidence("stack_documented", 1.0 if n_tools else 0.0, f"{n_tools} active tools documented on the Stack sheet")
    )
    ev.append(
        Evidence(
            "category_coverage",
            len(stack.covered) / len(STANDARD_CATEGORIES),
            f"{len(stack.covered)} of {len(STANDARD_CATEGORIES)} martech categories covered",
        )
    )
    campaigns = intake.table("Campaigns")
    value, text = _share(int(campaigns["Type"].notna().sum()), len(campaigns), "campaigns with a standard type")
    ev.append(Evidence("campaign_templates", value, text))
    ev.append(
        Evidence(
            "campaigns_planned",
            1.0 if len(campaigns) else 0.0,
            f"{len(campaigns)} campaigns planned on the Campaigns sheet",
        )
    )
    channels = intake.channels
    defined = int((channels["Role"].notna() & channels["Owner"].notna()).sum())
    value, text = _share(defined, len(channels), "channels with a role and an owner")
    ev.append(Evidence("channel_roles", value, text))
    n_tests = int(experiments["Experiment"].nunique()) if not experiments.empty else 0
    ev.append(Evidence("experiments", min(n_tests / 3, 1.0), f"{n_tests} A/B experiments run"))
    journeys = len(intake.table("Touchpoints")) + len(intake.table("Paths"))
    ev.append(
        Evidence(
            "attribution_data",
            1.0 if journeys else 0.0,
            "journey data present for attribution" if journeys else "no journey data for attribution",
        )
    )
    paid = card[card["Paid"].astype(bool)]
    value, text = _share(int((paid["Pacing status"] != NO_BUDGET).sum()), len(paid), "paid channels with a budget")
    ev.append(Evidence("budget_coverage", value, text))
    targetable = kpis[~kpis["Metric"].isin(["Fully-loaded CAC", "MER", "Spend vs target"])]
    value, text = _share(int(targetable["Target"].notna().sum()), len(targetable), "KPIs with a target")
    ev.append(Evidence("kpi_targets", value, text))
    value, text = _share(int(card["Primary metric"].notna().sum()), len(card), "channels with a target")
    ev.append(Evidence("channel_targets", value, text))
    return ev


def _div(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) else math.nan


def _previous(
    actuals: pd.DataFrame,
    window: ReportingWindow,
    names: list[str],
    paid: pd.Series,
    ltv: float | None,
    stack: pd.DataFrame,
    tracking: Tracking,
) -> Blended | None:
    first, last = window.previous
    if actuals.empty or actuals["Date"].min() > first:
        return None
    volumes = channel_volumes(in_window(actuals, first, last), names, tracked=tracking.by_channel)
    return blended(volumes, paid, ltv, stack_cost_for_days(stack, window.elapsed_days))


def _judge_channels(
    card: pd.DataFrame, table: dict, t: Thresholds, d: int, D: int, has_data: bool, tracking: Tracking
) -> None:
    """Add each channel's primary metric, its target (for the period and to date), attainment and status (Not
    tracked where the channel does not track what its primary metric needs)."""
    metric, target, source, to_date, actual, att, stat = [], [], [], [], [], [], []
    for ch, c in card.iterrows():
        primary = primary_metric(ch, table, c["Expected CAC"])
        if primary is None:
            metric.append(None), target.append(math.nan), source.append(None), to_date.append(math.nan)
            actual.append(math.nan), att.append(math.nan), stat.append(NO_TARGET)
            continue
        m, tgt, src = primary
        value = float(c[m])
        so_far = target_to_date(m, tgt, d, D)
        a = attainment(m, value, so_far)
        metric.append(m), target.append(tgt), source.append(src), to_date.append(so_far)
        actual.append(value), att.append(a)
        judged = status(a, t.underperforming, t.high_performer, has_data=has_data and not math.isnan(value))
        stat.append(judged if tracking.channel(ch, m) else NOT_TRACKED)
    card["Primary metric"], card["Primary target"], card["Primary source"] = metric, target, source
    card["Primary target to date"], card["Primary actual"] = to_date, actual
    card["Attainment"], card["Status"] = att, stat


_DEFINITIONS = {
    "Customers": "New customers won (sum of Customers in Actuals)",
    "Revenue": "Sum of Revenue in Actuals",
    "Spend": "Spend vs budget to date: Sum of Spend in Actuals (all channels); target: the budget for the period "
    "(Budget Pacing); target to date: every budget line's expected spend to date; attainment: the total pace; "
    "status: its pacing band",
    "Spend vs target": "Spend against the Spend row of the Targets sheet (blank Channel), prorated to date; "
    "status: the pacing bands",
    "CPL": "Spend ÷ Leads",
    "CAC": "Spend ÷ Customers",
    "Fully-loaded CAC": "(Spend + active stack tools' monthly cost × 12 ÷ 365 × elapsed days) ÷ Customers; "
    "people costs not included",
    "LTV:CAC": "Customer lifetime value ÷ CAC",
    "ROAS": "Revenue ÷ Spend of paid channels",
    "MER": "All revenue ÷ all spend (marketing efficiency ratio)",
}


def _kpis(
    cur: Blended,
    prev: Blended | None,
    table: dict,
    names: list[str],
    total: pacing_m.TotalPacing,
    t: Thresholds,
    window: ReportingWindow,
    no_data: bool,
    intake: Intake,
    tracking: Tracking,
) -> pd.DataFrame:
    d, D = window.elapsed_days, window.period_days
    over = t.overspending
    defs = definitions(intake.business)
    rows = []
    for m in KPI_METRICS:
        measured = "Spend" if m == "Spend vs target" else m
        actual = _blended_value(cur, measured)
        before = _blended_value(prev, measured) if prev is not None else math.nan
        if m == "Spend":  # against the budget: the total pace
            target, tdate, att, stat = total.budget, total.expected, total.pace, total.status
        else:
            target = blended_target(measured, table, names)
            tdate = target_to_date(measured, target, d, D) if target is not None else math.nan
            att = attainment(measured, actual, tdate) if target is not None else math.nan
            if m == "Spend vs target":
                stat = NO_TARGET if target is None else NO_DATA if no_data else spend_status(actual, tdate, over)
            else:
                stat = status(
                    att,
                    t.underperforming,
                    t.high_performer,
                    has_target=target is not None,
                    has_data=not no_data and not math.isnan(actual),
                )
        stat = stat if tracking.blended(measured) else NOT_TRACKED
        definition = _tracked_definition(f"{m}: {defs[m]}" if m in defs else _DEFINITIONS[m], measured, tracking)
        rows.append(
            {
                "Metric": m,
                "Definition": definition,
                "Target": math.nan if target is None else target,
                "Target to date": tdate,
                "Actual": actual,
                "Attainment": att,
                "Status": stat,
                "Projection": projection(measured, actual, d, D),
                "Previous period": before,
                "Change": _div(actual - before, before) if not math.isnan(before) else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(KPI_COLUMNS)).set_index("Metric", drop=False)


def _tracked_definition(definition: str, metric: str, tracking: Tracking) -> str:
    """A KPI's definition, saying which channels it counts when some do not track what it needs."""
    reason = tracking.reason(metric)
    if reason is not None:
        return f"{definition}. {reason[0].upper()}{reason[1:]}"
    left_out = tracking.left_out(metric)
    if not needs(metric) or not left_out:
        return definition
    return (
        f"{definition}. Counts only the channels that track {' and '.join(needs(metric))}; "
        f"left out: {', '.join(map(str, left_out))}"
    )


def _blended_value(b: Blended, metric: str) -> float:
    if metric in b.volumes:
        return b.volumes[metric]
    return {"Fully-loaded CAC": b.fully_loaded_cac, "LTV:CAC": b.ltv_to_cac, "MER": b.mer}.get(
        metric, b.ratios.get(metric, math.nan)
    )


def _campaigns(rows: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Volumes and ratios per channel and campaign to date; a volume is NaN (Not tracked) for a campaign whose
    Actuals rows, on any date, all leave it blank."""
    with_campaign = rows[rows["Campaign"].notna()]
    sums = with_campaign.groupby(["Channel", "Campaign"], sort=True)[list(VOLUMES)].sum().astype("float64")
    named = actuals[actuals["Campaign"].notna()]
    given = named[list(TRACKABLE)].notna().groupby([named["Channel"], named["Campaign"]]).any()
    sums[list(TRACKABLE)] = sums[list(TRACKABLE)].where(given.reindex(sums.index, fill_value=False))
    return with_ratios(sums)


_NEEDED_COLUMNS = [
    "Subject",
    "Metric",
    "Target",
    "Actual",
    "Spend",
    "Spend needed",
    "Budget for period",
    "Gap",
    "Reason",
]


def _needed(table: dict, card: pd.DataFrame, total_budget: float, tracking: Tracking) -> pd.DataFrame:
    """The budget needed to hit each volume target; the blended one at the cost per unit of the channels that
    track the volume; undefined (with the reason) where the volume is not tracked."""
    out = []
    subjects = [(None, total_budget)] + [(ch, float(c["Budget for period"])) for ch, c in card.iterrows()]
    for subject, budget in subjects:
        for m in NEEDED_METRICS:
            target = table.get((m, subject))
            if target is None:
                continue
            sums = tracked_sums(card if subject is None else card.loc[[subject]], m, "Spend")
            actual, spend = sums if sums is not None else (math.nan, math.nan)
            reason = tracking.reason(m, subject)
            if reason is None:
                needed, gap, reason = budget_needed(m, target, actual, spend, budget)
            else:
                needed, gap = math.nan, math.nan
            out.append(
                dict(
                    zip(
                        _NEEDED_COLUMNS,
                        (subject or "All channels", m, target, actual, spend, needed, budget, gap, reason),
                        strict=True,
                    )
                )
            )
    return pd.DataFrame(out, columns=_NEEDED_COLUMNS)


def _tracking_notes(tracking: Tracking) -> list[dict[str, str]]:
    """Data notes on what is not tracked: one per column nobody tracks, one per channel that leaves some out."""
    notes = []
    everywhere = [c for c in TRACKABLE if not tracking.blended(c)]
    for column in everywhere:
        notes.append(
            {
                "subject": column,
                "note": f"{NOT_TRACKED}: {tracking.reason(column).split(': ', 1)[1]}; every figure that needs "
                f"{column} says {NOT_TRACKED}",
            }
        )
    for ch, row in tracking.by_channel.iterrows():
        missing = [c for c in TRACKABLE if c not in everywhere and not row[c]]
        if missing and tracking.has_rows[ch]:
            notes.append(
                {
                    "subject": str(ch),
                    "note": f"Does not track {', '.join(missing)} (every Actuals row of the channel leaves "
                    f"{'it' if len(missing) == 1 else 'them'} blank): its figures that need "
                    f"{'it' if len(missing) == 1 else 'them'} say {NOT_TRACKED}, and blended figures count the "
                    "channels that track them",
                }
            )
    return notes


def _experiments(intake: Intake, s: dict[str, Any]) -> pd.DataFrame:
    from mops_xl.metrics.experiments import experiment_results

    table = intake.table("Experiments")
    results = experiment_results(table, s["A/B significance level"], s["Minimum conversions per variant"])
    if not results.empty:
        results["Channel"] = table["Channel"].to_numpy()
    return results


def _notes(
    intake: Intake,
    window: ReportingWindow,
    card: pd.DataFrame,
    unbudgeted: pd.Series,
    t: Thresholds,
    no_data: bool,
    tracking: Tracking,
) -> list[dict[str, str]]:
    notes = _tracking_notes(tracking)
    if no_data:
        notes.append(
            {
                "subject": "Actuals",
                "note": f"No Actuals rows between {window.start:%Y-%m-%d} and "
                f"{window.as_of:%Y-%m-%d}: figures show No data",
            }
        )
    first = window.provisional_from
    if first is not None:
        notes.append(
            {
                "subject": "Data freshness",
                "note": f"Figures that include {first:%Y-%m-%d} to "
                f"{window.as_of:%Y-%m-%d} (the last {window.settling_days} day(s)) are provisional: ad "
                "platforms may still revise them",
            }
        )
    for ch, amount in unbudgeted.items():
        notes.append({"subject": ch, "note": f"Unbudgeted spend: {amount:,.2f} spent on days no budget line covers"})
    if t.minimum_spend > 0:
        small = [str(ch) for ch in card.index[card["Spend"] < t.minimum_spend]]
        if small:
            notes.append(
                {
                    "subject": ", ".join(small),
                    "note": f"Spent less than the minimum "
                    f"{t.minimum_spend:,.2f}: not judged as under- or high performers",
                }
            )
    notes.append(
        {
            "subject": "Fully-loaded CAC",
            "note": "Adds the active stack tools' cost prorated to the elapsed days; people costs are not included",
        }
    )
    rows = card.to_dict("index")  # one conversion, not a Series per channel and metric
    for metric in ("CAC", "CPL", "ROAS"):
        for ch, c in rows.items():
            reason = undefined_reason(metric, c)
            if reason and c["Spend"] > 0:
                notes.append({"subject": ch, "note": f"{metric} undefined: {reason}"})
    return notes
