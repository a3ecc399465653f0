"""Benchmark: what the forecast adds to a build (issue 25: under 0.2 s to a sample build, under 5 % to a
1,000,000-row build).

    python benchmarks/forecast_speed.py             # the three samples and 1,048,575 Actuals rows
    python benchmarks/forecast_speed.py --rows 0    # the samples only

For each sample it times, best of five, everything the engine does for the forecast: the daily frame, the forecast
"if the current pattern continues" (with its straight-line fallback), the forecast "with the plan", the budget
needed with odds and the landing lines. For the big case it times the same on the 1,048,575-row Actuals of
``benchmarks/build_scale.py`` (a year of 8 channels) and divides by that benchmark's latest build time of the same
rows (benchmarks/results/build_scale.json, the whole `mops-xl build`). Writes benchmarks/results/forecast_speed.json
and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from build_scale import actuals_rows  # noqa: E402

from mops_xl import analyse, load_intake  # noqa: E402
from mops_xl.analysis import phases  # noqa: E402
from mops_xl.analysis.blocks.window import ReportingWindow  # noqa: E402
from mops_xl.analysis.decisions.plan_forecast import forecast_with_plan  # noqa: E402
from mops_xl.analysis.forecast import budget_needed_with_odds, daily_by_channel, forecast_period  # noqa: E402
from mops_xl.analysis.story.landing import period_landing  # noqa: E402

SAMPLES = ("saas", "d2c", "local")
AIM_SAMPLE_S, AIM_SHARE = 0.2, 0.05
REPEATS = 5


def best_of(run, repeats: int = REPEATS) -> float:
    """The best wall time of ``run()`` over ``repeats`` runs."""
    best = math.inf
    for _ in range(repeats):
        begin = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - begin)
    return best


def sample_time(name: str) -> float:
    """What the forecast adds to a build of one sample: the calls the engine makes for it, with the same inputs,
    best of five."""
    intake = load_intake(HERE.parent / "samples" / f"{name}.xlsx")
    a = analyse(intake)
    basis = phases.read_basis(intake)
    figures = phases.measure_figures(basis)
    targets = phases._forecast_targets(figures)
    paid = [ch for ch in basis.names if bool(basis.paid.get(ch, False))]
    budget = float(a.kpis.loc["Spend", "Target"])

    def run() -> None:
        forecast = phases.forecast_period_end(basis, figures)  # the daily frame, the forecast and its fallback
        plan = forecast_with_plan(forecast.daily, basis.window, targets, a.plan, channels=basis.names, paid=paid)
        needed = budget_needed_with_odds(forecast.forecast, targets)
        period_landing(forecast.forecast, plan, needed, budget)

    return best_of(run)


def big_time(rows: int) -> float:
    """The forecast's work on ``rows`` Actuals rows (a year of 8 channels): the daily frame, both scenarios, the
    budget needed with odds. One run (it is seconds, not milliseconds)."""
    actuals = actuals_rows(rows)
    window = ReportingWindow(pd.Timestamp("2026-10-01"), pd.Timestamp("2026-12-31"), pd.Timestamp("2026-11-15"), 3)
    targets = {"Customers": 1e9, "Leads": 1e9}
    begin = time.perf_counter()
    daily = daily_by_channel(actuals)
    forecast = forecast_period(daily, window, targets)
    forecast_period(daily, window, targets, planned_spend={"Channel 0": 100.0})
    budget_needed_with_odds(forecast, targets)
    return time.perf_counter() - begin


def build_time(rows: int) -> tuple[float, str]:
    """The latest whole build time of ``rows`` Actuals rows, from benchmarks/results/build_scale.json."""
    path = HERE / "results" / "build_scale.json"
    if not path.exists():
        return math.nan, "no build_scale results"
    data = json.loads(path.read_text(encoding="utf-8"))
    for case in data["results"]:
        if case["sheet"] == "Actuals" and case["rows"] == rows:
            return float(case["build_s"]), data.get("date", "")
    return math.nan, "no build_scale case of that size"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_048_575, help="Actuals rows of the big case (0: none)")
    args = parser.parse_args()
    samples = {name: round(sample_time(name), 4) for name in SAMPLES}
    result: dict = {
        "date": f"{dt.date.today():%Y-%m-%d}",
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "samples_s": samples,
        "aim_sample_s": AIM_SAMPLE_S,
    }
    lines = [
        f"Measured {result['date']} on {result['machine']} by `python benchmarks/forecast_speed.py`.",
        "",
        "| case | forecast adds (s) | aim |",
        "|---|---:|---|",
        *(f"| {name} sample | {seconds:.3f} | < {AIM_SAMPLE_S} s |" for name, seconds in samples.items()),
    ]
    if args.rows:
        seconds = big_time(args.rows)
        build, when = build_time(args.rows)
        result.update(big_rows=args.rows, big_s=round(seconds, 2), build_s=build, share=round(seconds / build, 4))
        lines.append(
            f"| {args.rows:,} Actuals rows | {seconds:.2f} ({seconds / build:.1%} of the {build:.1f} s build, "
            f"benchmarks/results/build_scale.json {when}) | < {AIM_SHARE:.0%} |"
        )
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "forecast_speed.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (out / "forecast_speed.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
