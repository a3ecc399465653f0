"""Opening an intake file safely: what kind of file it is, whether it is safe to parse, and its raw cells.

Nothing here interprets the cells: :func:`open_intake_file` returns a :class:`RawWorkbook` whose sheets
are lists of rows exactly as the spreadsheet holds them (read with calamine, column by column fast), or
adds a file-level problem to the report and returns ``None``. The file is only ever read.
"""

from __future__ import annotations

import zipfile
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

    def rows(self, name: str) -> list[list[Any]]:
        """Return the cells of sheet ``name`` from A1, as a list of rows ('' for an empty cell).

        Args:
            name: The exact sheet name.

        Returns:
            The rows; row ``i`` of the list is Excel row ``i + 1``.
        """
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
    name = path.name
    if not path.exists():
        report.add("file-not-found", f"{name}: no such file")
        return None
    if path.is_dir():
        report.add("file-not-found", f"{name}: is a folder, not an .xlsx workbook")
        return None
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        report.add("file-not-found", f"{name}: cannot be read ({exc.strerror or exc})")
        return None
    if not head:
        report.add("corrupt-workbook", f"{name}: the file is empty (0 bytes); it is not an .xlsx workbook")
        return None
    if head.startswith(_OLE_MAGIC):
        report.add(*_ole_problem(path))
        return None
    if not head.startswith(_ZIP_MAGIC):
        report.add("wrong-format", _not_zip_message(path, head))
        return None
    props: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            problem = _zip_problem(name, zf, infos)
            if problem:
                report.add(*problem)
                return None
            names = {i.filename for i in infos}
            has_macros = "xl/vbaProject.bin" in names
            if "docProps/custom.xml" in names:
                props = _custom_properties(zf.read("docProps/custom.xml"))
    except zipfile.BadZipFile:
        report.add(
            "corrupt-workbook",
            f"{name}: the file is truncated or damaged (not a readable zip archive); save it again from Excel",
        )
        return None
    except _UnsafeXML:
        report.add("unsafe-workbook", f"{name}: refused: its document properties contain unsafe XML")
        return None
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        sheet_names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged parts
        report.add("corrupt-workbook", f"{name}: the workbook is damaged and cannot be read ({_short(exc)})")
        return None
    return RawWorkbook(path, sheet_names, props, has_macros, book)


class _UnsafeXML(Exception):
    pass


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
    names = {i.filename for i in infos}
    if "mimetype" in names and "content.xml" in names:
        return (
            "wrong-format",
            f"{name}: this is an OpenDocument (.ods) spreadsheet; save it as .xlsx (Excel 2007-365) and try again",
        )
    if "xl/workbook.xml" not in names:
        return ("wrong-format", f"{name}: a zip file but not an Excel workbook (no xl/workbook.xml)")
    if len(infos) > MAX_PARTS:
        return ("unsafe-workbook", f"{name}: refused: it has {len(infos)} parts (at most {MAX_PARTS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        return (
            "unsafe-workbook",
            f"{name}: refused: it would inflate to {total / 1024**3:.1f} GiB "
            f"(at most {MAX_TOTAL_UNCOMPRESSED / 1024**3:.0f} GiB); possibly a zip bomb",
        )
    for i in infos:
        if i.filename.endswith((".xml", ".rels")):
            with zf.open(i) as part:
                head = part.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:  # Excel never writes one; XML attacks need one
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
