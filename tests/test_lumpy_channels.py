"""A channel that spends on some days only (a webinar every other Thursday) is judged over its own cycle: its trend
compares fortnight with fortnight, its run rate is its spend per fortnight spread over the fortnight, and its plan
and advice speak per fortnight (issue 25, "Lumpy channels").

The intake is tests/edge_intakes.py's "lumpy" one (the LibreOffice recalculation test checks its report's
formulas too): Q3 2026 (D = 92), report as of Wednesday 26 August (d = 57, 35 days left). Webinars spends $1,000
on Thursdays 4 and 18 June, 2, 16 and 30 July and 13 August (2 customers each, 4 on 13 August); Google Ads
spends $100 and wins 1 customer every day. CAC targets: Webinars 500, Google Ads 120. Budgets: Webinars $6,500,
Google Ads $9,200. Trend window W = 7 (the default).
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from edge_intakes import lumpy_data, write_lumpy

from mops_xl import analyse, build_report, load_intake
from mops_xl.analysis.blocks.cycles import cycle_against_cycle, judging_days, lumpy_channels, per_cycle
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.decisions.triggers import channel_cap
from mops_xl.analysis.figures.budget.run_rate import daily_spend_now
from mops_xl.analysis.figures.trend import channel_trends
from mops_xl.analysis.forecast import lumpy_channels as forecast_lumpy_channels
from mops_xl.analysis.story.notes import lumpy_notes


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory):
    return load_intake(write_lumpy(tmp_path_factory.mktemp("lumpy") / "lumpy.xlsx"))


@pytest.fixture(scope="module")
def analysis(intake):
    return analyse(intake)


# --- The cycle ---------------------------------------------------------------------------------------------------


def test_the_webinars_are_found_once_with_their_fortnight(intake, analysis) -> None:
    # 6 spend days over the 84 days from 4 June to 26 August (fewer than half), every 14 days
    assert lumpy_channels(intake.actuals, intake.report_as_of) == {"Webinars": 14}
    assert analysis.cycles == {"Webinars": 14}


def test_the_forecast_reads_the_same_cycles_from_the_building_blocks() -> None:
    assert forecast_lumpy_channels is lumpy_channels


@pytest.mark.parametrize(
    ("window", "cycle", "exp"),
    [(7, None, 7), (7, 14, 14), (14, 14, 14), (15, 14, 28), (21, 14, 28), (30, 7, 35), (1, 10, 10)],
)
def test_the_judging_window_is_the_trend_window_in_whole_cycles(window: int, cycle: int | None, exp: int) -> None:
    assert judging_days(window, cycle) == exp


def test_a_cycle_in_words() -> None:
    assert (per_cycle(14), per_cycle(7), per_cycle(10)) == ("a fortnight", "a week", "per 10 days")
    assert cycle_against_cycle(14) == "fortnight against fortnight"
    assert cycle_against_cycle(10) == "10 days against the 10 days before"


# --- The trend ---------------------------------------------------------------------------------------------------


def test_the_webinars_trend_compares_the_last_fortnight_with_the_one_before(analysis) -> None:
    w = analysis.channels.loc["Webinars"]
    # recent 13-26 Aug: the 13 Aug webinar, $1,000 for 4 customers → CAC 250
    # prior 30 Jul-12 Aug: the 30 Jul webinar, $1,000 for 2 customers → CAC 500
    assert (w["Trend recent"], w["Trend prior"]) == (pytest.approx(250.0), pytest.approx(500.0))
    assert w["Trend %"] == pytest.approx((250 - 500) / 500)  # -50 %
    assert (w["Trend"], w["Trend verdict"]) == ("↓", "Improving")  # a CAC that fell


def test_a_daily_channel_keeps_its_seven_day_windows(analysis) -> None:
    g = analysis.channels.loc["Google Ads"]
    assert (g["Trend recent"], g["Trend prior"], g["Trend %"]) == (100.0, 100.0, 0.0)  # $700 ÷ 7 customers, twice
    assert (g["Trend"], g["Trend verdict"]) == ("→", "Steady")


def test_day_by_day_the_webinars_have_no_trend(intake) -> None:
    """What the cycle mends: the last 7 days (20-26 Aug) hold no Webinars row at all, so a day-by-day trend has
    nothing to compare."""
    metrics = pd.Series({"Google Ads": "CAC", "Webinars": "CAC"})
    day_by_day = channel_trends(intake.actuals, metrics, intake.report_as_of, 7, 0.05)
    assert math.isnan(day_by_day.at["Webinars", "Trend %"]) and day_by_day.at["Webinars", "Trend"] == "–"
    by_cycle = channel_trends(intake.actuals, metrics, intake.report_as_of, 7, 0.05, {"Webinars": 14})
    assert by_cycle.at["Webinars", "Trend %"] == pytest.approx(-0.5)


def test_a_leads_per_day_trend_divides_by_the_cycle() -> None:
    """A lumpy channel judged on leads per day: 40 leads in the last fortnight ÷ 14 days against 20 ÷ 14."""
    days = pd.date_range("2026-08-01", "2026-08-28")
    actuals = pd.DataFrame(
        {
            "Date": days,
            "Channel": "Webinars",
            **{c: 0.0 for c in ("Spend", "Customers", "Revenue", "Clicks", "Impressions", "MQLs", "SQLs")},
            "Leads": [20.0 if d.day == 6 else 40.0 if d.day == 20 else 0.0 for d in days],
        }
    )
    trend = channel_trends(actuals, pd.Series({"Webinars": None}), days[-1], 7, 0.05, {"Webinars": 14})
    assert trend.at["Webinars", "Recent"] == pytest.approx(40 / 14)
    assert trend.at["Webinars", "Prior"] == pytest.approx(20 / 14)
    assert trend.at["Webinars", "Trend %"] == pytest.approx(1.0)


def test_the_trend_formula_reads_whole_cycles(tmp_path: Path, intake) -> None:
    report = build_report(intake, tmp_path / "report.xlsx")
    ws = openpyxl.load_workbook(report)["Channel Performance"]
    header = next(r for r in ws.iter_rows(max_row=10) if any(c.value == "Trend recent" for c in r))
    col = next(c.column for c in header if c.value == "Trend recent")
    rows = {r[0].value: r for r in ws.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + 2)}
    assert "14*MAX(1,ROUNDUP(TrendWindow/14,0))" in rows["Webinars"][col - 1].value
    assert "ROUNDUP" not in rows["Google Ads"][col - 1].value


# --- The run rate, the plan and the advice -------------------------------------------------------------------------


def test_the_run_rate_is_the_spend_of_whole_cycles(intake) -> None:
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, 0)
    now = daily_spend_now(intake.actuals, ["Google Ads", "Webinars"], window, 7, {"Webinars": 14})
    # Webinars: the last fortnight (13-26 Aug) holds one webinar: $1,000 ÷ 14 days, its best fortnight the same
    assert now.at["Webinars", "Current daily spend"] == pytest.approx(1000 / 14)
    assert now.at["Webinars", "Most in a day"] == pytest.approx(1000 / 14)
    assert (now.at["Google Ads", "Current daily spend"], now.at["Google Ads", "Most in a day"]) == (100.0, 100.0)
    # day by day, the last 7 days hold no webinar: it would read as stopped
    assert daily_spend_now(intake.actuals, ["Webinars"], window, 7).at["Webinars", "Current daily spend"] == 0.0


def test_a_longer_window_averages_more_cycles(intake) -> None:
    """W = 28: two fortnights (30 Jul-26 Aug), two webinars: $2,000 ÷ 28 days; W = 60: four fortnights would reach
    before Period start, so the 57 elapsed days' 4 whole fortnights (2 Jul-26 Aug: 2, 16, 30 Jul and 13 Aug)."""
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, 0)
    two = daily_spend_now(intake.actuals, ["Webinars"], window, 28, {"Webinars": 14})
    assert two.at["Webinars", "Current daily spend"] == pytest.approx(2000 / 28)
    four = daily_spend_now(intake.actuals, ["Webinars"], window, 60, {"Webinars": 14})
    assert four.at["Webinars", "Current daily spend"] == pytest.approx(4000 / 56)


def test_the_plan_reads_the_webinars_per_fortnight(analysis) -> None:
    plan = analysis.plan.table.loc["Webinars"]
    assert plan["Current daily spend"] == pytest.approx(1000 / 14)
    # remaining $6,500 - $4,000 = $2,500, all of it spendable at $1,000 a fortnight over 35 days (2.5 fortnights)
    assert plan["Planned rest of period"] == pytest.approx(2500.0)
    assert plan["Planned daily spend"] == pytest.approx(2500 / 35)
    assert plan["Action"] == "Hold"  # neither stopped nor spiking
    assert plan["Reason"] == (
        "spends $1,000 a fortnight now at 125.0% of target; plans $1,000 a fortnight for 35 days ($2,500) of its "
        "remaining $2,500"
    )
    assert "a day" in analysis.plan.table.at["Google Ads", "Reason"]


def test_the_cap_is_per_cycle() -> None:
    card = pd.Series({"Daily spend to land on budget": 2500 / 35})
    assert channel_cap(card, "$", 14) == "cap spend at $1,000 a fortnight to land on budget"
    assert channel_cap(card, "$") == "cap daily spend at $71.43 to land on budget"


def test_data_notes_say_how_the_webinars_are_judged(analysis) -> None:
    exp = {
        "subject": "Webinars",
        "note": "Webinars spends on some days only (about every 14 days): its trend and pace are judged fortnight "
        "against fortnight",
    }
    assert exp in analysis.notes
    assert lumpy_notes({"Webinars": 14}, 21) == [
        {
            "subject": "Webinars",
            "note": "Webinars spends on some days only (about every 14 days): its trend and pace are judged 28 days "
            "against the 28 days before",
        }
    ]


def test_the_intake_data_is_as_described() -> None:
    data = lumpy_data()
    webinars = [r for r in data["Actuals"] if r["Channel"] == "Webinars"]
    assert [r["Spend"] for r in webinars] == [1000.0] * 6
    assert sum(r["Customers"] for r in webinars) == 14
