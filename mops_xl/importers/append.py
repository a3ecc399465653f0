"""Importing exports into an intake: ad-platform exports into Actuals, journey exports into Touchpoints.

One path serves both sheets: the export is read (:mod:`mops_xl.importers.exports`), every channel is checked
against Channels, rows an earlier import already brought in are refused (or replaced with ``--replace``), and
a new intake is written: a copy of the user's workbook with the rows appended and the import recorded in its
Import log (never the input itself).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from mops_xl.importers.exports import ExportReading, ImportOptions
from mops_xl.importers.intake_copy import IntakeCopy
from mops_xl.intake.model import Intake
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.reader import close_match
from mops_xl.plural import count

#: The columns that identify an Actuals row: a second import of the same day, channel and campaign would double it.
KEY = ("Date", "Channel", "Campaign")


def skipped_note(rows: pd.DataFrame, export: str) -> str:
    """Say which lines of the export were left out (a report title above the header, total rows), or "".

    Args:
        rows: The rows :func:`read_export` returned.
        export: The export's file name.

    Returns:
        One line, or "" when nothing was skipped.
    """
    skipped = rows.attrs.get("skipped", {})
    parts = []
    if skipped.get("title"):
        parts.append(f"the {count(len(skipped['title']), 'line')} above the header (a report title)")
    if skipped.get("totals"):
        lines = ", ".join(str(n) for n in skipped["totals"][:5]) + (" …" if len(skipped["totals"]) > 5 else "")
        parts.append(f"{count(len(skipped['totals']), 'total row')} (line {lines})")
    return f"Skipped {' and '.join(parts)} of {export}" if parts else ""


def check_channels(
    intake: Intake, rows: pd.DataFrame, report: ValidationReport, export: str, sheet: str = "Actuals"
) -> None:
    """Report every channel of the imported rows that the intake's Channels lacks, at its first cell.

    Actuals must use the intake's channels (an error). A touch may be on a channel outside Channels, such as
    "(direct)": as when the intake is validated, that is a warning and the touch is attributed as its own
    channel.

    Args:
        intake: The intake.
        rows: The imported rows, as :func:`read_export` returns them.
        report: Where problems go.
        export: The export's file name (for the place of a problem).
        sheet: The sheet the rows go to.
    """
    touches = sheet == "Touchpoints"
    known = sorted(set(intake.channels["Channel"].dropna()))
    letter = rows.attrs.get("letters", {}).get("Channel")
    channels = rows["Channel"].dropna()
    unknown = channels[~channels.isin(known)]
    for channel, group in unknown.groupby(unknown, sort=False):
        lines = [str(n) for n in group.index[:5]]
        more = f" and {len(group) - 5} more" if len(group) > 5 else ""
        where = f"line {lines[0]}" if len(group) == 1 else f"lines {', '.join(lines)}{more}"
        hint = close_match(channel, known)
        code = "case-mismatch" if hint is not None and hint.casefold() == channel.casefold() else "unknown-reference"
        what = f'channel "{channel}" ({where}) is not in the intake\'s Channels'
        if hint is not None:
            what += f' (did you mean "{hint}"?' + (
                " names must match exactly, including case)" if code == "case-mismatch" else ")"
            )
        fix = "add it there or correct the export" if letter else "add it there or pass --channel"
        if touches:
            code, fix = "unknown-channel", "it is attributed as its own channel (add it there if it is one of yours)"
        first = int(group.index[0])
        report.add(
            code,
            f"{what}: {fix}",
            sheet=export,
            row=first,
            column="Channel",
            cell=f"{letter}{first}" if letter else None,
            channel=channel,
        )


def _plain(v: Any) -> Any:
    """A typed value as the copy writes it (None for missing)."""
    if isinstance(v, list):
        return v
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") and not isinstance(v, pd.Timestamp) else v


def _keys(frame: pd.DataFrame) -> pd.Series:
    campaign = frame["Campaign"].astype(object).where(frame["Campaign"].notna(), "")
    return pd.Series(list(zip(frame["Date"], frame["Channel"], campaign, strict=True)), index=frame.index)


def check_already_imported(
    intake: Intake, rows: pd.DataFrame, report: ValidationReport, export: str, replace: bool
) -> set[tuple[Any, ...]]:
    """Refuse Actuals rows whose date, channel and campaign the intake already has (an earlier import, or typed).

    Args:
        intake: The intake.
        rows: The imported Actuals rows.
        report: Where the refusal goes.
        export: The export's file name.
        replace: ``--replace``: the intake's rows with those keys are to be replaced, not refused.

    Returns:
        The keys to remove from the intake (empty unless ``replace``).
    """
    have = set(_keys(intake.actuals)) if not intake.actuals.empty else set()
    new = _keys(rows)
    clash = new[new.isin(have)]
    if clash.empty:
        return set()
    if replace:
        return set(clash)
    log = intake.tables.get("Import log")
    earlier = ""
    if log is not None and not log.empty:
        last = log.iloc[-1]
        earlier = f' (the Import log lists {count(len(log), "earlier import")}, the last of "{last["Export"]}")'
    lines = [str(n) for n in clash.index[:5]]
    date, channel, campaign = clash.iloc[0]
    report.add(
        "already-imported",
        f"{count(len(clash), 'row')} of the export (line {', '.join(lines)}{' …' if len(clash) > 5 else ''}) "
        f"{'repeats' if len(clash) == 1 else 'repeat'} a date, "
        f"channel and campaign the intake's Actuals already has{earlier}, e.g. {date:%Y-%m-%d}, {channel}, "
        f'"{campaign}": importing them again would double them. Pass --replace to replace those rows with the '
        "export's, or import only the new days",
        sheet=export,
        row=int(clash.index[0]),
    )
    return set()


def import_rows(
    intake: Intake,
    sheet: str,
    reading: ExportReading,
    out: Path,
    report: ValidationReport,
    export: str,
    options: ImportOptions,
    source: str,
) -> tuple[Path | None, list[str]]:
    """Append imported rows to one sheet of a copy of the intake, if the report has no error (every Actuals
    channel is in Channels, no row imported twice; a touch outside Channels is only a warning).

    Args:
        intake: The intake.
        sheet: Actuals or Touchpoints.
        reading: The export as read.
        out: The new intake's path.
        report: Where problems go (the export's cell problems included).
        export: The export's file name (for the place of a problem).
        options: The command line's options (``--replace``, ``--rate``, ``--channel``).
        source: The ``--source``.

    Returns:
        ``(path written or None when the report has an error, lines saying what else was done)``.
    """
    rows = reading.rows
    check_channels(intake, rows, report, export, sheet)
    remove = check_already_imported(intake, rows, report, export, options.replace) if sheet == "Actuals" else set()
    if not report.valid:
        return None, []
    copy = IntakeCopy(intake.source)
    said = list(copy.notes)
    if remove:
        gone = copy.remove_rows(sheet, remove, KEY)
        note = f"replaced {count(gone, 'Actuals row')} of the same date, channel and campaign (--replace)"
        reading.notes.append(note)
    copy.append(sheet, [{k: _plain(v) for k, v in rec.items()} for rec in rows.to_dict("records")])
    dates = rows["Date"] if "Date" in rows else rows["Timestamp"]
    channels = sorted(set(rows["Channel"].dropna()))
    copy.log(
        {
            "Imported at": dt.datetime.now().replace(microsecond=0),
            "Export": export,
            "Source": source,
            "Sheet": sheet,
            "Channel": ", ".join(channels),
            "Rows": len(rows),
            "First date": dates.min().normalize() if len(rows) else None,
            "Last date": dates.max().normalize() if len(rows) else None,
            "Export currency": reading.currency or None,
            "Rate": options.rate,
            "Time zone": reading.time_zone or None,
            "Notes": "; ".join(reading.notes) or None,
        }
    )
    return copy.save(out), said
