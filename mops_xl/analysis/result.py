"""What the engine computed for one intake: the :class:`Analysis` every output lays out, and the constants that
name its tables' columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from mops_xl.analysis.assessment.martech import (
    FunnelCoverage,
    IntegrationMap,
    StackOverview,
    TeamStructure,
)
from mops_xl.analysis.assessment.maturity import Maturity
from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.decisions.period_plan import PeriodPlan
from mops_xl.analysis.decisions.recommendations import QUIET_ACTIONS
from mops_xl.analysis.decisions.reviews import NextReview
from mops_xl.analysis.figures.attribution import (
    Attribution,
    AttributionCoverage,
)
from mops_xl.analysis.figures.budget import pacing as pacing_m
from mops_xl.analysis.figures.campaign_plans.campaigns import CampaignPlan
from mops_xl.analysis.figures.performance import Blended
from mops_xl.analysis.forecast import PeriodForecast
from mops_xl.analysis.review.changes import Changes
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.analysis.story.landing import Landing
from mops_xl.intake.model import Intake

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
        needed: The spend that reaches each volume target with a 50 % and an 80 % chance (columns
            :data:`~mops_xl.analysis.forecast.NEEDED_WITH_ODDS_COLUMNS`).
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
        plan: The plan for the rest of the period: each channel's planned daily spend, and the totals (see
            :mod:`~mops_xl.analysis.decisions.period_plan`).
        forecast: Where the period lands "if the current pattern continues": every KPI's actual to date, Low,
            Likely and High (P10, P50, P90) at period end and the chance of its target, for all channels and per
            channel (see :func:`mops_xl.analysis.forecast.forecast_period`).
        forecast_with_plan: The same if the plan is followed (the plan's spend for the days left).
        decisions_needed: The decisions for leadership, columns
            :data:`~mops_xl.analysis.decisions.leadership.DECISION_COLUMNS`.
        review: The review the actions are due at (Cadence sheet; None when it has no future review).
        window_rows: The number of Actuals rows in the window (S … A).
        campaign_plans: One plan per campaign: checklist with due dates, progress, spend to date.
        tracking: Which volumes each channel tracks; what is "Not tracked".
        kpi_boxes: The KPI Framework metrics the KPI boxes show (see :func:`kpi_boxes`).
        headline: The sentence that says how the period is going (see
        :func:`mops_xl.analysis.story.headline.headline_sentence`).
        landing: Where the period lands, in words: one line per KPI with a target, and Spend against the budget
            (see :func:`mops_xl.analysis.story.landing.period_landing`).
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only (their trend, run
            rate and plan are judged over whole cycles; see :mod:`mops_xl.analysis.blocks.cycles`).
        lagging: Channel → its last data date, for the channels whose rows stop more than the Data settling days
            before Report as of (their missing days are missing, not zero; see
            :mod:`mops_xl.analysis.blocks.data_dates`).
        snapshot: What this build computed, as the next build reads it (the report carries it; see
            :mod:`mops_xl.analysis.review.snapshot`).
        weekly: The week-by-week trend: each channel's spend, customers and CAC per week of the period to date,
            weeks from Period start, the last one partial (see :func:`mops_xl.analysis.figures.weekly.weekly_trend`).
        changes: What changed since the previous report (None when built without ``--previous``; see
            :mod:`mops_xl.analysis.review.changes`).
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
    plan: PeriodPlan
    forecast: PeriodForecast
    forecast_with_plan: PeriodForecast
    decisions_needed: pd.DataFrame
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
    landing: list[Landing]
    snapshot: Snapshot
    weekly: pd.DataFrame
    cycles: dict[str, int] = field(default_factory=dict)
    changes: Changes | None = None
    lagging: dict[str, pd.Timestamp] = field(default_factory=dict)

    @property
    def channel_performance(self) -> pd.DataFrame:
        """The Channel Performance table: :data:`CHANNEL_PERFORMANCE_COLUMNS` per channel."""
        return self.channels[list(CHANNEL_PERFORMANCE_COLUMNS)]
