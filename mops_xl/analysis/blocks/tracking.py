"""What the intake tracks: a blank Actuals cell is missing, not 0, and a metric nobody records is "Not tracked".

A column is not tracked at all when no Actuals row gives it; a channel does not track it when every one of its
Actuals rows leaves it blank (see :func:`mops_xl.intake.model.tracked_by_channel`). Spend is always tracked (the
column is required; a blank Spend cell is 0). A figure is tracked when every volume it is computed from is: CAC
needs Customers, ROAS needs Revenue, and so on. Blended figures count the channels that track them (see
docs/metrics.md, "Not tracked").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.intake.model import TRACKABLE, Intake

#: Figures outside the catalogue → the volumes they need.
_OTHER_NEEDS = {"Leads per day": ("Leads",)}


def needs(metric: str) -> tuple[str, ...]:
    """The trackable Actuals columns a figure is computed from (Spend, always tracked, left out).

    Args:
        metric: A catalogue figure, or "Leads per day".

    Returns:
        E.g. ``("Customers",)`` for CAC, ``()`` for Spend.
    """
    entry = catalogue.current().find(metric)
    columns = entry.expression.needs() if entry is not None else _OTHER_NEEDS.get(metric, (metric,))
    return tuple(c for c in columns if c in TRACKABLE)


def paid_only(metric: str) -> bool:
    """Whether a blended figure counts paid channels only (ROAS).

    Args:
        metric: The figure.

    Returns:
        True when only paid channels count.
    """
    entry = catalogue.current().find(metric)
    return entry is not None and entry.expression.paid_only


def value_if_volumes_tracked(metric: str, value: Any, volumes: Any) -> Any:
    """A figure of one subject as the report shows it, judged from the subject's own summed volumes (a campaign's,
    say), where a volume the subject does not track is NaN: the value, or :data:`NOT_TRACKED` when a volume the
    figure needs is NaN. For a channel or the blended figures, see :meth:`Tracking.value_if_tracked`.

    Args:
        metric: The figure.
        value: The engine's value.
        volumes: The subject's volumes (a mapping or a row).

    Returns:
        The value or the text.
    """
    return NOT_TRACKED if any(pd.isna(volumes[c]) for c in needs(metric)) else value


@dataclass(frozen=True)
class Tracking:
    """Which volumes each channel tracks, and what that makes of every figure.

    Args:
        by_channel: Channel × :data:`~mops_xl.intake.model.TRACKABLE` column → tracked.
        has_rows: Channel → whether it has any Actuals row (a channel without rows counts for no blended figure).
        paid: Channel → paid media.
        absent: The trackable columns the Actuals sheet does not have at all.
    """

    by_channel: pd.DataFrame
    has_rows: pd.Series
    paid: pd.Series
    absent: tuple[str, ...] = ()

    @classmethod
    def of(cls, intake: Intake) -> Tracking:
        """Read what an intake tracks.

        Args:
            intake: The intake.

        Returns:
            The :class:`Tracking`.
        """
        names = list(intake.channels["Channel"])
        paid = intake.channels.set_index("Channel")["Paid"].reindex(names).fillna(False).astype(bool)
        has_rows = pd.Series(pd.Index(names).isin(set(intake.actuals["Channel"])), index=names)
        return cls(intake.tracked, has_rows, paid, tuple(intake.untracked_columns))

    @cached_property
    def _flags(self) -> dict[Any, dict[str, bool]] | None:
        """Channel → column → tracked, with "_rows" (has Actuals rows) and "_paid", as plain Python, when the three
        tables are boolean and share one channel index (as :meth:`of` makes them); None otherwise (the pandas
        path aligns them)."""
        table, rows, paid = self.by_channel, self.has_rows, self.paid
        if not (table.index.equals(rows.index) and paid.index.equals(rows.index)) or table.index.has_duplicates:
            return None
        if any(str(dtype) != "bool" for dtype in (rows.dtype, paid.dtype, *table.dtypes)):
            return None
        flags = {
            ch: {str(c): bool(v) for c, v in zip(table.columns, row, strict=True)}
            for ch, row in zip(table.index, table.to_numpy(), strict=True)
        }
        for ch, has, is_paid in zip(rows.index, rows.to_numpy(), paid.to_numpy(), strict=True):
            flags[ch] |= {"_rows": bool(has), "_paid": bool(is_paid)}
        return flags

    def channel(self, channel: str, metric: str) -> bool:
        """Whether a channel's figure is tracked (every volume it needs is).

        Args:
            channel: The channel.
            metric: The figure (see :func:`needs`).

        Returns:
            True when tracked.
        """
        flags = self._flags
        if flags is not None:
            return all(flags[channel][c] for c in needs(metric))
        return all(bool(self.by_channel.loc[channel, c]) for c in needs(metric))

    def channels(self, metric: str) -> list[str]:
        """The channels a blended figure counts: those with Actuals rows that track every volume it needs
        (paid ones only for ROAS).

        Args:
            metric: The figure.

        Returns:
            The channel names, in Channels order.
        """
        flags = self._flags
        if flags is not None:  # the same test channel by channel, in plain Python
            columns, only_paid = needs(metric), paid_only(metric)
            return [
                ch
                for ch, tracks in flags.items()
                if tracks["_rows"] and all(tracks[c] for c in columns) and (tracks["_paid"] or not only_paid)
            ]
        ok = self.has_rows.copy()
        for c in needs(metric):
            ok &= self.by_channel[c]
        if paid_only(metric):
            ok &= self.paid
        return list(ok[ok].index)

    def blended(self, metric: str) -> bool:
        """Whether a blended figure is tracked: some channel (paid for ROAS) tracks what it needs.

        Args:
            metric: The figure.

        Returns:
            True when tracked (always for Spend).
        """
        return not needs(metric) or bool(self.channels(metric))

    def left_out(self, metric: str) -> list[str]:
        """The channels with Actuals rows that a tracked blended figure leaves out because they do not track it.

        Args:
            metric: The figure.

        Returns:
            The channel names (paid channels only for ROAS), empty when every channel tracks it.
        """
        counted = set(self.channels(metric))
        candidates = self.has_rows & (self.paid if paid_only(metric) else True)
        return [ch for ch in candidates[candidates].index if ch not in counted]

    def reason(self, metric: str, channel: str | None = None) -> str | None:
        """Why a figure is not tracked, or None when it is.

        Args:
            metric: The figure.
            channel: A channel, or None for the blended figure.

        Returns:
            E.g. ``"not tracked: the Actuals sheet has no MQLs column"``.
        """
        if channel is not None:
            missing = [c for c in needs(metric) if not self.by_channel.loc[channel, c]]
        elif self.blended(metric):
            missing = []
        else:
            missing = [c for c in needs(metric) if not self.by_channel.loc[self.has_rows, c].any()]
            if not missing and paid_only(metric):
                return f"not tracked: no paid channel's Actuals rows give {' and '.join(needs(metric))}"
            if not missing:
                return f"not tracked: no channel tracks both {' and '.join(needs(metric))}"
        if not missing:
            return None
        column = missing[0]
        if column in self.absent:
            return f"not tracked: the Actuals sheet has no {column} column"
        if channel is not None:
            return f"not tracked: every Actuals row of {channel} leaves {column} blank"
        return f"not tracked: no Actuals row gives {column}"

    def value_if_tracked(self, metric: str, value: Any, channel: str | None = None) -> Any:
        """A channel's or the blended figure as the report shows it, judged from what the intake tracks: its value,
        or :data:`NOT_TRACKED` where it is not tracked. For a subject judged by its own volumes, see
        :func:`value_if_volumes_tracked`.

        Args:
            metric: The figure.
            value: The engine's value.
            channel: A channel, or None for the blended figure.

        Returns:
            The value or the text.
        """
        tracked = self.channel(channel, metric) if channel is not None else self.blended(metric)
        return value if tracked else NOT_TRACKED
