"""Budget needed with odds: the period's spend that reaches a volume target with a given chance (50 %, 80 %), and
the marginal cost of each unit it adds (the marginal CAC for customers).

Extra money buys less than the average: the paid channels' spend of the days left is scaled by one factor (their
mix kept) and their volume of the days left grows as that factor ^ :data:`RETURNS_EXPONENT` (the same curve as
"with the plan"); what the unpaid channels bring stays as it goes. On each path the factor that just reaches the
target follows from that curve, so the factor reached with a chance q is the q-quantile of the paths' factors.
The spend is flagged when it is more than :data:`BEYOND_SHARE` × the most the channels ever spent in as many days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.forecast.kpis import OUTCOMES, VOLUMES
from mops_xl.analysis.forecast.paths import PeriodPaths
from mops_xl.analysis.forecast.period import PeriodForecast
from mops_xl.analysis.forecast.summary import Targets, target_of
from mops_xl.analysis.forecast.volumes import RETURNS_EXPONENT

#: The chances the budget is worked out for.
CHANCES = (0.5, 0.8)
#: Spend needed beyond this multiple of the most ever spent in a like period is flagged.
BEYOND_SHARE = 1.5
#: The columns of :func:`budget_needed_with_odds`.
NEEDED_WITH_ODDS_COLUMNS = [
    "Subject",
    "Metric",
    "Target",
    "Chance",
    "Likely",
    "Likely spend",
    "Spend needed",
    "Extra spend",
    "Marginal cost per unit",
    "Most spent in a like period",
    "Beyond what was ever spent",
    "Reason",
]


def budget_needed_with_odds(
    forecast: PeriodForecast, targets: Targets | None, chances: Sequence[float] = CHANCES
) -> pd.DataFrame:
    """The spend that reaches each volume target (all channels and per channel) with each chance.

    Args:
        forecast: The period's forecast ("if the current pattern continues").
        targets: The period's targets (see :func:`mops_xl.analysis.forecast.period.forecast_period`).
        chances: The chances to reach the target with.

    Returns:
        One row per subject, volume with a target and chance (:data:`NEEDED_WITH_ODDS_COLUMNS`). "Spend needed"
        is the subject's spend for the whole period; "Extra spend" what it adds to the likely spend; "Marginal cost
        per unit" the extra spend ÷ the units it adds to the likely volume; NaN with the reason where no spend
        can reach the target.
    """
    paths = forecast.paths
    spend = forecast.history.column("Spend")
    rows = []
    for subject in (None, *paths.channels):
        mask = np.ones(len(paths.channels), dtype=bool) if subject is None else np.array(paths.channels) == subject
        most = most_spent(spend[:, mask].sum(axis=1), forecast.window.period_days)
        for metric in OUTCOMES:
            target = target_of(targets, metric, subject)
            if math.isnan(target):
                continue
            for chance in chances:
                figures = _needed(paths, mask, metric, target, chance, most)
                rows.append(
                    dict(
                        zip(
                            NEEDED_WITH_ODDS_COLUMNS,
                            (subject or ALL_CHANNELS, metric, target, chance, *figures),
                            strict=True,
                        )
                    )
                )
    return pd.DataFrame(rows, columns=NEEDED_WITH_ODDS_COLUMNS)


def _needed(paths: PeriodPaths, mask: np.ndarray, metric: str, target: float, chance: float, most: float) -> tuple:
    """(Likely, Likely spend, Spend needed, Extra spend, Marginal cost per unit, Most spent, Beyond, Reason)."""
    k = VOLUMES.index(metric)
    counted = mask & paths.tracked[:, k]
    spent_so_far = float(np.nansum(paths.actual[mask, 0]))
    likely_spend = spent_so_far + float(paths.remaining_spend[mask].sum())
    if not counted.any():
        return (math.nan, likely_spend, math.nan, math.nan, math.nan, most, False, f"{metric} not tracked")
    totals = paths.totals[:, counted, k]
    rest = totals - paths.actual[counted, k]
    scaled = paths.paid[counted] & (paths.remaining_spend[counted] > 0)
    likely = float(np.quantile(totals.sum(axis=1), 0.5, method="inverted_cdf"))
    short = target - paths.actual[counted, k].sum() - rest[:, ~scaled].sum(axis=1)
    bought = rest[:, scaled].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(short <= 0, 0.0, np.where(bought > 0, (short / bought) ** (1 / RETURNS_EXPONENT), np.inf))
    needed_factor = float(np.quantile(factor, chance, method="inverted_cdf"))
    if math.isinf(needed_factor):
        reason = (
            f"more spend does not reach it on enough paths: too little of the {metric.lower()} comes with spend"
            if scaled.any()
            else f"no spend to raise: the {metric.lower()} come from channels without spend in the days left"
        )
        return (likely, likely_spend, math.nan, math.nan, math.nan, most, False, reason)
    extra = (needed_factor - 1.0) * float(paths.remaining_spend[mask][counted[mask]][scaled].sum())
    needed = likely_spend + extra
    marginal = extra / (target - likely) if target > likely and extra > 0 else math.nan
    reason = "reached already" if needed_factor == 0.0 and short.max() <= 0 else ""
    return (likely, likely_spend, needed, extra, marginal, most, bool(needed > BEYOND_SHARE * most), reason)


def most_spent(daily_spend: np.ndarray, period_days: int) -> float:
    """The most spent in any ``period_days`` days in a row (scaled up to that length when the data is shorter).

    Args:
        daily_spend: The daily spend, oldest first.
        period_days: The length of a like period.

    Returns:
        The most spent.
    """
    days = len(daily_spend)
    if days == 0:
        return 0.0
    window = min(days, period_days)
    running = np.concatenate([[0.0], np.cumsum(daily_spend)])
    best = float((running[window:] - running[:-window]).max())
    return best * period_days / window
