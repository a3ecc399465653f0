"""One answer to "are we on budget?": the total pace, worked out by hand, and the same answer in every place.

The total pace (docs/metrics.md, "Budget pacing") is all spend from Period start to Report as of, every
channel, divided by the budget to date: the sum of every budget line's expected spend to date, counted from
the later of the line's start and Period start. Budget Pacing's total (its lines, clipped to the same days,
plus one Unbudgeted row per channel with spend outside its lines) equals the KPI Framework's Spend; the Spend
status, the Dashboard, the roll-up, the framework text and ``--json`` follow it; the plan for the rest of the period
keeps the spend within what is left, channel by channel.

The small intake below, in short (S = Oct 1 2026, E = Oct 31, A = Oct 10: D = 31, d = 10):

    Budget (row)  channel  line              planned  per day  days in the period (F..G)
    2             Search   Sep 16 - Oct 15     3,000      100  Oct 1 - Oct 15 (15 of its 30 days)
    3             Search   Oct 16 - Oct 31     1,600      100  Oct 16 - Oct 31 (not started by Oct 10)
    4             Social   Oct 5 - Oct 31      2,700      100  Oct 5 - Oct 31 (27 days)
    (none)        Display

    Actuals: Search 90 a day Sep 16-30 (before the period) and 120 a day Oct 1-10; Social 50 a day Oct 1-10
    (Oct 1-4 before its line starts); Display 150 on Oct 3 and Oct 4 (no line at all) and rows of 0 spend Oct 5-10
    (it paused; its rows run to Report as of, so it does not lag); Blog leads only.
    Targets: Spend 6,200 (blank Channel).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mops_xl import analyse, build_report, load_intake, write_intake
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.budget.pacing import (
    NO_BUDGET,
    NO_DATA,
    NOT_STARTED,
    ON,
    OVER,
    UNDER,
    budget_lines,
    total_pacing,
    unbudgeted_spend,
)

ROOT = Path(__file__).resolve().parents[1]
D = dt.date


def _days(first: D, last: D) -> list[D]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def pace_data() -> dict[str, Any]:
    """The small intake of the module docstring."""
    actuals = [
        {"Date": day, "Channel": "Search", "Spend": 90, "Leads": 1} for day in _days(D(2026, 9, 16), D(2026, 9, 30))
    ]
    for day in _days(D(2026, 10, 1), D(2026, 10, 10)):
        actuals.append({"Date": day, "Channel": "Search", "Spend": 120, "Leads": 2})
        actuals.append({"Date": day, "Channel": "Social", "Spend": 50, "Leads": 1})
        actuals.append({"Date": day, "Channel": "Blog", "Leads": 3})
    actuals += [{"Date": D(2026, 10, day), "Channel": "Display", "Spend": 150} for day in (3, 4)]
    actuals += [{"Date": D(2026, 10, day), "Channel": "Display", "Spend": 0} for day in range(5, 11)]
    return {
        "Business": {
            "Business name": "Pace Ltd",
            "Period start": D(2026, 10, 1),
            "Period end": D(2026, 10, 31),
            "Report as of": D(2026, 10, 10),
        },
        "Channels": [
            {"Channel": "Search", "Paid": True, "Owner": "Ana"},
            {"Channel": "Social", "Paid": True},
            {"Channel": "Display", "Paid": True},
            {"Channel": "Blog", "Paid": False},
        ],
        "Budget": [
            {"Channel": "Search", "Period start": D(2026, 9, 16), "Period end": D(2026, 10, 15), "Planned spend": 3000},
            {
                "Channel": "Search",
                "Period start": D(2026, 10, 16),
                "Period end": D(2026, 10, 31),
                "Planned spend": 1600,
            },
            {"Channel": "Social", "Period start": D(2026, 10, 5), "Period end": D(2026, 10, 31), "Planned spend": 2700},
        ],
        "Actuals": actuals,
        "Targets": [{"Metric": "Spend", "Target": 6200}],
    }


# --- the hand-worked figures ------------------------------------------------------------------------------

# Search, Sep 16 - Oct 15 (L = 30): its days in the period are Oct 1-15; elapsed Oct 1-10 = 10 days.
SEARCH_EXPECTED = 3000 * 10 / 30  # 1,000 (not 3,000 x 25 / 30 = 2,500: Sep 16-30 is not this period's)
SEARCH_ACTUAL = 120 * 10  # 1,200: Oct 1-10 only, the 15 x 90 = 1,350 of September left out
SEARCH_BUDGET = 3000 * 15 / 30  # 1,500 for the period
SEARCH_PROJECTED = 1200 / 10 * 15  # 1,800 over Oct 1-15 at 120 a day
# Search, Oct 16-31: not started; budget for the period 1,600.
# Social, Oct 5-31 (L = 27): elapsed Oct 5-10 = 6 days.
SOCIAL_EXPECTED = 2700 * 6 / 27  # 600
SOCIAL_ACTUAL = 50 * 6  # 300 (Oct 5-10)
# Unbudgeted: Search 0 (Oct 1-10 is covered), Social Oct 1-4 = 4 x 50, Display Oct 3-4 = 2 x 150.
UNBUDGETED = {"Search": 0, "Social": 4 * 50, "Display": 2 * 150}  # 0, 200, 300
SPEND = 120 * 10 + 50 * 10 + 150 * 2  # 2,000: every channel, Oct 1-10
BUDGET_TO_DATE = SEARCH_EXPECTED + 0 + SOCIAL_EXPECTED  # 1,600
BUDGET = SEARCH_BUDGET + 1600 + 2700  # 5,800
PACE = SPEND / BUDGET_TO_DATE  # 1.25 > 110 %: Over pace
PROJECTED = SPEND * 31 / 10  # 6,200
OVERSPEND = PROJECTED - BUDGET  # 400
DAILY_TO_LAND = (BUDGET - SPEND) / 21  # 3,800 over Oct 11-31 = 180.95


def test_the_hand_worked_figures_add_up() -> None:
    assert SEARCH_ACTUAL + SOCIAL_ACTUAL + sum(UNBUDGETED.values()) == SPEND  # 1,200 + 300 + 500
    assert (BUDGET_TO_DATE, BUDGET, PACE, OVERSPEND) == (1600, 5800, 1.25, 400)


@pytest.fixture(scope="module")
def pace_intake(tmp_path_factory: pytest.TempPathFactory):
    return load_intake(write_intake(tmp_path_factory.mktemp("pace") / "pace.xlsx", pace_data()))


@pytest.fixture(scope="module")
def pace_analysis(pace_intake):
    return analyse(pace_intake)


def test_lines_are_paced_over_their_days_in_the_period(pace_analysis) -> None:
    lines = pace_analysis.pacing_lines
    search, later, social = (lines.loc[row] for row in (2, 3, 4))
    assert search["Elapsed days"] == 10 and search["Expected to date"] == pytest.approx(SEARCH_EXPECTED)
    assert search["Actual"] == pytest.approx(SEARCH_ACTUAL) and search["Pace"] == pytest.approx(1.2)
    assert search["Status"] == OVER  # 1,200 / 1,000 = 120 % > 110 %
    assert search["Budget for period"] == pytest.approx(SEARCH_BUDGET)
    assert search["At today's pace"] == pytest.approx(SEARCH_PROJECTED)
    assert search["Variance"] == pytest.approx(1800 - 1500)  # projected - budget for the period
    assert search["Left on this line"] == pytest.approx(1500 - 1200) and search["Remaining days"] == 15 - 10
    assert search["Daily spend to land on budget"] == pytest.approx(300 / 5)
    assert later["Status"] == NOT_STARTED and later["Expected to date"] == 0 and later["Actual"] == 0
    assert social["Expected to date"] == pytest.approx(SOCIAL_EXPECTED)
    assert social["Actual"] == pytest.approx(SOCIAL_ACTUAL) and social["Status"] == UNDER  # 300 / 600 = 50 %
    assert [line["Planned per day"] for line in (search, later, social)] == pytest.approx([100, 100, 100])


def test_the_total_pace(pace_analysis) -> None:
    a = pace_analysis
    total = a.total_pacing
    assert total.spend == pytest.approx(SPEND) and total.expected == pytest.approx(BUDGET_TO_DATE)
    assert total.budget == pytest.approx(BUDGET) and total.pace == pytest.approx(PACE)
    assert total.status == OVER
    assert total.budgeted_spend == pytest.approx(SEARCH_ACTUAL + SOCIAL_ACTUAL)
    assert total.unbudgeted == pytest.approx(200 + 300)
    assert total.projected == pytest.approx(PROJECTED) and total.projected_overspend == pytest.approx(OVERSPEND)
    assert total.remaining_days == 21 and total.daily_to_land == pytest.approx(DAILY_TO_LAND)
    assert a.unbudgeted.to_dict() == pytest.approx({"Social": 200, "Display": 300})
    spend = a.kpis.loc["Spend"]
    assert (spend["Target"], spend["Target to date"], spend["Actual"]) == pytest.approx((BUDGET, 1600, SPEND))
    assert spend["Attainment"] == pytest.approx(PACE) and spend["Status"] == OVER
    # Spend vs target: 6,200 x 10 / 31 = 2,000 to date; 2,000 / 2,000 = 100 %: On pace (another question)
    vs_target = a.kpis.loc["Spend vs target"]
    assert vs_target["Target to date"] == pytest.approx(6200 * 10 / 31) and vs_target["Attainment"] == pytest.approx(1)
    assert vs_target["Status"] == ON
    # lines and channels keep their own paces: Search 120 % Over pace, Social 50 % Under pace
    assert a.channels.loc["Search", "Pacing status"] == OVER and a.channels.loc["Social", "Pacing status"] == UNDER
    assert a.channels.loc["Display", "Pacing status"] == NO_BUDGET
    assert {w["subject"] for w in a.warnings} == {"Social"}  # underspending; the total is over
    # Data Notes say the line starting before Period start is paced from Oct 1: 3,000 x 15 / 30 in the period
    notes = [n["note"] for n in a.notes if n["subject"] == "Search"]
    assert any("paced from 1 Oct 2026, with $1,500 of its $3,000 in the period" in n for n in notes)


def test_the_plan_spreads_the_over_pace_total_over_named_channels(pace_analysis) -> None:
    """Over pace in total (125 %), the plan for the rest of the period (R = 31 − 10 = 21 days) keeps the spend
    within what is left, 5,800 − 2,000 = 3,800, channel by channel; no "All channels" action says "cut everything".

    Current daily spend over the trend window (Oct 4-10, 7 days) and the best day of it: Search 120 and 120, Social
    50 and 50, Display 150 (Oct 4) ÷ 7 = 21.43 and 150. No channel has a target of its own or a business ROAS, CAC
    or CPL target: none is judged, none gives for its efficiency, none may receive. Each wishes its remaining budget,
    as much as it can spend: Search min(3,100 − 1,200, 120 × 21) = 1,900; Social min(2,700 − 500, 50 × 21) = 1,050;
    Display (no line, remaining 0) nothing. 1,900 + 1,050 = 2,950 ≤ 3,800: nothing is cut, and the 850 to spare has
    no channel to go to: returned unspent. Social gives 2,200 − 1,050 = 1,150: 300 against the overspend to date
    (Display's 300 without a budget line), 850 returned unspent."""
    a = pace_analysis
    plan = a.plan
    assert (plan.days_left, plan.left, plan.planned) == (21, pytest.approx(5800 - 2000), pytest.approx(1900 + 1050))
    assert plan.returned_unspent == pytest.approx(3800 - 2950)
    r = a.recommendations.set_index("Subject")
    assert "All channels" not in r.index and set(r.index) == {"Search", "Social", "Display", "Blog"}
    # Search plans 1,900 ÷ 21 = 90.48 a day against 120 now (more than 10 % less): Throttle
    assert r.loc["Search", "Action"] == "Throttle"
    assert r.loc["Search", "Planned daily spend"] == pytest.approx(1900 / 21)
    assert r.loc["Search", "Money at stake"] == pytest.approx(120 * 21 - 1900)  # 620 less spend by Oct 31
    # Display spends without a budget line and plans nothing: Pause; 150 ÷ 7 × 21 = 450 less spend
    assert r.loc["Display", "Action"] == "Pause" and r.loc["Display", "Planned rest of period"] == 0
    assert r.loc["Display", "Money at stake"] == pytest.approx(150 / 7 * 21)
    # Social keeps its 50 a day and gives what it cannot spend; it has no target to be judged by (Free budget is
    # for an underperformer): Not enough data
    assert r.loc["Social", "Action"] == "Not enough data"
    assert r.loc["Social", "Budget to move this period"] == pytest.approx(1050 - 2200)
    assert r.loc["Social", "Funding"] == "gives $300 against the overspend to date; $850 returned unspent"
    moves = [(m["From"], m["To"], m["Budget to move this period"]) for _, m in a.reallocation.iterrows()]
    assert moves == [("Social", "Overspend to date", 300), ("Social", "Returned unspent", 850)]
    # spend outside any budget line is a decision for leadership: Display 300, Social 200 (Oct 1-4, before its line)
    d = a.decisions_needed
    assert list(zip(d["Subject"], d["Money at stake"], strict=True)) == [("Display", 300), ("Social", 200)]


# --- the report: the same figures as formulas, cached and recalculated ---------------------------------------


def _table(ws, key: str, header_row: int = 4) -> list[dict[str, Any]]:
    """The rows of the table whose header row is ``header_row``, as header → value, up to a blank key cell."""
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    header = list(rows[0])
    out = []
    for row in rows[1:]:
        if row[header.index(key)] is None:
            break
        out.append(dict(zip(header, row, strict=False)))
    return out


#: The Dashboard's spend panel (under the KPI boxes, which have a Status row of their own).
PANEL = "Spend vs budget to date"


def _pair(ws, label: str, after: str | None = None) -> Any:
    """The value right of the first cell (row by row) holding ``label``, in or under the row holding ``after``."""
    rows = list(ws.iter_rows(values_only=True))
    if after is not None:
        rows = rows[next(i for i, row in enumerate(rows) if after in row) :]
    for row in rows:
        if label in row:
            return row[row.index(label) + 1]
    raise KeyError(label)


def _chart_point(ws, day: dt.datetime, column: str) -> Any:
    """A value of the Dashboard's day-by-day chart data."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:3] == ("Date", "Cumulative spend", "Budget to date"))
    for r in rows[top + 1 :]:
        if r[0] == day:
            return r[("Date", "Cumulative spend", "Budget to date").index(column)]
    raise KeyError(day)


def _report_mismatches(wb: openpyxl.Workbook) -> list[str]:
    """Every figure of the small intake's report that differs from its hand-worked value."""
    wrong: list[str] = []

    def check(what: str, got: Any, expected: Any) -> None:
        ok = (
            got == expected
            if isinstance(expected, str)
            else isinstance(got, (int, float)) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9)
        )
        if not ok:
            wrong.append(f"{what}: expected {expected!r}, got {got!r}")

    pacing = _table(wb["Budget Pacing"], "Channel")
    lines = [r for r in pacing if r["Status"] != "Unbudgeted" and r["Channel"] != "All channels"]
    search = next(r for r in lines if r["Channel"] == "Search" and r["Status"] != NOT_STARTED)
    check("Search line expected", search["Expected to date"], SEARCH_EXPECTED)
    check("Search line actual", search["Actual"], SEARCH_ACTUAL)
    check("Search line budget for period", search["Budget for period"], SEARCH_BUDGET)
    check("Search line projected", search["At today's pace"], SEARCH_PROJECTED)
    check("Search line status", search["Status"], OVER)
    check("Search line left on this line", search["Left on this line"], SEARCH_BUDGET - SEARCH_ACTUAL)  # 300
    social = next(r for r in lines if r["Channel"] == "Social")
    check("Social line actual", social["Actual"], SOCIAL_ACTUAL)
    check("Social line status", social["Status"], UNDER)
    unbudgeted = {r["Channel"]: r["Actual"] for r in pacing if r["Status"] == "Unbudgeted"}
    # one row per channel with spend outside its lines: Social 4 x 50 = 200, Display 2 x 150 = 300; not Search
    # (its 120 a day Oct 1-10 all falls in its Sep 16 - Oct 15 line: 1,200 - 1,200 = 0), not Blog (no spend)
    if list(unbudgeted) != ["Social", "Display"]:  # in the Channels sheet's order
        wrong.append(f"Unbudgeted rows: {list(unbudgeted)}")
    for channel, amount in UNBUDGETED.items():
        if amount:
            check(f"Unbudgeted {channel}", unbudgeted.get(channel), amount)
    # the total is the lines' actuals plus the Unbudgeted rows: 1,200 + 0 (Search, Oct 16-31) + 300 + 200 + 300
    check("lines and unbudgeted rows", sum(r["Actual"] for r in pacing[:-1]), 1200 + 0 + 300 + 200 + 300)
    total = pacing[-1]
    check("total label", total["Channel"], "All channels")
    check("total actual", total["Actual"], SPEND)
    check("total expected", total["Expected to date"], BUDGET_TO_DATE)
    check("total budget for period", total["Budget for period"], BUDGET)
    check("total pace", total["Pace"], PACE)
    check("total status", total["Status"], OVER)
    kpi = {r["Metric"]: r for r in _table(wb["KPI Framework"], "Metric")}
    for column, expected in (
        ("Target", BUDGET),
        ("Target to date", BUDGET_TO_DATE),
        ("Actual", SPEND),
        ("Attainment", PACE),
        ("Status", OVER),
    ):
        check(f"KPI Spend {column}", kpi["Spend"][column], expected)
    check("KPI Spend equals Budget Pacing's total", kpi["Spend"]["Actual"], total["Actual"])
    check("KPI Spend vs target, target to date", kpi["Spend vs target"]["Target to date"], 6200 * 10 / 31)
    check("KPI Spend vs target, status", kpi["Spend vs target"]["Status"], ON)
    dash = wb["Dashboard"]
    for label, expected in (("Spend to date", SPEND), ("Budget to date", BUDGET_TO_DATE), ("Pace", PACE)):
        check(f"Dashboard {label}", _pair(dash, label), expected)
    # the spend panel's Status (issue 28: the KPI boxes, with their own Status row, come first on page 1 now)
    check("Dashboard Status", _pair(dash, "Status", PANEL), OVER)
    check("Dashboard Left to spend", _pair(dash, "Left to spend"), BUDGET - SPEND)  # 3,800
    # budget to date day by day: Oct 1 only Search's 100; Oct 10 = 10 x 100 + 6 x 100; Oct 31 = the 5,800
    check("chart Oct 1", _chart_point(wb["Chart data"], dt.datetime(2026, 10, 1), "Budget to date"), 100)
    check("chart Oct 10", _chart_point(wb["Chart data"], dt.datetime(2026, 10, 10), "Budget to date"), BUDGET_TO_DATE)
    check("chart Oct 10 spend", _chart_point(wb["Chart data"], dt.datetime(2026, 10, 10), "Cumulative spend"), SPEND)
    check("chart Oct 31", _chart_point(wb["Chart data"], dt.datetime(2026, 10, 31), "Budget to date"), BUDGET)
    return wrong


@pytest.fixture(scope="module")
def pace_report(pace_intake, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(pace_intake, tmp_path_factory.mktemp("pace-report") / "pace-report.xlsx")


@pytest.mark.slow
def test_the_report_caches_the_hand_worked_pace(pace_report: Path) -> None:
    assert _report_mismatches(openpyxl.load_workbook(pace_report, data_only=True)) == []


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_hand_worked_pace(pace_report: Path, tmp_path: Path) -> None:
    """Recalculated, every formula gives the engine's value, and the figures are the hand-worked ones."""
    from mops_xl.outputs.libreoffice import recalculate

    out = recalculate([pace_report], tmp_path / "out")[0]
    formulas = openpyxl.load_workbook(pace_report)
    cached = openpyxl.load_workbook(pace_report, data_only=True)
    fresh = openpyxl.load_workbook(out, data_only=True)
    differ = []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    exp, got = cached[ws.title][cell.coordinate].value, fresh[ws.title][cell.coordinate].value
                    same = (
                        math.isclose(exp, got, rel_tol=1e-9, abs_tol=1e-9)
                        if isinstance(exp, (int, float)) and isinstance(got, (int, float))
                        else exp == got
                    )
                    if not same:
                        differ.append(f"{ws.title}!{cell.coordinate}: engine {exp!r}, LibreOffice {got!r}")
    assert differ == []
    assert _report_mismatches(fresh) == []


# --- the local sample: no longer a green "On pace" -----------------------------------------------------------


def _intake_spend(sample: str, first: dt.datetime, last: dt.datetime) -> dict[str, float]:
    """Σ Spend per channel of a sample's Actuals sheet from ``first`` to ``last``, read from the cells."""
    ws = openpyxl.load_workbook(ROOT / "samples" / f"{sample}.xlsx", read_only=True)["Actuals"]
    rows = ws.iter_rows(values_only=True)
    header = next(rows)
    date, channel, spend = (header.index(h) for h in ("Date", "Channel", "Spend"))
    out: dict[str, float] = {}
    for r in rows:
        if r[date] is not None and first <= r[date] <= last:
            out[r[channel]] = out.get(r[channel], 0.0) + float(r[spend] or 0)
    return out


@pytest.mark.slow
def test_the_local_sample_spends_over_pace_and_plans_nothing_more() -> None:
    """samples/source/local.toml: Google Search Ads has the only budget line, 1,950 for Nov 1-30 (30 days);
    Report as of Nov 22 (d = 22): budget to date 1,950 x 22 / 30 = 1,430. Facebook Ads has no line: its spend
    is unbudgeted. All spend Nov 1-22 (summed from the Actuals cells) ÷ 1,430 is 137.7 %: Over pace, not the
    green "On pace" of the lone line. More than the 1,950 is already spent: left to spend 0, so every channel plans
    nothing more (no "All channels" action)."""
    a = analyse(load_intake(ROOT / "samples" / "local.xlsx"))
    spent = _intake_spend("local", dt.datetime(2026, 11, 1), dt.datetime(2026, 11, 22))
    spend = sum(spent.values())
    budget_to_date = 1950 * 22 / 30  # 1,430
    assert spend / budget_to_date == pytest.approx(1.377, abs=5e-4)  # the 137.7 %
    k = a.kpis.loc["Spend"]
    assert k["Target to date"] == pytest.approx(budget_to_date) and k["Attainment"] == pytest.approx(spend / 1430)
    assert k["Status"] == OVER
    assert a.unbudgeted.to_dict() == pytest.approx({"Facebook Ads": spent["Facebook Ads"]})
    line = a.pacing_lines.iloc[0]
    assert line["Actual"] == pytest.approx(spent["Google Search Ads"]) and line["Status"] == ON  # its own pace
    assert "All channels" not in set(a.recommendations["Subject"])
    assert spend > 1950 and a.plan.left == max(0.0, 1950 - spend) == 0
    assert (a.plan.table["Planned rest of period"] == 0).all()
    assert "the period's budget is spent" in a.plan.table.loc["Facebook Ads", "Reason"]


# --- saas and d2c: one answer in every place -----------------------------------------------------------------

#: Budget to date worked out from samples/source/*.toml.
#: saas (Q3: S = Jul 1, E = Sep 30, A = Sep 10, d = 72 of D = 92): Google Ads 52,000 and LinkedIn Ads 55,000 over
#: Jul 1 - Sep 30 (92 days, 72 elapsed); Webinars 12,500 over Aug 1 - Sep 30 (61 days, Aug 1 - Sep 10 = 41
#: elapsed); the Apr-Jun Google Ads line does not overlap the period.
#: d2c (October: A = Oct 24, d = 24 of 31): Meta 79,000, Google Shopping 52,000, TikTok 28,000, Email & SMS 1,700
#: over Oct 1-31; Influencers 12,000 from Oct 26 has not started (0 expected).
SAMPLES = {
    "saas": (
        (52000 + 55000) * 72 / 92 + 12500 * 41 / 61,  # 83,739.13 + 8,401.64 = 92,140.77
        (dt.datetime(2026, 7, 1), dt.datetime(2026, 9, 10)),
        52000 + 55000 + 12500,
    ),
    "d2c": (
        (79000 + 52000 + 28000 + 1700) * 24 / 31 + 0,  # 124,412.90
        (dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 24)),
        79000 + 52000 + 28000 + 1700 + 12000,
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLES)
def test_are_we_on_budget_has_one_answer_in_every_place(sample: str, tmp_path: Path) -> None:
    """Read the total pace from the KPI Framework, Budget Pacing, the Dashboard, the JSON document, the
    roll-up and the framework text of a batch build: every place gives the hand-worked figures."""
    from mops_xl.batch import write_rollup
    from mops_xl.batch.task import build_one

    budget_to_date, (first, last), budget = SAMPLES[sample]
    spend = sum(_intake_spend(sample, first, last).values())
    pace = spend / budget_to_date
    status = OVER if pace > 1.1 else UNDER if pace < 0.9 else ON  # default Overspending threshold 110 %
    result = build_one(ROOT / "samples" / f"{sample}.xlsx", tmp_path)
    assert result.status == "built", result.message
    wb = openpyxl.load_workbook(result.report, data_only=True)
    kpi = {r["Metric"]: r for r in _table(wb["KPI Framework"], "Metric")}["Spend"]
    total = _table(wb["Budget Pacing"], "Channel")[-1]
    dash = wb["Dashboard"]
    doc = json.loads(json.dumps(result.document, allow_nan=False))
    doc_kpi = next(k for k in doc["kpis"] if k["Metric"] == "Spend")
    rollup = openpyxl.load_workbook(write_rollup([result], tmp_path / "rollup.xlsx"))["Roll-up"]
    roll = dict(zip([c.value for c in rollup[1]], [c.value for c in rollup[2]], strict=True))
    places = {
        "KPI Framework": (kpi["Actual"], kpi["Target to date"], kpi["Attainment"], kpi["Status"]),
        "Budget Pacing": (total["Actual"], total["Expected to date"], total["Pace"], total["Status"]),
        "Dashboard": tuple(_pair(dash, x, PANEL) for x in ("Spend to date", "Budget to date", "Pace", "Status")),
        "JSON kpis": (doc_kpi["Actual"], doc_kpi["Target to date"], doc_kpi["Attainment"], doc_kpi["Status"]),
        "JSON total_pacing": tuple(doc["total_pacing"][k] for k in ("spend", "expected", "pace", "status")),
        "Roll-up": (roll["Spend"], budget_to_date, roll["Pace"], roll["Spend status"]),
    }
    for place, (got_spend, got_budget, got_pace, got_status) in places.items():
        assert got_spend == pytest.approx(spend), place
        assert got_budget == pytest.approx(budget_to_date), place
        assert got_pace == pytest.approx(pace), place
        assert got_status == status, place
    assert kpi["Target"] == pytest.approx(budget) and total["Budget for period"] == pytest.approx(budget)
    assert "All channels" not in {r["Subject"] for r in doc["recommendations"]}
    # how much is left: the budget for the period less all spend to date, on the Dashboard
    assert _pair(dash, "Left to spend") == pytest.approx(max(0.0, budget - spend))
    framework = result.report.with_name(f"{sample}-framework.txt").read_text(encoding="utf-8")
    assert f"(pace {pace:.1%}): {status}" in framework  # one decimal, like every percentage of the report


# --- a property: the total status follows its thresholds, and the sheet's total adds up ------------------------

S, E = pd.Timestamp(2026, 10, 1), pd.Timestamp(2026, 10, 31)
money = st.integers(min_value=0, max_value=10**7).map(lambda cents: cents / 100)


@st.composite
def budgets_and_actuals(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.Timestamp, float]:
    """Up to three channels, each with non-overlapping lines from 40 days before S to 40 after E, and spend
    on days from 40 days before S to E; a Report as of in the period; an Overspending threshold."""
    lines, spend = [], []
    for channel in draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3, unique=True)):
        start = S - pd.Timedelta(days=draw(st.integers(0, 40)))
        for _ in range(draw(st.integers(0, 3))):
            end = start + pd.Timedelta(days=draw(st.integers(0, 40)))
            lines.append({"Channel": channel, "Period start": start, "Period end": end, "Planned spend": draw(money)})
            start = end + pd.Timedelta(days=draw(st.integers(1, 10)))
        for offset in draw(st.lists(st.integers(-40, 30), max_size=15, unique=True)):
            spend.append({"Channel": channel, "Date": S + pd.Timedelta(days=offset), "Spend": draw(money)})
    budget = pd.DataFrame(lines, columns=["Channel", "Period start", "Period end", "Planned spend"])
    budget.index = range(2, len(budget) + 2)
    actuals = pd.DataFrame(spend, columns=["Channel", "Date", "Spend"])
    as_of = S + pd.Timedelta(days=draw(st.integers(0, 30)))
    return budget, actuals, as_of, draw(st.sampled_from([1.05, 1.1, 1.25]))


@pytest.mark.slow
@given(budgets_and_actuals(), st.sampled_from(["linear", "weekdays"]))
def test_total_status_follows_its_thresholds_and_the_total_adds_up(case, method: str) -> None:
    budget, actuals, as_of, over = case
    window = ReportingWindow(S, E, as_of)
    rows = actuals[(actuals["Date"] >= S) & (actuals["Date"] <= as_of)]
    spend = float(rows["Spend"].sum())
    lines = budget_lines(budget, actuals, window, method, over)
    total = total_pacing(lines, spend, window, method, over, has_data=not rows.empty)
    # the sheet's total: the lines' actuals plus each channel's unbudgeted spend = all spend to date
    unbudgeted = unbudgeted_spend(budget, actuals, window)
    assert float(lines["Actual"].sum()) + float(unbudgeted.sum()) == pytest.approx(spend, rel=1e-9, abs=1e-6)
    assert total.unbudgeted == pytest.approx(float(unbudgeted.sum()), rel=1e-9, abs=1e-6)
    if lines.empty:
        assert total.status == NO_BUDGET
        return
    assert total.expected == pytest.approx(float(lines["Expected to date"].sum()))
    if rows.empty:
        assert total.status == NO_DATA
    elif total.expected > 0:
        pace = spend / total.expected
        assert total.pace == pytest.approx(pace)
        if pace > over:  # spend above the overspending threshold is never "On pace"
            assert total.status == OVER
        elif pace < 2 - over:
            assert total.status == UNDER
        else:
            assert total.status == ON
    else:
        assert math.isnan(total.pace) and total.status in (OVER, ON, NOT_STARTED)


# --- edge intakes: the total pace recalculates to the engine's value whatever the budget looks like ------------


def _edge(change) -> dict[str, Any]:
    data = pace_data()
    change(data)
    return data


def _no_budget(data: dict[str, Any]) -> None:
    data["Budget"] = [
        {"Channel": "Search", "Period start": D(2026, 11, 1), "Period end": D(2026, 11, 30), "Planned spend": 1}
    ]


def _weekdays_across_the_period(data: dict[str, Any]) -> None:
    data["Settings"] = {"Pacing method": "weekdays"}
    data["Budget"][1]["Period end"] = D(2026, 11, 20)  # the later Search line now runs past Period end


def _nothing_started(data: dict[str, Any]) -> None:
    data["Budget"] = [data["Budget"][1]]  # only the Oct 16 - 31 line: nothing expected by Oct 10


def _zero_budget(data: dict[str, Any]) -> None:
    for line in data["Budget"]:
        line["Planned spend"] = 0


def _no_data(data: dict[str, Any]) -> None:
    data["Business"]["Report as of"] = D(2026, 10, 20)
    data["Actuals"] = [r for r in data["Actuals"] if r["Date"] < D(2026, 10, 1)]


#: name -> (change, the total status worked out by hand)
EDGES = {
    "no budget line in the period": (_no_budget, NO_BUDGET),  # the only line is in November
    # Oct 1 2026 is a Thursday. Search Sep 16 (Wed) - Oct 15 has 11 + 11 = 22 weekdays, 7 of them Oct 1-10
    # (Thu 1, Fri 2, Mon 5 - Fri 9; Oct 10 is a Saturday): 3,000 x 7 / 22 = 954.55; Social Oct 5 - 31 has 20
    # weekdays, 5 of them Oct 5-10: 2,700 x 5 / 20 = 675; 2,000 / 1,629.55 = 123 %
    "weekdays, a line across Period end": (_weekdays_across_the_period, OVER),
    "no line started": (_nothing_started, NOT_STARTED),
    "every line plans 0": (_zero_budget, OVER),  # spend against a zero budget
    "no Actuals in the window": (_no_data, NO_DATA),
}


@pytest.mark.libreoffice
def test_edge_budgets_recalculate_to_the_engine_total(tmp_path: Path) -> None:
    from mops_xl.outputs.libreoffice import recalculate

    built, analyses = [], []
    for i, (change, _) in enumerate(EDGES.values()):
        intake = load_intake(write_intake(tmp_path / f"edge{i}.xlsx", _edge(change)))
        analyses.append(analyse(intake))
        built.append(build_report(intake, tmp_path / f"edge{i}-report.xlsx", analyses[-1]))
    outs = recalculate(built, tmp_path / "out")
    weekdays = analyses[list(EDGES).index("weekdays, a line across Period end")].total_pacing
    assert weekdays.expected == pytest.approx(3000 * 7 / 22 + 2700 * 5 / 20)
    for (name, (_, status)), a, path, out in zip(EDGES.items(), analyses, built, outs, strict=True):
        assert a.total_pacing.status == status, name
        cached, fresh = openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(out, data_only=True)
        for ws in openpyxl.load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    exp, got = cached[ws.title][cell.coordinate].value, fresh[ws.title][cell.coordinate].value
                    same = (
                        math.isclose(exp, got, rel_tol=1e-9, abs_tol=1e-9)
                        if isinstance(exp, (int, float)) and isinstance(got, (int, float))
                        else exp == got
                    )
                    assert same, f"{name}: {ws.title}!{cell.coordinate}: engine {exp!r}, LibreOffice {got!r}"
        total = _table(fresh["Budget Pacing"], "Channel")[-1]
        kpi = {r["Metric"]: r for r in _table(fresh["KPI Framework"], "Metric")}["Spend"]
        assert total["Channel"] == "All channels" and total["Status"] == status == kpi["Status"], name
        assert total["Actual"] == pytest.approx(kpi["Actual"]), name
