"""Column widths fitted to what a cell shows, once every sheet is written.

XlsxWriter's ``autofit()`` measures the raw value (``0.00057`` is 7 digits wide whatever its format says) and
ignores wrapping. :class:`ColumnFitter` measures the text a reader sees — the value run through its number
format (:func:`shown_text`) — so a money column fits ``$38,073.00`` and a date column never shows "###":

- a column is as wide as its longest shown value, capped at :data:`MAX_WIDTH` characters, and at least as
  wide as its header needs to take at most :data:`HEADER_LINES` lines, its words whole (no header is cut
  mid-word: "Experim", "Conversi"; none is stacked word by word over a narrow column of figures);
- a text longer than its (capped) column wraps, and its row grows to the lines it needs — counted as Excel
  wraps it (its Calibri widths and padding, a line may end after a hyphen), so a row is no taller than its
  text; so do header rows (a header wrapped onto two lines is shown whole, so "Remaining budget" and
  "Remaining days" stay apart);
- a line of its own in column A (a title, a note, a section heading) runs over the empty cells to its right;
  when it is longer than the whole table it is merged across the table's columns and wrapped.

Widths are estimated with XlsxWriter's Calibri character widths times :data:`FONT_SLACK`: LibreOffice
without Calibri's metric twin (Carlito) draws the text in a wider font, but it widens the columns in the
same proportion (a column's width counts the default font's digits), so a small margin is enough.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from xlsxwriter import utility

from mops_xl.outputs.workbook.formulas.excel_formulas import UNDEFINED
from mops_xl.outputs.workbook.layout.print_blocks import printed_last_column

#: Widest a fitted column gets for values without spaces, in characters of the default font.
MAX_WIDTH = 50
#: Widest a fitted column gets for text with spaces (a reason, an action): longer text wraps onto more lines.
TEXT_WIDTH = 50
#: ... and in a column that also holds figures (two tables sharing columns), unless the figures need more.
SHARED_TEXT_WIDTH = 18
#: Text up to this long is a label ("Over pace", "No target"): it sets its column's width, never wraps.
LABEL_WIDTH = 20
#: The width a column of wrapping text (a definition) gets when its sheet gave it none.
PROSE_WIDTH = 40
#: Excel's cell padding, in pixels, with a margin: a fitted column leaves this much beside its widest text.
PADDING = 9
#: The padding Excel itself leaves (XlsxWriter's autofit adds the same 7 pixels): a line wraps when its text is
#: wider than the column less this. Row heights count lines with it, so a row is no taller than its text needs.
LINE_PADDING = 7
#: Pixels per character of the default font (Calibri 11), and per line of it.
CHAR_PX, LINE_PT = 7, 15.0
#: Margin on the estimated text width (LibreOffice's fallback font for Calibri, rounding).
FONT_SLACK = 1.05
#: Bold text is this much wider than regular: Calibri Bold about 3 %, and LibreOffice's fallback, DejaVu Sans
#: Bold, measured in its PDF at 0-3 % over Calibri regular's widths (which the column unit scales to).
BOLD = 1.05

#: A table header takes at most this many lines: its column widens rather than stack it word by word.
HEADER_LINES = 2
#: Where a word may end a line besides a space: after a hyphen between letters ("order-|agnostic"), as Excel
#: and LibreOffice break it (not in "-3" or "2026-09-10").
_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z]-)(?=[A-Za-z])")
_QUOTED = re.compile(r'"([^"]*)"')
_CONDITION = re.compile(r"^\[([<>]=?|=)(-?[\d.]+)\]")
_BRACKETS = re.compile(r"\[[^\]]*\]")
#: XlsxWriter's width of a text in Calibri 11 pixels, remembered: a report measures the same words again and again
#: (20,615 measures of 3,816 texts in the saas report).
xl_pixel_width = functools.lru_cache(maxsize=16384)(utility.xl_pixel_width)


def text_px(text: str, font_size: float = 11, bold: bool = False, slack: float = FONT_SLACK) -> float:
    """The estimated pixel width of one line of text.

    Args:
        text: The text (one line).
        font_size: The font size in points.
        bold: Bold text (:data:`BOLD` wider).
        slack: The margin on the width (:data:`FONT_SLACK`; 1 for Excel's own Calibri widths).

    Returns:
        The width in pixels.
    """
    return xl_pixel_width(text) * slack * (font_size / 11) * (BOLD if bold else 1.0)


def wrapped_lines(
    text: str, width_px: float, font_size: float = 11, bold: bool = False, slack: float = FONT_SLACK
) -> int:
    """How many lines a text takes when wrapped at word boundaries in a cell ``width_px`` wide.

    Args:
        text: The text (may hold line breaks).
        width_px: The cell's inner width in pixels.
        font_size: The font size in points.
        bold: Bold text.
        slack: The margin on the text's width (see :func:`text_px`).

    Returns:
        The number of lines (at least 1).
    """
    lines = 0
    space = text_px(" ", font_size, bold, slack)
    for paragraph in str(text).split("\n"):
        used, lines = 0.0, lines + 1
        for word in paragraph.split():
            for i, piece in enumerate(_HYPHEN_BREAK.split(word)):  # a line may also end after "order-"
                w = text_px(piece, font_size, bold, slack)
                gap = space if used and i == 0 else 0.0
                if used and used + gap + w > width_px:
                    lines, used, gap = lines + 1, 0.0, 0.0
                if w > width_px:  # a word wider than the cell is broken over several lines
                    extra = math.ceil(w / width_px) - 1
                    lines, used = lines + extra, w - extra * width_px
                else:
                    used += gap + w
    return max(lines, 1)


def header_px(text: str, font_size: float = 11, lines: int | None = None) -> float:
    """The narrowest width in which a (bold) header takes at most ``lines`` lines, its words never cut.

    Args:
        text: The header.
        font_size: The font size in points.
        lines: The most lines it may take (:data:`HEADER_LINES`).

    Returns:
        The inner width in pixels (with :data:`FONT_SLACK`, as columns are fitted).
    """
    most = HEADER_LINES if lines is None else lines
    narrow = max((text_px(word, font_size, True) for word in text.split()), default=0.0)
    wide = text_px(" ".join(text.split()), font_size, True)
    if wrapped_lines(text, narrow, font_size, True) <= most:
        return narrow
    while wide - narrow > 1:  # the fewest lines a width gives only falls as the width grows
        middle = (narrow + wide) / 2
        if wrapped_lines(text, middle, font_size, True) <= most:
            wide = middle
        else:
            narrow = middle
    return wide


def shown_text(value: Any, num_format: str | None) -> str:
    """The text a spreadsheet shows for a value under a number format (the formats the report uses).

    Args:
        value: A number, a string, a bool or None.
        num_format: The Excel number format ("" or None: General).

    Returns:
        The text shown (dates: a text as long as the date shown).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    x = float(value)
    if not num_format or num_format == "General":
        return f"{x:.10g}" if abs(x) < 1e11 else f"{x:.5E}"
    if any(token in num_format.lower() for token in ("yy", "dd", "hh", "mm")) and "0" not in num_format:
        return "0" * len(_QUOTED.sub(lambda m: m.group(1), num_format))
    sections = _sections(num_format)
    if _CONDITION.match(sections[0]):  # [<0.001]"< 0.001";[<0.01]0.0000;0.000: the first section whose test holds
        section, sign = sections[-1], ""
        for candidate in sections:
            condition = _CONDITION.match(candidate)
            if condition and _holds(x, condition.group(1), float(condition.group(2))):
                section = candidate
                break
    else:
        section = sections[1] if x < 0 and len(sections) > 1 else sections[0]
        sign = "-" if x < 0 and len(sections) == 1 else ""
        x = abs(x)
    return sign + _apply(x, _BRACKETS.sub("", section))


def _holds(x: float, op: str, limit: float) -> bool:
    """Whether a number format's condition (``[<0.001]``) holds for x."""
    return {"<": x < limit, "<=": x <= limit, ">": x > limit, ">=": x >= limit, "=": x == limit}[op]


def _sections(num_format: str) -> list[str]:
    """Split a number format at the semicolons that are not quoted."""
    parts, current, quoted = [], "", False
    for ch in num_format:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def _apply(x: float, section: str) -> str:
    """Format a non-negative number with one section of a number format."""
    literal = _QUOTED.split(section)  # even items: format code, odd items: quoted text
    code = "".join(literal[0::2])
    digits = re.search(r"[#0,.]*[0#][#0,.]*", code)
    if digits is None:  # a section of text only, e.g. "< 0.001"
        return "".join(literal[1::2]) or code
    spec = digits.group(0)
    if "%" in code:
        x *= 100
    integer, _, fraction = spec.partition(".")
    fixed, optional = fraction.count("0"), fraction.count("#")
    text = f"{x:{',' if ',' in integer else ''}.{fixed + optional}f}"
    if optional:
        text = text.rstrip("0")
        whole, _, decimals = text.partition(".")
        decimals = decimals.ljust(fixed, "0")
        text = whole + ("." + decimals if decimals else "")
    out, at = "", 0
    for i, piece in enumerate(literal):
        if i % 2:
            out += piece
        else:
            j = piece.find(spec) if at == 0 else -1
            if j >= 0:
                out += piece[:j].replace("\\", "") + text + piece[j + len(spec) :].replace("\\", "")
                at = 1
            else:
                out += piece.replace("\\", "")
    return out


def _is_figure(cell: Any) -> bool:
    """Whether a written cell shows a number (a value, or a formula whose cached value is one)."""
    kind = type(cell).__name__
    return kind in ("Number", "Datetime") or (kind == "Formula" and not isinstance(cell.value, str))


def _mono(fmt: Any) -> bool:
    """Whether a format draws text in a monospace font (preformatted text, never wrapped)."""
    return fmt is not None and str(fmt.font_name).lower() in ("consolas", "courier new", "dejavu sans mono")


@dataclass
class _Column:
    """What the cells of one column need, in pixels."""

    need: float = 0.0  # the widest value shown on one line (a figure, a label)
    floor: float = 0.0  # the widest word of its header
    soft: float = 0.0  # the widest text that may wrap (a sentence)
    figures: bool = False  # it holds numbers (two tables share the column)
    prose: bool = False  # its sheet wraps its text (the column keeps its width as the cap)
    mono: bool = False  # preformatted text: never capped

    def width(self, prose_cap: float) -> float:
        """The column's width in pixels, before padding.

        Args:
            prose_cap: The width the sheet gave the column, for a prose column.

        Returns:
            The width.
        """
        cap = math.inf if self.mono else prose_cap if self.prose else MAX_WIDTH * CHAR_PX
        hard = max(self.floor, min(self.need, cap))
        text_cap = prose_cap if self.prose else (SHARED_TEXT_WIDTH if self.figures else TEXT_WIDTH) * CHAR_PX
        return max(hard, min(self.soft, max(text_cap, hard)))


class ColumnFitter:
    """Fits the column widths and row heights of written worksheets to the text their cells show.

    Args:
        wb: The XlsxWriter workbook (every sheet written, not yet closed).
        header_format: The format of table header cells (their rows may wrap; their words are never cut).
    """

    def __init__(self, wb: Any, header_format: Any):
        self.wb, self.header = wb, header_format
        table = wb.str_table.string_table  # cells may hold a shared string's index
        self._strings = sorted(table, key=table.__getitem__)
        self._twins: dict[tuple[int, str], Any] = {}

    # Public API ----------------------------------------------------------------------------------------

    def fit(self, ws: Any) -> None:
        """Fit one worksheet's columns to their cells, wrap what is longer than its column, and grow rows.

        A column holding wrapping text (a definition, a reason) keeps the width its sheet gave it (or
        :data:`PROSE_WIDTH`) as its cap; text in a monospace font (the framework's box drawing) is never wrapped.

        Args:
            ws: The worksheet.
        """
        if ws.dim_rowmax is None or ws.constant_memory:  # a streamed sheet sized its columns before its rows
            return
        cells = list(self._cells(ws))
        own_line = self._own_lines(ws, cells)
        spans = {(m[0], m[1]): m[3] for m in ws.merge if m[0] == m[2] and m[3] > m[1]}  # merged across columns
        columns = self._measure(ws, cells, own_line | set(spans))
        for c, column in columns.items():
            self._set_width(ws, c, column.width(self._width_px(ws, c, PROSE_WIDTH * CHAR_PX) - PADDING) + PADDING)
        self._align_undefined(ws, cells, columns)
        self._grow_rows(ws, self._wrap(ws, cells, own_line, spans))

    def _align_undefined(self, ws: Any, cells: list, columns: dict[int, _Column]) -> None:
        """An undefined figure ("–") written as text aligns right, with the figures of its column (left, it reads
        as part of the number before it: "$10,104.11 –")."""
        for r, c, text, fmt in cells:
            column = columns.get(c)
            if text == UNDEFINED and column is not None and column.figures and not (fmt and fmt.text_h_align):
                cell = ws.table[r][c]
                ws.table[r][c] = cell._replace(format=self._twin(fmt, "right", lambda f: f.set_align("right")))

    def _measure(self, ws: Any, cells: list, skip: set) -> dict[int, _Column]:
        """What each column's cells need (but the cells in ``skip``: lines of their own, merged cells)."""
        columns: dict[int, _Column] = {}
        for r, c, text, fmt in cells:
            if (r, c) in skip or not text:
                continue
            col = columns.setdefault(c, _Column())
            size, bold = self._font(fmt)
            if _mono(fmt):
                col.mono = True
                col.need = max(col.need, len(text) * CHAR_PX * size / 11 * 1.1)
            elif fmt is self.header:
                col.floor = max(col.floor, header_px(text, size))
            else:
                col.prose = col.prose or bool(fmt is not None and fmt.text_wrap)
                width = max(text_px(line, size, bold) for line in text.split("\n"))
                width += 16 if (r, c) in getattr(ws, "filter_cells", {}) else 0  # a filter button beside it
                if " " in text.strip() and len(text) > LABEL_WIDTH:
                    col.soft = max(col.soft, width)
                else:
                    col.figures = col.figures or _is_figure(ws.table[r][c])
                    col.need = max(col.need, width)
        return columns

    def _wrap(self, ws: Any, cells: list, own_line: set, spans: dict[tuple[int, int], int]) -> dict[int, float]:
        """Wrap every text longer than its cell (merging a long line of its own across the table).

        Args:
            ws: The worksheet.
            cells: Its cells (:meth:`_cells`).
            own_line: The lines of their own (:meth:`_own_lines`).
            spans: The first cell of a range merged across columns → its last column.

        Returns:
            Row → the height its text needs, in points.
        """
        heights: dict[int, float] = {}
        last_col = printed_last_column(ws)  # a long line wraps within the width its page prints
        for r, c, text, fmt in cells:
            if not text or _mono(fmt):
                continue
            size, bold = self._font(fmt)
            if (r, c) in own_line:
                span = sum(self._width_px(ws, k) for k in range(c, last_col + 1))
                if text_px(text, size, bold) + PADDING <= span or "\n" in text:
                    continue
                lines = wrapped_lines(text, span - LINE_PADDING, size, bold, slack=1.0)
                ws.merge_range(r, c, r, last_col, text, self.wrapped(fmt))
            else:
                width = sum(self._width_px(ws, k) for k in range(c, spans.get((r, c), c) + 1))
                lines = wrapped_lines(text, width - LINE_PADDING, size, bold, slack=1.0)  # as Excel wraps it
                if lines == 1 and text_px(text, size, bold) <= width - PADDING:
                    continue
                if not (fmt is not None and fmt.text_wrap):
                    self._rewrap(ws, r, c, fmt)
            heights[r] = max(heights.get(r, 0), lines * LINE_PT * size / 11)
        return heights

    def _grow_rows(self, ws: Any, heights: dict[int, float]) -> None:
        """Make rows tall enough for their wrapped text; every cell of a grown row reads from its top line."""
        for r, height in heights.items():
            info = ws.row_info.get(r)
            current = info.height * 0.75 if info and info.height else LINE_PT
            if height > current:
                ws.set_row(r, height, info.row_format if info else None)
                for c, cell in ws.table[r].items():
                    if cell.format is None or cell.format.text_v_align != 1:
                        ws.table[r][c] = cell._replace(format=self.top_aligned(cell.format))

    def wrapped(self, fmt: Any) -> Any:
        """The same format with text wrapping on, aligned to the top (made once per format).

        Args:
            fmt: An XlsxWriter format, or None.

        Returns:
            The wrapping format.
        """
        return self._twin(fmt, "wrap", lambda f: (f.set_text_wrap(), f.set_align("top")))

    def _twin(self, fmt: Any, change: str, apply: Any) -> Any:
        """A copy of a format with one change, registered with the workbook once."""
        key = (id(fmt), change)
        if key not in self._twins:
            new = self.wb.add_format()
            if fmt is not None:
                for name, value in vars(fmt).items():
                    if name not in ("xf_index", "dxf_index", "_format_key"):  # indices and the cached key: its own
                        setattr(new, name, value)
            apply(new)
            self._twins[key] = new
        return self._twins[key]

    def top_aligned(self, fmt: Any) -> Any:
        """The same format aligned to the top of its cell (made once per format).

        Args:
            fmt: An XlsxWriter format, or None.

        Returns:
            The top-aligned format.
        """
        return self._twin(fmt, "top", lambda f: f.set_align("top"))

    # Private API ---------------------------------------------------------------------------------------

    def _cells(self, ws: Any):
        """Every written cell as (row, column, text shown, format)."""
        for r, row in ws.table.items():
            for c, cell in row.items():
                kind = type(cell).__name__
                column = ws.col_info.get(c)
                fmt = cell.format or (column.column_format if column is not None else None)
                num_format = fmt.num_format if fmt is not None else None
                if kind == "String":
                    value: Any = cell.string if isinstance(cell.string, str) else self._strings[cell.string]
                elif kind == "RichString":
                    value = cell.raw_string
                elif kind in ("Number", "Datetime"):
                    value = cell.number
                elif kind == "Boolean":
                    value = bool(cell.boolean)
                elif kind in ("Formula", "ArrayFormula"):  # a one-cell array formula (formulas/portable.py) too
                    value = cell.value
                else:
                    continue
                yield r, c, shown_text(value, num_format if isinstance(num_format, str) else None), fmt

    def _own_lines(self, ws: Any, cells: list) -> set[tuple[int, int]]:
        """Cells of column A with nothing to their right: titles, notes and section headings."""
        used: dict[int, set[int]] = {}
        for r, c, text, _ in cells:
            if text:
                used.setdefault(r, set()).add(c)
        merged = {(m[0], m[1]) for m in ws.merge}
        return {(r, 0) for r, cols in used.items() if cols == {0} and (r, 0) not in merged and ws.dim_colmax > 0}

    def _font(self, fmt: Any) -> tuple[float, bool]:
        if fmt is None:
            return 11.0, False
        return float(fmt.font_size or 11), bool(fmt.bold) or fmt is self.header

    def _width_px(self, ws: Any, c: int, default: float = 64.0) -> float:
        info = ws.col_info.get(c)
        return float(info.width) if info is not None and info.width is not None else default

    def _set_width(self, ws: Any, c: int, px: float) -> None:
        info = ws.col_info.get(c)
        ws.set_column_pixels(
            c, c, math.ceil(px), info.column_format if info else None, {"hidden": info.hidden} if info else None
        )

    def _rewrap(self, ws: Any, r: int, c: int, fmt: Any) -> None:
        """Give a written cell the wrapping twin of its format."""
        cell = ws.table[r][c]
        ws.table[r][c] = cell._replace(format=self.wrapped(fmt))


def data_column_px(values: list[Any], num_format: str | None, header: str) -> float:
    """The width of a data sheet's column from its values, before they are written (a streamed sheet writes
    its column widths before its rows).

    Args:
        values: The values to be written (numbers or text; None for blank).
        num_format: Their number format (None: General).
        header: The column's header (on one line, with room for the filter button).

    Returns:
        The width in pixels, padding included.
    """
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    texts = {str(v) for v in values if isinstance(v, str)}
    if numbers:  # the widest shown number is the largest or the most negative
        texts |= {shown_text(max(numbers), num_format), shown_text(min(numbers), num_format)}
    widest = max((text_px(t) for t in texts), default=0.0)
    return max(text_px(header, bold=True) + 16, min(widest, MAX_WIDTH * CHAR_PX)) + PADDING
