"""Where the what-if's figures are written: the Reallocation sheet's rows, one per channel.

The definitions (:mod:`mops_xl.analysis.decisions.what_if_figures`) know what a figure is; :class:`WhatIfRow`
knows where a channel's row keeps each column: the channel's name in column A, then the columns of
:data:`~mops_xl.analysis.decisions.what_if_figures.WHAT_IF_COLUMNS` in order.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.decisions.what_if_figures import WHAT_IF_COLUMNS, WHAT_IF_FORMULAS
from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED

#: The what-if table's header: the channel, then the figures.
WHAT_IF_HEADER = ("Channel", *WHAT_IF_COLUMNS)


def what_if_column(column: str) -> int:
    """The 0-based sheet column of a what-if column.

    Args:
        column: A column of :data:`WHAT_IF_COLUMNS`.

    Returns:
        Its column (the channel's name is in 0).
    """
    return WHAT_IF_HEADER.index(column)


class WhatIfRow:
    """One channel's row of the what-if (a :class:`~mops_xl.analysis.decisions.what_if_figures.WhatIfWriter`).

    Args:
        row: The 0-based sheet row.
    """

    undefined = f'"{UNDEFINED}"'

    def __init__(self, row: int):
        self.row = row

    def cell(self, column: str) -> str:
        """The row's cell of a what-if column, e.g. "D5"."""
        return xl_rowcol_to_cell(self.row, what_if_column(column))


def what_if_formula(column: str, row: int) -> str | None:
    """The formula of a what-if column in one channel's row, or None for a column written as a value.

    Args:
        column: A column of :data:`WHAT_IF_COLUMNS`.
        row: The 0-based sheet row.

    Returns:
        The formula (with its leading "="), or None.
    """
    figure = WHAT_IF_FORMULAS.get(column)
    return None if figure is None else "=" + figure.formula(WhatIfRow(row))
