"""The contract every forecaster keeps (the simulation and the straight line it falls back to), checked the same way
for each, scikit-learn style: the channels add up to all channels on every path, the same input and seed give
the same figures, and zeros, empty data and edge windows give figures (or NaN), never an error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.forecast import DAILY_COLUMNS, FORECASTERS, forecast_period
from mops_xl.analysis.forecast.kpis import VOLUMES
from mops_xl.analysis.forecast.summary import volume_paths

WINDOW = ReportingWindow(pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30"), pd.Timestamp("2026-06-12"), 3)
each_forecaster = pytest.mark.parametrize("forecaster", FORECASTERS, ids=[f.name for f in FORECASTERS])


def mixed_history() -> pd.DataFrame:
    """Three channels from May: paid daily, lumpy (every other Thursday), unpaid without revenue."""
    rng = np.random.default_rng(11)
    days = pd.date_range("2026-05-01", "2026-06-12")
    n = len(days)
    paid = pd.DataFrame({"Date": days, "Channel": "Paid", "Spend": rng.gamma(9, 30, n)})
    lumpy = pd.DataFrame({"Date": days, "Channel": "Webinars", "Spend": np.where(np.arange(n) % 14 == 6, 900.0, 0)})
    organic = pd.DataFrame({"Date": days, "Channel": "Organic", "Spend": 0.0, "Revenue": np.nan})
    for frame, rate in ((paid, 6.0), (lumpy, 2.0), (organic, 9.0)):
        frame["Leads"] = rng.poisson(rate, n).astype(float)
        frame["MQLs"] = np.floor(frame["Leads"] / 2)
        frame["SQLs"] = np.floor(frame["Leads"] / 4)
        frame["Customers"] = rng.poisson(rate / 20, n).astype(float)
        if frame is not organic:
            frame["Revenue"] = frame["Customers"] * 120.0
    return pd.concat([paid, lumpy, organic], ignore_index=True).reindex(columns=list(DAILY_COLUMNS))


@each_forecaster
def test_channels_add_up_to_all_channels_on_every_path(forecaster):
    fc = forecast_period(mixed_history(), WINDOW, forecaster=forecaster, paths=400)
    everyone = np.ones(len(fc.paths.channels), dtype=bool)
    for k, volume in enumerate(VOLUMES):
        actual, blended = volume_paths(fc.paths, volume, everyone)
        tracking = fc.paths.tracked[:, k]
        np.testing.assert_allclose(blended, fc.paths.totals[:, tracking, k].sum(axis=1))
        by_channel = fc.channels[fc.channels["Metric"] == volume]["Actual to date"]
        assert actual == pytest.approx(by_channel.sum())  # an untracked channel's NaN is left out


@each_forecaster
def test_the_same_input_and_seed_give_the_same_figures(forecaster):
    first = forecast_period(mixed_history(), WINDOW, {"Leads": 500}, forecaster=forecaster, paths=400)
    second = forecast_period(mixed_history(), WINDOW, {"Leads": 500}, forecaster=forecaster, paths=400)
    pd.testing.assert_frame_equal(first.kpis, second.kpis)
    pd.testing.assert_frame_equal(first.channels, second.channels)
    np.testing.assert_array_equal(first.paths.totals, second.paths.totals)


@each_forecaster
def test_all_zeros(forecaster):
    days = pd.date_range("2026-05-20", "2026-06-12")
    zeros = pd.DataFrame({c: 0.0 for c in DAILY_COLUMNS[2:]}, index=range(len(days)))
    daily = pd.concat([zeros.assign(Date=days, Channel=ch) for ch in ("A", "B")], ignore_index=True)
    fc = forecast_period(daily, WINDOW, {"Leads": 10, "CAC": 50}, forecaster=forecaster, paths=400)
    spend = fc.kpis[fc.kpis["Metric"] == "Spend"].iloc[0]
    assert (spend["P10"], spend["P50"], spend["P90"]) == (0, 0, 0)
    volumes = fc.kpis[fc.kpis["Metric"].isin(VOLUMES)]
    assert (volumes["P10"] >= 0).all() and (volumes["Actual to date"] == 0).all()
    assert fc.kpis[fc.kpis["Metric"] == "Leads"].iloc[0]["Chance of target"] < 0.5


@each_forecaster
@pytest.mark.parametrize(
    "daily",
    [
        pd.DataFrame(columns=list(DAILY_COLUMNS)),
        pd.DataFrame({"Date": pd.to_datetime([]), "Channel": []}),
        pd.DataFrame({"Date": pd.to_datetime(["2026-06-02"]), "Channel": ["A"], "Spend": [np.nan]}),
    ],
    ids=["empty", "no volume columns", "a blank row"],
)
def test_empty_data(forecaster, daily):
    fc = forecast_period(daily, WINDOW, {"Customers": 5}, channels=["A", "B"], forecaster=forecaster, paths=200)
    assert list(fc.channels["Channel"].unique()) == ["A", "B"]
    spend = fc.kpis[fc.kpis["Metric"] == "Spend"].iloc[0]
    assert spend["P50"] == 0
    assert fc.kpis[fc.kpis["Metric"] == "Customers"].iloc[0]["Method"] == NOT_TRACKED


@each_forecaster
@pytest.mark.parametrize(
    "as_of", [pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30")], ids=["first day", "last day"]
)
def test_edge_windows(forecaster, as_of):
    window = ReportingWindow(WINDOW.start, WINDOW.end, as_of, 3)
    fc = forecast_period(mixed_history(), window, forecaster=forecaster, paths=200)
    known = fc.kpis[fc.kpis["P50"].notna()]
    assert (known["P10"] <= known["P90"]).all()
    if as_of == WINDOW.end:
        leads = fc.kpis[fc.kpis["Metric"] == "Leads"].iloc[0]
        assert leads["P10"] >= leads["Actual to date"]
