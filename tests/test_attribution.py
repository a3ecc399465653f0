"""Attribution models on hand-worked journeys; Shapley against brute force; Markov against a hand-solved chain."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mops_xl.analysis.figures.attribution import (
    MODELS,
    attribute,
    journeys_from_paths,
    journeys_from_touchpoints,
    markov_credit,
    position_weights,
    shapley_credit,
)


def paths(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["Path", "Conversions", "Conversion value", "Non-converting journeys"])


SMALL = paths([("A > B > C", 2, 200, 1), ("B > C", 1, 50, 2), ("A", 1, 100, 0), ("C > C", 0, 0, 3)])


def test_heuristic_models_by_hand() -> None:
    a = attribute(journeys_from_paths(SMALL))
    conv = a.conversions
    # first touch: A gets 2 + 1, B gets 1
    assert conv["First touch"].to_dict() == {"A": 3.0, "B": 1.0, "C": 0.0}
    assert conv["Last touch"].to_dict() == {"A": 1.0, "B": 0.0, "C": 3.0}
    # linear: A>B>C splits 2 in thirds; B>C splits 1 in halves; A takes 1
    assert conv["Linear"].to_dict() == pytest.approx({"A": 2 / 3 + 1, "B": 2 / 3 + 0.5, "C": 2 / 3 + 0.5})
    # position based 40/20/40: A>B>C -> 0.8, 0.4, 0.8; B>C -> 0.5, 0.5 (two touches: 40 : 40); A -> 1
    assert conv["Position based"].to_dict() == pytest.approx({"A": 0.8 + 1, "B": 0.4 + 0.5, "C": 0.8 + 0.5})
    assert a.value["Linear"]["A"] == pytest.approx(200 / 3 + 100)
    assert math.isnan(conv.loc["A", "Time decay"]) and any("Time decay" in n for n in a.notes)


def test_every_model_reconciles_to_the_totals() -> None:
    a = attribute(journeys_from_paths(SMALL))
    for model in MODELS:
        if model == "Time decay":
            continue
        assert a.conversions[model].sum() == pytest.approx(4.0)
        assert a.value[model].sum() == pytest.approx(350.0)
        assert (a.conversions[model] >= 0).all()


def test_shapley_closed_form_equals_brute_force() -> None:
    journeys = journeys_from_paths(SMALL)
    got, _ = shapley_credit(journeys)
    channels = ["A", "B", "C"]
    sets = [(frozenset(p), c) for p, c in zip(journeys.paths["path"], journeys.paths["conversions"], strict=False)]

    def worth(coalition: frozenset) -> float:  # conversions of the journeys whose channel set it covers
        return sum(c for s, c in sets if s <= coalition)

    n = len(channels)
    for k in channels:
        others = [c for c in channels if c != k]
        phi = 0.0
        for size in range(n):
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                phi += (
                    math.factorial(size)
                    * math.factorial(n - size - 1)
                    / math.factorial(n)
                    * (worth(s | {k}) - worth(s))
                )
        assert got[k] == pytest.approx(phi)


def test_markov_on_a_chain_solved_by_hand() -> None:
    # Journeys: A > B converts once; A fails once (null). Transitions: start->A 2; A->B 1, A->null 1;
    # B->conv 1. P(conv) = 1 * 1/2 * 1 = 0.5. Remove A: 0 -> RE_A = 1. Remove B: 0 -> RE_B = 1.
    # Credits: 1 conversion split 1 : 1.
    j = journeys_from_paths(paths([("A > B", 1, 80, 0), ("A", 0, 0, 1)]))
    conv, value, effects = markov_credit(j)
    assert effects == pytest.approx({"A": 1.0, "B": 1.0})
    assert conv == pytest.approx({"A": 0.5, "B": 0.5}) and value == pytest.approx({"A": 40.0, "B": 40.0})


def test_markov_removal_effect_with_a_bypass() -> None:
    # Journeys: A > C converts; B > C twice, once converting. Transition weights: start->A 1, start->B 2;
    # A->C 1, B->C 2; C->conv 2, C->null 1. P = (1/3 + 2/3) * 2/3 = 2/3.
    # Without A: 2/3 * 2/3 = 4/9, RE_A = 1 - (4/9)/(2/3) = 1/3. Without B: 1/3 * 2/3 = 2/9, RE_B = 2/3.
    # Without C: 0, RE_C = 1. Credits of 2 conversions in proportion 1/3 : 2/3 : 1 -> 1/3, 2/3, 1.
    j = journeys_from_paths(paths([("A > C", 1, 10, 0), ("B > C", 1, 10, 1)]))
    conv, _, effects = markov_credit(j)
    assert effects == pytest.approx({"A": 1 / 3, "B": 2 / 3, "C": 1.0})
    assert conv == pytest.approx({"A": 1 / 3, "B": 2 / 3, "C": 1.0})


def test_markov_collapses_repeats_but_heuristics_count_them() -> None:
    j = journeys_from_paths(paths([("A > A > B", 1, 0, 0)]))
    assert markov_credit(j)[0] == pytest.approx({"A": 0.5, "B": 0.5})
    assert attribute(j).conversions.loc["A", "Linear"] == pytest.approx(2 / 3)


def test_robust_where_other_libraries_fail() -> None:
    never = attribute(journeys_from_paths(paths([("A", 0, 0, 5), ("B", 0, 0, 2)])))  # zero conversions
    assert (never.conversions.fillna(0) == 0).all().all()
    single = attribute(journeys_from_paths(paths([("A", 3, 30, 7)])))  # a single-channel world
    assert single.conversions.loc["A"].drop("Time decay").tolist() == [3.0] * 6
    fractional = attribute(journeys_from_paths(paths([("A > B", 0.5, 1.5, 0.25), ("B", 1.25, 2, 0)])))
    assert fractional.conversions["Markov"].sum() == pytest.approx(1.75)
    dead_end = attribute(journeys_from_paths(paths([("A > B", 2, 0, 0), ("C", 0, 0, 9)])))  # C never converts
    assert dead_end.conversions.loc["C", "Markov"] == 0 and dead_end.conversions.loc["C", "Shapley"] == 0


def test_touchpoints_time_decay_and_lookback() -> None:
    t0 = dt.datetime(2026, 10, 1, 9)
    touches = pd.DataFrame(
        [
            ("J1", t0 - dt.timedelta(days=40), "Old", False, 0.0),  # older than 30 days before the last touch
            ("J1", t0 - dt.timedelta(days=7), "A", False, 0.0),
            ("J1", t0, "B", True, 100.0),
            ("J2", t0, "A", False, 0.0),
        ],
        columns=["Journey ID", "Timestamp", "Channel", "Converted", "Conversion value"],
    )
    j = journeys_from_touchpoints(touches, lookback_days=30)
    assert j.dropped_touches == 1
    a = attribute(j, half_life_days=7)
    # A's touch is one half-life before the conversion: weights 0.5 and 1 -> A 1/3, B 2/3
    assert a.conversions.loc["A", "Time decay"] == pytest.approx(1 / 3)
    assert a.conversions.loc["B", "Time decay"] == pytest.approx(2 / 3)
    assert a.value.loc["B", "Time decay"] == pytest.approx(200 / 3)
    assert "Old" not in a.conversions.index


def test_position_weights() -> None:
    assert position_weights(1) == [1.0]
    assert position_weights(2) == [0.4, 0.4]
    assert position_weights(4) == pytest.approx([0.4, 0.1, 0.1, 0.4])


channel = st.sampled_from(["A", "B", "C", "D"])


@pytest.mark.slow
@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(st.lists(channel, min_size=1, max_size=5), st.integers(0, 20), st.integers(0, 20)),
        min_size=1,
        max_size=8,
    )
)
def test_models_reconcile_and_never_go_negative(rows: list) -> None:
    frame = paths([(" > ".join(p), c, 10.0 * c, n) for p, c, n in rows])
    a = attribute(journeys_from_paths(frame))
    total = sum(c for _, c, _ in rows)
    for model in MODELS:
        if model == "Time decay":
            continue
        col = a.conversions[model]
        assert (col >= -1e-12).all()
        if total > 0 and model != "Markov":
            assert col.sum() == pytest.approx(total)
    if total > 0 and sum(a.removal_effects.values()) > 0:
        assert a.conversions["Markov"].sum() == pytest.approx(total)


REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "channelattribution_reference.json").read_text())


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_agrees_with_channelattribution(case: str) -> None:
    """First, last and linear exactly; Markov within the reference's simulation noise (a few per cent)."""
    ref = REFERENCE[case]
    data = paths(list(zip(*(ref["paths"][k] for k in ("path", "conversions", "value", "nulls")), strict=True)))
    got = attribute(journeys_from_paths(data))
    for model in ("First touch", "Last touch", "Linear"):
        for channel, exp in ref["models"][model]["conversions"].items():
            assert got.conversions.loc[channel, model] == pytest.approx(exp, rel=1e-9, abs=1e-9), (model, channel)
        for channel, exp in ref["models"][model]["value"].items():
            assert got.value.loc[channel, model] == pytest.approx(exp, rel=1e-9, abs=1e-9), (model, channel)
    total = got.conversions["Markov"].sum()
    for channel, exp in ref["models"]["Markov"]["conversions"].items():
        assert got.conversions.loc[channel, "Markov"] == pytest.approx(exp, abs=0.03 * total), channel
