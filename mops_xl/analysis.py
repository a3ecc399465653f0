"""The engine: everything the report shows, computed once from a validated intake.

The writer and the CLI only lay out or print what :func:`analyse` returns; the numbers themselves come
from the pure functions in :mod:`mops_xl.metrics`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .intake import Intake
from .metrics import VOLUMES, channel_volumes, in_window

#: Columns of the Channel Performance table, in order.
CHANNEL_PERFORMANCE_COLUMNS = ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue")


@dataclass
class Analysis:
    """What the engine computed for one intake.

    Args:
        intake: The intake it was computed from.
        window_start: First day counted (Period start).
        window_end: Last day counted (Report as of).
        channel_performance: Per-channel volumes for the period to date, indexed by channel.
        blended: The same volumes over all channels.
    """

    intake: Intake
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    channel_performance: pd.DataFrame
    blended: pd.Series


def analyse(intake: Intake) -> Analysis:
    """Compute the report's figures for an intake.

    Args:
        intake: A validated intake.

    Returns:
        The :class:`Analysis`.
    """
    start, as_of = intake.period_start, intake.report_as_of
    rows = in_window(intake.actuals, start, as_of)
    per_channel = channel_volumes(rows, intake.channels["Channel"], VOLUMES)
    return Analysis(intake, start, as_of, per_channel[list(CHANNEL_PERFORMANCE_COLUMNS)],
                    per_channel.sum(axis=0))
