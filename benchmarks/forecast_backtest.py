"""Benchmark: is the forecast honest? Rolling-origin back-tests of the period-end forecast (issue 25).

    python benchmarks/forecast_backtest.py              # 60 generated histories and the three samples
    python benchmarks/forecast_backtest.py --generated 20

Each history is cut at every week from a quarter to four-fifths of the way through its period (and, reported
apart, one week in); the forecast made at the cut is compared with what the period ended at:

- coverage: how often the P10–P90 band held the outcome, pooled over Spend, Leads, Customers, Revenue, CAC and
  ROAS (all channels; aim 70–90 %);
- MASE: the likely figure's (P50's) mean absolute error over the straight line's (total to date ÷ elapsed days ×
  period days), every error scaled by the outcome so that each history weighs alike (below 1: better);
- Brier: the mean squared error of the chances of target (below 0.20; always saying 50 % scores 0.25).

Histories: generated ones with known patterns (weekday effects, a lumpy webinar channel spending every other
Thursday, rare conversions, a budget change, slow drift of the rates, late data in the settling days, channels
that do not track some volumes), and the three samples: the complete period before each sample's own and the
last full period length of its data. Writes benchmarks/results/forecast_backtest.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from mops_xl.analysis.blocks.window import DAY, ReportingWindow  # noqa: E402
from mops_xl.analysis.forecast.forecasters import SIMULATION, STRAIGHT_LINE, Forecaster  # noqa: E402
from mops_xl.analysis.forecast.history import daily_by_channel  # noqa: E402
from mops_xl.analysis.forecast.period import forecast_period  # noqa: E402

#: The KPIs the coverage is pooled over.
POOLED = ("Spend", "Leads", "Customers", "Revenue", "CAC", "ROAS")
#: The KPIs scored (MASE, Brier).
SCORED = ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue", "CAC", "CPL", "ROAS")
LOWER_IS_BETTER = {"CAC", "CPL"}
SETTLING_DAYS = 3
#: The share of the last settling days' conversions recorded at the cut (the last day first): late data.
RECORDED_LATE = (0.5, 0.8, 0.95)
WEEK = 7


@dataclass
class Case:
    """A history with its period: the full days (the outcome included) and the period's targets."""

    name: str
    source: str
    daily: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp
    targets: dict[str, float]
    channels: list[str]
    paid: set[str]
    late_data: bool = False
    outcome: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# Generated histories
# ---------------------------------------------------------------------------------------------------------------

WEEKDAY_B2B = np.array([1.15, 1.2, 1.15, 1.1, 0.95, 0.55, 0.5])
WEEKDAY_SEARCH = np.array([1.1, 1.1, 1.05, 1.05, 0.95, 0.75, 0.7])
WEEKDAY_SOCIAL = np.array([0.95, 0.95, 0.95, 1.0, 1.05, 1.1, 1.15])
KINDS = ("search", "social", "webinar", "organic", "email", "partner")


def _parameters(rng: np.random.Generator) -> dict:
    """A generated history's known patterns: its period, and each channel's kind, levels and rates."""
    period_days = int(rng.choice([30, 31, 91, 92]))
    before = int(rng.choice([0, 28, 91]))
    first = pd.Timestamp("2025-01-06") + pd.Timedelta(days=int(rng.integers(0, 300)))
    kinds = ["search", *rng.choice(KINDS, size=int(rng.integers(2, 6)), replace=True)]
    channels = []
    for i, kind in enumerate(kinds):
        ticket = float(np.exp(rng.uniform(np.log(40), np.log(8000))))
        channels.append(
            {
                "name": f"{kind.title()} {i + 1}",
                "kind": kind,
                "spend": float(np.exp(rng.uniform(np.log(30), np.log(2500)))),
                "cpl": float(np.exp(rng.uniform(np.log(5), np.log(150)))),
                "organic_leads": float(np.exp(rng.uniform(np.log(0.5), np.log(60)))),
                "mql": rng.uniform(0.25, 0.7),
                "sql": rng.uniform(0.15, 0.6),
                "win": float(np.exp(rng.uniform(np.log(0.02), np.log(0.5)))),
                "ticket": ticket,
                "drift": rng.uniform(0.0, 0.02),
                "budget_change": (int(rng.integers(0, before + period_days)), rng.uniform(0.6, 1.5))
                if rng.random() < 0.3
                else None,
                "launch": int(rng.integers(0, before + period_days // 2)) if rng.random() < 0.1 else 0,
                "untracked": [v for v in ("MQLs", "SQLs", "Revenue") if rng.random() < 0.15],
                "burst": float(rng.choice([5.0, 20.0, 200.0])),
            }
        )
    return {"period_days": period_days, "before": before, "first": first, "channels": channels}


def _spend(ch: dict, dates: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """A channel's daily spend: weekday pattern, noise, a schedule for webinars, a budget change, a launch."""
    days = len(dates)
    kind = ch["kind"]
    if kind in ("organic", "email"):
        return np.zeros(days)
    if kind == "webinar":
        thursdays = np.flatnonzero(np.asarray(dates.day_of_week) == 3)
        spend = np.zeros(days)
        sessions = thursdays[int(rng.integers(0, 2)) :: 2]
        spend[sessions] = ch["spend"] * 6 * rng.lognormal(0.0, 0.2, len(sessions))
    else:
        pattern = WEEKDAY_SEARCH if kind == "search" else WEEKDAY_SOCIAL if kind == "social" else np.ones(7)
        noise = rng.lognormal(0.0, 0.12 if kind == "search" else 0.25, days)
        spend = ch["spend"] * pattern[np.asarray(dates.day_of_week)] * noise
    if ch["budget_change"] is not None:
        day, factor = ch["budget_change"]
        spend[day:] *= factor
    spend[: ch["launch"]] = 0.0
    return np.round(spend, 2)


def _realise(params: dict, rng: np.random.Generator) -> pd.DataFrame:
    """One realisation of a generated history: the daily frame."""
    days = params["before"] + params["period_days"]
    dates = pd.date_range(params["first"], periods=days, freq="D")
    frames = []
    for ch in params["channels"]:
        spend = _spend(ch, dates, rng)
        drift = np.exp(np.cumsum(rng.normal(0.0, ch["drift"], days)))
        if ch["kind"] in ("organic", "email"):
            mean = ch["organic_leads"] * WEEKDAY_B2B[np.asarray(dates.day_of_week)] * drift
            mean[: ch["launch"]] = 0.0
        else:
            mean = spend / ch["cpl"] * drift
            if ch["kind"] == "webinar":  # leads keep coming for two days after a session
                mean = 0.7 * mean + 0.2 * np.roll(mean, 1) + 0.1 * np.roll(mean, 2)
        shape = ch["burst"]
        leads = rng.poisson(rng.gamma(shape, np.maximum(mean, 1e-12) / shape))
        mqls = rng.binomial(leads, ch["mql"])
        sqls = rng.binomial(mqls, ch["sql"])
        customers = rng.binomial(sqls, ch["win"])
        spread = 0.6 / np.sqrt(np.maximum(customers, 1))
        revenue = np.round(customers * ch["ticket"] * rng.lognormal(-(spread**2) / 2, spread), 2)
        frame = pd.DataFrame(
            {
                "Date": dates,
                "Channel": ch["name"],
                "Spend": spend,
                "Leads": leads.astype(float),
                "MQLs": mqls.astype(float),
                "SQLs": sqls.astype(float),
                "Customers": customers.astype(float),
                "Revenue": revenue,
            }
        )
        for volume in ch["untracked"]:
            frame[volume] = np.nan
        if ch["kind"] == "webinar":  # a lumpy channel's rows: the days something happened
            frame = frame[(frame["Spend"] > 0) | (frame["Leads"] > 0)]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def generated_cases(count: int, seed: int = 25) -> list[Case]:
    """``count`` generated histories. The targets are a second realisation's outcome of the same patterns,
    moved by ±10 % (as a team sets targets near what it expects)."""
    cases = []
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        params = _parameters(rng)
        daily = _realise(params, rng)
        start = params["first"] + pd.Timedelta(days=params["before"])
        end = start + pd.Timedelta(days=params["period_days"] - 1)
        paid = {c["name"] for c in params["channels"] if c["kind"] not in ("organic", "email")}
        names = [c["name"] for c in params["channels"]]
        plan = outcome(_realise(params, rng), start, end, names, paid)
        targets = {k: v * float(np.exp(rng.normal(0.0, 0.1))) for k, v in plan.items() if not math.isnan(v)}
        cases.append(Case(f"generated {i + 1}", "generated", daily, start, end, targets, names, paid, True))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# The samples
# ---------------------------------------------------------------------------------------------------------------


def sample_cases() -> list[Case]:
    """Two histories per sample: the complete period before the sample's own, and the last full period length of
    its data; the sample's own targets (volumes scaled to the period's length)."""
    from mops_xl.intake import load_intake

    cases = []
    for path in sorted((HERE.parent / "samples").glob("*.xlsx")):
        intake = load_intake(path)
        daily = daily_by_channel(intake.actuals)
        names = list(intake.channels["Channel"])
        paid = set(intake.channels.loc[intake.channels["Paid"].fillna(False).astype(bool), "Channel"])
        period_days = (intake.period_end - intake.period_start).days + 1
        months = 3 if period_days > 62 else 1
        previous = (intake.period_start - pd.DateOffset(months=months), intake.period_start - DAY)
        last = intake.report_as_of
        trailing = (last - pd.Timedelta(days=period_days - 1), last)
        blended = intake.targets[intake.targets["Channel"].isna()]
        for label, (start, end) in (("previous period", previous), ("last period length", trailing)):
            if start < daily["Date"].min():
                continue
            days = (end - start).days + 1
            targets = {
                m: float(t) * (days / period_days if m not in ("CAC", "CPL", "ROAS") else 1.0)
                for m, t in zip(blended["Metric"], blended["Target"], strict=True)
                if m in SCORED
            }
            rows = daily[daily["Date"] <= end]
            cases.append(Case(f"{path.stem}: {label}", "samples", rows, start, end, targets, names, paid))
    return cases


# ---------------------------------------------------------------------------------------------------------------
# The back-test
# ---------------------------------------------------------------------------------------------------------------


def outcome(daily: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, channels: list[str], paid: set[str]) -> dict:
    """What the period ended at: each KPI for all channels (the forecast at period end is the actual)."""
    final = forecast_period(daily, ReportingWindow(start, end, end, 0), channels=channels, paid=paid, paths=8)
    return dict(zip(final.kpis["Metric"], final.kpis["Actual to date"].astype(float), strict=True))


def cuts(start: pd.Timestamp, end: pd.Timestamp) -> list[int]:
    """The elapsed days of the cuts: every week from a quarter to four-fifths of the way through the period."""
    days = (end - start).days + 1
    return [d for d in range(WEEK, days, WEEK) if days / 4 <= d <= 4 * days / 5]


def _cut(case: Case, as_of: pd.Timestamp) -> pd.DataFrame:
    """The history as it was known at ``as_of``: the days after left out, the last days' conversions not all in."""
    rows = case.daily[case.daily["Date"] <= as_of].copy()
    if case.late_data:
        for back, share in enumerate(RECORDED_LATE):
            day = rows["Date"] == as_of - pd.Timedelta(days=back)
            for volume in ("Leads", "MQLs", "SQLs", "Customers"):
                rows.loc[day, volume] = np.floor(rows.loc[day, volume] * share)
            rows.loc[day, "Revenue"] = rows.loc[day, "Revenue"] * share
    return rows


def backtest(cases: list[Case], forecasters: tuple[Forecaster, ...] = (SIMULATION, STRAIGHT_LINE)) -> pd.DataFrame:
    """Forecast every case at every cut with each forecaster.

    Returns:
        One row per case, cut, forecaster and KPI (all channels): the forecast, the straight line, the outcome.
    """
    records = []
    for case in cases:
        case.outcome = outcome(case.daily, case.start, case.end, case.channels, case.paid)
        days = (case.end - case.start).days + 1
        for elapsed in sorted({WEEK, *cuts(case.start, case.end)}):
            as_of = case.start + pd.Timedelta(days=elapsed - 1)
            window = ReportingWindow(case.start, case.end, as_of, SETTLING_DAYS)
            known = _cut(case, as_of)
            for forecaster in forecasters:
                fc = forecast_period(
                    known, window, case.targets, channels=case.channels, paid=case.paid, forecaster=forecaster
                )
                for row in fc.kpis.itertuples(index=False):
                    metric, actual = row.Metric, float(row[1])
                    line = actual if metric in ("CAC", "CPL", "ROAS") else actual * days / elapsed
                    records.append(
                        {
                            "case": case.name,
                            "source": case.source,
                            "elapsed": elapsed / days,
                            "one week": elapsed == WEEK and elapsed < days / 4,
                            "forecaster": forecaster.name,
                            "metric": metric,
                            "p10": row.P10,
                            "p50": row.P50,
                            "p90": row.P90,
                            "chance": row[6],
                            "target": case.targets.get(metric, math.nan),
                            "line": line,
                            "outcome": case.outcome[metric],
                        }
                    )
    return pd.DataFrame(records)


def scores(records: pd.DataFrame) -> dict:
    """Coverage, MASE and Brier per forecaster (and coverage per KPI and per source)."""
    out: dict = {}
    for name, every in records.groupby("forecaster", sort=False):
        every = every[np.isfinite(every["outcome"])]
        first_week = every[every["one week"] & every["metric"].isin(POOLED)]
        rows = every[~every["one week"]]
        held = (rows["p10"] <= rows["outcome"]) & (rows["outcome"] <= rows["p90"])
        pooled = rows["metric"].isin(POOLED)
        scored = {
            "coverage": float(held[pooled].mean()),
            "figures": int(pooled.sum()),
            "coverage_by_kpi": {m: round(float(held[rows["metric"] == m].mean()), 3) for m in SCORED},
            "coverage_by_source": {
                s: round(float(held[pooled & (rows["source"] == s)].mean()), 3) for s in sorted(rows["source"].unique())
            },
            "coverage_early_late": {
                "first half": round(float(held[pooled & (rows["elapsed"] <= 0.5)].mean()), 3),
                "second half": round(float(held[pooled & (rows["elapsed"] > 0.5)].mean()), 3),
            },
            "coverage_one_week_in": round(
                float(
                    ((first_week["p10"] <= first_week["outcome"]) & (first_week["outcome"] <= first_week["p90"])).mean()
                ),
                3,
            ),
            "mase": {m: _mase(rows[rows["metric"] == m]) for m in SCORED},
            "mase_samples": {m: _mase(rows[(rows["metric"] == m) & (rows["source"] == "samples")]) for m in SCORED},
            "brier": _brier(rows),
        }
        out[str(name)] = scored
    return out


def _mase(rows: pd.DataFrame) -> float:
    """The likely figure's mean absolute error ÷ the straight line's, each error scaled by the outcome (so that
    every history weighs alike whatever its size); below 1 the likely figure is closer."""
    rows = rows[np.isfinite(rows["p50"]) & np.isfinite(rows["line"]) & (rows["outcome"] != 0)]
    if rows.empty:
        return math.nan
    scale = rows["outcome"].abs()
    mine = ((rows["p50"] - rows["outcome"]).abs() / scale).mean()
    line = ((rows["line"] - rows["outcome"]).abs() / scale).mean()
    return round(float(mine / line), 3) if line > 0 else math.nan


def _brier(rows: pd.DataFrame) -> dict:
    """The Brier score of the chances of target, and how many chances it is over."""
    rows = rows[rows["chance"].notna() & rows["target"].notna()]
    lower = rows["metric"].isin(LOWER_IS_BETTER)
    reached = np.where(lower, rows["outcome"] <= rows["target"], rows["outcome"] >= rows["target"])
    score = float(np.mean((rows["chance"] - reached) ** 2)) if len(rows) else math.nan
    return {"score": round(score, 4), "chances": len(rows), "reached": round(float(np.mean(reached)), 3)}


def speed() -> float:
    """The best time of a forecast of the saas sample (3 months of 6 channels, all KPIs and channels)."""
    from mops_xl.intake import load_intake

    intake = load_intake(HERE.parent / "samples" / "saas.xlsx")
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, SETTLING_DAYS)
    daily = daily_by_channel(intake.actuals)
    best = math.inf
    for _ in range(5):
        begin = time.perf_counter()
        forecast_period(daily, window, {"Customers": 90.0})
        best = min(best, time.perf_counter() - begin)
    return best


def write_results(result: dict) -> None:
    """benchmarks/results/forecast_backtest.json and .md."""
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "forecast_backtest.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    main, line = result["scores"][SIMULATION.name], result["scores"][STRAIGHT_LINE.name]
    lines = [
        f"Measured {result['date']} on {result['machine']} by `python benchmarks/forecast_backtest.py` "
        f"({result['cases']} histories: {result['generated']} generated, {result['samples']} from the samples, cut "
        f"{result['cuts']} times; {main['figures']} figures pooled; a forecast of the saas sample takes "
        f"{result['speed_s']:.3f} s).",
        "",
        "| | simulation | straight line | aim |",
        "|---|---:|---:|---|",
        f"| P10–P90 coverage, pooled | {main['coverage']:.1%} | {line['coverage']:.1%} | 70–90 % |",
    ]
    for source, value in main["coverage_by_source"].items():
        lines.append(f"| coverage, {source} | {value:.1%} | {line['coverage_by_source'][source]:.1%} | |")
    for half, value in main["coverage_early_late"].items():
        lines.append(f"| coverage, cut in the {half} | {value:.1%} | {line['coverage_early_late'][half]:.1%} | |")
    lines.append(
        f"| coverage one week in (not pooled above) | {main['coverage_one_week_in']:.1%} | "
        f"{line['coverage_one_week_in']:.1%} | |"
    )
    lines.append(
        f"| Brier score of the chances of target | {main['brier']['score']:.3f} | "
        f"{line['brier']['score']:.3f} | < 0.20 |"
    )
    lines += [
        "",
        "| KPI | coverage | MASE (P50 ÷ straight line) | MASE, samples only | straight line's own band |",
        "|---|---:|---:|---:|---:|",
    ]
    for m in SCORED:
        lines.append(
            f"| {m} | {main['coverage_by_kpi'][m]:.1%} | {main['mase'][m]:.3f} | {main['mase_samples'][m]:.3f} | "
            f"{line['coverage_by_kpi'][m]:.1%} |"
        )
    lines += ["", f"Falls back to the straight line: {', '.join(result['fallback']) or 'none'}.", ""]
    (out / "forecast_backtest.md").write_text("\n".join(lines), encoding="utf-8")


def run(generated: int, samples: bool = True) -> dict:
    """Run the back-test and return its results (see :func:`scores`)."""
    cases = generated_cases(generated) + (sample_cases() if samples else [])
    records = backtest(cases)
    result = scores(records)
    main = result[SIMULATION.name]
    fallback = sorted(m for m, v in main["mase"].items() if not (v < 1.0))
    return {
        "date": f"{dt.date.today():%Y-%m-%d}",
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "cases": len(cases),
        "generated": generated,
        "samples": sum(c.source == "samples" for c in cases),
        "cuts": int(records[~records["one week"]][["case", "elapsed"]].drop_duplicates().shape[0]),
        "scores": result,
        "fallback": fallback,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=60, help="how many generated histories")
    args = parser.parse_args()
    result = run(args.generated)
    result["speed_s"] = round(speed(), 4)
    write_results(result)
    main_scores = result["scores"][SIMULATION.name]
    print(
        f"coverage {main_scores['coverage']:.1%} over {main_scores['figures']} figures; "
        f"Brier {main_scores['brier']['score']:.3f}; MASE {main_scores['mase']}; fallback {result['fallback']}"
    )


if __name__ == "__main__":
    main()
