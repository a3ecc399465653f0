"""Every KPI's move split into one exact effect per channel, by the catalogue's definition of the KPI.

- A volume (:class:`~mops_xl.analysis.blocks.figure_blocks.Sum`): a channel's effect is its own change.
- A ratio of sums (CAC, CPL, ROAS, MER, fully-loaded CAC): R = (Σ N + K) ÷ Σ D over the channels counted (those
  that track both volumes; paid ones only for ROAS), K the stack cost for fully-loaded CAC. With R̄ and D̄ the
  averages of the two reports, ΔR = Σc (ΔNc − R̄·ΔDc) ÷ D̄ + ΔK ÷ D̄ exactly, whatever the order; each channel's
  effect has two parts, ΔNc ÷ D̄ under the numerator's name and −R̄·ΔDc ÷ D̄ under the denominator's. The stack
  cost is a driver of its own ("Martech stack"). A channel counted on one side only counts with zero on the other.
- A value over a figure (LTV:CAC = V ÷ F): Δ(V/F) = ΔV·avg(1/F) + avg(V)·Δ(1/F), with Δ(1/F) = −ΔF ÷ (Fa·Fb), so
  each channel's effect on F (and its parts) is scaled by −avg(V) ÷ (Fa·Fb) and the value's own change is a
  driver named after it.
- A KPI undefined in either report has no drivers; :func:`split` says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import (
    Block,
    BusinessValue,
    Figure,
    RatioOfSums,
    StackCost,
    Sum,
    ValueOver,
)
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.review.changes import Driver
from mops_xl.analysis.review.sides import Side

#: The driver that carries the change of the stack cost (fully-loaded CAC).
MARTECH_STACK = "Martech stack"


@dataclass(frozen=True)
class Split:
    """A KPI's change split into drivers, or why it is not.

    Args:
        drivers: The drivers, in channel order (empty when the KPI is undefined on either side).
        why_not: Why there are no drivers ("" when there are).
    """

    drivers: list[Driver]
    why_not: str = ""


def split(metric: str, before: Side, after: Side, channels: list[str]) -> Split:
    """Split one KPI's change into an exact effect per channel (see the module's docstring).

    Args:
        metric: The catalogue metric.
        before: The previous report's figures.
        after: This report's figures.
        channels: Every channel of either report, in order.

    Returns:
        The :class:`Split`.
    """
    b, a = before.figures.get(metric, math.nan), after.figures.get(metric, math.nan)
    if math.isnan(b) or math.isnan(a):
        return Split([], _why_undefined(metric, before, after))
    return Split(_drivers(catalogue.current().get(metric).expression, before, after, channels))


def _drivers(block: Block, before: Side, after: Side, channels: list[str]) -> list[Driver]:
    """The drivers of a defined figure's change, by its block."""
    if isinstance(block, Figure):
        return _drivers(block.lookup(block.metric), before, after, channels)
    if isinstance(block, Sum):
        return [
            Driver(ch, _zero(after.volume(ch, block.column)) - _zero(before.volume(ch, block.column)))
            for ch in channels
        ]
    if isinstance(block, RatioOfSums):
        return _ratio_drivers(block, before, after, channels)
    if isinstance(block, ValueOver):
        return _value_over_drivers(block, before, after, channels)
    b = block.blended(before.subjects, before.figures)
    a = block.blended(after.subjects, after.figures)
    name = MARTECH_STACK if isinstance(block, StackCost) else ALL_CHANNELS
    if isinstance(block, BusinessValue):
        name = block.field
    return [Driver(name, a - b)]


def _ratio_drivers(block: RatioOfSums, before: Side, after: Side, channels: list[str]) -> list[Driver]:
    """ΔR = Σc (ΔNc − R̄·ΔDc) ÷ D̄ + ΔK ÷ D̄ (the module's docstring)."""
    nb, db = _counted(block, before, channels)
    na, da = _counted(block, after, channels)
    kb = block.add.blended(before.subjects, before.figures) if block.add is not None else 0.0
    ka = block.add.blended(after.subjects, after.figures) if block.add is not None else 0.0
    r_mean = ((sum(na.values()) + ka) / sum(da.values()) + (sum(nb.values()) + kb) / sum(db.values())) / 2
    d_mean = (sum(da.values()) + sum(db.values())) / 2
    if d_mean == 0:  # the denominators cancel out (a sign change): no split by channel
        r_after, r_before = (sum(na.values()) + ka) / sum(da.values()), (sum(nb.values()) + kb) / sum(db.values())
        return [Driver(ALL_CHANNELS, r_after - r_before)]
    out = []
    for ch in channels:
        top = (na[ch] - nb[ch]) / d_mean + 0.0  # + 0.0: no "-0.0"
        bottom = -r_mean * (da[ch] - db[ch]) / d_mean + 0.0
        out.append(Driver(ch, top + bottom, {block.numerator: top, block.denominator: bottom}))
    if block.add is not None:
        out.append(Driver(MARTECH_STACK, (ka - kb) / d_mean))
    return out


def _counted(block: RatioOfSums, side: Side, channels: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Each channel's numerator and denominator as the blended ratio counts them (0 when it does not count)."""
    top: dict[str, float] = {}
    bottom: dict[str, float] = {}
    for ch in channels:
        n, d = side.volume(ch, block.numerator), side.volume(ch, block.denominator)
        counted = not (math.isnan(n) or math.isnan(d))
        if block.paid_only:
            counted = counted and bool(side.paid.get(ch, False))
        top[ch], bottom[ch] = (n, d) if counted else (0.0, 0.0)
    return top, bottom


def _value_over_drivers(block: ValueOver, before: Side, after: Side, channels: list[str]) -> list[Driver]:
    """Δ(V/F) = ΔV·avg(1/F) + avg(V)·Δ(1/F), Δ(1/F) = −ΔF ÷ (Fa·Fb) (the module's docstring)."""
    vb = block.value.blended(before.subjects, before.figures)
    va = block.value.blended(after.subjects, after.figures)
    fb = block.figure.blended(before.subjects, before.figures)
    fa = block.figure.blended(after.subjects, after.figures)
    scale = -(va + vb) / 2 / (fa * fb)
    inner = _drivers(block.figure, before, after, channels)
    out = [Driver(d.driver, d.effect * scale, {k: v * scale for k, v in d.parts.items()}) for d in inner]
    out.append(Driver(block.value.field, (va - vb) * (1 / fa + 1 / fb) / 2))
    return out


def _why_undefined(metric: str, before: Side, after: Side) -> str:
    """Why a KPI has no drivers: it is undefined (and why) in the previous report, in this one, or both."""
    reasons = []
    for label, side in (("in the previous report", before), ("in this report", after)):
        if math.isnan(side.figures.get(metric, math.nan)):
            reasons.append(f"undefined {label} ({_reason(metric, side)})")
    return "; ".join(reasons)


def _reason(metric: str, side: Side) -> str:
    """The catalogue's reason a blended figure is undefined, else "not tracked"."""
    entry = catalogue.current().get(metric)
    values: dict[str, object] = {**side.figures, "LTV": side.business.get("Customer lifetime value")}
    values = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in values.items()}
    untracked = [n for n in entry.expression.needs() if n in side.volumes.columns and values.get(n) is None]
    if untracked:
        return f"not tracked: no channel records {untracked[0]}"
    return entry.expression.undefined(values) or "not tracked"


def _zero(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def channels_of(before: Side, after: Side, order: list[str]) -> list[str]:
    """Every channel of either report: this report's Channels order, then the previous report's others.

    Args:
        before: The previous report's figures.
        after: This report's figures.
        order: This report's channels, in order.

    Returns:
        The channels.
    """
    seen = list(dict.fromkeys([*order, *after.volumes.index, *before.volumes.index]))
    return [str(ch) for ch in seen]


def by_effect(drivers: list[Driver]) -> list[Driver]:
    """The drivers, largest effect (in size) first; ties keep their order.

    Args:
        drivers: The drivers.

    Returns:
        The sorted list.
    """
    return sorted(drivers, key=lambda d: -abs(d.effect))


def total(drivers: list[Driver]) -> float:
    """The drivers' effects added up (compensated, so it matches the change to the last digits).

    Args:
        drivers: The drivers.

    Returns:
        The sum.
    """
    return math.fsum(d.effect for d in drivers)
