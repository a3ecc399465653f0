"""The engine: everything the report shows, computed once from a validated intake.

The writer, the text framework and ``--json`` only lay out what :func:`analyse` returns. The engine assembles
the results of :mod:`mops_xl.analysis`: the figures are the catalogue's (:mod:`mops_xl.analysis.blocks.catalogue`), the
channel scorecard :mod:`~mops_xl.analysis.figures.scorecard`'s, the KPI Framework
:mod:`~mops_xl.analysis.figures.kpis`', the
budget needed :mod:`~mops_xl.analysis.decisions.needed`'s, the maturity evidence
:mod:`~mops_xl.analysis.assessment.evidence`'s and
the Data Notes :mod:`~mops_xl.analysis.story.notes`'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mops_xl.analysis.assessment.evidence import maturity_evidence
from mops_xl.analysis.assessment.martech import (
    FunnelCoverage,
    IntegrationMap,
    StackOverview,
    TeamStructure,
    funnel_coverage,
    integration_map,
    stack_overview,
    team_structure,
)
from mops_xl.analysis.assessment.maturity import Maturity, maturity
from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.thresholds import Thresholds
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.decisions.needed import budget_needed_table, needed_metrics
from mops_xl.analysis.decisions.reallocation import GuardRails, attributed_efficiency
from mops_xl.analysis.decisions.recommendations import QUIET_ACTIONS, recommend
from mops_xl.analysis.decisions.reviews import NextReview, next_review
from mops_xl.analysis.figures import pacing as pacing_m
from mops_xl.analysis.figures.attribution import (
    SETTING_NAMES,
    Attribution,
    AttributionCoverage,
    Journeys,
    attribute,
    channels_affected_by_model,
    coverage_of,
    journeys_from_paths,
    journeys_from_touchpoints,
    moving_channels,
    on_actuals,
)
from mops_xl.analysis.figures.campaigns import CampaignPlan, campaign_plans, campaign_warnings
from mops_xl.analysis.figures.kpis import KPI_COLUMNS, Judging, definitions, kpi_table
from mops_xl.analysis.figures.performance import Blended, blended, stack_cost_for_days
from mops_xl.analysis.figures.scorecard import ChannelInputs, campaign_figures, scorecard, underspending
from mops_xl.analysis.figures.targets import target_table
from mops_xl.analysis.figures.volumes import channel_volumes, in_window
from mops_xl.analysis.story.headline import headline_sentence, kpi_boxes
from mops_xl.analysis.story.notes import data_notes, import_notes
from mops_xl.intake.currencies import symbol
from mops_xl.intake.model import Intake

__all__ = [
    "CHANNEL_PERFORMANCE_COLUMNS",
    "KPI_COLUMNS",
    "KPI_METRICS",
    "NEEDED_METRICS",
    "Analysis",
    "analyse",
    "definitions",
    "kpi_boxes",
    "maturity_evidence",
    "thresholds",
]

#: The KPI Framework rows of the shipped catalogue, in order (blended figures; see
#: :attr:`~mops_xl.analysis.blocks.catalogue.Catalogue.kpis`).
KPI_METRICS = catalogue.CATALOGUE.kpis
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
#: The volumes a budget can be needed for (see :func:`~mops_xl.analysis.decisions.needed.needed_metrics`).
NEEDED_METRICS = needed_metrics()


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
        needed: The budget needed to hit each volume target.
        recommendations: One action per channel (then All channels, then each A/B winner) with its evidence,
            conflict, labelled money, funding, owner and due date, by priority: the money at stake (see
            :mod:`mops_xl.analysis.decisions.recommendations`).
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
        attribution: Credit per channel under every attribution model (None without journey data: the one
            figure that may be missing, with the previous period).
        attribution_model: The model the plan uses (the Settings choice, or Markov when it cannot run).
        attribution_coverage: The journeys' conversions and value against Actuals' customers and revenue in the
            window; its ``reliable`` flag says whether attributed efficiency may steer the plan (None without
            journey data).
        attributed: Attributed conversions, value, CAC and ROAS per channel under that model, on Actuals:
            Actuals' customers and revenue in the window split by the model's shares (empty without journey data).
        affected: Channels whose credit moves most between models → spread of their share.
        affected_by_model: Model → the channels whose share it moves most from the models' average.
        reallocation: The plan's moves of budget (the money side of the recommendations).
        what_if: The plan's effect per channel: proposed budget, change, expected extra customers and revenue.
        plan_basis: Which CAC and ROAS priced the plan, in words.
        review: The review the actions are due at (Cadence sheet; None when it has no future review).
        window_rows: The number of Actuals rows in the window (S … A).
        campaign_plans: One plan per campaign: checklist with due dates, progress, spend to date.
        tracking: Which volumes each channel tracks; what is "Not tracked".
        kpi_boxes: The KPI Framework metrics the KPI boxes show (see :func:`kpi_boxes`).
        headline: The sentence that says how the period is going (see
        :func:`mops_xl.analysis.story.headline.headline_sentence`).
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
    needed: pd.DataFrame
    recommendations: pd.DataFrame
    warnings: list[dict[str, str]]
    notes: list[dict[str, str]]
    definitions: dict[str, str]
    experiments: pd.DataFrame
    has_data: bool
    stack: StackOverview
    integrations: IntegrationMap
    funnel: FunnelCoverage
    team: TeamStructure
    maturity: Maturity
    attribution: Attribution | None
    attribution_model: str
    attribution_coverage: AttributionCoverage | None
    attributed: pd.DataFrame
    affected: dict[str, float]
    affected_by_model: dict[str, list[str]]
    reallocation: pd.DataFrame
    what_if: pd.DataFrame
    plan_basis: str
    review: NextReview | None
    window_rows: int
    campaign_plans: list[CampaignPlan]
    tracking: Tracking
    kpi_boxes: list[str]

    @property
    def top_actions(self) -> pd.DataFrame:
        """The recommendations that ask for something (not Hold, not Not enough data), by priority: the money at
        stake, largest first."""
        r = self.recommendations
        return r[~r["Action"].isin(QUIET_ACTIONS)]

    headline: str

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
    actuals, channels_tbl = intake.actuals, intake.channels
    names = list(channels_tbl["Channel"])
    info = channels_tbl.set_index("Channel")
    paid = info["Paid"].fillna(False).astype(bool)
    rows = in_window(actuals, window.start, window.as_of)
    has_data = not rows.empty
    ltv = intake.business["Customer lifetime value"]

    tracking = Tracking.of(intake)
    volumes = channel_volumes(rows, names, tracked=tracking.by_channel)
    current = blended(volumes, paid, ltv, stack_cost_for_days(intake.table("Stack"), window.elapsed_days))
    previous = _previous(actuals, window, names, paid, ltv, intake.table("Stack"), tracking)

    lines = pacing_m.budget_lines(intake.budget, actuals, window, s["Pacing method"], t.overspending)
    budget = pacing_m.budget_for_period(lines, names)
    table = target_table(intake.targets)
    inputs = ChannelInputs(
        info, paid, budget, pacing_m.channel_pacing(lines, names, t.overspending), table, intake.business
    )
    card = scorecard(volumes, float(current.volumes["Spend"]), inputs, actuals, window, s, t, has_data, tracking)

    experiments = _experiments(intake, s)
    total = pacing_m.total_pacing(
        lines, float(current.volumes["Spend"]), window, s["Pacing method"], t.overspending, has_data
    )
    unbudgeted = pacing_m.unbudgeted_spend(intake.budget, actuals, window)
    judging = Judging(t.underperforming, t.high_performer, t.overspending)
    kpis = kpi_table(current, previous, table, names, total, judging, window, has_data, intake.business, tracking)
    stack = stack_overview(intake.table("Stack"), intake.table("Integrations"))
    links = integration_map(intake.table("Integrations"))
    volume_cols = ["Spend", "Impressions", "Clicks", "Leads", "Customers", "Revenue"]
    budgeted, moved = set(lines["Channel"]), card[volume_cols].sum(axis=1) > 0  # built once: near-linear in channels
    active = [ch for ch in names if moved.get(ch, False) or ch in budgeted]
    warnings = underspending(card, total, t)
    plans = campaign_plans(intake.table("Campaigns"), actuals, intake.table("Team"), window.as_of)
    prefix = symbol(intake.business["Currency"])
    warnings += campaign_warnings(intake.table("Campaigns"), actuals, window.as_of, prefix)
    evidence = maturity_evidence(intake, stack, links, kpis, card, experiments, plans)
    attribution, model, journeys = _attribution(intake, s)
    attributed = pd.DataFrame()
    coverage = None
    if attribution is not None and journeys is not None:
        coverage = _reconcile(attribution, journeys, current, tracking)
        warning = coverage.warning()
        if warning is not None:
            warnings.append({"subject": "Attribution coverage", "warning": warning})
        attributed = attributed_efficiency(card, attribution.actual_conversions[model], attribution.actual_value[model])
    review = next_review(intake.table("Cadence"), window.as_of)
    advice = recommend(
        card,
        t,
        GuardRails(s["Maximum budget shift"]),
        attributed=attributed,
        model=model,
        total=total,
        experiments=experiments,
        team=intake.table("Team"),
        review=review,
        days=(window.elapsed_days, window.period_days),
        attribution_reliable=coverage is None or coverage.reliable,
        prefix=prefix,
    )
    return Analysis(
        intake=intake,
        window=window,
        channels=card,
        blended=current,
        previous=previous,
        kpis=kpis,
        campaigns=campaign_figures(rows, actuals),
        pacing_lines=lines,
        unbudgeted=unbudgeted,
        total_pacing=total,
        spend_curve=pacing_m.spend_curve(lines, actuals, window, s["Pacing method"]),
        needed=budget_needed_table(table, card, float(budget.sum()), tracking),
        recommendations=advice.table,
        warnings=warnings,
        notes=data_notes(window, card, unbudgeted, t, not has_data, tracking, prefix)
        + import_notes(intake)
        + pacing_m.clipped_line_notes(lines, window, prefix),
        definitions=definitions(intake.business),
        experiments=experiments,
        has_data=has_data,
        stack=stack,
        integrations=links,
        funnel=funnel_coverage(channels_tbl, active),
        team=team_structure(intake.table("Team"), intake.table("Stack")),
        maturity=maturity(intake.table("Assessment"), evidence),
        attribution=attribution,
        attribution_model=model,
        attribution_coverage=coverage,
        attributed=attributed,
        affected=moving_channels(attribution) if attribution is not None else {},
        affected_by_model=channels_affected_by_model(attribution) if attribution is not None else {},
        reallocation=advice.plan.moves,
        what_if=advice.what_if,
        plan_basis=advice.plan.basis,
        review=review,
        window_rows=len(rows),
        campaign_plans=plans,
        tracking=tracking,
        kpi_boxes=(boxes := kpi_boxes(kpis, tracking)),
        headline=headline_sentence(
            kpis,
            boxes,
            card,
            total.status,
            total.pace,
            window.start,
            window.end,
            window.as_of,
            prefix,
        ),
    )


def _reconcile(
    attribution: Attribution, journeys: Journeys, current: Blended, tracking: Tracking
) -> AttributionCoverage:
    """Split Actuals' customers and revenue in the window by each model's shares (sets the attribution's
    ``actual_conversions`` and ``actual_value``) and measure the journeys' coverage of them."""
    customers = current.volumes["Customers"] if tracking.blended("Customers") else math.nan
    revenue = current.volumes["Revenue"] if tracking.blended("Revenue") else math.nan
    attribution.actual_conversions = on_actuals(attribution.conversions, customers)
    attribution.actual_value = on_actuals(attribution.value, revenue)
    return coverage_of(journeys, customers, revenue)


def _attribution(intake: Intake, s: dict[str, Any]) -> tuple[Attribution | None, str, Journeys | None]:
    """Attribute the Touchpoints (else the Paths) with every model; pick the Settings model."""
    touches, paths = intake.table("Touchpoints"), intake.table("Paths")
    if not touches.empty:
        journeys = journeys_from_touchpoints(touches, s["Lookback window"])
    elif not paths.empty:
        journeys = journeys_from_paths(paths)
    else:
        return None, SETTING_NAMES[s["Attribution model"]], None
    result = attribute(journeys, s["Time-decay half-life"], s["Position-based endpoint share"])
    model = SETTING_NAMES[s["Attribution model"]]
    if result.conversions[model].isna().all():
        result.notes.append(f"{model} cannot run on this data; the plan uses Markov instead")
        model = "Markov"
    return result, model, journeys


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


def _experiments(intake: Intake, s: dict[str, Any]) -> pd.DataFrame:
    from mops_xl.analysis.figures.experiments import experiment_results

    table = intake.table("Experiments")
    results = experiment_results(table, s["A/B significance level"], s["Minimum conversions per variant"])
    if not results.empty:
        results["Channel"] = table["Channel"].to_numpy()
    return results
