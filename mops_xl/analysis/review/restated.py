"""Restated history: the Actuals days on or before the previous Report as of whose figures this report reads
differently from the previous snapshot (per channel, date and field, summed over campaigns).

A day without a row, and a blank field, count as 0 (nothing happened that day); two figures are the same within
:data:`TOLERANCE` (relative), so a restatement is an edit of the data, never a rounding.
"""

from __future__ import annotations

import math

from mops_xl.analysis.review.changes import Restatement
from mops_xl.analysis.review.snapshot import DAILY_FIELDS, DailyFigures, Snapshot

#: Two figures whose difference is within this share of the larger are the same.
TOLERANCE = 1e-9


def restatements(previous: Snapshot, current: Snapshot) -> list[Restatement]:
    """Every (channel, date, field) on or before the previous Report as of whose figure moved.

    Args:
        previous: The previous report's snapshot.
        current: This report's.

    Returns:
        One :class:`Restatement` per moved figure, by date, channel and field (in :data:`DAILY_FIELDS` order).
    """
    cutoff = previous.as_of
    before = _by_day(previous.daily, cutoff)
    after = _by_day(current.daily, cutoff)
    out = []
    for key in sorted(set(before) | set(after)):
        date, channel = key
        for i, f in enumerate(DAILY_FIELDS):
            b = before.get(key, _NONE)[i]
            a = after.get(key, _NONE)[i]
            if not _same(b, a):
                out.append(Restatement(channel, date, f, b, a, a - b))
    return out


_NONE = tuple(0.0 for _ in DAILY_FIELDS)


def _by_day(daily: DailyFigures, cutoff: str) -> dict[tuple[str, str], tuple[float, ...]]:
    """(date, channel) → each field's figure (blank as 0), for the days on or before ``cutoff`` (ISO dates sort)."""
    blank: list[float | None] = [None] * len(daily.dates)
    columns = [daily.values.get(f, blank) for f in DAILY_FIELDS]
    out = {}
    for i, (date, channel) in enumerate(zip(daily.dates, daily.channels, strict=True)):
        if date <= cutoff:
            out[(date, channel)] = tuple(0.0 if c[i] is None else float(c[i]) for c in columns)  # type: ignore[arg-type]
    return out


def _same(b: float, a: float) -> bool:
    return math.isclose(b, a, rel_tol=TOLERANCE, abs_tol=0.0)
