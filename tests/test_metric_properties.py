"""Properties every correct metrics layer has, checked on generated data (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mops_xl.analysis.figures.budget.pacing import pacing_status
from mops_xl.analysis.figures.performance import blended, divide, with_ratios
from mops_xl.analysis.figures.targets import AHEAD, AT_RISK, OFF_TRACK, ON_TRACK, attainment, status
from mops_xl.analysis.figures.volumes import VOLUMES, channel_volumes

pytestmark = pytest.mark.slow  # hypothesis: many generated intakes

CHANNELS = ["Search", "Social", "Email", "Events"]

counts = st.integers(min_value=0, max_value=10_000)
money = st.integers(min_value=0, max_value=10**9).map(lambda cents: cents / 100)  # money comes in cents
row = st.fixed_dictionaries(
    {
        "Channel": st.sampled_from(CHANNELS),
        "Spend": money,
        "Impressions": counts,
        "Clicks": counts,
        "Leads": counts,
        "MQLs": counts,
        "SQLs": counts,
        "Customers": counts,
        "Revenue": money,
    }
)
actuals = st.lists(row, min_size=0, max_size=40).map(lambda rows: pd.DataFrame(rows, columns=["Channel", *VOLUMES]))


@settings(deadline=None, max_examples=60)
@given(actuals)
def test_channel_volumes_sum_to_blended(frame: pd.DataFrame) -> None:
    per_channel = channel_volumes(frame, CHANNELS)
    b = blended(per_channel, pd.Series(True, index=CHANNELS), None, 0.0)
    for v in VOLUMES:
        assert per_channel[v].sum() == pytest.approx(float(frame[v].sum()), rel=1e-12, abs=1e-9)
        assert b.volumes[v] == pytest.approx(float(frame[v].sum()), rel=1e-12, abs=1e-9)


@settings(deadline=None, max_examples=60)
@given(actuals, st.floats(min_value=0.01, max_value=100))
def test_scaling_spend_scales_cac_and_cpl_by_k_and_roas_by_one_over_k(frame: pd.DataFrame, k: float) -> None:
    base = with_ratios(channel_volumes(frame, CHANNELS))
    scaled_frame = frame.assign(Spend=frame["Spend"] * k)
    scaled = with_ratios(channel_volumes(scaled_frame, CHANNELS))
    for ch in CHANNELS:
        for metric, factor in (("CAC", k), ("CPL", k), ("ROAS", 1 / k)):
            before, after = base.loc[ch, metric], scaled.loc[ch, metric]
            if math.isnan(before):
                assert math.isnan(after)
            else:
                assert after == pytest.approx(before * factor, rel=1e-9, abs=1e-9)


@settings(deadline=None, max_examples=60)
@given(actuals)
def test_ratios_are_never_infinite(frame: pd.DataFrame) -> None:
    table = with_ratios(channel_volumes(frame, CHANNELS))
    numeric = table.select_dtypes("number").to_numpy()
    assert not (numeric == math.inf).any() and not (numeric == -math.inf).any()


_RANK = {OFF_TRACK: 0, AT_RISK: 1, ON_TRACK: 2, AHEAD: 3}


@settings(deadline=None, max_examples=200)
@given(
    st.floats(min_value=0, max_value=5),
    st.floats(min_value=0, max_value=5),
    st.floats(min_value=0.05, max_value=1),
    st.floats(min_value=0, max_value=1),
)
def test_status_is_monotonic_in_attainment(a1: float, a2: float, under: float, high: float) -> None:
    lo, hi = sorted((a1, a2))
    assert _RANK[status(lo, under, high)] <= _RANK[status(hi, under, high)]


@pytest.mark.parametrize(
    "att, exp",
    [
        (1.2, AHEAD),
        (1.19999, ON_TRACK),
        (1.0, ON_TRACK),
        (0.99999, AT_RISK),
        (0.8, AT_RISK),
        (0.79999, OFF_TRACK),
        (0.0, OFF_TRACK),
    ],
)
def test_status_boundaries_with_default_thresholds(att: float, exp: str) -> None:
    assert status(att, 0.8, 0.2) == exp


@pytest.mark.parametrize(
    "metric, actual, target, exp",
    [
        ("Leads", 90, 100, 0.9),  # volume: actual / target to date
        ("ROAS", 3.0, 2.0, 1.5),  # higher is better
        ("CAC", 200.0, 100.0, 0.5),  # lower is better: target / actual
        ("CPL", 50.0, 100.0, 2.0),
    ],
)
def test_attainment_direction(metric: str, actual: float, target: float, exp: float) -> None:
    assert attainment(metric, actual, target) == pytest.approx(exp)


@pytest.mark.parametrize("metric, actual, target", [("CAC", 0.0, 100.0), ("Leads", 10, 0.0), ("ROAS", math.nan, 2)])
def test_attainment_undefined(metric: str, actual: float, target: float) -> None:
    assert math.isnan(attainment(metric, actual, target))


@pytest.mark.parametrize("pace, exp", [(1.11, "Over pace"), (1.1, "On pace"), (0.9, "On pace"), (0.89, "Under pace")])
def test_pacing_status_bands(pace: float, exp: str) -> None:
    assert pacing_status(pace, 1.1) == exp


def test_divide_gives_nan_never_inf() -> None:
    assert math.isnan(divide(5.0, 0.0))
    got = divide(pd.Series([1.0, 2.0]), pd.Series([0.0, 4.0]))
    assert math.isnan(got.iloc[0]) and got.iloc[1] == 0.5
