"""Each figure's two forms in one place (issue 23): the what-if's, a campaign plan's and the marketing system's
definitions compute with pandas (what the engine shows) and write their Excel form (what the report recalculates).

The pandas side is checked on small frames with every number worked out by hand; the Excel side on the text the
report's writers give it, written out in full, so the two stay the same definition.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mops_xl.analysis.assessment.martech_figures import (
    AUTOMATION_SHARE,
    STAGE_CHANNELS,
    STAGE_COVERAGE,
    TOTAL_FTE,
)
from mops_xl.analysis.blocks.stack_cost import MONTHLY_STACK_COST
from mops_xl.analysis.decisions.what_if_figures import CHANGE, EXPECTED_CUSTOMERS, EXPECTED_REVENUE, effective
from mops_xl.analysis.figures.campaign_plans.campaign_plan_figures import (
    BUDGET_USED,
    DUE_IN_WEEK,
    FROM_LAUNCH,
    LAUNCH_DATE,
    OVERDUE_TASK,
    PROGRESS,
    SPEND_IN_PERIOD,
    SPEND_NAMED,
    SPEND_OUTSIDE_DATES,
    SPEND_TO_DATE,
    within_own_dates,
)
from mops_xl.outputs.workbook.formulas.campaign_formulas import PlanFormulas, plan_formula, progress_link
from mops_xl.outputs.workbook.formulas.excel_formulas import channel_key_lookup
from mops_xl.outputs.workbook.formulas.system_formulas import SystemFormulas, system_formula
from mops_xl.outputs.workbook.formulas.what_if_formulas import what_if_formula

day = pd.Timestamp
NAN = math.nan


def _series(values: list, index: list[str] | None = None) -> pd.Series:
    return pd.Series(values, index=index, dtype="float64")


# --- The what-if ------------------------------------------------------------------------------------------


def test_an_increase_works_at_half_a_cut_in_full() -> None:
    """−1,000 stays −1,000 (budget taken away loses its full efficiency); +600 works as 0.5 × 600 = 300."""
    got = effective(_series([-1000.0, 0.0, 600.0]))
    assert list(got) == [-1000.0, 0.0, 300.0]


def test_expected_extra_customers_divide_the_working_change_by_cac() -> None:
    """Search −1,000 at CAC 200: −1,000 ÷ 200 = −5; Social +600 at CAC 150: 0.5 × 600 ÷ 150 = 2; Blog +400 with a
    CAC of 0 (no spend prices nothing) and Email with none: undefined."""
    change = _series([-1000.0, 600.0, 400.0, 400.0], ["Search", "Social", "Blog", "Email"])
    cac = _series([200.0, 150.0, 0.0, NAN], list(change.index))
    got = EXPECTED_CUSTOMERS.compute(change, cac)
    assert got["Search"] == pytest.approx(-5.0) and got["Social"] == pytest.approx(2.0)
    assert math.isnan(got["Blog"]) and math.isnan(got["Email"])


def test_expected_extra_revenue_multiplies_the_working_change_by_roas() -> None:
    """Search −1,000 at ROAS 3: −3,000; Social +600 at ROAS 2.5: 0.5 × 600 × 2.5 = 750; no ROAS: undefined."""
    change = _series([-1000.0, 600.0, 100.0])
    got = EXPECTED_REVENUE.compute(change, _series([3.0, 2.5, NAN]))
    assert got[0] == pytest.approx(-3000.0) and got[1] == pytest.approx(750.0) and math.isnan(got[2])


def test_the_proposed_budget_is_the_budget_plus_the_change() -> None:
    """10,000 − 1,000 = 9,000; 5,000 + 1,000 = 6,000."""
    assert list(CHANGE.compute(_series([10000.0, 5000.0]), _series([-1000.0, 1000.0]))) == [9000.0, 6000.0]


def test_the_what_if_formulas_read_the_rows_cells() -> None:
    """Sheet row 5 (0-based 4): B budget, C proposed, D change, E CAC used, F ROAS used."""
    assert what_if_formula("Change", 4) == "=C5-B5"
    assert what_if_formula("Expected extra customers", 4) == '=IF(ISNUMBER(E5),IF(D5>0,0.5,1)*D5/E5,"–")'
    assert what_if_formula("Expected extra revenue", 4) == '=IF(ISNUMBER(F5),IF(D5>0,0.5,1)*D5*F5,"–")'
    assert what_if_formula("Proposed budget", 4) is None  # an input, written as a value


# --- A campaign plan --------------------------------------------------------------------------------------

CAMPAIGNS = pd.DataFrame(
    [
        {"Campaign": "Promo", "Launch date": day("2026-10-10"), "End date": day("2026-10-31")},
        {"Campaign": "Open", "Launch date": pd.NaT, "End date": pd.NaT},
    ]
)


def test_a_row_counts_within_its_campaigns_own_dates() -> None:
    """Promo runs Oct 10 to Oct 31: Oct 9 is before it, Oct 10 and Oct 31 within, Nov 1 after; Open has no dates
    (both sides open); a row of no campaign never counts."""
    dates = pd.Series([day(d) for d in ("2026-10-09", "2026-10-10", "2026-10-31", "2026-11-01", "2020-01-01",
                                        "2026-10-10")])  # fmt: skip
    matched = pd.Series(["Promo", "Promo", "Promo", "Promo", "Open", None], dtype=object)
    assert list(within_own_dates(dates, matched, CAMPAIGNS)) == [False, True, True, False, True, False]


def test_spend_to_date_sums_the_rows_within_the_dates_and_up_to_report_as_of() -> None:
    """Report as of Oct 12. Promo: 50 on Oct 9 is before its launch, 999 on Oct 13 after Report as of: 20 + 70 =
    90. Open: 10 + 5 = 15 (no dates). The unmatched 7 counts for nobody."""
    actuals = pd.DataFrame(
        {
            "Date": [day(d) for d in ("2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13", "2026-09-01",
                                      "2026-10-12", "2026-10-11")],
            "Spend": [50.0, 20.0, 70.0, 999.0, 10.0, 5.0, 7.0],
        }
    )  # fmt: skip
    matched = pd.Series(["Promo", "Promo", "Promo", "Promo", "Open", "Open", None], dtype=object)
    got = SPEND_TO_DATE.compute(actuals, matched, CAMPAIGNS, day("2026-10-12"))
    assert got.to_dict() == {"Open": 15.0, "Promo": 90.0}


def test_budget_used_is_spend_over_a_positive_budget() -> None:
    """90 of 400 = 22.5 %; undefined without a positive budget or without a spend to date (not launched)."""
    assert BUDGET_USED.compute(90.0, 400.0) == pytest.approx(0.225)
    assert all(math.isnan(BUDGET_USED.compute(s, b)) for s, b in ((90.0, 0.0), (90.0, NAN), (NAN, 400.0)))


def test_dates_follow_the_launch_date() -> None:
    """Launch Oct 10: 14 days before is Sep 26, 3 after is Oct 13; no launch date, no date."""
    assert LAUNCH_DATE.compute(CAMPAIGNS.iloc[0]) == day("2026-10-10")
    assert FROM_LAUNCH.compute(day("2026-10-10"), -14) == day("2026-09-26")
    assert FROM_LAUNCH.compute(day("2026-10-10"), 3) == day("2026-10-13")
    assert pd.isna(FROM_LAUNCH.compute(LAUNCH_DATE.compute(CAMPAIGNS.iloc[1]), 3))


def test_a_task_is_overdue_when_due_before_report_as_of_and_not_done() -> None:
    """Report as of Oct 12: due Oct 1 Not started → Overdue; due Oct 1 Done → not; due Oct 12 (not before) →
    not; no due date → never due."""
    due = pd.Series([day("2026-10-01"), day("2026-10-01"), day("2026-10-12"), pd.NaT])
    status = pd.Series(["Not started", "Done", "Not started", "Blocked"])
    assert list(OVERDUE_TASK.due(due, day("2026-10-12"))) == [True, True, False, False]
    assert list(OVERDUE_TASK.compute(due, status, day("2026-10-12"))) == ["Overdue", "", "", ""]


def test_progress_is_the_share_of_tasks_done() -> None:
    """2 of 4 tasks Done = 50 %."""
    assert PROGRESS.compute(pd.Series(["Done", "Not started", "Done", "Blocked"])) == 0.5


def test_the_timeline_marks_the_week_a_task_is_due() -> None:
    """The week of Oct 10 holds Oct 10 to Oct 16; Oct 17 is the next week's; no due date is no week's."""
    week = day("2026-10-10")
    assert DUE_IN_WEEK.compute(day("2026-10-10"), week) and DUE_IN_WEEK.compute(day("2026-10-16"), week)
    assert not DUE_IN_WEEK.compute(day("2026-10-17"), week) and not DUE_IN_WEEK.compute(pd.NaT, week)


def test_the_plan_formulas_read_the_plan_sheets_cells() -> None:
    """A campaign on row 5 of the Campaigns data sheet (Launch date C, End date D, Campaign key J) with 3 tasks:
    the header's values are in column B (Launch date B4, Budget B7, Spend to date B9), the checklist's tasks from
    row 16 (Days from launch F, Due date G, Status H), the timeline's first week in K15. Spend outside its dates
    is before its Launch date plus after its End date (when it has one); all named for it is every date up to
    Report as of; in the period is from Period start."""
    w = PlanFormulas(5, 3)
    campaigns = "'Campaigns'!"
    assert plan_formula(LAUNCH_DATE, w) == f'=IF(ISNUMBER({campaigns}$C$5),{campaigns}$C$5,"–")'
    assert plan_formula(SPEND_TO_DATE, w) == (
        f'=SUMIFS(ActualsSpend,ActualsCampaignPlanKey,{campaigns}$J$5,ActualsDate,">="&N({campaigns}$C$5),'
        f'ActualsDate,"<="&IF(ISNUMBER({campaigns}$D$5),MIN({campaigns}$D$5,ReportAsOf),ReportAsOf))'
    )
    assert plan_formula(BUDGET_USED, w) == "=B9/$B$7"
    rows = f"ActualsSpend,ActualsCampaignPlanKey,{campaigns}$J$5"
    assert plan_formula(SPEND_OUTSIDE_DATES, w) == (
        f'=SUMIFS({rows},ActualsDate,"<"&N({campaigns}$C$5),ActualsDate,"<="&ReportAsOf)'
        f'+IF(ISNUMBER({campaigns}$D$5),SUMIFS({rows},ActualsDate,">"&{campaigns}$D$5,ActualsDate,"<="&ReportAsOf),0)'
    )
    assert plan_formula(SPEND_NAMED, w) == f'=SUMIFS({rows},ActualsDate,"<="&ReportAsOf)'
    assert plan_formula(SPEND_IN_PERIOD, w) == (
        f'=SUMIFS({rows},ActualsDate,">="&PeriodStart,ActualsDate,"<="&ReportAsOf)'
    )
    assert plan_formula(FROM_LAUNCH, w.at_task(12)) == '=IF(ISNUMBER($B$4),$B$4+F13,"–")'
    assert plan_formula(OVERDUE_TASK, w.at_task(12)) == (
        '=IF(AND(ISNUMBER(G13),G13<ReportAsOf,H13<>"Done"),"Overdue","")'
    )
    assert plan_formula(PROGRESS, w) == '=COUNTIF($H$16:$H$18,"Done")/3'
    assert plan_formula(FROM_LAUNCH, w.at_week(-14)) == '=IF(ISNUMBER($B$4),$B$4+(-14),"–")'
    assert plan_formula(DUE_IN_WEEK, w.timeline_marks()) == "=AND(ISNUMBER($G16),$G16>=K$15,$G16<K$15+7)"
    assert progress_link("Mom's Day") == "='Mom''s Day'!$B$8"


# --- The marketing system ---------------------------------------------------------------------------------


def test_the_stack_costs_its_active_tools() -> None:
    """Active 100 + blank Status (counts as Active) 50 + Active without a cost 0 = 150; Planned 999 is not in use."""
    stack = pd.DataFrame({"Monthly cost": [100.0, 50.0, 999.0, NAN], "Status": ["Active", None, "Planned", "Active"]})
    assert MONTHLY_STACK_COST.compute(stack) == 150.0


def test_the_automation_share_counts_a_blank_as_manual() -> None:
    """Automated Yes, No, blank, Yes: 2 of 4 = 50 %; no integrations: undefined."""
    links = pd.DataFrame({"Automated": [True, False, None, True]})
    assert AUTOMATION_SHARE.compute(links) == 0.5
    assert math.isnan(AUTOMATION_SHARE.compute(pd.DataFrame({"Automated": []})))


def test_a_stage_no_active_channel_serves_is_a_gap() -> None:
    """Awareness: Search and Social = 2, Covered; Retention: none = 0, Gap."""
    counts = STAGE_CHANNELS.compute({"Awareness": ["Search", "Social"], "Retention": []})
    assert counts == {"Awareness": 2, "Retention": 0}
    assert STAGE_COVERAGE.compute(counts) == {"Awareness": "Covered", "Retention": "Gap"}


def test_the_team_adds_up_its_fte() -> None:
    """1 + 0.5 + blank = 1.5."""
    assert TOTAL_FTE.compute(pd.DataFrame({"FTE": [1.0, 0.5, NAN]})) == 1.5


def test_the_system_formulas_read_the_data_sheets_and_the_grid() -> None:
    """A Funnel Coverage grid of 8 channels from row 5: the stage in column C marks C5:C12 and counts in C13."""
    assert system_formula(MONTHLY_STACK_COST) == '=SUMIFS(StackMonthlyCost,StackStatus,"Active")'
    assert system_formula(AUTOMATION_SHARE) == (
        '=IF(COUNTA(IntegrationsSystem)=0,"–",COUNTIF(IntegrationsAutomated,"Yes")/COUNTA(IntegrationsSystem))'
    )
    assert system_formula(TOTAL_FTE) == "=SUM(TeamFTE)"
    grid = SystemFormulas(channels=8, stage=2)
    assert system_formula(STAGE_CHANNELS, grid) == '=COUNTIF(C5:C12,"●")'
    assert system_formula(STAGE_COVERAGE, grid) == '=IF(C13=0,"Gap","Covered")'
    assert channel_key_lookup("$A2") == "=SUMPRODUCT(--EXACT(ChannelsChannel,$A2),ChannelsChannelKey)"
