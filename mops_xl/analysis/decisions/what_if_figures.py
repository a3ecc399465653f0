"""The what-if's figures, each computed with pandas and written as an Excel formula side by side.

The Reallocation sheet's what-if shows, per channel, its budget for the period, a proposed budget (an input a
leader may edit), the change, the CAC and ROAS the plan priced moves with, and the customers and revenue the
change is expected to bring (docs/metrics.md, "What-if"). The engine computes these with :meth:`compute`; the
report writes the same definitions as formulas through a :class:`WhatIfWriter` (which knows the row's cells),
so an edited proposed budget recalculates what the engine would have computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

#: The extra budget in a receiving channel is assumed to work at this share of its current average
#: efficiency (diminishing returns); the budget leaving a channel loses its full average efficiency.
DIMINISHING_RETURNS = 0.5
#: The What-if table of the Reallocation sheet, per channel: the CAC and ROAS the plan priced the moves with
#: (attributed under the chosen model, or the channels' own; the plan's basis says which).
WHAT_IF_COLUMNS = (
    "Budget for period",
    "Proposed budget",
    "Change",
    "CAC used",
    "ROAS used",
    "Expected extra customers",
    "Expected extra revenue",
)


class WhatIfWriter(Protocol):
    """What a what-if figure needs to write itself as a formula; the report implements it for one channel's row."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def cell(self, column: str) -> str:
        """The cell of the row holding a column of :data:`WHAT_IF_COLUMNS`, e.g. "Change"."""
        ...


def effective(change: pd.Series) -> pd.Series:
    """The part of a budget change that works: an increase at :data:`DIMINISHING_RETURNS`, a cut in full.

    Args:
        change: Channel → budget change (+ received, − given).

    Returns:
        Channel → change × 0.5 where positive, else the change.
    """
    return change.where(change <= 0, change * DIMINISHING_RETURNS)


@dataclass(frozen=True)
class BudgetChange:
    """The change of a channel's budget: the proposed budget is the budget plus the plan's change; on the sheet
    the proposed budget is the input, so the change follows as proposed − budget."""

    column: str = "Change"

    def compute(self, budget: pd.Series, change: pd.Series) -> pd.Series:
        """The proposed budget.

        Args:
            budget: Channel → budget for the period.
            change: Channel → the plan's change.

        Returns:
            Channel → budget + change.
        """
        return budget + change

    def formula(self, w: WhatIfWriter) -> str:
        """Proposed budget − budget for period (no leading "=")."""
        return f"{w.cell('Proposed budget')}-{w.cell('Budget for period')}"


@dataclass(frozen=True)
class ExpectedExtra:
    """What a budget change is expected to bring: its working part (:func:`effective`) ÷ CAC used (customers)
    or × ROAS used (revenue); undefined where the figure used is.

    Args:
        column: The what-if column it fills.
        used: The efficiency figure it prices with ("CAC used" or "ROAS used").
        per_cost: Divide by the figure (a cost per customer) rather than multiply (a return per unit spent).
    """

    column: str
    used: str
    per_cost: bool

    def compute(self, change: pd.Series, used: pd.Series) -> pd.Series:
        """The expected extra customers or revenue per channel.

        Args:
            change: Channel → budget change.
            used: Channel → the CAC or ROAS used (NaN where undefined; a CAC of 0 or less prices nothing).

        Returns:
            Channel → the expected extra (NaN where undefined).
        """
        if self.per_cost:
            return effective(change).div(used.where(used > 0))
        return effective(change) * used

    def formula(self, w: WhatIfWriter) -> str:
        """IF(ISNUMBER(used), IF(change>0, 0.5, 1) × change ÷ or × used, undefined) (no leading "=")."""
        change, used = w.cell("Change"), w.cell(self.used)
        times = "/" if self.per_cost else "*"
        return f"IF(ISNUMBER({used}),IF({change}>0,{DIMINISHING_RETURNS},1)*{change}{times}{used},{w.undefined})"


CHANGE = BudgetChange()
EXPECTED_CUSTOMERS = ExpectedExtra("Expected extra customers", "CAC used", per_cost=True)
EXPECTED_REVENUE = ExpectedExtra("Expected extra revenue", "ROAS used", per_cost=False)
#: The what-if columns the report writes as formulas, each with its definition.
WHAT_IF_FORMULAS: dict[str, BudgetChange | ExpectedExtra] = {
    f.column: f for f in (CHANGE, EXPECTED_CUSTOMERS, EXPECTED_REVENUE)
}
