"""The budget reallocation plan, worked by hand: the money side of the actions, within guard rails."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mops_xl.analysis.decisions.reallocation import GuardRails, reallocation_plan, room_in, room_out


def efficiency(cac: dict[str, float], roas: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"CAC used": pd.Series(cac, dtype=float), "ROAS used": pd.Series(roas, dtype=float)})


def test_donors_give_the_least_efficient_first_to_the_best_receiver() -> None:
    # A (attainment 50 %) frees 2,000, C (70 %) frees 1,000; B (150 %) asks 2,500.
    # A gives first: min(2,000, 2,500) = 2,000; then C: min(1,000, 2,500 - 2,000) = 500; C keeps 500 unplaced.
    # Each move pays: 0.5 / CAC(B) = 0.5 / 100 = 0.005 > 1 / 600 (A) and > 1 / 300 (C).
    eff = efficiency({"A": 600, "B": 100, "C": 300}, {"A": 1.0, "B": 4.0, "C": 2.0})
    rank = pd.Series({"A": 0.5, "B": 1.5, "C": 0.7})
    plan = reallocation_plan({"A": 2000.0, "C": 1000.0}, {"B": 2500.0}, rank, eff, "test figures", "€")
    got = [(m["From"], m["To"], m["Budget to move this period"]) for _, m in plan.moves.iterrows()]
    assert got == [("A", "B", 2000.0), ("C", "B", 500.0)]
    first = plan.moves.iloc[0]
    assert first["Net expected customers"] == pytest.approx(2000 * (0.5 / 100 - 1 / 600))  # 6.67
    assert first["Net expected revenue"] == pytest.approx(2000 * (0.5 * 4.0 - 1.0))  # 2,000
    assert plan.change == {"A": -2000.0, "C": -500.0, "B": 2500.0}
    assert plan.funding["B"] == "funded €2,500 from A (€2,000), C (€500)"
    assert plan.funding["A"] == "gives €2,000 to B"
    assert plan.funding["C"] == "gives €500 to B; €500 freed and not placed: no channel can use it, keep it unspent"


def test_an_increase_without_a_donor_says_so() -> None:
    eff = efficiency({"B": 100}, {"B": 4.0})
    plan = reallocation_plan({}, {"B": 580.0}, pd.Series({"B": 1.2}), eff, "test figures", "€")
    assert plan.moves.empty and plan.change == {"B": 0.0}
    assert plan.funding["B"] == "€580 not funded: no channel frees budget this period"


def test_a_move_that_does_not_pay_is_not_made_and_says_why() -> None:
    # A (CAC 600) to B (CAC 400): 0.5 / 400 = 0.00125 < 1 / 600 = 0.00167: the move would lose customers.
    eff = efficiency({"A": 600, "B": 400}, {"A": 1.0, "B": 1.5})
    plan = reallocation_plan({"A": 1000.0}, {"B": 800.0}, pd.Series({"A": 0.6, "B": 1.3}), eff, "test figures", "€")
    assert plan.moves.empty
    assert plan.funding["B"] == (
        "€800 not funded: a move from A would not pay once diminishing returns (50%) are counted"
    )
    assert plan.funding["A"] == "€1,000 freed and not placed: no channel can use it, keep it unspent"


def test_a_move_priced_on_roas_where_a_cac_is_undefined() -> None:
    # No CAC for A: priced on ROAS, 0.5 x 3.0 = 1.5 > 1.0 pays; expected customers undefined.
    eff = efficiency({"A": math.nan, "B": 100}, {"A": 1.0, "B": 3.0})
    plan = reallocation_plan({"A": 300.0}, {"B": 300.0}, pd.Series({"A": 0.5, "B": 1.4}), eff, "test figures", "€")
    move = plan.moves.iloc[0]
    assert move["Budget to move this period"] == 300 and math.isnan(move["Net expected customers"])
    assert move["Net expected revenue"] == pytest.approx(300 * (0.5 * 3.0 - 1.0))


def _channel(**kw: object) -> pd.Series:
    base = {
        "Budget for period": 10000.0,
        "Spend": 6000.0,
        "Minimum spend": math.nan,
        "Maximum spend": math.nan,
        "Funnel stage": "Decision",
        "Role": "Capture demand",
    }
    return pd.Series({**base, **kw})


def test_guard_rails() -> None:
    rails = GuardRails(max_shift=0.2)
    # at most 20 % of the 10,000 budget, never more than the 4,000 unspent: 2,000
    assert room_out(_channel(), rails) == 2000
    assert room_out(_channel(Spend=9500.0), rails) == 500  # only 500 unspent
    assert room_out(_channel(**{"Minimum spend": 9000.0}), rails) == 1000  # never below its minimum
    assert room_out(_channel(**{"Funnel stage": "Retention"}), rails) == 0  # brand/retention, no minimum
    assert room_out(_channel(Role="Brand awareness", **{"Minimum spend": 5000.0}), rails) == 2000
    assert room_in(_channel(**{"Maximum spend": 10500.0})) == 500
    assert room_in(_channel(**{"Maximum spend": 9000.0})) == 0
    assert room_in(_channel()) == math.inf
