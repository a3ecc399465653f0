"""Honest data (issue 27): a channel whose rows stop early (a platform imported alone) is named with its last data
date, and its missing days are missing, not zero, in its pace, trend, forecast and plan; rows that leave a funnel
column blank where the channel's earlier rows give it get a warning.

The "lagging" intake (tests/edge_intakes.py): September 2026 (D = 30), Report as of not given, so it is the latest
Actuals date, 10 September (d = 10); Data settling days 3, Trend window 7. Google Ads spends $100 a day (5 leads, 1
customer a day) every day to 10 September, its rows from 8 September leaving Customers blank; budget $3,000. LinkedIn
Ads spends $200 a day (4 leads; 1 customer a day to 27 August, 2 a day from 28 August), its rows stopping on 3
September, 7 days before Report as of; budget $6,000. Every figure below is worked out by hand from those rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest
from edge_intakes import lagging_data, write_lagging

from mops_xl import analyse, build_report, load_intake, write_intake
from mops_xl.analysis.blocks.data_dates import (
    blank_funnel_warnings,
    data_through_line,
    lagging_channels,
    last_data_dates,
)
from mops_xl.analysis.blocks.statuses import ON
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.forecast import daily_by_channel, forecast_period
from mops_xl.analysis.forecast.data_ends import data_end_groups
from mops_xl.analysis.forecast.forecasters import STRAIGHT_LINE
from mops_xl.analysis.review.changes import NORMAL, UNUSUAL
from mops_xl.analysis.review.weekly import weekly_view
from mops_xl.outputs.json_output import terminal_summary

T = pd.Timestamp
AS_OF, THROUGH = T("2026-09-10"), T("2026-09-03")
LINKEDIN_WARNING = (
    "data through 3 Sep 2026, 7 days before Report as of (10 Sep 2026): its missing days are left out, not read as zero"
)


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory):
    return load_intake(write_lagging(tmp_path_factory.mktemp("lagging") / "lagging.xlsx"))


@pytest.fixture(scope="module")
def analysis(intake):
    return analyse(intake)


# --- The last data date and the warning ----------------------------------------------------------------------------
def test_report_as_of_stays_the_latest_date_and_linkedin_lags_from_its_last_date(intake, analysis) -> None:
    assert intake.report_as_of == AS_OF  # not given: the latest Actuals date (Google Ads' last row)
    assert dict(last_data_dates(intake.actuals, AS_OF)) == {"Google Ads": AS_OF, "LinkedIn Ads": THROUGH}
    assert analysis.lagging == {"LinkedIn Ads": THROUGH}  # 10 − 3 = 7 days > 3 settling days


def test_the_warning_names_the_channel_and_its_last_date(analysis) -> None:
    assert {"subject": "LinkedIn Ads", "warning": LINKEDIN_WARNING} in analysis.warnings
    assert f"LinkedIn Ads: {LINKEDIN_WARNING}" == (
        "LinkedIn Ads: data through 3 Sep 2026, 7 days before Report as of (10 Sep 2026): its missing days are left "
        "out, not read as zero"
    )


@pytest.mark.parametrize(("last", "lags"), [("2026-09-07", False), ("2026-09-06", True), ("2026-08-31", False)])
def test_a_channel_lags_beyond_the_settling_days_and_with_data_in_the_period(last: str, lags: bool) -> None:
    # 10 − 7 = 3 days: within the 3 settling days; 10 − 6 = 4: beyond; 31 August: no row in the period (No data)
    window = ReportingWindow(T("2026-09-01"), T("2026-09-30"), AS_OF, 3)
    actuals = pd.DataFrame({"Date": [AS_OF, T(last)], "Channel": ["A", "B"]})
    assert lagging_channels(actuals, window) == ({"B": T(last)} if lags else {})


def test_a_channel_that_spends_on_some_days_only_never_lags() -> None:
    window = ReportingWindow(T("2026-09-01"), T("2026-09-30"), AS_OF, 3)
    actuals = pd.DataFrame({"Date": [AS_OF, T("2026-09-03")], "Channel": ["A", "Webinars"]})
    assert lagging_channels(actuals, window, {"Webinars": 14}) == {}


# --- Pace ------------------------------------------------------------------------------------------------------------
def test_linkedin_is_paced_to_its_last_data_date(analysis) -> None:
    lines = analysis.pacing_lines.set_index("Channel")
    linkedin, google = lines.loc["LinkedIn Ads"], lines.loc["Google Ads"]
    # LinkedIn: 1 to 3 September, 3 of 30 days: expected 6,000 × 3 ÷ 30 = 600 against 3 × 200 = 600 spent
    assert linkedin["Elapsed days"] == 3
    assert linkedin["Expected to date"] == pytest.approx(600.0)
    assert linkedin["Actual"] == pytest.approx(600.0)
    assert linkedin["Pace"] == pytest.approx(1.0) and linkedin["Status"] == ON  # was 600 ÷ 2,000 = 30 %, Under pace
    assert linkedin["At today's pace"] == pytest.approx(600 / 3 * 30)  # 6,000
    assert linkedin["Remaining days"] == 27  # its 7 missing days with the 20 days left
    assert linkedin["Daily spend to land on budget"] == pytest.approx((6000 - 600) / 27)  # 200
    assert linkedin["Data through"] == THROUGH
    # Google Ads runs to Report as of: 3,000 × 10 ÷ 30 = 1,000 against 1,000
    assert google["Expected to date"] == pytest.approx(1000.0) and pd.isna(google["Data through"])


def test_the_total_is_the_sum_of_what_is_there(analysis) -> None:
    total = analysis.total_pacing
    assert total.spend == pytest.approx(1600.0)  # 1,000 + 600
    assert total.expected == pytest.approx(1600.0)  # 1,000 + 600 (was 1,000 + 2,000)
    assert total.pace == pytest.approx(1.0) and total.status == ON
    assert total.projected == pytest.approx(1000 * 30 / 10 + 6000)  # Google at 100 a day, LinkedIn at its own pace
    assert analysis.kpis.loc["Spend", "Actual"] == pytest.approx(1600.0)


# --- Trend -----------------------------------------------------------------------------------------------------------
def test_linkedin_trend_ends_on_its_last_data_date(analysis) -> None:
    linkedin = analysis.channels.loc["LinkedIn Ads"]
    # recent: 28 Aug – 3 Sep, 1,400 ÷ 14 customers = 100; prior: 21 – 27 Aug, 1,400 ÷ 7 = 200
    assert linkedin["Trend recent"] == pytest.approx(100.0)
    assert linkedin["Trend prior"] == pytest.approx(200.0)
    assert linkedin["Trend %"] == pytest.approx(-0.5)
    assert (linkedin["Trend"], linkedin["Trend verdict"]) == ("↓", "Improving")


def test_google_trend_counts_its_blank_customers_as_none(analysis) -> None:
    google = analysis.channels.loc["Google Ads"]
    # recent: 4 – 10 Sep, 700 ÷ 4 customers (8 – 10 Sep blank) = 175; prior: 28 Aug – 3 Sep, 700 ÷ 7 = 100
    assert google["Trend recent"] == pytest.approx(175.0)
    assert google["Trend prior"] == pytest.approx(100.0)
    assert google["Trend %"] == pytest.approx(0.75)
    assert google["CAC"] == pytest.approx(1000 / 7)  # 1 – 10 Sep spend over the 7 customers given


# --- Plan ------------------------------------------------------------------------------------------------------------
def test_the_plan_measures_linkedin_daily_spend_to_its_last_data_date(analysis) -> None:
    plan = analysis.plan.table
    # LinkedIn: its last 7 days to 3 Sep, never before 1 Sep: 600 ÷ 3 = 200 a day (was 0 ÷ 7 = 0)
    assert plan.loc["LinkedIn Ads", "Current daily spend"] == pytest.approx(200.0)
    assert plan.loc["Google Ads", "Current daily spend"] == pytest.approx(100.0)  # 700 ÷ 7, 4 – 10 Sep
    # its remaining 5,400 over its 27 days from 4 Sep (the 7 missing days and the 20 left): 200 a day, Hold
    assert plan.loc["LinkedIn Ads", "Days planned"] == 27
    assert plan.loc["LinkedIn Ads", "Planned rest of period"] == pytest.approx(5400.0)
    assert plan.loc["LinkedIn Ads", "Planned daily spend"] == pytest.approx(200.0)
    assert list(plan["Action"]) == ["Hold", "Hold"]
    assert analysis.plan.left == pytest.approx(9000 - 1600) and analysis.plan.returned_unspent == pytest.approx(0.0)


# --- Forecast --------------------------------------------------------------------------------------------------------
def test_the_forecast_days_to_date_end_on_each_channels_last_data_date(intake, analysis) -> None:
    window = analysis.window
    assert data_end_groups(("Google Ads", "LinkedIn Ads"), window, analysis.lagging) == [
        (AS_OF, [0]),
        (THROUGH, [1]),
    ]
    line = forecast_period(
        daily_by_channel(intake.actuals),
        window,
        channels=["Google Ads", "LinkedIn Ads"],
        forecaster=STRAIGHT_LINE,
        data_through=analysis.lagging,
    ).channels.set_index(["Channel", "Metric"])
    # LinkedIn: 600 over its 3 days to date, 200 a day for the 27 days after 3 Sep: 600 + 5,400 = 6,000
    assert line.loc[("LinkedIn Ads", "Spend"), "Actual to date"] == pytest.approx(600.0)
    assert line.loc[("LinkedIn Ads", "Spend"), "P50"] == pytest.approx(6000.0)
    assert line.loc[("LinkedIn Ads", "Spend"), "Per day so far"] == pytest.approx(200.0)  # 600 ÷ 3, not ÷ 10
    assert line.loc[("LinkedIn Ads", "Leads"), "P50"] == pytest.approx(12 + 4 * 27)  # 120
    # Google Ads: 1,000 over 10 days, 100 a day for the 20 left
    assert line.loc[("Google Ads", "Spend"), "P50"] == pytest.approx(3000.0)


def test_the_simulation_does_not_read_the_missing_week_as_stopped(analysis) -> None:
    spend = analysis.forecast.channels.set_index(["Channel", "Metric"]).loc[("LinkedIn Ads", "Spend")]
    assert spend["P10"] > 600 + 0.8 * 5400  # simulated from its days to 3 Sep (a stopped channel would stay at 600)
    assert spend["P50"] == pytest.approx(6000.0, rel=0.05)
    assert analysis.kpis.loc["Spend", "Target"] == pytest.approx(9000.0)


def test_without_a_lagging_channel_the_forecast_is_unchanged(intake) -> None:
    daily = daily_by_channel(intake.actuals)
    window = ReportingWindow(T("2026-09-01"), T("2026-09-30"), AS_OF, 3)
    one = forecast_period(daily, window, paths=200)
    two = forecast_period(daily, window, paths=200, data_through={"Google Ads": AS_OF})
    np.testing.assert_array_equal(one.paths.totals, two.paths.totals)


# --- Blank funnel columns --------------------------------------------------------------------------------------------
def test_rows_that_leave_customers_blank_get_one_warning(analysis) -> None:
    google = [w["warning"] for w in analysis.warnings if w["subject"] == "Google Ads"]
    assert google == [
        "3 rows on 8–10 Sep 2026 leave Customers blank, where its earlier rows give it: the figures "
        "count them as no Customers, so its figures over Customers count their spend and none of their Customers"
    ]


def test_a_column_a_channel_never_gives_is_not_blank() -> None:
    window = ReportingWindow(T("2026-09-01"), T("2026-09-30"), T("2026-09-03"), 0)
    actuals = pd.DataFrame(
        {
            "Date": [T("2026-09-01"), T("2026-09-02"), T("2026-09-03"), T("2026-09-02")],
            "Channel": ["A", "A", "A", "B"],
            "Leads": [3.0, np.nan, 2.0, np.nan],
            "Customers": [np.nan, np.nan, np.nan, np.nan],
        }
    )
    assert blank_funnel_warnings(actuals, window) == [
        {
            "subject": "A",
            "warning": "1 row on 2 Sep 2026 leaves Leads blank, where its earlier rows give it: the figures count it "
            "as no Leads, so its figures over Leads count its spend and none of its Leads",
        }
    ]


# --- Headline and Dashboard ------------------------------------------------------------------------------------------
def test_the_headline_says_data_through_and_not_under_pace(analysis) -> None:
    assert "spend on pace" in analysis.headline
    assert "LinkedIn Ads has data through 3 Sep 2026 only: its later days are missing, not a fall." in analysis.headline
    assert "under pace" not in analysis.headline


def test_the_dashboard_shows_report_as_of_with_the_lagging_channels(intake, analysis, tmp_path) -> None:
    line = (
        "Report as of 10 Sep 2026; data through 3 Sep 2026 for LinkedIn Ads (its later days are left out, not read "
        "as zero)"
    )
    assert data_through_line(analysis.lagging, AS_OF) == line
    report = build_report(intake, tmp_path / "report.xlsx", analysis=analysis)
    ws = openpyxl.load_workbook(report)["Dashboard"]
    # the one line under the who-and-when block (issue 28: page 2 of the Dashboard, under page 1's story)
    r = next(c.row for c in ws["A"] if c.value == "Report as of")
    assert ws.cell(r + 4, 1).value == line
    assert ws.cell(r, 2).value == "10 Sep 2026 (day 10 of 30)"  # Sep 1-10 of 30
    assert [c.value for c in ws["A"][2:] if isinstance(c.value, str) and "data through" in c.value] == [line]


def test_two_channels_through_the_same_day_are_one_line() -> None:
    lagging = {"Meta Ads": THROUGH, "TikTok Ads": THROUGH, "Bing Ads": T("2026-09-01")}
    assert data_through_line(lagging, AS_OF) == (
        "Report as of 10 Sep 2026; data through 1 Sep 2026 for Bing Ads; 3 Sep 2026 for Meta Ads and TikTok Ads "
        "(their later days are left out, not read as zero)"
    )


def test_an_intake_whose_channels_all_reach_report_as_of_has_no_line(tmp_path) -> None:
    data = lagging_data()
    data["Actuals"] = [r for r in data["Actuals"] if r["Channel"] == "Google Ads" and r["Date"] < dt.date(2026, 9, 8)]
    analysis = analyse(load_intake(write_intake(tmp_path / "one.xlsx", data)))
    assert analysis.lagging == {} and "data through" not in analysis.headline
    assert not [w for w in analysis.warnings if "data through" in w["warning"] or "blank" in w["warning"]]


@pytest.mark.parametrize("forecaster", [None, STRAIGHT_LINE], ids=["simulation", "straight line"])
def test_with_a_lagging_channel_the_channels_still_add_up_on_every_path(intake, analysis, forecaster) -> None:
    fc = forecast_period(
        daily_by_channel(intake.actuals),
        analysis.window,
        forecaster=forecaster,
        paths=300,
        data_through=analysis.lagging,
    )
    spend = fc.paths.totals[:, :, 0]
    blended = fc.kpis.set_index("Metric").loc["Spend"]
    assert float(np.quantile(spend.sum(axis=1), 0.5, method="inverted_cdf")) == pytest.approx(blended["P50"])
    assert blended["Actual to date"] == pytest.approx(1600.0)


# --- The weekly view, the grouped blank columns and the terminal ---------------------------------------------------
def test_the_weekly_view_ends_a_lagging_channel_s_weeks_on_its_last_data_date(analysis) -> None:
    """LinkedIn Ads' last 7 days of data are 28 Aug-3 Sep (7 x $200 = $1,400), the 7 before 21-27 Aug ($1,400): no
    change, where weeks ending on 10 September would read $0 against $1,400. All channels add each channel's own
    weeks: Google Ads 4-10 Sep $700 + LinkedIn Ads $1,400 = $2,100, and 28 Aug-3 Sep $700 + 21-27 Aug $1,400."""
    rows = {(r.channel, r.metric): r for r in weekly_view(analysis.snapshot, analysis.lagging)}
    linkedin, total = rows[("LinkedIn Ads", "Spend")], rows[("All channels", "Spend")]
    assert (linkedin.last_week, linkedin.week_before, linkedin.change) == (1400, 1400, 0)
    assert linkedin.verdict == NORMAL
    assert linkedin.note.startswith("weeks to its last data date, 3 Sep 2026: its later days are missing, not a fall")
    assert (total.last_week, total.week_before) == (700 + 1400, 700 + 1400)
    assert total.note == (
        "LinkedIn Ads: weeks to its last data date, 3 Sep 2026 (its later days are missing, not a fall)"
    )
    # read as zero, LinkedIn Ads' last week would be $0 against 4 earlier weeks of $1,400: a fall beyond any noise
    unaware = {(r.channel, r.metric): r for r in weekly_view(analysis.snapshot)}
    assert unaware[("LinkedIn Ads", "Spend")].last_week == 0 and unaware[("LinkedIn Ads", "Spend")].verdict == UNUSUAL


def test_columns_left_blank_on_the_same_days_are_one_warning() -> None:
    """Channel A gives Leads and Customers on 1 Sep, then leaves both blank on 2-3 Sep (2 rows): one warning."""
    window = ReportingWindow(T("2026-09-01"), T("2026-09-30"), T("2026-09-03"), 0)
    actuals = pd.DataFrame(
        {
            "Date": [T("2026-09-01"), T("2026-09-02"), T("2026-09-03")],
            "Channel": ["A", "A", "A"],
            "Leads": [3.0, np.nan, np.nan],
            "Customers": [1.0, np.nan, np.nan],
        }
    )
    assert blank_funnel_warnings(actuals, window) == [
        {
            "subject": "A",
            "warning": "2 rows on 2–3 Sep 2026 leave Leads and Customers blank, where its earlier rows give them: the "
            "figures count them as no Leads and Customers, so its figures over them count their spend and none of "
            "their Leads and Customers",
        }
    ]


def test_the_terminal_lists_what_to_check(analysis) -> None:
    text = terminal_summary(analysis)
    tail = text[text.index("To check") :].splitlines()
    assert tail[0] == "To check (2; in the Data Notes):"  # LinkedIn Ads lags; Google Ads' blank Customers
    assert tail[1] == f"  LinkedIn Ads: {LINKEDIN_WARNING}"
    assert tail[2].startswith("  Google Ads: 3 rows on 8–10 Sep 2026 leave Customers blank")
