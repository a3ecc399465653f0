"""The spend of the days left, simulated per path and channel.

A channel that spends most days: each past day's spend over its weekday's level is a draw of the same "day".
Every path weighs the past days at random (a Bayesian bootstrap: each day's weight is its recency weight × an
exponential draw), which gives the path its own average day and spread, so the uncertainty of the average
itself is in the band, not only the noise of the days to come. The days left add up to the weekday levels × the
path's average day, with the day-to-day spread as a gamma distribution of the same mean and variance, and the
level may wander on (see :mod:`mops_xl.analysis.forecast.patterns`). A lumpy channel (spend every other
Thursday) spends on its schedule only, each spend day drawn the same way from its past spend days. A channel
that spent most days and nothing in the last week has stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mops_xl.analysis.forecast.cycles import SpendCycle, spend_cycle
from mops_xl.analysis.forecast.patterns import (
    decay_weights,
    dispersion,
    drift_variance,
    mean_age,
    read_series,
    weekday_factors,
)

#: A variance this small against the mean squared is rounding error (a constant series).
ROUNDING = 1e-12
#: A channel that spent on most days and on none of the last this many days has stopped.
STOPPED_AFTER_DAYS = 7


@dataclass(frozen=True)
class SpendPlan:
    """What each channel's days left hold, before any noise.

    Args:
        factors: 7 × channels, each weekday's spend level against the average day.
        cycles: Channel index → its :class:`SpendCycle` (lumpy channels on a schedule).
        stopped: channels: spent most days but nothing lately.
        wander: channels, how fast the spend level wanders (variance of its log a day).
        weights: days × channels, how much each past day counts for each channel's level.
    """

    factors: np.ndarray
    cycles: dict[int, SpendCycle]
    stopped: np.ndarray
    wander: np.ndarray
    weights: np.ndarray


def read_spend(
    spend: np.ndarray, weekdays: np.ndarray, keep: np.ndarray, weekday: bool, schedules: bool, adaptive: bool
) -> SpendPlan:
    """Read each channel's spend pattern from its past days.

    Args:
        spend: days × channels.
        weekdays: Each past day's weekday.
        keep: days × channels, the days each channel learns from (from its first active day).
        weekday: Read the weekday pattern (else every day is alike).
        schedules: Read the schedule of lumpy channels and whether a channel has stopped.
        adaptive: Each channel reads back as far as its level's wandering and noise say (else all days alike).

    Returns:
        The :class:`SpendPlan`.
    """
    channels = spend.shape[1]
    alike = decay_weights(None, keep)
    factors = weekday_factors(spend, weekdays, alike) if weekday and len(spend) else np.ones((7, channels))
    exposure = factors[weekdays]
    wander, weights = read_series(spend, exposure, keep, dispersion(spend, exposure, alike, 0.0), adaptive)
    cycles: dict[int, SpendCycle] = {}
    stopped = np.zeros(channels, dtype=bool)
    if schedules:
        for c in range(channels):
            first = int(np.argmax(keep[:, c]))
            cycle = spend_cycle(spend[first:, c])
            if cycle is not None and cycle.regular:
                cycles[c] = SpendCycle(cycle.days, True, cycle.last + first)
        stopped = _stopped(spend, keep)
    return SpendPlan(factors, cycles, stopped, wander, weights)


def _stopped(spend: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """channels: spent on most of their active days before the last week, and nothing in it."""
    recent, before = spend[-STOPPED_AFTER_DAYS:], spend[:-STOPPED_AFTER_DAYS]
    active = keep[:-STOPPED_AFTER_DAYS]
    days = active.sum(axis=0)
    share = np.divide(((before > 0) & active).sum(axis=0), days, out=np.zeros(spend.shape[1]), where=days > 0)
    return (share > 0.5) & (recent.sum(axis=0) == 0) & (days > STOPPED_AFTER_DAYS)


def simulate_spend(
    spend: np.ndarray,
    weekdays: np.ndarray,
    draws: np.ndarray,
    plan: SpendPlan,
    future_weekdays: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The spend of the days left, per path and channel.

    Args:
        spend: days × channels, the past days.
        weekdays: Each past day's weekday.
        draws: paths × days, each path's exponential draws of the past days (its Bayesian bootstrap).
        plan: The channels' patterns (see :func:`read_spend`).
        future_weekdays: The weekday of each day left.
        rng: The random generator.

    Returns:
        paths × channels.
    """
    paths, channels = draws.shape[0], spend.shape[1]
    if len(spend) == 0 or len(future_weekdays) == 0:
        return np.zeros((paths, channels))
    level = plan.factors[weekdays]
    per_day = np.divide(spend, level, out=np.zeros_like(spend), where=level > 0)
    mean, variance = _moments(per_day, draws, plan.weights)
    ahead = plan.factors[future_weekdays]
    total_mean = mean * ahead.sum(axis=0)
    total_var = variance * (ahead**2).sum(axis=0)
    first, last = len(spend), len(spend) + len(future_weekdays) - 1
    for c, cycle in plan.cycles.items():
        on_days = (plan.weights[:, c] * (spend[:, c] > 0))[:, None]
        ev_mean, ev_var = _moments(spend[:, c : c + 1], draws, on_days)
        count = len(cycle.next_days(first, last))
        total_mean[:, c] = count * ev_mean[:, 0]
        total_var[:, c] = count * ev_var[:, 0]
    total_mean[:, plan.stopped] = 0.0
    drift = drift_variance(plan.wander, len(future_weekdays), mean_age(plan.weights))
    total_mean = total_mean * np.exp(rng.standard_normal((paths, channels)) * np.sqrt(drift) - drift / 2)
    return gamma_around(total_mean, total_var, rng)


def _moments(values: np.ndarray, draws: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each path's mean and variance of each series' past values (days × series), each day weighted by its
    weight × the path's draw, the variance corrected for the effective number of days (reliability weights)."""
    weight = draws @ weights
    safe = np.where(weight > 0, weight, 1.0)
    mean = draws @ (values * weights) / safe
    variance = draws @ (values**2 * weights) / safe - mean**2
    variance = np.where(variance > ROUNDING * mean**2, variance, 0.0)  # a constant series has none
    concentration = (draws**2) @ (weights**2) / safe**2
    effective = 1.0 / np.maximum(concentration, 1e-12)
    correction = np.where(effective > 1.0, effective / np.maximum(effective - 1.0, 1e-12), 1.0)
    return mean, variance * correction


def gamma_around(mean: np.ndarray, variance: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Non-negative draws with the given means and variances (a gamma distribution; the mean itself where the
    variance or the mean is 0).

    Args:
        mean: The means (any shape).
        variance: The variances (same shape).
        rng: The random generator.

    Returns:
        The draws (same shape).
    """
    random = (mean > 0) & (variance > 0)
    safe_mean = np.where(random, mean, 1.0)
    shape = np.where(random, safe_mean**2 / np.where(random, variance, 1.0), 1.0)
    draws = rng.gamma(shape, np.where(random, variance / safe_mean, 1.0))
    return np.where(random, draws, np.maximum(mean, 0.0))
