"""The Dashboard's grid: a label column, six KPI-box columns, a gap and eleven narrow columns the blocks across the
page end in, about 1,250 px wide so the page prints one page wide at about 80 % (words ≥ 8 pt on Letter and A4);
and how text is laid into it (merged spans, wrapped rows sized by an estimate of their lines)."""

from __future__ import annotations

import math
from typing import Any

# --- The grid (0-based columns; widths in Excel characters, ≈ 7 px each + 5 px) ---------------------------
LABEL_WIDTH, BOX_WIDTH, GAP_WIDTH, RIGHT_COL_WIDTH = 24, 14, 2, 5
BOX_COLUMNS = 6  # B..G: one KPI box each
GAP_COL = 1 + BOX_COLUMNS  # H: a narrow column
RIGHT_COL = GAP_COL + 1  # I: the first of the narrow columns right of the boxes
RIGHT_COLS = 11  # I..S: the blocks across the page end in S
#: px: three charts a row, two rows, on a page of their own (1,200 × 680 px: with the page's title, within the 737 px
#: an A4 page holds at the grid's scale, :func:`page_points`)
CHART_W, CHART_H = 400, 340
ROW_PT = 15.0  # a default row (20 px)
ROW_PX = 20
TITLE_PT = 19.0  # a row holding a title (14 pt)


def px(width_chars: float) -> int:
    """The pixel width Excel gives a column of ``width_chars`` characters (Calibri 11).

    Args:
        width_chars: The column width as XlsxWriter's ``set_column`` takes it.

    Returns:
        Pixels.
    """
    return int(width_chars * 7 + 5) if width_chars >= 1 else int(width_chars * 12 + 0.5)


def text_lines(text: str, width_chars: float) -> int:
    """How many lines a wrapped text takes in a column of ``width_chars`` characters (an estimate).

    Args:
        text: The text.
        width_chars: The column width.

    Returns:
        At least 1.
    """
    per_line = max(int(width_chars * 0.95), 1)
    lines, used = 1, 0
    for word in str(text).split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += need
    return lines


def column_width(c: int) -> float:
    """A grid column's width in characters."""
    if c == 0:
        return LABEL_WIDTH
    if c <= BOX_COLUMNS:
        return BOX_WIDTH
    return GAP_WIDTH if c == GAP_COL else RIGHT_COL_WIDTH


def span_width(first: int, last: int) -> float:
    """The width of grid columns ``first`` to ``last``, in characters."""
    return sum(column_width(c) for c in range(first, last + 1))


def page_points() -> float:
    """The points of rows one printed page holds when the grid prints one page wide on the shorter of the two
    papers, A4 landscape (0.4 in margins left and right, 0.75 in top and bottom), less 5 % for the scale's rounding.

    Returns:
        Points of row height, at 100 %.
    """
    grid_pt = 0.75 * sum(px(column_width(c)) for c in range(RIGHT_COL + RIGHT_COLS))
    scale = (841.9 - 0.8 * 72) / grid_pt
    return 0.95 * (595.3 - 1.5 * 72) / scale


def tick_step(top: float, ticks: int = 4) -> float | None:
    """A round step for a chart's value axis (1, 2 or 5 × a power of ten) that puts at most ``ticks`` labels past
    zero on an axis reaching ``top``: labels side by side on a horizontal axis stay apart.

    Args:
        top: The largest value the axis shows.
        ticks: The most labels past zero.

    Returns:
        The step, or None (the spreadsheet's own) when ``top`` is not a positive number.
    """
    if not math.isfinite(top) or top <= 0:
        return None
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def put(ws: Any, r: int, first: int, last: int, value: Any, fmt: Any) -> None:
    """Write a value in one cell, or merged over several."""
    if first == last:
        ws.write(r, first, value, fmt)
    else:
        ws.merge_range(r, first, r, last, value, fmt)
