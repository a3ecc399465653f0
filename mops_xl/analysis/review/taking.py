"""Taking the snapshot a report carries (:class:`~mops_xl.analysis.review.snapshot.Snapshot`) from what the engine
computed: the KPI Framework's Actuals, the channel scorecard's volumes, the recommendations, the intake's targets,
settings, budget lines and channels, the forecast's all-channel KPIs, and the Actuals summed per date and channel.

Plain data only (ISO dates, floats, None for NaN), in a fixed order, so the same intake gives the same JSON text.
"""

from __future__ import annotations

import datetime as dt
import math
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from mops_xl.analysis.forecast import PeriodForecast
from mops_xl.analysis.review.snapshot import DAILY_FIELDS, SNAPSHOT_VERSION, DailyFigures, Snapshot
from mops_xl.intake.model import Intake

#: The Business fields that say which report it is, kept apart from the business values compared as definitions.
IDENTITY_FIELDS = ("Business name", "Currency", "Period start", "Period end", "Report as of")
#: What each recommendation keeps.
ACTION_KEYS = ("Subject", "Action", "Evidence", "Money at stake")
#: What each forecast row keeps (all channels).
FORECAST_KEYS = ("Metric", "Actual to date", "P10", "P50", "P90", "Target", "Chance of target")


def take_snapshot(
    intake: Intake,
    *,
    kpis: pd.DataFrame,
    card: pd.DataFrame,
    stack_cost: float,
    recommendations: pd.DataFrame,
    forecast: PeriodForecast,
) -> Snapshot:
    """What this build computed, as the next build will read it.

    Args:
        intake: The intake (Business, Settings, Targets, Budget, Channels, Actuals).
        kpis: The KPI Framework table (its Actual column).
        card: The channel scorecard (each channel's volumes to date; NaN where not tracked).
        stack_cost: The stack cost to date the fully-loaded CAC counts.
        recommendations: The recommendations (Subject, Action, Evidence, Money at stake).
        forecast: The forecast (its all-channel KPIs).

    Returns:
        The :class:`Snapshot`.
    """
    b = intake.business
    as_of = pd.Timestamp(b["Report as of"])
    channels = [str(c) for c in intake.channels["Channel"]]
    paid = intake.channels.set_index("Channel")["Paid"].fillna(False).astype(bool)
    return Snapshot(
        version=SNAPSHOT_VERSION,
        mops_xl_version=_version(),
        business=str(b["Business name"]),
        currency=str(b["Currency"]),
        period_start=_iso(b["Period start"]),
        period_end=_iso(b["Period end"]),
        as_of=_iso(as_of),
        kpis={str(m): _number(v) for m, v in kpis["Actual"].items()},
        volumes={ch: {f: _number(card.at[ch, f]) for f in DAILY_FIELDS} for ch in channels if ch in card.index},
        paid={ch: bool(paid.get(ch, False)) for ch in channels},
        stack_cost=float(stack_cost),
        business_values={k: plain(v) for k, v in b.items() if k not in IDENTITY_FIELDS},
        actions=[{k: plain(row[k]) for k in ACTION_KEYS} for _, row in recommendations.iterrows()],
        targets=[
            {"Metric": str(r["Metric"]), "Channel": plain(r["Channel"]), "Target": _number(r["Target"])}
            for _, r in intake.targets.iterrows()
        ],
        settings={k: plain(v) for k, v in intake.settings.items()},
        budget=[
            {k: plain(r[k]) for k in ("Channel", "Period start", "Period end", "Planned spend")}
            for _, r in intake.budget.iterrows()
        ],
        channels=channels,
        forecast=[
            {k: plain(r[k]) if k in r.index else None for k in FORECAST_KEYS} for _, r in forecast.kpis.iterrows()
        ],
        daily=daily_figures(intake.actuals, as_of),
    )


def daily_figures(actuals: pd.DataFrame, as_of: pd.Timestamp) -> DailyFigures:
    """The Actuals summed per date and channel for every day up to Report as of, each field a column (None where no
    row of that day gives it: not tracked, not 0).

    Args:
        actuals: The Actuals table (one row per date, channel and campaign).
        as_of: Report as of.

    Returns:
        The :class:`DailyFigures`, sorted by date and channel.
    """
    frame = actuals.reindex(columns=["Date", "Channel", *DAILY_FIELDS]).dropna(subset=["Date", "Channel"])
    frame = frame[pd.to_datetime(frame["Date"]) <= as_of]
    summed = frame.groupby(["Date", "Channel"], sort=True)[list(DAILY_FIELDS)].sum(min_count=1).reset_index()
    return DailyFigures(
        dates=[_iso(d) for d in summed["Date"]],
        channels=[str(c) for c in summed["Channel"]],
        values={f: _numbers(summed[f]) for f in DAILY_FIELDS},
    )


def _numbers(column: pd.Series) -> list[float | None]:
    """:func:`_number` of every value of a column, read as a plain list first (no numpy scalar per value)."""
    return [_number(v) for v in column.to_numpy().tolist()]


def plain(value: Any) -> Any:
    """A cell value as JSON holds it: ISO dates, Python numbers, None for NaN and blanks.

    Args:
        value: A value of the intake or the engine.

    Returns:
        The plain value.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return _iso(value)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def _number(value: Any) -> float | None:
    """A figure as a float, None when undefined (NaN, blank, a text such as "Not tracked")."""
    if isinstance(value, str) or value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def _version() -> str:
    """The installed mops-xl's version (the package's ``__version__``, read from its metadata: the analysis does not
    import the package's top, which imports the analysis)."""
    try:
        return metadata.version("mops-xl")
    except metadata.PackageNotFoundError:
        return "unknown"


def _iso(value: Any) -> str:
    """A date as ISO text."""
    return pd.Timestamp(value).date().isoformat()
