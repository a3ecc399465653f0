"""The KPIs the forecast covers: the volumes it simulates day by day and the ratios it computes on each path.

The ratios are read from the catalogue (numerator, denominator, paid channels only, which way is better), so the
forecast's CAC, CPL and ROAS are the same figures as the KPI Framework's.
"""

from __future__ import annotations

from dataclasses import dataclass

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import RatioOfSums

#: The Actuals columns the forecast simulates, in the order of every path array's last axis.
VOLUMES = ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue")
#: The volumes counted in whole numbers (the others are money).
COUNTS = ("Leads", "MQLs", "SQLs", "Customers")
#: The volumes a channel's spend or its days bring (all but Spend).
OUTCOMES = VOLUMES[1:]
#: The ratio KPIs the forecast computes along each path.
RATIO_NAMES = ("CAC", "CPL", "ROAS")
#: Every KPI the forecast covers.
FORECAST_KPIS = VOLUMES + RATIO_NAMES


@dataclass(frozen=True)
class Ratio:
    """A ratio KPI as the catalogue defines it.

    Args:
        name: The KPI ("CAC").
        numerator: The volume on top ("Spend").
        denominator: The volume below ("Customers").
        paid_only: The blended figure counts paid channels only (ROAS).
        lower_is_better: Reaching the target means at or below it (CAC, CPL).
    """

    name: str
    numerator: str
    denominator: str
    paid_only: bool
    lower_is_better: bool


def ratios() -> tuple[Ratio, ...]:
    """The ratio KPIs of :data:`RATIO_NAMES` that the catalogue in use defines as a plain ratio of two volumes.

    Returns:
        One :class:`Ratio` each, in :data:`RATIO_NAMES` order.
    """
    out = []
    for name in RATIO_NAMES:
        entry = catalogue.current().find(name)
        if entry is None or not isinstance(entry.expression, RatioOfSums) or entry.expression.add is not None:
            continue
        e = entry.expression
        if e.numerator in VOLUMES and e.denominator in VOLUMES:
            out.append(Ratio(name, e.numerator, e.denominator, e.paid_only, entry.lower_is_better))
    return tuple(out)


def kpi_names() -> tuple[str, ...]:
    """Every KPI the forecast reports: the volumes, then the ratios.

    Returns:
        E.g. ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue", "CAC", "CPL", "ROAS").
    """
    return VOLUMES + tuple(r.name for r in ratios())
