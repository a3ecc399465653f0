"""Ratios over summed volumes: CPL, CAC, ROAS, funnel rates — per channel and blended.

Every ratio is a ratio of sums (never a mean of daily ratios). A ratio whose denominator is zero is
undefined: NaN here, shown as "–" with the reason from :func:`undefined_reason`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mops_xl.metrics.volumes import VOLUMES


@dataclass(frozen=True)
class Ratio:
    """A metric defined as numerator ÷ denominator of summed volumes.

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


RATIOS: tuple[Ratio, ...] = (
    Ratio("CPL", "Spend", "Leads", False, "money"),
    Ratio("CAC", "Spend", "Customers", False, "money"),
    Ratio("ROAS", "Revenue", "Spend", True, "ratio"),
    Ratio("CTR", "Clicks", "Impressions", True, "percent"),
    Ratio("Click to lead", "Leads", "Clicks", True, "percent"),
    Ratio("Lead to MQL", "MQLs", "Leads", True, "percent"),
    Ratio("MQL to SQL", "SQLs", "MQLs", True, "percent"),
    Ratio("SQL to customer", "Customers", "SQLs", True, "percent"),
    Ratio("Revenue per customer", "Revenue", "Customers", True, "money"),
)
RATIOS_BY_NAME = {r.name: r for r in RATIOS}
#: Metrics where a lower value is better (attainment = target ÷ actual; a falling value trends ↑).
LOWER_IS_BETTER = frozenset({"CPL", "CAC", "Fully-loaded CAC"})


def divide(numerator: pd.Series | float, denominator: pd.Series | float) -> pd.Series | float:
    """Divide, giving NaN (undefined) wherever the denominator is zero or missing — never inf.

    Args:
        numerator: Values on top.
        denominator: Values below.

    Returns:
        The quotient, NaN where undefined.
    """
    if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
        num = pd.Series(numerator, dtype="float64") if not isinstance(numerator, pd.Series) else numerator
        den = denominator if isinstance(denominator, pd.Series) else pd.Series(denominator, index=num.index)
        den = den.astype("float64")
        out = num.astype("float64").div(den.where(den != 0))
        return out.where(np.isfinite(out))  # an overflow (a subnormal denominator) is undefined too
    if denominator is None or numerator is None or pd.isna(denominator) or pd.isna(numerator) or denominator == 0:
        return float("nan")
    out = float(numerator) / float(denominator)
    return out if np.isfinite(out) else float("nan")


def with_ratios(volumes: pd.DataFrame) -> pd.DataFrame:
    """Add every ratio of :data:`RATIOS` as a column.

    Args:
        volumes: Summed volumes, one row per subject (channel, campaign …).

    Returns:
        A copy with the ratio columns added (NaN where undefined).
    """
    out = volumes.copy()
    for ratio in RATIOS:
        out[ratio.name] = divide(out[ratio.numerator], out[ratio.denominator])
    return out


@dataclass
class Blended:
    """The all-channel figures for a window.

    A volume a channel does not track (NaN) is left out: a blended volume sums the channels that track it (NaN
    when none does), and a blended ratio counts only the channels that track both of its volumes, so that its
    numerator and denominator describe the same channels.

    Args:
        volumes: The summed volumes of all channels (of the channels that track each; NaN when none does).
        ratios: Every ratio of :data:`RATIOS` over the channels that track its volumes, except ROAS, which
            counts paid channels only (revenue of the paid channels that track it ÷ their spend).
        mer: Marketing efficiency ratio: revenue ÷ spend of the channels that track revenue.
        fully_loaded_cac: (spend + prorated stack cost) ÷ customers, over the channels that track customers.
        ltv_to_cac: Customer lifetime value ÷ CAC.
        stack_cost: The prorated monthly cost of the active stack tools over the window.
    """

    volumes: dict[str, float]
    ratios: dict[str, float]
    mer: float
    fully_loaded_cac: float
    ltv_to_cac: float
    stack_cost: float


def tracked_sums(volumes: pd.DataFrame, *columns: str) -> tuple[float, ...] | None:
    """Sum columns over the channels that track all of them (no NaN in any), or None when no channel does.

    Args:
        volumes: Summed volumes indexed by channel (NaN where a channel does not track a volume).
        *columns: The volumes.

    Returns:
        One sum per column, or None.
    """
    both = volumes[list(columns)].dropna()
    if both.empty:
        return None
    return tuple(float(both[c].sum()) for c in columns)


def tracked_ratio(volumes: pd.DataFrame, numerator: str, denominator: str, extra: float = 0.0) -> float:
    """(Σ numerator + extra) ÷ Σ denominator over the channels that track both (NaN when none does or Σ is 0).

    Args:
        volumes: Summed volumes indexed by channel.
        numerator: The volume on top.
        denominator: The volume below.
        extra: Added to the numerator's sum (the stack cost of fully-loaded CAC).

    Returns:
        The ratio, NaN where undefined or not tracked.
    """
    sums = tracked_sums(volumes, numerator, denominator)
    return float("nan") if sums is None else divide(sums[0] + extra, sums[1])


def blended(volumes: pd.DataFrame, paid: pd.Series, ltv: float | None, stack_cost: float) -> Blended:
    """Compute the blended figures from per-channel volumes.

    Args:
        volumes: Summed volumes indexed by channel (every channel, zeros included; NaN where not tracked).
        paid: Channel → True when the channel is paid media.
        ltv: Customer lifetime value, or None.
        stack_cost: Prorated stack cost for the window (0 when there is no stack).

    Returns:
        The :class:`Blended` figures.
    """
    totals = {v: float(volumes[v].sum(min_count=1)) for v in VOLUMES if v in volumes}
    ratios = {r.name: tracked_ratio(volumes, r.numerator, r.denominator) for r in RATIOS}
    is_paid = paid.reindex(volumes.index).fillna(False).astype(bool)
    ratios["ROAS"] = tracked_ratio(volumes[is_paid], "Revenue", "Spend")
    cac = ratios["CAC"]
    return Blended(
        volumes=totals,
        ratios=ratios,
        mer=tracked_ratio(volumes, "Revenue", "Spend"),
        fully_loaded_cac=tracked_ratio(volumes, "Spend", "Customers", extra=stack_cost),
        ltv_to_cac=divide(ltv, cac) if ltv is not None else float("nan"),
        stack_cost=stack_cost,
    )


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
    active = stack[stack["Status"].fillna("Active") == "Active"]
    monthly = float(active["Monthly cost"].fillna(0).sum())
    return monthly * 12 / 365 * days


def undefined_reason(metric: str, values: dict[str, float]) -> str | None:
    """Say why a metric is undefined for one subject, or None when it is defined.

    Args:
        metric: A ratio name, or "MER", "Fully-loaded CAC", "LTV:CAC".
        values: The subject's volumes (and, for LTV:CAC, ``"LTV"`` and ``"CAC"``).

    Returns:
        E.g. ``"no customers to date"``.
    """
    if metric in RATIOS_BY_NAME:
        den = RATIOS_BY_NAME[metric].denominator
        return f"no {den.lower() if den not in ('MQLs', 'SQLs') else den} to date" if not values.get(den) else None
    if metric in ("MER",):
        return "no spend to date" if not values.get("Spend") else None
    if metric == "Fully-loaded CAC":
        return "no customers to date" if not values.get("Customers") else None
    if metric == "LTV:CAC":
        if values.get("LTV") is None or np.isnan(values.get("LTV", np.nan)):
            return "no Customer lifetime value on the Business sheet"
        if not values.get("Customers"):
            return "CAC is undefined: no customers to date"
        if not values.get("Spend"):
            return "CAC is 0: no spend to date"
    return None
