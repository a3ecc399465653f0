"""The engine end to end on small intakes whose every expected number is worked out by hand below."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from mops_xl import load_intake, write_intake
from mops_xl.analysis.engine import analyse

D = dt.date


def _days(first: D, last: D) -> list[D]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def example_data() -> dict:
    """October 2026 (D = 31), as of Oct 10 (d = 10); three channels; September for the previous period.

    Per day, Oct 1-10: Search spend 100, impressions 1000, clicks 50, leads 10, MQLs 5, SQLs 2, customers 1,
    revenue 300; Social spend 50, leads 2, customers 0, revenue 0 (it does not track MQLs, SQLs, impressions or
    clicks: those cells are blank); Blog leads 3 (and on Oct 5 one customer with revenue 100).
    Per day, Sep 21-30: Search spend 80, leads 8, customers 1, revenue 200.
    """
    actuals = []
    for day in _days(D(2026, 10, 1), D(2026, 10, 10)):
        actuals.append(
            {
                "Date": day,
                "Channel": "Search",
                "Spend": 100,
                "Impressions": 1000,
                "Clicks": 50,
                "Leads": 10,
                "MQLs": 5,
                "SQLs": 2,
                "Customers": 1,
                "Revenue": 300,
            }
        )
        actuals.append({"Date": day, "Channel": "Social", "Spend": 50, "Leads": 2, "Customers": 0, "Revenue": 0})
        blog = {"Date": day, "Channel": "Blog", "Leads": 3}
        if day == D(2026, 10, 5):
            blog.update(MQLs=1, SQLs=1, Customers=1, Revenue=100)
        actuals.append(blog)
    for day in _days(D(2026, 9, 21), D(2026, 9, 30)):
        actuals.append(
            {
                "Date": day,
                "Channel": "Search",
                "Spend": 80,
                "Leads": 8,
                "MQLs": 8,
                "SQLs": 8,
                "Customers": 1,
                "Revenue": 200,
            }
        )
    return {
        "Business": {
            "Business name": "Hand Worked Ltd",
            "Period start": D(2026, 10, 1),
            "Period end": D(2026, 10, 31),
            "Report as of": D(2026, 10, 10),
            "Customer lifetime value": 1000,
            "MQL score threshold": 65,
        },
        "Settings": {"Data settling days": 3},
        "Channels": [
            {"Channel": "Search", "Paid": True, "Owner": "Ana", "Expected CAC": 100},
            {"Channel": "Social", "Paid": True, "Owner": "Ben"},
            {"Channel": "Blog", "Paid": False},
        ],
        "Budget": [
            {"Channel": "Search", "Period start": D(2026, 10, 1), "Period end": D(2026, 10, 31), "Planned spend": 3100},
            {"Channel": "Social", "Period start": D(2026, 10, 1), "Period end": D(2026, 10, 31), "Planned spend": 620},
        ],
        "Actuals": actuals,
        "Targets": [
            {"Metric": "ROAS", "Channel": "Search", "Target": 2},
            {"Metric": "Leads", "Channel": "Social", "Target": 155},
            {"Metric": "Leads", "Target": 465},
            {"Metric": "CAC", "Target": 150},
        ],
        "Stack": [
            {"Tool": "CRM", "Monthly cost": 365, "Status": "Active"},
            {"Tool": "Old tool", "Monthly cost": 1000, "Status": "Retired"},
        ],
    }


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory):
    path = write_intake(tmp_path_factory.mktemp("engine") / "hand.xlsx", example_data())
    return analyse(load_intake(path))


def test_window(analysis) -> None:
    w = analysis.window
    assert (w.period_days, w.elapsed_days) == (31, 10)
    assert w.previous == (dt.datetime(2026, 9, 21), dt.datetime(2026, 9, 30))
    assert w.provisional_from == dt.datetime(2026, 10, 8)  # the last 3 days: Oct 8, 9, 10


def test_channel_volumes_and_ratios(analysis) -> None:
    ch = analysis.channels
    assert ch.loc["Search", ["Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue"]].tolist() == [
        1000,
        100,
        50,
        20,
        10,
        3000,
    ]
    assert ch.loc["Search", "CPL"] == 10  # 1000 / 100
    assert ch.loc["Search", "CAC"] == 100  # 1000 / 10
    assert ch.loc["Search", "ROAS"] == 3  # 3000 / 1000
    assert ch.loc["Search", "CTR"] == 0.05  # 500 / 10000
    assert ch.loc["Search", "LTV:CAC"] == 10  # 1000 / 100
    assert math.isnan(ch.loc["Social", "CAC"])  # no customers: undefined, not inf
    assert math.isnan(ch.loc["Social", "ROAS"]) is False and ch.loc["Social", "ROAS"] == 0  # revenue 0 / 500
    assert math.isnan(ch.loc["Blog", "ROAS"])  # no spend
    assert math.isnan(ch.loc["Blog", "CAC"])  # 0 spend / 1 customer: nothing spent, no CAC (not 0, issue 28)
    assert ch.loc["Search", "Budget %"] == pytest.approx(3100 / 3720)
    assert ch.loc["Social", "Spend share"] == pytest.approx(500 / 1500)


def test_blended_figures(analysis) -> None:
    b = analysis.blended
    assert b.volumes["Spend"] == 1500 and b.volumes["Customers"] == 11 and b.volumes["Leads"] == 150
    assert b.ratios["CAC"] == pytest.approx(1500 / 11)
    assert b.ratios["ROAS"] == pytest.approx(3000 / 1500)  # paid channels only: Blog's 100 is left out
    assert b.mer == pytest.approx(3100 / 1500)
    # the retired tool is not counted: 365 a month x 12 / 365 per day x 10 days = 120
    assert b.stack_cost == pytest.approx(120)
    assert b.fully_loaded_cac == pytest.approx((1500 + 120) / 11)
    assert b.ltv_to_cac == pytest.approx(1000 / (1500 / 11))


def test_kpi_framework(analysis) -> None:
    k = analysis.kpis
    assert list(k["Metric"]) == [
        "Leads",
        "MQLs",
        "SQLs",
        "Customers",
        "Revenue",
        "Spend",
        "Spend vs target",
        "CPL",
        "CAC",
        "Fully-loaded CAC",
        "LTV:CAC",
        "ROAS",
        "MER",
    ]
    leads = k.loc["Leads"]
    assert leads["Target"] == 465 and leads["Target to date"] == pytest.approx(150)  # 465 x 10 / 31
    assert leads["Actual"] == 150 and leads["Attainment"] == pytest.approx(1.0)
    assert leads["Status"] == "On track"
    assert leads["Previous period"] == 80 and leads["Change"] == pytest.approx(150 / 80 - 1)
    assert "Form fills + demos" in leads["Definition"]
    assert "MQL score threshold: 65" in k.loc["MQLs", "Definition"]
    cac = k.loc["CAC"]  # lower is better: attainment = 150 / (1500 / 11) = 1.1
    assert cac["Attainment"] == pytest.approx(150 / (1500 / 11)) and cac["Status"] == "On track"
    assert cac["Target to date"] == 150  # ratios are not prorated
    assert cac["Previous period"] == pytest.approx(80)  # 800 / 10
    spend = k.loc["Spend"]  # against the budget for the period, 3100 + 620
    # target to date: every line's expected spend to date, 3100 x 10 / 31 + 620 x 10 / 31 = 1000 + 200
    assert spend["Target"] == 3720 and spend["Target to date"] == pytest.approx(1000 + 200)
    assert spend["Attainment"] == pytest.approx(1500 / 1200)  # the total pace: 125 %
    assert spend["Status"] == "Over pace"  # 125 % > 110 %
    assert k.loc["Spend vs target", "Status"] == "No target"  # no Spend row on the Targets sheet
    assert k.loc["MER", "Status"] == "No target" and k.loc["ROAS", "Status"] == "No target"


def test_budget_pacing_lines(analysis) -> None:
    lines = analysis.pacing_lines.set_index("Channel")
    social = lines.loc["Social"]
    assert social["Expected to date"] == pytest.approx(200)  # 620 x 10 / 31
    assert social["Actual"] == 500 and social["Pace"] == pytest.approx(2.5) and social["Status"] == "Over pace"
    assert social["At today's pace"] == pytest.approx(1550)  # 500 / 10 x 31
    assert social["Variance"] == pytest.approx(930)
    assert social["Left on this line"] == 120 and social["Remaining days"] == 21
    assert social["Daily spend to land on budget"] == pytest.approx(120 / 21)
    assert lines.loc["Search", "Pace"] == pytest.approx(1.0) and lines.loc["Search", "Status"] == "On pace"
    assert analysis.channels.loc["Blog", "Pacing status"] == "No budget"


def test_channel_status_from_primary_metric(analysis) -> None:
    ch = analysis.channels
    assert ch.loc["Search", "Primary metric"] == "ROAS"  # the ROAS target beats the Expected CAC
    assert ch.loc["Search", "Attainment"] == pytest.approx(1.5) and ch.loc["Search", "Status"] == "Ahead"
    assert ch.loc["Social", "Primary metric"] == "Leads"  # 20 leads vs 155 x 10 / 31 = 50
    assert ch.loc["Social", "Attainment"] == pytest.approx(0.4) and ch.loc["Social", "Status"] == "Off track"
    # Blog has no target of its own: the business's CAC target (150) judges it, but it spent nothing for its
    # one customer: a CAC of 0 has no attainment
    assert ch.loc["Blog", "Primary source"] == "Business CAC target" and ch.loc["Blog", "Status"] == "No data"


def test_one_action_per_channel_in_priority_order(analysis) -> None:
    # The plan for the rest of October: 21 days left (Oct 11-31). Budget 3,100 + 620 = 3,720, spent 1,000 + 500
    # = 1,500: 2,220 left. Over the 7-day trend window (Oct 4-10) Search spends 700 / 7 = 100 a day (best day 100),
    # Social 50 (best 50), Blog nothing.
    # - Search (ROAS 3 vs 2: 150 %) would spend its 2,100 remaining; it can spend 100 x 21 = 2,100, no more.
    # - Social (Leads 20 vs 50 to date: 40 % < 80 %) gives min(20 % x 620, 120) = 120: all of its remaining 120.
    # - 2,220 - 2,100 = 120 to spare; Search is on pace but at its best day: no room. 120 is returned unspent.
    plan = analysis.plan
    assert (plan.budget, plan.spend, plan.left, plan.planned, plan.days_left) == (3720, 1500, 2220, 2100, 21)
    assert plan.returned_unspent == pytest.approx(120)
    got = [
        (r["Subject"], r["Action"], r["Budget to move this period"], r["Money at stake"], r["Owner"], r["Priority"])
        for _, r in analysis.recommendations.iterrows()
    ]
    assert got == [
        # Social plans nothing more: 50 a day x 21 = 1,050 less spend by Period end is at stake
        ("Social", "Pause", -120.0, 1050.0, "Ben", 1),
        # Search keeps its 100 a day: 2,100, all of its remaining budget
        ("Search", "Hold", 0.0, 0.0, "Ana", 2),
        # Blog is judged against the business's CAC target (150) but has spent nothing: its CAC is undefined
        ("Blog", "Not enough data", 0.0, 0.0, "", 3),
    ]
    r = analysis.recommendations.set_index("Subject")
    assert r.loc["Social", "Funding"] == "gives $120 returned unspent"
    assert r.loc["Social", "Remaining budget"] == 120 and r.loc["Search", "Remaining budget"] == 2100
    assert r.loc["Search", "Planned daily spend"] == pytest.approx(100) and r.loc["Social", "Planned daily spend"] == 0
    # Social has no customers and no revenue: what it stops spending costs nothing it can price
    assert r.loc["Social", "Expected customers change"] == 0 and r.loc["Social", "Expected revenue change"] == 0
    # no account-wide row: the total overspend is the channels' plans
    assert "All channels" not in r.index
    # the evidence sets the actual against the target it was compared with: a ROAS target as it is; a Leads
    # target to date, 155 x 10 / 31 = 50, with the period's 155 beside it (20 / 50 = 40 %); then the plan
    assert r.loc["Search", "Evidence"].startswith("ROAS 3.0:1 vs ROAS target 2.0:1: attainment 150.0%")
    assert "Leads 20 vs Leads target 50 to date (155 for the period): attainment 40.0%" in r.loc["Social", "Evidence"]
    assert r.loc["Search", "Evidence"].endswith("plan: spends $100 a day now at 150.0% of target; plans $100 a day "
                                                "for 21 days ($2,100) of its remaining $2,100")  # fmt: skip
    # due at the weekly channel review of the pre-filled Cadence sheet: Oct 10, 2026 is a Saturday, so Monday Oct 12
    assert set(r["Due"]) == {pd.Timestamp(2026, 10, 12)} and set(r["Review"]) == {"Weekly channel review"}
    # the plan's one move: Social's 120, returned unspent, priced on the channels' own figures (no journeys)
    moves = analysis.reallocation
    assert moves[["From", "To", "Budget to move this period"]].values.tolist() == [
        ["Social", "Returned unspent", 120.0]
    ]
    assert analysis.plan_basis == "the channels' own CAC and ROAS (no journey data)"


def test_trends(analysis) -> None:
    ch = analysis.channels
    # Search ROAS: Oct 4-10 = 2100 / 700 = 3; Sep 27 - Oct 3 = (4 x 200 + 3 x 300) / (4 x 80 + 3 x 100) = 1700 / 620
    assert ch.loc["Search", "Trend %"] == pytest.approx(3 / (1700 / 620) - 1)
    assert ch.loc["Search", "Trend"] == "↑" and ch.loc["Search", "Trend verdict"] == "Improving"  # ROAS rose
    # Social is judged on leads: leads per day 14 / 7 against 6 / 7
    assert ch.loc["Social", "Trend %"] == pytest.approx(14 / 6 - 1) and ch.loc["Social", "Trend"] == "↑"
    assert ch.loc["Social", "Trend verdict"] == "Improving"  # more leads a day is better


def test_budget_needed_with_odds(analysis) -> None:
    """The spend that reaches each volume target with a 50 % and an 80 % chance: all channels and per channel, the
    4-in-5 spend never below the even one, and what the even spend adds is priced per extra unit."""
    needed = analysis.needed
    leads = needed[(needed["Subject"] == "All channels") & (needed["Metric"] == "Leads")].set_index("Chance")
    assert list(leads.index) == [0.5, 0.8]
    assert leads.loc[0.8, "Spend needed"] >= leads.loc[0.5, "Spend needed"]
    likely = analysis.forecast.kpis.set_index("Metric").loc["Leads", "P50"]
    assert leads.loc[0.5, "Likely"] == likely
    even = leads.loc[0.5]
    if even["Target"] > likely and even["Extra spend"] > 0:
        assert even["Marginal cost per unit"] == pytest.approx(even["Extra spend"] / (even["Target"] - likely))
    assert set(needed["Subject"]) >= {"All channels", "Social"}  # Social has a Leads target of its own


def test_notes_flag_provisional_days(analysis) -> None:
    notes = [n["note"] for n in analysis.notes]
    assert any("8–10 Oct 2026" in n and "provisional" in n for n in notes)


# --- edge cases ---------------------------------------------------------------------------------------


def _build(tmp_path: Path, data: dict):
    return analyse(load_intake(write_intake(tmp_path / "edge.xlsx", data)))


def test_no_actuals_in_window_is_no_data_not_an_error(tmp_path: Path) -> None:
    data = example_data()
    data["Business"]["Period start"] = D(2026, 11, 1)
    data["Business"]["Period end"] = D(2026, 11, 30)
    data["Business"]["Report as of"] = D(2026, 11, 5)
    data["Budget"] = [
        {"Channel": "Search", "Period start": D(2026, 11, 1), "Period end": D(2026, 11, 30), "Planned spend": 3000}
    ]
    a = _build(tmp_path, data)
    assert not a.has_data
    assert a.kpis.loc["Leads", "Status"] == "No data" and a.kpis.loc["Leads", "Actual"] == 0
    assert a.kpis.loc["Spend", "Status"] == "No data"
    assert math.isnan(a.kpis.loc["CAC", "Actual"])
    assert a.channels.loc["Search", "Status"] == "No data"


def test_one_day_period_and_budget_line_starting_mid_period(tmp_path: Path) -> None:
    data = example_data()
    data["Business"].update(
        {"Period start": D(2026, 10, 5), "Period end": D(2026, 10, 5), "Report as of": D(2026, 10, 5)}
    )
    data["Budget"] = [
        {"Channel": "Search", "Period start": D(2026, 10, 5), "Period end": D(2026, 10, 14), "Planned spend": 1000}
    ]
    a = _build(tmp_path, data)
    assert (a.window.period_days, a.window.elapsed_days) == (1, 1)
    line = a.pacing_lines.iloc[0]
    assert line["Budget for period"] == pytest.approx(100)  # 1000 x 1 overlap day / 10 line days
    assert line["Expected to date"] == pytest.approx(100) and line["Pace"] == pytest.approx(1.0)
    # Social spent 50 with no budget line: unbudgeted
    assert a.unbudgeted.to_dict() == {"Social": 50}
    # D / d = 1: the period is over, so where it lands is what happened (no straight-line projection beside it)
    assert "Projection" not in a.kpis.columns
    leads = a.forecast.kpis.set_index("Metric").loc["Leads"]
    assert leads["P10"] == leads["P50"] == leads["P90"] == a.kpis.loc["Leads", "Actual"]


def test_budget_line_not_started(tmp_path: Path) -> None:
    data = example_data()
    data["Budget"][1] = {
        "Channel": "Social",
        "Period start": D(2026, 10, 20),
        "Period end": D(2026, 10, 31),
        "Planned spend": 600,
    }
    a = _build(tmp_path, data)
    lines = a.pacing_lines.set_index("Channel")
    assert lines.loc["Social", "Status"] == "Not started" and math.isnan(lines.loc["Social", "Pace"])
    assert a.unbudgeted.to_dict() == {"Social": 500}  # its Oct 1-10 spend lies before its line


def test_no_targets_and_zero_spend(tmp_path: Path) -> None:
    data = example_data()
    data["Targets"] = []
    for row in data["Actuals"]:
        row["Spend"] = 0
    data["Channels"][0].pop("Expected CAC")
    a = _build(tmp_path, data)
    assert set(a.kpis["Status"]) <= {"No target", "Under pace"}
    assert math.isnan(a.blended.ratios["ROAS"]) and math.isnan(a.blended.mer)
    assert math.isnan(a.blended.ratios["CAC"])  # nothing spent: no CAC, not 0 (issue 28)
    # nothing spent, no target: no channel is judged. Search and Social still have their budgets (3,100 and 620)
    # and no spend history, so the plan has them spend their budgets over the 21 days left: Spend to plan
    r = a.recommendations.set_index("Subject")
    assert r.loc["Search", "Action"] == r.loc["Social", "Action"] == "Spend to plan"
    assert r.loc["Search", "Planned daily spend"] == pytest.approx(3100 / 21)
    assert r.loc["Blog", "Action"] == "Not enough data"


def test_weekday_pacing(tmp_path: Path) -> None:
    data = example_data()
    data["Settings"]["Pacing method"] = "weekdays"
    a = _build(tmp_path, data)
    search = a.pacing_lines.set_index("Channel").loc["Search"]
    # Oct 1 2026 is a Thursday. Weekdays Oct 1-10: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7, Thu 8, Fri 9 = 7;
    # the month has 2 + 5 + 5 + 5 + 5 = 22 weekdays, so 15 remain.
    assert search["Expected to date"] == pytest.approx(3100 * 7 / 22)
    assert search["At today's pace"] == pytest.approx(1000 / 7 * 22)
    assert search["Remaining days"] == 15
