"""A worksheet written row by row to a temporary file, its rows' XML made a block of rows at a time.

XlsxWriter writes a cell through a generic path (a checked call, a stored tuple, then the XML of each cell when its
row is done): at a million rows of a dozen columns that path is most of a build. :meth:`StreamedWorksheet.
write_columns` makes the same XML directly from whole columns of values (numbers as XlsxWriter prints them, text as it
escapes it), a block of rows at a time, and falls back to the generic path for any block it cannot vouch for.
"""

from __future__ import annotations

import io
from typing import Any

from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

#: Rows made into XML at a time (a block of 100,000 rows of Actuals would be about 40 MB of text).
BLOCK_ROWS = 4096
#: What a number XlsxWriter refuses (NaN, ±infinity) looks like once printed: such a block goes the generic way.
_NOT_FINITE = ("<v>NAN</v>", "<v>INF</v>", "<v>-INF</v>")


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
        self._write_single_row(first_row)  # what the first cell of the first row would do: the row above is done
        self._assign_format_indexes(columns, formats)
        generic = any(r >= first_row for r in (*self.row_info, *self.comments))
        for start in range(0, rows, BLOCK_ROWS):
            end = min(start + BLOCK_ROWS, rows)
            block = [(values[start:end], numeric) for values, numeric in columns]
            xml = "" if generic else self._rows_xml(first_row + start, block, formats)
            if xml is None or generic:
                _write_cells_one_by_one(self, first_row + start, block, formats)
            else:
                self.fh.write(xml)

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

    def _rows_xml(self, first_row: int, block: list[tuple[list[Any], bool]], formats: list[Any]) -> str | None:
        """The XML of a block of rows (rows without a value left out, as XlsxWriter leaves them), the sheet's
        extent updated; None when a number is one XlsxWriter refuses (the generic path then says so)."""
        numbers = [str(r + 1) for r in range(first_row, first_row + len(block[0][0]))]
        cells = [
            self._column_xml(c, values, numeric, formats[c], numbers)
            for c, (values, numeric) in enumerate(block)
            if values.count(None) < len(values)
        ]
        if not cells:
            return ""
        head, tail = self._row_tag()
        bodies = ["".join(row) for row in zip(*cells, strict=True)]
        xml = "".join([f'{head}r="{n}"{tail}{body}</row>' for n, body in zip(numbers, bodies, strict=True) if body])
        if any(bad in xml for bad in _NOT_FINITE):
            return None
        last = next(i for i in range(len(bodies) - 1, -1, -1) if bodies[i])  # a column holds a value: some row does
        written = [c for c, (values, _) in enumerate(block) if values.count(None) < len(values)]
        self._note_extent(first_row, first_row + last, written)
        return xml

    def _column_xml(self, c: int, values: list[Any], numeric: bool, fmt: Any, numbers: list[str]) -> list[str]:
        """Each row's cell of one column as XlsxWriter writes it ("" where the value is None)."""
        ref = xl_col_to_name(c)
        style = self._style(c, fmt)
        distinct = set(values)
        if numeric and len(distinct) > len(values) // 4:  # mostly distinct numbers: printed one by one
            return [
                "" if v is None else f'<c r="{ref}{n}"{style}><v>{v:.16G}</v></c>'
                for n, v in zip(numbers, values, strict=True)
            ]
        # Few distinct values (dates, keys, counts, names): each value's cell after its reference made once.
        if numeric:
            shown = {v: f'"{style}><v>{v:.16G}</v></c>' for v in distinct if v is not None}
        else:
            shown = {v: f'"{style}{self._inline_text(v)}' for v in distinct if v is not None}
        return ["" if v is None else f'<c r="{ref}{n}{shown[v]}' for n, v in zip(numbers, values, strict=True)]

    def _style(self, c: int, fmt: Any) -> str:
        """The ``s`` attribute of a cell of column ``c`` written with ``fmt`` (its column's format without one)."""
        if fmt is None and c in self.col_info:
            fmt = self.col_info[c].column_format
        return f' s="{fmt._get_xf_index()}"' if fmt is not None else ""

    def _inline_text(self, string: str) -> str:
        """The rest of a text cell after its reference and style, as XlsxWriter writes an inline string."""
        if len(string) > self.xls_strmax // 2 and _utf16_len(string) > self.xls_strmax:
            string = _utf16_truncate(string, self.xls_strmax)
        string = self._escape_control_characters(string)
        if string.startswith("<r>") and string.endswith("</r>"):
            return f' t="inlineStr"><is>{string}</is></c>'
        preserve = ' xml:space="preserve"' if _preserve_whitespace(string) else ""
        return f' t="inlineStr"><is><t{preserve}>{self._escape_data(string)}</t></is></c>'

    def _row_tag(self) -> tuple[str, str]:
        """The ``<row>`` tag of a row without settings of its own, around its ``r="…"``: as XlsxWriter writes it."""
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
