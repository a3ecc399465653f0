"""Importing ad-platform exports into an intake: map the export's columns, validate every cell, and write a
new intake with the rows appended (never the input itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from .coerce import coerce_column
from .intake import Intake
from .problems import Report
from .schema import ACTUALS, SHEETS
from .template import write_intake


@dataclass(frozen=True)
class ExportFormat:
    """How one platform's standard export maps onto Actuals columns.

    Args:
        name: The ``--source`` name.
        channel: The channel the rows belong to (the intake's Channels must have it; ``--channel`` overrides).
        columns: Actuals column → the export's column header (the first found of several alternatives).
    """

    name: str
    channel: str
    columns: dict[str, tuple[str, ...]]


FORMATS = {f.name: f for f in (
    ExportFormat("google-ads", "Google Ads", {
        "Date": ("Day", "Date"), "Campaign": ("Campaign",), "Spend": ("Cost",), "Impressions": ("Impr.", "Impressions"),
        "Clicks": ("Clicks",), "Leads": ("Conversions",), "Revenue": ("Conv. value", "Conversion value")}),
    ExportFormat("meta-ads", "Meta Ads", {
        "Date": ("Day", "Reporting starts"), "Campaign": ("Campaign name",),
        "Spend": ("Amount spent (USD)", "Amount spent (EUR)", "Amount spent (GBP)", "Amount spent"),
        "Impressions": ("Impressions",), "Clicks": ("Link clicks", "Clicks (all)"), "Leads": ("Leads",),
        "Customers": ("Purchases",), "Revenue": ("Purchases conversion value",)}),
    ExportFormat("linkedin-ads", "LinkedIn Ads", {
        "Date": ("Start Date (in UTC)", "Date"), "Campaign": ("Campaign Name",), "Spend": ("Total Spent",),
        "Impressions": ("Impressions",), "Clicks": ("Clicks",), "Leads": ("Leads",)}),
)}


def mapping_for(source: str, generic: dict[str, str] | None = None) -> ExportFormat:
    """The column mapping of a ``--source``; ``generic`` takes ``{"Spend": "cost", …}``.

    Args:
        source: google-ads, meta-ads, linkedin-ads or generic.
        generic: For generic: Actuals column → export header.

    Returns:
        The :class:`ExportFormat`.
    """
    if source == "generic":
        return ExportFormat("generic", "", {k: (v,) for k, v in (generic or {}).items()})
    return FORMATS[source]


def read_export(path: Path, fmt: ExportFormat, channel: str | None, report: Report) -> pd.DataFrame | None:
    """Read an export CSV into typed Actuals rows, naming every bad cell (``export.csv!C7``).

    Args:
        path: The CSV file.
        fmt: Its column mapping.
        channel: The channel of every row (default: the format's; generic exports may carry a Channel column).
        report: Where problems go.

    Returns:
        The rows with the Actuals columns, or None when the export cannot be used.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        report.add("corrupt-workbook", f"{path.name}: cannot be read as CSV ({type(exc).__name__})")
        return None
    headers = {h.strip().casefold(): i for i, h in enumerate(raw.columns)}
    index = pd.RangeIndex(2, len(raw) + 2)  # the CSV's line numbers (line 1 is the header)
    out: dict[str, pd.Series] = {}
    for fld in ACTUALS.fields:
        found = next((headers[h.casefold()] for h in fmt.columns.get(fld.name, ()) if h.casefold() in headers), None)
        if fld.name == "Channel":
            if channel or (fmt.channel and "channel" not in headers):  # --channel wins over the export
                out[fld.name] = pd.Series(channel or fmt.channel, index=index, dtype=object)
                continue
            found = headers.get("channel")
            if found is None:
                report.add("missing-column", f"{path.name}: say which channel the rows are for: --channel NAME, "
                           "or a Channel column", sheet=path.name)
                return None
        if found is None:
            if fld.required:
                report.add("missing-column", f"{path.name}: the export has no column for {fld.name} (expected "
                           f"{' or '.join(fmt.columns.get(fld.name, ()) ) or fld.name})", sheet=path.name)
                return None
            values, problems = coerce_column(pd.Series("", index=index, dtype=object), fld, sheet=path.name,
                                             letter="?")
        else:
            text = raw.iloc[:, found].str.strip()
            if fld.type in ("money", "number", "integer", "percent"):
                text = text.str.replace(",", "", regex=False)  # thousands separators: "1,200.50"
            values, problems = coerce_column(pd.Series(text.to_numpy(), index=index, dtype=object), fld,
                                             sheet=path.name, letter=xl_col_to_name(found))
        report.extend(p for p in problems if p.code != "text-date")  # CSV dates are always text
        out[fld.name] = values
    return pd.DataFrame(out, index=index)


def _plain(v: Any) -> Any:
    """A typed intake value as write_intake takes it (None for missing, date for a date without time)."""
    if isinstance(v, list):
        return v
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime() if (v.hour or v.minute or v.second) else v.date()
    return v.item() if hasattr(v, "item") else v


def intake_data(intake: Intake) -> dict[str, Any]:
    """An intake's values as :func:`mops_xl.write_intake` takes them (canonical columns; extras left out).

    Args:
        intake: The intake.

    Returns:
        Sheet → fields or rows.
    """
    plain = _plain
    data: dict[str, Any] = {"Business": {k: plain(v) for k, v in intake.business.items()},
                            "Settings": {k: plain(v) for k, v in intake.settings.items()}}
    for schema in SHEETS:
        if schema.kind == "table":
            frame = intake.table(schema.name)
            data[schema.name] = [{c: plain(v) for c, v in row.items()} for row in frame.to_dict("records")]
    return data


def import_actuals(intake: Intake, rows: pd.DataFrame, out: Path, report: Report, export: str) -> Path | None:
    """Append imported rows to a copy of the intake, if every row's channel is in Channels.

    Args:
        intake: The intake.
        rows: The imported Actuals rows.
        out: The new intake's path.
        report: Where problems go.
        export: The export's file name (for the place of a problem).

    Returns:
        The path written, or None when a channel is unknown.
    """
    known = set(intake.channels["Channel"])
    for channel, group in rows.groupby("Channel"):
        if channel not in known:
            report.add("unknown-reference", f'channel "{channel}" (line {int(group.index[0])}) is not in the intake\'s '
                       "Channels: add it there or pass --channel", sheet=export, row=int(group.index[0]))
    if not report.valid:
        return None
    data = intake_data(intake)
    data["Actuals"] += [{k: _plain(v) for k, v in rec.items()} for rec in rows.to_dict("records")]
    data["Actuals"].sort(key=lambda r: (r["Date"] or dt.date.min, r["Channel"] or ""))
    return write_intake(out, data)
