"""A/B experiments: hand-worked z-tests, statsmodels as the reference for p-values and Holm, decisions, SRM."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from mops_xl.metrics.experiments import experiment_results, holm, two_proportion_z, visitors_needed


def frame(rows: list[tuple]) -> pd.DataFrame:
    cols = ["Experiment", "Variant", "Is control", "Visitors", "Conversions", "Traffic share"]
    return pd.DataFrame([r + (math.nan,) * (6 - len(r)) for r in rows], columns=cols)


def test_z_and_p_by_hand() -> None:
    # control 100/1000, variant 130/1000: pooled p = 230/2000 = 0.115,
    # se = sqrt(0.115 * 0.885 * (2/1000)) = sqrt(0.00020355) = 0.0142671...; z = 0.03 / se = 2.10274...
    z, p = two_proportion_z(100, 1000, 130, 1000)
    se = math.sqrt(0.115 * 0.885 * 0.002)
    assert z == pytest.approx(0.03 / se, rel=1e-12)
    assert z == pytest.approx(2.10274, abs=1e-5)
    assert p == pytest.approx(2 * (1 - stats.norm.cdf(0.03 / se)), rel=1e-9)


@pytest.mark.parametrize("c1, n1, c2, n2", [(100, 1000, 130, 1000), (260, 5200, 339, 5150), (5, 40, 9, 41),
                                            (1230, 41000, 1414, 41600), (620, 12400, 611, 12380), (3, 10000, 40, 10000)])
def test_p_values_match_statsmodels(c1: int, n1: int, c2: int, n2: int) -> None:
    z, p = two_proportion_z(c1, n1, c2, n2)
    ref_z, ref_p = proportions_ztest([c2, c1], [n2, n1])
    assert z == pytest.approx(ref_z, rel=1e-12)
    assert p == pytest.approx(ref_p, rel=1e-9, abs=1e-300)


def test_tiny_p_values_are_not_lost() -> None:
    _, p = two_proportion_z(1000, 100000, 2000, 100000)
    assert 0 < p < 1e-40  # 1 - cdf would round this to 0


@pytest.mark.parametrize("pvals", [[0.01, 0.04, 0.03], [0.2, 0.001], [0.5], [0.04, 0.04, 0.04, 0.001]])
def test_holm_matches_statsmodels(pvals: list[float]) -> None:
    ref = multipletests(pvals, method="holm")[1]
    assert holm(pvals) == pytest.approx(list(ref), rel=1e-12)


def test_decisions_interval_and_relative_lift() -> None:
    results = experiment_results(frame([
        ("Win", "A", True, 5000, 250), ("Win", "B", False, 5000, 330),
        ("Lose", "A", True, 5000, 330), ("Lose", "B", False, 5000, 250),
        ("Flat", "A", True, 5000, 250), ("Flat", "B", False, 5000, 255),
        ("Small", "A", True, 500, 20), ("Small", "B", False, 500, 35),
    ]), 0.95, 30).set_index(["Experiment", "Variant"])
    assert results.loc[("Win", "B"), "Decision"] == "Roll out"
    assert results.loc[("Lose", "B"), "Decision"] == "Control wins"
    assert results.loc[("Flat", "B"), "Decision"] == "No difference"
    assert results.loc[("Small", "B"), "Decision"] == "Keep testing: sample too small"  # control has 20 < 30
    assert results.loc[("Win", "A"), "Decision"] == "Control"
    win = results.loc[("Win", "B")]
    assert win["Lift"] == pytest.approx(0.066 - 0.05)
    assert win["Relative lift"] == pytest.approx(0.016 / 0.05)
    se = math.sqrt(0.05 * 0.95 / 5000 + 0.066 * 0.934 / 5000)  # unpooled
    assert win["Lift low"] == pytest.approx(0.016 - stats.norm.ppf(0.975) * se)
    assert win["Lift high"] == pytest.approx(0.016 + stats.norm.ppf(0.975) * se)


def test_holm_is_applied_within_an_experiment() -> None:
    results = experiment_results(frame([
        ("E", "A", True, 10000, 500), ("E", "B", False, 10000, 570), ("E", "C", False, 10000, 505)]), 0.95, 30)
    raw = results["P value"].tolist()[1:]
    assert results["P adjusted"].tolist()[1:] == pytest.approx(list(multipletests(raw, method="holm")[1]))
    assert results.loc[1, "P adjusted"] == pytest.approx(2 * raw[0])  # the smaller p doubles (2 tests)


def test_visitors_needed_by_hand() -> None:
    # p1 = 0.05, p2 = 0.06, alpha 0.05, power 0.8: the textbook answer is about 8,158 per variant
    n = visitors_needed(0.05, 0.06, 0.05)
    za, zb = stats.norm.ppf(0.975), stats.norm.ppf(0.8)
    exp = (za * math.sqrt(2 * 0.055 * 0.945) + zb * math.sqrt(0.05 * 0.95 + 0.06 * 0.94)) ** 2 / 0.01 ** 2
    assert n == math.ceil(exp) and 8100 < n < 8200
    assert math.isnan(visitors_needed(0.05, 0.05, 0.05))


def test_sample_ratio_mismatch() -> None:
    flagged = experiment_results(frame([("E", "A", True, 10000, 300, 0.5), ("E", "B", False, 10500, 320, 0.5)]),
                                 0.95, 30)
    exp_p = stats.chisquare([10000, 10500], [10250, 10250]).pvalue
    assert flagged["SRM p value"].iloc[0] == pytest.approx(exp_p) and exp_p < 0.001
    assert flagged["SRM flag"].all()
    fine = experiment_results(frame([("E", "A", True, 10000, 300), ("E", "B", False, 10050, 320)]), 0.95, 30)
    assert not fine["SRM flag"].any()
    planned = experiment_results(frame([("E", "A", True, 8000, 300, 0.8), ("E", "B", False, 2000, 80)]), 0.95, 30)
    assert planned["SRM p value"].iloc[0] == pytest.approx(1.0)  # the blank share is the remaining 20 %


def test_one_variant_and_zero_visitors() -> None:
    only = experiment_results(frame([("Solo", "A", True, 100, 5)]), 0.95, 30)
    assert only["Decision"].tolist() == ["Control"] and only["Reason"].iloc[0] == "no variant to compare"
    empty = experiment_results(frame([("E", "A", True, 0, 0), ("E", "B", False, 0, 0)]), 0.95, 30)
    row = empty.iloc[1]
    assert math.isnan(row["Rate"]) and math.isnan(row["P value"]) and row["Reason"] == "no visitors"


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 5000)), min_size=2, max_size=4))
def test_no_infinities_and_adjusted_at_least_raw(pairs: list[tuple[int, int]]) -> None:
    rows = [("E", f"V{i}", i == 0, max(a, b), min(a, b)) for i, (a, b) in enumerate(pairs)]
    results = experiment_results(frame(rows), 0.95, 30)
    numeric = results.select_dtypes("number").to_numpy(dtype=float)
    assert not (abs(numeric) == math.inf).any()
    variants = results[~results["Is control"]]
    ok = variants["P value"].notna()
    assert (variants.loc[ok, "P adjusted"] >= variants.loc[ok, "P value"] - 1e-15).all()
