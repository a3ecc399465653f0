"""A/B experiments: hand-worked z-tests and intervals, statsmodels as the reference for p-values and Holm,
decisions, power, SRM, undefined cases and a property test."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from mops_xl.analysis.figures.ab_tests.experiments import (
    COMPARISON_COLUMNS,
    RESULT_COLUMNS,
    experiment_results,
    holm,
    planned_shares,
    sample_ratio_p,
    two_proportion_z,
    visitors_needed,
)

Z975 = 1.959963984540054  # the 97.5 % normal quantile, from a table


def frame(rows: list[tuple]) -> pd.DataFrame:
    cols = ["Experiment", "Variant", "Is control", "Visitors", "Conversions", "Traffic share"]
    return pd.DataFrame([r + (math.nan,) * (6 - len(r)) for r in rows], columns=cols)


def run(rows: list[tuple], significance: float = 0.95, min_conversions: int = 30) -> pd.DataFrame:
    return experiment_results(frame(rows), significance, min_conversions).set_index(["Experiment", "Variant"])


# --- z-test, interval, relative lift: by hand -------------------------------------------------------------


def test_z_and_p_by_hand() -> None:
    # control 100/1000, variant 130/1000: pooled p = 230/2000 = 0.115,
    # se = sqrt(0.115 * 0.885 * (2/1000)) = sqrt(0.00020355) = 0.01426709...; z = 0.03 / se = 2.10274...
    z, p = two_proportion_z(100, 1000, 130, 1000)
    assert z == pytest.approx(0.03 / math.sqrt(0.00020355), rel=1e-12)
    assert z == pytest.approx(2.10274, abs=1e-5)
    assert p == pytest.approx(0.035488, abs=1e-6)  # 2 × (1 − Φ(2.10274)) = 2 × 0.017744
    # control 40/100, variant 60/100: pooled 0.5, se = sqrt(0.25 × 0.02) = sqrt(0.005), z = 0.2 / se = 2√2
    z, p = two_proportion_z(40, 100, 60, 100)
    assert z == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    assert p == pytest.approx(2 * stats.norm.cdf(-2 * math.sqrt(2)), rel=1e-12)  # Excel 2*NORM.S.DIST(-ABS(z))


def test_interval_and_relative_lift_by_hand() -> None:
    row = run([("E", "A", True, 100, 40), ("E", "B", False, 100, 60)]).loc[("E", "B")]
    # unpooled se = sqrt(0.4 × 0.6 / 100 + 0.6 × 0.4 / 100) = sqrt(0.0048) = 0.0692820...
    half = Z975 * math.sqrt(0.0048)
    assert row["Rate"] == pytest.approx(0.6)
    assert row["Lift"] == pytest.approx(0.2)
    assert row["Lift low"] == pytest.approx(0.2 - half, rel=1e-12)
    assert row["Lift high"] == pytest.approx(0.2 + half, rel=1e-12)
    assert (row["Lift low"], row["Lift high"]) == pytest.approx((0.064209, 0.335791), abs=1e-6)
    assert row["Relative lift"] == pytest.approx(0.5)  # 0.2 ÷ 0.4
    assert row["Z"] == pytest.approx(2 * math.sqrt(2))
    # a 99 % interval is wider: z = 2.5758293035489 (table)
    wide = run([("E", "A", True, 100, 40), ("E", "B", False, 100, 60)], significance=0.99).loc[("E", "B")]
    assert wide["Lift high"] == pytest.approx(0.2 + 2.5758293035489 * math.sqrt(0.0048), rel=1e-12)


@pytest.mark.parametrize(
    "c1, n1, c2, n2",
    [
        (100, 1000, 130, 1000),
        (260, 5200, 339, 5150),
        (5, 40, 9, 41),
        (1230, 41000, 1414, 41600),
        (620, 12400, 611, 12380),
        (3, 10000, 40, 10000),
        (0, 50, 1, 50),
        (49, 50, 50, 50),
        (1000, 100000, 1500, 100000),
    ],
)
def test_p_values_match_statsmodels(c1: int, n1: int, c2: int, n2: int) -> None:
    z, p = two_proportion_z(c1, n1, c2, n2)
    ref_z, ref_p = proportions_ztest([c2, c1], [n2, n1])
    assert z == pytest.approx(ref_z, rel=1e-12)
    assert p == pytest.approx(ref_p, rel=1e-12)
    results = run([("E", "A", True, n1, c1), ("E", "B", False, n2, c2)]).loc[("E", "B")]
    assert results["P value"] == pytest.approx(ref_p, rel=1e-12)  # one variant: P adjusted = P value
    assert results["P adjusted"] == pytest.approx(ref_p, rel=1e-12)


def test_tiny_p_values_are_not_lost() -> None:
    z, p = two_proportion_z(1000, 100000, 2000, 100000)
    assert 0 < p < 1e-40 and 1 - stats.norm.cdf(abs(z)) == 0  # 1 − cdf would round this to 0
    assert p == pytest.approx(2 * stats.norm.cdf(-abs(z)), rel=1e-12)


# --- Holm ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "pvals",
    [
        [0.01, 0.04, 0.03],
        [0.2, 0.001],
        [0.5],
        [0.04, 0.04, 0.04, 0.001],
        [0.9, 0.6, 0.7],
        [1e-30, 0.3, 0.02, 0.0101, 0.049],
    ],
)
def test_holm_matches_statsmodels(pvals: list[float]) -> None:
    ref = multipletests(pvals, method="holm")[1]
    assert holm(pvals) == pytest.approx(list(ref), rel=1e-12)


def test_holm_by_hand_and_with_undefined_p() -> None:
    # sorted 0.01, 0.03, 0.04 → 0.01×3 = 0.03, 0.03×2 = 0.06, max(0.06, 0.04×1) = 0.06 (monotone)
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert holm([0.6, 0.7]) == [1.0, 1.0]  # capped at 1
    adjusted = holm([0.02, math.nan, 0.04])  # an undefined p is left out of the family (2 tests, not 3)
    assert adjusted[0] == pytest.approx(0.04) and math.isnan(adjusted[1]) and adjusted[2] == pytest.approx(0.04)
    assert holm([]) == []


def test_holm_is_applied_within_an_experiment_and_drives_the_decision() -> None:
    rows = [
        ("E", "A", True, 10000, 500),
        ("E", "B", False, 10000, 570),
        ("E", "C", False, 10000, 505),
        ("F", "A", True, 10000, 500),
        ("F", "B", False, 10000, 570),
    ]
    results = run(rows)
    raw = [results.loc[("E", v), "P value"] for v in "BC"]
    assert [results.loc[("E", v), "P adjusted"] for v in "BC"] == pytest.approx(
        list(multipletests(raw, method="holm")[1]), rel=1e-12
    )
    assert results.loc[("E", "B"), "P adjusted"] == pytest.approx(2 * raw[0])  # the smaller p doubles (2 tests)
    # the same variant against the same control: significant alone, not once Holm counts the second variant
    assert raw[0] < 0.05 < 2 * raw[0]
    assert results.loc[("F", "B"), "Decision"] == "Roll out"
    # p = 2 × 0.02783 = 0.0557 (pooled 0.0535, z = 0.007 / 0.0031824 = 2.1996); lift 70 / 500 = +14.0 %
    assert results.loc[("E", "B"), "Decision"] == "Not significant yet (p = 0.056), +14.0% observed"
    assert not results.loc[("E", "B"), "Significant"]


# --- decisions ---------------------------------------------------------------------------------------------


def test_decisions() -> None:
    results = run(
        [
            ("Win", "A", True, 5000, 250),
            ("Win", "B", False, 5000, 330),
            ("Lose", "A", True, 5000, 330),
            ("Lose", "B", False, 5000, 250),
            ("Flat", "A", True, 5000, 250),
            ("Flat", "B", False, 5000, 255),
            ("Small", "A", True, 500, 20),
            ("Small", "B", False, 500, 60),  # control has 20 < 30
            ("Small2", "A", True, 50000, 100),
            ("Small2", "B", False, 50000, 29),  # variant has 29 < 30
        ]
    )
    assert results.loc[("Win", "B"), "Decision"] == "Roll out"
    assert results.loc[("Lose", "B"), "Decision"] == "Control wins"
    # Flat: 5.0 % vs 5.1 %, pooled 5.05 %, z = 0.001 / 0.0043795 = 0.2283, p = 0.819; lift 5 / 250 = +2.0 %
    assert results.loc[("Flat", "B"), "Decision"] == "Not significant yet (p = 0.819), +2.0% observed"
    # both "Small" lifts are significant: the sample check comes first
    assert results.loc[("Small", "B"), "Significant"] and results.loc[("Small2", "B"), "Significant"]
    assert results.loc[("Small", "B"), "Decision"] == "Keep testing: sample too small"
    assert results.loc[("Small2", "B"), "Decision"] == "Keep testing: sample too small"
    assert (results.loc[(slice(None), "A"), "Decision"] == "Control").all()
    controls = results[results["Is control"]]
    assert controls[list(COMPARISON_COLUMNS)].isna().all().all() and not controls["Significant"].any()


def test_significance_level_changes_the_decision() -> None:
    rows = [("E", "A", True, 1000, 100), ("E", "B", False, 1000, 130)]  # p = 0.0355 (hand case above)
    assert run(rows, significance=0.95).loc[("E", "B"), "Decision"] == "Roll out"
    # not below 0.01: said with its p and the lift observed, 30 / 100 = +30.0 %
    assert (
        run(rows, significance=0.99).loc[("E", "B"), "Decision"] == "Not significant yet (p = 0.035), +30.0% observed"
    )


def test_output_columns_and_input_order() -> None:
    rows = [
        ("E", "A", True, 1000, 50),
        ("F", "A", True, 1000, 40),
        ("E", "B", False, 1000, 60),
        ("F", "B", False, 1000, 45),
        ("E", "C", False, 1000, 70),
    ]
    results = experiment_results(frame(rows), 0.95, 30)
    assert list(results.columns) == list(RESULT_COLUMNS)
    assert list(zip(results["Experiment"], results["Variant"], strict=False)) == [(r[0], r[1]) for r in rows]
    assert results["Lift"].tolist()[3] == pytest.approx(0.005)  # F/B is compared with F's control


# --- visitors needed ---------------------------------------------------------------------------------------


def test_visitors_needed_by_hand() -> None:
    # p1 = 0.10, p2 = 0.15, α = 0.05, power 0.8: p̄ = 0.125,
    # (1.95996 × sqrt(2 × 0.125 × 0.875) + 0.84162 × sqrt(0.09 + 0.1275))² ÷ 0.05² = 1.30920² ÷ 0.0025 = 685.6
    assert visitors_needed(0.10, 0.15, 0.05) == 686  # Fleiss' table value, no continuity correction
    # p1 = 0.05, p2 = 0.06: sqrt(2 × 0.055 × 0.945) = 0.322413, sqrt(0.0475 + 0.0564) = 0.322335,
    # (1.959964 × 0.322413 + 0.841621 × 0.322335)² ÷ 0.01² = 0.903202² ÷ 0.0001 = 8157.7
    assert visitors_needed(0.05, 0.06, 0.05) == 8158
    assert visitors_needed(0.06, 0.05, 0.05) == 8158  # symmetric in the direction of the lift
    assert math.isnan(visitors_needed(0.05, 0.05, 0.05)) and math.isnan(visitors_needed(math.nan, 0.05, 0.05))
    row = run([("E", "A", True, 1000, 100), ("E", "B", False, 1000, 150)]).loc[("E", "B")]
    assert row["Visitors needed"] == 686


# --- sample ratio mismatch ---------------------------------------------------------------------------------


def test_sample_ratio_mismatch() -> None:
    flagged = run([("E", "A", True, 10000, 300, 0.5), ("E", "B", False, 10500, 320, 0.5)])
    # expected 10,250 each: chi² = 2 × 250² ÷ 10,250 = 12.195, 1 degree of freedom
    chi2 = 2 * 250**2 / 10250
    assert flagged["SRM p value"].iloc[0] == pytest.approx(stats.chi2.sf(chi2, 1), rel=1e-9)
    assert flagged["SRM p value"].iloc[0] == pytest.approx(stats.chisquare([10000, 10500]).pvalue, rel=1e-9)
    assert flagged["SRM p value"].iloc[0] < 0.001 and flagged["SRM flag"].all()
    fine = run([("E", "A", True, 10000, 300), ("E", "B", False, 10050, 320)])  # blank shares = 50/50
    assert fine["SRM p value"].iloc[0] == pytest.approx(stats.chi2.sf(2 * 25**2 / 10025, 1), rel=1e-9)
    assert not fine["SRM flag"].any()


def test_planned_split() -> None:
    assert sample_ratio_p([100, 100], [0.5, 5e-324]) == 0.0  # no overflow warning, no inf
    assert planned_shares([0.8, math.nan]) == pytest.approx([0.8, 0.2])  # the blank gets the remainder
    assert planned_shares([0.5, math.nan, math.nan]) == pytest.approx([0.5, 0.25, 0.25])
    assert planned_shares([math.nan] * 4) == pytest.approx([0.25] * 4)
    assert planned_shares([0.3, 0.3]) == pytest.approx([0.5, 0.5])  # normalised to 1
    assert planned_shares([0.7, 0.7, math.nan]) == pytest.approx([0.5, 0.5, 0.0])  # nothing left for the blank
    assert sample_ratio_p([8000, 2000], [0.8, math.nan]) == pytest.approx(1.0)
    assert sample_ratio_p([5000, 2500, 2500], [0.5, math.nan, math.nan]) == pytest.approx(1.0)
    # 8,000 / 2,000 against a 50/50 plan is a gross mismatch
    assert sample_ratio_p([8000, 2000], [math.nan, math.nan]) < 1e-100
    assert sample_ratio_p([100, 100, 0], [0.5, 0.5, 0.0]) == pytest.approx(1.0)  # a 0 % variant with none
    assert sample_ratio_p([100, 100, 5], [0.5, 0.5, 0.0]) == 0.0  # a 0 % variant that got traffic
    results = run([("E", "A", True, 100, 5, 0.5), ("E", "B", False, 100, 5, 0.5), ("E", "C", False, 5, 0)])
    assert results["SRM flag"].all() and results["Reason"].str.contains("planned at 0 %").all()
    assert math.isnan(sample_ratio_p([0, 0], [math.nan, math.nan])) and math.isnan(sample_ratio_p([10], [1.0]))


# --- undefined cases ---------------------------------------------------------------------------------------


def test_one_variant_experiment() -> None:
    only = experiment_results(frame([("Solo", "A", True, 100, 5)]), 0.95, 30)
    assert only["Decision"].tolist() == ["Control"] and only["Reason"].iloc[0] == "no variant to compare"
    assert only["Rate"].iloc[0] == pytest.approx(0.05)
    assert math.isnan(only["SRM p value"].iloc[0]) and not only["SRM flag"].iloc[0]


def test_zero_visitors() -> None:
    results = run(
        [
            ("E", "A", True, 1000, 50),
            ("E", "B", False, 0, 0),
            ("E", "C", False, 1000, 80),
            ("Empty", "A", True, 0, 0),
            ("Empty", "B", False, 0, 0),
        ]
    )
    row = results.loc[("E", "B")]
    assert math.isnan(row["Rate"]) and row[list(COMPARISON_COLUMNS)].isna().all() and row["Reason"] == "no visitors"
    assert row["Decision"] == "Keep testing: sample too small" and not row["Significant"]
    # C is still tested, and Holm counts only the defined p-value
    c = results.loc[("E", "C")]
    assert c["P adjusted"] == c["P value"] and c["Decision"] == "Roll out"
    empty = results.loc[("Empty", "B")]
    assert empty["Reason"] == "no visitors; control has no visitors" and math.isnan(empty["SRM p value"])
    assert results.loc[("Empty", "A"), "Reason"] == "no visitors"


def test_zero_and_full_conversion() -> None:
    results = run(
        [
            ("None", "A", True, 500, 0),
            ("None", "B", False, 500, 0),
            ("All", "A", True, 500, 500),
            ("All", "B", False, 500, 500),
            ("Ctl0", "A", True, 500, 0),
            ("Ctl0", "B", False, 500, 10),
            ("Edge", "A", True, 40, 0),
            ("Edge", "B", False, 40, 40),
        ],
        min_conversions=0,
    )
    none, full, ctl0, edge = (results.loc[(e, "B")] for e in ("None", "All", "Ctl0", "Edge"))
    assert none["Lift"] == 0 and math.isnan(none["Z"]) and math.isnan(none["P value"])
    # no p-value and no relative lift (the control converted nobody): nothing observed to say
    assert none["Reason"].startswith("no conversions in either group") and none["Decision"] == "Not significant yet"
    assert full["Lift"] == 0 and full["Relative lift"] == 0 and math.isnan(full["P value"])
    assert full["Reason"].startswith("every visitor converted")
    assert math.isnan(ctl0["Relative lift"]) and "control has no conversions" in ctl0["Reason"]
    assert ctl0["Lift"] == pytest.approx(0.02) and not math.isnan(ctl0["P value"])
    # 0 % vs 100 %: the unpooled se is 0, so the interval is undefined; the pooled z-test is not
    assert math.isnan(edge["Lift low"]) and "interval undefined" in edge["Reason"]
    assert edge["Z"] == pytest.approx(1 / math.sqrt(0.25 * 2 / 40)) and edge["Decision"] == "Roll out"


def test_equal_rates_have_no_visitors_needed() -> None:
    row = run([("E", "A", True, 1000, 100), ("E", "B", False, 3000, 300)]).loc[("E", "B")]
    assert row["Z"] == 0 and row["P value"] == 1 and math.isnan(row["Visitors needed"])
    assert row["Reason"] == "equal rates: no lift to detect, visitors needed undefined"


def test_impossible_rows_do_not_raise() -> None:
    # the validator rejects these; the metric must still not raise
    results = run(
        [
            ("E", "A", True, 100, 5),
            ("E", "B", False, 100, 150),
            ("F", "A", False, 100, 5),
            ("F", "B", False, 100, 6),
            ("G", "A", True, 100, 5),
            ("G", "B", False, 100, 9),
            ("G", "C", True, 100, 7),
        ]
    )
    assert math.isnan(results.loc[("E", "B"), "Rate"]) and pd.isna(results.loc[("E", "B"), "Decision"])
    assert results.loc[("F", "A"), "Reason"] == "the experiment has no control"
    assert results.loc[("G", "B"), "Lift"] == pytest.approx(0.04)  # compared with the first control
    assert results.loc[("G", "C"), "Decision"] == "Control"


# --- property ----------------------------------------------------------------------------------------------

variant = st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.one_of(st.just(math.nan), st.floats(0, 1))).map(
    lambda t: (max(t[:2]), min(t[:2]), t[2])
)


@pytest.mark.slow
@settings(deadline=None, max_examples=50)
@given(
    st.lists(st.lists(variant, min_size=1, max_size=4), min_size=1, max_size=3),
    st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.9999]),
    st.integers(0, 50),
)
def test_no_infinities_and_adjusted_at_least_raw(
    experiments: list[list[tuple]], significance: float, min_conversions: int
) -> None:
    rows = [
        (f"E{e}", f"V{i}", i == 0, n, c, s)
        for e, variants in enumerate(experiments)
        for i, (n, c, s) in enumerate(variants)
    ]
    results = experiment_results(frame(rows), significance, min_conversions)
    assert len(results) == len(rows)
    numeric = results.select_dtypes("number").to_numpy(dtype=float)
    assert not (abs(numeric) == math.inf).any()
    variants = results[~results["Is control"]]
    ok = variants["P value"].notna()
    assert (variants.loc[ok, "P adjusted"] >= variants.loc[ok, "P value"]).all()
    assert (variants.loc[ok, "P adjusted"] <= 1).all() and (variants.loc[ok, "P value"] >= 0).all()
    decided = {
        d if not str(d).startswith("Not significant yet") else "Not significant yet" for d in results["Decision"]
    }
    assert decided <= {
        "Control",
        "Roll out",
        "Control wins",
        "Not significant yet",
        "Keep testing: sample too small",
    }
    assert (variants["Significant"] == (variants["P adjusted"] < 1 - significance)).all()
    # every undefined comparison figure on a variant row comes with a reason
    undefined = variants[list(COMPARISON_COLUMNS)].isna().any(axis=1)
    assert (variants.loc[undefined, "Reason"] != "").all()
    assert (results["SRM flag"] == (results["SRM p value"] < 0.001)).all()
