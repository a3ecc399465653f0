"""Properties of the forecast on any history (hypothesis): the band is ordered, volumes never fall below what is
already in, the chance of a target sits on the side of 50 % the likely figure is of the target, ratios are
computed on each path, and the same input gives the same figures."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.forecast import forecast_period
from mops_xl.analysis.forecast.kpis import COUNTS, VOLUMES, ratios
from mops_xl.analysis.forecast.summary import ratio_paths

KINDS = ("daily", "weekdays", "lumpy", "unpaid", "silent")
PATHS = 300


@st.composite
def histories(draw: st.DrawFn) -> tuple[pd.DataFrame, ReportingWindow, dict]:
    """A small history: one to three channels of different kinds, a period somewhere in it, some targets."""
    seed = draw(st.integers(0, 2**16))
    before = draw(st.integers(0, 40))
    period_days = draw(st.integers(7, 92))
    elapsed = draw(st.integers(1, period_days))
    start = pd.Timestamp("2026-01-05") + pd.Timedelta(days=before)
    window = ReportingWindow(
        start,
        start + pd.Timedelta(days=period_days - 1),
        start + pd.Timedelta(days=elapsed - 1),
        draw(st.integers(0, 3)),
    )
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start - pd.Timedelta(days=before), window.as_of)
    frames = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(KINDS))
        frames.append(_channel(f"{kind} {i}", kind, dates, rng, draw(st.floats(0.0, 3.0))))
    targets = {m: draw(st.floats(0.0, 5000.0)) for m in draw(st.sets(st.sampled_from(VOLUMES + ("CAC", "ROAS"))))}
    return pd.concat(frames, ignore_index=True), window, targets


def _channel(name: str, kind: str, dates: pd.DatetimeIndex, rng: np.random.Generator, rate: float) -> pd.DataFrame:
    """One channel's days: spend by its kind, leads and customers around ``rate``, some volumes not tracked."""
    days = len(dates)
    weekday = np.asarray(dates.day_of_week)
    spend = {
        "daily": rng.gamma(5.0, 20.0, days),
        "weekdays": np.where(weekday < 5, 100.0, 0.0),
        "lumpy": np.where((np.arange(days) % 14) == 3, 500.0, 0.0),
        "unpaid": np.zeros(days),
        "silent": np.zeros(days),
    }[kind]
    level = 0.0 if kind == "silent" else rate
    leads = rng.poisson(level * 4, days).astype(float)
    frame = pd.DataFrame(
        {
            "Date": dates,
            "Channel": name,
            "Spend": np.round(spend, 2),
            "Leads": leads,
            "MQLs": np.floor(leads / 2),
            "SQLs": np.nan,
            "Customers": rng.poisson(level / 4, days).astype(float),
            "Revenue": np.round(rng.poisson(level / 4, days) * 80.0, 2),
        }
    )
    if rng.random() < 0.3:
        frame["Revenue"] = np.nan
    return frame


def _forecast(case: tuple[pd.DataFrame, ReportingWindow, dict]):
    daily, window, targets = case
    return forecast_period(daily, window, targets, paths=PATHS)


@given(histories())
def test_the_band_is_ordered_and_volumes_never_fall_below_the_actual(case):
    fc = _forecast(case)
    for table in (fc.kpis, fc.channels):
        known = table[table["P50"].notna()]
        assert (known["P10"] <= known["P50"]).all() and (known["P50"] <= known["P90"]).all()
        volumes = known[known["Metric"].isin(VOLUMES)]
        assert (volumes["P10"] >= volumes["Actual to date"] - 1e-6).all()
        counts = known[known["Metric"].isin(COUNTS)]
        for column in ("P10", "P50", "P90"):
            assert (counts[column] == np.round(counts[column])).all()


@given(histories())
def test_the_chance_is_on_the_likely_figures_side_of_the_target(case):
    fc = _forecast(case)
    lower = {r.name for r in ratios() if r.lower_is_better}
    for table in (fc.kpis, fc.channels):
        for _, r in table[table["Chance of target"].notna()].iterrows():
            likely, target, chance = r["P50"], r["Target"], r["Chance of target"]
            reaches = likely <= target if r["Metric"] in lower else likely >= target
            assert chance >= 0.5 if reaches else chance <= 0.5, (r["Metric"], likely, target, chance)


@given(histories())
def test_ratios_are_computed_on_each_path(case):
    fc = _forecast(case)
    everyone = np.ones(len(fc.paths.channels), dtype=bool)
    for ratio in ratios():
        _, values = ratio_paths(fc.paths, ratio, everyone, blended=True)
        got = fc.kpis[fc.kpis["Metric"] == ratio.name].iloc[0]
        defined = values[~np.isnan(values)]
        if defined.size == 0:
            assert math.isnan(got["P50"])
            continue
        exp = np.quantile(defined, [0.1, 0.5, 0.9], method="inverted_cdf")
        np.testing.assert_array_equal(got[["P10", "P50", "P90"]].to_numpy(dtype=float), exp)
        top, bottom = ratio.numerator, ratio.denominator
        counted = fc.paths.tracked[:, VOLUMES.index(top)] & fc.paths.tracked[:, VOLUMES.index(bottom)]
        if ratio.paid_only:
            counted &= fc.paths.paid
        sums = fc.paths.totals[:, counted]
        with np.errstate(divide="ignore", invalid="ignore"):
            by_path = sums[:, :, VOLUMES.index(top)].sum(axis=1) / sums[:, :, VOLUMES.index(bottom)].sum(axis=1)
        np.testing.assert_array_equal(np.where(np.isnan(values), np.nan, by_path), values)


@given(histories())
def test_the_same_input_gives_the_same_figures(case):
    first, second = _forecast(case), _forecast(case)
    pd.testing.assert_frame_equal(first.kpis, second.kpis)
    pd.testing.assert_frame_equal(first.channels, second.channels)
