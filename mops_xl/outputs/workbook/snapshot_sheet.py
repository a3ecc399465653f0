"""The snapshot a report carries (:mod:`mops_xl.analysis.review.snapshot`), kept in a very hidden sheet so the next
build can say what changed without the old intake.

The sheet :data:`SHEET`: A1 the snapshot's version, then its JSON text split into cells of at most
:data:`CHUNK` characters down column A (an Excel cell holds 32,767), each written as a string, so no text is ever a
formula. "Very hidden": Excel's Unhide does not list it; it prints nowhere. A values-only report carries it too.

Reading it (:func:`read_snapshot`) opens the workbook read-only and never writes to it.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from mops_xl.analysis.review.snapshot import SNAPSHOT_VERSION, Snapshot, SnapshotError, snapshot_from_json

#: The sheet's name.
SHEET = "mops-xl snapshot"
#: The most characters one cell of the sheet holds.
CHUNK = 32_000


def write_snapshot(wb: Any, snapshot: Snapshot) -> None:
    """Add the very hidden snapshot sheet to a report workbook being written.

    Args:
        wb: The XlsxWriter workbook (a values-only one too).
        snapshot: The snapshot.
    """
    ws = wb.add_worksheet(SHEET)
    ws.very_hidden()
    ws.write_number(0, 0, snapshot.version)
    text = snapshot.to_json()
    for i, start in enumerate(range(0, len(text), CHUNK)):
        ws.write_string(i + 1, 0, text[start : start + CHUNK])


def read_snapshot(path: str | Path) -> Snapshot | None:
    """Read the snapshot a report carries.

    Args:
        path: The report workbook.

    Returns:
        The snapshot, or None when the workbook has no snapshot sheet (a report built before mops-xl kept them, or
        not a report at all).

    Raises:
        SnapshotError: The file is not a workbook, or its snapshot cannot be read (damaged, or of a newer version
            than this mops-xl reads).
    """
    import openpyxl  # here, not at the top: only a build compared with a previous report reads one
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(Path(path), read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, OSError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError) as err:
        raise SnapshotError(f"not an Excel workbook mops-xl can read ({type(err).__name__})") from err
    try:
        if SHEET not in wb.sheetnames:
            return None
        cells = [row[0] for row in wb[SHEET].iter_rows(min_col=1, max_col=1, values_only=True)]
    finally:
        wb.close()
    if not cells or not isinstance(cells[0], int | float):
        raise SnapshotError("a damaged mops-xl snapshot (no version in A1)")
    if int(cells[0]) > SNAPSHOT_VERSION:
        raise SnapshotError(
            f"its snapshot is version {int(cells[0])}, newer than this mops-xl reads ({SNAPSHOT_VERSION}): "
            "upgrade mops-xl, or rebuild last week's intake with this version"
        )
    text = "".join(str(c) for c in cells[1:] if c is not None)
    return snapshot_from_json(text)
