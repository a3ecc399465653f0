"""The plan for the rest of the period (mops_xl.analysis.decisions.period_plan): hand-worked cases and the
properties every plan keeps, over generated channels (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mops_xl.analysis.decisions.period_plan import (
    DAYS_TO_SPEND,
    OVERSPEND_TO_DATE,
    PLAN_BAND,
    POSITION_COLUMNS,
    PROTECTED,
    RETURNED_UNSPENT,
    Move,
    PlanRules,
    action_for,
    plan_rest_of_period,
)

NAN = math.nan


def positions(rows: dict[str, dict]) -> pd.DataFrame:
    """Channel positions with the optional columns defaulted (unlocked, no Minimum or Maximum spend)."""
    defaults = {"Locked": False, "Minimum spend": NAN, "Maximum spend": NAN, "Customers per spend": 0.0}
    data = {
        ch: {**defaults, "Revenue per spend": 0.0, PROTECTED: False, DAYS_TO_SPEND: NAN, **r} for ch, r in rows.items()
    }
    frame = pd.DataFrame.from_dict(data, orient="index", columns=[*POSITION_COLUMNS, PROTECTED, DAYS_TO_SPEND])
    frame.index.name = "Channel"
    return frame


def money_to_spare() -> pd.DataFrame:
    return positions(
        {
            "A": {"Budget for period": 1000, "Spend to date": 500, "Current daily spend": 50, "Most in a day": 80,
                  "Attainment": 1.5, "Customers per spend": 0.01, "Revenue per spend": 4.0},
            "B": {"Budget for period": 1000, "Spend to date": 600, "Current daily spend": 40, "Most in a day": 60,
                  "Attainment": 0.5, "Customers per spend": 0.002, "Revenue per spend": 1.0},
            "C": {"Budget for period": 500, "Spend to date": 100, "Current daily spend": 10, "Most in a day": 20,
                  "Attainment": 1.2},
        }
    )  # fmt: skip


def test_money_to_spare_goes_to_the_efficient_channel_that_can_spend_it_and_the_rest_is_returned() -> None:
    plan = plan_rest_of_period(money_to_spare(), PlanRules(days_left=10, max_shift=0.2, underperforming=0.8))
    # budget 2,500, spent 1,200: 1,300 left
    assert (plan.budget, plan.spend, plan.left) == (2500, 1200, 1300)
    # A would spend its 500 (it can spend 80 x 10 = 800); B underperforms and gives 20 % of 1,000 = 200 of its 400;
    # C can spend only 20 x 10 = 200 of its 400. Wishes 500 + 200 + 200 = 900; 400 to spare.
    # A is the only one at target and on pace (50 x 10 = 500 >= 500): it takes 800 - 500 = 300, 100 is returned.
    t = plan.table
    assert t["Planned rest of period"].to_dict() == {"A": 800, "B": 200, "C": 200}
    assert t["Planned daily spend"].to_dict() == {"A": 80, "B": 20, "C": 20}
    assert plan.planned == 1200 and plan.returned_unspent == pytest.approx(100)
    # A: receives and plans 80 > 50 a day; B: 20 < 40 x 0.9; C: 20 > 10 x 1.1 within its own budget
    assert t["Action"].to_dict() == {"A": "Scale", "B": "Throttle", "C": "Spend to plan"}
    # A: 300 more than 50 x 10, at half its average: 150 x 0.01 = 1.5 customers, 150 x 4 = 600 revenue
    assert t.loc["A", "Expected customers change"] == pytest.approx(1.5)
    assert t.loc["A", "Expected revenue change"] == pytest.approx(600)
    # B: 200 less than 40 x 10 = 400, at its full average: -200 x 0.002 = -0.4, -200 x 1.0 = -200
    assert t.loc["B", "Expected customers change"] == pytest.approx(-0.4)
    assert t.loc["B", "Expected revenue change"] == pytest.approx(-200)
    # B's 200 goes to A first (the least efficient placed first), then C's 200: 100 to A, 100 returned
    assert plan.moves == [Move("B", "A", 200), Move("C", "A", 100), Move("C", RETURNED_UNSPENT, 100)]
    assert t.loc["B", "Remaining budget"] == 400 and t.loc["C", "Remaining budget"] == 400


def test_an_overspent_account_plans_nothing_more_but_a_minimum_spend_and_asks_leadership_for_it() -> None:
    frame = positions(
        {
            "A": {"Budget for period": 1000, "Spend to date": 1100, "Current daily spend": 100, "Most in a day": 150,
                  "Attainment": 1.0},
            "B": {"Budget for period": 950, "Spend to date": 869, "Current daily spend": 30, "Most in a day": 40,
                  "Attainment": 0.9, "Minimum spend": 900},
            "C": {"Budget for period": 0, "Spend to date": 0, "Current daily spend": 0, "Most in a day": 0,
                  "Attainment": NAN, "Locked": True},
        }
    )  # fmt: skip
    plan = plan_rest_of_period(frame, PlanRules(days_left=5, max_shift=0.2, underperforming=0.8))
    # budget 1,950, spent 1,969: nothing left. B still needs 900 - 869 = 31 to reach its Minimum spend.
    assert plan.left == 0 and plan.spend == 1969
    assert plan.table["Planned rest of period"].to_dict() == {"A": 0, "B": 31, "C": 0}
    assert plan.budget_increase == pytest.approx(31)
    # A plans nothing (Pause); B 31 / 5 = 6.2 a day against 30 (Throttle); C spends nothing and plans nothing
    assert plan.table["Action"].to_dict() == {"A": "Pause", "B": "Throttle", "C": "Hold"}
    assert plan.table.loc["A", "Reason"].startswith("the period's budget is spent (1,969 of 1,950): plans nothing more")
    # B's remaining 81 less its 31 covers part of A's 100 overspend
    assert plan.moves == [Move("B", OVERSPEND_TO_DATE, 50)]


def test_too_little_money_is_cut_from_the_least_efficient_channel_first() -> None:
    frame = positions(
        {
            "A": {"Budget for period": 1000, "Spend to date": 400, "Current daily spend": 60, "Most in a day": 70,
                  "Attainment": 1.3},
            "B": {"Budget for period": 1000, "Spend to date": 400, "Current daily spend": 60, "Most in a day": 70,
                  "Attainment": 0.9},
            "U": {"Budget for period": 0, "Spend to date": 500, "Current daily spend": 50, "Most in a day": 60,
                  "Attainment": 2.0},
        }
    )  # fmt: skip
    plan = plan_rest_of_period(frame, PlanRules(days_left=10, max_shift=0.2, underperforming=0.8))
    # 2,000 - 1,300 = 700 left; A and B would each spend their 600 (1,200): 500 too much, cut from B (0.9) first
    assert plan.table["Planned rest of period"].to_dict() == {"A": 600, "B": 100, "U": 0}
    assert plan.table["Action"].to_dict() == {"A": "Hold", "B": "Throttle", "U": "Pause"}
    assert plan.moves == [Move("B", OVERSPEND_TO_DATE, 500)]  # U's 500 spent outside any budget line
    assert plan.planned == plan.left == 700


def test_a_locked_channel_keeps_its_daily_spend_even_when_it_does_not_fit() -> None:
    frame = positions(
        {
            "L": {"Budget for period": 300, "Spend to date": 300, "Current daily spend": 20, "Most in a day": 25,
                  "Attainment": 0.5, "Locked": True},
            "A": {"Budget for period": 700, "Spend to date": 600, "Current daily spend": 10, "Most in a day": 12,
                  "Attainment": 1.1},
        }
    )  # fmt: skip
    plan = plan_rest_of_period(frame, PlanRules(days_left=10, max_shift=0.2, underperforming=0.8))
    # 1,000 - 900 = 100 left; L keeps 20 a day: 200, 100 more than is left, a budget increase; A plans nothing
    assert plan.table["Planned rest of period"].to_dict() == {"L": 200, "A": 0}
    assert plan.budget_increase == pytest.approx(100)
    assert plan.table["Action"].to_dict() == {"L": "Hold", "A": "Pause"}


def test_a_protected_brand_channel_gives_nothing_for_its_efficiency_and_is_cut_last() -> None:
    rows = {
        "Brand": {"Budget for period": 1000, "Spend to date": 500, "Current daily spend": 50, "Most in a day": 60,
                  "Attainment": 0.4, PROTECTED: True},
        "A": {"Budget for period": 1000, "Spend to date": 500, "Current daily spend": 50, "Most in a day": 60,
              "Attainment": 0.9},
    }  # fmt: skip
    rules = PlanRules(days_left=10, max_shift=0.2, underperforming=0.8)
    plan = plan_rest_of_period(positions(rows), rules)
    # 1,000 left, each would spend its 500; the brand channel underperforms (0.4) but keeps all of its budget
    assert plan.table["Planned rest of period"].to_dict() == {"Brand": 500, "A": 500}
    rows["U"] = {"Budget for period": 0, "Spend to date": 300, "Current daily spend": 0, "Most in a day": 0,
                 "Attainment": NAN}  # fmt: skip
    plan = plan_rest_of_period(positions(rows), rules)
    # 300 spent outside any budget line: 700 left, the 300 cut from A (0.9), not from the brand channel (0.4)
    assert plan.table["Planned rest of period"].to_dict() == {"Brand": 500, "A": 200, "U": 0}


def test_a_channel_whose_budget_line_starts_later_is_planned_over_its_own_days() -> None:
    rows = {
        "Later": {"Budget for period": 600, "Spend to date": 0, "Current daily spend": 0, "Most in a day": 0,
                  "Attainment": NAN, DAYS_TO_SPEND: 6},
        "Now": {"Budget for period": 700, "Spend to date": 0, "Current daily spend": 100, "Most in a day": 100,
                "Attainment": 1.0},
    }  # fmt: skip
    plan = plan_rest_of_period(positions(rows), PlanRules(days_left=7, max_shift=0.2, underperforming=0.8))
    # the later line's 600 over its 6 days (100 a day); the other channel's 700 over all 7
    assert plan.table["Days planned"].to_dict() == {"Later": 6, "Now": 7}
    # neither has customers or revenue to price its change by: 0, and the reason says why
    assert plan.table.loc["Later", "Expected customers change"] == 0
    assert plan.table.loc["Later", "Reason"].endswith("no customers or revenue yet, so its effect cannot be priced (0)")
    assert plan.table["Planned daily spend"].to_dict() == {"Later": 100, "Now": 100}
    assert "for 6 days" in plan.table.loc["Later", "Reason"]


def test_no_days_left_means_no_scale_or_throttle() -> None:
    plan = plan_rest_of_period(money_to_spare(), PlanRules(days_left=0, max_shift=0.2, underperforming=0.8))
    assert set(plan.table["Action"]) == {"Hold"} and plan.planned == 0
    assert plan.table["Reason"].str.startswith("the period has ended").all()


def test_an_empty_intake_and_zeros_make_an_empty_plan() -> None:
    plan = plan_rest_of_period(positions({}), PlanRules(days_left=10, max_shift=0.2, underperforming=0.8))
    assert plan.table.empty and (plan.budget, plan.spend, plan.left, plan.planned) == (0, 0, 0, 0)
    zeros = positions(
        {"Z": {"Budget for period": 0, "Spend to date": 0, "Current daily spend": 0, "Most in a day": 0,
               "Attainment": NAN}}
    )  # fmt: skip
    plan = plan_rest_of_period(zeros, PlanRules(days_left=10, max_shift=0.2, underperforming=0.8))
    assert plan.table.loc["Z", "Action"] == "Hold" and plan.moves == []


@pytest.mark.parametrize(
    ("current", "planned", "received", "days", "action"),
    [
        (10, 0, 0, 5, "Pause"),
        (0, 0, 0, 5, "Hold"),
        (10, 12, 1, 5, "Scale"),
        (10, 10.5, 1, 5, "Hold"),  # it gets money, but spends about as much a day as now
        (10, 8.9, 0, 5, "Throttle"),
        (10, 9.0, 0, 5, "Hold"),  # 10 % below is still about the same
        (10, 11.1, 0, 5, "Spend to plan"),
        (10, 0, 0, 0, "Hold"),
    ],
)
def test_the_action_is_read_off_the_plan(
    current: float, planned: float, received: float, days: int, action: str
) -> None:
    assert action_for(current, planned, received, days) == action


# ---- properties over generated channels -------------------------------------------------------------------------

amounts = st.floats(min_value=0, max_value=50_000, allow_nan=False).map(lambda x: round(x, 2))
channel = st.fixed_dictionaries(
    {
        "Budget for period": amounts,
        "Spend to date": amounts,
        "Current daily spend": st.floats(min_value=0, max_value=2_000).map(lambda x: round(x, 2)),
        "Most in a day": st.floats(min_value=0, max_value=3_000).map(lambda x: round(x, 2)),
        "Attainment": st.one_of(st.just(NAN), st.floats(min_value=0, max_value=3)),
        "Locked": st.booleans(),
        "Minimum spend": st.one_of(st.just(NAN), amounts),
        "Maximum spend": st.one_of(st.just(NAN), amounts),
        "Customers per spend": st.floats(min_value=0, max_value=0.1),
        "Revenue per spend": st.floats(min_value=0, max_value=10),
        PROTECTED: st.booleans(),
        DAYS_TO_SPEND: st.one_of(st.just(NAN), st.integers(min_value=0, max_value=90)),
    }
)
intakes = st.dictionaries(st.sampled_from(list("ABCDEFG")), channel, max_size=6)
rules = st.builds(
    PlanRules,
    days_left=st.integers(min_value=0, max_value=90),
    max_shift=st.floats(min_value=0, max_value=1),
    underperforming=st.floats(min_value=0.5, max_value=1),
)


def check_actions(t: pd.DataFrame, days_left: int) -> None:
    """Each action agrees with its planned against its current daily spend."""
    for _, row in t.iterrows():
        cur, daily, action = row["Current daily spend"], row["Planned daily spend"], row["Action"]
        if days_left == 0:
            assert action == "Hold"
        elif action == "Pause":
            assert daily == pytest.approx(0, abs=1e-6) and cur > 0
        elif action == "Scale":
            assert daily > cur * (1 + PLAN_BAND) and row["Planned rest of period"] > row["Remaining budget"]
            assert row["Expected customers change"] >= 0 and row["Expected revenue change"] >= 0
        elif action == "Throttle":
            assert daily < cur * (1 - PLAN_BAND)
        elif action == "Spend to plan":
            assert daily > cur * (1 + PLAN_BAND)
        else:
            assert action == "Hold" and (abs(daily - cur) <= PLAN_BAND * cur + 1e-9 or daily == 0)
        if action in ("Throttle", "Pause"):
            assert row["Expected customers change"] <= 1e-9 and row["Expected revenue change"] <= 1e-9


def check_moves(plan, frame: pd.DataFrame, remaining: pd.Series, floorless: pd.Series, tol: float) -> None:
    """Every amount taken from a channel is placed, and the receivers get what they plan beyond their budget."""
    t = plan.table
    extra = t["Planned rest of period"] - remaining
    taken = (remaining - t["Planned rest of period"]).clip(lower=0)
    placed = pd.Series(0.0, index=frame.index)
    got = pd.Series(0.0, index=frame.index)
    for m in plan.moves:
        assert m.amount > 0 and m.source != m.to
        assert m.to in frame.index or m.to in (OVERSPEND_TO_DATE, RETURNED_UNSPENT)
        placed[m.source] += m.amount
        if m.to in frame.index:
            got[m.to] += m.amount
    assert ((placed - taken).abs() <= tol).all()
    assert (got <= extra.clip(lower=0) + tol).all()
    if plan.budget_increase <= tol:
        assert ((got - extra.clip(lower=0)).abs()[floorless] <= tol).all()


@settings(max_examples=200, deadline=None)
@given(intakes, rules)
def test_every_plan_keeps_its_promises(rows: dict[str, dict], r: PlanRules) -> None:
    frame = positions(rows)
    plan = plan_rest_of_period(frame, r)
    t = plan.table
    tol = 1e-6 * max(1.0, plan.budget, plan.spend)
    # the plan never spends more than is left, but for floors that do not fit, which leadership is asked for
    assert plan.planned <= plan.left + plan.budget_increase + tol
    assert plan.budget_increase <= tol or plan.planned > plan.left
    remaining = (frame["Budget for period"] - frame["Spend to date"]).clip(lower=0)
    floorless = ~frame["Locked"].astype(bool) & frame["Minimum spend"].isna()
    if floorless.all():
        assert plan.planned <= plan.left + tol and plan.budget_increase <= tol
    check_actions(plan.table, r.days_left)
    # no channel under pace gets more than its remaining budget (floors apart)
    under = frame["Current daily spend"] * r.days_left < remaining - 1e-6
    extra = t["Planned rest of period"] - remaining
    assert (extra[under & floorless] <= tol).all()
    check_moves(plan, frame, remaining, floorless, tol)
    # the remaining budget is one figure: budget for the period less spend to date, never below zero
    assert ((t["Remaining budget"] - remaining).abs() <= 1e-9).all()
    # the same intake gives the same plan
    again = plan_rest_of_period(frame, r)
    pd.testing.assert_frame_equal(again.table, t)
    assert again.moves == plan.moves
