"""The new intake an import writes: a copy of the user's workbook with the rows appended, nothing else changed.

The copy keeps every sheet and column of the user's workbook (their own notes, extra columns, formatting):
the workbook is opened with openpyxl (a well-kept library that reads and writes every part an intake has) and
only the target sheet and the Import log are touched. openpyxl keeps a formula but not its saved value, and a
formula without a value cannot be read back; so a formula cell of an intake sheet is copied as its value
(said in the output).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from mops_xl.atomic import atomic_output
from mops_xl.intake.coerce import CellStyle, coerce_column
from mops_xl.intake.file import is_strict, openpyxl_source
from mops_xl.intake.reader import find_header_row, normalise_header
from mops_xl.intake.schema import IMPORT_LOG, SHEETS_BY_NAME
from mops_xl.plural import count

_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "money": "#,##0.00", "number": "#,##0.##"}


class IntakeCopy:
    """A copy of an intake workbook being extended by an import.

    Args:
        source: The user's intake (only read).
    """

    def __init__(self, source: Path):
        import openpyxl

        self.book = openpyxl.load_workbook(openpyxl_source(source))
        self.notes: list[str] = []
        self._freeze_formulas(source)
        if is_strict(source):
            self.notes.append("The intake was saved as Strict Open XML; the new intake is an Excel Workbook (.xlsx)")

    def _freeze_formulas(self, source: Path) -> None:
        """Replace each formula of an intake sheet by its saved value (openpyxl would drop the value)."""
        cells = [
            (ws.title, c.coordinate)
            for ws in self.book.worksheets
            if ws.title in SHEETS_BY_NAME
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f"
        ]
        if not cells:
            return
        import openpyxl

        values = openpyxl.load_workbook(openpyxl_source(source), data_only=True, read_only=True)
        for title, ref in cells:
            self.book[title][ref].value = values[title][ref].value
        values.close()
        self.notes.append(f"{count(len(cells), 'formula cell')} of the intake sheets were copied as their values")

    def columns(self, ws: Any, sheet: str) -> tuple[int, dict[str, int]]:
        """The header row of a sheet (1-based) and each canonical column's position (1-based).

        Args:
            ws: The openpyxl sheet.
            sheet: Its schema sheet's name.

        Returns:
            ``(header row, canonical column → position)``.
        """
        head = [list(r) for r in ws.iter_rows(min_row=1, max_row=11, values_only=True)]
        at = find_header_row([[("" if v is None else v) for v in r] for r in head], SHEETS_BY_NAME[sheet].field_names)
        row = (at or 0) + 1
        names = {normalise_header(f): f for f in SHEETS_BY_NAME[sheet].field_names}
        positions = {}
        for cell in ws[row]:
            name = names.get(normalise_header(cell.value)) if cell.value is not None else None
            if name and name not in positions:
                positions[name] = cell.column
        return row, positions

    def _sheet(self, sheet: str) -> Any:
        if sheet in self.book.sheetnames:
            return self.book[sheet]
        ws = self.book.create_sheet(sheet)
        ws.append(SHEETS_BY_NAME[sheet].field_names)
        return ws

    def remove_rows(self, sheet: str, keys: set[tuple[Any, ...]], columns: tuple[str, ...]) -> int:
        """Remove the data rows of a sheet whose key columns hold one of ``keys`` (read with the intake's reader).

        Args:
            sheet: The sheet.
            keys: Key tuples (dates as Timestamps, blank campaign as "").
            columns: The key columns.

        Returns:
            How many rows were removed.
        """
        ws = self._sheet(sheet)
        header, positions = self.columns(ws, sheet)
        if not keys or any(c not in positions for c in columns[:2]):
            return 0
        last = ws.max_row
        index = pd.RangeIndex(header + 1, last + 1)
        parts = []
        for name in columns:
            if name not in positions:
                parts.append(pd.Series("", index=index, dtype=object))
                continue
            raw = pd.Series([ws.cell(r, positions[name]).value for r in index], index=index, dtype=object).where(
                lambda s: s.notna(), ""
            )
            values, _ = coerce_column(
                raw, SHEETS_BY_NAME[sheet].field(name), sheet=sheet, letter="?", style=CellStyle()
            )
            parts.append(values.where(values.notna(), "") if name != "Date" else values)
        doomed = [r for r, key in zip(index, zip(*parts, strict=True), strict=True) if key in keys]
        for r in reversed(doomed):
            ws.delete_rows(r)
        return len(doomed)

    def append(self, sheet: str, records: Iterable[dict[str, Any]]) -> int:
        """Append records below the last row of a sheet, each value under its column (added when missing).

        Args:
            sheet: The sheet.
            records: Canonical column → value (None: blank).

        Returns:
            The number of rows appended.
        """
        ws = self._sheet(sheet)
        header, positions = self.columns(ws, sheet)
        records = list(records)
        schema = SHEETS_BY_NAME[sheet]
        for fld in schema.fields:
            if fld.name not in positions and any(_given(r.get(fld.name)) for r in records):
                col = max([c.column for c in ws[header] if c.value is not None] + [0]) + 1
                ws.cell(header, col, fld.name)
                positions[fld.name] = col
        last = header
        for r in range(ws.max_row, header, -1):
            if any(ws.cell(r, c).value not in (None, "") for c in positions.values()):
                last = r
                break
        for i, rec in enumerate(records, start=1):
            for fld in schema.fields:
                value = rec.get(fld.name)
                if fld.name in positions and _given(value):
                    _write(ws.cell(last + i, positions[fld.name]), value, fld.type)
        return len(records)

    def log(self, entry: dict[str, Any]) -> None:
        """Append one row to the Import log sheet (created when the intake has none).

        Args:
            entry: Import log column → value.
        """
        self.append(IMPORT_LOG.name, [entry])

    def save(self, out: Path) -> Path:
        """Write the copy atomically.

        Args:
            out: The new intake's path.

        Returns:
            ``out``.
        """
        with atomic_output(out) as tmp:
            self.book.save(tmp)
        return out


def _given(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value)
    return value is not None and not (not isinstance(value, str) and pd.isna(value)) and value != ""


def _write(cell: Any, value: Any, kind: str) -> None:
    """One value, as the intake's template writes it: dates as dates, text always as text (never a formula)."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if kind == "yesno" and isinstance(value, bool):
        value = "Yes" if value else "No"
    if hasattr(value, "item") and not isinstance(value, (dt.date, str)):
        value = value.item()
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # "=1+1" is a channel name, not a formula
    elif kind in _FORMATS:
        cell.number_format = _FORMATS[kind]
