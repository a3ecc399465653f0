"""A/B experiments: conversion rates, lift with its interval, significance (Holm-adjusted), power, SRM.

Defined in ``docs/metrics.md`` (section "Experiments"). Every variant is compared with its experiment's
control; a figure that cannot be computed is NaN and the row's Reason says why (never inf, never an error).
Each figure of a comparison is defined once, with its Excel formula beside its pandas computation, in
:mod:`~mops_xl.analysis.figures.ab_tests.experiment_figures`; the functions here add Holm, the sample-ratio check and
the
reasons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import CONTROL
from mops_xl.analysis.figures.ab_tests.distributions import chi_square_upper_tail
from mops_xl.analysis.figures.ab_tests.experiment_figures import (
    COMPARISON_FIGURES,
    P_VALUE,
    POWER,
    RATE,
    VERDICT_FIGURES,
    VISITORS_NEEDED,
    Z_SCORE,
    ExperimentBasis,
    valid_counts,
)

RESULT_COLUMNS = (
    "Experiment",
    "Variant",
    "Is control",
    "Visitors",
    "Conversions",
    "Rate",
    "Lift",
    "Lift low",
    "Lift high",
    "Relative lift",
    "Z",
    "P value",
    "P adjusted",
    "Significant",
    "Decision",
    "Visitors needed",
    "SRM p value",
    "SRM flag",
    "Reason",
)
#: The comparison figures, NaN on control rows and whenever they are undefined.
COMPARISON_COLUMNS = ("Lift", "Lift low", "Lift high", "Relative lift", "Z", "P value", "P adjusted", "Visitors needed")
#: A sample-ratio-mismatch p-value below this flags the experiment.
SRM_ALPHA = 0.001


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm step-down adjusted p-values (monotone, capped at 1); NaN inputs stay NaN and are not counted.

    Args:
        pvalues: Raw p-values of one family of tests.

    Returns:
        The adjusted p-values, in the input order.
    """
    ranked = sorted((p, i) for i, p in enumerate(pvalues) if not math.isnan(p))
    out = [math.nan] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(ranked):
        running = max(running, min(1.0, (len(ranked) - rank) * p))
        out[i] = running
    return out


def two_proportion_z(c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    """Pooled two-proportion z-test of variant (c2/n2) against control (c1/n1): the Z and P value definitions.

    Args:
        c1: Control conversions.
        n1: Control visitors.
        c2: Variant conversions.
        n2: Variant visitors.

    Returns:
        ``(z, two-sided p)``; both NaN when undefined (no visitors, or a pooled rate of 0 or 1).
    """
    rows = pd.DataFrame(
        {"Visitors": [n2], "Conversions": [c2], "Control visitors": [n1], "Control conversions": [c1]}, dtype="int64"
    )
    basis = ExperimentBasis(alpha=0.05)  # neither figure reads the significance level
    rows["Z"] = Z_SCORE.compute(rows, basis)
    return float(rows["Z"].iloc[0]), float(P_VALUE.compute(rows, basis).iloc[0])


def visitors_needed(p1: float, p2: float, alpha: float, power: float = POWER) -> float:
    """Visitors per variant needed to detect the difference p2 − p1 (two-sided test at ``alpha``): the Visitors
    needed definition.

    Args:
        p1: Control rate.
        p2: Variant rate.
        alpha: 1 − significance level.
        power: The power wanted.

    Returns:
        The visitors per variant, rounded up; NaN when the difference is 0 or undefined.
    """
    rows = pd.DataFrame({"Control rate": [p1], "Rate": [p2]}, dtype="float64")
    return float(VISITORS_NEEDED.compute(rows, ExperimentBasis(alpha, power=power)).iloc[0])


def planned_shares(shares: Sequence[float]) -> list[float]:
    """Turn the Traffic share column of one experiment into a planned split that sums to 1.

    Args:
        shares: Planned shares per variant; NaN = not given.

    Returns:
        The shares: blanks get an equal part of what the given shares leave (all blank = equal shares),
        then everything is divided by its sum (all zero = equal shares).
    """
    given = sum(s for s in shares if not math.isnan(s))
    blanks = sum(1 for s in shares if math.isnan(s))
    rest = max(1.0 - given, 0.0) / blanks if blanks else 0.0
    planned = [rest if math.isnan(s) else s for s in shares]
    total = sum(planned)
    return [s / total for s in planned] if total > 0 else [1 / len(shares)] * len(shares)


def sample_ratio_p(visitors: Sequence[int], shares: Sequence[float]) -> float:
    """Chi-square goodness-of-fit p-value of the visitors against the planned traffic split.

    Args:
        visitors: Visitors per variant.
        shares: Planned shares (NaN = not given; see :func:`planned_shares`).

    Returns:
        The p-value; NaN with fewer than two variants or no visitors; 0 when a variant planned at 0 % got
        visitors (the split cannot match the plan).
    """
    if len(visitors) < 2 or sum(visitors) <= 0:
        return math.nan
    pairs = [(v, s) for v, s in zip(visitors, planned_shares(shares), strict=False) if s > 0 or v > 0]
    if any(s <= 0 for _, s in pairs):
        return 0.0
    if len(pairs) < 2:
        return 1.0
    observed = np.array([v for v, _ in pairs], dtype=float)
    expected = np.array([s for _, s in pairs]) * observed.sum()
    with np.errstate(over="ignore", divide="ignore"):  # a share near 0 that got visitors: p underflows to 0
        statistic = np.sum((observed - expected) ** 2 / expected)  # Pearson's χ², as scipy.stats.chisquare
        return chi_square_upper_tail(len(observed) - 1, float(statistic))  # its tail with k − 1 degrees of freedom


def experiment_results(experiments: pd.DataFrame, significance: float, min_conversions: int) -> pd.DataFrame:
    """Evaluate every variant of every experiment against its control.

    Args:
        experiments: The Experiments table (Experiment, Variant, Is control, Visitors, Conversions and,
            optionally, Traffic share).
        significance: The A/B significance level (e.g. 0.95).
        min_conversions: Minimum conversions per variant (and control) before a decision.

    Returns:
        One row per input row, in input order, with the columns :data:`RESULT_COLUMNS`.
    """
    frame = experiments.reset_index(drop=True)
    basis = ExperimentBasis(1 - significance, min_conversions)
    rows: list[dict] = [{} for _ in range(len(frame))]
    for _, group in frame.groupby("Experiment", sort=False, dropna=False):
        for pos, rec in zip(group.index, _experiment(group, basis), strict=False):
            rows[pos] = rec
    out = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    return out.astype(
        {
            "Visitors": "int64",
            "Conversions": "int64",
            "Is control": bool,
            "Significant": bool,
            "SRM flag": bool,
            **{c: "float64" for c in (*COMPARISON_COLUMNS, "Rate", "SRM p value")},
        }
    )


def _experiment(group: pd.DataFrame, basis: ExperimentBasis) -> list[dict]:
    n = [_count(v) for v in group["Visitors"]]
    c = [_count(v) for v in group["Conversions"]]
    is_control = [False if pd.isna(v) else bool(v) for v in group["Is control"]]
    column = group["Traffic share"] if "Traffic share" in group else [math.nan] * len(group)
    shares = [math.nan if pd.isna(s) else float(s) for s in column]
    srm = sample_ratio_p([max(v, 0) for v in n], shares)
    srm_reason = _srm_reason(n, shares)
    rows = pd.DataFrame({"Visitors": n, "Conversions": c}, dtype="int64")
    rows["Rate"] = RATE.compute(rows, basis)
    recs = [
        {
            "Experiment": e,
            "Variant": v,
            "Is control": ctl,
            "Visitors": ni,
            "Conversions": ci,
            "Rate": rate,
            **dict.fromkeys(COMPARISON_COLUMNS, math.nan),
            "Significant": False,
            "Decision": None,
            "SRM p value": srm,
            "SRM flag": bool(srm < SRM_ALPHA),
            "Reason": [_invalid(ci, ni)] + [srm_reason],
        }
        for e, v, ctl, ni, ci, rate in zip(
            group["Experiment"], group["Variant"], is_control, n, c, rows["Rate"], strict=False
        )
    ]
    if True not in is_control:
        for rec in recs:
            rec["Reason"].append("the experiment has no control")
        return [_finish(rec) for rec in recs]
    k = is_control.index(True)
    variants = [i for i, ctl in enumerate(is_control) if not ctl]
    for i, rec in enumerate(recs):
        if rec["Is control"]:
            rec["Decision"] = CONTROL
            rec["Reason"].append("" if variants else "no variant to compare")
            if i != k:
                rec["Reason"].append("more than one control: variants are compared with the first")
    compared = _compare(rows.iloc[variants], (n[k], c[k], float(rows["Rate"].iloc[k])), basis)
    for i, figures in zip(variants, compared.to_dict("records"), strict=True):
        recs[i].update({name: figures[name] for name in (*COMPARISON_COLUMNS, "Significant", "Decision")})
        recs[i]["Reason"].append(_comparison_reason(c[k], n[k], c[i], n[i], figures))
    return [_finish(rec) for rec in recs]


def _compare(variants: pd.DataFrame, control: tuple[int, int, float], basis: ExperimentBasis) -> pd.DataFrame:
    """Every variant of an experiment against its control: each figure from its definition, then Holm."""
    n1, c1, p1 = control
    rows = variants.assign(**{"Control visitors": n1, "Control conversions": c1, "Control rate": p1})
    for figure in COMPARISON_FIGURES:
        rows[figure.name] = figure.compute(rows, basis)
    comparable = valid_counts(c1, n1) & valid_counts(rows["Conversions"], rows["Visitors"])
    rows.loc[~comparable, [f.name for f in COMPARISON_FIGURES]] = math.nan  # impossible counts: no comparison
    rows["P adjusted"] = holm([float(p) for p in rows["P value"]])
    for figure in VERDICT_FIGURES:
        rows[figure.name] = figure.compute(rows, basis)
    return rows


def _comparison_reason(c1: int, n1: int, c2: int, n2: int, figures: dict[str, Any]) -> str:
    """Why a variant's comparison figures are undefined ("" when they are all defined)."""
    if not valid_counts(c1, n1):
        return "control has " + _invalid(c1, n1)
    if not valid_counts(c2, n2):
        return ""  # the row's own reason is already there
    if c1 + c2 == 0:
        return "no conversions in either group: interval, relative lift, z-test and visitors needed undefined"
    if c1 + c2 == n1 + n2:
        return "every visitor converted in both groups: interval, z-test and visitors needed undefined"
    reasons = [
        "control has no conversions: relative lift undefined" if c1 == 0 else "",
        "rates of 0 % and 100 %: interval undefined" if math.isnan(figures["Lift low"]) else "",
        "equal rates: no lift to detect, visitors needed undefined" if c1 * n2 == c2 * n1 else "",
    ]
    return "; ".join(r for r in reasons if r)


def _srm_reason(visitors: list[int], shares: list[float]) -> str:
    if len(visitors) < 2 or sum(visitors) <= 0:  # no SRM test; the rows already say why
        return ""
    if any(s <= 0 < v for v, s in zip(visitors, planned_shares(shares), strict=False)):
        return "a variant planned at 0 % of the traffic got visitors: SRM p value 0"
    return ""


def _count(value: Any) -> int:
    return 0 if pd.isna(value) else int(value)


def _invalid(conversions: int, visitors: int) -> str:
    if visitors <= 0:
        return "no visitors"
    return "" if 0 <= conversions <= visitors else "more conversions than visitors (or fewer than 0)"


def _finish(rec: dict) -> dict:
    rec["Reason"] = "; ".join(dict.fromkeys(r for r in rec["Reason"] if r))
    return rec
