"""Build hostile and broken intake files for tests: odd but valid OOXML, extreme cells, damaged zips.

Each builder starts from a valid intake (``intake_builders.write_valid``) and rewrites the XML parts of the
.xlsx directly, the way another program (or an attacker) would write them, so that the reader meets exactly
the bytes in question.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from intake_builders import write_valid

TRANSITIONAL = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


def sheet_part(path: Path, sheet: str) -> str:
    """The XML part of ``sheet`` in the workbook at ``path`` (e.g. ``xl/worksheets/sheet4.xml``)."""
    from mops_xl.intake.cells import sheet_parts

    return sheet_parts(path)[sheet]


def rewrite_parts(path: Path, change: Callable[[str, bytes], bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Rewrite every part of the .xlsx through ``change(name, data)``, in place.

    Args:
        path: The workbook (a test copy).
        change: Returns the new bytes of a part.
        compression: The zip compression of the rewritten parts.

    Returns:
        The path.
    """
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in parts:
            zf.writestr(name, change(name, data))
    return path


def rewrite_sheet(path: Path, sheet: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one sheet's XML through ``change``."""
    part = sheet_part(path, sheet)
    return rewrite_parts(path, lambda name, data: change(data) if name == part else data)


def set_raw_cell(path: Path, sheet: str, ref: str, cell_xml: str) -> Path:
    """Replace the cell ``ref`` of ``sheet`` (which must exist) with ``cell_xml``, written as given."""

    def change(data: bytes) -> bytes:
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', re.S)
        new, n = pattern.subn(cell_xml.encode(), data, count=1)
        assert n == 1, f"no cell {ref}"
        return new

    return rewrite_sheet(path, sheet, change)


def far_cell(path: Path, sheet: str, ref: str, value: str = "1") -> Path:
    """Add one number cell at ``ref`` (e.g. XFD1048576) in a new last row of ``sheet``."""
    row = re.sub(r"[A-Z]+", "", ref)

    def change(data: bytes) -> bytes:
        extra = f'<row r="{row}"><c r="{ref}"><v>{value}</v></c></row>'.encode()
        return data.replace(b"</sheetData>", extra + b"</sheetData>", 1)

    return rewrite_sheet(path, sheet, change)


def error_cell(path: Path, sheet: str = "Actuals", ref: str = "D3", style: str = "plain") -> Path:
    """Put ``#DIV/0!`` in ``ref`` and write the sheet in ``style``: "plain", "strict", "prefix" or "quotes"."""
    set_raw_cell(path, sheet, ref, f'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    return restyle(path, sheet, style)


def uncached_formula(path: Path, sheet: str = "Actuals", ref: str = "D3", style: str = "plain") -> Path:
    """Put a formula without a saved value in ``ref`` and write the sheet in ``style``."""
    set_raw_cell(path, sheet, ref, f'<c r="{ref}"><f>100*2</f></c>')
    return restyle(path, sheet, style)


def restyle(path: Path, sheet: str, style: str) -> Path:
    """Rewrite a workbook as Strict Open XML ("strict"), or one sheet with an ``x:`` prefix ("prefix") or with
    single-quoted attributes ("quotes"); "plain" leaves it as it is."""
    if style == "strict":
        return rewrite_parts(path, lambda name, data: data.replace(TRANSITIONAL, STRICT))
    if style == "prefix":
        return rewrite_sheet(path, sheet, _prefixed)
    if style == "quotes":
        return rewrite_sheet(path, sheet, _single_quoted)
    assert style == "plain"
    return path


_OOXML, _PURL = "http://schemas.openxmlformats.org/", "http://purl.oclc.org/ooxml/"
#: Transitional → Strict namespaces and relationship types, longest first (one may start with another).
_TO_STRICT = sorted(
    {
        _OOXML + "spreadsheetml/2006/main": _PURL + "spreadsheetml/main",
        _OOXML + "officeDocument/2006/relationships/extended-properties": (
            _PURL + "officeDocument/relationships/extendedProperties"
        ),
        _OOXML + "officeDocument/2006/relationships/custom-properties": (
            _PURL + "officeDocument/relationships/customProperties"
        ),
        _OOXML + "officeDocument/2006/relationships": _PURL + "officeDocument/relationships",
        _OOXML + "officeDocument/2006/custom-properties": _PURL + "officeDocument/customProperties",
        _OOXML + "officeDocument/2006/extended-properties": _PURL + "officeDocument/extendedProperties",
        _OOXML + "officeDocument/2006/docPropsVTypes": _PURL + "officeDocument/docPropsVTypes",
        _OOXML + "drawingml/2006/main": _PURL + "drawingml/main",
    }.items(),
    key=lambda pair: -len(pair[0]),
)


def strict_open_xml(path: Path) -> Path:
    """Rewrite a workbook as Excel's "Strict Open XML Spreadsheet" saves it: every transitional namespace and
    relationship type in its Strict spelling, and ``conformance="strict"`` on the workbook."""

    def change(name: str, data: bytes) -> bytes:
        for transitional, strict in _TO_STRICT:
            data = data.replace(transitional.encode(), strict.encode())
        if name == "xl/workbook.xml":
            data = data.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        return data

    return rewrite_parts(path, change)


def _prefixed(data: bytes) -> bytes:
    data = data.replace(b'xmlns="' + TRANSITIONAL + b'"', b'xmlns:x="' + TRANSITIONAL + b'"', 1)
    return re.sub(rb"<(/?)([A-Za-z][A-Za-z0-9]*)([\s>/])", lambda m: b"<" + m[1] + b"x:" + m[2] + m[3], data)


def _single_quoted(data: bytes) -> bytes:
    head, sep, body = data.partition(b"?>")
    return head + sep + re.sub(rb'(\s[\w:]+)="([^"]*)"', rb"\1='\2'", body)


def shared_string_out_of_range(path: Path, sheet: str = "Actuals", ref: str = "B2") -> Path:
    """Point the text cell ``ref`` at a shared string that does not exist."""
    return set_raw_cell(path, sheet, ref, f'<c r="{ref}" t="s"><v>99999</v></c>')


def late_dtd(path: Path) -> Path:
    """Give workbook.xml an entity declaration after its first 4 KB (behind a long comment)."""

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return data
        head, sep, body = data.partition(b"?>")
        padding = b"<!--" + b" " * 5000 + b"-->"
        return head + sep + padding + b'<!DOCTYPE w [<!ENTITY e "boom">]>' + body

    return rewrite_parts(path, change)


def set_compress_type(path: Path, part: str, compress_type: int) -> Path:
    """Mark ``part`` as compressed with ``compress_type`` (e.g. 9, Deflate64) in the zip headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
        local = info.header_offset
    data[local + 8 : local + 10] = compress_type.to_bytes(2, "little")
    pos = 0
    name = part.encode()
    while (central := data.find(b"PK\x01\x02", pos)) >= 0:
        n = int.from_bytes(data[central + 28 : central + 30], "little")
        if bytes(data[central + 46 : central + 46 + n]) == name:
            data[central + 10 : central + 12] = compress_type.to_bytes(2, "little")
        pos = central + 4
    path.write_bytes(bytes(data))
    return path


def set_encrypted_flag(path: Path, part: str) -> Path:
    """Set the "encrypted" bit of ``part`` in the zip headers (what a password-protected zip entry carries)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    pos = 0
    while (central := data.find(b"PK\x01\x02", pos)) >= 0:
        n = int.from_bytes(data[central + 28 : central + 30], "little")
        if bytes(data[central + 46 : central + 46 + n]) == name:
            data[central + 8] |= 1
            local = int.from_bytes(data[central + 42 : central + 46], "little")
            data[local + 6] |= 1
        pos = central + 4
    path.write_bytes(bytes(data))
    return path


def valid_copy(folder: Path, name: str = "intake.xlsx") -> Path:
    """A fresh valid intake in ``folder``."""
    return write_valid(folder / name)
