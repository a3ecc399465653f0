"""The intake: reading a workbook into one validated :class:`Intake`, with every problem in one report.

>>> from mops_xl import load_intake
>>> intake = load_intake("samples/saas.xlsx")          # raises IntakeError listing every error
>>> intake.business["Business name"], len(intake.actuals)
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mops_xl.errors import IntakeError
from mops_xl.intake.cells import report_structure
from mops_xl.intake.checks import run_checks
from mops_xl.intake.coerce import CellStyle
from mops_xl.intake.file import RawWorkbook, open_intake_file
from mops_xl.intake.model import Intake
from mops_xl.intake.problems import Problem, ValidationReport, day, days
from mops_xl.intake.reader import close_match, read_fields, read_table
from mops_xl.intake.schema import (
    BUSINESS,
    INSTRUCTIONS_SHEET,
    MAX_PERIOD_DAYS,
    SCHEMA_VERSION,
    SETTINGS,
    SHEETS,
    SHEETS_BY_NAME,
    Field,
)
from mops_xl.plural import count

#: The custom document property in which the template records its schema version.
VERSION_PROPERTY = "mops-xl schema version"
#: The custom document property in which the template records its own version, and the current one: 2 is the first
#: template with the channel dropdowns (``mops-xl upgrade`` rewrites an intake without it on the current template).
TEMPLATE_PROPERTY = "mops-xl template version"
TEMPLATE_VERSION = "2"
_VOLUMES = ("Spend", "Impressions", "Clicks", "Leads", "MQLs", "SQLs", "Customers", "Revenue")


@dataclass
class _SheetsRead:
    """The intake's sheets, typed.

    Args:
        values: Key/value sheet → field name → typed value.
        tables: Table sheet → its rows.
        letters: Sheet → field name → its column letter (a key/value sheet: the cell of its value, e.g. "B7").
        header_rows: Table sheet → the Excel row of its header.
    """

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)
    header_rows: dict[str, int] = field(default_factory=dict)


def read_intake(path: str | Path) -> tuple[Intake | None, ValidationReport]:
    """Read and validate an intake workbook; never raises for bad input.

    Args:
        path: The .xlsx intake.

    Returns:
        ``(intake, report)``: the intake is ``None`` when the report has errors.
    """
    path = Path(path)
    report = ValidationReport(source=path.name)
    raw = open_intake_file(path, report)
    if raw is None:
        return None, report
    version = raw.properties.get(VERSION_PROPERTY, SCHEMA_VERSION)
    unreadable = report_structure(raw, [n for n in raw.sheet_names if n in SHEETS_BY_NAME], report)
    _suggest_upgrade(raw.properties, path.name, report)
    _report_sheet_names(raw.sheet_names, report)
    read = _read_sheets(raw, unreadable, version, report)
    _allow_merged_titles(report, read.header_rows)
    _name_error_cells(report, read.letters)
    tables, letters = read.tables, read.letters
    report.extend(run_checks(tables, letters))
    business = read.values[BUSINESS.name]
    _check_period(business, tables["Actuals"], report, letters[BUSINESS.name])
    if not report.valid:
        return None, report
    tables["Actuals"] = _sum_duplicate_actuals(tables["Actuals"], report)
    _note_rows_outside_window(tables["Actuals"], business, report)
    intake = Intake(path, business, read.values[SETTINGS.name], tables, version, report, letters)
    return intake, report


def _suggest_upgrade(properties: dict[str, str], name: str, report: ValidationReport) -> None:
    """Suggest ``mops-xl upgrade`` once for an intake made from an older template (or with no template version).

    Args:
        properties: The workbook's custom document properties.
        name: The intake's file name.
        report: Where the warning goes.
    """
    made = properties.get(TEMPLATE_PROPERTY, "").strip()
    if made.isdigit() and int(made) >= int(TEMPLATE_VERSION):
        return
    which = f"template version {made}" if made else "no template version"
    report.add(
        "old-template",
        f"{name} was made from an older intake template ({which}; the current is {TEMPLATE_VERSION}): "
        f"`mops-xl upgrade {name}` writes it again with the channel dropdowns, the new optional columns and help, "
        "keeping every value",
    )


def _report_sheet_names(names: list[str], report: ValidationReport) -> None:
    """Record the sheets that are not part of the intake and the required sheets missing (with a close name).

    Args:
        names: The workbook's sheet names.
        report: Where the problems go.
    """
    present = set(names)
    for name in names:
        if name not in SHEETS_BY_NAME and name != INSTRUCTIONS_SHEET:
            report.add("unknown-sheet", f'sheet "{name}" is not part of the intake and was ignored', sheet=name)
    for schema in SHEETS:
        if schema.name not in present and schema.required:
            hint = close_match(schema.name, [n for n in names if n not in SHEETS_BY_NAME])
            extra = f' (found "{hint}": sheet names must match exactly)' if hint else ""
            report.add("missing-sheet", f"required sheet {schema.name} is missing{extra}", sheet=schema.name)
        elif schema.name not in present and schema.name == SETTINGS.name:
            report.add("default-applied", "no Settings sheet: every setting takes its default", sheet=schema.name)


def _read_sheets(raw: RawWorkbook, unreadable: set[str], version: str, report: ValidationReport) -> _SheetsRead:
    """Read every intake sheet in schema order (a missing or unreadable one as absent).

    Money written as text is read in the currency Business states, so the sheets after Business use it.

    Args:
        raw: The opened workbook.
        unreadable: The sheets that must not be read (see :func:`report_structure`).
        version: The schema version the intake was made with.
        report: Where the problems go.

    Returns:
        The typed sheets.
    """
    present = set(raw.sheet_names)
    read = _SheetsRead()
    style = CellStyle(date1904=raw.date1904)
    for schema in SHEETS:
        sheet_raw = raw if schema.name in present and schema.name not in unreadable else None
        if schema.kind == "fields":
            read.values[schema.name], cells = read_fields(sheet_raw, schema, report, version, style)
            read.letters[schema.name] = cells
            if schema.name == BUSINESS.name and read.values[schema.name].get("Currency"):
                style = CellStyle(currency=read.values[schema.name]["Currency"], date1904=raw.date1904)
        else:
            table = read_table(sheet_raw, schema, report, version, style)
            read.tables[schema.name] = table
            read.letters[schema.name] = table.attrs.pop("letters", {})
            read.header_rows[schema.name] = table.attrs.pop("header_row", 1)
    return read


def _allow_merged_titles(report: ValidationReport, header_rows: dict[str, int]) -> None:
    """Drop the merged-cells errors above a table's header row: a title block may be merged; the table may not."""

    def last_row(span: str) -> int:
        digits = "".join(ch for ch in span.split(":")[-1] if ch.isdigit())
        return int(digits) if digits else 1 << 30

    report.problems[:] = [
        p
        for p in report.problems
        if not (p.code == "merged-cells" and p.cell and last_row(p.cell) < header_rows.get(p.sheet or "", 1))
    ]


_ERROR_SHOWN = re.compile(r"the cell shows the error (\S+);")
_EXPECTED = {"money": "a number", "number": "a number", "integer": "a whole number", "percent": "a percentage"}
_EXPECTED |= {"date": "a date", "datetime": "a date", "yesno": "Yes or No", "currency": "a currency code"}


def _name_error_cells(report: ValidationReport, letters: dict[str, dict[str, str]]) -> None:
    """Say which column an error cell (``#DIV/0!``) is in and what it must hold, as a cell of the wrong type is said
    ("Actuals!D7: Spend must be a number, got the error #DIV/0!"); the column's own "is required" for that cell goes.

    Args:
        report: The report, whose ``cell-error`` problems are reworded in place.
        letters: Sheet → field name → its column letter (a key/value sheet: its value's cell).
    """
    named: dict[tuple[str | None, str | None], Problem] = {}
    for i, p in enumerate(report.problems):
        shown = _ERROR_SHOWN.match(p.message)
        fld = _field_at(p.sheet, p.cell, letters) if p.code == "cell-error" and shown else None
        if fld is None or shown is None:
            continue
        expected = _EXPECTED.get(fld.type)
        said = f"must be {expected}, got" if expected else "shows"
        message = f"{fld.name} {said} the error {shown.group(1)}; fix its formula or type the value"
        report.problems[i] = named[(p.sheet, p.cell)] = dataclasses.replace(p, message=message, column=fld.name)
    report.problems[:] = [p for p in report.problems if not (p.code == "missing-value" and (p.sheet, p.cell) in named)]


def _field_at(sheet: str | None, cell: str | None, letters: dict[str, dict[str, str]]) -> Field | None:
    """The schema field of an intake cell: a table's column, or a key/value sheet's value cell; None for others."""
    schema = SHEETS_BY_NAME.get(sheet or "")
    if schema is None or not cell:
        return None
    column = cell.rstrip("0123456789")
    for name, where in letters.get(schema.name, {}).items():
        if (where == cell if schema.kind == "fields" else where == column) and name in schema.field_names:
            return schema.field(name)
    return None


def validate_intake(path: str | Path) -> ValidationReport:
    """Return the validation report of an intake workbook.

    Args:
        path: The .xlsx intake.

    Returns:
        The :class:`~mops_xl.intake.problems.ValidationReport` (``report.valid`` is False when there are errors).
    """
    return read_intake(path)[1]


def load_intake(path: str | Path) -> Intake:
    """Read an intake workbook, raising when it has errors.

    Args:
        path: The .xlsx intake.

    Returns:
        The validated :class:`Intake`.

    Raises:
        IntakeError: The intake has errors; ``exc.report`` lists them all.
    """
    intake, report = read_intake(path)
    if intake is None:
        raise IntakeError(report)
    return intake


def _check_period(
    business: dict[str, Any], actuals: pd.DataFrame, report: ValidationReport, cells: dict[str, str]
) -> None:
    """Check the period's dates and settle Report as of (default: latest Actuals date, capped at Period end)."""
    start, end, as_of = business["Period start"], business["Period end"], business["Report as of"]
    if start is None or end is None:
        return
    if end < start:
        report.add(
            "end-before-start",
            f"Period end {day(end)} is before Period start {day(start)}",
            sheet="Business",
            column="Period end",
            **_cell(cells, "Period end"),
        )
        return
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        report.add(
            "out-of-range",
            f"the period {days(start, end)} is {(end - start).days + 1:,} days long; at most "
            f"{MAX_PERIOD_DAYS:,} days are supported",
            sheet="Business",
            column="Period end",
            **_cell(cells, "Period end"),
        )
        return
    if as_of is not None:
        if not start <= as_of <= end:
            report.add(
                "outside-period",
                f"Report as of {day(as_of)} is outside the period {days(start, end)}",
                sheet="Business",
                column="Report as of",
                **_cell(cells, "Report as of"),
            )
        return
    latest = actuals["Date"].max()
    if pd.isna(latest) or latest < start:
        as_of, why = start, "there are no Actuals in the period"
    elif latest > end:
        as_of, why = end, "the latest date in Actuals capped at Period end"
    else:
        as_of, why = latest, "the latest date in Actuals"
    business["Report as of"] = as_of
    report.add(
        "report-date-defaulted",
        f"Report as of is not given; using {day(as_of)}, {why}",
        sheet="Business",
        column="Report as of",
    )


def _cell(cells: dict[str, str], name: str) -> dict[str, Any]:
    """The place arguments of a Business field's value cell."""
    cell = cells.get(name)
    return {"cell": cell, "row": int(cell[1:])} if cell else {}


def _sum_duplicate_actuals(actuals: pd.DataFrame, report: ValidationReport) -> pd.DataFrame:
    """Sum Actuals rows that share date, channel and campaign (ad platforms export one row per ad set)."""
    keys = ["Date", "Channel", "Campaign"]
    if actuals.empty or not actuals.duplicated(keys).any():
        return actuals
    frame = actuals.reset_index()
    frame["Campaign"] = frame["Campaign"].astype(object).where(frame["Campaign"].notna(), "")
    grouped = frame.groupby(keys, sort=False, dropna=False)
    summed = grouped[list(_VOLUMES)].sum(min_count=1)
    summed["row"] = grouped["row"].min()
    merged = len(frame) - len(summed)
    summed = summed.reset_index().set_index("row").sort_index()
    summed["Campaign"] = summed["Campaign"].where(summed["Campaign"] != "", None)
    for col in _VOLUMES:
        summed[col] = summed[col].astype(actuals[col].dtype)
    report.add(
        "rows-summed",
        f"{count(merged, 'Actuals row')} repeated a date, channel and campaign and "
        f"{'was' if merged == 1 else 'were'} summed into the first such row",
        sheet="Actuals",
    )
    return summed[list(actuals.columns)]


def _note_rows_outside_window(actuals: pd.DataFrame, business: dict[str, Any], report: ValidationReport) -> None:
    start, as_of = business["Period start"], business["Report as of"]
    outside = actuals[(actuals["Date"] < start) | (actuals["Date"] > as_of)]
    if len(outside):
        report.add(
            "rows-outside-period",
            f"{count(len(outside), 'Actuals row')} {'falls' if len(outside) == 1 else 'fall'} outside "
            f"{days(start, as_of)} and {'is' if len(outside) == 1 else 'are'} not counted in "
            "period-to-date figures",
            sheet="Actuals",
        )
