"""No stranded last page: a sheet that would spill a few rows onto a page of their own prints a page shorter.

A leadership sheet prints one page wide and as many tall as it needs (:class:`~.print_setup.PrintSetup`). This
module lays its rows out on the paper as a spreadsheet prints them — the sheet scaled to the page's width, the
rows that repeat on every page taken from each page after the first — and when the last page would hold
:data:`FEW_LINES` lines of text or fewer, asks for one page fewer: the rows fit, the sheet printed a little smaller.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FEW_LINES", "PAPER_POINTS", "fit_last_page", "rows_per_page", "text_lines"]

#: A last page of this many lines of text or fewer is stranded: the sheet is fitted to one page fewer.
FEW_LINES = 6
#: How many lines the layout above may count too many on the last page (LibreOffice's page breaks fall a row or
#: two later than its estimate on a sheet scaled to the page's width).
_SLACK_LINES = 2
#: The height of one line of text in the report's body font (Calibri 11), in points.
_LINE = 15.0
#: Landscape paper, (width, height) in points, by the ``--paper`` name.
PAPER_POINTS = {"a4": (841.9, 595.3), "letter": (792.0, 612.0)}
#: How much wider LibreOffice prints each column than Excel's width in pixels (measured on the samples' packs:
#: a sheet scaled to fit the page's width prints about 8 % smaller than its pixel widths say).
_COLUMN_PAD_PX = 8
#: Points per pixel (Excel's 96 dpi screen against 72 points an inch).
_PT_PER_PX = 0.75
#: The shrink a printer applies to fit a few more rows: never below this (a shorter page would not read).
_MIN_SHRINK = 0.8


def rows_per_page(ws: Any, paper: str, repeat: tuple[int, int] | None) -> list[list[int]]:
    """The rows of a written, laid-out sheet each printed page holds (one page wide).

    Args:
        ws: The XlsxWriter worksheet (columns fitted, rows grown, margins set).
        paper: A key of :data:`PAPER_POINTS`.
        repeat: The (first, last) rows printed on top of every page, or None.

    Returns:
        The rows (0-based) on each page, in order, without the rows repeated on top.
    """
    width, height = PAPER_POINTS[paper]
    page_w = width - 72 * (ws.margin_left + ws.margin_right)
    page_h = height - 72 * (ws.margin_top + ws.margin_bottom)
    columns = range((ws.dim_colmax or 0) + 1)
    sheet_w = sum(ws._size_col(c) + _COLUMN_PAD_PX for c in columns) * _PT_PER_PX
    room = page_h / min(1.0, page_w / sheet_w)  # the page's height, in the sheet's own points
    heights = _heights(ws)
    on_top = sum(heights[repeat[0] : repeat[1] + 1]) if repeat is not None else 0.0
    pages: list[list[int]] = [[]]
    used = 0.0
    for r, h in enumerate(heights):
        if used + h > room and pages[-1]:
            pages.append([])
            used = on_top if repeat is not None and r > repeat[1] else 0.0
        pages[-1].append(r)
        used += h
    return pages


def text_lines(ws: Any, rows: list[int]) -> int:
    """How many lines of text rows print: a row with something in it prints as many as its height holds.

    Args:
        ws: The XlsxWriter worksheet.
        rows: Its rows (0-based).

    Returns:
        The count of lines.
    """
    heights = _heights(ws)
    return sum(max(1, round(heights[r] / _LINE)) for r in rows if ws.table.get(r))


def fit_last_page(ws: Any, paper: str, repeat: tuple[int, int] | None) -> bool:
    """Fit a sheet one page shorter when its last page would hold :data:`FEW_LINES` lines or fewer.

    Args:
        ws: The XlsxWriter worksheet, laid out and set up to print one page wide.
        paper: A key of :data:`PAPER_POINTS`.
        repeat: The rows repeated on every page, or None.

    Returns:
        Whether the sheet was fitted to fewer pages.
    """
    pages = rows_per_page(ws, paper, repeat)
    if len(pages) < 2 or text_lines(ws, pages[-1]) > FEW_LINES + _SLACK_LINES:
        return False
    heights = _heights(ws)
    if sum(heights[r] for r in pages[-1]) > (1 - _MIN_SHRINK) * sum(heights):  # too much to fit by shrinking
        return False
    ws.fit_to_pages(1, len(pages) - 1)
    return True


def _heights(ws: Any) -> list[float]:
    """Every row's height in points, down to the last row written (XlsxWriter keeps them in pixels)."""
    return [ws._size_row(r) * _PT_PER_PX for r in range((ws.dim_rowmax or 0) + 1)]
