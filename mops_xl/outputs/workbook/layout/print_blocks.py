"""A sheet too wide for a readable page prints as blocks: its narrow body, then its wide table's right part.

A leadership sheet prints one page wide (:class:`~.print_setup.PrintSetup`): one wide table shrinks every page of
its sheet. Printed as two print ranges instead (Excel and LibreOffice print each range on pages of its own,
fitted to the page's width), the sheet's body prints as wide as its narrower columns, and the wide table's
columns past them print after it, with the table's first columns repeated on their left so each row reads.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.utility import xl_cell_to_rowcol

__all__ = ["in_blocks", "print_in_blocks", "printed_last_column"]

#: The first block's bottom-right cell in a print area of two ranges ("'Plan, Q3'!$A$1:$I$40,'Plan, Q3'!…": a
#: sheet name may hold a comma, never a colon).
_FIRST_BLOCK_END = re.compile(r":([$A-Z0-9]+),")


def print_in_blocks(ws: Any, body_last_col: int, right: tuple[int, int, int, int], repeat_cols: int) -> None:
    """Print a sheet as two blocks: columns A to ``body_last_col`` of every row, then the ``right`` block.

    Args:
        ws: The XlsxWriter worksheet, written (its last row is its last written row).
        body_last_col: The 0-based last column of the first block.
        right: The second block, (first row, first column, last row, last column), 0-based.
        repeat_cols: How many columns, from column A, print on the left of the second block's pages.
    """
    body = ws._convert_name_area(0, 0, ws.dim_rowmax or 0, body_last_col)
    ws.print_area_range = f"{body},{ws._convert_name_area(*right)}"  # XlsxWriter's print_area takes one range
    ws.repeat_columns(0, repeat_cols - 1)


def printed_last_column(ws: Any) -> int:
    """The last column a sheet's first printed page is as wide as: the first block's of a sheet printed in
    blocks (:func:`print_in_blocks`), else the sheet's last column.

    Args:
        ws: The XlsxWriter worksheet.

    Returns:
        The 0-based column.
    """
    found = _FIRST_BLOCK_END.search(ws.print_area_range or "")
    if found is None:
        return ws.dim_colmax or 0
    return xl_cell_to_rowcol(found.group(1))[1]


def in_blocks(ws: Any) -> bool:
    """Whether a sheet prints in blocks (:func:`print_in_blocks`).

    Args:
        ws: The XlsxWriter worksheet.

    Returns:
        True when its print area is two ranges.
    """
    return _FIRST_BLOCK_END.search(ws.print_area_range or "") is not None
