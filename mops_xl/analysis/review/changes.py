"""What changed since the last report, as the review room hands it to the outputs: every KPI's move split into one
exact effect per channel, the weekly view, the actions' statuses, the definitions that moved, the restated history
and the forecast's drift. Plain data; the comparison itself is :func:`mops_xl.analysis.review.compare_reports`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: An action's status between two reports.
NEW, CLEARED, CHANGED, PERSISTING = "new", "cleared", "changed", "persisting"
#: A channel-week's verdict in the weekly view.
UNUSUAL, NORMAL = "unusual", "within normal variation"


@dataclass(frozen=True)
class Driver:
    """One channel's share of a KPI's change.

    Args:
        driver: The channel (or "Martech stack" for the fully-loaded CAC's stack cost).
        effect: Its effect on the KPI; the drivers' effects add up to the change exactly.
        parts: The effect split further (a ratio's numerator and denominator: {"Spend": …, "Customers": …});
            the parts add up to the effect; empty for a volume.
    """

    driver: str
    effect: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class KpiMove:
    """One KPI's move between the two reports' Actuals to date.

    Args:
        metric: The KPI (as in the KPI Framework).
        before: The previous report's Actual (NaN when undefined).
        after: This report's Actual.
        change: after − before (NaN when either is undefined).
        drivers: One per channel (largest effect first), adding up to ``change``.
        sentence: The move in words: "CAC +$212: LinkedIn Ads +$260 (spend +18 %, customers −2), Google Ads −$48".
    """

    metric: str
    before: float
    after: float
    change: float
    drivers: list[Driver]
    sentence: str


@dataclass(frozen=True)
class WeeklyRow:
    """One channel's figure over the last 7 days against the 7 before (weekday-aligned).

    Args:
        channel: The channel ("All channels" for the total).
        metric: "Spend", "Customers", "CAC", …
        last_week: The last 7 days to Report as of.
        week_before: The 7 days before them.
        change: last_week − week_before.
        score: The robust z-score of the last week on the channel's weekday-matched history (NaN: too little).
        verdict: :data:`UNUSUAL` or :data:`NORMAL`.
        note: Why there is no score ("" when there is one): too little history, or the figure is undefined.
    """

    channel: str
    metric: str
    last_week: float
    week_before: float
    change: float
    score: float
    verdict: str
    note: str = ""


@dataclass(frozen=True)
class ActionChange:
    """One subject's action in the two reports.

    Args:
        subject: The channel, experiment or campaign.
        before: The previous report's action ("" when it had none).
        after: This report's action ("" when it has none).
        status: :data:`NEW`, :data:`CLEARED`, :data:`CHANGED` or :data:`PERSISTING`.
        signal: The signal that crossed its threshold and by how much (this report's evidence; the previous one's
            for a cleared action).
    """

    subject: str
    before: str
    after: str
    status: str
    signal: str


@dataclass(frozen=True)
class DefinitionChange:
    """A target, threshold, setting, budget line or channel that differs between the two reports.

    Args:
        what: E.g. "Target: Customers (all channels)", "Setting: Trend window", "Budget line: Google Ads
            2026-07-01 to 2026-09-30", "Channel: Webinars".
        before: As it was ("" when added).
        after: As it is ("" when removed).
    """

    what: str
    before: str
    after: str


@dataclass(frozen=True)
class Restatement:
    """An Actuals day on or before the previous Report as of whose figure differs from the previous snapshot.

    Args:
        channel: The channel.
        date: ISO date.
        field: The Actuals field.
        before: As the previous report had it.
        after: As this report has it.
        amount: after − before.
    """

    channel: str
    date: str
    field: str
    before: float
    after: float
    amount: float


@dataclass(frozen=True)
class ForecastDrift:
    """One target's chance before and after, and the volume that moved it.

    Args:
        metric: The KPI.
        target: This report's target.
        chance_before: The previous report's chance of its target (NaN without one).
        chance_after: This report's.
        likely_before: The previous report's likely (P50) figure at period end.
        likely_after: This report's.
        why: In words: "customers to date +9, against 6 expected in a week".
    """

    metric: str
    target: float
    chance_before: float
    chance_after: float
    likely_before: float
    likely_after: float
    why: str


@dataclass(frozen=True)
class Changes:
    """What changed since the previous report.

    Args:
        previous_as_of: The previous Report as of (ISO date).
        as_of: This Report as of.
        same_period: Both reports are of the same period (else only the weekly view compares).
        why_weekly_only: Why the to-date comparison is left out ("" when it is not).
        kpis: Every KPI's move (empty when not the same period).
        weekly: The weekly view.
        actions: Every subject of either report once.
        definitions: Targets, thresholds, settings, budget lines and channels that moved.
        restated: The restated history.
        forecast: The drift of each target's chance (empty when not the same period).
        summary: What moved, why, and what is new to do, in one or two sentences (the Dashboard's "Since" block).
    """

    previous_as_of: str
    as_of: str
    same_period: bool
    why_weekly_only: str
    kpis: list[KpiMove]
    weekly: list[WeeklyRow]
    actions: list[ActionChange]
    definitions: list[DefinitionChange]
    restated: list[Restatement]
    forecast: list[ForecastDrift]
    summary: str
