"""LibreOffice, headless: recalculate workbooks (to verify their formulas) and export PDFs.

LibreOffice's default for .xlsx files is "never recalculate" (it copies the cached values through), so a
recalculation runs with a private user profile whose settings say "always recalculate on load". Each call
gets its own profile: two soffice processes sharing one collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: How to install LibreOffice on each system (for ``--pdf``), one line each.
INSTALL_LINES = (
    "Windows: the installer from https://www.libreoffice.org/download/, or winget install "
    "TheDocumentFoundation.LibreOffice",
    "macOS: brew install --cask libreoffice",
    "Debian/Ubuntu: sudo apt-get install libreoffice-calc",
    "Fedora: sudo dnf install libreoffice-calc",
)
#: Where the Windows installer puts LibreOffice (it never adds its folder to the PATH): (variable, default).
_WINDOWS_FOLDERS = (("ProgramFiles", r"C:\Program Files"), ("ProgramFiles(x86)", r"C:\Program Files (x86)"))
#: Where LibreOffice lands on macOS (the app bundle's program is not on the PATH either).
_MACOS_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")

_RECALC_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing or did not produce the expected file."""


def find_soffice() -> str | None:
    """Return the path of the LibreOffice executable, or None when it is not installed.

    Looks on the PATH (``soffice``, ``libreoffice``), then where the Windows and macOS installers put it.

    Returns:
        The path, or None.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.name == "nt":
        places = [Path(os.environ.get(v, d)) / "LibreOffice" / "program" / "soffice.exe" for v, d in _WINDOWS_FOLDERS]
    else:
        places = [_MACOS_SOFFICE]
    return next((str(p) for p in places if p.is_file()), None)


def install_hint(why: str = "LibreOffice is not installed") -> str:
    """How to install LibreOffice, one line per system, after why it is needed.

    Args:
        why: The first line.

    Returns:
        The text.
    """
    return why + "; install it:\n" + "\n".join(f"  {line}" for line in INSTALL_LINES)


def _convert(paths: list[Path], outdir: Path, target: str, recalculate: bool, timeout: float) -> list[Path]:
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeError(install_hint())
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mops-xl-lo-") as profile:
        if recalculate:
            user = Path(profile) / "user"
            user.mkdir(parents=True)
            (user / "registrymodifications.xcu").write_text(_RECALC_SETTINGS, encoding="utf-8")
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    suffix = "." + target.split(":")[0]
    outputs = [outdir / (p.stem + suffix) for p in paths]
    missing = [o for o in outputs if not o.is_file()]
    if missing:  # the exit code says nothing: a failed conversion still exits 0
        raise LibreOfficeError(
            f"LibreOffice wrote no {', '.join(m.name for m in missing)}: {(done.stderr or done.stdout).strip()[:500]}"
        )
    return outputs


def recalculate(paths: list[Path], outdir: Path, timeout: float = 600) -> list[Path]:
    """Open each workbook in LibreOffice with recalculation forced, and save the results as .xlsx.

    The files written are for checking values only (LibreOffice rewrites formulas): never ship them.

    Args:
        paths: The workbooks (converted in one LibreOffice call).
        outdir: Where the recalculated copies go (same file names).
        timeout: Seconds before giving up.

    Returns:
        The recalculated files, in the order of ``paths``.
    """
    return _convert(paths, outdir, "xlsx", True, timeout)


def export_pdf(path: Path, outdir: Path, timeout: float = 300) -> Path:
    """Export a workbook to PDF with LibreOffice (cached values, as Excel would print them).

    Args:
        path: The workbook.
        outdir: Where the PDF goes.
        timeout: Seconds before giving up.

    Returns:
        The PDF path.
    """
    return _convert([path], outdir, "pdf", False, timeout)[0]
