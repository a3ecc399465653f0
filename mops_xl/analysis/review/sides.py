"""A snapshot read back as the metric catalogue reads an intake's figures: each channel's volumes to date, the
paid flags, the Business values and the stack cost, and every blended figure computed from them by the catalogue
(:mod:`mops_xl.analysis.blocks.catalogue`) — so a KPI's move is split with the very definition that computed it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.figure_blocks import Subjects
from mops_xl.analysis.review.snapshot import DAILY_FIELDS, Snapshot


@dataclass(frozen=True)
class Side:
    """One report's figures to date, as the catalogue computes them.

    Args:
        volumes: Channel × :data:`DAILY_FIELDS` (NaN where the channel does not track the volume).
        paid: Channel → paid media.
        business: The Business values.
        stack_cost: The stack cost to date.
        figures: Every catalogue figure over all channels (NaN where undefined).
    """

    volumes: pd.DataFrame
    paid: pd.Series
    business: dict[str, Any]
    stack_cost: float
    figures: dict[str, float]

    @property
    def subjects(self) -> Subjects:
        """What the catalogue's blocks compute a blended figure from."""
        return Subjects(self.volumes, self.paid, self.business, self.stack_cost)

    def volume(self, channel: str, field: str) -> float:
        """One channel's volume to date (NaN when it does not track it or is not on this side).

        Args:
            channel: The channel.
            field: The volume.

        Returns:
            The value.
        """
        if channel not in self.volumes.index:
            return math.nan
        return float(self.volumes.at[channel, field])


def side_of(snapshot: Snapshot) -> Side:
    """Read a snapshot's figures to date.

    Args:
        snapshot: The snapshot.

    Returns:
        The :class:`Side`.
    """
    channels = list(snapshot.volumes)
    volumes = pd.DataFrame(
        [[_float(snapshot.volumes[ch].get(f)) for f in DAILY_FIELDS] for ch in channels],
        index=pd.Index(channels, dtype="object"),
        columns=list(DAILY_FIELDS),
        dtype="float64",
    )
    paid = pd.Series({ch: bool(snapshot.paid.get(ch, False)) for ch in channels}, dtype="bool")
    business = dict(snapshot.business_values)
    side = Side(volumes, paid, business, float(snapshot.stack_cost), {})
    return Side(volumes, paid, business, side.stack_cost, catalogue.current().blended(side.subjects))


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)
