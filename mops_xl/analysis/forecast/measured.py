"""What the back-test measured (``python benchmarks/forecast_backtest.py``; results in
benchmarks/results/forecast_backtest.md): how often the Low–High band held the outcome, how the likely figure
compares with the straight line, and which KPIs therefore fall back to the straight line.

``tests/test_forecast_measured.py`` checks these figures against the benchmark's latest results file.
"""

from __future__ import annotations

#: Share of back-test forecasts whose P10–P90 band held the period-end outcome, pooled over Spend, Leads,
#: Customers, Revenue, CAC and ROAS (all channels).
COVERAGE = 0.0
#: The back-test's forecasts behind :data:`COVERAGE`.
FORECASTS = 0
#: KPI → the simulation's mean absolute error ÷ the straight line's (below 1: the simulation is closer).
MASE: dict[str, float] = {}
#: The Brier score of the chances of target (0 is perfect; always saying 50 % scores 0.25).
BRIER = 0.0
#: The KPIs whose likely figure did not beat the straight line in the back-test: they fall back to it.
FALLBACK_KPIS: frozenset[str] = frozenset()


def method_statement() -> str:
    """The one sentence Data Notes print about the forecast: the method and its measured coverage.

    Returns:
        E.g. "Low, Likely and High are the 10th, 50th and 90th percentiles of 2,000 simulated paths …; in
        back-tests the Low–High range held the period-end figure 81 % of the time."
    """
    fallback = ""
    if FALLBACK_KPIS:
        fallback = f" ({', '.join(sorted(FALLBACK_KPIS))}: the straight line, which the simulation did not beat)"
    return (
        "Low, Likely and High are the 10th, 50th and 90th percentiles of simulated period ends (weekday patterns, "
        "lumpy channels' schedules, recent days weighing more, and the uncertainty of the rates as well as "
        f"day-to-day noise){fallback}; in back-tests over {FORECASTS:,} forecasts the Low–High range held the "
        f"period-end figure {COVERAGE:.0%} of the time."
    )
