"""The forecast room (mops_xl/analysis/forecast), worked by hand: where the period lands, per KPI and channel.

Every expected figure below is worked out from the case itself, in the comment beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.forecast import (
    ALL_CHANNELS,
    STRAIGHT_LINE,
    budget_needed_with_odds,
    chance_in_words,
    daily_by_channel,
    forecast_period,
    lumpy_channels,
    method_statement,
    most_spent,
    spend_cycle,
)
from mops_xl.analysis.forecast.summary import volume_paths

JUNE = ReportingWindow(pd.Timestamp("2026-06-01"), pd.Timestamp("2026-06-30"), pd.Timestamp("2026-06-10"), 0)


def constant_days(first: str, last: str, channel: str = "Search", **figures: float) -> pd.DataFrame:
    """A channel's days with the same figures every day (a volume not given is not tracked)."""
    dates = pd.date_range(first, last)
    columns = {"Spend": 0.0, "Leads": np.nan, "MQLs": np.nan, "SQLs": np.nan, "Customers": np.nan, "Revenue": np.nan}
    columns.update(figures)
    return pd.DataFrame({"Date": dates, "Channel": channel, **columns})


def row(table: pd.DataFrame, metric: str, channel: str | None = None) -> pd.Series:
    """One KPI's row of a forecast table (of one channel when ``channel`` is given)."""
    rows = table[table["Metric"] == metric]
    if channel is not None:
        rows = rows[rows["Channel"] == channel]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------------------------------------------------------
# A constant daily figure with no noise: the band collapses onto the straight line
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("forecaster", [None, STRAIGHT_LINE], ids=["simulation", "straight line"])
def test_constant_days_collapse_onto_the_straight_line(forecaster):
    # 10 days of 100 spend, 10 leads, 1 customer and 50 revenue, in a 30-day June: the straight line is 3 times
    # the 10 days to date, and every path is that line.
    daily = constant_days("2026-06-01", "2026-06-10", Spend=100.0, Leads=10.0, Customers=1.0, Revenue=50.0)
    fc = forecast_period(daily, JUNE, {"Leads": 300, "Customers": 31, "CAC": 100, "ROAS": 0.6}, forecaster=forecaster)
    exp = {"Spend": 3000, "Leads": 300, "Customers": 30, "Revenue": 1500, "CAC": 100, "CPL": 10, "ROAS": 0.5}
    for metric, value in exp.items():
        got = row(fc.kpis, metric)
        assert (got["P10"], got["P50"], got["P90"]) == (value, value, value), metric
    assert row(fc.kpis, "Leads")["Actual to date"] == 100
    assert row(fc.kpis, "Leads")["Chance of target"] == 1.0  # 300 reaches 300
    assert row(fc.kpis, "Customers")["Chance of target"] == 0.0  # 30 never reaches 31
    assert row(fc.kpis, "CAC")["Chance of target"] == 1.0  # lower is better: 100 is at the target
    assert row(fc.kpis, "ROAS")["Chance of target"] == 0.0  # 0.5 is below 0.6
    assert row(fc.kpis, "Customers")["Per day so far"] == 1.0
    assert row(fc.kpis, "Customers")["Per day needed"] == pytest.approx(21 / 20)  # (31 − 10) ÷ 20 days left
    assert row(fc.kpis, "MQLs")["Method"] == NOT_TRACKED and math.isnan(row(fc.kpis, "MQLs")["P50"])


def test_nothing_left_to_forecast_at_period_end():
    daily = constant_days("2026-06-01", "2026-06-30", Spend=100.0, Leads=10.0)
    end = ReportingWindow(JUNE.start, JUNE.end, JUNE.end, 0)
    fc = forecast_period(daily, end)
    assert tuple(row(fc.kpis, "Leads")[["Actual to date", "P10", "P50", "P90"]]) == (300, 300, 300, 300)


# ---------------------------------------------------------------------------------------------------------------
# Rare conversions: a channel that converts once a fortnight
# ---------------------------------------------------------------------------------------------------------------


def test_a_channel_converting_once_a_fortnight():
    # 56 days, a customer on days 7, 21, 35 and 49 (every other Wednesday) and nothing else; 28 days left of an
    # 84-day period. The rate's gamma posterior has about 4 events over 56 days (shape r ≈ 4.3 with the tenth of
    # an event of prior and a dispersion near 1), so the customers of the 28 days left are negative binomial with
    # p = 56 ÷ (56 + 28) ≈ 0.67: P(0) = p^r ≈ 0.18, P(1) = r·p^r·(1 − p) ≈ 0.26, P(2) ≈ 0.22, P(3) ≈ 0.15,
    # P(4) ≈ 0.09. So the low figure is 4 (no more: P(0) > 10 %), the likely one 6 (P(≤ 1) ≈ 0.44, P(≤ 2) ≈
    # 0.66), the high one 8 (P(≤ 3) ≈ 0.81, P(≤ 4) ≈ 0.90), and the chance of 6 or more ≈ 1 − 0.44 = 0.56.
    daily = constant_days("2026-01-01", "2026-02-25", channel="Events", Customers=0.0)
    daily.loc[[6, 20, 34, 48], "Customers"] = 1.0
    window = ReportingWindow(pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-25"), pd.Timestamp("2026-02-25"), 0)
    fc = forecast_period(daily, window, {"Customers": 6})
    got = row(fc.kpis, "Customers")
    assert got["Actual to date"] == 4
    assert (got["P10"], got["P50"]) == (4, 6)
    assert got["P90"] in (8, 9)  # the level's wandering may widen the tail by one
    assert got["Chance of target"] == pytest.approx(0.56, abs=0.05)
    assert got["Per day so far"] == pytest.approx(4 / 56)


# ---------------------------------------------------------------------------------------------------------------
# Weekday patterns, lumpy channels, a period barely started, late data
# ---------------------------------------------------------------------------------------------------------------


def test_the_weekday_pattern_of_the_days_left():
    # 8 weeks of 200 a weekday and 50 a weekend day (1,100 a week, 157 a day on average), then the period runs
    # from Friday to the Sunday of the next week: 10 days left with 4 weekend days, 6 × 200 + 4 × 50 = 1,400,
    # where the straight line's average day says 10 × 157 = 1,571.
    dates = pd.date_range("2026-03-02", "2026-04-23")  # Monday to Thursday
    spend = np.where(dates.day_of_week >= 5, 50.0, 200.0)
    daily = pd.DataFrame({"Date": dates, "Channel": "Search", "Spend": spend})
    window = ReportingWindow(dates[0], pd.Timestamp("2026-05-03"), dates[-1], 0)
    fc = forecast_period(daily, window)
    to_date = spend.sum()
    likely_left = row(fc.kpis, "Spend")["P50"] - to_date
    assert abs(likely_left - 1400) < (1571 - 1400) / 2


def test_a_lumpy_channel_spends_on_its_schedule():
    # Webinars: 1,000 every other Thursday from 1 Jan 2026 (a Thursday), nothing in between. As of 12 Mar (a
    # Thursday with a session) 6 sessions are in; the period to 30 Apr holds 3 more (26 Mar, 9 Apr, 23 Apr).
    dates = pd.date_range("2026-01-01", "2026-03-12")
    spend = np.where(((dates - dates[0]).days % 14) == 0, 1000.0, 0.0)
    daily = pd.DataFrame({"Date": dates, "Channel": "Webinars", "Spend": spend})
    assert spend.sum() == 6000
    assert spend_cycle(spend).days == 14
    assert lumpy_channels(daily, dates[-1]) == {"Webinars": 14}
    window = ReportingWindow(dates[0], pd.Timestamp("2026-04-30"), dates[-1], 0)
    got = row(forecast_period(daily, window).kpis, "Spend")
    assert got["P50"] == pytest.approx(9000, rel=0.01)
    assert got["P10"] > 8000 and got["P90"] < 10000  # the sessions are known; only their size may wander


def test_a_daily_channel_is_not_lumpy():
    daily = constant_days("2026-01-01", "2026-03-01", Spend=50.0)
    assert lumpy_channels(daily, pd.Timestamp("2026-03-01")) == {}


def test_a_period_barely_started_gives_a_wide_band():
    # One week of 20 leads a day at 100 a day, with a quarter to go: 84 days × 20 = 1,680 leads to come. Day-to-day
    # noise alone (Poisson) would give a band of about ±1.28 × √1,680 ≈ ±52; the rate read from 140 leads is
    # itself uncertain by about 1 ÷ √140 ≈ 8.5 % (±140 leads over the days left), so the band must be several
    # times wider than the noise alone.
    rng = np.random.default_rng(7)
    daily = constant_days("2026-07-01", "2026-07-07", Spend=100.0)
    daily["Leads"] = rng.poisson(20, 7).astype(float)
    window = ReportingWindow(pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-29"), pd.Timestamp("2026-07-07"), 0)
    got = row(forecast_period(daily, window).kpis, "Leads")
    assert got["P90"] - got["P10"] > 2.5 * (2 * 1.2816 * math.sqrt(1680))


def test_late_data_in_the_settling_days_is_made_up():
    # 10 leads a day at 100 a day, but the last 3 of the 10 days (provisional) recorded 5, 8 and 9 so far. The rate
    # is learnt from the 7 settled days (0.1 a unit of spend, exactly), so the provisional days end at 30 leads,
    # 8 more than recorded: the period lands on 300, as if the data were complete. Actual to date stays 92.
    daily = constant_days("2026-06-01", "2026-06-10", Spend=100.0, Leads=10.0)
    daily.loc[7:9, "Leads"] = [9.0, 8.0, 5.0]
    settling = ReportingWindow(JUNE.start, JUNE.end, JUNE.as_of, 3)
    got = row(forecast_period(daily, settling).kpis, "Leads")
    assert got["Actual to date"] == 92
    assert (got["P10"], got["P50"], got["P90"]) == (300, 300, 300)


# ---------------------------------------------------------------------------------------------------------------
# Channels, targets, ratios, the plan
# ---------------------------------------------------------------------------------------------------------------


def two_channels() -> pd.DataFrame:
    """Search (paid: 100 a day, 10 leads, 1 customer, 50 revenue) and Organic (unpaid: 5 leads a day, no revenue
    tracked) over June 1-10."""
    search = constant_days("2026-06-01", "2026-06-10", Spend=100.0, Leads=10.0, Customers=1.0, Revenue=50.0)
    organic = constant_days("2026-06-01", "2026-06-10", channel="Organic", Leads=5.0, Customers=0.0)
    return pd.concat([search, organic], ignore_index=True)


def test_channels_and_blended_figures():
    fc = forecast_period(two_channels(), JUNE, {("Leads", "Organic"): 140, "Leads": 450})
    assert row(fc.kpis, "Leads")["P50"] == 450  # 300 + 150
    assert row(fc.channels, "Leads", "Organic")["P50"] == 150
    assert row(fc.channels, "Leads", "Organic")["Chance of target"] == 1.0
    assert row(fc.kpis, "Leads")["Chance of target"] == 1.0
    assert row(fc.kpis, "CPL")["P50"] == pytest.approx(3000 / 450)  # spend of both ÷ leads of both
    # ROAS counts the paid channels that track revenue: Search only, 1,500 ÷ 3,000
    assert row(fc.kpis, "ROAS")["P50"] == 0.5
    assert math.isnan(row(fc.channels, "Revenue", "Organic")["P50"])  # not tracked
    # Organic spends nothing: its CAC is 0 on the paths that win it a customer (and undefined, 0 ÷ 0, on the rest)
    assert row(fc.channels, "CAC", "Organic")["P50"] == 0


def test_with_the_plan():
    # The plan doubles Search's spend for the 20 days left (200 a day): 1,000 + 4,000 spent. Leads grow along the
    # returns curve: the 200 leads the pace would bring × 2^0.7 ≈ 1.6245 → 324.9 → 325, so 100 + 325 = 425.
    daily = constant_days("2026-06-01", "2026-06-10", Spend=100.0, Leads=10.0)
    fc = forecast_period(daily, JUNE, planned_spend={"Search": 200.0})
    assert row(fc.kpis, "Spend")["P50"] == 5000
    assert row(fc.kpis, "Leads")["P50"] == 425
    days = pd.date_range("2026-06-11", "2026-06-30")
    frame = pd.DataFrame({"Date": days, "Channel": "Search", "Spend": 200.0})
    assert row(forecast_period(daily, JUNE, planned_spend=frame).kpis, "Leads")["P50"] == 425


def test_the_paths_add_up_and_ratios_are_per_path():
    rng = np.random.default_rng(3)
    days = pd.date_range("2026-05-01", "2026-06-10")
    frames = [
        pd.DataFrame(
            {
                "Date": days,
                "Channel": name,
                "Spend": rng.gamma(20, scale, len(days)),
                "Leads": rng.poisson(8, len(days)).astype(float),
                "Customers": rng.poisson(0.4, len(days)).astype(float),
            }
        )
        for name, scale in (("A", 5.0), ("B", 2.0))
    ]
    fc = forecast_period(pd.concat(frames), JUNE)
    paths = fc.paths
    _, spend = volume_paths(paths, "Spend", np.ones(2, dtype=bool))
    _, customers = volume_paths(paths, "Customers", np.ones(2, dtype=bool))
    np.testing.assert_allclose(customers, paths.totals[:, :, 4].sum(axis=1))
    exp = np.quantile(spend / customers, [0.1, 0.5, 0.9], method="inverted_cdf")
    assert tuple(row(fc.kpis, "CAC")[["P10", "P50", "P90"]]) == pytest.approx(tuple(exp))


# ---------------------------------------------------------------------------------------------------------------
# Budget needed with odds
# ---------------------------------------------------------------------------------------------------------------


def test_budget_needed_with_odds():
    # 10 leads a day at 100 a day: 300 leads likely. 400 needs 300 leads in the 20 days left instead of 200, so the
    # spend of the days left × (300 ÷ 200)^(1 ÷ 0.7) = 1.5^1.4286 ≈ 1.7848: 2,000 → 3,569.6, 4,569.6 for the
    # period, 1,569.6 more than the likely 3,000; each of the 100 extra leads costs 15.70 (the average is 10). The
    # most spent in 30 days is 1,000 in 10 days scaled to 30: 3,000; 4,569.6 > 1.5 × 3,000, so it is flagged.
    daily = constant_days("2026-06-01", "2026-06-10", Spend=100.0, Leads=10.0)
    fc = forecast_period(daily, JUNE, {"Leads": 400})
    got = budget_needed_with_odds(fc, {"Leads": 400})
    blended = got[got["Subject"] == ALL_CHANNELS]
    assert list(blended["Chance"]) == [0.5, 0.8]
    for _, r in blended.iterrows():
        assert r["Likely"] == 300 and r["Likely spend"] == 3000
        assert r["Spend needed"] == pytest.approx(1000 + 2000 * 1.5 ** (1 / 0.7))
        assert r["Extra spend"] == pytest.approx(2000 * (1.5 ** (1 / 0.7) - 1))
        assert r["Marginal cost per unit"] == pytest.approx(2000 * (1.5 ** (1 / 0.7) - 1) / 100)
        assert r["Most spent in a like period"] == 3000
        assert r["Beyond what was ever spent"]


def test_budget_needed_out_of_reach_of_spend():
    daily = constant_days("2026-06-01", "2026-06-10", channel="Organic", Leads=5.0)
    fc = forecast_period(daily, JUNE)
    got = budget_needed_with_odds(fc, {"Leads": 400}).iloc[0]
    assert math.isnan(got["Spend needed"]) and "no spend to raise" in got["Reason"]


def test_most_spent_in_a_like_period():
    assert most_spent(np.array([1.0, 5, 5, 1, 1]), 2) == 10  # days 2-3
    assert most_spent(np.array([1.0, 2]), 4) == 6  # 3 in 2 days, scaled to 4
    assert most_spent(np.zeros(0), 30) == 0


# ---------------------------------------------------------------------------------------------------------------
# Inputs and words
# ---------------------------------------------------------------------------------------------------------------


def test_daily_by_channel_sums_campaigns_and_keeps_untracked_blank():
    actuals = pd.DataFrame(
        {
            "Date": pd.to_datetime(["2026-06-01", "2026-06-01", "2026-06-02"]),
            "Channel": ["A", "A", "A"],
            "Campaign": ["x", "y", "x"],
            "Spend": [10.0, 5.0, 1.0],
            "Leads": [1.0, np.nan, np.nan],
        }
    )
    got = daily_by_channel(actuals)
    assert list(got["Spend"]) == [15.0, 1.0]
    assert got["Leads"].iloc[0] == 1.0 and math.isnan(got["Leads"].iloc[1])
    assert got["Revenue"].isna().all()


@pytest.mark.parametrize(
    "chance, exp",
    [
        (0.0, "less than 1 in 100"),
        (0.05, "about 1 in 20"),
        (0.125, "about 1 in 8"),
        (0.3, "about 3 in 10"),
        (0.5, "about even"),
        (0.7, "about 7 in 10"),
        (0.9, "about 9 in 10"),
        (0.95, "about 19 in 20"),
        (0.995, "almost certain"),
        (math.nan, "unknown"),
    ],
)
def test_chance_in_words(chance, exp):
    assert chance_in_words(chance) == exp


def test_method_statement_names_the_method_and_its_coverage():
    text = method_statement()
    assert "10th, 50th and 90th percentiles" in text and "held the period-end figure" in text and "%" in text


def test_a_kpi_that_did_not_beat_the_straight_line_falls_back_to_it(monkeypatch):
    # Spend on a weekday pattern, 5 weekdays of 200 and weekends of 50: the straight line (the average day so far ×
    # the days left) differs from the simulation, which reads the weekdays of the days left.
    from mops_xl.analysis.forecast import measured

    dates = pd.date_range("2026-03-02", "2026-04-23")
    daily = pd.DataFrame({"Date": dates, "Channel": "Search", "Spend": np.where(dates.day_of_week >= 5, 50.0, 200.0)})
    window = ReportingWindow(dates[0], pd.Timestamp("2026-05-03"), dates[-1], 0)
    line = forecast_period(daily, window, forecaster=STRAIGHT_LINE)
    simulated = forecast_period(daily, window)
    monkeypatch.setattr(measured, "FALLBACK_KPIS", frozenset({"Spend"}))
    got = forecast_period(daily, window)
    spend = row(got.kpis, "Spend")
    assert spend["P50"] == row(line.kpis, "Spend")["P50"] != row(simulated.kpis, "Spend")["P50"]
    assert spend["Method"] == "straight line (the simulation did not beat it)"
    assert row(got.channels, "Spend", "Search")["Method"] == spend["Method"]
    assert row(got.kpis, "Leads")["Method"] == NOT_TRACKED
    assert "Spend: the straight line" in got.method
