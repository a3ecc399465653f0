"""From paths to figures: each KPI's actual to date, its P10, P50 and P90 at period end and the chance of its
target, for all channels and per channel.

A blended volume adds up the channels that track it; a blended ratio divides the sums of the channels that track
both its volumes (the paid ones only for ROAS), path by path, as the KPI Framework does. A ratio whose denominator
is 0 on a path is infinite there (CAC with no customer: worse than any target), or undefined when both are 0.
The percentiles are values the paths reached (no interpolation), so a count's are whole numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeAlias

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.forecast.kpis import VOLUMES, Ratio, ratios
from mops_xl.analysis.forecast.paths import PeriodPaths

#: The columns of a forecast table (the channel table has "Channel" first).
FORECAST_COLUMNS = [
    "Metric",
    "Actual to date",
    "P10",
    "P50",
    "P90",
    "Target",
    "Chance of target",
    "Per day so far",
    "Per day needed",
    "Method",
]
#: The percentiles reported: Low, Likely and High.
QUANTILES = (0.1, 0.5, 0.9)
#: Targets: a KPI name (all channels) or (KPI, channel or None) → the period's target.
Targets: TypeAlias = Mapping[str | tuple[str, str | None], float]


def target_of(targets: Targets | None, metric: str, channel: str | None) -> float:
    """The period's target of a KPI for all channels (``channel`` None) or one channel, NaN when none.

    Args:
        targets: The targets.
        metric: The KPI.
        channel: The channel, or None.

    Returns:
        The target.
    """
    if not targets:
        return math.nan
    value = targets.get((metric, channel))
    if value is None and channel is None:
        value = targets.get(metric)
    return float(value) if value is not None and not pd.isna(value) else math.nan


def volume_paths(paths: PeriodPaths, volume: str, channels: np.ndarray) -> tuple[float, np.ndarray]:
    """A volume's actual to date and period-end paths, added up over the chosen channels that track it.

    Args:
        paths: The simulated paths.
        volume: One of :data:`VOLUMES`.
        channels: Which channels count (a boolean mask).

    Returns:
        (actual, paths); NaN when none of them tracks the volume.
    """
    k = VOLUMES.index(volume)
    counted = channels & paths.tracked[:, k]
    if not counted.any():
        return math.nan, np.full(paths.totals.shape[0], np.nan)
    return float(paths.actual[counted, k].sum()), paths.totals[:, counted, k].sum(axis=1)


def ratio_paths(paths: PeriodPaths, ratio: Ratio, channels: np.ndarray, blended: bool) -> tuple[float, np.ndarray]:
    """A ratio's actual to date and period-end paths, over the chosen channels that track both its volumes.

    Args:
        paths: The simulated paths.
        ratio: The ratio.
        channels: Which channels count (a boolean mask).
        blended: All channels (then ROAS counts the paid ones only).

    Returns:
        (actual, paths); NaN when undefined.
    """
    top, bottom = VOLUMES.index(ratio.numerator), VOLUMES.index(ratio.denominator)
    counted = channels & paths.tracked[:, top] & paths.tracked[:, bottom]
    if blended and ratio.paid_only:
        counted &= paths.paid
    if not counted.any():
        return math.nan, np.full(paths.totals.shape[0], np.nan)
    actual = _divide(paths.actual[counted, top].sum(), paths.actual[counted, bottom].sum(), undefined_over_zero=True)
    values = _divide(paths.totals[:, counted, top].sum(axis=1), paths.totals[:, counted, bottom].sum(axis=1))
    return float(actual), values


def _divide(top: np.ndarray | float, bottom: np.ndarray | float, undefined_over_zero: bool = False) -> np.ndarray:
    """top ÷ bottom; over 0 infinite (NaN for 0 ÷ 0, or for anything when ``undefined_over_zero``)."""
    top, bottom = np.asarray(top, dtype=float), np.asarray(bottom, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = top / bottom
    if undefined_over_zero:
        return np.where(bottom == 0, np.nan, out)
    return np.where((bottom == 0) & (top == 0), np.nan, out)


def describe(values: np.ndarray, targets: np.ndarray, lower_is_better: np.ndarray) -> np.ndarray:
    """P10, P50, P90 of each series' paths and the chance of reaching its target (at or above it; at or below when
    lower is better), over the paths where the figure is defined.

    Args:
        values: paths × series, the period-end values (NaN where undefined).
        targets: series, the targets (NaN: no chance).
        lower_is_better: series, reaching means at or below.

    Returns:
        series × 4: P10, P50, P90, chance (NaN where no path is defined).
    """
    paths, series = values.shape
    ordered = np.sort(values, axis=0)  # NaN last
    defined = (~np.isnan(values)).sum(axis=0)
    out = np.full((series, 4), np.nan)
    for j, q in enumerate(QUANTILES):
        rank = np.clip(np.ceil(q * defined - 1e-9).astype(int) - 1, 0, max(paths - 1, 0))
        picked = ordered[rank, np.arange(series)] if paths else np.full(series, np.nan)
        out[:, j] = np.where(defined > 0, picked, np.nan)
    with np.errstate(invalid="ignore"):
        reached = np.where(lower_is_better, values <= targets, values >= targets)
    share = reached.sum(axis=0) / np.maximum(defined, 1)
    out[:, 3] = np.where((defined > 0) & ~np.isnan(targets), share, np.nan)
    return out


def _series(paths: PeriodPaths, targets: Targets | None, channel: str | None, elapsed_days: int) -> list[tuple]:
    """Every KPI of one subject: (metric, actual, target, lower is better, paths, so far a day, needed a day)."""
    mask = np.ones(len(paths.channels), dtype=bool) if channel is None else np.array(paths.channels) == channel
    out = []
    for volume in VOLUMES:
        actual, values = volume_paths(paths, volume, mask)
        target = target_of(targets, volume, channel)
        so_far = actual / elapsed_days if elapsed_days > 0 else math.nan
        needed = (target - actual) / paths.days_left if paths.days_left > 0 else math.nan
        out.append((volume, actual, target, False, values, so_far, needed))
    for ratio in ratios():
        actual, values = ratio_paths(paths, ratio, mask, blended=channel is None)
        target = target_of(targets, ratio.name, channel)
        out.append((ratio.name, actual, target, ratio.lower_is_better, values, math.nan, math.nan))
    return out


def forecast_tables(
    paths: PeriodPaths, targets: Targets | None, elapsed_days: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forecast tables of all channels and of each channel.

    Args:
        paths: The simulated paths.
        targets: The targets.
        elapsed_days: The days of the period to date.

    Returns:
        (all channels: :data:`FORECAST_COLUMNS`; channels: "Channel" + :data:`FORECAST_COLUMNS`).
    """
    subjects: list[str | None] = [None, *paths.channels]
    series = [(subject, s) for subject in subjects for s in _series(paths, targets, subject, elapsed_days)]
    values = np.column_stack([s[4] for _, s in series]) if series else np.zeros((0, 0))
    figures = describe(values, np.array([s[2] for _, s in series]), np.array([s[3] for _, s in series]))
    rows = []
    for (subject, (metric, actual, target, _, paths_of, so_far, needed)), (p10, p50, p90, chance) in zip(
        series, figures, strict=True
    ):
        tracked = not np.isnan(paths_of).all()
        method = paths.forecaster.name if tracked else NOT_TRACKED
        values_of = (metric, actual, p10, p50, p90, target, chance, so_far, needed, method)
        rows.append({"Channel": subject, **dict(zip(FORECAST_COLUMNS, values_of, strict=True))})
    table = pd.DataFrame(rows, columns=["Channel", *FORECAST_COLUMNS])
    blended = table[table["Channel"].isna()].drop(columns="Channel").reset_index(drop=True)
    return blended, table[table["Channel"].notna()].reset_index(drop=True)
