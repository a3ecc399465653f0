"""The signal thresholds the Settings sheet sets, which the figures, the decisions and the story all read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The signal thresholds (Settings sheet).

    Args:
        underperforming: Attainment below this is "underperforming" (e.g. 0.8).
        overspending: Pace above this is "Over pace" (e.g. 1.1).
        high_performer: Attainment at or above 1 + this is a high performer (e.g. 0.2).
        significance: Confidence for an A/B winner (e.g. 0.95).
        minimum_spend: Channels that spent less to date are not judged as under- or high performers.
    """

    underperforming: float
    overspending: float
    high_performer: float
    significance: float
    minimum_spend: float
