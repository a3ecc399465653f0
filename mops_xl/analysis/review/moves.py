"""Every KPI's move between two reports' Actuals to date, with its drivers (:mod:`.drivers`) and one sentence made
from the numbers: "CAC +$212: LinkedIn Ads +$260 (spend +18%, customers −2), Google Ads −$48, others +$0.40".
"""

from __future__ import annotations

import math

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.review.changes import Driver, KpiMove
from mops_xl.analysis.review.drivers import by_effect, channels_of, split
from mops_xl.analysis.review.sides import Side, side_of
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.analysis.review.words import shown, signed_change, volume_change

#: The drivers a sentence names; the rest are summed as "others".
NAMED_DRIVERS = 3


def kpi_moves(previous: Snapshot, current: Snapshot, prefix: str) -> list[KpiMove]:
    """Every KPI of the KPI Framework, before, after, its change and its drivers (largest effect first).

    Args:
        previous: The previous report's snapshot.
        current: This report's.
        prefix: The currency prefix.

    Returns:
        One :class:`KpiMove` per KPI, in the KPI Framework's order.
    """
    before, after = side_of(previous), side_of(current)
    channels = channels_of(before, after, current.channels)
    moves = []
    for metric in catalogue.current().kpis:
        b, a = _actual(previous, metric, before), _actual(current, metric, after)
        parted = split(metric, before, after, channels)
        drivers = by_effect(parted.drivers)
        change = a - b
        if parted.why_not:
            sentence = f"{metric}: {shown(metric, b, prefix)} → {shown(metric, a, prefix)}; {parted.why_not}"
        else:
            sentence = move_sentence(metric, change, drivers, before, after, prefix)
        moves.append(KpiMove(metric, b, a, change, drivers, sentence))
    return moves


def _actual(snapshot: Snapshot, metric: str, side: Side) -> float:
    """The KPI Framework's Actual as the report showed it (the catalogue's figure when the snapshot lacks it)."""
    value = snapshot.kpis.get(metric, side.figures.get(metric))
    return math.nan if value is None else float(value)


def move_sentence(metric: str, change: float, drivers: list[Driver], before: Side, after: Side, prefix: str) -> str:
    """One KPI's move in words: its change, the largest drivers with what moved in each, the rest as "others".

    Args:
        metric: The KPI.
        change: Its change.
        drivers: Its drivers, largest first.
        before: The previous report's figures.
        after: This report's.
        prefix: The currency prefix.

    Returns:
        E.g. "CAC +$212: LinkedIn Ads +$260 (spend +18%, customers −2), Google Ads −$48".
    """
    head = f"{metric} {signed_change(metric, change, prefix)}"
    zero = signed_change(metric, 0.0, prefix)
    moving = [d for d in drivers if signed_change(metric, d.effect, prefix) != zero]
    if not moving:
        return f"{metric} unchanged" if signed_change(metric, change, prefix) == zero else head
    named = moving[:NAMED_DRIVERS]
    words = [_driver_words(metric, d, before, after, prefix) for d in named]
    rest = math.fsum(d.effect for d in drivers if d.driver not in {n.driver for n in named})
    if len(moving) > NAMED_DRIVERS and signed_change(metric, rest, prefix) != zero:
        words.append(f"others {signed_change(metric, rest, prefix)}")
    return f"{head}: " + ", ".join(words)


def _driver_words(metric: str, driver: Driver, before: Side, after: Side, prefix: str) -> str:
    """One driver: its name and effect, and for a ratio's channel what moved in it ("spend +18%, customers −2")."""
    text = f"{driver.driver} {signed_change(metric, driver.effect, prefix)}"
    if not driver.parts:
        return text
    moved = [
        volume_change(v, before.volume(driver.driver, v), after.volume(driver.driver, v), prefix)
        for v in driver.parts
        if _moved(before.volume(driver.driver, v), after.volume(driver.driver, v))
    ]
    return f"{text} ({', '.join(moved)})" if moved else text


def _moved(before: float, after: float) -> bool:
    """Whether a channel's volume moved (a volume it did not have on one side counts as 0 there)."""
    return (0.0 if math.isnan(before) else before) != (0.0 if math.isnan(after) else after)
