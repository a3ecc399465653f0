"""Reading an export CSV as the platforms write it, into text cells indexed by the file's line numbers.

Ad platforms do not all write plain CSV: Google Ads puts a report title and a date range above the header and
total rows ("Total: Account") below the data, writes "--" for nothing, and its "Excel CSV" is UTF-16 with
tabs; Excel itself saves CSV in the Windows code page, with ";" in many countries. This module finds the
header row and the delimiter, skips the title and total rows (saying so), and keeps each row's line number
so that a bad cell is named exactly (``export.csv!C7``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from mops_xl.intake.file import regular_file_problem
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.reader import find_header_row
from mops_xl.intake.schema import MAX_CSV_FIELD

#: How many lines above the header a report title and date range may take.
MAX_TITLE_LINES = 10
_TOTAL = re.compile(r"^totals?(\s*:|\s*$|\s+of\b)", re.IGNORECASE)
_FOOTER = re.compile(r"^(©|\(c\)\s|copyright\b)", re.IGNORECASE)  # "©2026 Microsoft Corporation. All rights reserved."


def _decode(data: bytes) -> str:
    """The text: a UTF-16 or UTF-8 byte-order mark decides, else UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    data = data.removeprefix(codecs.BOM_UTF8)  # a UTF-8 mark then a Windows-1252 byte: the mark is no header text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same number of cells (title lines differ)."""
    lines = [line for line in text.splitlines()[: MAX_TITLE_LINES + 20] if line.strip()]
    best, score = ",", (0, 0)
    for d in (",", "\t", ";"):
        try:
            counts = Counter(n for n in (len(next(csv.reader([line], delimiter=d))) for line in lines) if n > 1)
        except csv.Error:  # e.g. a field longer than MAX_CSV_FIELD: reported where the file is read
            continue
        if counts:
            cells, agreeing = counts.most_common(1)[0]
            if (agreeing, cells) > score:
                best, score = d, (agreeing, cells)
    return best


def _header_at(rows: list[list[str]], expected: set[str]) -> int:
    """The first row, among the first few, with at least two expected headers (else the first non-blank row)."""
    at = find_header_row(rows, expected, max_rows=MAX_TITLE_LINES)
    if at is not None:
        return at
    return next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)


def read_export_csv(path: Path, expected: Iterable[str], report: ValidationReport) -> pd.DataFrame | None:
    """Read an export's cells as text, below its header row.

    Args:
        path: The CSV file.
        expected: Headers the export should have (to find the header row under a report title).
        report: Where a file that cannot be read is recorded.

    Returns:
        One text column per header cell (blank for a missing or "--" cell), indexed by the line number of
        each data row, or None when the file cannot be read. ``attrs["skipped"]`` lists what was left out:
        ``{"title": [lines], "totals": [lines]}``.
    """
    data = _export_bytes(path, report)
    if data is None:
        return None
    records = _records(path.name, _decode(data), report)
    if records is None:
        return None
    rows, lines = records
    if not rows:
        report.add("corrupt-workbook", f"{path.name}: the file is empty")
        return None
    at = _header_at(rows, set(expected))
    header = [c.strip() for c in rows[at]]
    body, numbers, totals = _data_rows(rows[at + 1 :], lines[at + 1 :], len(header))
    frame = pd.DataFrame(body, columns=range(len(header)), index=pd.Index(numbers, dtype="int64"), dtype=object)
    frame.columns = header
    frame.attrs["skipped"] = {"title": lines[:at], "totals": totals}
    frame.attrs["title_rows"] = [" ".join(c.strip() for c in row if c.strip()) for row in rows[:at]]
    return frame


def _export_bytes(path: Path, report: ValidationReport) -> bytes | None:
    """The bytes of an export that is a regular, readable text file; None (with the problem reported) otherwise."""
    problem = regular_file_problem(path, "a CSV file")  # a named pipe would block for ever
    if problem:
        report.add("file-not-found", problem)
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.add("file-not-found", f"{path.name}: cannot be read ({exc.strerror or exc})")
        return None
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        report.add("wrong-format", f"{path.name}: not a CSV file (binary content); export the report as CSV")
        return None
    return data


def _records(name: str, text: str, report: ValidationReport) -> tuple[list[list[str]], list[int]] | None:
    """Split the export's text into records with the delimiter it uses.

    Args:
        name: The export's file name.
        text: Its decoded text.
        report: Where a file that cannot be read as CSV is recorded.

    Returns:
        ``(rows, lines)``: each record's cells and the line it ends on, or None when the text is no CSV.
    """
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows, lines = [], []
    try:
        for record in reader:
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        if "field limit" in str(exc):
            report.add(
                "corrupt-workbook",
                f"{name}!line {reader.line_num}: a field is longer than {MAX_CSV_FIELD:,} characters (the most "
                "an export field may hold); is the file really a CSV export?",
            )
        else:
            report.add("corrupt-workbook", f"{name}: line {reader.line_num} cannot be read as CSV ({exc})")
        return None
    return rows, lines


def _data_rows(rows: list[list[str]], lines: list[int], width: int) -> tuple[list[list[str]], list[int], list[int]]:
    """The data rows below the header, each as wide as the header, without blank rows and total or footer rows.

    Args:
        rows: The records below the header.
        lines: The line each ends on.
        width: The number of header cells.

    Returns:
        ``(body, numbers, totals)``: the rows' cells ("--" read as blank), their line numbers, and the lines of
        the total and footer rows left out.
    """
    body, numbers, totals = [], [], []
    for row, line in zip(rows, lines, strict=False):
        if not any(c.strip() for c in row):
            continue
        first = next(c.strip() for c in row if c.strip())
        if _TOTAL.match(first) or _FOOTER.match(first):
            totals.append(line)
            continue
        cells = ["" if c.strip() == "--" else c for c in row[:width]]
        body.append(cells + [""] * (width - len(cells)))
        numbers.append(line)
    return body, numbers, totals
