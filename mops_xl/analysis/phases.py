"""The engine's phases, one function each, every call with keyword arguments: the basis (window, thresholds,
channels, the Actuals rows in the window), the figures, the attribution credit, the assessment, the forecast, the
decisions and the story. :func:`mops_xl.analysis.engine.analyse` runs them in order and lays their results out as one
:class:`~mops_xl.analysis.result.Analysis`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from mops_xl.analysis.assessment.evidence import maturity_evidence
from mops_xl.analysis.assessment.martech import (
    FunnelCoverage,
    IntegrationMap,
    StackOverview,
    TeamStructure,
    channels_in_use,
    funnel_coverage,
    integration_map,
    stack_overview,
    team_structure,
)
from mops_xl.analysis.assessment.maturity import Maturity, maturity
from mops_xl.analysis.blocks.cycles import lumpy_channels
from mops_xl.analysis.blocks.data_dates import (
    blank_funnel_warnings,
    data_through_sentence,
    lagging_channels,
    lagging_warnings,
)
from mops_xl.analysis.blocks.thresholds import Thresholds
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.decisions.leadership import decisions_needed, decisions_table
from mops_xl.analysis.decisions.plan_forecast import forecast_with_plan
from mops_xl.analysis.decisions.reallocation import GuardRails, attributed_efficiency
from mops_xl.analysis.decisions.recommendations import Recommendations, owner_of_operations, recommend
from mops_xl.analysis.decisions.reviews import NextReview, next_review
from mops_xl.analysis.figures.attribution import (
    SETTING_NAMES,
    Attribution,
    AttributionCoverage,
    Journeys,
    attribute,
    coverage_of,
    journeys_from_paths,
    journeys_from_touchpoints,
    on_actuals,
)
from mops_xl.analysis.figures.budget import pacing as pacing_m
from mops_xl.analysis.figures.budget.run_rate import daily_spend_now, days_to_spend, paid_through
from mops_xl.analysis.figures.campaign_plans.campaigns import CampaignPlan, campaign_plans, campaign_warnings
from mops_xl.analysis.figures.kpis import Judging, kpi_table
from mops_xl.analysis.figures.performance import Blended, blended, stack_cost_for_days
from mops_xl.analysis.figures.scorecard import ChannelInputs, scorecard, underspending
from mops_xl.analysis.figures.targets import target_table
from mops_xl.analysis.figures.volumes import channel_volumes, in_window
from mops_xl.analysis.forecast import (
    FORECAST_KPIS,
    PeriodForecast,
    Targets,
    budget_needed_with_odds,
    daily_by_channel,
    forecast_period,
)
from mops_xl.analysis.review import check_comparable, compare_reports, take_snapshot
from mops_xl.analysis.review.changes import Changes
from mops_xl.analysis.review.snapshot import Snapshot, SnapshotError
from mops_xl.analysis.story.headline import headline_sentence, kpi_boxes
from mops_xl.analysis.story.landing import Landing, period_landing
from mops_xl.analysis.story.notes import data_notes, forecast_notes, import_notes, lumpy_notes
from mops_xl.intake.currencies import symbol
from mops_xl.intake.model import Intake


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
class Basis:
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
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only: their trend, run
            rate and plan are judged over whole cycles (found once here, read by all three).
        lagging: Channel → its last data date, for the channels whose rows stop more than the Data settling days
            before Report as of: their missing days are missing, not zero, in their trend, pace, run rate and
            forecast (found once here; see :mod:`~mops_xl.analysis.blocks.data_dates`).
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
    cycles: dict[str, int]
    lagging: dict[str, pd.Timestamp] = field(default_factory=dict)


@dataclass(frozen=True)
class FigureResults:
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
class Credit:
    """The attribution phase: every model's credit, the model the plan uses and the journeys' coverage of Actuals.

    Args:
        attribution: Credit per channel under every model (None without journey data).
        model: The model the plan uses.
        coverage: The journeys' coverage of Actuals (None without journey data).
        notes: Data Notes on the journeys (the touches after Report as of that were left out).
    """

    attribution: Attribution | None
    model: str
    coverage: AttributionCoverage | None
    notes: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentResults:
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
class ForecastResults:
    """The forecast phase: where the period lands "if the current pattern continues".

    Args:
        daily: The Actuals summed per date and channel (what the forecast read; "with the plan" reads it too).
        forecast: Every KPI at period end, for all channels and per channel, with the chance of each target.
    """

    daily: pd.DataFrame
    forecast: PeriodForecast


@dataclass(frozen=True)
class DecisionResults:
    """The decisions phase: the warnings, the attributed efficiency, the actions and the budget needed.

    Args:
        warnings: Findings that are not triggers.
        attributed: Attributed figures per channel under the plan's model (empty without journey data).
        review: The review the actions are due at.
        advice: The recommendations and their plan.
        leadership: The decisions for leadership (see :mod:`~mops_xl.analysis.decisions.leadership`).
        needed: The spend that reaches each volume target with a 50 % and an 80 % chance.
        forecast_with_plan: Every KPI at period end if the plan is followed.
    """

    warnings: list[dict[str, str]]
    attributed: pd.DataFrame
    review: NextReview | None
    advice: Recommendations
    leadership: pd.DataFrame
    needed: pd.DataFrame
    forecast_with_plan: PeriodForecast


@dataclass(frozen=True)
class ReviewResults:
    """The review phase: this build's snapshot, and what changed since the previous report.

    Args:
        snapshot: What this build computed, as the next build reads it (the report carries it).
        changes: What changed since the previous report (None without one).
    """

    snapshot: Snapshot
    changes: Changes | None


@dataclass(frozen=True)
class StoryResults:
    """The story phase: the Data Notes, the KPI boxes and the headline.

    Args:
        notes: Assumptions and data notes.
        kpi_boxes: The KPI Framework metrics the boxes show.
        headline: The sentence that says how the period is going.
        landing: Where the period lands: one line per KPI with a target, and Spend against the budget.
    """

    notes: list[dict[str, str]]
    kpi_boxes: list[str]
    headline: str
    landing: list[Landing]


def read_basis(intake: Intake) -> Basis:
    """Read what every phase needs: the window, thresholds, channels, the Actuals rows in the window, tracking."""
    s = intake.settings
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, s["Data settling days"])
    rows = in_window(intake.actuals, window.start, window.as_of)
    cycles = lumpy_channels(intake.actuals, window.as_of)
    return Basis(
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
        cycles=cycles,
        lagging=lagging_channels(intake.actuals, window, cycles),
    )


def measure_figures(basis: Basis) -> FigureResults:
    """The figures phase: the blended figures (now and the period before), budget pacing, the channel scorecard,
    the KPI Framework, the A/B results and the campaign plans."""
    intake, window, t, s = basis.intake, basis.window, basis.thresholds, basis.settings
    stack = intake.table("Stack")
    ltv = intake.business["Customer lifetime value"]
    volumes = channel_volumes(basis.rows, basis.names, tracked=basis.tracking.by_channel)
    current = blended(volumes, basis.paid, ltv, stack_cost_for_days(stack, window.elapsed_days))
    previous = _previous(intake.actuals, window, basis.names, basis.paid, ltv, stack, basis.tracking)
    lines = pacing_m.budget_lines(
        intake.budget, intake.actuals, window, s["Pacing method"], t.overspending, basis.cycles, basis.lagging
    )
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
        cycles=basis.cycles,
        lagging=basis.lagging,
    )
    total = pacing_m.total_pacing(lines, spend, window, s["Pacing method"], t.overspending, basis.has_data)
    return FigureResults(
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
        plans=campaign_plans(
            intake.table("Campaigns"), intake.actuals, intake.table("Team"), window.as_of, window.start
        ),
    )


def _kpis(
    basis: Basis,
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


def credit_attribution(basis: Basis, figures: FigureResults) -> Credit:
    """The attribution phase: every model's credit, the plan's model, and (with journeys) Actuals split by the
    models' shares and the journeys' coverage of them."""
    attribution, model, journeys = _attribution(basis.intake, basis.settings)
    coverage = None
    if attribution is not None and journeys is not None:
        coverage = _reconcile(attribution, journeys, figures.current, basis.tracking)
    late = journeys.late if journeys is not None else None
    notes = [{"subject": "Touchpoints", "note": late.note()}] if late is not None else []
    return Credit(attribution=attribution, model=model, coverage=coverage, notes=notes)


def assess(basis: Basis, figures: FigureResults) -> AssessmentResults:
    """The assessment phase: the stack, the integrations, the funnel's active channels, the team and maturity."""
    intake, card = basis.intake, figures.card
    volume_cols = ["Spend", "Impressions", "Clicks", "Leads", "Customers", "Revenue"]
    budgeted, moved = set(figures.lines["Channel"]), card[volume_cols].sum(axis=1) > 0  # near-linear in channels
    active = [ch for ch in basis.names if moved.get(ch, False) or ch in budgeted]
    in_use = channels_in_use(intake.channels, active)
    stack = stack_overview(intake.table("Stack"), intake.table("Integrations"), in_use)
    links = integration_map(intake.table("Integrations"))
    evidence = maturity_evidence(intake, stack, links, figures.kpis, card, figures.experiments, figures.plans)
    return AssessmentResults(
        stack=stack,
        integrations=links,
        funnel=funnel_coverage(intake.channels, active),
        team=team_structure(intake.table("Team"), intake.table("Stack")),
        maturity=maturity(intake.table("Assessment"), evidence),
    )


def forecast_period_end(basis: Basis, figures: FigureResults) -> ForecastResults:
    """The forecast phase: every KPI at period end "if the current pattern continues", for all channels and per
    channel (the Channels sheet's channels and paid set), with the chance of each target (the Targets sheet)."""
    daily = daily_by_channel(basis.intake.actuals)
    forecast = forecast_period(
        daily,
        basis.window,
        _forecast_targets(figures),
        channels=basis.names,
        paid=_paid_channels(basis),
        data_through=basis.lagging,
    )
    return ForecastResults(daily=daily, forecast=forecast)


def _forecast_targets(figures: FigureResults) -> Targets:
    """The targets as the forecast reads them: (KPI, channel or None) → target. The Targets sheet's, and each
    channel's primary target where the sheet has none for it (a channel judged on its Expected CAC or on a
    business-level target), so its chance of target is the one its status is judged by."""
    targets: dict[str | tuple[str, str | None], float] = {key: value for key, value in figures.targets.items()}
    card = figures.card
    for channel, metric, target in zip(card.index, card["Primary metric"], card["Primary target"], strict=True):
        if isinstance(metric, str) and metric in FORECAST_KPIS and not pd.isna(target):
            targets.setdefault((metric, str(channel)), float(target))
    return targets


def _paid_channels(basis: Basis) -> list[str]:
    """The paid channels, in Channels order."""
    return [ch for ch in basis.names if bool(basis.paid.get(ch, False))]


def decide_actions(basis: Basis, figures: FigureResults, credit: Credit, forecast: ForecastResults) -> DecisionResults:
    """The decisions phase: the warnings (underspending, campaigns, attribution coverage), the attributed
    efficiency, one action per subject with its plan, the budget needed for each volume target, and where the
    period lands with the plan."""
    intake, window, s, card = basis.intake, basis.window, basis.settings, figures.card
    warnings = lagging_warnings(basis.lagging, window.as_of) + blank_funnel_warnings(intake.actuals, window)
    warnings += underspending(card, figures.total, basis.thresholds)
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
        run_rate=daily_spend_now(
            intake.actuals, basis.names, window, int(s["Trend window"]), basis.cycles, basis.lagging
        ).join(
            days_to_spend(
                intake.budget,
                basis.names,
                window,
                paid_through(intake.actuals, window, basis.cycles),
                basis.lagging,
            ).rename("Days to spend")
        ),
        days_left=max((window.end - window.as_of).days, 0),
        experiments=figures.experiments,
        team=intake.table("Team"),
        review=review,
        attribution_reliable=credit.coverage is None or credit.coverage.reliable,
        prefix=basis.prefix,
    )
    needed = budget_needed_with_odds(forecast.forecast, _forecast_targets(figures))
    operations = owner_of_operations(intake.table("Team"))
    campaigns = intake.table("Campaigns")
    leadership = decisions_needed(
        advice.plan,
        figures.unbudgeted,
        figures.plans,
        owners=card["Owner"].to_dict(),
        campaign_owners=dict(zip(campaigns["Campaign"], campaigns["Owner"], strict=False)) if len(campaigns) else {},
        operations=operations,
        prefix=basis.prefix,
        budgeted_now=_budgeted_on(figures.lines, window.as_of),
    )
    return DecisionResults(
        warnings=warnings,
        attributed=attributed,
        review=review,
        advice=advice,
        needed=needed,
        leadership=decisions_table(leadership),
        forecast_with_plan=forecast_with_plan(
            forecast.daily,
            window,
            _forecast_targets(figures),
            advice.plan,
            channels=basis.names,
            paid=_paid_channels(basis),
            data_through=basis.lagging,
            history=forecast.forecast.history,
        ),
    )


def review_changes(
    basis: Basis,
    figures: FigureResults,
    forecast: ForecastResults,
    decisions: DecisionResults,
    previous: Snapshot | None = None,
) -> ReviewResults:
    """The review phase: the snapshot this report carries, and what changed since the previous report's snapshot.

    Raises:
        SnapshotError: The previous report cannot be compared (another business or currency, a later Report as of).
    """
    snapshot = take_snapshot(
        basis.intake,
        kpis=figures.kpis,
        card=figures.card,
        stack_cost=figures.current.stack_cost,
        recommendations=decisions.advice.table,
        forecast=forecast.forecast,
    )
    if previous is None:
        return ReviewResults(snapshot=snapshot, changes=None)
    reason = check_comparable(previous, snapshot)
    if reason is not None:
        raise SnapshotError(f"the previous report cannot be compared: {reason}")
    return ReviewResults(snapshot=snapshot, changes=compare_reports(previous, snapshot, basis.lagging))


def tell_story(
    basis: Basis,
    figures: FigureResults,
    forecast: ForecastResults,
    decisions: DecisionResults,
    credit: Credit | None = None,
) -> StoryResults:
    """The story phase: the Data Notes (the forecast's method and the journeys' among them), the KPI boxes, the
    headline sentence and where the period lands."""
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
    notes += lumpy_notes(basis.cycles, int(basis.settings["Trend window"]))
    notes += forecast_notes(forecast.forecast.method) + (credit.notes if credit is not None else [])
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
        data_through=data_through_sentence(basis.lagging),
    )
    landing = period_landing(
        forecast.forecast, decisions.forecast_with_plan, decisions.needed, float(figures.kpis.loc["Spend", "Target"])
    )
    return StoryResults(notes=notes, kpi_boxes=boxes, headline=headline, landing=landing)


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
    """Attribute the Touchpoints (up to Report as of, else the Paths, which carry no dates) with every model; pick
    the Settings model."""
    touches, paths = intake.table("Touchpoints"), intake.table("Paths")
    if not touches.empty:
        journeys = journeys_from_touchpoints(touches, s["Lookback window"], intake.report_as_of)
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
    from mops_xl.analysis.figures.ab_tests.experiments import experiment_results

    table = intake.table("Experiments")
    results = experiment_results(table, s["A/B significance level"], s["Minimum conversions per variant"])
    if not results.empty:
        results["Channel"] = table["Channel"].to_numpy()
    return results


def _budgeted_on(lines: pd.DataFrame, day: pd.Timestamp) -> frozenset[str]:
    """The channels with a budget line running on ``day`` (its start to its end, both counted)."""
    if lines.empty:
        return frozenset()
    running = (lines["Line start"] <= day) & (lines["Line end"] >= day)
    return frozenset(str(ch) for ch in lines.loc[running, "Channel"])
