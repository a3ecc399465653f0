"""Reading the intake's sheets into typed values, as the schema declares them.

Key/value sheets become dicts, table sheets become DataFrames with the schema's canonical column names,
indexed by the Excel row each record came from (so later checks can still name the cell). Header
matching ignores case and spacing; column order is free; extra columns are ignored with a notice.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from mops_xl.intake.coerce import CellStyle, blank_cells, coerce_column
from mops_xl.intake.file import RawWorkbook
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.schema import Field, Sheet, version_tuple


def normalise_header(text: Any) -> str:
    """Return a header as compared: case-folded, inner spaces collapsed, ends trimmed.

    Args:
        text: A header cell value.

    Returns:
        The comparison key.
    """
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


#: How many rows from the top the header row may be found in (under a title block).
MAX_TITLE_ROWS = 10


def find_header_row(rows: list[list[Any]], names: Any, *, max_rows: int = MAX_TITLE_ROWS) -> int | None:
    """Find the header row among the first rows: the first with at least two known column names.

    The intake reader and the import share it: a title block (a report name, a date range, merged title cells)
    may stand above the header.

    Args:
        rows: The rows of the sheet or export, from its first.
        names: The known column names (any case; spaces collapsed).
        max_rows: How many rows to look in.

    Returns:
        The 0-based position of the header row, or None when none of the first rows has two known names.
    """
    known = {normalise_header(n) for n in names}
    need = min(2, len(known))
    for i, row in enumerate(rows[: max_rows + 1]):
        if sum(normalise_header(c) in known for c in row if c is not None) >= need:
            return i
    return None


def _added_later(fld: Field, intake_version: str) -> bool:
    return version_tuple(fld.since) > version_tuple(intake_version)


def read_fields(
    raw: RawWorkbook | None,
    schema: Sheet,
    report: ValidationReport,
    intake_version: str,
    style: CellStyle | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Read a key/value sheet (column A = Field, column B = Value).

    Args:
        raw: The workbook, or ``None`` when the sheet is missing.
        schema: The sheet's schema.
        report: Where problems are recorded.
        intake_version: The schema version the intake was made with.
        style: How the workbook writes text numbers and dates.

    Returns:
        ``(values, cells)``: canonical field name → typed value (``None`` where blank with no default), and
        field name → the cell holding its value (e.g. ``"B7"``) for the fields present.
    """
    found = _field_rows(raw.rows(schema.name) if raw is not None else [], schema, report)
    values: dict[str, Any] = {}
    for fld in schema.fields:
        if fld.name in found:
            row, value = found[fld.name]
            values[fld.name] = _field_value(raw, fld, row, value, schema.name, report, style)
        else:
            values[fld.name] = fld.default
            _report_absent_field(raw, fld, schema.name, report, intake_version)
    return values, {name: f"B{row}" for name, (row, _) in found.items()}


def _field_rows(rows: list[list[Any]], schema: Sheet, report: ValidationReport) -> dict[str, tuple[int, Any]]:
    """Find each field's row on a key/value sheet, reporting unknown and repeated field names.

    Args:
        rows: The sheet's rows from row 1 (a "Field" header in row 1 is skipped, as are rows without a label).
        schema: The sheet's schema.
        report: Where problems are recorded.

    Returns:
        Canonical field name → ``(Excel row, raw value in column B)``, for the first row of each known field.
    """
    name = schema.name
    wanted = {normalise_header(f.name): f for f in schema.fields}
    found: dict[str, tuple[int, Any]] = {}
    for i, cells in enumerate(rows, start=1):
        label = cells[0] if cells else ""
        if label is None or str(label).strip() == "" or (i == 1 and normalise_header(label) == "field"):
            continue
        value = cells[1] if len(cells) > 1 else ""
        fld = wanted.get(normalise_header(label))
        if fld is None:
            report.add(
                "unknown-field", f'unknown field "{str(label).strip()}" was ignored', sheet=name, row=i, cell=f"A{i}"
            )
        elif fld.name in found:
            report.add(
                "duplicate-field",
                f"{fld.name} is given twice (also on row {found[fld.name][0]})",
                sheet=name,
                row=i,
                column=fld.name,
                cell=f"A{i}",
            )
        else:
            found[fld.name] = (i, value)
    return found


def _report_absent_field(
    raw: RawWorkbook | None, fld: Field, sheet: str, report: ValidationReport, intake_version: str
) -> None:
    """Record a field that has no row: required (unless added after the intake's version), or defaulted."""
    if fld.required and not _added_later(fld, intake_version):
        if raw is not None:
            report.add(
                "missing-value",
                f"{fld.name} is required: add a row with {fld.name} in column A and its value in column B",
                sheet=sheet,
                column=fld.name,
            )
    elif fld.default is not None and raw is not None:
        report.add(
            "default-applied",
            f"{fld.name} is not on the sheet; the default {_show_default(fld)} applies",
            sheet=sheet,
            column=fld.name,
        )


def _field_value(
    raw: RawWorkbook | None,
    fld: Field,
    row: int,
    value: Any,
    sheet: str,
    report: ValidationReport,
    style: CellStyle | None,
) -> Any:
    """Convert one field's cell (column B) to its type, recording what does not fit.

    Args:
        raw: The workbook (``None`` when the sheet is missing).
        fld: The field.
        row: The Excel row of its cell.
        value: The raw cell value.
        sheet: The sheet name.
        report: Where problems are recorded.
        style: How the workbook writes text numbers and dates.

    Returns:
        The typed value, or ``None`` when the cell holds an error.
    """
    series, problems = coerce_column(
        pd.Series([value], index=[row], dtype=object), fld, sheet=sheet, letter="B", style=style
    )
    if (
        raw is not None
        and any(p.code == "serial-date" for p in problems)
        and row in raw.date_formatted_rows(sheet, "B")
    ):
        problems = [p for p in problems if p.code != "serial-date"]  # the cell is formatted as a date
    report.extend(problems)
    if any(p.severity == "error" for p in problems):
        return None
    return _scalar(series.iloc[0])


def _scalar(value: Any) -> Any:
    if value is None or (not isinstance(value, list) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value
    return value.item() if hasattr(value, "item") else value


def _show_default(fld: Field) -> str:
    if fld.type == "percent":
        return f"{fld.default:.0%}"
    return f'"{fld.default}"' if isinstance(fld.default, str) else str(fld.default)


def read_table(
    raw: RawWorkbook | None,
    schema: Sheet,
    report: ValidationReport,
    intake_version: str,
    style: CellStyle | None = None,
) -> pd.DataFrame:
    """Read a table sheet (header in row 1, or under a title block; one record per row).

    Args:
        raw: The workbook, or ``None`` when the sheet is missing.
        schema: The sheet's schema.
        report: Where problems are recorded.
        intake_version: The schema version the intake was made with.
        style: How the workbook writes text numbers and dates (the intake's currency, its date system).

    Returns:
        One column per schema field (canonical names, typed), one row per non-blank record, indexed by the
        record's Excel row number. Missing optional columns hold their default. ``attrs["header_row"]`` is the
        Excel row of the header.
    """
    name = schema.name
    rows = raw.rows(name) if raw is not None else []
    at, lost = _header_row(rows, schema)
    header = rows[at] if rows else []
    positions, extras = _match_header(header, schema, report, at + 1)
    has_header = any(normalise_header(c) for c in header)
    if has_header:
        report_missing_columns(positions, schema, report, intake_version, at + 1, lost)
    used = [p for p in positions.values() if p is not None] + extras
    index, cells, blanks = _record_cells(rows[at + 1 :], len(header), used, first_row=at + 2)
    if schema.required and raw is not None and len(index) == 0:
        what = "has no rows" if has_header else "has no header row and no rows"
        report.add("empty-sheet", f"{name} {what}; it is required", sheet=name)
    out: dict[str, pd.Series] = {}
    for fld in schema.fields:
        pos = positions.get(fld.name)
        blank: np.ndarray | None = None
        if pos is None:
            raw_values = pd.Series("", index=index, dtype=object)
            if fld.required:  # reported once as a missing column (or defaulted): no per-cell noise
                fld = dataclasses.replace(fld, required=False)
            letter = "?"
        else:
            raw_values, blank = cells[pos], blanks[pos]
            letter = xl_col_to_name(pos)
        values, problems = coerce_column(raw_values, fld, sheet=name, letter=letter, blank=blank, style=style)
        if raw is not None and letter != "?" and any(p.code == "serial-date" for p in problems):
            dated = raw.date_formatted_rows(name, letter)  # a date format the fast reader did not know
            problems = [p for p in problems if not (p.code == "serial-date" and p.row in dated)]
        report.extend(problems)
        out[fld.name] = values
    frame = pd.DataFrame(out, index=index)
    frame.index.name = "row"
    frame.attrs["letters"] = {f: xl_col_to_name(p) for f, p in positions.items() if p is not None}
    frame.attrs["header_row"] = at + 1
    return frame


def _header_row(rows: list[list[Any]], schema: Sheet) -> tuple[int, bool]:
    """Where a table's header row is: row 1, unless it has none of the column names and a row below has two.

    Args:
        rows: The sheet's rows from row 1.
        schema: The sheet's schema.

    Returns:
        ``(position, lost)``: the header's 0-based position in ``rows``, and whether no row among the first has two
        of the column names (row 1 is then read as the header).
    """
    known = {normalise_header(n) for n in schema.field_names}
    if rows and not any(normalise_header(c) in known for c in rows[0] if c is not None):
        at = find_header_row(rows, schema.field_names)  # row 1 has none of the names: a title block above?
        return at or 0, at is None
    return 0, False


def _record_cells(
    data_rows: list[list[Any]], width: int, used: list[int], first_row: int
) -> tuple[pd.Index, dict[int, pd.Series], dict[int, np.ndarray]]:
    """The raw cells of the used columns, one series per column, without the rows blank in all of them.

    Args:
        data_rows: The rows below the header.
        width: The number of header cells (shorter rows are padded with blanks).
        used: The positions of the columns read (the schema's and the extra ones).
        first_row: The Excel row of the first data row.

    Returns:
        ``(index, cells, blanks)``: the Excel rows of the records kept, and column position → its raw cells and
        which of them are blank (:func:`~mops_xl.intake.coerce.blank_cells`) on those rows.
    """
    n = len(data_rows)
    columns: list[tuple[Any, ...]] = list(zip(*data_rows, strict=False)) if n else []
    columns += [("",) * n] * (width - len(columns))
    full_index = pd.RangeIndex(first_row, n + first_row)
    cells = {p: pd.Series(columns[p], index=full_index, dtype=object) for p in used}
    blanks = {p: blank_cells(values.to_numpy()) for p, values in cells.items()}
    kept = ~np.logical_and.reduce(list(blanks.values())) if blanks else np.zeros(n, dtype=bool)
    index = full_index[kept]
    if len(index) < n:  # leave the blank rows out
        cells = {p: values[kept] for p, values in cells.items()}
        blanks = {p: blank[kept] for p, blank in blanks.items()}
    return index, cells, blanks


def _match_header(
    header: list[Any], schema: Sheet, report: ValidationReport, at: int = 1
) -> tuple[dict[str, int | None], list[int]]:
    """Map each schema field to its column in the user's header row; return it with the extra columns."""
    name = schema.name
    seen: dict[str, int] = {}
    for pos, cell in enumerate(header):
        key = normalise_header(cell)
        if not key:
            continue
        if key in seen:
            report.add(
                "duplicate-column",
                f'column "{str(cell).strip()}" appears twice (also in column {xl_col_to_name(seen[key])})',
                sheet=name,
                row=at,
                cell=f"{xl_col_to_name(pos)}{at}",
            )
            continue
        seen[key] = pos
    positions = {fld.name: seen.get(normalise_header(fld.name)) for fld in schema.fields}
    known = {normalise_header(fld.name) for fld in schema.fields}
    extras = [pos for key, pos in seen.items() if key not in known]
    for pos in extras:
        report.add(
            "unknown-column",
            f'column "{str(header[pos]).strip()}" is not part of the intake and was ignored',
            sheet=name,
            row=at,
            cell=f"{xl_col_to_name(pos)}{at}",
        )
    return positions, extras


def report_missing_columns(
    positions: dict[str, int | None],
    schema: Sheet,
    report: ValidationReport,
    intake_version: str,
    at: int = 1,
    lost: bool = False,
) -> None:
    """Record missing required columns (errors) and missing optional ones (notices).

    Args:
        positions: Field name → column position, as matched.
        schema: The sheet's schema.
        report: Where problems are recorded.
        intake_version: The schema version the intake was made with.
        at: The Excel row of the header row (named when it is not row 1).
        lost: None of the first rows has two of the sheet's column names (row 1 was read as the header).
    """
    where = "" if at == 1 else f" (row {at}, under the title rows)"
    if lost:
        where = (
            f" (row 1; no row among the first {MAX_TITLE_ROWS + 1} has two of the column names, "
            f"e.g. {', '.join(schema.field_names[:2])})"
        )
    for fld in schema.fields:
        if positions.get(fld.name) is not None:
            continue
        if fld.required and not _added_later(fld, intake_version):
            report.add(
                "missing-column",
                f'required column "{fld.name}" is missing from the header row' + where,
                sheet=schema.name,
                row=at,
                column=fld.name,
            )
        else:
            what = f"the default {_show_default(fld)} applies" if fld.default is not None else "it is left blank"
            report.add(
                "default-applied", f'column "{fld.name}" is not present; {what}', sheet=schema.name, column=fld.name
            )


def close_match(value: str, candidates: list[str]) -> str | None:
    """Return the candidate ``value`` most likely meant, or ``None``.

    Args:
        value: What the user typed.
        candidates: The valid names.

    Returns:
        The closest candidate, if any is close.
    """
    folded = {c.casefold(): c for c in candidates}
    if value.casefold() in folded:
        return folded[value.casefold()]
    hits = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.75)
    return folded[hits[0]] if hits else None
