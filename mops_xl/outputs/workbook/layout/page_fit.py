"""No stranded last page: a sheet that would spill a few rows onto a page of their own prints a page shorter; and
no table torn from its header: one that would start at a page's foot, or continue without its header, starts a
page.

A leadership sheet prints one page wide and as many tall as it needs (:class:`~.print_setup.PrintSetup`). This
module lays its rows out on the paper as a spreadsheet prints them — the sheet scaled to the page's width, the
rows that repeat on every page taken from each page after the first — and when the last page would hold
:data:`FEW_LINES` lines of text or fewer, asks for one page fewer: the rows fit, the sheet printed a little smaller.
"""

from __future__ import annotations

from typing import Any

from mops_xl.outputs.workbook.layout.print_blocks import printed_last_column

__all__ = [
    "FEW_LINES",
    "PAPER_POINTS",
    "fit_last_page",
    "keep_tables_whole",
    "lay_out_pages",
    "rows_per_page",
    "text_lines",
]

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


def rows_per_page(
    ws: Any, paper: str, repeat: tuple[int, int] | None, breaks: frozenset[int] = frozenset(), shrink: float = 1.0
) -> list[list[int]]:
    """The rows of a written, laid-out sheet each printed page holds (one page wide).

    Args:
        ws: The XlsxWriter worksheet (columns fitted, rows grown, margins set).
        paper: A key of :data:`PAPER_POINTS`.
        repeat: The (first, last) rows printed on top of every page, or None.
        breaks: Rows that start a page (manual page breaks).
        shrink: How many times more of the sheet a page holds than one page wide (fitted to fewer pages:
            :func:`fit_last_page`).

    Returns:
        The rows (0-based) on each page, in order, without the rows repeated on top.
    """
    room = _room(ws, paper) * shrink
    heights = _heights(ws)
    on_top = sum(heights[repeat[0] : repeat[1] + 1]) if repeat is not None else 0.0
    pages: list[list[int]] = [[]]
    used = 0.0
    for r, h in enumerate(heights):
        if (used + h > room or r in breaks) and pages[-1]:
            pages.append([])
            used = on_top if repeat is not None and r > repeat[1] else 0.0
        pages[-1].append(r)
        used += h
    return pages


def keep_tables_whole(
    ws: Any, paper: str, repeat: tuple[int, int] | None, header_format: Any, shrink: float = 1.0, apply: bool = True
) -> list[int]:
    """Start a page before a table that would begin at the foot of a page, or continue onto the next without
    its header (on a sheet of several tables, only the title repeats), when the table fits on one page.

    A table is its header row (``header_format`` in the first column), the rows under it down to the first
    empty row, and up to two rows right above it (its title and note).

    Args:
        ws: The XlsxWriter worksheet, laid out and set up to print one page wide.
        paper: A key of :data:`PAPER_POINTS`.
        repeat: The rows repeated on every page, or None.
        header_format: The format of table header cells.
        shrink: How many times more of the sheet a page holds than one page wide (:func:`fit_last_page`).
        apply: Whether to set the breaks on the sheet (else only find them).

    Returns:
        The rows that start a page (set as the sheet's page breaks when ``apply``).
    """
    heights, room = _heights(ws), _room(ws, paper) * shrink
    on_top = sum(heights[repeat[0] : repeat[1] + 1]) if repeat is not None else 0.0
    single = repeat is not None and repeat[0] == repeat[1] and _is_header(ws, repeat[0], header_format)
    breaks: set[int] = set()
    for start, header, end in _tables(ws, header_format):
        pages = rows_per_page(ws, paper, repeat, frozenset(breaks), shrink)
        page_of = {r: k for k, rows in enumerate(pages) for r in rows}
        if page_of[start] == page_of[end] or pages[page_of[start]][0] == start:
            continue
        torn = page_of[min(header + 1, end)] != page_of[start]  # the header at a page's foot, its rows over
        fits = sum(heights[start : end + 1]) <= room - on_top
        if torn or (fits and not single):
            breaks.add(start)
    if breaks and apply:
        ws.set_h_pagebreaks(sorted(breaks))
    return sorted(breaks)


def lay_out_pages(ws: Any, paper: str, repeat: tuple[int, int] | None, header_format: Any) -> None:
    """Fit a sheet's last few lines onto the page before (:func:`fit_last_page`), or else keep its tables whole
    (:func:`keep_tables_whole`).

    Args:
        ws: The XlsxWriter worksheet, laid out and set up to print one page wide.
        paper: A key of :data:`PAPER_POINTS`.
        repeat: The rows repeated on every page, or None.
        header_format: The format of table header cells.
    """
    shrink = fit_last_page(ws, paper, repeat)
    # fitted a page shorter, a spreadsheet ignores page breaks: a table the smaller pages would tear is kept whole
    # instead, on pages one page wide
    if shrink is not None and keep_tables_whole(ws, paper, repeat, header_format, shrink, apply=False):
        ws.fit_to_pages(1, 0)
        shrink = None
    if shrink is None:
        keep_tables_whole(ws, paper, repeat, header_format)


def _tables(ws: Any, header_format: Any) -> list[tuple[int, int, int]]:
    """Each table of a sheet: (its first row with title and note, its header row, its last row)."""
    out = []
    last = ws.dim_rowmax or 0
    for r in range(last + 1):
        if not _is_header(ws, r, header_format):
            continue
        start = r
        while start > 0 and r - start < 2 and ws.table.get(start - 1):
            start -= 1
        end = r
        while end < last and ws.table.get(end + 1):
            end += 1
        out.append((start, r, end))
    return out


def _is_header(ws: Any, r: int, header_format: Any) -> bool:
    cell = ws.table.get(r, {}).get(0)
    return cell is not None and cell.format is header_format


def _room(ws: Any, paper: str) -> float:
    """A page's printable height in the sheet's own points (the sheet scaled to the page's width)."""
    width, height = PAPER_POINTS[paper]
    page_w = width - 72 * (ws.margin_left + ws.margin_right)
    page_h = height - 72 * (ws.margin_top + ws.margin_bottom)
    columns = range(printed_last_column(ws) + 1)  # a sheet printed in blocks: its first block's width
    sheet_w = sum(ws._size_col(c) + _COLUMN_PAD_PX for c in columns) * _PT_PER_PX
    return page_h / min(1.0, page_w / sheet_w)


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


def fit_last_page(ws: Any, paper: str, repeat: tuple[int, int] | None) -> float | None:
    """Fit a sheet one page shorter when its last page would hold :data:`FEW_LINES` lines or fewer.

    Args:
        ws: The XlsxWriter worksheet, laid out and set up to print one page wide.
        paper: A key of :data:`PAPER_POINTS`.
        repeat: The rows repeated on every page, or None.

    Returns:
        None when it was not fitted, else how many times more of the sheet a page holds: the rows' height over
        the room of the pages it is fitted to (at least 1).
    """
    pages = rows_per_page(ws, paper, repeat)
    if len(pages) < 2 or text_lines(ws, pages[-1]) > FEW_LINES + _SLACK_LINES:
        return None
    heights = _heights(ws)
    if sum(heights[r] for r in pages[-1]) > (1 - _MIN_SHRINK) * sum(heights):  # too much to fit by shrinking
        return None
    ws.fit_to_pages(1, len(pages) - 1)
    return max(1.0, sum(heights) / ((len(pages) - 1) * _room(ws, paper)))


def _heights(ws: Any) -> list[float]:
    """Every row's height in points, down to the last row written (XlsxWriter keeps them in pixels)."""
    return [ws._size_row(r) * _PT_PER_PX for r in range((ws.dim_rowmax or 0) + 1)]
