"""A folder build's ``--previous DIR``: the reports in that folder, read once (each one's business, currency and
Report as of, from the snapshot it carries), so each intake of the batch compares with the latest report of its
business (:func:`mops_xl.pipeline.previous_snapshot`). Reading a report never writes to it.
"""

from __future__ import annotations

from pathlib import Path

from mops_xl.analysis.review.snapshot import SnapshotError
from mops_xl.intake.file import output_kind
from mops_xl.outputs.workbook.snapshot_sheet import read_snapshot
from mops_xl.pipeline import PreviousReport

#: The document property values of the reports a ``--previous`` folder is searched for.
REPORT_KINDS = ("report", "values-only report")


def previous_reports(folder: Path) -> tuple[PreviousReport, ...]:
    """The reports of a folder that carry a snapshot, in name order (others, and unreadable ones, are skipped).

    Args:
        folder: The ``--previous`` folder.

    Returns:
        One :class:`PreviousReport` per report with a snapshot (its absolute path: a Dask worker reads it too).
    """
    found = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() != ".xlsx" or path.name.startswith("~$") or not path.is_file():
            continue
        if output_kind(path) not in REPORT_KINDS:
            continue
        try:
            snapshot = read_snapshot(path)
        except SnapshotError:
            continue
        if snapshot is not None:
            found.append(PreviousReport(snapshot.business, snapshot.currency, snapshot.as_of, path.absolute()))
    return tuple(found)
