"""Which files mops-xl wrote, so a build replaces or removes only its own.

- A workbook is mops-xl's when it carries the ``mops-xl output`` document property (a report, a roll-up).
- A PDF is mops-xl's when its Keywords hold :data:`~mops_xl.atomic.PDF_MARK` (the board pack), or when it is the
  board pack of a version before the mark (Author "mops-xl", Title "Marketing operations report — …").
- A framework file is mops-xl's when its first line is the framework's title, a plan CSV when its first line is the
  plan's header.

Anything else (someone's budget workbook, a PDF of their own, a note) is never replaced without ``--force`` and
never removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from mops_xl.atomic import PDF_MARK
from mops_xl.errors import OutputError
from mops_xl.intake.file import output_kind, regular_file_problem

#: The first line of a framework file mops-xl wrote (Markdown "# Marketing Operations Framework — …", text
#: "┌─ MARKETING OPERATIONS FRAMEWORK ─…"), casefolded.
FRAMEWORK_TITLE = "marketing operations framework"
#: The first line of a plan CSV (see :mod:`mops_xl.outputs.plan_csv`).
PLAN_CSV_HEADER = "Channel,Date,Planned spend"
#: The Title of a board pack written before PDFs carried the mark.
_LEGACY_PDF_TITLE = "Marketing operations report"
#: How much of a PDF's end is searched for its document information (LibreOffice writes it last, before the
#: cross-reference table).
_PDF_TAIL = 4 * 1024**2
_PDF_STRING = rb"(<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\))"


def written_by_mops_xl(path: Path) -> bool:
    """Whether a file is one mops-xl wrote (and a build may replace or remove).

    Args:
        path: An existing file.

    Returns:
        True for a mops-xl report, roll-up, board pack PDF, framework file or plan CSV.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return bool(output_kind(path))
    if suffix == ".pdf":
        return pdf_is_mops_xl(path)
    if suffix in (".md", ".txt"):
        return FRAMEWORK_TITLE in _first_line(path).casefold()
    if suffix == ".csv":
        return _first_line(path) == PLAN_CSV_HEADER
    return False


def check_replaceable(paths: Iterable[Path], *, force: bool = False, how: str = "choose another path with -o") -> None:
    """Refuse to write over a file mops-xl did not write, unless ``force``.

    Args:
        paths: The files a command is about to write.
        force: ``--force``: replace them anyway.
        how: The other way out, before "or pass --force".

    Raises:
        OutputError: Naming the first such file, with the way out.
    """
    if force:
        return
    for path in paths:
        if path.is_dir():
            continue  # said by the path checks, with their own words
        if path.exists() and not written_by_mops_xl(path):
            raise OutputError(f"{path}: exists and was not written by mops-xl; {how}, or pass --force to replace it")


def remove_stale_pdf(report: Path) -> Path | None:
    """Remove the board pack PDF a previous build left beside a report rebuilt without ``--pdf``: it shows last
    build's figures. A PDF without the mark (someone's own) stays.

    Args:
        report: The report workbook just written.

    Returns:
        The PDF removed, or None.
    """
    pdf = report.with_suffix(".pdf")
    if not pdf.exists() or not pdf_is_mops_xl(pdf):
        return None
    try:
        pdf.unlink()
    except OSError:
        return None
    return pdf


def pdf_is_mops_xl(path: Path) -> bool:
    """Whether a PDF is a board pack mops-xl wrote: its Keywords hold the mark, or (a board pack of a version before
    the mark) its Author is "mops-xl" and its Title the report's.

    Args:
        path: The PDF.

    Returns:
        True when mops-xl wrote it.
    """
    if regular_file_problem(path, "a PDF"):
        return False
    try:
        with path.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                return False
            size = fh.seek(0, 2)
            fh.seek(max(size - _PDF_TAIL, 0))
            tail = fh.read()
    except OSError:
        return False
    info = {key: _pdf_text(raw) for key, raw in re.findall(rb"/(Keywords|Author|Title)\s*" + _PDF_STRING, tail)}
    if PDF_MARK in re.split(r"[\s,;]+", info.get(b"Keywords", "")):
        return True
    return info.get(b"Author") == "mops-xl" and info.get(b"Title", "").startswith(_LEGACY_PDF_TITLE)


def _pdf_text(raw: bytes) -> str:
    """A PDF string's text: ``<FEFF…>`` (UTF-16 in hex) or ``(…)`` (PDFDocEncoding, read as Latin-1)."""
    if raw.startswith(b"<"):
        digits = re.sub(rb"\s", b"", raw[1:-1])
        data = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))  # an odd last digit: 0 follows
    else:
        data = re.sub(rb"\\(.)", rb"\1", raw[1:-1])
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


def _first_line(path: Path) -> str:
    """The first line of a text file (a byte-order mark and the line end left out), "" when it cannot be read."""
    if regular_file_problem(path, "a text file"):
        return ""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return ""
    return head.decode("utf-8-sig", errors="replace").splitlines()[0].strip() if head.strip() else ""
