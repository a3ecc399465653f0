"""What the cell values alone do not show: formulas with no saved value, error cells, merged cells, hidden sheets.

A fast reader (calamine) reads a formula that was never calculated, and an error such as ``#REF!``, as an
empty cell, so the intake would silently lose data. This module looks at the sheet XML itself (only when it
contains formulas or errors at all) and names those cells.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mops_xl.intake.file import RawWorkbook
    from mops_xl.intake.problems import ValidationReport

_CELL = re.compile(rb"<c ((?:[^>/]|/(?!>))*)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_FORMULA = re.compile(rb"<f[^>]*?(?:/>|>(.*?)</f>)", re.S)
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_CHUNK = 1 << 22
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


@dataclass
class SheetScan:
    """What one sheet's XML says beyond its values.

    Args:
        issues: Cells whose value the workbook does not hold, in sheet order.
        merged: The merged ranges, e.g. ["A3:B3"].
    """

    issues: list[CellIssue] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)


def _segments(path: Path, part: str):
    """Yield the sheet XML in pieces of about ``_CHUNK`` bytes, each ending after a whole ``</row>``."""
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        carry = b""
        while block := fh.read(_CHUNK):
            data = carry + block
            cut = data.rfind(b"</row>")
            if cut < 0:
                carry = data
                continue
            cut += len(b"</row>")
            yield data[:cut]
            carry = data[cut:]
        if carry:
            yield carry


def scan_sheet(path: Path, part: str) -> SheetScan:
    """Find the formulas without a saved value, the error cells and the merged ranges of one sheet.

    The part is read in pieces (a million-row sheet is never held whole), and only pieces that contain a
    formula or an error at all are searched cell by cell.

    Args:
        path: The workbook.
        part: The sheet's XML part.

    Returns:
        The :class:`SheetScan`.
    """
    scan = SheetScan()
    for data in _segments(path, part):
        scan.merged += [m.decode() for m in _MERGE.findall(data)]
        if b"<f" not in data and b't="e"' not in data:
            continue
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
                detail = value.group(1).decode(errors="replace") if value else "#N/A"
                scan.issues.append(CellIssue(cell, "error", detail))
            elif value is None or value.group(1) == b"":
                text = (formula.group(1) or b"").decode(errors="replace")
                scan.issues.append(CellIssue(cell, "no-value", "=" + _unescape(text)))
    return scan


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


MAX_CELLS_LISTED = 20


def report_structure(raw: RawWorkbook, sheets: list[str], report: ValidationReport) -> None:
    """Record hidden sheets, macros, merged cells and cells without a value for the intake's sheets.

    Args:
        raw: The opened workbook.
        sheets: The intake sheets present in it.
        report: Where the problems go.
    """
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in raw._book.sheets_metadata}
    if raw.has_macros:
        report.add(
            "macros-ignored",
            f"{raw.path.name}: the workbook carries macros; they were neither run nor "
            "copied (only the cell values are read)",
        )
    parts = sheet_parts(raw.path)
    for name in sheets:
        state = visibility.get(name, "Visible")
        if state != "Visible":
            report.add(
                "hidden-sheet",
                f"sheet {name} is {'very hidden' if state == 'VeryHidden' else 'hidden'}; it was read all the same",
                sheet=name,
            )
        scan = scan_sheet(raw.path, parts[name]) if name in parts else SheetScan()
        for span in scan.merged:
            report.add(
                "merged-cells",
                f"cells {span} are merged; unmerge them so that every row and column holds its own value",
                sheet=name,
                row=_row(span.split(":")[0]),
                cell=span,
            )
        issues = scan.issues
        for issue in issues[:MAX_CELLS_LISTED]:
            if issue.kind == "error":
                report.add(
                    "cell-error",
                    f"the cell shows the error {issue.detail}; fix its formula or type the value",
                    sheet=name,
                    row=_row(issue.cell),
                    cell=issue.cell,
                )
            else:
                report.add(
                    "formula-without-value",
                    f"the formula {issue.detail} has no saved value: the file was "
                    "written by a program and never opened in a spreadsheet app; open it in Excel or "
                    "LibreOffice and save it",
                    sheet=name,
                    row=_row(issue.cell),
                    cell=issue.cell,
                )
        if len(issues) > MAX_CELLS_LISTED:
            report.add(
                "formula-without-value" if issues[-1].kind == "no-value" else "cell-error",
                f"… and {len(issues) - MAX_CELLS_LISTED} more cell(s) like these on this sheet",
                sheet=name,
            )


def _row(cell: str) -> int | None:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else None


# --- Date number formats and the 1904 date system -----------------------------------------------------------------
# The fast reader turns a number into a date only when its cell's number format is one it knows as a date; other
# applications spell date formats their own way (Gnumeric, LibreOffice, Google Sheets), and a number typed in a
# date column of a Mac Excel workbook counts days from 1904. These read what the workbook itself says.

#: Excel's built-in number formats that show a date (ids below 164 are not written in styles.xml).
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # literal text, escapes, [colours]/[$-409], padding
_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(1|true)\"", re.I)


def is_date_format(code: str) -> bool:
    """Whether a number format shows a date, however the writing application spells it.

    Args:
        code: The format code, e.g. ``yyyy-mm-dd``, ``d/m/yyyy``, ``[$-409]mmm d, yyyy``, ``DD.MM.YYYY``.

    Returns:
        True when, outside quoted text and brackets, it has a day or year part, or a month without hours or
        seconds (``mm:ss`` is minutes).
    """
    plain = _QUOTED.sub("", code).casefold()
    if not plain or plain == "general" or plain == "@":
        return False
    if "y" in plain or "d" in plain:
        return True
    return "m" in plain and "h" not in plain and "s" not in plain


def workbook_date1904(path: Path) -> bool:
    """Whether the workbook uses the 1904 date system (``<workbookPr date1904="1"/>``, Mac Excel's).

    Args:
        path: The workbook.

    Returns:
        True for the 1904 date system.
    """
    with zipfile.ZipFile(path) as zf:
        return bool(_DATE1904.search(zf.read("xl/workbook.xml")))


def date_style_ids(path: Path) -> frozenset[int]:
    """The cell styles (``s`` attribute values) whose number format shows a date.

    Args:
        path: The workbook.

    Returns:
        The style indexes.
    """
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as zf:
        if "xl/styles.xml" not in zf.namelist():
            return frozenset()
        root = ElementTree.fromstring(zf.read("xl/styles.xml"))
    local = lambda el: el.tag.rsplit("}", 1)[-1]  # noqa: E731 - any namespace prefix
    custom = {}
    for el in root.iter():
        if local(el) == "numFmt" and (el.get("numFmtId") or "").isdigit():
            custom[int(el.get("numFmtId"))] = el.get("formatCode", "")
    dated = set()
    for block in root.iter():
        if local(block) != "cellXfs":
            continue
        for i, xf in enumerate(x for x in block if local(x) == "xf"):
            fmt = int(xf.get("numFmtId", "0") or 0)
            if fmt in custom:
                if is_date_format(custom[fmt]):
                    dated.add(i)
            elif fmt in _BUILTIN_DATE_FORMATS:
                dated.add(i)
    return frozenset(dated)


def date_formatted_rows(path: Path, part: str, letter: str, styles: frozenset[int]) -> set[int]:
    """The rows of one column whose cell holds a number formatted as a date.

    Args:
        path: The workbook.
        part: The sheet's XML part.
        letter: The column letter.
        styles: :func:`date_style_ids` of the workbook.

    A cell without a style of its own takes its column's (``<col style=…>``), as Gnumeric writes it.

    Returns:
        Excel row numbers.
    """
    if not styles:
        return set()
    tag = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="' + letter.encode() + rb'(\d+)"[^>]*>')
    style = re.compile(rb'\bs="(\d+)"')
    kind = re.compile(rb'\bt="(\w+)"')
    column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letter)))
    col_style: int | None = None
    rows = set()
    for data in _segments(path, part):
        if col_style is None:
            for c in re.finditer(rb"<(?:\w+:)?col\b([^>]*)>", data):
                lo, hi = re.search(rb'\bmin="(\d+)"', c.group(1)), re.search(rb'\bmax="(\d+)"', c.group(1))
                st = re.search(rb'\bstyle="(\d+)"', c.group(1))
                if lo and hi and st and int(lo.group(1)) <= column <= int(hi.group(1)):
                    col_style = int(st.group(1))
            col_style = -1 if col_style is None else col_style
        for m in tag.finditer(data):
            s, t = style.search(m.group(0)), kind.search(m.group(0))
            index = int(s.group(1)) if s else col_style
            if index in styles and (t is None or t.group(1) == b"n"):
                rows.add(int(m.group(1)))
    return rows
