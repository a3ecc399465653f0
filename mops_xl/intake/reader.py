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

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from mops_xl.intake.coerce import coerce_column, is_blank
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


def _added_later(fld: Field, intake_version: str) -> bool:
    return version_tuple(fld.since) > version_tuple(intake_version)


def read_fields(
    raw: RawWorkbook | None, schema: Sheet, report: ValidationReport, intake_version: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """Read a key/value sheet (column A = Field, column B = Value).

    Args:
        raw: The workbook, or ``None`` when the sheet is missing.
        schema: The sheet's schema.
        report: Where problems are recorded.
        intake_version: The schema version the intake was made with.

    Returns:
        ``(values, cells)``: canonical field name → typed value (``None`` where blank with no default), and
        field name → the cell holding its value (e.g. ``"B7"``) for the fields present.
    """
    name = schema.name
    wanted = {normalise_header(f.name): f for f in schema.fields}
    found: dict[str, tuple[int, Any]] = {}
    rows = raw.rows(name) if raw is not None else []
    for i, row in enumerate(rows, start=1):
        label = row[0] if row else ""
        if label is None or str(label).strip() == "" or (i == 1 and normalise_header(label) == "field"):
            continue
        value = row[1] if len(row) > 1 else ""
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
    values: dict[str, Any] = {}
    for fld in schema.fields:
        if fld.name not in found:
            values[fld.name] = fld.default
            if fld.required and not _added_later(fld, intake_version):
                if raw is not None:
                    report.add(
                        "missing-value",
                        f"{fld.name} is required: add a row with {fld.name} in column A and its value in column B",
                        sheet=name,
                        column=fld.name,
                    )
            elif fld.default is not None and raw is not None:
                report.add(
                    "default-applied",
                    f"{fld.name} is not on the sheet; the default {_show_default(fld)} applies",
                    sheet=name,
                    column=fld.name,
                )
            continue
        row, value = found[fld.name]
        series, problems = coerce_column(pd.Series([value], index=[row], dtype=object), fld, sheet=name, letter="B")
        report.extend(problems)
        if any(p.severity == "error" for p in problems):
            values[fld.name] = None
        else:
            values[fld.name] = _scalar(series.iloc[0])
    return values, {name: f"B{row}" for name, (row, _) in found.items()}


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


def read_table(raw: RawWorkbook | None, schema: Sheet, report: ValidationReport, intake_version: str) -> pd.DataFrame:
    """Read a table sheet (header in row 1, one record per row).

    Args:
        raw: The workbook, or ``None`` when the sheet is missing.
        schema: The sheet's schema.
        report: Where problems are recorded.
        intake_version: The schema version the intake was made with.

    Returns:
        One column per schema field (canonical names, typed), one row per non-blank record, indexed by the
        record's Excel row number. Missing optional columns hold their default.
    """
    name = schema.name
    rows = raw.rows(name) if raw is not None else []
    header = rows[0] if rows else []
    positions, extras = _match_header(header, schema, report)
    has_header = any(normalise_header(c) for c in header)
    if has_header:
        report_missing_columns(positions, schema, report, intake_version)
    data_rows = rows[1:]
    n = len(data_rows)
    columns: list[tuple[Any, ...]] = list(zip(*data_rows, strict=False)) if n else []
    columns += [("",) * n] * (len(header) - len(columns))
    used = [p for p in positions.values() if p is not None] + extras
    full_index = pd.RangeIndex(2, n + 2)
    cells = {p: pd.Series(columns[p], index=full_index, dtype=object) for p in used}
    blanks = {p: is_blank(cells[p]) for p in cells}
    index = full_index[:0]
    if blanks:
        index = full_index[~pd.concat(blanks.values(), axis=1).all(axis=1).to_numpy()]
    if len(index) < n:  # leave the blank rows out
        cells = {p: values.loc[index] for p, values in cells.items()}
        blanks = {p: blank.loc[index] for p, blank in blanks.items()}
    if schema.required and raw is not None and len(index) == 0:
        what = "has no rows" if has_header else "has no header row and no rows"
        report.add("empty-sheet", f"{name} {what}; it is required", sheet=name)
    out: dict[str, pd.Series] = {}
    for fld in schema.fields:
        pos = positions.get(fld.name)
        if pos is None:
            raw_values, blank = pd.Series("", index=index, dtype=object), None
            if fld.required:  # reported once as a missing column (or defaulted): no per-cell noise
                fld = dataclasses.replace(fld, required=False)
            letter = "?"
        else:
            raw_values, blank = cells[pos], blanks[pos]
            letter = xl_col_to_name(pos)
        values, problems = coerce_column(raw_values, fld, sheet=name, letter=letter, blank=blank)
        report.extend(problems)
        out[fld.name] = values
    frame = pd.DataFrame(out, index=index)
    frame.index.name = "row"
    frame.attrs["letters"] = {f: xl_col_to_name(p) for f, p in positions.items() if p is not None}
    return frame


def _match_header(
    header: list[Any], schema: Sheet, report: ValidationReport
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
                row=1,
                cell=f"{xl_col_to_name(pos)}1",
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
            row=1,
            cell=f"{xl_col_to_name(pos)}1",
        )
    return positions, extras


def report_missing_columns(
    positions: dict[str, int | None], schema: Sheet, report: ValidationReport, intake_version: str
) -> None:
    """Record missing required columns (errors) and missing optional ones (notices).

    Args:
        positions: Field name → column position, as matched.
        schema: The sheet's schema.
        report: Where problems are recorded.
        intake_version: The schema version the intake was made with.
    """
    for fld in schema.fields:
        if positions.get(fld.name) is not None:
            continue
        if fld.required and not _added_later(fld, intake_version):
            report.add(
                "missing-column",
                f'required column "{fld.name}" is missing from the header row',
                sheet=schema.name,
                row=1,
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
