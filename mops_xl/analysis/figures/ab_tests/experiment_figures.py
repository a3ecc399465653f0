"""An A/B variant's figures, each defined once: its pandas computation and its Excel formula side by side.

Every variant is compared with its experiment's control (docs/metrics.md, "Experiments"). Each figure of the
comparison is a definition here, in the manner of the catalogue's blocks
(:mod:`mops_xl.analysis.blocks.figure_blocks`): ``compute`` gives the engine's value of every variant at once
with pandas, and ``formula`` writes the same figure as the Excel formula of the variant's row on the report's
Experiments sheet, through a :class:`VariantWriter` that the report implements (it knows where the variant's and
its control's cells are and how a Settings value is named). The analysis never imports the report.

The variants' frame holds each variant's Visitors, Conversions and Rate, its control's (Control visitors,
Control conversions, Control rate) and the figures computed before (:data:`COMPARISON_FIGURES` in order; then,
after the Holm adjustment across the experiment, :data:`VERDICT_FIGURES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import CONTROL_WINS, NOT_SIGNIFICANT, ROLL_OUT, TOO_SMALL
from mops_xl.analysis.blocks.wording import p_value, percent
from mops_xl.analysis.figures.ab_tests.distributions import normal_quantile, two_sided_p

#: The power "Visitors needed" is computed for.
POWER = 0.8


def normal_critical(tail: float) -> float:
    """The standard normal's z with ``tail`` of the distribution above it, z = Φ⁻¹(1 − tail), as Excel's
    ``NORM.S.INV(1-tail)``: −Φ⁻¹(tail) (what ``scipy.stats.norm.isf`` computes; see
    :mod:`~mops_xl.analysis.figures.ab_tests.distributions`).

    Args:
        tail: The probability above z (α/2 for a two-sided test at significance α).

    Returns:
        z (1.959963984540054 for a tail of 0.025); +inf for 0, NaN outside [0, 1].
    """
    return -normal_quantile(tail)


class VariantWriter(Protocol):
    """What a variant's definitions need to write themselves as Excel formulas; the report implements it for the
    row of one variant."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def cell(self, figure: str) -> str:
        """The cell of the variant's row holding one of its figures (Visitors, Conversions, Rate, Lift …)."""
        ...

    def control(self, figure: str) -> str:
        """The cell of its control's row holding Visitors, Conversions or Rate."""
        ...

    def value(self, field: str) -> str:
        """The defined name of a Settings value, e.g. "A/B significance level"."""
        ...


@dataclass(frozen=True)
class ExperimentBasis:
    """The Settings a comparison is judged by.

    Args:
        alpha: 1 − the A/B significance level (0.05 at 95 %).
        min_conversions: Minimum conversions per variant (and control) before a decision.
        power: The power Visitors needed is computed for.
    """

    alpha: float
    min_conversions: int = 0
    power: float = POWER


class VariantFigure(Protocol):
    """One figure of a variant: computed with pandas for every variant, written as the formula of one variant."""

    @property
    def name(self) -> str:
        """The figure's column."""
        ...

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        """The figure of every variant (``rows`` holds the figures computed before it)."""
        ...

    def formula(self, w: VariantWriter) -> str:
        """The figure of one variant as an Excel formula (no leading "=")."""
        ...


def valid_counts(conversions: Any, visitors: Any) -> Any:
    """Whether counts can be a rate: some visitors, and conversions from 0 to the visitors.

    Args:
        conversions: Conversions (a number or a Series).
        visitors: Visitors, alike.

    Returns:
        A bool, or a Series of them.
    """
    return (visitors > 0) & (conversions >= 0) & (conversions <= visitors)


def _both(w: VariantWriter) -> str:
    return f"AND(ISNUMBER({w.control('Rate')}),ISNUMBER({w.cell('Rate')}))"


def _alpha(w: VariantWriter) -> str:
    return f"(1-{w.value('A/B significance level')})"


def _critical_z(w: VariantWriter) -> str:
    return f"_xlfn.NORM.S.INV(1-{_alpha(w)}/2)"  # _xlfn.: how a file names a function newer than Excel 2007


class Rate:
    """c ÷ n; undefined without visitors (the engine: also with more conversions than visitors, or fewer than 0)."""

    name = "Rate"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        visitors, conversions = rows["Visitors"], rows["Conversions"]
        return (conversions / visitors).where(valid_counts(conversions, visitors))

    def formula(self, w: VariantWriter) -> str:
        visitors = w.cell("Visitors")
        return f"IF({visitors}>0,{w.cell('Conversions')}/{visitors},{w.undefined})"


class Lift:
    """p₂ − p₁ (absolute); undefined when either rate is."""

    name = "Lift"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        return rows["Rate"] - rows["Control rate"]

    def formula(self, w: VariantWriter) -> str:
        return f"IF({_both(w)},{w.cell('Rate')}-{w.control('Rate')},{w.undefined})"


@dataclass(frozen=True)
class LiftBound:
    """Lift ∓ z₁₋α/₂ × √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂) (the unpooled standard error); the engine leaves it undefined
    when that error is 0 (each rate 0 % or 100 %).

    Args:
        name: "Lift low" or "Lift high".
    """

    name: str

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        p1, p2 = rows["Control rate"], rows["Rate"]
        se = np.sqrt(p1 * (1 - p1) / rows["Control visitors"] + p2 * (1 - p2) / rows["Visitors"])
        half = (normal_critical(basis.alpha / 2) * se).where(se > 0)
        return rows["Lift"] - half if self.name == "Lift low" else rows["Lift"] + half

    def formula(self, w: VariantWriter) -> str:
        p1, p2, n1, n2 = w.control("Rate"), w.cell("Rate"), w.control("Visitors"), w.cell("Visitors")
        se = f"SQRT({p1}*(1-{p1})/{n1}+{p2}*(1-{p2})/{n2})"
        sign = "-" if self.name == "Lift low" else "+"
        return f"IF({_both(w)},{w.cell('Lift')}{sign}{_critical_z(w)}*{se},{w.undefined})"


class RelativeLift:
    """Lift ÷ p₁; undefined when the control has no conversions."""

    name = "Relative lift"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        p1 = rows["Control rate"]
        return (rows["Lift"] / p1).where(p1 > 0)

    def formula(self, w: VariantWriter) -> str:
        p1 = w.control("Rate")
        return f"IF(AND({_both(w)},N({p1})>0),{w.cell('Lift')}/{p1},{w.undefined})"


class Z:
    """(p₂ − p₁) ÷ √(p̄(1−p̄)(1/n₁ + 1/n₂)), p̄ = (c₁ + c₂) ÷ (n₁ + n₂) pooled; undefined without visitors on a
    side or when p̄ is 0 or 1."""

    name = "Z"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        n1, c1, n2, c2 = rows["Control visitors"], rows["Control conversions"], rows["Visitors"], rows["Conversions"]
        has_visitors = (n1 > 0) & (n2 > 0)
        n1, n2 = n1.where(has_visitors), n2.where(has_visitors)  # NaN: no z
        pooled = (c1 + c2) / (n1 + n2)
        se = np.sqrt((pooled * (1 - pooled)).clip(lower=0.0) * (1 / n1 + 1 / n2))
        return ((c2 / n2 - c1 / n1) / se).where(se != 0)

    def formula(self, w: VariantWriter) -> str:
        n1, c1, n2, c2 = w.control("Visitors"), w.control("Conversions"), w.cell("Visitors"), w.cell("Conversions")
        pooled = f"(({c1}+{c2})/({n1}+{n2}))"
        se = f"SQRT({pooled}*(1-{pooled})*(1/{n1}+1/{n2}))"
        u = w.undefined
        return f"IF(AND({n1}>0,{n2}>0),IF({se}>0,({c2}/{n2}-{c1}/{n1})/{se},{u}),{u})"


class PValue:
    """2 × Φ(−|Z|), two-sided (not 1 − Φ, which loses small p-values); undefined with Z."""

    name = "P value"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        return pd.Series([two_sided_p(z) for z in rows["Z"].astype("float64")], index=rows.index, dtype="float64")

    def formula(self, w: VariantWriter) -> str:
        z = w.cell("Z")
        # NORMSDIST (= NORM.S.DIST(z,TRUE)): Excel keeps it, and Gnumeric reads no NORM.S.DIST in a file
        return f"IF(ISNUMBER({z}),2*NORMSDIST(-ABS({z})),{w.undefined})"


class VisitorsNeeded:
    """Visitors per variant to detect p₂ − p₁ at the significance level and power:
    (z₁₋α/₂ √(2p̄(1−p̄)) + z_power √(p₁(1−p₁) + p₂(1−p₂)))² ÷ (p₂ − p₁)², p̄ = (p₁ + p₂) ÷ 2, rounded up; undefined
    when the rates are equal or either is undefined."""

    name = "Visitors needed"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        p1, p2 = rows["Control rate"], rows["Rate"]
        z_a, z_b = normal_critical(basis.alpha / 2), normal_quantile(basis.power)
        p_bar = (p1 + p2) / 2
        spread = z_a * np.sqrt(2 * p_bar * (1 - p_bar)) + z_b * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
        return np.ceil(spread**2 / (p2 - p1) ** 2).where(p1 != p2)

    def formula(self, w: VariantWriter) -> str:
        p1, p2 = w.control("Rate"), w.cell("Rate")
        p_bar = f"(({p1}+{p2})/2)"
        spread = (
            f"{_critical_z(w)}*SQRT(2*{p_bar}*(1-{p_bar}))+_xlfn.NORM.S.INV({POWER})*SQRT({p1}*(1-{p1})+{p2}*(1-{p2}))"
        )
        return f"IF(AND({_both(w)},N({w.cell('Lift')})<>0),ROUNDUP(({spread})^2/({p2}-{p1})^2,0),{w.undefined})"


class Significant:
    """P adjusted (Holm, across the experiment's variants) < α; No when P adjusted is undefined."""

    name = "Significant"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        return rows["P adjusted"] < basis.alpha

    def formula(self, w: VariantWriter) -> str:
        adjusted = w.cell("P adjusted")
        return f'IF(ISNUMBER({adjusted}),IF({adjusted}<{_alpha(w)},"Yes","No"),"No")'


def not_significant_yet(p_adjusted: float, relative_lift: float) -> str:
    """The decision of a variant that is not significant, with what was seen: "Not significant yet (p = 0.050),
    +37.7% observed" (never "No difference" for a lift that was observed).

    Args:
        p_adjusted: Its P adjusted (NaN when undefined: the p-value is left out).
        relative_lift: Its Relative lift (NaN when undefined: the lift is left out).

    Returns:
        The text.
    """
    p = p_value(p_adjusted)
    text = NOT_SIGNIFICANT
    if p != "–":
        text += f" (p {p})" if p.startswith("<") else f" (p = {p})"
    if not np.isnan(relative_lift):
        text += f", {percent(relative_lift, signed=True)} observed"
    return text


def _not_significant_formula(w: VariantWriter) -> str:
    """:func:`not_significant_yet` as an Excel formula: the sheet's p-value format and a signed 0.0% by TEXT."""
    p, lift = w.cell("P adjusted"), w.cell("Relative lift")
    shown_p = f'IF({p}<0.001,"< 0.001","= "&TEXT({p},IF({p}<0.01,"0.0000","0.000")))'
    return (
        f'"{NOT_SIGNIFICANT}"&IF(ISNUMBER({p})," (p "&{shown_p}&")","")'
        f'&IF(ISNUMBER({lift}),", "&TEXT({lift},"+0.0%;-0.0%")&" observed","")'
    )


class Decision:
    """Too small (the variant or its control without visitors or under the minimum conversions), else Not
    significant yet (with its p-value and the lift observed) when not Significant, else Roll out when Lift > 0,
    else Control wins. The engine gives none for counts the validator rejects (more conversions than visitors, or
    fewer than 0)."""

    name = "Decision"

    def compute(self, rows: pd.DataFrame, basis: ExperimentBasis) -> pd.Series:
        n1, c1, n2, c2 = rows["Control visitors"], rows["Control conversions"], rows["Visitors"], rows["Conversions"]
        least = basis.min_conversions
        too_small = (n1 <= 0) | (n2 <= 0) | (c1 < least) | (c2 < least)
        decision = np.select(
            [too_small, ~rows["Significant"], rows["Lift"] > 0], [TOO_SMALL, NOT_SIGNIFICANT, ROLL_OUT], CONTROL_WINS
        ).astype(object)
        said = [
            not_significant_yet(float(p), float(lift))
            for p, lift in zip(rows["P adjusted"], rows["Relative lift"], strict=True)
        ]
        decision = np.where(decision == NOT_SIGNIFICANT, np.array(said, dtype=object), decision)
        impossible = ((n1 > 0) & ~valid_counts(c1, n1)) | ((n2 > 0) & ~valid_counts(c2, n2))
        decided = [None if no else str(d) for d, no in zip(decision, impossible, strict=True)]
        return pd.Series(decided, index=rows.index, dtype=object)

    def formula(self, w: VariantWriter) -> str:
        n1, c1, n2, c2 = w.control("Visitors"), w.control("Conversions"), w.cell("Visitors"), w.cell("Conversions")
        least = w.value("Minimum conversions per variant")
        return (
            f'IF(OR({n1}=0,{n2}=0,{c2}<{least},{c1}<{least}),"{TOO_SMALL}",IF({w.cell("Significant")}<>"Yes",'
            f'{_not_significant_formula(w)},IF({w.cell("Lift")}>0,"{ROLL_OUT}","{CONTROL_WINS}")))'
        )


RATE, Z_SCORE, P_VALUE, VISITORS_NEEDED = Rate(), Z(), PValue(), VisitorsNeeded()
#: A variant's comparison with its control, in the order they are computed.
COMPARISON_FIGURES: tuple[VariantFigure, ...] = (
    Lift(),
    LiftBound("Lift low"),
    LiftBound("Lift high"),
    RelativeLift(),
    Z_SCORE,
    P_VALUE,
    VISITORS_NEEDED,
)
#: What is decided after the P values are adjusted across the experiment (Holm).
VERDICT_FIGURES: tuple[VariantFigure, ...] = (Significant(), Decision())
#: Each figure with a formula by name.
VARIANT_FIGURE = {f.name: f for f in (RATE, *COMPARISON_FIGURES, *VERDICT_FIGURES)}
