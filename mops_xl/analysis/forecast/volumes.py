"""The volumes of the days left (leads, MQLs, SQLs, customers, revenue), simulated per path, channel and volume.

Each volume comes at a rate per unit of exposure: the channel's spend when the volume comes on the days it
spends, else its days, each weighted by the volume's weekday level (organic leads, or a webinar whose leads keep
coming between sessions). The rate is uncertain: a gamma posterior (a weak prior of a tenth of an event, on the
past days' events and exposure, each day weighted by the volume's memory), so a channel that converted 0 or 1
times still gets an honest band; the rate may also wander by the days left (a channel's volumes wander
together). Counts beyond chance (the volume's dispersion, variance ÷ mean) widen both the rate's posterior and
the days' noise: a negative binomial for counts, a gamma for money, and a narrower than Poisson spread only for
a series that varies less than chance (a constant figure gives no band at all). Revenue that comes with
customers is their tickets: each path's customers × its average ticket (itself uncertain), with the spread of
single tickets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mops_xl.analysis.forecast.kpis import COUNTS, OUTCOMES, VOLUMES
from mops_xl.analysis.forecast.patterns import (
    DISPERSION_PRIOR_DAYS,
    decay_weights,
    dispersion,
    drift_variance,
    mean_age,
    read_series,
    weekday_factors,
)
from mops_xl.analysis.forecast.spend import gamma_around

#: A volume comes with spend when at most this share of it came on days without spend.
OFF_DAY_SHARE = 0.1
#: The prior's events: a tenth of an event, so that no events so far still leave a chance of some (a smaller
#: prior than Jeffreys' half event, which summed over many quiet channels lifted the blended figures in the
#: back-test).
PRIOR_EVENTS = 0.1
#: Extra spend buys less than the average: a channel's volume grows as its spend to this power around its
#: current pace (10 % more spend, about 7 % more volume; 10 % less spend, about 7 % less volume).
RETURNS_EXPONENT = 0.7
#: Which outcomes are counted in whole numbers (the others are money).
IS_COUNT = np.array([v in COUNTS for v in OUTCOMES])


@dataclass(frozen=True)
class VolumeModel:
    """Each channel's volumes read from its past days (arrays channels × :data:`OUTCOMES`).

    Args:
        with_spend: The volume comes with the channel's spend (else with its days).
        factors: 7 × channels × outcomes, the weekday levels of a volume that comes with the days.
        events: The past days' weighted volume.
        exposure: The past days' weighted exposure (spend, or weekday levels).
        dispersion: Variance ÷ mean of the days around the rate (1 is chance).
        wander: How fast the rate wanders (variance of its log a day).
        age: How many days back the estimate of the rate is centred.
    """

    with_spend: np.ndarray
    factors: np.ndarray
    events: np.ndarray
    exposure: np.ndarray
    dispersion: np.ndarray
    wander: np.ndarray
    age: np.ndarray

    def day_exposure(self, weekdays: np.ndarray) -> np.ndarray:
        """The exposure of days that come with the weekday levels (channels × outcomes).

        Args:
            weekdays: The days' weekdays.

        Returns:
            The summed weekday levels.
        """
        return self.factors[weekdays].sum(axis=0)


def read_volumes(
    values: np.ndarray, weekdays: np.ndarray, keep: np.ndarray, weekday: bool, adaptive: bool
) -> VolumeModel:
    """Read each channel's volume rates from its past days.

    Args:
        values: days × channels × volumes (Spend first, then :data:`OUTCOMES`).
        weekdays: Each day's weekday.
        keep: days × channels, the days to learn from (from the channel's first active day, provisional ones
            left out).
        weekday: Read each volume's weekday pattern (else every day is alike).
        adaptive: Each volume reads back as far as its rate's wandering and noise say (else all days alike).

    Returns:
        The :class:`VolumeModel`.
    """
    days, channels, kinds = values.shape[0], values.shape[1], len(OUTCOMES)
    spend, outcomes = values[:, :, 0], values[:, :, 1:]
    keep_each = np.repeat(keep[:, :, None], kinds, axis=2)
    alike = decay_weights(None, keep_each.reshape(days, -1)).reshape(days, channels, kinds)
    factors = np.ones((7, channels, kinds))
    if weekday and days:
        flat = weekday_factors(outcomes.reshape(days, -1), weekdays, alike.reshape(days, -1))
        factors = flat.reshape(7, channels, kinds)
    total = (alike * outcomes).sum(axis=0)
    off_days = (alike * outcomes * (spend[:, :, None] <= 0)).sum(axis=0)
    spent = ((alike[:, :, 0] * spend).sum(axis=0) > 0)[:, None]
    with_spend = spent & (off_days <= OFF_DAY_SHARE * total)
    exposure_days = np.where(with_spend[None], spend[:, :, None], factors[weekdays])
    flat_y, flat_e, flat_keep = (a.reshape(days, -1) for a in (outcomes, exposure_days, keep_each))
    is_count = np.tile(IS_COUNT, channels)
    flat_alike = alike.reshape(days, -1)
    spread = np.where(
        is_count,
        dispersion(flat_y, flat_e, flat_alike, DISPERSION_PRIOR_DAYS),
        dispersion(flat_y, flat_e, flat_alike, 0.0),
    )
    channel_of = np.repeat(np.arange(channels), kinds)
    wander, weights = read_series(flat_y, flat_e, flat_keep, spread, adaptive, groups=channel_of)
    shape = (channels, kinds)
    return VolumeModel(
        with_spend,
        factors,
        (weights * flat_y).sum(axis=0).reshape(shape),
        (weights * flat_e).sum(axis=0).reshape(shape),
        spread.reshape(shape),
        wander.reshape(shape),
        mean_age(weights).reshape(shape),
    )


def draw_rates(model: VolumeModel, paths: int, days_left: int, rng: np.random.Generator) -> np.ndarray:
    """Each path's rates: draws from the gamma posterior of each channel's rate per unit of exposure, moved by how
    far the rate may wander by the days left (one wander per path and channel, shared by its volumes).

    Args:
        model: The volumes' model.
        paths: How many paths.
        days_left: The days left.
        rng: The random generator.

    Returns:
        paths × channels × outcomes (0 where there was no exposure to learn from).
    """
    phi = model.dispersion
    known = model.exposure > 0
    random = known & (phi > 0)
    scale_phi = np.where(random, phi, 1.0)
    shape = PRIOR_EVENTS + model.events / scale_phi
    rate = np.where(random, model.exposure / scale_phi, 1.0)
    draws = rng.gamma(np.broadcast_to(shape, (paths, *shape.shape)), 1.0 / rate)
    fixed = np.divide(model.events, model.exposure, out=np.zeros_like(model.events), where=known)
    rates = np.where(random, draws, fixed)
    drift = drift_variance(model.wander, days_left, model.age)
    wander = rng.standard_normal((paths, phi.shape[0], 1))
    return rates * np.exp(wander * np.sqrt(drift) - drift / 2)


def draw_volumes(mean: np.ndarray, phi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The volume of a stretch of days around each path's mean: whole numbers for counts, money for money.

    Args:
        mean: paths × channels × outcomes, each path's expected volume.
        phi: channels × outcomes, the dispersion.
        rng: The random generator.

    Returns:
        The draws (same shape as ``mean``).
    """
    mean = np.maximum(mean, 0.0)
    out = np.empty_like(mean)
    count_mean, count_phi = mean[..., IS_COUNT], phi[..., IS_COUNT]
    bursty = count_phi > 1.0
    extra = np.where(bursty, count_phi - 1.0, 1.0)
    lam = np.where(bursty, gamma_around(count_mean, count_mean * extra, rng), count_mean)
    counts = rng.poisson(lam).astype(float)
    calm = count_phi < 1.0
    shrink = np.sqrt(np.where(calm, count_phi, 1.0))
    out[..., IS_COUNT] = np.where(calm, np.maximum(np.rint(count_mean + shrink * (counts - count_mean)), 0.0), counts)
    money_mean = mean[..., ~IS_COUNT]
    out[..., ~IS_COUNT] = gamma_around(money_mean, money_mean * phi[..., ~IS_COUNT], rng)
    return out


@dataclass(frozen=True)
class Tickets:
    """Revenue per customer, for the channels whose revenue comes with their customers (arrays of channels).

    Args:
        with_customers: Revenue comes with customers (at most :data:`OFF_DAY_SHARE` of it on days without one).
        mean: The average revenue per customer.
        spread: The variance of one customer's revenue.
        customers: The customers the average was read from (how sure it is).
    """

    with_customers: np.ndarray
    mean: np.ndarray
    spread: np.ndarray
    customers: np.ndarray


def read_tickets(values: np.ndarray, keep: np.ndarray) -> Tickets:
    """Read each channel's revenue per customer from its past days (a day's revenue is its customers' tickets).

    Args:
        values: days × channels × volumes.
        keep: days × channels, the days to learn from.

    Returns:
        The :class:`Tickets`.
    """
    customers = values[:, :, VOLUMES.index("Customers")] * keep
    revenue = values[:, :, VOLUMES.index("Revenue")] * keep
    won = customers.sum(axis=0)
    total = revenue.sum(axis=0)
    mean = np.divide(total, won, out=np.zeros_like(won), where=won > 0)
    spread = np.divide(((revenue - customers * mean) ** 2).sum(axis=0), won, out=np.zeros_like(won), where=won > 0)
    alone = (revenue * (customers == 0)).sum(axis=0)
    with_customers = (won >= 1) & (alone <= OFF_DAY_SHARE * total)
    return Tickets(with_customers, mean, spread, won)


def draw_revenue(customers: np.ndarray, tickets: Tickets, rng: np.random.Generator) -> np.ndarray:
    """The revenue of each path's customers: each path's average ticket (uncertain, as read from few customers)
    × its customers, with the spread of single tickets.

    Args:
        customers: paths × channels, the customers won.
        tickets: The channels' tickets.
        rng: The random generator.

    Returns:
        paths × channels.
    """
    sure = np.divide(tickets.spread, tickets.customers, out=np.zeros_like(tickets.spread), where=tickets.customers > 0)
    ticket = gamma_around(np.broadcast_to(tickets.mean, customers.shape), np.broadcast_to(sure, customers.shape), rng)
    return gamma_around(customers * ticket, customers * tickets.spread, rng)
