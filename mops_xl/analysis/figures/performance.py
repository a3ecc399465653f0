"""Ratios over summed volumes: CPL, CAC, ROAS, funnel rates — per channel and blended, as the catalogue
(:mod:`mops_xl.analysis.blocks.catalogue`) defines them.

Every ratio is a ratio of sums (never a mean of daily ratios). A ratio whose denominator is zero is
undefined: NaN here, shown as "–" with the reason from :func:`undefined_reason`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import RatioOfSums, Subjects, divide, tracked_ratio, tracked_sums  # noqa: F401 (re-exported)
from mops_xl.analysis.blocks.stack_cost import MONTHLY_STACK_COST
from mops_xl.analysis.figures.volumes import VOLUMES


@dataclass(frozen=True)
class Ratio:
    """A metric defined as numerator ÷ denominator of summed volumes (a view of a catalogue entry).

    Args:
        name: The metric's label in the report.
        numerator: The volume on top.
        denominator: The volume below.
        higher_is_better: Direction, for attainment and trends.
        unit: ``"money"``, ``"ratio"`` or ``"percent"``.
    """

    name: str
    numerator: str
    denominator: str
    higher_is_better: bool
    unit: str


def ratios() -> tuple[Ratio, ...]:
    """The ratios of two volumes computed per channel and campaign: the catalogue's channel ratios.

    Returns:
        One :class:`Ratio` per :attr:`~mops_xl.analysis.blocks.catalogue.Catalogue.channel_ratios` entry.
    """
    out = []
    for m in catalogue.current().channel_ratios:
        e = m.expression
        assert isinstance(e, RatioOfSums)
        out.append(Ratio(m.name, e.numerator, e.denominator, m.better is not False, m.unit))
    return tuple(out)


#: The channel ratios of the shipped catalogue (see :func:`ratios`).
RATIOS: tuple[Ratio, ...] = ratios()
RATIOS_BY_NAME = {r.name: r for r in RATIOS}
#: Metrics where a lower value is better (attainment = target ÷ actual; a falling value trends ↑).
LOWER_IS_BETTER = catalogue.CATALOGUE.lower_is_better


def with_ratios(volumes: pd.DataFrame) -> pd.DataFrame:
    """Add every channel ratio of the catalogue (:func:`ratios`) as a column.

    Args:
        volumes: Summed volumes, one row per subject (channel, campaign …).

    Returns:
        A copy with the ratio columns added (NaN where undefined).
    """
    out = volumes.copy()
    for ratio in ratios():
        out[ratio.name] = divide(out[ratio.numerator], out[ratio.denominator])
    return out


@dataclass
class Blended:
    """The all-channel figures for a window: every figure of the catalogue.

    A volume a channel does not track (NaN) is left out: a blended volume sums the channels that track it (NaN
    when none does), and a blended ratio counts only the channels that track both of its volumes, so that its
    numerator and denominator describe the same channels (ROAS: the paid channels only).

    Args:
        figures: Metric → value for every catalogue entry, in catalogue order (NaN where undefined).
        stack_cost: The prorated monthly cost of the active stack tools over the window.
    """

    figures: dict[str, float]
    stack_cost: float

    @property
    def volumes(self) -> dict[str, float]:
        """The summed volumes (:data:`~mops_xl.analysis.figures.volumes.VOLUMES`)."""
        return {v: self.figures[v] for v in VOLUMES if v in self.figures}

    @property
    def ratios(self) -> dict[str, float]:
        """The channel ratios (:func:`ratios`), blended."""
        return {r.name: self.figures[r.name] for r in ratios()}

    @property
    def others(self) -> dict[str, float]:
        """The all-channel figures that are neither volumes nor channel ratios nor another figure's copy (MER,
        Fully-loaded CAC, LTV:CAC …)."""
        skip = set(VOLUMES) | {r.name for r in ratios()}
        cat = catalogue.current()
        return {m: v for m, v in self.figures.items() if m not in skip and not (m in cat and cat.get(m).target_metric)}

    @property
    def mer(self) -> float:
        """Marketing efficiency ratio: revenue ÷ spend of the channels that track revenue."""
        return self.figures["MER"]

    @property
    def fully_loaded_cac(self) -> float:
        """(Spend + prorated stack cost) ÷ customers, over the channels that track customers."""
        return self.figures["Fully-loaded CAC"]

    @property
    def ltv_to_cac(self) -> float:
        """Customer lifetime value ÷ CAC."""
        return self.figures["LTV:CAC"]


def blended(volumes: pd.DataFrame, paid: pd.Series, ltv: float | None, stack_cost: float) -> Blended:
    """Compute every catalogue figure over all channels from per-channel volumes.

    Args:
        volumes: Summed volumes indexed by channel (every channel, zeros included; NaN where not tracked).
        paid: Channel → True when the channel is paid media.
        ltv: Customer lifetime value, or None.
        stack_cost: Prorated stack cost for the window (0 when there is no stack).

    Returns:
        The :class:`Blended` figures.
    """
    business: dict[str, Any] = {"Customer lifetime value": ltv}
    s = Subjects(volumes, paid, business, stack_cost)
    return Blended(figures=catalogue.current().blended(s), stack_cost=stack_cost)


def stack_cost_for_days(stack: pd.DataFrame, days: int) -> float:
    """Prorate the monthly cost of the Active stack tools to ``days`` days (× 12 ÷ 365 per day).

    Args:
        stack: The Stack table.
        days: Days in the window.

    Returns:
        The cost (0 when no active tool has a cost).
    """
    if stack.empty:
        return 0.0
    return MONTHLY_STACK_COST.compute(stack) * 12 / 365 * days


def undefined_reason(metric: str, values: dict[str, Any]) -> str | None:
    """Say why a metric is undefined for one subject, or None when it is defined (the catalogue's reason).

    Args:
        metric: A catalogue figure.
        values: The subject's volumes (and, for LTV:CAC, ``"LTV"`` and ``"CAC"``).

    Returns:
        E.g. ``"no customers to date"``.
    """
    entry = catalogue.current().find(metric)
    return None if entry is None else entry.expression.undefined(values)
