"""Opening an intake file safely: what kind of file it is, whether it is safe to parse, and its raw cells.

Nothing here interprets the cells: :func:`open_intake_file` returns a :class:`RawWorkbook` whose sheets
are lists of rows exactly as the spreadsheet holds them (read with calamine, column by column fast), or
adds a file-level problem to the report and returns ``None``. The file is only ever read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mops_xl.intake.problems import ValidationReport

#: Refuse workbooks whose parts would inflate beyond these (a zip bomb); Excel's own files stay far below.
MAX_TOTAL_UNCOMPRESSED = 4 * 1024**3
MAX_PART_UNCOMPRESSED = 2 * 1024**3
MAX_RATIO = 400  # uncompressed ÷ compressed, for parts above RATIO_MIN_SIZE
RATIO_MIN_SIZE = 64 * 1024**2
MAX_PARTS = 10_000
#: XML parts up to this size are searched whole for a DTD (bigger ones, i.e. sheets, are refused by the cell scan).
DTD_SCAN_SIZE = 64 * 1024**2
#: The zip compression methods an .xlsx may use: stored and deflated (Excel writes nothing else).
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 99: "AES encryption"}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class RawWorkbook:
    """The cells of an intake workbook, untyped.

    Args:
        path: Where the file is.
        sheet_names: The sheet names in workbook order.
        properties: Custom document properties (e.g. the template's schema version).
        has_macros: The file carries a VBA project (never run, never copied).
    """

    path: Path
    sheet_names: list[str]
    properties: dict[str, str] = field(default_factory=dict)
    has_macros: bool = False
    _book: Any = None
    _cache: dict[str, Any] = field(default_factory=dict)
    _loaded: dict[str, list[list[Any]]] = field(default_factory=dict)

    def load(self, name: str, trimmed: bytes | None = None, part: str = "") -> str:
        """Read the cells of sheet ``name`` now, so that :meth:`rows` cannot fail; say why it cannot be read.

        The reader (calamine, in Rust) raises its own errors for a damaged sheet and may even panic, which Python
        sees as a ``BaseException``: both are a bad file, never a crash.

        Args:
            name: The exact sheet name (its extent already checked, see :func:`mops_xl.intake.cells.too_large`).
            trimmed: The sheet's XML without the rows far below its table, to read instead of its own part.
            part: The sheet's part (with ``trimmed``).

        Returns:
            "" when the sheet was read, else the reader's reason.
        """
        try:
            with native_stderr_hidden():
                book = self._book if trimmed is None else _book_with_part(self.path, part, trimmed)
                self._loaded[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException derives from BaseException
            return _short(exc)
        return ""

    def used_width(self, name: str) -> int:
        """The last column (1 = A) holding a value in sheet ``name`` as :meth:`load` read it (0: none).

        Args:
            name: The exact sheet name, already loaded.

        Returns:
            The column number.
        """
        width = 0
        for row in self._loaded.get(name, []):
            filled = [i for i, value in enumerate(row[width:], start=width + 1) if value not in ("", None)]
            width = filled[-1] if filled else width
        return width

    def rows(self, name: str) -> list[list[Any]]:
        """Return the cells of sheet ``name`` from A1, as a list of rows ('' for an empty cell).

        Args:
            name: The exact sheet name.

        Returns:
            The rows; row ``i`` of the list is Excel row ``i + 1``.
        """
        if name in self._loaded:
            return self._loaded.pop(name)
        sheet = self._book.get_sheet_by_name(name)
        return sheet.to_python(skip_empty_area=False)

    @property
    def date1904(self) -> bool:
        """Whether the workbook uses the 1904 date system (Mac Excel): numbers in date columns count from 1904."""
        if "date1904" not in self._cache:
            from mops_xl.intake.cells import workbook_date1904

            self._cache["date1904"] = workbook_date1904(self.path)
        return self._cache["date1904"]

    def date_formatted_rows(self, name: str, letter: str) -> set[int]:
        """The rows of a column of sheet ``name`` whose number is formatted as a date (any application's spelling).

        Args:
            name: The exact sheet name.
            letter: The column letter.

        Returns:
            Excel row numbers.
        """
        from mops_xl.intake.cells import date_formatted_rows, date_style_ids, sheet_parts

        if "styles" not in self._cache:
            self._cache["styles"] = date_style_ids(self.path)
            self._cache["parts"] = sheet_parts(self.path)
        part = self._cache["parts"].get(name)
        return date_formatted_rows(self.path, part, letter, self._cache["styles"]) if part else set()


def open_intake_file(path: str | Path, report: ValidationReport) -> RawWorkbook | None:
    """Check that ``path`` is a safe, readable .xlsx workbook and open it.

    Args:
        path: The intake file.
        report: Where file-level problems are recorded.

    Returns:
        The :class:`RawWorkbook`, or ``None`` when the file cannot be read (the reason is in ``report``).
    """
    path = Path(path)
    problem = _file_kind_problem(path)
    if problem:
        report.add(*problem)
        return None
    problem, has_macros, props = _package_contents(path)
    if problem:
        report.add(*problem)
        return None
    given_output = output_given_as_intake(path.name, props)
    if given_output:
        report.add("wrong-format", given_output)
        return None
    book, failure = _open_book(path)
    if book is None:
        report.add("corrupt-workbook", f"{path.name}: the workbook is damaged and cannot be read ({failure})")
        return None
    return RawWorkbook(path, list(book.sheet_names), props, has_macros, book)


def _file_kind_problem(path: Path) -> tuple[str, str] | None:
    """Why ``path`` is no .xlsx workbook, from the file itself and its first bytes: ``(code, message)``, or None.

    Args:
        path: The intake file.

    Returns:
        The problem (a missing or unreadable file, an empty one, an old .xls or encrypted workbook, no zip), or
        None for a zip archive.
    """
    name = path.name
    problem = regular_file_problem(path, "an .xlsx workbook")
    if problem:
        return "file-not-found", problem
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return "file-not-found", f"{name}: cannot be read ({exc.strerror or exc})"
    if not head:
        return "corrupt-workbook", f"{name}: the file is empty (0 bytes); it is not an .xlsx workbook"
    if head.startswith(_OLE_MAGIC):
        return _ole_problem(path)
    if not head.startswith(_ZIP_MAGIC):
        return "wrong-format", _not_zip_message(path, head)
    return None


def _package_contents(path: Path) -> tuple[tuple[str, str] | None, bool, dict[str, str]]:
    """Check the workbook's zip package and read what it says of itself.

    Args:
        path: The intake file (a zip archive).

    Returns:
        ``(problem, has_macros, properties)``: the ``(code, message)`` of a package that must not be opened (not
        a workbook, a zip bomb, encrypted, damaged, unsafe XML) or None; whether it carries a VBA project; its
        custom document properties.
    """
    name = path.name
    props: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            found = _zip_problem(name, zf, infos)
            if found:
                return found, False, {}
            names = {i.filename for i in infos}
            has_macros = "xl/vbaProject.bin" in names
            if "docProps/custom.xml" in names:
                props = _custom_properties(zf.read("docProps/custom.xml"))
    except (zipfile.BadZipFile, zlib.error, EOFError):
        damaged = f"{name}: the file is truncated or damaged (not a readable zip archive); save it again from Excel"
        return ("corrupt-workbook", damaged), False, {}
    except _UnsafeXML:
        return ("unsafe-workbook", f"{name}: refused: its document properties contain unsafe XML"), False, {}
    return None, has_macros, props


def _open_book(path: Path) -> tuple[Any, str]:
    """Open the workbook with calamine: ``(book, "")``, or ``(None, why)``; never raises for a bad file."""
    try:
        from python_calamine import CalamineWorkbook

        with native_stderr_hidden():
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                book = CalamineWorkbook.from_path(str(path))
            else:  # calamine picks its reader by the extension: an .xlsx named .xls is read for what it is
                with path.open("rb") as fh:
                    book = CalamineWorkbook.from_filelike(fh)
            list(book.sheet_names)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's own errors, and its panics (BaseException)
        return None, _short(exc)
    return book, ""


def _book_with_part(path: Path, part: str, xml: bytes) -> Any:
    """Open (with calamine) a copy of the workbook in memory whose ``part`` holds ``xml`` instead.

    Args:
        path: The workbook.
        part: The part replaced.
        xml: Its new content.

    Returns:
        The calamine workbook.
    """
    import io

    from python_calamine import CalamineWorkbook

    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, xml if info.filename == part else source.read(info))
    buffer.seek(0)
    return CalamineWorkbook.from_filelike(buffer)


#: Strict Open XML's namespaces and relationship types (Excel's "Strict Open XML Spreadsheet") → the transitional ones
#: every other program writes; longest first, so a namespace is not cut by a shorter one it starts with.
_STRICT_TO_TRANSITIONAL = sorted(
    {
        "http://purl.oclc.org/ooxml/spreadsheetml/main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties": (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties": (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/relationships": (
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/customProperties": (
            "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties": (
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes": (
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/sharedTypes": (
            "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"
        ),
        "http://purl.oclc.org/ooxml/officeDocument/math": "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "http://purl.oclc.org/ooxml/drawingml/main": "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing": (
            "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
        ),
        "http://purl.oclc.org/ooxml/drawingml/chart": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    }.items(),
    key=lambda pair: -len(pair[0]),
)


def is_strict(path: Path) -> bool:
    """Whether a workbook is saved as Strict Open XML (its workbook part in Strict's namespace).

    Args:
        path: An .xlsx workbook.

    Returns:
        True for Excel's "Strict Open XML Spreadsheet".
    """
    with zipfile.ZipFile(path) as zf:
        return b"http://purl.oclc.org/ooxml/spreadsheetml/main" in zf.read("xl/workbook.xml")[:4096]


def openpyxl_source(path: Path) -> Any:
    """What openpyxl should open for a workbook: the file itself, or, for a Strict Open XML workbook (which openpyxl
    reads as a workbook without sheets), a transitional copy of it in memory.

    The copy maps Strict's namespaces and relationship types to the transitional ones; the cells, their values and
    formats are the same (Strict's ISO dates, ``t="d"``, are transitional too).

    Args:
        path: An .xlsx workbook.

    Returns:
        ``path``, or a :class:`io.BytesIO` of the copy.
    """
    import io

    if not is_strict(path):
        return path
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in _STRICT_TO_TRANSITIONAL:
                    data = data.replace(strict.encode(), transitional.encode())
                data = data.replace(b' conformance="strict"', b"")
            copy.writestr(info, data)
    buffer.seek(0)
    return buffer


class _UnsafeXML(Exception):
    pass


@contextlib.contextmanager
def native_stderr_hidden() -> Iterator[None]:
    """Send what native code writes to file descriptor 2 nowhere while the block runs.

    A panic in calamine (Rust) prints its message and a Rust backtrace straight to fd 2 before Python sees the
    exception; the exception becomes a problem in the report, so the backtrace must not reach the terminal.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real stderr: nothing to hide
        yield
        return
    try:
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def regular_file_problem(path: Path, what: str) -> str:
    """Say why ``path`` cannot be read as an input file, or return "".

    Only regular files are read: a named pipe (FIFO) or a device would block or never end.

    Args:
        path: The input.
        what: What the file should be, e.g. "an .xlsx workbook".

    Returns:
        The reason (starting with the file name), or "".
    """
    name = path.name or str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"{name}: no such file"
    except OSError as exc:
        return f"{name}: cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        named = f", though its name ends in {path.suffix}" if path.suffix else ""
        return f"{name}: is a folder, not {what}{named}"
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device or socket"
        return f"{name}: is {kind}, not a regular file; only regular files are read"
    if not os.access(path, os.R_OK):
        return f"{name}: cannot be read (permission denied)"
    return ""


def _ole_problem(path: Path) -> tuple[str, str]:
    """Tell a password-protected .xlsx from an old .xls (both are OLE compound files)."""
    import olefile

    name = path.name
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir()}
    except Exception:
        streams = set()
    if {"EncryptionInfo", "EncryptedPackage"} <= streams:
        return (
            "encrypted-workbook",
            f"{name}: the workbook is password-protected; remove the password "
            "(File > Info > Protect Workbook) and save it again",
        )
    if streams & {"Workbook", "Book"}:
        return (
            "wrong-format",
            f"{name}: this is an old Excel 97-2003 .xls file; open it in Excel and save it as .xlsx (Excel Workbook)",
        )
    return (
        "wrong-format",
        f"{name}: this is a password-protected workbook or an old .xls file; remove the password or save it as .xlsx",
    )


def _not_zip_message(path: Path, head: bytes) -> str:
    name = path.name
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt") or _looks_like_text(path):
        return (
            f"{name}: this is a text/CSV file, not an .xlsx workbook; create an intake with "
            "`mops-xl init` and paste the rows into its sheets"
        )
    return f"{name}: not an .xlsx workbook (unrecognised file type {suffix or 'without an extension'})"


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as fh:
        sample = fh.read(4096)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _zip_problem(name: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """Why a zip package must not be opened as a workbook: ``(code, message)``, or None.

    Args:
        name: The file name.
        zf: The open package.
        infos: Its parts.

    Returns:
        The first problem found: not a workbook, too many or too large parts, an encrypted or oddly compressed
        part, a part declaring a DTD or inflating like a zip bomb.
    """
    return (
        _not_a_workbook(name, infos)
        or _package_size_problem(name, infos)
        or _part_encoding_problem(name, infos)
        or _part_content_problem(name, zf, infos)
    )


def _not_a_workbook(name: str, infos: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """An OpenDocument spreadsheet, or a zip without ``xl/workbook.xml``."""
    names = {i.filename for i in infos}
    if "mimetype" in names and "content.xml" in names:
        return (
            "wrong-format",
            f"{name}: this is an OpenDocument (.ods) spreadsheet; save it as .xlsx (Excel 2007-365) and try again",
        )
    if "xl/workbook.xml" not in names:
        return ("wrong-format", f"{name}: a zip file but not an Excel workbook (no xl/workbook.xml)")
    return None


def _package_size_problem(name: str, infos: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """Too many parts, or more uncompressed bytes than any workbook holds (a zip bomb)."""
    if len(infos) > MAX_PARTS:
        return ("unsafe-workbook", f"{name}: refused: it has {len(infos)} parts (at most {MAX_PARTS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        return (
            "unsafe-workbook",
            f"{name}: refused: it would inflate to {total / 1024**3:.1f} GiB "
            f"(at most {MAX_TOTAL_UNCOMPRESSED / 1024**3:.0f} GiB); possibly a zip bomb",
        )
    return None


def _part_encoding_problem(name: str, infos: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """The first part that is encrypted or compressed with a method an .xlsx never uses."""
    for i in infos:
        if i.flag_bits & 0x1:
            return (
                "encrypted-workbook",
                f"{name}: part {i.filename} is encrypted (a password-protected zip); save the workbook again "
                "from Excel without a password",
            )
        if i.compress_type not in _METHODS:
            method = _METHOD_NAMES.get(i.compress_type, f"method {i.compress_type}")
            return (
                "corrupt-workbook",
                f"{name}: part {i.filename} is compressed with {method}, which an .xlsx never uses (only "
                "stored or deflated); save the workbook again from Excel",
            )
    return None


def _part_content_problem(name: str, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> tuple[str, str] | None:
    """The first part that declares a DTD (an XML part) or would inflate like a zip bomb."""
    for i in infos:
        if i.filename.endswith((".xml", ".rels")) and _declares_dtd(zf, i):
            return (
                "unsafe-workbook",
                f"{name}: refused: part {i.filename} declares a DTD (a possible XML "
                "entity attack); Excel never writes one",
            )
        if i.file_size > MAX_PART_UNCOMPRESSED or (
            i.file_size > RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        ):
            return (
                "unsafe-workbook",
                f"{name}: refused: part {i.filename} would inflate to "
                f"{i.file_size / 1024**2:.0f} MiB from {i.compress_size / 1024**2:.1f} MiB; possibly a zip bomb",
            )
    return None


def output_given_as_intake(name: str, properties: dict[str, str]) -> str:
    """What a workbook mops-xl wrote (a report, a roll-up) is told when it is given as an intake: which file to
    build instead, never advice on its cells.

    Args:
        name: The file's name.
        properties: Its custom document properties.

    Returns:
        The message, or "" for a workbook that is no mops-xl output.
    """
    from mops_xl.atomic import OUTPUT_PROPERTY, SOURCE_PROPERTY

    kind = properties.get(OUTPUT_PROPERTY, "")
    if not kind:
        return ""
    if kind == "roll-up":
        return f"{name}: this is a mops-xl roll-up; build the intakes it sums up (their folder) instead"
    source = properties.get(SOURCE_PROPERTY, "") or "the intake it was built from"
    what = "a mops-xl report" if kind == "report" else f"a mops-xl {kind}"
    return f"{name}: this is {what}; build its intake ({source}) instead"


def output_kind(path: Path) -> str:
    """What mops-xl output a workbook is ("report", "roll-up", …), from its document property; "" for anything else
    (an intake, a file that is no workbook).

    Args:
        path: The file.

    Returns:
        The value of :data:`mops_xl.atomic.OUTPUT_PROPERTY`, or "".
    """
    from mops_xl.atomic import OUTPUT_PROPERTY

    if regular_file_problem(path, "a workbook"):
        return ""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("docProps/custom.xml")
            if info.file_size > 1024**2:
                return ""
            return _custom_properties(zf.read(info)).get(OUTPUT_PROPERTY, "")
    except (KeyError, OSError, zipfile.BadZipFile, zlib.error, _UnsafeXML, NotImplementedError, RuntimeError):
        return ""


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part holds ``<!DOCTYPE`` or ``<!ENTITY`` anywhere (the first 4 KB only for big parts)."""
    limit = info.file_size if info.file_size <= DTD_SCAN_SIZE else 4096
    seen, tail = 0, b""
    with zf.open(info) as part:
        while seen < limit and (block := part.read(min(1 << 20, limit - seen))):
            data = tail + block
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # Excel never writes one; XML attacks need one
                return True
            seen += len(block)
            tail = data[-9:]
    return False


def _custom_properties(xml: bytes) -> dict[str, str]:
    """Read docProps/custom.xml with defusedxml (no entity expansion, no external entities)."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(xml)
    except DefusedXmlException as exc:
        raise _UnsafeXML() from exc
    except ElementTree.ParseError:
        return {}
    props = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            props[name] = (prop[0].text or "").strip()
    return props


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
