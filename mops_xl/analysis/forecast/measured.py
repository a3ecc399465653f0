"""What the back-test measured (``python benchmarks/forecast_backtest.py``; results in
benchmarks/results/forecast_backtest.md): how often the Low–High band held the outcome, how the likely figure
compares with the straight line, and which KPIs therefore fall back to the straight line.

``tests/test_forecast_measured.py`` checks these figures against the benchmark's latest results file.
"""

from __future__ import annotations

from mops_xl.analysis.blocks.wording import percent
from mops_xl.analysis.forecast.forecasters import PATHS

#: Share of back-test figures whose P10–P90 band held the period-end outcome, pooled over Spend, Leads,
#: Customers, Revenue, CAC and ROAS (all channels).
COVERAGE = 0.799
#: The back-test's histories, cuts, and figures (cut × KPI) behind :data:`COVERAGE`.
HISTORIES, CUTS, FIGURES = 66, 272, 1625
#: KPI → the simulation's mean absolute error ÷ the straight line's (below 1: the simulation is closer).
MASE: dict[str, float] = {
    "Spend": 0.638,
    "Leads": 0.875,
    "MQLs": 0.911,
    "SQLs": 0.932,
    "Customers": 0.952,
    "Revenue": 0.919,
    "CAC": 0.904,
    "CPL": 0.827,
    "ROAS": 0.859,
}
#: The Brier score of the chances of target (0 is perfect; always saying 50 % scores 0.25).
BRIER = 0.1107
#: The KPIs whose likely figure did not beat the straight line in the back-test: they fall back to it.
FALLBACK_KPIS: frozenset[str] = frozenset()


def method_statement() -> str:
    """The one sentence Data Notes print about the forecast: the method and its measured coverage.

    Returns:
        "Low, Likely and High are the 10th, 50th and 90th percentiles of 2,000 simulated period ends (…); in
        back-tests on 66 histories cut 272 times, the Low–High range held the period-end figure 79.9% of the time."
    """
    fallback = ""
    if FALLBACK_KPIS:
        fallback = f" ({', '.join(sorted(FALLBACK_KPIS))}: the straight line, which the simulation did not beat)"
    return (
        f"Low, Likely and High are the 10th, 50th and 90th percentiles of {PATHS:,} simulated period ends (weekday "
        "patterns, lumpy channels' schedules, recent days weighing more, late data in the settling days, and the "
        f"uncertainty of the rates as well as day-to-day noise){fallback}; in back-tests on {HISTORIES} histories "
        f"cut {CUTS} times, the Low–High range held the period-end figure {percent(COVERAGE)} of the time."
    )
