"""Forecast drift: for each KPI with a target in either report, the chance of the target and the likely period-end
figure before and after, and what moved them in words: a volume's figures to date against what the previous
forecast expected over the days between ("customers to date +9 in 7 days, against 6 expected"); a ratio's two
volumes ("CAC to date +$212: spend +$9,000, customers +3 in 7 days").
"""

from __future__ import annotations

import math
from typing import Any

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import RatioOfSums
from mops_xl.analysis.review.changes import ForecastDrift
from mops_xl.analysis.review.sides import side_of
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.analysis.review.words import shown, signed_change
from mops_xl.plural import count


def forecast_drift(previous: Snapshot, current: Snapshot, prefix: str) -> list[ForecastDrift]:
    """The drift of every forecast KPI with a target in either report, in this report's forecast order.

    Args:
        previous: The previous report's snapshot (the same period).
        current: This report's.
        prefix: The currency prefix.

    Returns:
        One :class:`ForecastDrift` per KPI.
    """
    figures = (side_of(previous).figures, side_of(current).figures)
    before = {str(r["Metric"]): r for r in previous.forecast}
    after = {str(r["Metric"]): r for r in current.forecast}
    out = []
    for metric in list(dict.fromkeys([*after, *before])):
        b, a = before.get(metric, {}), after.get(metric, {})
        if b.get("Target") is None and a.get("Target") is None:
            continue
        target = a.get("Target") if a.get("Target") is not None else b.get("Target")
        out.append(
            ForecastDrift(
                metric,
                _float(target),
                _float(b.get("Chance of target")),
                _float(a.get("Chance of target")),
                _float(b.get("P50")),
                _float(a.get("P50")),
                _why(metric, (previous, current), figures, (b, a), prefix),
            )
        )
    return out


def _why(
    metric: str,
    reports: tuple[Snapshot, Snapshot],
    figures: tuple[dict[str, float], dict[str, float]],
    rows: tuple[dict[str, Any], dict[str, Any]],
    prefix: str,
) -> str:
    """What moved a KPI's forecast, in words (the module's docstring)."""
    (previous, current), (first, last), (b, a) = reports, figures, rows
    days = (current.as_of_date - previous.as_of_date).days
    entry = catalogue.current().find(metric)
    block = entry.expression if entry is not None else None
    if isinstance(block, RatioOfSums):
        moved = [
            f"{_lower(v)} {signed_change(v, last.get(v, math.nan) - first.get(v, math.nan), prefix)}"
            for v in (block.numerator, block.denominator)
        ]
        change = _float(a.get("Actual to date")) - _float(b.get("Actual to date"))
        return f"{metric} to date {signed_change(metric, change, prefix)}: {', '.join(moved)} in {count(days, 'day')}"
    actual_b, actual_a = _float(b.get("Actual to date")), _float(a.get("Actual to date"))
    text = f"{_lower(metric)} to date {signed_change(metric, actual_a - actual_b, prefix)} in {count(days, 'day')}"
    left = (previous.period_end_date - previous.as_of_date).days
    likely = _float(b.get("P50"))
    if left > 0 and not math.isnan(likely) and not math.isnan(actual_b):
        expected = (likely - actual_b) * min(days, left) / left
        text += f", against {shown(metric, round(expected), prefix)} expected"
    return text


def _lower(volume: str) -> str:
    return volume if volume in ("MQLs", "SQLs") else volume.lower()


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)
