"""A worksheet written row by row to a temporary file, its rows' XML made a block of rows at a time.

XlsxWriter writes a cell through a generic path (a checked call, a stored tuple, then the XML of each cell when its
row is done): at a million rows of a dozen columns that path is most of a build. :meth:`StreamedWorksheet.
write_columns` makes the same XML directly from whole columns of values, a block of rows at a time: each row is one
``str.format`` of a template of the row's cells (numbers printed as XlsxWriter prints them, ``.16G``; a column of few
distinct values, and text, as their cell's XML made once per value, text escaped as XlsxWriter escapes it). Cells
without a value are left out as XlsxWriter leaves them, by a template per pattern of blanks. Rows with settings of
their own, and numbers XlsxWriter refuses (NaN, infinity), go the generic way.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

#: Rows made into XML at a time (a block of 100,000 rows of Actuals would be about 40 MB of text).
BLOCK_ROWS = 4096
#: Text XlsxWriter writes as it is (no control character or ``_xHHHH_`` to escape, no ``&<>``, no rich string):
#: anything else, and text starting or ending with a space or longer than half Excel's limit, takes its own path.
_NEEDS_CARE = re.compile(r"[\x00-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")


class StreamedWorksheet(Worksheet):
    """A worksheet written row by row to a temporary file (XlsxWriter's constant-memory mode) in a workbook
    whose other sheets are kept in memory: a million rows cost no memory, but rows must come in order."""

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize({**init_data, "constant_memory": True})

    def write_columns(self, first_row: int, columns: list[tuple[list[Any], bool]], formats: list[Any]) -> None:
        """Write columns of values from ``first_row`` down, exactly as writing each cell would.

        Args:
            first_row: The first row (0-based) of the values; the rows above are written already.
            columns: Per column, ``(values, numeric)``: numbers (written as numbers) or text, ``None`` for none.
            formats: Per column, the cell format (or None).
        """
        rows = min((len(values) for values, _ in columns), default=0)  # as zip() reads them
        if rows == 0:
            return
        columns = [(values[:rows], numeric) for values, numeric in columns]
        self._write_single_row(first_row)  # what the first cell of the first row would do: the row above is done
        self._assign_format_indexes(columns, formats)
        if any(r >= first_row for r in (*self.row_info, *self.comments)) or not _all_finite(columns):
            _write_cells_one_by_one(self, first_row, columns, formats)  # XlsxWriter's own way (and refusal)
            return
        xml = _RowsXml(self, columns, formats)
        for start in range(0, rows, BLOCK_ROWS):
            text, last, written = xml.block(first_row, start, min(start + BLOCK_ROWS, rows))
            self.fh.write(text)
            self._note_extent(first_row + start, first_row + last, written)

    def _assign_format_indexes(self, columns: list[tuple[list[Any], bool]], formats: list[Any]) -> None:
        """Number the formats in the order the cells would have (first cell first: by row, then column), so
        that the styles are listed as before."""
        first = []
        for c, (values, _) in enumerate(columns):
            r = next((i for i, v in enumerate(values) if v is not None), None)
            if r is not None and formats[c] is not None:
                first.append((r, c))
        for _, c in sorted(first):
            formats[c]._get_xf_index()

    def style_attribute(self, c: int, fmt: Any) -> str:
        """The ``s`` attribute of a cell of column ``c`` written with ``fmt`` (its column's format without one).

        Args:
            c: The column (0-based).
            fmt: The cell format, or None.

        Returns:
            E.g. ``' s="4"'``, or "".
        """
        if fmt is None and c in self.col_info:
            fmt = self.col_info[c].column_format
        return f' s="{fmt._get_xf_index()}"' if fmt is not None else ""

    def inline_text(self, string: str) -> str:
        """A text cell's XML after its reference and style, as XlsxWriter writes an inline string.

        Args:
            string: The text.

        Returns:
            E.g. `` t="inlineStr"><is><t>Search</t></is></c>``.
        """
        plain = not _NEEDS_CARE.search(string) and string[:1].strip() and string[-1:].strip()
        if plain and len(string) <= self.xls_strmax // 2:
            return f' t="inlineStr"><is><t>{string}</t></is></c>'
        if len(string) > self.xls_strmax // 2 and _utf16_len(string) > self.xls_strmax:
            string = _utf16_truncate(string, self.xls_strmax)
        string = self._escape_control_characters(string)
        if string.startswith("<r>") and string.endswith("</r>"):
            return f' t="inlineStr"><is>{string}</is></c>'
        preserve = ' xml:space="preserve"' if _preserve_whitespace(string) else ""
        return f' t="inlineStr"><is><t{preserve}>{self._escape_data(string)}</t></is></c>'

    def row_tag(self) -> tuple[str, str]:
        """The ``<row>`` tag of a row without settings of its own, around its ``r="…"``: as XlsxWriter writes it.

        Returns:
            What comes before ``r="…"`` and after it.
        """
        sheet: Any = self  # XlsxWriter's attributes carry no types
        saved, sheet.fh = sheet.fh, io.StringIO()
        try:
            self._write_row(0, None)
            tag = sheet.fh.getvalue()
        finally:
            sheet.fh = saved
        head, tail = tag.split('r="1"', 1)
        return head, tail

    def _note_extent(self, first_row: int, last_row: int, columns: list[int]) -> None:
        """Widen the sheet's used range to rows ``first_row``..``last_row`` and ``columns``, as writing their
        cells would (``last_row`` below ``first_row``: no row held a value)."""
        if last_row < first_row or not columns:
            return
        sheet: Any = self  # XlsxWriter's attributes carry no types
        sheet.dim_rowmin = first_row if sheet.dim_rowmin is None else min(sheet.dim_rowmin, first_row)
        sheet.dim_rowmax = last_row if sheet.dim_rowmax is None else max(sheet.dim_rowmax, last_row)
        sheet.dim_colmin = min(columns) if sheet.dim_colmin is None else min(sheet.dim_colmin, min(columns))
        sheet.dim_colmax = max(columns) if sheet.dim_colmax is None else max(sheet.dim_colmax, max(columns))
        sheet.previous_row = max(sheet.previous_row, last_row)


def _all_finite(columns: list[tuple[list[Any], bool]]) -> bool:
    """Whether every number of the numeric columns is finite (XlsxWriter refuses NaN and infinity)."""
    for values, numeric in columns:
        if numeric:
            numbers = np.array(values, dtype=float)  # None becomes NaN
            if np.isinf(numbers).any() or int(np.isnan(numbers).sum()) != values.count(None):
                return False
    return True


class _ColumnCells:
    """How one column's cells are made: the cell's template (after the row's ``{0}``, its number) and the argument
    each value gives it.

    A column of mostly distinct numbers is printed by the template (``{n:.16G}``); a column of few distinct values,
    and text, passes each value's cell XML, made once per value.

    Args:
        ws: The worksheet.
        c: The column (0-based).
        values: Its values (None: no cell).
        numeric: Whether they are numbers.
        fmt: The cell format.
    """

    def __init__(self, ws: StreamedWorksheet, c: int, values: list[Any], numeric: bool, fmt: Any):
        self.ws, self.values = ws, values
        self.ref, self.style = xl_col_to_name(c), ws.style_attribute(c, fmt)
        distinct = set(values)
        self.printed = numeric and len(distinct) > len(values) // 4
        self.shown: dict[Any, str] | None = None
        if numeric and not self.printed:
            self.shown = {v: f'"{self.style}><v>{v:.16G}</v></c>' for v in distinct if v is not None}
        elif not numeric and len(distinct) <= len(values) // 4:
            self.shown = {v: f'"{self.style}{ws.inline_text(v)}' for v in distinct if v is not None}

    def template(self, arg: int) -> str:
        """The cell's part of a row template, its value argument number ``arg``.

        Args:
            arg: The argument number of the value.

        Returns:
            E.g. ``<c r="D{0}" s="5"><v>{4:.16G}</v></c>`` or ``<c r="B{0}{2}``.
        """
        if self.printed:
            return f'<c r="{self.ref}{{0}}"{self.style}><v>{{{arg}:.16G}}</v></c>'
        return f'<c r="{self.ref}{{0}}{{{arg}}}'

    def arguments(self, start: int, end: int) -> list[Any]:
        """The arguments of rows ``start``..``end - 1`` (anything where the value is None: the row's template then
        has no cell for it).

        Args:
            start: The first row (0-based, in the column's values).
            end: The row after the last.

        Returns:
            One argument per row.
        """
        values = self.values[start:end]
        if self.printed:
            return values
        if self.shown is not None:
            shown = self.shown
            return [shown[v] if v is not None else "" for v in values]
        style, text = self.style, self.ws.inline_text
        return [f'"{style}{text(v)}' if v is not None else "" for v in values]


class _RowsXml:
    """Makes the XML of blocks of rows: one template per pattern of blank cells (see :class:`_ColumnCells`).

    Args:
        ws: The worksheet.
        columns: Per column, ``(values, numeric)``.
        formats: Per column, the cell format.
    """

    def __init__(self, ws: StreamedWorksheet, columns: list[tuple[list[Any], bool]], formats: list[Any]):
        self.columns = columns
        self.cells = [_ColumnCells(ws, c, values, numeric, formats[c]) for c, (values, numeric) in enumerate(columns)]
        self.head, self.tail = ws.row_tag()
        self.templates: dict[int, Callable[..., str]] = {}

    def block(self, first_row: int, start: int, end: int) -> tuple[str, int, list[int]]:
        """The XML of rows ``start``..``end - 1`` of the columns.

        Args:
            first_row: The sheet row (0-based) of the columns' first value.
            start: The first row of the block (0-based, in the columns' values).
            end: The row after the last.

        Returns:
            ``(xml, last, written)``: the rows' XML, the block's last row holding a value (-1: none; counted from
            the columns' first value) and the columns holding a value in the block.
        """
        numbers = [str(r + 1) for r in range(first_row + start, first_row + end)]
        arguments = [cell.arguments(start, end) for cell in self.cells]
        blanks = [c for c, (values, _) in enumerate(self.columns) if None in values[start:end]]
        written = [c for c, (values, _) in enumerate(self.columns) if values[start:end].count(None) < end - start]
        if not blanks:
            return "".join(map(self._template(0), numbers, *arguments)), end - 1, written
        patterns = np.zeros(end - start, dtype=np.int64)
        for c in blanks:
            patterns |= np.fromiter((v is None for v in self.columns[c][0][start:end]), bool, end - start) << c
        codes = patterns.tolist()
        rows = [self._template(code)(*row) for code, *row in zip(codes, numbers, *arguments, strict=True)]
        empty = (1 << len(self.columns)) - 1
        last = next((i for i in range(len(codes) - 1, -1, -1) if codes[i] != empty), -1)
        return "".join(rows), start + last, written

    def _template(self, blank: int) -> Callable[..., str]:
        """The ``format`` of the row template leaving out the columns whose bit is set in ``blank`` ("" when
        every column is blank: XlsxWriter writes no row)."""
        if blank not in self.templates:
            parts = [cell.template(c + 1) for c, cell in enumerate(self.cells) if not blank >> c & 1]
            row = f'{self.head}r="{{0}}"{self.tail}{"".join(parts)}</row>' if parts else ""
            self.templates[blank] = row.format
        return self.templates[blank]


def _write_cells_one_by_one(ws: Any, first_row: int, columns: list[tuple[list[Any], bool]], formats: list[Any]) -> None:
    """Write the columns' values cell by cell through XlsxWriter (a missing value left blank).

    Args:
        ws: The worksheet.
        first_row: The row (0-based) of the first values.
        columns: Per column, ``(values, numeric)``.
        formats: Per column, the cell format.
    """
    writers = [ws.write_number if numeric else ws.write_string for _, numeric in columns]
    for r, row in enumerate(zip(*(values for values, _ in columns), strict=False), start=first_row):
        for c, value in enumerate(row):
            if value is not None:
                writers[c](r, c, value, formats[c])


def write_columns(ws: Any, first_row: int, columns: list[tuple[list[Any], bool]], formats: list[Any]) -> None:
    """Write columns of values from ``first_row`` down: a block of rows at a time on a :class:`StreamedWorksheet`,
    else cell by cell.

    Args:
        ws: The worksheet.
        first_row: The row (0-based) of the first values.
        columns: Per column, ``(values, numeric)``: numbers or text, ``None`` for a blank cell.
        formats: Per column, the cell format (or None).
    """
    if isinstance(ws, StreamedWorksheet):
        ws.write_columns(first_row, columns, formats)
    else:
        _write_cells_one_by_one(ws, first_row, columns, formats)
