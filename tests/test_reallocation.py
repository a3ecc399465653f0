"""The budget reallocation plan, worked by hand: guard rails, evidence, diminishing returns, conflicts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mops_xl.metrics.reallocation import GuardRails, attributed_efficiency, reallocation_plan


def card(rows: dict[str, dict]) -> pd.DataFrame:
    base = {
        "Paid": True,
        "Funnel stage": "Decision",
        "Role": "Capture demand",
        "Locked": False,
        "Minimum spend": math.nan,
        "Maximum spend": math.nan,
    }
    frame = pd.DataFrame({ch: {**base, **r} for ch, r in rows.items()}).T
    frame["Spend"] = frame["Spend"].astype(float)
    frame["Budget for period"] = frame["Budget for period"].astype(float)
    return frame


RAILS = GuardRails(max_shift=0.2, minimum_spend=0)


def plan(rows: dict[str, dict], conversions: dict, value: dict, fired: dict | None = None) -> pd.DataFrame:
    c = card(rows)
    eff = attributed_efficiency(c, pd.Series(conversions, dtype=float), pd.Series(value, dtype=float))
    return reallocation_plan(c, eff, RAILS, fired or {})


def test_moves_from_the_worst_to_the_best_channel() -> None:
    # Spend 6,000 each, budget 10,000 each. Attributed CAC: A 6000/10 = 600, B 6000/60 = 100, C 6000/20 = 300.
    # Blended over the three: 18,000 / 90 = 200: A and C are above, B below. A moves first (worst).
    # A's room: min(20 % x 10,000, 10,000 - 6,000) = 2,000. Pays: 0.5 / 100 > 1 / 600.
    got = plan(
        {
            "A": {"Spend": 6000, "Budget for period": 10000},
            "B": {"Spend": 6000, "Budget for period": 10000},
            "C": {"Spend": 6000, "Budget for period": 10000},
        },
        {"A": 10, "B": 60, "C": 20},
        {"A": 1000, "B": 12000, "C": 3000},
    )
    first = got.iloc[0]
    assert (first["From"], first["To"], first["Amount this period"], first["Amount next period"]) == (
        "A",
        "B",
        2000.0,
        2000.0,
    )
    # expected customers: 2,000 x (0.5 / 100 - 1 / 600) = 6.67; revenue: 2,000 x (0.5 x 2 - 1000/6000) = 1,666.67
    assert first["Expected customers"] == pytest.approx(2000 * (0.5 / 100 - 1 / 600))
    assert first["Expected revenue"] == pytest.approx(2000 * (0.5 * 2 - 1000 / 6000))
    second = got.iloc[1]  # C (CAC 300): 0.5 / 100 > 1 / 300, so it moves too
    assert (second["From"], second["To"], second["Amount this period"]) == ("C", "B", 2000.0)


def test_guard_rails() -> None:
    rows = {
        "A": {"Spend": 6000, "Budget for period": 10000, "Minimum spend": 9000},  # may only lose 1,000
        "B": {"Spend": 6000, "Budget for period": 10000, "Maximum spend": 10500},  # may only gain 500
        "L": {"Spend": 6000, "Budget for period": 10000, "Locked": True},
        "R": {"Spend": 6000, "Budget for period": 10000, "Funnel stage": "Retention"},
    }
    got = plan(rows, {"A": 10, "B": 60, "L": 5, "R": 8}, {"A": 0, "B": 0, "L": 0, "R": 0}).set_index("From")
    assert got.loc["A", "To"] == "B" and got.loc["A", "Amount this period"] == 500.0
    assert got.loc["L", "Reason"] == "locked on the Channels sheet"
    assert got.loc["R", "Amount this period"] == 0 and got.loc["R", "Reason"].startswith("no room to move")


def test_thin_evidence_and_unprofitable_moves_hold() -> None:
    got = plan(
        {
            "A": {"Spend": 6000, "Budget for period": 10000},
            "B": {"Spend": 6000, "Budget for period": 10000},
            "T": {"Spend": 100, "Budget for period": 1000},
        },
        {"A": 10, "B": 15, "T": 2},
        {"A": 0, "B": 0, "T": 0},
    ).set_index("From")
    assert got.loc["T", "Reason"].startswith("not enough data: 2.0 attributed conversions")
    # A (CAC 600) vs B (CAC 400): 0.5 / 400 < 1 / 600 -> no move after diminishing returns
    assert got.loc["A", "To"] == "–" and "too small to pay" in got.loc["A", "Reason"]


def test_conflicts_with_triggers_are_flagged() -> None:
    got = plan(
        {"A": {"Spend": 6000, "Budget for period": 10000}, "B": {"Spend": 6000, "Budget for period": 10000}},
        {"A": 10, "B": 60},
        {"A": 0, "B": 0},
        {"Underperforming channel": {"B"}, "High performer": {"A"}},
    )
    conflict = got.iloc[0]["Conflict"]
    assert "B has a 'Pause or adjust' trigger" in conflict and "A is a high performer" in conflict


def test_organic_channels_are_not_moved() -> None:
    got = plan(
        {"A": {"Spend": 6000, "Budget for period": 10000}, "O": {"Spend": 0, "Budget for period": 0, "Paid": False}},
        {"A": 10, "O": 50},
        {"A": 0, "O": 0},
    )
    assert "O" not in set(got["From"]) and "O" not in set(got["To"])
