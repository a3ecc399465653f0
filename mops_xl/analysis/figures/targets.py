"""Targets, attainment and status: how each figure compares with what was planned."""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import AHEAD, AT_RISK, NO_DATA, NO_TARGET, OFF_TRACK, ON_TRACK

#: Where a channel's primary target comes from (docs/metrics.md, "Optimization triggers").
ROAS_TARGET, CAC_TARGET, EXPECTED_CAC, LEADS_TARGET = "ROAS target", "CAC target", "Expected CAC", "Leads target"
#: The order a channel's primary metric is chosen in: the first source the channel has (docs/metrics.md,
#: "Optimization triggers"). Each is (metric, source); a "target" source is the channel's row on the Targets
#: sheet, :data:`EXPECTED_CAC` the Channels sheet's planning figure.
PRIMARY_SOURCES = (("ROAS", ROAS_TARGET), ("CAC", CAC_TARGET), ("CAC", EXPECTED_CAC), ("Leads", LEADS_TARGET))
#: Volume metrics of the shipped catalogue: their targets are for the whole period and are prorated to date.
VOLUME_METRICS = tuple(m.name for m in catalogue.CATALOGUE if m.prorated and m.kpi and not m.target_metric)


def is_volume(metric: str) -> bool:
    """Return True for a volume metric (prorated target, projection), False for a ratio.

    Args:
        metric: The metric name.

    Returns:
        Whether the metric is a volume.
    """
    entry = catalogue.current().find(metric)
    return entry is not None and entry.prorated


def target_to_date(metric: str, target: float, elapsed_days: int, period_days: int) -> float:
    """Prorate a volume target to date (target × d ÷ D); ratio targets are not prorated.

    Args:
        metric: The metric name.
        target: The target for the whole period.
        elapsed_days: d.
        period_days: D.

    Returns:
        The target to date.
    """
    return target * elapsed_days / period_days if is_volume(metric) else target


def projection(metric: str, actual: float, elapsed_days: int, period_days: int) -> float:
    """Project a volume to period end (actual × D ÷ d); NaN for ratios.

    Args:
        metric: The metric name.
        actual: The actual to date.
        elapsed_days: d.
        period_days: D.

    Returns:
        The projection, or NaN.
    """
    if not is_volume(metric) or _missing(actual):
        return math.nan
    return actual * period_days / elapsed_days


def attainment(metric: str, actual: float, target_so_far: float) -> float:
    """Actual against target: actual ÷ target, or target ÷ actual when lower is better (CPL, CAC).

    Args:
        metric: The metric name.
        actual: The actual (to date for volumes).
        target_so_far: The target to date (volumes) or the target (ratios).

    Returns:
        The attainment, NaN when undefined (no target, zero target, undefined actual, or an actual of 0 for
        a lower-is-better metric).
    """
    if _missing(actual) or _missing(target_so_far):
        return math.nan
    if metric in catalogue.current().lower_is_better:
        return target_so_far / actual if actual > 0 else math.nan
    return actual / target_so_far if target_so_far > 0 else math.nan


def status(
    att: float, underperforming: float, high_performer: float, *, has_target: bool = True, has_data: bool = True
) -> str:
    """Classify an attainment: Ahead ≥ 1 + high-performer threshold, On track ≥ 1, At risk ≥ the
    underperforming threshold, Off track below it.

    Args:
        att: The attainment (NaN when undefined).
        underperforming: The Underperforming threshold (e.g. 0.8).
        high_performer: The High-performer threshold (e.g. 0.2).
        has_target: False gives "No target".
        has_data: False gives "No data".

    Returns:
        The status text.
    """
    if not has_target:
        return NO_TARGET
    if not has_data or _missing(att):
        return NO_DATA
    if att >= 1 + high_performer:
        return AHEAD
    if att >= 1:
        return ON_TRACK
    if att >= underperforming:
        return AT_RISK
    return OFF_TRACK


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def target_table(targets: pd.DataFrame) -> dict[tuple[str, str | None], float]:
    """Index the Targets sheet by (metric, channel); a blank channel is None (all channels).

    Args:
        targets: The Targets table.

    Returns:
        (Metric, Channel or None) → target.
    """
    out: dict[tuple[str, str | None], float] = {}
    for _, row in targets.iterrows():
        channel = row["Channel"] if isinstance(row["Channel"], str) and row["Channel"] else None
        out[(row["Metric"], channel)] = float(row["Target"])
    return out


def blended_target(metric: str, table: dict[tuple[str, str | None], float], channels: list[str]) -> float | None:
    """The all-channel target: the blank-channel row, else (volumes only) the sum of the channel targets
    when every channel has one.

    Args:
        metric: The metric name.
        table: The output of :func:`target_table`.
        channels: Every channel.

    Returns:
        The target, or None ("No target").
    """
    if (metric, None) in table:
        return table[(metric, None)]
    if is_volume(metric) and channels and all((metric, ch) in table for ch in channels):
        return sum(table[(metric, ch)] for ch in channels)
    return None


def primary_metric(
    channel: str, table: dict[tuple[str, str | None], float], expected_cac: float | None
) -> tuple[str, float, str] | None:
    """The metric a channel is judged by: its ROAS target, else its CAC target, else its Expected CAC
    (Channels sheet), else its Leads target. Blended targets never judge a channel.

    Args:
        channel: The channel.
        table: The output of :func:`target_table`.
        expected_cac: The channel's Expected CAC, or None/NaN.

    Returns:
        ``(metric, target, source)``, e.g. ``("CAC", 250.0, "Expected CAC")``, or None.
    """
    for metric, source in PRIMARY_SOURCES:
        if source == EXPECTED_CAC:
            if expected_cac is not None and not _missing(float(expected_cac)):
                return metric, float(expected_cac), source
        elif (metric, channel) in table:
            return metric, table[(metric, channel)], source
    return None
