"""An A/B variant's figure definitions (analysis/figures/ab_tests/experiment_figures.py): the pandas side worked out
by hand,
and the formula side read through a stub writer.

The main case: control 50 conversions of 1,000 visitors (p₁ = 5 %), variant 70 of 1,000 (p₂ = 7 %), α = 0.05.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mops_xl.analysis.blocks.statuses import CONTROL_WINS, NOT_SIGNIFICANT, ROLL_OUT, TOO_SMALL
from mops_xl.analysis.figures.ab_tests.experiment_figures import (
    COMPARISON_FIGURES,
    RATE,
    VARIANT_FIGURE,
    ExperimentBasis,
)

Z975 = 1.959963984540054  # the 97.5 % normal quantile, from a table
BASIS = ExperimentBasis(alpha=0.05, min_conversions=30)


def compared(*pairs: tuple[int, int, int, int]) -> pd.DataFrame:
    """Every comparison figure of variants given as (control conversions, control visitors, conversions, visitors)."""
    rows = pd.DataFrame(pairs, columns=["Control conversions", "Control visitors", "Conversions", "Visitors"])
    rows["Rate"] = RATE.compute(rows, BASIS)
    control = pd.DataFrame({"Visitors": rows["Control visitors"], "Conversions": rows["Control conversions"]})
    rows["Control rate"] = RATE.compute(control, BASIS)
    for figure in COMPARISON_FIGURES:
        rows[figure.name] = figure.compute(rows, BASIS)
    return rows


def test_rate_is_undefined_without_visitors_or_with_impossible_counts() -> None:
    rows = pd.DataFrame({"Visitors": [10, 0, 10], "Conversions": [3, 0, 11]})
    got = RATE.compute(rows, BASIS)
    assert got[0] == pytest.approx(0.3) and math.isnan(got[1]) and math.isnan(got[2])


def test_comparison_by_hand() -> None:
    got = compared((50, 1000, 70, 1000)).iloc[0]
    assert (got["Control rate"], got["Rate"], got["Lift"]) == (0.05, 0.07, pytest.approx(0.02))
    half = Z975 * math.sqrt(0.05 * 0.95 / 1000 + 0.07 * 0.93 / 1000)  # unpooled: √0.0001126
    assert got["Lift low"] == pytest.approx(0.02 - half) and got["Lift high"] == pytest.approx(0.02 + half)
    assert got["Relative lift"] == pytest.approx(0.4)  # 2 points on 5 %
    z = 0.02 / math.sqrt(0.06 * 0.94 * (1 / 1000 + 1 / 1000))  # pooled p̄ = 120 / 2000
    assert got["Z"] == pytest.approx(z)
    assert got["P value"] == pytest.approx(math.erfc(z / math.sqrt(2)))  # 2Φ(−|z|)
    # (1.95996 × √(2 × 0.06 × 0.94) + 0.84162 × √(0.0475 + 0.0651))² ÷ 0.02² = 0.94068² ÷ 0.0004 = 2212.2
    assert got["Visitors needed"] == 2213


def test_undefined_comparisons() -> None:
    got = compared((0, 30, 30, 30), (0, 100, 0, 100), (50, 500, 40, 400), (0, 0, 7, 10))
    zero_and_all, none, same, no_control = (row for _, row in got.iterrows())
    assert math.isnan(zero_and_all["Lift low"]) and math.isnan(zero_and_all["Lift high"])  # 0 % and 100 %: se 0
    assert math.isnan(zero_and_all["Relative lift"])  # the control converted nobody
    assert zero_and_all["Z"] == pytest.approx(math.sqrt(60))  # p̄ = 1/2: 1 ÷ √(1/4 × 2/30)
    assert math.isnan(none["Z"]) and math.isnan(none["P value"])  # p̄ = 0
    assert same["Lift"] == 0.0 and math.isnan(same["Visitors needed"])  # 10 % each
    assert math.isnan(no_control["Lift"]) and math.isnan(no_control["Z"])  # the control had no visitors


def test_significant_and_decision_by_hand() -> None:
    rows = pd.DataFrame(
        [  # control conversions, control visitors, conversions, visitors, P adjusted, lift
            (50, 1000, 70, 1000, 0.03, 0.02),
            (50, 1000, 30, 1000, 0.03, -0.02),
            (50, 1000, 60, 1000, 0.06, 0.01),
            (50, 1000, 20, 1000, 0.001, -0.03),
            (0, 0, 70, 1000, math.nan, math.nan),
            (50, 1000, 11, 10, math.nan, math.nan),
        ],
        columns=["Control conversions", "Control visitors", "Conversions", "Visitors", "P adjusted", "Lift"],
    )
    rows["Relative lift"] = rows["Lift"] / (rows["Control conversions"] / rows["Control visitors"])
    rows["Significant"] = VARIANT_FIGURE["Significant"].compute(rows, BASIS)
    assert list(rows["Significant"]) == [True, True, False, True, False, False]
    got = VARIANT_FIGURE["Decision"].compute(rows, BASIS)
    # row 3: not significant (0.06 ≥ 0.05), lift 0.01 on a control rate of 50 / 1,000 = 5 %: +20.0 % observed
    said = f"{NOT_SIGNIFICANT} (p = 0.060), +20.0% observed"
    assert list(got) == [ROLL_OUT, CONTROL_WINS, said, TOO_SMALL, TOO_SMALL, None]


class StubVariantWriter:
    """Names the variant's cells [figure] and the control's <figure>."""

    undefined = "U"

    def cell(self, figure: str) -> str:
        return f"[{figure}]"

    def control(self, figure: str) -> str:
        return f"<{figure}>"

    def value(self, field: str) -> str:
        return {"A/B significance level": "Sig", "Minimum conversions per variant": "Min"}[field]


def test_formulas_read_as_their_definitions() -> None:
    w = StubVariantWriter()
    assert RATE.formula(w) == "IF([Visitors]>0,[Conversions]/[Visitors],U)"
    assert VARIANT_FIGURE["Relative lift"].formula(w) == (
        "IF(AND(AND(ISNUMBER(<Rate>),ISNUMBER([Rate])),N(<Rate>)>0),[Lift]/<Rate>,U)"
    )
    assert VARIANT_FIGURE["Significant"].formula(w) == (
        'IF(ISNUMBER([P adjusted]),IF([P adjusted]<(1-Sig),"Yes","No"),"No")'
    )
    assert VARIANT_FIGURE["Decision"].formula(w) == (
        f'IF(OR(<Visitors>=0,[Visitors]=0,[Conversions]<Min,<Conversions><Min),"{TOO_SMALL}",'
        f'IF([Significant]<>"Yes","{NOT_SIGNIFICANT}"&IF(ISNUMBER([P adjusted])," (p "&IF([P adjusted]<0.001,'
        '"< 0.001","= "&TEXT([P adjusted],IF([P adjusted]<0.01,"0.0000","0.000")))&")","")&'
        'IF(ISNUMBER([Relative lift]),", "&TEXT([Relative lift],"+0.0%;-0.0%")&" observed",""),'
        f'IF([Lift]>0,"{ROLL_OUT}","{CONTROL_WINS}")))'
    )
