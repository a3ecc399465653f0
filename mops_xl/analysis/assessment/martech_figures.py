"""The marketing system's figures, each computed with pandas and written as an Excel formula side by side.

The share of integrations that are automated, how many active channels serve each funnel stage and whether it is
covered, and the team's FTE (docs/metrics.md, "Martech stack, integrations, funnel coverage, team"); the stack's
monthly cost is a building block (:mod:`~mops_xl.analysis.blocks.stack_cost`). The engine computes these with
:meth:`compute` (:mod:`~mops_xl.analysis.assessment.martech`); the report writes the same definitions as formulas
through a :class:`SystemWriter`, which knows where the data sheets' columns and the Funnel Coverage grid's cells are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from mops_xl.analysis.blocks.statuses import COVERED, GAP

#: The mark of an active channel serving a funnel stage in the Funnel Coverage grid.
SERVES = "●"


class SystemWriter(Protocol):
    """What a system figure needs to write itself as an Excel formula; the report implements it for the
    Martech Stack, Funnel Coverage and Cadence & Team sheets."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def column(self, sheet: str, column: str) -> str:
        """A reference to a data sheet's column, e.g. the Stack sheet's Monthly cost."""
        ...

    def stage_marks(self) -> str:
        """The range of a stage's column of the Funnel Coverage grid (one cell per channel, marked :data:`SERVES`)."""
        ...

    def stage_count(self) -> str:
        """The cell holding the number of active channels serving the stage."""
        ...


def automated(integrations: pd.DataFrame) -> pd.Series:
    """Whether each integration is automated (a blank counts as not).

    Args:
        integrations: The Integrations table.

    Returns:
        One bool per integration.
    """
    return integrations["Automated"].fillna(False).astype(bool)


@dataclass(frozen=True)
class AutomationShare:
    """Automated integrations ÷ all integrations; undefined when none is listed."""

    def compute(self, integrations: pd.DataFrame) -> float:
        """The share.

        Args:
            integrations: The Integrations table.

        Returns:
            The share, NaN without integrations.
        """
        return float(automated(integrations).mean()) if len(integrations) else math.nan

    def formula(self, w: SystemWriter) -> str:
        """COUNTIF(Automated, "Yes") ÷ COUNTA(System), undefined for none (no leading "=")."""
        systems = w.column("Integrations", "System")
        return (
            f"IF(COUNTA({systems})=0,{w.undefined},"
            f'COUNTIF({w.column("Integrations", "Automated")},"Yes")/COUNTA({systems}))'
        )


@dataclass(frozen=True)
class StageChannels:
    """The number of active channels serving a funnel stage."""

    def compute(self, by_stage: dict[str, list[str]]) -> dict[str, int]:
        """The counts.

        Args:
            by_stage: Stage → the active channels serving it.

        Returns:
            Stage → their number.
        """
        return {stage: len(names) for stage, names in by_stage.items()}

    def formula(self, w: SystemWriter) -> str:
        """COUNTIF of the stage's marks (no leading "=")."""
        return f'COUNTIF({w.stage_marks()},"{SERVES}")'


@dataclass(frozen=True)
class StageCoverage:
    """A funnel stage is Covered when an active channel serves it, else a Gap."""

    def compute(self, counts: dict[str, int]) -> dict[str, str]:
        """The coverage words.

        Args:
            counts: Stage → the number of active channels serving it.

        Returns:
            Stage → "Covered" or "Gap".
        """
        return {stage: COVERED if n else GAP for stage, n in counts.items()}

    def formula(self, w: SystemWriter) -> str:
        """IF(count = 0, "Gap", "Covered") (no leading "=")."""
        return f'IF({w.stage_count()}=0,"{GAP}","{COVERED}")'


@dataclass(frozen=True)
class TotalFte:
    """Σ FTE of the Team (a blank adds nothing)."""

    def compute(self, team: pd.DataFrame) -> float:
        """The total.

        Args:
            team: The Team table.

        Returns:
            The sum.
        """
        return float(team["FTE"].fillna(0).sum())

    def formula(self, w: SystemWriter) -> str:
        """SUM of FTE (no leading "=")."""
        return f"SUM({w.column('Team', 'FTE')})"


AUTOMATION_SHARE = AutomationShare()
STAGE_CHANNELS = StageChannels()
STAGE_COVERAGE = StageCoverage()
TOTAL_FTE = TotalFte()
