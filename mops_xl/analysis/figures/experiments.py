"""A/B experiments: conversion rates, lift with its interval, significance (Holm-adjusted), power, SRM.

Defined in ``docs/metrics.md`` (section "Experiments"). Every variant is compared with its experiment's
control; a figure that cannot be computed is NaN and the row's Reason says why (never inf, never an error).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mops_xl.analysis.blocks.statuses import CONTROL, CONTROL_WINS, NO_DIFFERENCE, ROLL_OUT, TOO_SMALL

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
#: The power "Visitors needed" is computed for.
POWER = 0.8


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
    """Pooled two-proportion z-test of variant (c2/n2) against control (c1/n1).

    Args:
        c1: Control conversions.
        n1: Control visitors.
        c2: Variant conversions.
        n2: Variant visitors.

    Returns:
        ``(z, two-sided p)``; both NaN when undefined (no visitors, or a pooled rate of 0 or 1).
    """
    if n1 <= 0 or n2 <= 0:
        return math.nan, math.nan
    pooled = (c1 + c2) / (n1 + n2)
    se = math.sqrt(max(pooled * (1 - pooled), 0.0) * (1 / n1 + 1 / n2))
    if se == 0:
        return math.nan, math.nan
    z = (c2 / n2 - c1 / n1) / se
    return z, float(2 * stats.norm.sf(abs(z)))  # = 2*NORM.S.DIST(-ABS(z),TRUE); keeps tiny p-values


def visitors_needed(p1: float, p2: float, alpha: float, power: float = POWER) -> float:
    """Visitors per variant needed to detect the difference p2 − p1 (two-sided test at ``alpha``).

    Args:
        p1: Control rate.
        p2: Variant rate.
        alpha: 1 − significance level.
        power: The power wanted.

    Returns:
        The visitors per variant, rounded up; NaN when the difference is 0 or undefined.
    """
    if math.isnan(p1) or math.isnan(p2) or p1 == p2:
        return math.nan
    z_a, z_b = stats.norm.isf(alpha / 2), stats.norm.ppf(power)
    p_bar = (p1 + p2) / 2
    n = (z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / (
        p2 - p1
    ) ** 2
    return float(math.ceil(n))


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
        return float(stats.chisquare(observed, expected).pvalue)


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
    rows: list[dict] = [{} for _ in range(len(frame))]
    for _, group in frame.groupby("Experiment", sort=False, dropna=False):
        for pos, rec in zip(group.index, _experiment(group, 1 - significance, min_conversions), strict=False):
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


def _experiment(group: pd.DataFrame, alpha: float, min_conversions: int) -> list[dict]:
    n = [_count(v) for v in group["Visitors"]]
    c = [_count(v) for v in group["Conversions"]]
    is_control = [False if pd.isna(v) else bool(v) for v in group["Is control"]]
    column = group["Traffic share"] if "Traffic share" in group else [math.nan] * len(group)
    shares = [math.nan if pd.isna(s) else float(s) for s in column]
    srm = sample_ratio_p([max(v, 0) for v in n], shares)
    srm_reason = _srm_reason(n, shares)
    recs = [
        {
            "Experiment": e,
            "Variant": v,
            "Is control": ctl,
            "Visitors": ni,
            "Conversions": ci,
            "Rate": ci / ni if _valid(ci, ni) else math.nan,
            **dict.fromkeys(COMPARISON_COLUMNS, math.nan),
            "Significant": False,
            "Decision": None,
            "SRM p value": srm,
            "SRM flag": bool(srm < SRM_ALPHA),
            "Reason": [_invalid(ci, ni)] + [srm_reason],
        }
        for e, v, ctl, ni, ci in zip(group["Experiment"], group["Variant"], is_control, n, c, strict=False)
    ]
    if True not in is_control:
        for rec in recs:
            rec["Reason"].append("the experiment has no control")
        return [_finish(rec) for rec in recs]
    k = is_control.index(True)
    variants = [rec for rec in recs if not rec["Is control"]]
    for rec in recs:
        if rec["Is control"]:
            rec["Decision"] = CONTROL
            rec["Reason"].append("" if variants else "no variant to compare")
            if rec is not recs[k]:
                rec["Reason"].append("more than one control: variants are compared with the first")
    for rec in variants:
        figures, reason = _compare(c[k], n[k], rec["Conversions"], rec["Visitors"], alpha)
        rec.update(figures)
        rec["Reason"].append(reason)
    for rec, adjusted in zip(variants, holm([r["P value"] for r in variants]), strict=False):
        rec["P adjusted"] = adjusted
        rec["Significant"] = bool(adjusted < alpha)
        rec["Decision"] = _decision(rec, c[k], n[k], min_conversions)
    return [_finish(rec) for rec in recs]


def _compare(c1: int, n1: int, c2: int, n2: int, alpha: float) -> tuple[dict, str]:
    if not _valid(c1, n1):
        return {}, "control has " + _invalid(c1, n1)
    if not _valid(c2, n2):
        return {}, ""  # the row's own reason is already there
    p1, p2 = c1 / n1, c2 / n2
    lift = p2 - p1
    z, p = two_proportion_z(c1, n1, c2, n2)
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    half = stats.norm.isf(alpha / 2) * se if se > 0 else math.nan
    figures = {
        "Lift": lift,
        "Lift low": lift - half,
        "Lift high": lift + half,
        "Relative lift": lift / p1 if p1 > 0 else math.nan,
        "Z": z,
        "P value": p,
        "Visitors needed": visitors_needed(p1, p2, alpha),
    }
    if c1 + c2 == 0:
        return figures, "no conversions in either group: interval, relative lift, z-test and visitors needed undefined"
    if c1 + c2 == n1 + n2:
        return figures, "every visitor converted in both groups: interval, z-test and visitors needed undefined"
    reasons = [
        "control has no conversions: relative lift undefined" if p1 == 0 else "",
        "rates of 0 % and 100 %: interval undefined" if se == 0 else "",
        "equal rates: no lift to detect, visitors needed undefined" if c1 * n2 == c2 * n1 else "",
    ]
    return figures, "; ".join(r for r in reasons if r)


def _decision(rec: dict, c1: int, n1: int, min_conversions: int) -> str | None:
    c2, n2 = rec["Conversions"], rec["Visitors"]
    if (n1 > 0 and not _valid(c1, n1)) or (n2 > 0 and not _valid(c2, n2)):
        return None  # impossible counts (the validator reports them): no decision
    if n1 <= 0 or n2 <= 0 or c1 < min_conversions or c2 < min_conversions:
        return TOO_SMALL
    if not rec["Significant"]:
        return NO_DIFFERENCE
    return ROLL_OUT if rec["Lift"] > 0 else CONTROL_WINS


def _srm_reason(visitors: list[int], shares: list[float]) -> str:
    if len(visitors) < 2 or sum(visitors) <= 0:  # no SRM test; the rows already say why
        return ""
    if any(s <= 0 < v for v, s in zip(visitors, planned_shares(shares), strict=False)):
        return "a variant planned at 0 % of the traffic got visitors: SRM p value 0"
    return ""


def _count(value: Any) -> int:
    return 0 if pd.isna(value) else int(value)


def _valid(conversions: int, visitors: int) -> bool:
    return visitors > 0 and 0 <= conversions <= visitors


def _invalid(conversions: int, visitors: int) -> str:
    if visitors <= 0:
        return "no visitors"
    return "" if 0 <= conversions <= visitors else "more conversions than visitors (or fewer than 0)"


def _finish(rec: dict) -> dict:
    rec["Reason"] = "; ".join(dict.fromkeys(r for r in rec["Reason"] if r))
    return rec
