"""When an action is due: the next review of the Cadence sheet after Report as of (docs/metrics.md,
"Recommendations").

The Cadence sheet gives each review a frequency in words ("Weekly", "Monthly"), not dates; a review is held on
the first day of its cycle: the next day, the next Monday, the Monday after it, the 1st of the next month, the
1st of the next quarter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from mops_xl.analysis.blocks.wording import day

#: Words of the Cadence sheet that decide which review takes channel actions: its name or focus mentions one.
CHANNEL_REVIEW_WORDS = ("channel", "budget")


def _next_monday(day: pd.Timestamp) -> pd.Timestamp:
    return day + pd.Timedelta(days=7 - day.weekday())


def _monday_after_next(day: pd.Timestamp) -> pd.Timestamp:
    return _next_monday(day) + pd.Timedelta(days=7)


#: A Frequency word (matched in this order, case-insensitive) → the first review day after a date.
FREQUENCIES: tuple[tuple[tuple[str, ...], Callable[[pd.Timestamp], pd.Timestamp]], ...] = (
    (("daily", "every day"), lambda day: day + pd.Timedelta(days=1)),
    (("biweekly", "fortnight", "every two weeks", "every 2 weeks"), _monday_after_next),
    (("weekly", "every week"), _next_monday),
    (("monthly", "every month"), lambda day: (day + pd.offsets.MonthBegin(1)).normalize()),
    (("quarterly", "every quarter"), lambda day: (day + pd.offsets.QuarterBegin(1, startingMonth=1)).normalize()),
)


@dataclass(frozen=True)
class NextReview:
    """The review at which the actions are due.

    Args:
        review: The review's name on the Cadence sheet ("" when no review has a frequency in days, weeks,
            months or quarters).
        due: Its next date after Report as of (NaT without one).
    """

    review: str
    due: pd.Timestamp

    @property
    def text(self) -> str:
        """The due date as the report shows it: "14 Sep 2026 (Weekly channel review)", or why there is none."""
        if pd.isna(self.due):
            return "no dated review on the Cadence sheet"
        return f"{day(self.due)} ({self.review})"


def review_date(frequency: object, after: pd.Timestamp) -> pd.Timestamp:
    """The first day of a review's next cycle strictly after a date.

    Args:
        frequency: The Cadence sheet's Frequency text (e.g. "Weekly").
        after: Report as of.

    Returns:
        The date, or NaT when the frequency is not one of :data:`FREQUENCIES` (e.g. "After each campaign").
    """
    text = str(frequency).strip().lower() if isinstance(frequency, str) else ""
    for words, next_day in FREQUENCIES:
        if any(w in text for w in words):
            return next_day(after.normalize())
    return pd.NaT


def next_review(cadence: pd.DataFrame, as_of: pd.Timestamp) -> NextReview:
    """The next review after Report as of that takes channel actions: the soonest review whose name or focus
    mentions a channel or the budget (:data:`CHANNEL_REVIEW_WORDS`); without one, the soonest dated review.

    Args:
        cadence: The Cadence table (Review, Frequency, Focus).
        as_of: Report as of.

    Returns:
        The :class:`NextReview` (ties: the first on the sheet).
    """
    dated = []
    for _, r in cadence.iterrows():
        day = review_date(r.get("Frequency"), as_of)
        if pd.isna(day):
            continue
        words = f"{r.get('Review') or ''} {r.get('Focus') or ''}".lower()
        dated.append((not any(w in words for w in CHANNEL_REVIEW_WORDS), day, str(r["Review"])))
    if not dated:
        return NextReview("", pd.NaT)
    _, day, review = min(dated, key=lambda x: (x[0], x[1]))
    return NextReview(review, day)
