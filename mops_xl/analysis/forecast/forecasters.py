"""The forecasters: the simulation (the main method) and the straight line it falls back to, as settings of one
engine, so both pass the same contract (they add up, are seeded, and are safe with zeros and empty data)."""

from __future__ import annotations

from dataclasses import dataclass

#: How many paths a forecast simulates.
PATHS = 2000
#: The seed every forecast starts from: the same intake always gives the same figures.
SEED = 2025


@dataclass(frozen=True)
class Forecaster:
    """How the days left are simulated.

    Args:
        name: The method's short name (the ``method`` of a forecast row).
        description: What it does, in a clause ("the straight line: the rate so far continues").
        adaptive: Each series (a channel's spend or volume) reads back as far as its level's wandering and noise
            say (a local level model's memory); else every day counts alike.
        period_only: Learn from the period to date only (else from every day of data before it too).
        weekday: Read weekday patterns.
        schedules: Read the schedule of lumpy channels, channels that stopped spending and channels launched
            after the data begins.
        settling: The provisional last days may still rise: learn rates from the settled days, and let a path's
            provisional days end at the higher of what was recorded and what the path draws.
    """

    name: str
    description: str
    adaptive: bool
    period_only: bool
    weekday: bool
    schedules: bool
    settling: bool


SIMULATION = Forecaster(
    "simulation",
    "simulated days: weekday patterns, lumpy channels' schedules, each figure's level read as far back as its "
    "wandering and noise say, and the uncertainty of the levels and of their wandering as well as day-to-day noise",
    adaptive=True,
    period_only=False,
    weekday=True,
    schedules=True,
    settling=True,
)
STRAIGHT_LINE = Forecaster(
    "straight line",
    "the straight line: the daily rate of the period so far continues, with the same noise and rate uncertainty",
    adaptive=False,
    period_only=True,
    weekday=False,
    schedules=False,
    settling=False,
)
FORECASTERS = (SIMULATION, STRAIGHT_LINE)
