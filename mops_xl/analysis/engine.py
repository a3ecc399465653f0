"""The engine: everything the report shows, computed once from a validated intake.

The writer, the text framework and ``--json`` only lay out what :func:`analyse` returns. The engine assembles
the results of :mod:`mops_xl.analysis`: the figures are the catalogue's (:mod:`mops_xl.analysis.blocks.catalogue`), the
channel scorecard :mod:`~mops_xl.analysis.figures.scorecard`'s, the KPI Framework
:mod:`~mops_xl.analysis.figures.kpis`', the
budget needed :mod:`~mops_xl.analysis.decisions.needed`'s, the maturity evidence
:mod:`~mops_xl.analysis.assessment.evidence`'s and
the Data Notes :mod:`~mops_xl.analysis.story.notes`'.

:func:`analyse` works in named phases, one function each, every call with keyword arguments: the basis (window,
thresholds, channels, the Actuals rows in the window), the figures, the attribution credit, the assessment, the
decisions and the story; then lays their results out as one :class:`Analysis`.
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
from mops_xl.analysis.decisions.recommendations import QUIET_ACTIONS, Recommendations, recommend
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


@dataclass(frozen=True)
class _Basis:
    """What every phase reads: the window, the thresholds, the channels and the Actuals rows in the window.

    Args:
        intake: The intake.
        settings: Its Settings values.
        thresholds: The trigger thresholds.
        window: The reporting window.
        names: Every channel, in Channels order.
        paid: Channel → paid media.
        rows: The Actuals rows in the window (S … A).
        has_data: Whether any Actuals row falls in the window.
        tracking: What the intake tracks.
        prefix: The currency prefix.
    """

    intake: Intake
    settings: dict[str, Any]
    thresholds: Thresholds
    window: ReportingWindow
    names: list[str]
    paid: pd.Series
    rows: pd.DataFrame
    has_data: bool
    tracking: Tracking
    prefix: str


@dataclass(frozen=True)
class _Figures:
    """The figures phase: what was measured to date, against the budget and the targets.

    Args:
        current: The all-channel figures to date.
        previous: Those of the previous period, or None.
        lines: Budget pacing per budget line.
        budget: Channel → its budget for the period.
        targets: The Targets sheet by (metric, channel).
        card: The channel scorecard.
        total: The total pacing.
        unbudgeted: Channel → spend on days no budget line covers.
        kpis: The KPI Framework table.
        experiments: The A/B results.
        plans: One plan per campaign.
    """

    current: Blended
    previous: Blended | None
    lines: pd.DataFrame
    budget: pd.Series
    targets: dict[tuple[str, str | None], float]
    card: pd.DataFrame
    total: pacing_m.TotalPacing
    unbudgeted: pd.Series
    kpis: pd.DataFrame
    experiments: pd.DataFrame
    plans: list[CampaignPlan]


@dataclass(frozen=True)
class _Credit:
    """The attribution phase: every model's credit, the model the plan uses and the journeys' coverage of Actuals.

    Args:
        attribution: Credit per channel under every model (None without journey data).
        model: The model the plan uses.
        coverage: The journeys' coverage of Actuals (None without journey data).
    """

    attribution: Attribution | None
    model: str
    coverage: AttributionCoverage | None


@dataclass(frozen=True)
class _Assessment:
    """The assessment phase: the martech stack, integrations, funnel coverage, team and maturity.

    Args:
        stack: The stack by stage and category.
        integrations: The integration map.
        funnel: Active channels per funnel stage.
        team: The team against the standard roles.
        maturity: The maturity level and its evidence.
    """

    stack: StackOverview
    integrations: IntegrationMap
    funnel: FunnelCoverage
    team: TeamStructure
    maturity: Maturity


@dataclass(frozen=True)
class _Decisions:
    """The decisions phase: the warnings, the attributed efficiency, the actions and the budget needed.

    Args:
        warnings: Findings that are not triggers.
        attributed: Attributed figures per channel under the plan's model (empty without journey data).
        review: The review the actions are due at.
        advice: The recommendations and their plan.
        needed: The budget needed to hit each volume target.
    """

    warnings: list[dict[str, str]]
    attributed: pd.DataFrame
    review: NextReview | None
    advice: Recommendations
    needed: pd.DataFrame


@dataclass(frozen=True)
class _Story:
    """The story phase: the Data Notes, the KPI boxes and the headline.

    Args:
        notes: Assumptions and data notes.
        kpi_boxes: The KPI Framework metrics the boxes show.
        headline: The sentence that says how the period is going.
    """

    notes: list[dict[str, str]]
    kpi_boxes: list[str]
    headline: str


def analyse(intake: Intake) -> Analysis:
    """Compute the report's figures for an intake, phase by phase: figures, attribution, assessment, decisions,
    story.

    Args:
        intake: A validated intake.

    Returns:
        The :class:`Analysis`.
    """
    basis = _basis(intake)
    figures = _figures(basis)
    credit = _credit(basis, figures)
    assessment = _assessment(basis, figures)
    decisions = _decisions(basis, figures, credit)
    story = _story(basis, figures)
    attribution, window = credit.attribution, basis.window
    return Analysis(
        intake=intake,
        window=window,
        channels=figures.card,
        blended=figures.current,
        previous=figures.previous,
        kpis=figures.kpis,
        campaigns=campaign_figures(basis.rows, intake.actuals),
        pacing_lines=figures.lines,
        unbudgeted=figures.unbudgeted,
        total_pacing=figures.total,
        spend_curve=pacing_m.spend_curve(figures.lines, intake.actuals, window, basis.settings["Pacing method"]),
        needed=decisions.needed,
        recommendations=decisions.advice.table,
        warnings=decisions.warnings,
        notes=story.notes,
        definitions=definitions(intake.business),
        experiments=figures.experiments,
        has_data=basis.has_data,
        stack=assessment.stack,
        integrations=assessment.integrations,
        funnel=assessment.funnel,
        team=assessment.team,
        maturity=assessment.maturity,
        attribution=attribution,
        attribution_model=credit.model,
        attribution_coverage=credit.coverage,
        attributed=decisions.attributed,
        affected=moving_channels(attribution) if attribution is not None else {},
        affected_by_model=channels_affected_by_model(attribution) if attribution is not None else {},
        reallocation=decisions.advice.plan.moves,
        what_if=decisions.advice.what_if,
        plan_basis=decisions.advice.plan.basis,
        review=decisions.review,
        window_rows=len(basis.rows),
        campaign_plans=figures.plans,
        tracking=basis.tracking,
        kpi_boxes=story.kpi_boxes,
        headline=story.headline,
    )


def _basis(intake: Intake) -> _Basis:
    """Read what every phase needs: the window, thresholds, channels, the Actuals rows in the window, tracking."""
    s = intake.settings
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, s["Data settling days"])
    rows = in_window(intake.actuals, window.start, window.as_of)
    return _Basis(
        intake=intake,
        settings=s,
        thresholds=thresholds(s),
        window=window,
        names=list(intake.channels["Channel"]),
        paid=intake.channels.set_index("Channel")["Paid"].fillna(False).astype(bool),
        rows=rows,
        has_data=not rows.empty,
        tracking=Tracking.of(intake),
        prefix=symbol(intake.business["Currency"]),
    )


def _figures(basis: _Basis) -> _Figures:
    """The figures phase: the blended figures (now and the period before), budget pacing, the channel scorecard,
    the KPI Framework, the A/B results and the campaign plans."""
    intake, window, t, s = basis.intake, basis.window, basis.thresholds, basis.settings
    stack = intake.table("Stack")
    ltv = intake.business["Customer lifetime value"]
    volumes = channel_volumes(basis.rows, basis.names, tracked=basis.tracking.by_channel)
    current = blended(volumes, basis.paid, ltv, stack_cost_for_days(stack, window.elapsed_days))
    previous = _previous(intake.actuals, window, basis.names, basis.paid, ltv, stack, basis.tracking)
    lines = pacing_m.budget_lines(intake.budget, intake.actuals, window, s["Pacing method"], t.overspending)
    budget = pacing_m.budget_for_period(lines, basis.names)
    targets = target_table(intake.targets)
    spend = float(current.volumes["Spend"])
    inputs = ChannelInputs(
        intake.channels.set_index("Channel"),
        basis.paid,
        budget,
        pacing_m.channel_pacing(lines, basis.names, t.overspending),
        targets,
        intake.business,
    )
    card = scorecard(
        volumes=volumes,
        total_spend=spend,
        inputs=inputs,
        actuals=intake.actuals,
        window=window,
        settings=s,
        thresholds=t,
        has_data=basis.has_data,
        tracking=basis.tracking,
    )
    total = pacing_m.total_pacing(lines, spend, window, s["Pacing method"], t.overspending, basis.has_data)
    return _Figures(
        current=current,
        previous=previous,
        lines=lines,
        budget=budget,
        targets=targets,
        card=card,
        total=total,
        unbudgeted=pacing_m.unbudgeted_spend(intake.budget, intake.actuals, window),
        kpis=_kpis(basis, current, previous, targets, total),
        experiments=_experiments(intake, s),
        plans=campaign_plans(intake.table("Campaigns"), intake.actuals, intake.table("Team"), window.as_of),
    )


def _kpis(
    basis: _Basis,
    current: Blended,
    previous: Blended | None,
    targets: dict[tuple[str, str | None], float],
    total: pacing_m.TotalPacing,
) -> pd.DataFrame:
    """The KPI Framework table, judged with the thresholds."""
    t = basis.thresholds
    return kpi_table(
        current=current,
        previous=previous,
        targets=targets,
        channels=basis.names,
        total=total,
        judging=Judging(t.underperforming, t.high_performer, t.overspending),
        window=basis.window,
        has_data=basis.has_data,
        business=basis.intake.business,
        tracking=basis.tracking,
    )


def _credit(basis: _Basis, figures: _Figures) -> _Credit:
    """The attribution phase: every model's credit, the plan's model, and (with journeys) Actuals split by the
    models' shares and the journeys' coverage of them."""
    attribution, model, journeys = _attribution(basis.intake, basis.settings)
    coverage = None
    if attribution is not None and journeys is not None:
        coverage = _reconcile(attribution, journeys, figures.current, basis.tracking)
    return _Credit(attribution=attribution, model=model, coverage=coverage)


def _assessment(basis: _Basis, figures: _Figures) -> _Assessment:
    """The assessment phase: the stack, the integrations, the funnel's active channels, the team and maturity."""
    intake, card = basis.intake, figures.card
    stack = stack_overview(intake.table("Stack"), intake.table("Integrations"))
    links = integration_map(intake.table("Integrations"))
    volume_cols = ["Spend", "Impressions", "Clicks", "Leads", "Customers", "Revenue"]
    budgeted, moved = set(figures.lines["Channel"]), card[volume_cols].sum(axis=1) > 0  # near-linear in channels
    active = [ch for ch in basis.names if moved.get(ch, False) or ch in budgeted]
    evidence = maturity_evidence(intake, stack, links, figures.kpis, card, figures.experiments, figures.plans)
    return _Assessment(
        stack=stack,
        integrations=links,
        funnel=funnel_coverage(intake.channels, active),
        team=team_structure(intake.table("Team"), intake.table("Stack")),
        maturity=maturity(intake.table("Assessment"), evidence),
    )


def _decisions(basis: _Basis, figures: _Figures, credit: _Credit) -> _Decisions:
    """The decisions phase: the warnings (underspending, campaigns, attribution coverage), the attributed
    efficiency, one action per subject with its plan, and the budget needed for each volume target."""
    intake, window, s, card = basis.intake, basis.window, basis.settings, figures.card
    warnings = underspending(card, figures.total, basis.thresholds)
    warnings += campaign_warnings(intake.table("Campaigns"), intake.actuals, window.as_of, basis.prefix)
    attributed = pd.DataFrame()
    if credit.attribution is not None and credit.coverage is not None:
        warning = credit.coverage.warning()
        if warning is not None:
            warnings.append({"subject": "Attribution coverage", "warning": warning})
        attribution, model = credit.attribution, credit.model
        attributed = attributed_efficiency(card, attribution.actual_conversions[model], attribution.actual_value[model])
    review = next_review(intake.table("Cadence"), window.as_of)
    advice = recommend(
        card,
        basis.thresholds,
        GuardRails(s["Maximum budget shift"]),
        attributed=attributed,
        model=credit.model,
        total=figures.total,
        experiments=figures.experiments,
        team=intake.table("Team"),
        review=review,
        days=(window.elapsed_days, window.period_days),
        attribution_reliable=credit.coverage is None or credit.coverage.reliable,
        prefix=basis.prefix,
    )
    needed = budget_needed_table(figures.targets, card, float(figures.budget.sum()), basis.tracking)
    return _Decisions(warnings=warnings, attributed=attributed, review=review, advice=advice, needed=needed)


def _story(basis: _Basis, figures: _Figures) -> _Story:
    """The story phase: the Data Notes, the KPI boxes and the headline sentence."""
    window, total = basis.window, figures.total
    notes = data_notes(
        window=window,
        card=figures.card,
        unbudgeted=figures.unbudgeted,
        thresholds=basis.thresholds,
        no_data=not basis.has_data,
        tracking=basis.tracking,
        prefix=basis.prefix,
    )
    notes += import_notes(basis.intake) + pacing_m.clipped_line_notes(figures.lines, window, basis.prefix)
    boxes = kpi_boxes(figures.kpis, basis.tracking)
    headline = headline_sentence(
        kpis=figures.kpis,
        boxes=boxes,
        channels=figures.card,
        spend_status=total.status,
        spend_pace=total.pace,
        start=window.start,
        end=window.end,
        as_of=window.as_of,
        prefix=basis.prefix,
    )
    return _Story(notes=notes, kpi_boxes=boxes, headline=headline)


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
