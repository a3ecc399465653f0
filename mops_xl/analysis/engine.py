"""The engine: everything the report shows, computed once from a validated intake.

The writer, the text framework and ``--json`` only lay out what :func:`analyse` returns. :func:`analyse` runs the
phases of :mod:`mops_xl.analysis.phases` in order — the basis (window, thresholds, channels, the Actuals rows in
the window), the figures, the attribution credit, the assessment, the forecast, the decisions, the review (the
snapshot the report carries, and what changed since the previous report's) and the story, one function each, every
call with keyword arguments — and lays their results out as one
:class:`~mops_xl.analysis.result.Analysis`.
"""

from __future__ import annotations

from mops_xl.analysis.assessment.evidence import maturity_evidence
from mops_xl.analysis.figures.attribution import (
    channels_affected_by_model,
    moving_channels,
)
from mops_xl.analysis.figures.budget import pacing as pacing_m
from mops_xl.analysis.figures.kpis import KPI_COLUMNS, definitions
from mops_xl.analysis.figures.scorecard import campaign_figures
from mops_xl.analysis.figures.weekly import weekly_trend
from mops_xl.analysis.phases import (
    assess,
    credit_attribution,
    decide_actions,
    forecast_period_end,
    measure_figures,
    read_basis,
    review_changes,
    tell_story,
    thresholds,
)
from mops_xl.analysis.result import CHANNEL_PERFORMANCE_COLUMNS, KPI_METRICS, Analysis
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.analysis.story.headline import kpi_boxes
from mops_xl.intake.model import Intake

__all__ = [
    "CHANNEL_PERFORMANCE_COLUMNS",
    "KPI_COLUMNS",
    "KPI_METRICS",
    "Analysis",
    "analyse",
    "definitions",
    "kpi_boxes",
    "maturity_evidence",
    "thresholds",
]


def analyse(intake: Intake, previous: Snapshot | None = None) -> Analysis:
    """Compute the report's figures for an intake, phase by phase: figures, attribution, assessment, forecast,
    decisions, review, story.

    Args:
        intake: A validated intake.
        previous: The previous report's snapshot, to say what changed since (None: no comparison).

    Returns:
        The :class:`Analysis`.

    Raises:
        SnapshotError: ``previous`` cannot be compared (another business or currency, a later Report as of).
    """
    basis = read_basis(intake)
    figures = measure_figures(basis)
    credit = credit_attribution(basis, figures)
    assessment = assess(basis, figures)
    forecast = forecast_period_end(basis, figures)
    decisions = decide_actions(basis, figures, credit, forecast)
    review = review_changes(basis, figures, forecast, decisions, previous)
    story = tell_story(basis, figures, forecast, decisions, credit)
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
        reallocation=decisions.advice.moves,
        what_if=decisions.advice.what_if,
        plan_basis=decisions.advice.basis,
        plan=decisions.advice.plan,
        forecast=forecast.forecast,
        forecast_with_plan=decisions.forecast_with_plan,
        decisions_needed=decisions.leadership,
        review=decisions.review,
        window_rows=len(basis.rows),
        campaign_plans=figures.plans,
        tracking=basis.tracking,
        kpi_boxes=story.kpi_boxes,
        headline=story.headline,
        landing=story.landing,
        cycles=basis.cycles,
        lagging=basis.lagging,
        snapshot=review.snapshot,
        changes=review.changes,
        weekly=weekly_trend(intake.actuals, window, basis.names, basis.tracking.by_channel),
    )
