"""Importing exports into an intake: ad-platform exports into Actuals, journey exports into Touchpoints.

One path serves both sheets: map the export's columns onto the sheet's, validate every cell with the intake's
own coercion, check every channel against Channels, and write a new intake with the rows appended (never the
input itself).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from mops_xl.importers.csv_files import read_export_csv
from mops_xl.importers.formats import ExportFormat
from mops_xl.intake.coerce import coerce_column
from mops_xl.intake.model import Intake
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.reader import close_match, normalise_header
from mops_xl.intake.schema import SHEETS, SHEETS_BY_NAME
from mops_xl.intake.template import write_intake

_THOUSANDS = r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"


def _locate(
    header: list[str], fmt: ExportFormat, channel: str | None, report: ValidationReport, name: str
) -> dict[str, int | None] | None:
    """Find each column of the format's sheet in the export's header, reporting every required one it lacks.

    Args:
        header: The export's header row.
        fmt: The column mapping.
        channel: The ``--channel`` of every row, if given.
        report: Where problems go.
        name: The export's file name.

    Returns:
        Column → position in the export (None: not in it; for Channel, every row takes ``channel`` or the
        format's channel), or None when a required or mapped column is missing.
    """
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        found.setdefault(normalise_header(h), i)
    positions: dict[str, int | None] = {}
    missing = []
    for fld in SHEETS_BY_NAME[fmt.sheet].fields:
        wanted = fmt.columns.get(fld.name, ()) + (() if fld.name in fmt.mapped else (fld.name,))
        wanted = tuple(dict.fromkeys(wanted, None))  # "Day or Date", not "Day or Date or Date"
        pos = positions[fld.name] = next((found[k] for k in map(normalise_header, wanted) if k in found), None)
        if fld.name == "Channel" and (channel or (pos is None and fmt.channel)):
            positions[fld.name] = None  # --channel wins over the export
        elif pos is None and fld.name in fmt.mapped:
            hint = close_match(wanted[0], [h.strip() for h in header])
            missing.append(
                f'the export has no column "{wanted[0]}" (--map {fld.name}={wanted[0]})'
                + (f'; did you mean "{hint}"?' if hint else "")
            )
        elif pos is None and fld.name == "Channel":
            missing.append("say which channel the rows are for: --channel NAME, or a Channel column")
        elif pos is None and fld.required:
            missing.append(
                f"the export has no column for {fld.name} (expected {' or '.join(wanted)}; or --map {fld.name}=HEADER)"
            )
    for message in missing:
        report.add("missing-column", message, sheet=name)
    return None if missing else positions


def read_export(path: Path, fmt: ExportFormat, channel: str | None, report: ValidationReport) -> pd.DataFrame | None:
    """Read an export CSV into typed rows of the format's sheet, naming every bad cell (``export.csv!C7``).

    Args:
        path: The CSV file.
        fmt: Its column mapping (and the sheet the rows are for).
        channel: The channel of every row, over any Channel column (default: the format's, else the export's
            Channel column).
        report: Where problems go.

    Returns:
        The rows with the sheet's columns, indexed by CSV line number (``attrs["letters"]``: column → the
        export's column letter), or None when the export cannot be used.
    """
    expected = [h for headers in fmt.columns.values() for h in headers]
    raw = read_export_csv(path, expected + list(SHEETS_BY_NAME[fmt.sheet].field_names), report)
    if raw is None:
        return None
    positions = _locate(list(raw.columns), fmt, channel, report, path.name)
    if positions is None:
        return None
    index = raw.index  # the CSV's line numbers
    out: dict[str, pd.Series] = {}
    for fld in SHEETS_BY_NAME[fmt.sheet].fields:
        found = positions[fld.name]
        if found is None:
            constant = (channel or fmt.channel) if fld.name == "Channel" else ""
            text, letter = pd.Series(constant, index=index, dtype=object), "?"
        else:
            text, letter = raw.iloc[:, found].astype(object).str.strip(), xl_col_to_name(found)
            if fld.type in ("money", "number", "integer", "percent"):  # "1,200.50"; "12,5" stays (and is refused)
                grouped = text.str.fullmatch(_THOUSANDS, na=False)
                text = text.where(~grouped, text.str.replace(",", "", regex=False))
        values, problems = coerce_column(text, fld, sheet=path.name, letter=letter)
        report.extend(p for p in problems if p.code != "text-date")  # CSV dates are always text
        out[fld.name] = values
    rows = pd.DataFrame(out, index=index)
    rows.attrs["letters"] = {f: xl_col_to_name(p) for f, p in positions.items() if p is not None}
    rows.attrs["skipped"] = raw.attrs["skipped"]
    return rows


def skipped_note(rows: pd.DataFrame, export: str) -> str:
    """Say which lines of the export were left out (a report title above the header, total rows), or "".

    Args:
        rows: The rows :func:`read_export` returned.
        export: The export's file name.

    Returns:
        One line, or "" when nothing was skipped.
    """
    skipped = rows.attrs.get("skipped", {})
    parts = []
    if skipped.get("title"):
        parts.append(f"the {len(skipped['title'])} line(s) above the header (a report title)")
    if skipped.get("totals"):
        lines = ", ".join(str(n) for n in skipped["totals"][:5]) + (" …" if len(skipped["totals"]) > 5 else "")
        parts.append(f"{len(skipped['totals'])} total row(s) (line {lines})")
    return f"Skipped {' and '.join(parts)} of {export}" if parts else ""


def _plain(v: Any) -> Any:
    """A typed intake value as write_intake takes it (None for missing, date for a date without time)."""
    if isinstance(v, list):
        return v
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime() if (v.hour or v.minute or v.second) else v.date()
    return v.item() if hasattr(v, "item") else v


def intake_data(intake: Intake) -> dict[str, Any]:
    """An intake's values as :func:`mops_xl.write_intake` takes them (canonical columns; extras left out).

    Args:
        intake: The intake.

    Returns:
        Sheet → fields or rows.
    """
    plain = _plain
    data: dict[str, Any] = {
        "Business": {k: plain(v) for k, v in intake.business.items()},
        "Settings": {k: plain(v) for k, v in intake.settings.items()},
    }
    for schema in SHEETS:
        if schema.kind == "table":
            frame = intake.table(schema.name)
            data[schema.name] = [{c: plain(v) for c, v in row.items()} for row in frame.to_dict("records")]
    if any(p.code == "report-date-defaulted" for p in intake.report.problems):
        data["Business"]["Report as of"] = None  # defaulted when read: let the new rows move it
    return data


def check_channels(
    intake: Intake, rows: pd.DataFrame, report: ValidationReport, export: str, sheet: str = "Actuals"
) -> None:
    """Report every channel of the imported rows that the intake's Channels lacks, at its first cell.

    Actuals must use the intake's channels (an error). A touch may be on a channel outside Channels, such as
    "(direct)": as when the intake is validated, that is a warning and the touch is attributed as its own
    channel.

    Args:
        intake: The intake.
        rows: The imported rows, as :func:`read_export` returns them.
        report: Where problems go.
        export: The export's file name (for the place of a problem).
        sheet: The sheet the rows go to.
    """
    touches = sheet == "Touchpoints"
    known = sorted(set(intake.channels["Channel"].dropna()))
    letter = rows.attrs.get("letters", {}).get("Channel")
    channels = rows["Channel"].dropna()
    unknown = channels[~channels.isin(known)]
    for channel, group in unknown.groupby(unknown, sort=False):
        lines = [str(n) for n in group.index[:5]]
        more = f" and {len(group) - 5} more" if len(group) > 5 else ""
        where = f"line {lines[0]}" if len(group) == 1 else f"lines {', '.join(lines)}{more}"
        hint = close_match(channel, known)
        code = "case-mismatch" if hint is not None and hint.casefold() == channel.casefold() else "unknown-reference"
        what = f'channel "{channel}" ({where}) is not in the intake\'s Channels'
        if hint is not None:
            what += f' (did you mean "{hint}"?' + (
                " names must match exactly, including case)" if code == "case-mismatch" else ")"
            )
        fix = "add it there or correct the export" if letter else "add it there or pass --channel"
        if touches:
            code, fix = "unknown-channel", "it is attributed as its own channel (add it there if it is one of yours)"
        first = int(group.index[0])
        report.add(
            code,
            f"{what}: {fix}",
            sheet=export,
            row=first,
            column="Channel",
            cell=f"{letter}{first}" if letter else None,
            channel=channel,
        )


#: How each sheet's rows are ordered once the import is appended (sheets not listed keep the export's order).
_ORDER = {"Actuals": lambda r: (r["Date"] or dt.date.min, r["Channel"] or "")}


def import_rows(
    intake: Intake, sheet: str, rows: pd.DataFrame, out: Path, report: ValidationReport, export: str
) -> Path | None:
    """Append imported rows to one sheet of a copy of the intake, if the report has no error (every Actuals
    channel is in Channels; a touch outside Channels is only a warning).

    Args:
        intake: The intake.
        sheet: Actuals or Touchpoints.
        rows: The imported rows, as :func:`read_export` returns them.
        out: The new intake's path.
        report: Where problems go (the export's cell problems included).
        export: The export's file name (for the place of a problem).

    Returns:
        The path written, or None when the report has an error (nothing is written).
    """
    check_channels(intake, rows, report, export, sheet)
    if not report.valid:
        return None
    data = intake_data(intake)
    data[sheet] += [{k: _plain(v) for k, v in rec.items()} for rec in rows.to_dict("records")]
    if sheet in _ORDER:
        data[sheet].sort(key=_ORDER[sheet])
    return write_intake(out, data)
