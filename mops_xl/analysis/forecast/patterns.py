"""The patterns the forecast reads from a series of past days (a channel's spend, or one of its volumes): the
weekday pattern, how noisy it is beyond chance, how fast its level wanders, and so how far back its level should
be read (its memory: a steady, busy series reads its last weeks; a rare count reads months).

A series is a local level: each day's figure is the level × the weekday factor × noise, and the level wanders
(a random walk of its logarithm). With that model the best estimate of today's level is an exponentially
weighted average whose half-life follows from the ratio of the wandering to the noise (the steady-state Kalman
gain of the local level model), and the estimate's error grows with how far back it is centred.
"""

from __future__ import annotations

import math

import numpy as np

#: The weekday pattern is pulled towards "no pattern" by this many events' worth of evidence per weekday, so a
#: pattern read from one week of data is damped and one read from a quarter is not.
WEEKDAY_PSEUDO_EVENTS = 10.0
#: A count's noise (variance ÷ mean) is pulled towards chance (1) by this many days' worth of evidence, so a few
#: calm days do not make a narrow band.
DISPERSION_PRIOR_DAYS = 4.0
#: The prior of a level's wandering: a variance of its logarithm of 0.015² a day (about 1.5 % a day, 12 % over two
#: months).
DRIFT_PRIOR = 0.015**2
#: Weeks of evidence behind :data:`DRIFT_PRIOR`.
DRIFT_PRIOR_WEEKS = 4.0
#: A channel whose first figure comes more than this many days into the data was launched then.
LAUNCH_AFTER_DAYS = 14
#: A week tells how a level wanders only with at least this many events (its count ÷ its dispersion).
WEEK_EVENTS = 10.0
#: The shortest and longest memory (half-life in days) a series may have.
SHORTEST_MEMORY, LONGEST_MEMORY = 7.0, 120.0


def active_days(values: np.ndarray) -> np.ndarray:
    """Which days each channel was active: a channel launched more than :data:`LAUNCH_AFTER_DAYS` days into the
    data does not learn from the days before its first figure; any other channel counts every day (its quiet
    days are part of its pattern).

    Args:
        values: days × channels × volumes.

    Returns:
        days × channels.
    """
    busy = (values != 0).any(axis=2)
    started = np.maximum.accumulate(busy, axis=0)
    first = np.argmax(busy, axis=0)
    return started | ~(busy.any(axis=0) & (first > LAUNCH_AFTER_DAYS))


def memory(wander: np.ndarray, noise: np.ndarray, daily_mean: np.ndarray) -> np.ndarray:
    """How far back each series should be read: the half-life of the exponentially weighted average that best
    tracks a level wandering by ``wander`` a day under noise of ``noise`` ÷ the day's mean (the steady-state gain
    of the local level model), within :data:`SHORTEST_MEMORY` and :data:`LONGEST_MEMORY`.

    Args:
        wander: The variance of the level's logarithm a day (see :func:`level_drift`).
        noise: The dispersion (variance ÷ mean) of the days.
        daily_mean: The mean day.

    Returns:
        One half-life in days per series.
    """
    noise_of_log = np.divide(noise, daily_mean, out=np.full_like(noise, np.inf), where=daily_mean > 0)
    known = np.isfinite(noise_of_log) & (noise_of_log > 0)
    ratio = np.divide(wander, noise_of_log, out=np.zeros_like(wander), where=known)
    ratio = np.where(noise == 0, np.inf, ratio)
    with np.errstate(invalid="ignore", divide="ignore"):
        gain = np.where(np.isinf(ratio), 1.0, (np.sqrt(ratio**2 + 4 * ratio) - ratio) / 2)
        half_life = np.where(gain >= 1.0, 0.0, math.log(0.5) / np.log1p(-np.minimum(gain, 1 - 1e-12)))
    return np.clip(np.nan_to_num(half_life, nan=LONGEST_MEMORY, posinf=LONGEST_MEMORY), SHORTEST_MEMORY, LONGEST_MEMORY)


def decay_weights(half_lives: np.ndarray | None, keep: np.ndarray) -> np.ndarray:
    """Each series' day weights: halved every half-life back (all alike when ``half_lives`` is None), 0 on the
    days it does not keep, scaled so that they add up to the series' effective number of days ((Σw)² ÷ Σw²),
    which sets how sure its estimates are.

    Args:
        half_lives: One half-life per series, or None.
        keep: days × series, the days each series learns from.

    Returns:
        days × series.
    """
    ages = np.arange(len(keep) - 1, -1, -1, dtype=float)[:, None]
    raw = keep * (0.5 ** (ages / half_lives) if half_lives is not None else 1.0)
    total = raw.sum(axis=0)
    square = (raw**2).sum(axis=0)
    return raw * np.divide(total, square, out=np.zeros_like(total), where=square > 0)


def mean_age(weights: np.ndarray) -> np.ndarray:
    """How many days back each series' estimate is centred (the weighted mean age of its days).

    Args:
        weights: days × series.

    Returns:
        One age per series (0 without days).
    """
    ages = np.arange(len(weights) - 1, -1, -1, dtype=float)
    total = weights.sum(axis=0)
    return np.divide(ages @ weights, total, out=np.zeros_like(total), where=total > 0)


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each series' weighted mean day (0 without days).

    Args:
        values: days × series.
        weights: days × series.

    Returns:
        One mean per series.
    """
    total = weights.sum(axis=0)
    return np.divide((weights * values).sum(axis=0), total, out=np.zeros_like(total), where=total > 0)


def weekday_factors(values: np.ndarray, weekdays: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each weekday's level against the average day, damped towards 1 where the evidence is thin.

    The series' noise unit (the variance ÷ mean of its days around their weekday's level) turns it into events;
    each weekday's ratio is then (its events + :data:`WEEKDAY_PSEUDO_EVENTS`) ÷ (its expected events + the same),
    and the factors average 1 over the past days. A busy series keeps its pattern; a rare count's is damped.

    Args:
        values: days × series.
        weekdays: Each day's weekday (Monday 0).
        weights: days × series, each day's weight.

    Returns:
        7 × series.
    """
    total = weights.sum(axis=0)
    safe_total = np.where(total > 0, total, 1.0)
    mean = weighted_mean(values, weights)
    by_day = np.zeros((7, values.shape[1]))
    sums = np.zeros((7, values.shape[1]))
    np.add.at(by_day, weekdays, weights)
    np.add.at(sums, weekdays, weights * values)
    level_of_day = np.divide(sums, by_day, out=np.zeros_like(sums), where=by_day > 0)
    spread = (weights * (values - level_of_day[weekdays]) ** 2).sum(axis=0) / safe_total
    unit = np.where(mean > 0, np.maximum(spread / np.where(mean > 0, mean, 1.0), 1e-12), 1.0)
    factors = (sums / unit + WEEKDAY_PSEUDO_EVENTS) / (by_day * mean / unit + WEEKDAY_PSEUDO_EVENTS)
    level = (weights * factors[weekdays]).sum(axis=0) / safe_total
    good = (mean > 0) & (level > 0)
    return np.where(good, factors / np.where(good, level, 1.0), 1.0)


def dispersion(counts: np.ndarray, exposure: np.ndarray, weights: np.ndarray, prior_days: float) -> np.ndarray:
    """How much noisier than chance each series is: the weighted Pearson variance ÷ mean around its rate.

    1 is chance (Poisson); above 1 the days vary more (a count in bursts, or money); 0 only for a series that
    never varies from its rate (a constant figure). The estimate is pulled towards 1 by ``prior_days`` days.

    Args:
        counts: days × series, the volumes.
        exposure: days × series, what each day's volume is proportional to (its spend, or its weekday level).
        weights: days × series, each day's weight.
        prior_days: Days of evidence for "chance" (0 for money, which has no natural unit).

    Returns:
        One dispersion per series (1 where there is nothing to judge by).
    """
    total_y = (weights * counts).sum(axis=0)
    total_e = (weights * exposure).sum(axis=0)
    rate = np.divide(total_y, total_e, out=np.zeros_like(total_y), where=total_e > 0)
    mean = exposure * rate
    seen = (mean > 0) & (weights > 0)
    safe = np.where(seen, mean, 1.0)
    chi = (weights * np.where(seen, (counts - mean) ** 2 / safe, 0.0)).sum(axis=0)
    evidence = np.maximum((weights * seen).sum(axis=0) - 1.0, 0.0)
    raw = np.divide(chi, evidence, out=np.ones_like(chi), where=evidence > 0)
    pooled = evidence + prior_days
    damped = np.divide(evidence * raw + prior_days, pooled, out=raw.copy(), where=pooled > 0)
    out = np.where(raw == 0.0, 0.0, damped)
    return np.where(total_y > 0, out, 1.0)


def level_drift(
    counts: np.ndarray, exposure: np.ndarray, noise: np.ndarray, keep: np.ndarray, groups: np.ndarray | None = None
) -> np.ndarray:
    """How fast each series' level wanders: the variance a day of its log rate, read from its whole weeks.

    Consecutive weeks' log rates differ by the noise of two weeks' counts (dispersion ÷ count each) and by 7
    days of wandering; what is left after the noise, pulled towards :data:`DRIFT_PRIOR` by
    :data:`DRIFT_PRIOR_WEEKS` weeks' worth of evidence, is the wandering. Only weeks of at least
    :data:`WEEK_EVENTS` events count (the log of a smaller count is too noisy to tell wandering from chance), so
    a rare count keeps the prior, or shares the wandering of the other series of its group (a channel's customers
    wander with its leads).

    Args:
        counts: days × series.
        exposure: days × series.
        noise: series, the dispersion of the counts.
        keep: days × series, the days each series learns from.
        groups: series, a group number each (the series of a group share their wandering); None: each its own.

    Returns:
        One variance a day per series.
    """
    weeks = len(counts) // 7
    if weeks < 2:
        return np.full(counts.shape[1], DRIFT_PRIOR)
    tail = slice(len(counts) - 7 * weeks, None)
    y = (counts[tail] * keep[tail]).reshape(weeks, 7, -1).sum(axis=1)
    e = (exposure[tail] * keep[tail]).reshape(weeks, 7, -1).sum(axis=1)
    events = np.divide(y, noise, out=np.full_like(y, np.inf), where=noise > 0)
    ok = (events >= WEEK_EVENTS) & (e > 0) & keep[tail].reshape(weeks, 7, -1).all(axis=1)
    safe_y = np.where(ok, y, 1.0)
    log_rate = np.log(safe_y / np.where(ok, e, 1.0))
    pair = ok[1:] & ok[:-1]
    step = np.diff(log_rate, axis=0) ** 2 - noise / safe_y[1:] - noise / safe_y[:-1]
    pairs = pair.sum(axis=0).astype(float)
    steps = np.where(pair, step, 0.0).sum(axis=0)
    if groups is not None:
        pairs = np.bincount(groups, weights=pairs)[groups]
        steps = np.bincount(groups, weights=steps)[groups]
    wander = np.maximum(np.divide(steps, pairs, out=np.zeros(len(pairs)), where=pairs > 0), 0.0) / 7.0
    return (pairs * wander + DRIFT_PRIOR_WEEKS * DRIFT_PRIOR) / (pairs + DRIFT_PRIOR_WEEKS)


def drift_variance(wander: np.ndarray, days_left: int, age: np.ndarray) -> np.ndarray:
    """The variance of the log level of the days left against the estimate: the level wandered since the days the
    estimate is centred on, and wanders on over the days left (on average over them, about a third of them).

    Args:
        wander: The variance a day (see :func:`level_drift`).
        days_left: The days left.
        age: How many days back the estimate is centred (see :func:`mean_age`).

    Returns:
        The variance (same shape as ``wander``).
    """
    ahead = (days_left + 1) * (2 * days_left + 1) / (6 * days_left) if days_left > 0 else 0.0
    return wander * (ahead + age)


def read_series(
    counts: np.ndarray,
    exposure: np.ndarray,
    keep: np.ndarray,
    noise: np.ndarray,
    adaptive: bool,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Read series of past days: their wandering, and the weights to estimate their level with.

    Args:
        counts: days × series.
        exposure: days × series.
        keep: days × series, the days each series learns from.
        noise: series, their dispersion (see :func:`dispersion`).
        adaptive: Each series reads back as far as its wandering and noise say (see :func:`memory`); else all
            its days count alike.
        groups: Series that share their wandering (see :func:`level_drift`).

    Returns:
        (wander, weights: days × series); a series that never varied from its rate does not wander either.
    """
    alike = decay_weights(None, keep)
    wander = np.where(noise == 0, 0.0, level_drift(counts, exposure, noise, keep, groups))
    if not adaptive:
        return wander, alike
    half_lives = memory(wander, noise, weighted_mean(counts, alike))
    return wander, decay_weights(half_lives, keep)
