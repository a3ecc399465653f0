"""What the cell values alone do not show: formulas with no saved value, error cells, merged cells, hidden sheets.

A fast reader (calamine) reads a formula that was never calculated, and an error such as ``#REF!``, as an
empty cell, so the intake would silently lose data. This module looks at the sheet XML itself (only when it
contains formulas or errors at all) and names those cells.

The scan must cost a fraction of the read it guards: the pieces of a big sheet that hold nothing but plain rows of
plain cells (nearly all of it) are looked at with a few vectorised byte probes for their extent and are not parsed;
only the pieces that hold anything else go through the XML parser (see :func:`scan_sheet`).
"""

from __future__ import annotations

import contextlib
import re
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import numpy as np

from mops_xl.intake.schema import MAX_GAP_ROWS, MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
from mops_xl.plural import count

if TYPE_CHECKING:
    from mops_xl.intake.file import RawWorkbook
    from mops_xl.intake.problems import ValidationReport

_CHUNK = 1 << 20
#: The SpreadsheetML namespaces: transitional (what Excel writes) and Strict Open XML.
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_P = rb"<(?:[A-Za-z_][\w.-]*:)?"  # an element's start, with or without a namespace prefix
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row\s*>")
#: A sheet whose SpreadsheetML elements carry a prefix (``<x:c>``) is parsed whole.
_PREFIXED_MAIN = re.compile(
    rb"xmlns:[\w.-]+\s*=\s*[\"'](?:" + b"|".join(re.escape(ns.encode()) for ns in MAIN_NAMESPACES) + rb")[\"']"
)
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,})(\d+)"')  # a literal prefix: the regex engine skips to each cell
_LONG_ROW = re.compile(rb'<row r="\d{8}')  # a row number of 8 digits or more (beyond any sheet)
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_CELL_PLACE = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_ANY_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\br\s*=\s*[\"'](\d+)[\"']")  # any prefix or quotes


#: Pieces of a sheet that need the XML parser hold an entity or character reference, an error value, or a tag other
#: than a cell or row starting with its reference (``<c r="A7"``, ``<row r="7"``), a value, an inline string or an end
#: tag: a formula, a merge, the dimension, a comment, a cell without ``r=``… (:func:`_plain_piece`). Nearly all of a big
#: sheet holds none: those pieces are checked only for their extent. The letters after ``<`` a plain piece holds:
#: c(ell), r(ow), v(alue), i(nline string), t(ext), / (an end tag).
_NOT_PLAIN_TAG = np.array([b not in b"crvit/" for b in range(256)])
_CAPITAL = np.zeros(256, dtype=bool)
_CAPITAL[list(range(ord("A"), ord("Z") + 1))] = True
_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[list(range(ord("0"), ord("9") + 1))] = True


@dataclass(frozen=True)
class _PlainPiece:
    """What the byte probes found in a plain piece of a sheet (see :func:`_plain_piece`).

    Args:
        rows: How many rows start in it.
        wide: Whether a cell lies in column AA or beyond (its reference has two letters or more).
        long_row: Whether a row number may have eight digits or more (then the exact search decides).
    """

    rows: int
    wide: bool
    long_row: bool


def _plain_piece(data: bytes) -> _PlainPiece | None:
    """Whether a piece of a sheet (whole rows) is plain: every tag a cell or a row starting with its reference
    (``<c r="A7"``, ``<row r="7"``), a value, an inline string or an end tag, and neither an entity nor an error
    value. Found with vectorised probes of the byte after each ``<``, without parsing.

    Args:
        data: The piece.

    Returns:
        What the probes found, or None when the piece needs the XML parser.
    """
    if b"&" in data or b'"e"' in data or (b"'" in data and b"'e'" in data):
        return None
    last = len(data) - 1
    raw = np.frombuffer(data, dtype=np.uint8)
    tags = np.flatnonzero(raw[:last] == ord("<"))
    first = raw[tags + 1]
    kinds = np.bincount(first, minlength=256)
    if kinds[_NOT_PLAIN_TAG].any():
        return None
    if kinds[ord("c")] != data.count(b'<c r="') or kinds[ord("r")] != data.count(b'<row r="'):
        return None
    cells, rows = tags[first == ord("c")], tags[first == ord("r")]
    wide = bool(_CAPITAL[raw[np.minimum(cells + 7, last)]].any())
    long_row = bool(_DIGIT[raw[np.minimum(rows + 15, last)]].any())
    return _PlainPiece(len(rows), wide, long_row)


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
    """Map each sheet name to its XML part in the .xlsx (transitional or Strict Open XML).

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
    for ns in MAIN_NAMESPACES:
        for sheet in book.iter(f"{{{ns}}}sheet"):
            rid = next((sheet.get(f"{{{r}}}id") for r in _REL_NAMESPACES if sheet.get(f"{{{r}}}id")), None)
            target = targets.get(rid, "")
            target = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts[sheet.get("name")] = target
    return parts


@dataclass
class SheetScan:
    """What one sheet's XML says beyond its values.

    Args:
        issues: Cells whose value the workbook does not hold, in sheet order.
        merged: The merged ranges, e.g. ["A3:B3"].
        rows: The last row holding a cell (what a reader must allocate down to).
        columns: The last column holding a cell (1 = A).
        far_row_cell: A cell on the last row.
        far_column_cell: A cell in the last column.
        dimension: The used range the sheet declares (may disagree with its cells).
        damaged: Why the XML cannot be read ("" when it can).
        table_end: The last row before the first gap of more than :data:`MAX_GAP_ROWS` empty rows (0: no such gap).
        far_cell: The first cell below that gap.
        far_rows: How many rows below the gap hold cells.
        far_column: The leftmost column (1 = A) of the cells below that gap.
        last_filled_row: The last row holding a cell so far (while the scan goes on).
    """

    issues: list[CellIssue] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    rows: int = 0
    columns: int = 0
    far_row_cell: str = ""
    far_column_cell: str = ""
    dimension: str = ""
    damaged: str = ""
    table_end: int = 0
    far_cell: str = ""
    far_rows: int = 0
    far_column: int = 0
    last_filled_row: int = 0

    @property
    def cells(self) -> int:
        """The cells a reader allocates for the sheet: rows × columns from A1 (down to the table's end when cells
        lie far below it: those are not read)."""
        return (self.table_end or self.rows) * self.columns

    def note_row(self, row: int) -> None:
        """Follow the rows that hold cells (in ascending order) to find the first gap far below the table.

        Args:
            row: A row holding at least one cell.
        """
        if row <= self.last_filled_row:
            return
        if self.table_end:
            self.far_rows += 1
        elif self.last_filled_row and row - self.last_filled_row > MAX_GAP_ROWS + 1:
            self.table_end, self.far_rows = self.last_filled_row, 1
        self.last_filled_row = row

    def note_far_cell(self, row: int, col: int, ref: str) -> None:
        """Remember the first cell below the gap and the leftmost column of those cells (see :meth:`note_row`).

        Args:
            row: The cell's row.
            col: Its column (1 = A).
            ref: Its reference.
        """
        if not self.table_end or row <= self.table_end:
            return
        self.far_cell = self.far_cell or ref
        self.far_column = min(self.far_column or col, col)


def column_number(letters: str) -> int:
    """Return the 1-based number of a column name ("A" → 1, "XFD" → 16384).

    Args:
        letters: The column letters.

    Returns:
        The column number.
    """
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_name(number: int) -> str:
    """Return the column name of a 1-based column number (28 → "AB").

    Args:
        number: The column number.

    Returns:
        The letters.
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


#: A number of days no date library can hold (about 270 million years): in a date-formatted cell it makes the reader
#: fail (calamine panics), so such cells are named when a sheet cannot be read.
BEYOND_ANY_DATE = 1e11
_REF = re.compile(r"^\$?([A-Z]{1,4})\$?([0-9]{1,9})$")


class _CellReader:
    """Expat handlers that follow rows and cells, placing the cells without ``r=`` after the ones before."""

    def __init__(self, scan: SheetScan, strings: int | None = None):
        self.scan = scan
        self.strings = strings
        self.row = 0
        self.col = 0
        self.cell: dict[str, Any] | None = None
        self.text: list[str] | None = None
        self.parser: Any = None
        self.row_end_at = -1  # where the last </row> the parser met starts (bytes fed to it)
        self.locals: dict[str, str | None] = {}  # element name → its SpreadsheetML local name (None: not one)

    def _local(self, name: str) -> str | None:
        """The local name of a SpreadsheetML element (None for another namespace's), worked out once per name."""
        try:
            return self.locals[name]
        except KeyError:
            ns, _, local = name.rpartition(" ")
            found = self.locals[name] = local if ns in MAIN_NAMESPACES else None
            return found

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self._local(name)
        if local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.col = 0
        elif local == "c":
            self._start_cell(attrs)
        elif self.cell is not None and local in ("f", "v"):
            self.cell[local] = ""
            self.text = []
        elif local == "mergeCell":
            self.scan.merged.append(attrs.get("ref", "?"))
        elif local == "dimension":
            self.scan.dimension = attrs.get("ref", "")

    def _start_cell(self, attrs: dict[str, str]) -> None:
        """Place a cell (after the one before when it has no reference) and follow the sheet's rows and extent."""
        m = _REF.match(attrs.get("r", "").upper())
        if m:
            letters, self.row = m.group(1), int(m.group(2))
            self.col = column_number(letters)  # column_name(self.col) gives the letters back
        else:
            self.col += 1
            letters = column_name(self.col)
        row, col, scan = self.row, self.col, self.scan
        ref = f"{letters}{row}"
        if row > scan.last_filled_row:  # the notes below do nothing otherwise: skip the calls
            scan.note_row(row)
        if scan.table_end and row > scan.table_end:
            scan.note_far_cell(row, col, ref)
        if row > scan.rows or col > scan.columns:
            self.note_extent(row, col, ref)
        self.cell = {"ref": ref, "t": attrs.get("t", "n"), "f": None, "v": None}

    def end(self, name: str) -> None:
        local = self._local(name)
        if local == "row":
            self.row_end_at = self.parser.CurrentByteIndex
        elif local in ("f", "v") and self.cell is not None and self.text is not None:
            self.cell[local] = "".join(self.text)
            self.text = None
        elif local == "c" and self.cell is not None:
            self._judge(self.cell)
            self.cell = None

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def note_extent(self, row: int, col: int, ref: str) -> None:
        if row > self.scan.rows:
            self.scan.rows, self.scan.far_row_cell = row, ref
        if col > self.scan.columns:
            self.scan.columns, self.scan.far_column_cell = col, ref

    def _judge(self, cell: dict[str, Any]) -> None:
        formula, value = cell["f"], cell["v"]
        if cell["t"] == "e":
            self.scan.issues.append(CellIssue(cell["ref"], "error", (value or "").strip() or "#N/A"))
        elif formula is not None and (value is None or (value == "" and cell["t"] != "str")):
            self.scan.issues.append(CellIssue(cell["ref"], "no-value", "=" + formula if formula.strip() else ""))
        elif self.strings is not None and cell["t"] == "s" and value is not None:
            index = value.strip()
            if not index.isdigit() or int(index) >= self.strings:
                self.scan.issues.append(CellIssue(cell["ref"], "bad-string", index))
        elif self.strings is not None and cell["t"] == "n" and value:
            try:
                number = float(value)
            except ValueError:
                return
            if not abs(number) < BEYOND_ANY_DATE:  # also inf and nan
                self.scan.issues.append(CellIssue(cell["ref"], "huge-number", value.strip()))


class _UnsafeSheet(Exception):
    pass


def _refuse(*_args: Any) -> Any:
    raise _UnsafeSheet()


def _parser(reader: _CellReader) -> Any:
    """A namespace-aware expat parser that refuses any DTD (so no entity can be declared or expanded).

    defusedxml's policy (forbid DTDs and entities) applied to the stdlib's streaming expat parser: defusedxml's own
    ``iterparse`` builds an element per cell and reads a 100,000-row sheet ~4x slower than expat with handlers.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser


def _listen(parser: Any, reader: _CellReader | None) -> None:
    parser.StartElementHandler = reader.start if reader else None
    parser.EndElementHandler = reader.end if reader else None
    parser.CharacterDataHandler = reader.chars if reader else None


def _segments(fh: Any):
    """Yield the sheet XML as ``(piece, whole)``: pieces of about ``_CHUNK`` bytes, each ending after a whole
    ``</row>`` (``whole``), except where a row runs on for more than four pieces (it is cut anywhere)."""
    carry, size = b"", min(_CHUNK, 1 << 16)  # a small first piece: the header (dimension, views) is parsed whole
    while block := fh.read(size):
        size = _CHUNK
        data = carry + block
        cut = _last_row_end(data, len(carry))
        if cut < 0:
            if len(data) > 4 * _CHUNK:
                yield data, False
                data = b""
            carry = data
            continue
        yield data[:cut], True
        carry = data[cut:]
    if carry:
        yield carry, True


def _last_row_end(data: bytes, searched: int = 0) -> int:
    """The offset just after the last ``</row>`` (any prefix) in ``data``, or -1; the first ``searched`` bytes are
    known to hold none."""
    pos, floor = len(data), max(0, searched - 16)
    while (pos := data.rfind(b"row", floor, pos)) >= 0:
        start = data.rfind(b"</", 0, pos)
        match = _ROW_END.match(data, start) if start >= 0 else None
        if match and match.start() < pos < match.end():
            return match.end()
    return -1


def scan_sheet(path: Path, part: str, strings: int | None = None, book: zipfile.ZipFile | None = None) -> SheetScan:
    """Find the formulas without a saved value, the error cells, the merged ranges and the extent of one sheet.

    The part is read in pieces of whole rows, so a million-row sheet is never held whole. A piece holding anything
    but plain rows of plain cells (:func:`_plain_piece`) is parsed as XML (namespace-aware, so Strict Open XML and
    prefixed elements are read as Excel reads them; any DTD refused); so are the first and the last piece. The plain
    pieces between them (nearly all of a big sheet) are not parsed: their extent is read from the references, and
    the parser, left just after a row, goes on after them. A sheet found damaged is scanned again with every piece
    parsed, so that the damage is named as the parser finds it.

    Args:
        path: The workbook.
        part: The sheet's XML part.
        strings: The number of shared strings: every piece is then parsed, and a text cell pointing past them is a
            "bad-string" issue (its detail the index).
        book: The workbook's package, already open (so that the sheets of one workbook share one opening); else
            ``path`` is opened.

    Returns:
        The :class:`SheetScan` (``damaged`` says why the XML cannot be read, if it cannot).
    """
    scan, skipped = _scan(path, part, strings, skip_plain=strings is None, book=book)
    if scan.damaged and skipped:
        scan, _ = _scan(path, part, strings, skip_plain=False, book=book)
    return scan


def _scan(
    path: Path, part: str, strings: int | None, skip_plain: bool, book: zipfile.ZipFile | None = None
) -> tuple[SheetScan, bool]:
    """Scan a sheet (see :func:`scan_sheet`), leaving plain pieces unparsed when ``skip_plain``.

    Returns:
        The scan, and whether a piece was left unparsed.
    """
    scan = SheetScan()
    feed = _SheetFeed(scan, strings, skip_plain)
    try:
        with contextlib.ExitStack() as opened:
            zf = book or opened.enter_context(zipfile.ZipFile(path))
            fh = opened.enter_context(zf.open(part))
            previous: tuple[bytes, bool] | None = None
            for piece in _segments(fh):
                if previous is not None:
                    feed.take(*previous)
                previous = piece
            if previous is not None:
                feed.take(*previous, last=True)
            feed.finish()
    except _UnsafeSheet:
        scan.damaged = "unsafe: it declares a DTD (a possible XML entity attack); Excel never writes one"
    except xml.parsers.expat.ExpatError as exc:
        scan.damaged = f"its XML is damaged ({xml.parsers.expat.errors.messages[exc.code]}, line {exc.lineno})"
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        scan.damaged = f"its part {part} cannot be unpacked ({exc})"
    return scan, feed.skipped


class _SheetFeed:
    """Takes a sheet's pieces in order: parses those that need it (with the cell handlers), reads the extent of the
    plain ones, and feeds the parser all but the plain pieces it may skip.

    A piece may be skipped only when the parser stands just after a ``</row>`` it met (``at_row_end``): the piece,
    whole rows itself, leaves it there, so the document the parser sees stays the sheet minus whole rows.

    Args:
        scan: Where the findings go.
        strings: See :func:`scan_sheet` (every piece is parsed with it).
        skip_plain: Whether plain pieces between the first and the last may go unparsed.
    """

    def __init__(self, scan: SheetScan, strings: int | None, skip_plain: bool):
        self.reader = _CellReader(scan, strings)
        self.parser = self.reader.parser = _parser(self.reader)
        self.strings, self.skip_plain = strings, skip_plain
        self.prefixed: bool | None = None
        self.cut_mid_row = False
        self.fed = 0
        self.at_row_end = False
        self.skipped = False

    def take(self, data: bytes, whole: bool, last: bool = False) -> None:
        """Take the next piece.

        Args:
            data: The piece.
            whole: Whether it ends with a whole ``</row>`` (see :func:`_segments`).
            last: Whether it is the sheet's last piece.
        """
        if self.prefixed is None:  # the first piece holds the root element and its namespace declarations
            self.prefixed = _PREFIXED_MAIN.search(data) is not None
        plain = None
        if self.strings is None and not self.prefixed and whole and not self.cut_mid_row:
            plain = _plain_piece(data)
        # After a piece cut mid-row (a giant row), the next piece is parsed with the handlers too.
        self.cut_mid_row = not whole
        may_skip = self.skip_plain and not last
        if plain is None or (may_skip and not self.at_row_end):  # the parser is not just after a row: parse
            self._parse(data, whole)
            return
        _extent_of_plain_piece(data, self.reader, plain)
        if may_skip:
            self.skipped = True
            return
        _listen(self.parser, None)
        self._feed(data)
        self.at_row_end = False

    def _parse(self, data: bytes, whole: bool) -> None:
        """Parse a piece with the cell handlers; note whether it left the parser just after a ``</row>``."""
        _listen(self.parser, self.reader)
        start = self.fed
        self._feed(data)
        self.at_row_end = whole and self.reader.row_end_at == start + data.rfind(b"</")

    def _feed(self, data: bytes) -> None:
        self.parser.Parse(data, False)
        self.fed += len(data)

    def finish(self) -> None:
        """End the document (the parser checks it is complete)."""
        _listen(self.parser, self.reader)
        self.parser.Parse(b"", True)


def _extent_of_plain_piece(data: bytes, reader: _CellReader, plain: _PlainPiece) -> None:
    """The last row and widest column of a piece whose every row and cell starts with its reference.

    Rows come in ascending order (a row number of 8 digits anywhere is beyond every sheet all the same). Single-letter
    columns are not looked at: 26 columns of the most rows a sheet may have stay within :data:`MAX_SHEET_CELLS`, so
    only cells from column AA on can make a sheet too large.

    Args:
        data: The piece.
        reader: The scan's cell reader (its row and the scan's extent move on).
        plain: What :func:`_plain_piece` found in it.
    """
    _rows_of_plain_piece(data, reader.scan, plain.rows)
    start = data.rfind(b'<row r="')
    if start >= 0:
        digits = data[start + 8 : data.find(b'"', start + 8)]
        last = int(digits) if digits.isdigit() else reader.row
        long_row = _LONG_ROW.search(data) if plain.long_row else None
        if long_row:
            end = data.find(b'"', long_row.start() + 8)
            last = max(last, int(data[long_row.start() + 8 : end] or b"0"))
        reader.row = last
        if last > reader.scan.rows:
            reader.scan.rows, reader.scan.far_row_cell = last, f"A{last}"
        reader.scan.columns = max(reader.scan.columns, 1)
    for letters, row in _WIDE_CELL.findall(data) if plain.wide else ():
        reader.note_extent(int(row), column_number(letters.decode()), f"{letters.decode()}{int(row)}")


def _rows_of_plain_piece(data: bytes, scan: SheetScan, rows: int) -> None:
    """Follow the rows of a plain piece (:meth:`SheetScan.note_row`): one by one only where they are not contiguous.

    A row written with no cell (``<row r="9" ht="20"/>``, a height only) holds no value: it counts as filled only
    inside a contiguous run (where it costs the reader nothing either way), never as a cell far below the table.
    """
    first = _ROW_NUMBER.search(data)
    if first is None:
        return
    last = int(data[data.rfind(b'<row r="') + 8 :].split(b'"', 1)[0] or b"0")
    low = int(first.group(1))
    contiguous = last - low + 1 == rows and low - scan.last_filled_row <= MAX_GAP_ROWS + 1
    if contiguous and not scan.table_end:
        scan.last_filled_row = max(scan.last_filled_row, last)
        return
    far_start = -1
    for m in _ROW_NUMBER.finditer(data):
        tag_end = data.find(b">", m.end())
        if data[tag_end - 1 : tag_end] == b"/":
            continue  # a row with no cell
        scan.note_row(int(m.group(1)))
        if far_start < 0 and scan.table_end and int(m.group(1)) > scan.table_end:
            far_start = m.start()
    if far_start >= 0:
        for letters, digits in _CELL_PLACE.findall(data, far_start):
            scan.note_far_cell(int(digits), column_number(letters.decode()), f"{letters.decode()}{int(digits)}")


def trimmed_sheet_xml(path: Path, part: str, last_row: int) -> bytes:
    """The sheet's XML without its rows below ``last_row`` (what lies after the rows, e.g. merged ranges, is kept).

    Args:
        path: The workbook.
        part: The sheet's XML part.
        last_row: The last row to keep (:attr:`SheetScan.table_end`).

    Returns:
        The XML: as large as the rows kept.
    """
    out: list[bytes] = []
    dropping = False
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        for data, _ in _segments(fh):
            if not dropping:
                cut = next((m.start() for m in _ANY_ROW.finditer(data) if int(m.group(1)) > last_row), -1)
                if cut < 0:
                    out.append(data)
                    continue
                out.append(data[:cut])
                dropping, data = True, data[cut:]
            end = re.search(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>", data)
            if end:
                out.append(data[end.start() :])
                dropping = False
                last_row = 1 << 40  # nothing more to cut
    return b"".join(out)


def too_large(scan: SheetScan) -> str:
    """Say why a sheet is too large to read, or return "".

    Args:
        scan: The sheet's scan.

    Returns:
        The reason, naming the farthest cell, or "".
    """
    limits = (
        f"at most {MAX_SHEET_ROWS:,} rows, {MAX_SHEET_COLUMNS:,} columns and {MAX_SHEET_CELLS:,} cells "
        f"counted from A1 (e.g. {MAX_SHEET_ROWS:,} rows × {MAX_SHEET_CELLS // MAX_SHEET_ROWS} columns)"
    )
    if scan.rows > MAX_SHEET_ROWS:
        return f"a cell at {scan.far_row_cell} is beyond row {MAX_SHEET_ROWS:,}; a sheet holds {limits}"
    if scan.columns > MAX_SHEET_COLUMNS:
        last = column_name(MAX_SHEET_COLUMNS)
        return f"a cell at {scan.far_column_cell} is beyond column {last}; a sheet holds {limits}"
    if scan.cells > MAX_SHEET_CELLS:
        far = scan.far_column_cell if scan.columns * MAX_SHEET_ROWS > MAX_SHEET_CELLS else scan.far_row_cell
        return (
            f"the sheet reaches row {scan.rows:,} and column {column_name(scan.columns)} (a cell at {far}): "
            f"{scan.cells:,} cells to read; a sheet holds {limits}. Delete the stray cells far from the data"
        )
    return ""


MAX_CELLS_LISTED = 20


def shared_string_count(path: Path) -> int:
    """The number of shared strings (``<si>`` items) the workbook holds.

    Args:
        path: The workbook.

    Returns:
        The count (0 without a shared-strings part).
    """
    count, carry = 0, b""
    item = re.compile(_P + rb"si[\s>/]")
    with zipfile.ZipFile(path) as zf:
        name = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
        if name is None:
            return 0
        with zf.open(name) as fh:
            while block := fh.read(_CHUNK):
                data = carry + block
                count += len(item.findall(data, 0, len(data) - 16))
                carry = data[len(data) - 16 :]
            count += len(item.findall(carry))
    return count


def report_unreadable_cells(path: Path, sheet: str, part: str, reason: str, report: ValidationReport) -> bool:
    """Record a sheet the reader failed on, naming the cell when the XML shows which (a shared string that does
    not exist, a number no date can hold), or the damage when its XML is damaged (the scan before the read does not
    parse the plain rows of a big sheet; the reader fails on most damage there, and this scan parses them all).

    Args:
        path: The workbook.
        sheet: The sheet name.
        part: Its XML part.
        reason: The reader's message.
        report: Where the problems go.

    Returns:
        True when the sheet's XML is damaged (then that is all that is recorded of it).
    """
    scan = scan_sheet(path, part, strings=shared_string_count(path))
    if scan.damaged:
        _report_damaged_or_too_large(sheet, scan, report)
        return True
    bad = [i for i in scan.issues if i.kind == "bad-string"] or [i for i in scan.issues if i.kind == "huge-number"]
    for issue in bad[:MAX_CELLS_LISTED]:
        if issue.kind == "bad-string":
            message = (
                f"the cell points at shared string {issue.detail}, which the workbook does not hold (it is damaged); "
                "retype the cell, or save the workbook again from Excel"
            )
        else:
            message = (
                f"the cell holds {issue.detail}, a number no date can be, and the sheet cannot be read ({reason}); "
                "if the cell is formatted as a date, type a real date or clear the number"
            )
        report.add("corrupt-workbook", message, sheet=sheet, row=_row(issue.cell), cell=issue.cell)
    if not bad:
        report.add("corrupt-workbook", f"sheet {sheet} cannot be read: {reason}", sheet=sheet)
    return False


def report_structure(raw: RawWorkbook, sheets: list[str], report: ValidationReport) -> set[str]:
    """Record hidden sheets, macros, merged cells, cells without a value and sheets too large to read.

    Args:
        raw: The opened workbook.
        sheets: The intake sheets present in it.
        report: Where the problems go.

    Returns:
        The sheets that must not be read (too large or damaged; the reason is in ``report``).
    """
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in raw._book.sheets_metadata}
    if raw.has_macros:
        report.add(
            "macros-ignored",
            f"{raw.path.name}: the workbook carries macros; they were neither run nor "
            "copied (only the cell values are read)",
        )
    try:
        parts = sheet_parts(raw.path)
    except Exception as exc:  # noqa: BLE001 - defusedxml's ParseError and refusals, a missing part
        report.add("corrupt-workbook", f"{raw.path.name}: its list of sheets cannot be read ({exc})")
        return set(sheets)
    with contextlib.ExitStack() as opened:
        try:  # one opening of the package for every sheet's scan
            book: zipfile.ZipFile | None = opened.enter_context(zipfile.ZipFile(raw.path))
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError):
            book = None  # each scan opens it, and names what fails
        return _scan_and_load(raw, {name: visibility.get(name, "Visible") for name in sheets}, parts, report, book)


def _scan_and_load(
    raw: RawWorkbook,
    sheets: dict[str, str],
    parts: dict[str, str],
    report: ValidationReport,
    book: zipfile.ZipFile | None,
) -> set[str]:
    """Note each intake sheet hidden, scan its XML, then read its cells unless the scan or the reader finds it
    unreadable.

    Args:
        raw: The opened workbook.
        sheets: The intake sheets present in it → whether each is visible ("Visible", "Hidden", "VeryHidden").
        parts: Sheet name → its XML part (:func:`sheet_parts`).
        report: Where the problems go.
        book: The workbook's package, open (None: each scan opens it).

    Returns:
        The sheets that must not be read.
    """
    unreadable: set[str] = set()
    for name, state in sheets.items():
        _report_hidden(name, state, report)
        scan = scan_sheet(raw.path, parts[name], book=book) if name in parts else SheetScan()
        if _report_damaged_or_too_large(name, scan, report):
            unreadable.add(name)
            continue
        failure = _load_bounded(raw, name, parts[name], scan, report)
        if failure:
            unreadable.add(name)
            if report_unreadable_cells(raw.path, name, parts[name], failure, report):
                continue
        _report_merged(name, scan.merged, report)
        _report_cells_without_value(name, scan.issues, report)
    return unreadable


def _load_bounded(raw: RawWorkbook, name: str, part: str, scan: SheetScan, report: ValidationReport) -> str:
    """Read a sheet's cells: down to the end of its table only when cells lie far below it (see :data:`MAX_GAP_ROWS`),
    so that the memory the reader takes follows the table, not the sheet's farthest cell.

    Args:
        raw: The opened workbook.
        name: The sheet name.
        part: Its XML part.
        scan: Its scan (its issues below the table are dropped: those cells are not read).
        report: Where the cells far below go.

    Returns:
        "" when the sheet was read, else the reader's reason.
    """
    if not scan.table_end:
        return raw.load(name)
    scan.issues = [i for i in scan.issues if (_row(i.cell) or 0) <= scan.table_end]
    failure = raw.load(name, trimmed_sheet_xml(raw.path, part, scan.table_end), part)
    if not failure:
        _report_far_rows(name, scan, raw.used_width(name), report)
    return failure


def _report_far_rows(name: str, scan: SheetScan, width: int, report: ValidationReport) -> None:
    """Record the cells far below a sheet's table (after more than :data:`MAX_GAP_ROWS` empty rows), which are not
    read: an error when they lie in the table's columns (they look like data the report would lose), a warning when
    they all lie to the right of the table (a stray value, e.g. at Z1048576).

    Args:
        name: The sheet name.
        scan: Its scan (``table_end`` set).
        width: The last column holding a value in the rows kept (see :meth:`RawWorkbook.used_width`).
        report: Where the problem goes.
    """
    one = scan.far_rows == 1
    gap = f"{scan.last_filled_row - scan.table_end - 1:,}" if one else f"more than {MAX_GAP_ROWS:,}"
    where = f"after {gap} empty rows under row {scan.table_end:,}"
    if scan.far_column and scan.far_column <= width:
        what = "a row of values" if one else f"{count(scan.far_rows, 'row')} of values from here on"
        message = (
            f"{what} far below the table ({where}) {'is' if one else 'are'} not read: a table may not have more than "
            f"{MAX_GAP_ROWS:,} empty rows in a row; move {'it' if one else 'them'} up to the table, or delete "
            f"{'it' if one else 'them'} if {'it is' if one else 'they are'} not data"
        )
        report.add("far-rows", message, sheet=name, row=_row(scan.far_cell), cell=scan.far_cell or None)
        return
    what = "a value" if one else f"values on {count(scan.far_rows, 'row')} from here on"
    message = (
        f"{what} far below and to the right of the table ({where}, more than the {MAX_GAP_ROWS:,} a table may "
        f"skip) {'is' if one else 'are'} ignored; delete {'it' if one else 'them'}, or move {'it' if one else 'them'} "
        f"into the table if {'it is' if one else 'they are'} data"
    )
    report.add("far-cells", message, sheet=name, row=_row(scan.far_cell), cell=scan.far_cell or None)


def _report_hidden(name: str, state: str, report: ValidationReport) -> None:
    """Note a hidden or very hidden sheet (it is read all the same)."""
    if state != "Visible":
        report.add(
            "hidden-sheet",
            f"sheet {name} is {'very hidden' if state == 'VeryHidden' else 'hidden'}; it was read all the same",
            sheet=name,
        )


def _report_damaged_or_too_large(name: str, scan: SheetScan, report: ValidationReport) -> bool:
    """Record a sheet whose XML cannot be read or that is too large to read.

    Args:
        name: The sheet name.
        scan: Its scan.
        report: Where the problem goes.

    Returns:
        True when the sheet must not be read.
    """
    if scan.damaged:
        code = "unsafe-workbook" if scan.damaged.startswith("unsafe") else "corrupt-workbook"
        report.add(code, f"sheet {name} cannot be read: {scan.damaged}", sheet=name)
        return True
    reason = too_large(scan)
    if reason:
        far = scan.far_row_cell if scan.rows > MAX_SHEET_ROWS else scan.far_column_cell
        report.add("sheet-too-large", reason, sheet=name, cell=far or None)
        return True
    return False


def _report_merged(name: str, merged: list[str], report: ValidationReport) -> None:
    """Record each merged range of a sheet (a row or column of it would hold no value of its own)."""
    for span in merged:
        report.add(
            "merged-cells",
            f"cells {span} are merged; unmerge them so that every row and column holds its own value",
            sheet=name,
            row=_row(span.split(":")[0]),
            cell=span,
        )


def _report_cells_without_value(name: str, issues: list[CellIssue], report: ValidationReport) -> None:
    """Record the error cells and the formulas never calculated: the first :data:`MAX_CELLS_LISTED`, then a count."""
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
            what = f"the formula {issue.detail}" if issue.detail else "a formula shared with other cells"
            report.add(
                "formula-without-value",
                f"{what} has no saved value: the file was "
                "written by a program and never opened in a spreadsheet app; open it in Excel or "
                "LibreOffice and save it",
                sheet=name,
                row=_row(issue.cell),
                cell=issue.cell,
            )
    if len(issues) > MAX_CELLS_LISTED:
        report.add(
            "formula-without-value" if issues[-1].kind == "no-value" else "cell-error",
            f"… and {count(len(issues) - MAX_CELLS_LISTED, 'more cell')} like these on this sheet",
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
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        for data, _ in _segments(fh):
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
