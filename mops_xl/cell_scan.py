"""What the cell values alone do not show: formulas with no saved value, error cells, merged cells, hidden sheets.

A fast reader (calamine) reads a formula that was never calculated, and an error such as ``#REF!``, as an
empty cell, so the intake would silently lose data. This module looks at the sheet XML itself (only when it
contains formulas or errors at all) and names those cells.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_range

if TYPE_CHECKING:
    from .intake_file import RawWorkbook
    from .problems import Report

_CELL = re.compile(rb"<c ((?:[^>/]|/(?!>))*)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f[^>]*?(?:/>|>(.*?)</f>)", re.S)
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass(frozen=True)
class CellIssue:
    """A cell whose value the workbook does not hold.

    Args:
        cell: The cell reference, e.g. "D7".
        kind: "no-value" (a formula never calculated) or "error" (e.g. #REF!).
        detail: The formula text or the error shown.
    """

    cell: str
    kind: str
    detail: str


def sheet_parts(path: Path) -> dict[str, str]:
    """Map each sheet name to its XML part in the .xlsx.

    Args:
        path: The workbook.

    Returns:
        Sheet name → part name (e.g. "xl/worksheets/sheet3.xml").
    """
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as zf:
        book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        target = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name")] = target
    return parts


def scan_sheet(path: Path, part: str) -> list[CellIssue]:
    """Find the formulas without a saved value and the error cells of one sheet.

    Args:
        path: The workbook.
        part: The sheet's XML part.

    Returns:
        The issues, in sheet order.
    """
    with zipfile.ZipFile(path) as zf:
        data = zf.read(part)
    if b"<f" not in data and b't="e"' not in data:
        return []
    issues = []
    for match in _CELL.finditer(data):
        attrs, inner = match.group(1), match.group(2)
        is_error = b't="e"' in attrs
        formula = _FORMULA.search(inner)
        if not is_error and formula is None:
            continue
        ref = _REF.search(attrs)
        cell = ref.group(1).decode() if ref else "?"
        value = _VALUE.search(inner)
        if is_error:
            issues.append(CellIssue(cell, "error", value.group(1).decode(errors="replace") if value else "#N/A"))
        elif value is None or value.group(1) == b"":
            text = (formula.group(1) or b"").decode(errors="replace")
            issues.append(CellIssue(cell, "no-value", "=" + _unescape(text)))
    return issues


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


MAX_CELLS_LISTED = 20


def report_structure(raw: RawWorkbook, sheets: list[str], report: Report) -> None:
    """Record hidden sheets, macros, merged cells and cells without a value for the intake's sheets.

    Args:
        raw: The opened workbook.
        sheets: The intake sheets present in it.
        report: Where the problems go.
    """
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in raw._book.sheets_metadata}
    if raw.has_macros:
        report.add("macros-ignored", f"{raw.path.name}: the workbook carries macros; they were neither run nor "
                   "copied (only the cell values are read)")
    parts = sheet_parts(raw.path)
    for name in sheets:
        state = visibility.get(name, "Visible")
        if state != "Visible":
            report.add("hidden-sheet", f"sheet {name} is {'very hidden' if state == 'VeryHidden' else 'hidden'}; "
                       "it was read all the same", sheet=name)
        for (r1, c1), (r2, c2) in raw._book.get_sheet_by_name(name).merged_cell_ranges or []:
            span = xl_range(r1, c1, r2, c2)
            report.add("merged-cells", f"cells {span} are merged; unmerge them so that every row and column "
                       "holds its own value", sheet=name, row=r1 + 1, cell=span)
        issues = scan_sheet(raw.path, parts[name]) if name in parts else []
        for issue in issues[:MAX_CELLS_LISTED]:
            if issue.kind == "error":
                report.add("cell-error", f"the cell shows the error {issue.detail}; fix its formula or type the "
                           "value", sheet=name, row=_row(issue.cell), cell=issue.cell)
            else:
                report.add("formula-without-value", f"the formula {issue.detail} has no saved value: the file was "
                           "written by a program and never opened in a spreadsheet app; open it in Excel or "
                           "LibreOffice and save it", sheet=name, row=_row(issue.cell), cell=issue.cell)
        if len(issues) > MAX_CELLS_LISTED:
            report.add("formula-without-value" if issues[-1].kind == "no-value" else "cell-error",
                       f"… and {len(issues) - MAX_CELLS_LISTED} more cell(s) like these on this sheet", sheet=name)


def _row(cell: str) -> int | None:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else None
