"""A channel that spends on some days only (a webinar every other Thursday) is judged over its own cycle: its trend
compares fortnight with fortnight, its run rate is its spend per fortnight spread over the fortnight, and its plan
and advice speak per fortnight (issue 25, "Lumpy channels").

The intake is tests/edge_intakes.py's "lumpy" one (the LibreOffice recalculation test checks its report's
formulas too, as of 26 and 27 August): Q3 2026 (D = 92), report as of Wednesday 26 August (d = 57, 35 days left).
Webinars spends $1,000 on Thursdays 4 and 18 June, 2, 16 and 30 July and 13 August (2 customers each, 4 on 13
August), and 27 August when the report is as of then; Google Ads spends $100 and wins 1 customer every day. CAC
targets: Webinars 500, Google Ads 120. Budgets (one line each, 1 July to 30 September, L = 92 days): Webinars
$6,500, Google Ads $9,200. Trend window W = 7 (the default).

The budget pace of the webinars (docs/metrics.md, "Budget pacing"): a webinar pays for the fortnight from it, so the
line's days to date run to the end of its current fortnight (Paced to = last spend day + 14 − 1, never before Report
as of), and its expected spend to date is 6,500 × those days ÷ 92.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from edge_intakes import lumpy_data, write_lumpy

from mops_xl import analyse, build_report, load_intake, write_intake
from mops_xl.analysis.blocks.cycles import cycle_against_cycle, judging_days, lumpy_channels, per_cycle
from mops_xl.analysis.blocks.statuses import NOT_STARTED, ON, OVER, UNDER
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.decisions.triggers import channel_cap
from mops_xl.analysis.figures.budget.budget_line_figures import PacingBasis, pace_lines
from mops_xl.analysis.figures.budget.pacing import budget_lines
from mops_xl.analysis.figures.budget.run_rate import daily_spend_now, days_to_spend, paid_through
from mops_xl.analysis.figures.trend import channel_trends
from mops_xl.analysis.forecast import lumpy_channels as forecast_lumpy_channels
from mops_xl.analysis.story.notes import lumpy_notes


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory):
    return load_intake(write_lumpy(tmp_path_factory.mktemp("lumpy") / "lumpy.xlsx"))


@pytest.fixture(scope="module")
def analysis(intake):
    return analyse(intake)


@pytest.fixture(scope="module")
def as_of(tmp_path_factory: pytest.TempPathFactory):
    """The lumpy intake as of another day (month, day) → (intake, analysis), each built once."""

    @cache
    def build(month: int, day: int):
        folder = tmp_path_factory.mktemp(f"lumpy-{month}-{day}")
        intake = load_intake(write_lumpy(folder / "lumpy.xlsx", dt.date(2026, month, day)))
        return intake, analyse(intake)

    return build


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
        "note": "Webinars spends on some days only (about every 14 days): its trend is judged fortnight against "
        "fortnight, and its budget pace and plan by the fortnight (each spend pays for the 14 days from it)",
    }
    assert exp in analysis.notes
    assert lumpy_notes({"Webinars": 14}, 21) == [
        {
            "subject": "Webinars",
            "note": "Webinars spends on some days only (about every 14 days): its trend is judged 28 days against the "
            "28 days before, and its budget pace and plan by the fortnight (each spend pays for the 14 days from it)",
        }
    ]
    assert lumpy_notes({"Events": 10}, 7)[0]["note"].endswith(
        "and plan by the 10-day cycle (each spend pays for the 10 days from it)"
    )


def test_the_intake_data_is_as_described() -> None:
    data = lumpy_data()
    webinars = [r for r in data["Actuals"] if r["Channel"] == "Webinars"]
    assert [r["Spend"] for r in webinars] == [1000.0] * 6
    assert sum(r["Customers"] for r in webinars) == 14


# --- The budget pace ---------------------------------------------------------------------------------------------

T = pd.Timestamp
#: The Webinars line: $6,500 over the 92 days of 1 July to 30 September.
PLANNED, LINE_DAYS = 6500.0, 92


def test_on_a_spend_day_the_webinars_are_paced_to_the_end_of_its_fortnight(as_of) -> None:
    """Thursday 27 August: the 27 August webinar pays for 27 August to 9 September (27 + 14 − 1 = 40 August), so the
    line's days to date are 1 July to 9 September: 31 + 31 + 9 = 71 days, and it expects 6,500 × 71 ÷ 92 = 5,016.30
    against the $5,000 of five webinars in the period (2, 16, 30 July, 13, 27 August): pace 99.7 %, On pace."""
    _, a = as_of(8, 27)
    w = a.pacing_lines.set_index("Channel").loc["Webinars"]
    assert (w["Spend cycle"], w["Last spend day"], w["Paced to"]) == (14, T("2026-08-27"), T("2026-09-09"))
    assert w["Elapsed days"] == 31 + 31 + 9
    assert w["Expected to date"] == pytest.approx(PLANNED * 71 / LINE_DAYS)  # 5,016.30
    assert w["Expected to date"] == pytest.approx(5016.30, abs=0.005)
    assert w["Actual"] == 5 * 1000.0
    assert w["Pace"] == pytest.approx(5000 / (6500 * 71 / 92))  # 0.99675
    assert w["Pace"] == pytest.approx(0.99675, abs=5e-6)
    assert w["Status"] == ON
    # its spend if it goes on: 5,000 ÷ 71 days × 92 = 6,478.87, 21.13 under its budget; 21 days after 9 September,
    # $1,500 left: $71.43 a day, $1,000 a fortnight
    assert w["At today's pace"] == pytest.approx(5000 / 71 * 92)
    assert w["Variance"] == pytest.approx(5000 / 71 * 92 - 6500)
    assert (w["Remaining days"], w["Left on this line"]) == (21, 1500.0)
    assert w["Daily spend to land on budget"] == pytest.approx(1500 / 21)


def test_day_by_day_the_spend_day_read_over_pace(as_of) -> None:
    """What the cycle mends: day by day, 27 August is 58 days (31 + 27): 6,500 × 58 ÷ 92 = 4,097.83 expected
    against 5,000, 122 % (Over pace), and the plan said Throttle."""
    intake, _ = as_of(8, 27)
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, 0)
    day_by_day = budget_lines(intake.budget, intake.actuals, window, "linear", 1.1).set_index("Channel")
    w = day_by_day.loc["Webinars"]
    assert (w["Elapsed days"], w["Expected to date"]) == (58, pytest.approx(6500 * 58 / 92))
    assert (w["Pace"], w["Status"]) == (pytest.approx(5000 / (6500 * 58 / 92)), OVER)  # 1.2202
    assert "Spend cycle" not in day_by_day  # no lumpy line: no cycle columns


@pytest.mark.parametrize(
    ("day", "paced_to", "elapsed", "actual"),
    [
        # Wednesday 12 August, the day before a webinar: the 30 July one paid to 12 August, Report as of itself
        (12, "2026-08-12", 31 + 12, 3000.0),
        # Thursday 13 August, a webinar: paid to 26 August (day by day 44 days, 3,108.70, 128.7 % Over pace)
        (13, "2026-08-26", 31 + 26, 4000.0),
        # Wednesday 26 August (the intake): the 13 August webinar paid to 26 August, Report as of itself
        (26, "2026-08-26", 31 + 26, 4000.0),
    ],
)
def test_either_side_of_a_spend_day_the_webinars_are_on_pace(
    as_of, day: int, paced_to: str, elapsed: int, actual: float
) -> None:
    _, a = as_of(8, day)
    w = a.pacing_lines.set_index("Channel").loc["Webinars"]
    assert (w["Paced to"], w["Elapsed days"], w["Actual"]) == (T(paced_to), elapsed, actual)
    expected = PLANNED * elapsed / LINE_DAYS  # 12 Aug: 3,038.04 (pace 98.7 %); 13 and 26 Aug: 4,027.17 (99.3 %)
    assert w["Expected to date"] == pytest.approx(expected)
    assert (w["Pace"], w["Status"]) == (pytest.approx(actual / expected), ON)
    assert a.channels.at["Webinars", "Pacing status"] == ON


def test_the_daily_channel_is_paced_day_by_day_as_before(as_of) -> None:
    """Google Ads, $100 a day on a $9,200 line (100 a day): on 27 August 58 days, 5,800 expected, 5,800 spent."""
    _, a = as_of(8, 27)
    g = a.pacing_lines.set_index("Channel").loc["Google Ads"]
    assert (g["Elapsed days"], g["Expected to date"], g["Actual"], g["Pace"]) == (58, 5800.0, 5800.0, 1.0)
    assert (g["Remaining days"], g["Status"]) == (34, ON)
    assert pd.isna(g["Spend cycle"]) and pd.isna(g["Paced to"])


def test_the_total_sums_the_lines_as_they_are_paced(as_of) -> None:
    """All spend to date, 5,800 + 5,000 = 10,800, against Σ the lines' expected to date, 5,800 + 5,016.30; at
    today's pace Google Ads lands on 5,800 ÷ 58 × 92 = 9,200 and the webinars on 6,478.87: under the $15,700."""
    _, a = as_of(8, 27)
    total = a.total_pacing
    assert total.expected == pytest.approx(5800 + 6500 * 71 / 92)
    assert (total.spend, total.pace, total.status) == (10800.0, pytest.approx(10800 / (5800 + 6500 * 71 / 92)), ON)
    assert total.projected == pytest.approx(9200 + 5000 / 71 * 92)
    assert total.projected_overspend == 0.0


def test_the_decisions_follow_the_pace(as_of) -> None:
    """On pace, so no Throttle: the plan spreads the $1,500 left over the 21 days after 9 September, $1,000 a
    fortnight as now (Hold), and no underspending warning."""
    _, a = as_of(8, 27)
    plan = a.plan.table.loc["Webinars"]
    assert (plan["Days planned"], plan["Planned rest of period"]) == (21, 1500.0)
    assert plan["Planned daily spend"] == pytest.approx(1000 / 14) == pytest.approx(plan["Current daily spend"])
    assert plan["Action"] == "Hold"
    assert plan["Reason"].endswith("plans $1,000 a fortnight for 21 days ($1,500) of its remaining $1,500")
    assert a.recommendations.set_index("Subject").at["Webinars", "Action"] == "Hold"
    assert not [w for w in a.warnings if "Underspending" in w["warning"]]


def test_the_plan_s_days_start_after_the_paid_fortnight(as_of) -> None:
    intake, _ = as_of(8, 27)
    window = ReportingWindow(intake.period_start, intake.period_end, intake.report_as_of, 0)
    paid = paid_through(intake.actuals, window, {"Webinars": 14})
    assert paid == {"Webinars": T("2026-09-09")}  # Google Ads is not lumpy: none
    days = days_to_spend(intake.budget, ["Google Ads", "Webinars"], window, paid)
    assert days.to_dict() == {"Google Ads": 34, "Webinars": 21}  # 28 Aug-30 Sep; 10-30 Sep
    # as of 26 August the 13 August webinar paid to 26 August: nothing after Report as of
    assert (
        paid_through(intake.actuals, ReportingWindow(window.start, window.end, T("2026-08-26"), 0), {"Webinars": 14})
        == {}
    )


def _basis(as_of: str, spend_days: list[str]) -> tuple[pd.DataFrame, PacingBasis]:
    """A Webinars line of $4,800 from 14 August to 30 September (48 days, 100 a day) with $1,000 webinars on
    ``spend_days``, every 14 days, in Q3 2026."""
    line = pd.DataFrame(
        {"Channel": ["Webinars"], "Period start": [T("2026-08-14")], "Period end": [T("2026-09-30")],
         "Planned spend": [4800.0]},
        index=[2],
    )  # fmt: skip
    spend = pd.Series(1000.0, index=pd.MultiIndex.from_tuples([("Webinars", T(d)) for d in spend_days]))
    window = ReportingWindow(T("2026-07-01"), T("2026-09-30"), T(as_of), 0)
    return line, PacingBasis(window, "linear", 1.1, spend, {"Webinars": 14})


def test_before_its_first_spend_a_lumpy_line_waits_a_cycle() -> None:
    """The line starts on 14 August, the day after a webinar (13 August, before the line: it pays for 13-26
    August). As of 26 August no webinar has fallen in the line, and its first fortnight (14-27 August) still runs
    (26 − 14 + 1 = 13 days < 14): Not started, nothing expected (day by day: 13 days, 1,300 expected, Under pace)."""
    line, basis = _basis("2026-08-26", ["2026-08-13"])
    waiting = pace_lines(line, basis).iloc[0]
    assert (waiting["Paced to"], waiting["Elapsed days"], waiting["Expected to date"]) == (T("2026-08-13"), 0, 0.0)
    assert waiting["Status"] == NOT_STARTED and math.isnan(waiting["Pace"])
    assert waiting["Remaining days"] == 48  # 14 August to 30 September: all of them
    day_by_day = pace_lines(line, PacingBasis(basis.window, "linear", 1.1, basis.daily_spend)).iloc[0]
    assert (day_by_day["Elapsed days"], day_by_day["Expected to date"], day_by_day["Status"]) == (13, 1300.0, UNDER)


def test_a_whole_cycle_without_a_spend_is_under_pace() -> None:
    """As of 27 August the webinar due that day has not come: 14 days of the line without a spend (27 − 14 + 1 = 14,
    not below the cycle), judged day by day: 1,400 expected, nothing spent, Under pace."""
    line, basis = _basis("2026-08-27", ["2026-08-13"])
    late = pace_lines(line, basis).iloc[0]
    assert (late["Paced to"], late["Elapsed days"], late["Expected to date"]) == (T("2026-08-27"), 14, 1400.0)
    assert (late["Pace"], late["Status"]) == (0.0, UNDER)


def test_a_lumpy_line_not_started_stays_not_started() -> None:
    """A line starting after Report as of (14 August, as of 13 August, a webinar that day) has no day to date, even
    though that webinar pays for days of it."""
    line, basis = _basis("2026-08-13", ["2026-07-30", "2026-08-13"])
    early = pace_lines(line, basis).iloc[0]
    assert (early["Elapsed days"], early["Expected to date"], early["Status"]) == (0, 0.0, NOT_STARTED)
    assert pd.isna(early["Last spend day"])


def _pacing_rows(report: Path, data_only: bool = False) -> tuple[list[str], dict[int, dict[str, object]]]:
    """Budget Pacing's headers (row 4) and its line rows by Excel row: 5 Google Ads, 6 Webinars."""
    ws = openpyxl.load_workbook(report, data_only=data_only)["Budget Pacing"]
    headers = [c.value for c in ws[4]]
    lines = ws.iter_rows(min_row=5, max_row=6)
    rows = {r[0].row: dict(zip(headers, (c.value for c in r), strict=False)) for r in lines}
    return headers, rows


def test_the_budget_pacing_formulas_pace_the_webinars_over_their_cycle(tmp_path: Path, as_of) -> None:
    """The Webinars row (row 6) reads its cycle, a built number, and its last spend day from the Actuals; its
    Elapsed days count to its Paced to. The Google Ads row (row 5) keeps the day-by-day formulas."""
    intake, _ = as_of(8, 27)
    report = build_report(intake, tmp_path / "report.xlsx")
    headers, rows = _pacing_rows(report)
    assert headers[-3:] == ["Spend cycle (days, built)", "Last spend day", "Paced to"]
    google, web = rows[5], rows[6]
    assert web["Spend cycle (days, built)"] == 14  # a number, not a formula
    assert web["Last spend day"].startswith("=IF(_xlfn.MAXIFS(ActualsDate,ActualsChannelKey,")
    assert (
        ',ActualsSpend,">0",ActualsDate,">="&MAX(B6,PeriodStart),ActualsDate,"<="&MIN(C6,ReportAsOf))>0'
        in (web["Last spend day"])
    )
    assert web["Paced to"] == (
        "=IF(ISNUMBER(S6),MIN(MIN(C6,PeriodEnd),MAX(MIN(C6,ReportAsOf),S6+R6-1)),"
        "IF(AND(ReportAsOf-MAX(B6,PeriodStart)+1<R6,ReportAsOf<MIN(C6,PeriodEnd)),MAX(B6,PeriodStart)-1,"
        "MIN(C6,ReportAsOf)))"
    )
    assert web["Elapsed days"] == "=MAX(0,T6-MAX(B6,PeriodStart)+1)"
    assert google["Elapsed days"] == "=MAX(0,MIN(C5,ReportAsOf)-MAX(B5,PeriodStart)+1)"
    assert "T5" not in google["Expected to date"] and google["Spend cycle (days, built)"] is None
    _, cached = _pacing_rows(report, data_only=True)
    assert (cached[5]["Channel"], cached[6]["Channel"]) == ("Google Ads", "Webinars")
    assert (cached[6]["Last spend day"], cached[6]["Paced to"]) == (dt.datetime(2026, 8, 27), dt.datetime(2026, 9, 9))
    assert cached[6]["Pace"] == pytest.approx(5000 / (6500 * 71 / 92))
    assert cached[6]["Status"] == ON


def test_a_report_without_a_lumpy_line_has_no_cycle_columns(tmp_path: Path) -> None:
    data = lumpy_data()
    data["Actuals"] = [r for r in data["Actuals"] if r["Channel"] == "Google Ads"]
    report = build_report(load_intake(write_intake(tmp_path / "daily.xlsx", data)), tmp_path / "report.xlsx")
    headers, _ = _pacing_rows(report)
    assert headers[-1] == "Planned per day"
