"""The stack's monthly cost: the Active tools' Σ Monthly cost, computed with pandas and written as an Excel formula
side by side, once. The blended figures prorate it (fully-loaded CAC's stack cost,
:class:`~mops_xl.analysis.blocks.figure_blocks.StackCost`); the assessment shows it (the Martech Stack sheet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

#: The Stack Status of a tool in use (a blank Status counts as Active).
ACTIVE = "Active"


class StackColumns(Protocol):
    """Where the Stack sheet's columns are."""

    def column(self, sheet: str, column: str) -> str:
        """A reference to a data sheet's column, e.g. the Stack sheet's Monthly cost."""
        ...


def active_tools(stack: pd.DataFrame) -> pd.DataFrame:
    """The Stack tools in use.

    Args:
        stack: The Stack table.

    Returns:
        Its rows whose Status is Active or blank.
    """
    return stack[stack["Status"].fillna(ACTIVE) == ACTIVE]


@dataclass(frozen=True)
class MonthlyStackCost:
    """Σ Monthly cost of the Active Stack tools (a blank cost adds nothing)."""

    def compute(self, stack: pd.DataFrame) -> float:
        """The monthly cost.

        Args:
            stack: The Stack table.

        Returns:
            The sum.
        """
        return float(active_tools(stack)["Monthly cost"].fillna(0).sum())

    def formula(self, w: StackColumns) -> str:
        """SUMIFS of Monthly cost over the Active tools (no leading "=")."""
        return f'SUMIFS({w.column("Stack", "Monthly cost")},{w.column("Stack", "Status")},"{ACTIVE}")'


MONTHLY_STACK_COST = MonthlyStackCost()
