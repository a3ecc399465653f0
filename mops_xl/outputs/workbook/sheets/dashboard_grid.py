"""The Dashboard's grid: one landscape page of a label column, six KPI-box columns, a gap and the chart columns,
and how text is laid into it (merged spans, wrapped rows sized by an estimate of their lines)."""

from __future__ import annotations

from typing import Any

# --- The grid (0-based columns; widths in Excel characters, ≈ 7 px each + 5 px) ---------------------------
LABEL_WIDTH, BOX_WIDTH, GAP_WIDTH, CHART_COL_WIDTH = 24, 14, 2, 12
BOX_COLUMNS = 6  # B..G: one KPI box each
GAP_COL = 1 + BOX_COLUMNS  # H: space between the story and the charts
CHART_COL = GAP_COL + 1  # I: the first chart column
CHART_W, CHART_H = 300, 230  # px: three charts a row, two rows
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


#: The columns the charts cover (I onwards): enough for three charts side by side.
CHART_COLS = -(-3 * CHART_W // px(CHART_COL_WIDTH))


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
    return GAP_WIDTH if c == GAP_COL else CHART_COL_WIDTH


def span_width(first: int, last: int) -> float:
    """The width of grid columns ``first`` to ``last``, in characters."""
    return sum(column_width(c) for c in range(first, last + 1))


def put(ws: Any, r: int, first: int, last: int, value: Any, fmt: Any) -> None:
    """Write a value in one cell, or merged over several."""
    if first == last:
        ws.write(r, first, value, fmt)
    else:
        ws.merge_range(r, first, r, last, value, fmt)
