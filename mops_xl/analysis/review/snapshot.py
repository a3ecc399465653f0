"""The snapshot a report carries of what its engine computed, so the next build can say what changed without the
old intake: the KPIs, each channel's volumes to date, the actions, the targets, settings and budget lines, the
forecast, and the Actuals summed per channel and day for each field up to Report as of (so a restated day shows its
before and after).

A snapshot is plain data with a version (:data:`SNAPSHOT_VERSION`); :meth:`Snapshot.to_json` and
:func:`snapshot_from_json` turn it into one JSON text and back. Every older version is read; a newer one is refused
(:class:`SnapshotError`). Where the report keeps the text is the writer's business
(:mod:`mops_xl.outputs.workbook.snapshot_sheet`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

#: The snapshot layout this version writes; it reads every version up to it.
SNAPSHOT_VERSION = 1
#: The Actuals fields a snapshot's daily figures hold.
DAILY_FIELDS = ("Spend", "Impressions", "Clicks", "Leads", "MQLs", "SQLs", "Customers", "Revenue")


class SnapshotError(ValueError):
    """A snapshot that cannot be read (a newer version, or not a snapshot at all)."""


@dataclass(frozen=True)
class DailyFigures:
    """The Actuals summed per date and channel, each field a column (None where no row of that day gives it).

    Args:
        dates: ISO dates, one per row.
        channels: The channel of each row.
        values: Field (:data:`DAILY_FIELDS`) → one value per row.
    """

    dates: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """What one build computed, as the next build reads it.

    Args:
        version: The layout (:data:`SNAPSHOT_VERSION`).
        mops_xl_version: The version of mops-xl that built it.
        business: The business name.
        currency: The ISO currency code.
        period_start: ISO date.
        period_end: ISO date.
        as_of: Report as of, ISO date.
        kpis: KPI Framework metric → its Actual (None when undefined or not tracked).
        volumes: Channel → volume (:data:`DAILY_FIELDS`) → its sum in the window to date (None: not tracked).
        paid: Channel → paid.
        stack_cost: The stack cost to date the fully-loaded CAC counts (0 without one).
        business_values: The Business sheet's figures a KPI reads (e.g. "Customer lifetime value").
        actions: One per subject: {"Subject", "Action", "Evidence", "Money at stake"}.
        targets: {"Metric", "Channel" (None: all channels), "Target"}.
        settings: The Settings sheet, name → value.
        budget: The budget lines: {"Channel", "Period start", "Period end", "Planned spend"} (ISO dates).
        channels: The channels, in Channels order.
        forecast: All channels, one per KPI: {"Metric", "P10", "P50", "P90", "Target", "Chance of target"}.
        daily: The Actuals summed per date and channel, every day up to Report as of.
    """

    version: int
    mops_xl_version: str
    business: str
    currency: str
    period_start: str
    period_end: str
    as_of: str
    kpis: dict[str, float | None]
    volumes: dict[str, dict[str, float | None]]
    paid: dict[str, bool]
    stack_cost: float
    business_values: dict[str, Any]
    actions: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    settings: dict[str, Any]
    budget: list[dict[str, Any]]
    channels: list[str]
    forecast: list[dict[str, Any]]
    daily: DailyFigures

    def to_json(self) -> str:
        """The snapshot as one JSON text (keys sorted, so the same snapshot is the same text).

        Returns:
            The text.
        """
        return json.dumps(_plain(asdict(self)), sort_keys=True, ensure_ascii=False, allow_nan=False)

    @property
    def as_of_date(self) -> dt.date:
        """Report as of, as a date."""
        return dt.date.fromisoformat(self.as_of)

    @property
    def period_end_date(self) -> dt.date:
        """The period's last day, as a date."""
        return dt.date.fromisoformat(self.period_end)


def snapshot_from_json(text: str) -> Snapshot:
    """Read a snapshot written by :meth:`Snapshot.to_json` of this or an older version.

    Args:
        text: The JSON text.

    Returns:
        The snapshot.

    Raises:
        SnapshotError: Not a snapshot, or one of a newer version than this build reads.
    """
    try:
        data = json.loads(text)
        version = int(data["version"])
    except (ValueError, KeyError, TypeError) as err:
        raise SnapshotError(f"not a mops-xl snapshot ({err})") from err
    if version > SNAPSHOT_VERSION:
        raise SnapshotError(
            f"its snapshot is version {version}, newer than this mops-xl reads ({SNAPSHOT_VERSION}): "
            "upgrade mops-xl, or rebuild last week's intake with this version"
        )
    try:
        daily = DailyFigures(**data.pop("daily"))
        return Snapshot(**data, daily=daily)
    except TypeError as err:
        raise SnapshotError(f"a damaged mops-xl snapshot ({err})") from err


def _plain(value: Any) -> Any:
    """NaN and infinity → None, recursively (JSON holds neither)."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
