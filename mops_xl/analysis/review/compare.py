"""Comparing two reports' snapshots: whether they may be compared at all (:func:`check_comparable`), and what
changed (:func:`compare_reports`): every KPI's move with its drivers, the weekly view, the actions' statuses, the
definitions that moved, the restated history, the forecast's drift, and a summary in one or two sentences.

Two reports of different periods (last quarter's against this one) compare on the weekly view, the actions and the
definitions only: their figures to date are of different windows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from mops_xl.analysis.blocks.wording import day, days
from mops_xl.analysis.review.actions import action_changes
from mops_xl.analysis.review.changes import Changes
from mops_xl.analysis.review.definitions import definition_changes
from mops_xl.analysis.review.drift import forecast_drift
from mops_xl.analysis.review.moves import kpi_moves
from mops_xl.analysis.review.restated import restatements
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.analysis.review.summary import summary_sentence
from mops_xl.analysis.review.weekly import weekly_view
from mops_xl.intake.currencies import symbol


def check_comparable(previous: Snapshot, current: Snapshot) -> str | None:
    """Why two reports cannot be compared, or None when they can: another business, another currency, or a
    previous report dated after this one.

    Args:
        previous: The previous report's snapshot.
        current: This report's.

    Returns:
        The reason, in words, or None.
    """
    return identity_problem(previous, current.business, current.currency, current.as_of)


def identity_problem(previous: Snapshot, business: str, currency: str, as_of: str) -> str | None:
    """Why a previous report cannot be compared with a report of this business, currency and Report as of (before
    this report is computed), or None when it can.

    Args:
        previous: The previous report's snapshot.
        business: This report's business name.
        currency: Its currency.
        as_of: Its Report as of (ISO date).

    Returns:
        The reason, in words, or None.
    """
    if previous.business.strip().casefold() != business.strip().casefold():
        return f"it is a report of {previous.business!r}, and this intake is {business!r}"
    if previous.currency != currency:
        return f"it is in {previous.currency}, and this intake is in {currency}"
    if previous.as_of > as_of:
        return (
            f"it is as of {day(previous.as_of)}, after this intake's Report as of ({day(as_of)}): pass an earlier "
            "report"
        )
    return None


def same_period(previous: Snapshot, current: Snapshot) -> bool:
    """Whether two reports are of the same period (the same start and end).

    Args:
        previous: The previous report's snapshot.
        current: This report's.

    Returns:
        True when their figures to date compare.
    """
    return (previous.period_start, previous.period_end) == (current.period_start, current.period_end)


def compare_reports(
    previous: Snapshot, current: Snapshot, lagging: Mapping[str, pd.Timestamp] | None = None
) -> Changes:
    """What changed since the previous report (see the module's docstring).

    Args:
        previous: The previous report's snapshot (comparable: :func:`check_comparable` gave None).
        current: This report's.
        lagging: This report's channels whose data stops early, with their last data date (the weekly view ends
            their weeks there).

    Returns:
        The :class:`Changes`.
    """
    prefix = symbol(current.currency)
    same = same_period(previous, current)
    why = (
        ""
        if same
        else f"the previous report covers {days(previous.period_start, previous.period_end)} and this one "
        f"{days(current.period_start, current.period_end)}: their figures to date are of different periods, so only "
        "the weekly view, the actions and the definitions are compared"
    )
    changes = Changes(
        previous_as_of=previous.as_of,
        as_of=current.as_of,
        same_period=same,
        why_weekly_only=why,
        kpis=kpi_moves(previous, current, prefix) if same else [],
        weekly=weekly_view(current, lagging),
        actions=action_changes(previous.actions, current.actions),
        definitions=definition_changes(previous, current, prefix),
        restated=restatements(previous, current),
        forecast=forecast_drift(previous, current, prefix) if same else [],
        summary="",
    )
    return replace(changes, summary=summary_sentence(changes, prefix))
