"""A/B experiments: conversion rates, lift with its interval, significance (Holm-adjusted), power, SRM."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

RESULT_COLUMNS = (
    "Experiment", "Variant", "Is control", "Visitors", "Conversions", "Rate", "Lift", "Lift low", "Lift high",
    "Relative lift", "Z", "P value", "P adjusted", "Significant", "Decision", "Visitors needed", "SRM p value",
    "SRM flag", "Reason",
)
ROLL_OUT, CONTROL_WINS, TOO_SMALL, NO_DIFFERENCE, CONTROL = (
    "Roll out", "Control wins", "Keep testing: sample too small", "No difference", "Control")
SRM_ALPHA = 0.001
POWER = 0.8


def holm(pvalues: list[float]) -> list[float]:
    """Holm step-down adjusted p-values (monotone, capped at 1); NaN inputs stay NaN.

    Args:
        pvalues: Raw p-values of one family of tests.

    Returns:
        The adjusted p-values, in the input order.
    """
    indexed = [(p, i) for i, p in enumerate(pvalues) if not math.isnan(p)]
    indexed.sort()
    m = len(indexed)
    out = [math.nan] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
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
        ``(z, two-sided p)``; NaN when undefined (no visitors, or a pooled rate of 0 or 1).
    """
    if n1 <= 0 or n2 <= 0:
        return math.nan, math.nan
    pooled = (c1 + c2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
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
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    p_bar = (p1 + p2) / 2
    n = (z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 \
        / (p2 - p1) ** 2
    return float(math.ceil(n))


def sample_ratio_p(visitors: list[int], shares: list[float]) -> float:
    """Chi-square goodness-of-fit p-value of the visitors against the planned traffic split.

    Args:
        visitors: Visitors per variant.
        shares: Planned shares (NaN = not given: the remainder is spread equally over those).

    Returns:
        The p-value, NaN with fewer than two variants or no visitors.
    """
    total = sum(visitors)
    if len(visitors) < 2 or total <= 0:
        return math.nan
    given = [s for s in shares if not math.isnan(s)]
    blanks = len(shares) - len(given)
    rest = max(1.0 - sum(given), 0.0)
    planned = [s if not math.isnan(s) else (rest / blanks if blanks else 0.0) for s in shares]
    if sum(planned) <= 0:
        planned = [1.0] * len(shares)
    expected = np.array(planned) / sum(planned) * total
    if (expected <= 0).any():
        return math.nan
    return float(stats.chisquare(visitors, expected).pvalue)


def experiment_results(experiments: pd.DataFrame, significance: float, min_conversions: int) -> pd.DataFrame:
    """Evaluate every variant of every experiment against its control.

    Args:
        experiments: The Experiments table (Experiment, Variant, Is control, Visitors, Conversions, Traffic share).
        significance: The A/B significance level (e.g. 0.95).
        min_conversions: Minimum conversions per variant before a decision.

    Returns:
        One row per variant (input order), columns :data:`RESULT_COLUMNS`.
    """
    alpha = 1 - significance
    z_crit = stats.norm.ppf(1 - alpha / 2)
    rows: list[dict] = []
    for name, group in experiments.groupby("Experiment", sort=False):
        control = group[group["Is control"].fillna(False).astype(bool)].iloc[0]
        n1, c1 = int(control["Visitors"]), int(control["Conversions"])
        p1 = c1 / n1 if n1 else math.nan
        srm = sample_ratio_p([int(v) for v in group["Visitors"]],
                             [float(s) if not pd.isna(s) else math.nan for s in group["Traffic share"]])
        variants = []
        for _, v in group.iterrows():
            n2, c2 = int(v["Visitors"]), int(v["Conversions"])
            rec = {"Experiment": name, "Variant": v["Variant"], "Is control": bool(v["Is control"]),
                   "Visitors": n2, "Conversions": c2, "Rate": c2 / n2 if n2 else math.nan,
                   "SRM p value": srm, "SRM flag": bool(srm < SRM_ALPHA) if not math.isnan(srm) else False}
            if rec["Is control"]:
                rec.update(Decision=CONTROL, Reason="" if len(group) > 1 else "no variant to compare")
            else:
                rec.update(_compare(c1, n1, p1, c2, n2, z_crit, alpha))
                variants.append(rec)
            rows.append(rec)
        for rec, adj in zip(variants, holm([r["P value"] for r in variants])):
            rec["P adjusted"] = adj
            rec["Significant"] = bool(adj < alpha) if not math.isnan(adj) else False
            rec["Decision"] = _decision(rec, c1, min_conversions)
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


def _compare(c1: int, n1: int, p1: float, c2: int, n2: int, z_crit: float, alpha: float) -> dict:
    p2 = c2 / n2 if n2 else math.nan
    lift = p2 - p1
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2) if n1 and n2 else math.nan
    z, p = two_proportion_z(c1, n1, c2, n2)
    reason = "no visitors" if not n1 or not n2 else ("no conversions in either group" if math.isnan(z) else "")
    return {"Lift": lift, "Lift low": lift - z_crit * se, "Lift high": lift + z_crit * se,
            "Relative lift": lift / p1 if p1 else math.nan, "Z": z, "P value": p,
            "Visitors needed": visitors_needed(p1, p2, alpha),
            "Reason": reason or ("control has no conversions: relative lift undefined" if not p1 else "")}


def _decision(rec: dict, control_conversions: int, min_conversions: int) -> str:
    if rec["Conversions"] < min_conversions or control_conversions < min_conversions:
        return TOO_SMALL
    if not rec["Significant"]:
        return NO_DIFFERENCE
    return ROLL_OUT if rec["Lift"] > 0 else CONTROL_WINS
