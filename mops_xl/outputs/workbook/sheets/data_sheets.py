"""The data sheets: the intake's tables carried into the report, so its formulas can reference them.

Each table sheet becomes an Excel table named ``tbl<Sheet>`` with the schema's canonical headers (unknown
extra columns left out), for the people who filter it; Business and Settings become Field | Value sheets
whose values carry defined names (``PeriodStart``, ``OverspendingThreshold`` …): the one place a leader edits a
target date or a threshold.

Actuals and Touchpoints can hold a million rows. They are written row by row to a temporary file
(XlsxWriter's constant-memory mode, which has no Excel tables) as plain ranges with a filter.

Formulas reach every data sheet's columns, tables and streamed sheets alike, through one defined name per
column (``ActualsSpend`` = ``Actuals!$D$2:$D$n``, ``ChannelsPaid`` = ``Channels!$F$2:$F$m``), declared in one
place (:meth:`DataSheets._column_names`): never through a structured reference (``tblChannels[Paid]``), which
Gnumeric and other spreadsheet apps do not read. The names cover the rows written; a row inserted inside the
data grows them, a row typed below the last one does not.

After its own columns a data sheet may carry key columns (:data:`KEY_COLUMNS`): the number of each row's
channel or campaign (:class:`NameKeys`), which the formulas select rows by, so that no name is ever read as a
wildcard or a comparison. Channels, Actuals and Campaigns hold the numbers; on Budget and Targets the key is
a formula (an EXACT lookup of the row's own Channel cell in Channels) that follows an edited Channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from mops_xl.analysis.figures.campaign_plans.campaigns import match_campaigns
from mops_xl.intake.model import Intake
from mops_xl.intake.schema import SHEETS, Sheet
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CAMPAIGN_KEY,
    CHANNEL_KEY,
    DERIVED_NAMES,
    PLAN_KEY,
    STREAMED_SHEETS,
    channel_key_lookup,
    col,
    name_for,
    sheet_ref,
    table,
    unkeyed_rows,
)
from mops_xl.outputs.workbook.layout.cell_formats import TYPE_FORMATS, Formats
from mops_xl.outputs.workbook.layout.fit import data_column_px
from mops_xl.outputs.workbook.layout.streamed_sheet import StreamedWorksheet, write_columns

#: Data sheets whose intake name is taken by a report sheet (the report's "Experiments" shows the results).
_RENAMED = {"Experiments": "Experiments data"}


def data_sheet_name(sheet: str) -> str:
    """The name of an intake sheet's copy in the report (the intake's name, unless a report sheet has it).

    Args:
        sheet: The intake sheet name.

    Returns:
        The report's data sheet name.
    """
    return _RENAMED.get(sheet, sheet)


#: The key columns each data sheet carries after its own: (header, the column whose name the key numbers).
KEY_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "Channels": ((CHANNEL_KEY, "Channel"),),
    "Budget": ((CHANNEL_KEY, "Channel"),),
    "Actuals": ((CHANNEL_KEY, "Channel"), (CAMPAIGN_KEY, "Campaign"), (PLAN_KEY, "Campaign")),
    "Targets": ((CHANNEL_KEY, "Channel"),),
    "Campaigns": ((CAMPAIGN_KEY, "Campaign"),),
}
#: Sheets whose channel key is a formula on each row (it follows an edited Channel; an added row copies it).
_CALCULATED_KEYS = ("Budget", "Targets")


def field_column_letter(sheet: str, field: str) -> str:
    """The column letter of an intake column in its data sheet (the schema's order).

    Args:
        sheet: The intake sheet name, e.g. "Campaigns".
        field: The column, e.g. "End date".

    Returns:
        E.g. "D".
    """
    fields = next(s for s in SHEETS if s.name == sheet).fields
    return xl_col_to_name([f.name for f in fields].index(field))


def key_column_letter(sheet: str, header: str) -> str:
    """The column letter of a key column in a data sheet (after the sheet's own columns).

    Args:
        sheet: The intake sheet name, e.g. "Budget".
        header: A key column of :data:`KEY_COLUMNS`, e.g. "Channel key".

    Returns:
        E.g. "E".
    """
    fields = next(s for s in SHEETS if s.name == sheet).fields
    headers = [h for h, _ in KEY_COLUMNS[sheet]]
    return xl_col_to_name(len(fields) + headers.index(header))


@dataclass(frozen=True)
class NameKeys:
    """The number each channel and campaign is found by in the report's formulas (its key).

    A channel's key is its place on the Channels sheet (1, 2, …). Campaign keys number the campaigns of the
    Campaigns sheet in its order, then the other campaigns of Actuals in order of first appearance. Names
    are compared exactly (case and all), as the engine compares them.

    Args:
        channels: Channel name → key.
        campaigns: Campaign name → key.
        plans: The Campaigns table, whose rows the Campaign plan key of Actuals points to.
    """

    channels: dict[str, int]
    campaigns: dict[str, int]
    plans: pd.DataFrame | None = None

    @classmethod
    def of(cls, intake: Intake) -> NameKeys:
        """Number the channels and campaigns of an intake.

        Args:
            intake: The intake.

        Returns:
            The keys.
        """
        channels = {name: i for i, name in enumerate(intake.channels["Channel"].dropna(), start=1)}
        names = pd.concat([intake.table("Campaigns")["Campaign"], intake.actuals["Campaign"]], ignore_index=True)
        campaigns = {name: i for i, name in enumerate(pd.unique(names.dropna()), start=1)}
        return cls(channels, campaigns, intake.table("Campaigns"))

    def plan_column(self, names: pd.Series) -> list[float | None]:
        """The plan keys of a column of Actuals campaigns: the key of the Campaigns row each one counts for
        (:func:`~mops_xl.analysis.figures.campaign_plans.campaigns.match_campaigns`), ``None`` where none.

        Args:
            names: Actuals Campaign names.

        Returns:
            One key (or ``None``) per name.
        """
        if self.plans is None or self.plans.empty:
            return [None] * len(names)
        return self.column(match_campaigns(names, self.plans), "Campaign")

    def column(self, names: pd.Series, kind: str) -> list[float | None]:
        """The keys of a column of names, for a key column (``None`` where a name is blank or unknown).

        Args:
            names: Channel or campaign names.
            kind: "Channel" or "Campaign".

        Returns:
            One key (or ``None``) per name.
        """
        keys = self.channels if kind == "Channel" else self.campaigns
        codes = pd.Index(list(keys), dtype=object).get_indexer(names.astype(object)) + 1
        return [float(k) if k > 0 else None for k in codes.tolist()]


#: Day 0 of Excel's 1900 date system as XlsxWriter counts it (serial 1 = 1900-01-01).
_EXCEL_DAY_ZERO = pd.Timestamp("1899-12-31")


def column_cells(series: pd.Series) -> tuple[list[Any], bool]:
    """Turn a typed intake column into the values XlsxWriter writes, converted column-wise.

    Dates become Excel serial numbers (as ``write_datetime`` computes them), Yes/No and lists become text,
    missing values ``None``.

    Args:
        series: A typed intake column.

    Returns:
        ``(values, numeric)``: the cell values and whether they are numbers (else text).
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        days = (series - _EXCEL_DAY_ZERO) / pd.Timedelta(days=1)
        days = days + (days > 59)  # Excel counts a 29 February 1900 that never was
        return _none_for_missing(days), True
    if pd.api.types.is_bool_dtype(series):
        return [None if pd.isna(v) else ("Yes" if v else "No") for v in series.astype(object)], False
    if pd.api.types.is_numeric_dtype(series):
        return _none_for_missing(series.astype("float64")), True
    values: list[str | None] = []
    for v in series.astype(object):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            values.append(None)
        else:
            values.append(", ".join(v) if isinstance(v, list) else str(v))
    return values, False


def _none_for_missing(numbers: pd.Series) -> list[float | None]:
    values = numbers.to_numpy(dtype="float64", na_value=np.nan)
    out: list[float | None] = values.tolist()
    for i in np.flatnonzero(np.isnan(values)).tolist():
        out[i] = None
    return out


class DataSheets:
    """Writes the data sheets and defines the names the formulas use.

    Args:
        wb: The workbook.
        formats: The report's formats.
        intake: The intake whose data is carried.
    """

    def __init__(self, wb: xlsxwriter.Workbook, formats: Formats, intake: Intake):
        self.wb, self.fmt, self.intake = wb, formats, intake
        self.keys = NameKeys.of(intake)

    def write_all(self) -> None:
        """Write every data sheet, in schema order, and define the names."""
        for schema in SHEETS:
            if schema.kind == "fields":
                self._fields(schema)
            else:
                self._table(schema)
        for name, formula in DERIVED_NAMES.items():
            self.wb.define_name(name, formula)

    def row_of(self, sheet: str, intake_row: int) -> int:
        """The 1-based Excel row in the data sheet of an intake record.

        Args:
            sheet: The table sheet.
            intake_row: The record's row in the intake (its index in the intake table).

        Returns:
            The row number in the report's data sheet.
        """
        return list(self.intake.table(sheet).index).index(intake_row) + 2

    def _fields(self, schema: Sheet) -> None:
        values = self.intake.business if schema.name == "Business" else self.intake.settings
        ws = self.wb.add_worksheet(data_sheet_name(schema.name))
        ws.write_row(0, 0, ["Field", "Value"], self.fmt["header"])
        for r, fld in enumerate(schema.fields, start=1):
            ws.write_string(r, 0, fld.name)
            (value,), numeric = column_cells(pd.Series([values.get(fld.name)]))
            if value is not None:
                (ws.write_number if numeric else ws.write_string)(r, 1, value, self.fmt.get(TYPE_FORMATS.get(fld.type)))
            self.wb.define_name(name_for(fld.name), "=" + sheet_ref(schema.name, f"$B${r + 1}"))
        ws.write_string(
            len(schema.fields) + 2, 0, "Edit values here: every formula of the report reads them.", self.fmt["note"]
        )
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 36)
        ws.freeze_panes(1, 0)

    def _table(self, schema: Sheet) -> None:
        frame = self.intake.table(schema.name)
        streamed = schema.name in STREAMED_SHEETS
        ws = self.wb.add_worksheet(
            data_sheet_name(schema.name), worksheet_class=StreamedWorksheet if streamed else None
        )
        keys = KEY_COLUMNS.get(schema.name, ())
        calculated = schema.name in _CALCULATED_KEYS
        headers = [f.name for f in schema.fields] + [h for h, _ in keys]
        formats = [self.fmt.get(TYPE_FORMATS.get(f.type)) for f in schema.fields] + [self.fmt["integer"]] * len(keys)
        last_row, last_col = max(len(frame), 1), len(headers) - 1
        cells = [column_cells(frame[f.name]) for f in schema.fields]
        if not calculated:
            cells += [
                (self.keys.plan_column(frame[name]) if h == PLAN_KEY else self.keys.column(frame[name], name), True)
                for h, name in keys
            ]
        _fit_columns(ws, headers, cells, formats)
        if streamed:
            unkeyed = sum(k is None for k in cells[len(schema.fields)][0]) if keys else None
            self._streamed_header(ws, schema, headers, last_row, unkeyed)
        write_columns(ws, 1, cells, formats)
        self._column_names(schema, headers, last_row)
        if streamed:
            ws.autofilter(0, 0, last_row, last_col)
            ws.freeze_panes(1, 0)
            return
        columns: list[dict[str, Any]] = [{"header": h} for h in headers]
        ws.add_table(
            0,
            0,
            last_row,
            last_col,
            {"name": table(schema.name), "style": "Table Style Light 9", "columns": columns},
        )
        if calculated:  # each row's key, from its own Channel cell, cached
            channel = field_column_letter(schema.name, "Channel")
            found = self.keys.column(frame["Channel"], "Channel") if len(frame) else [None]
            for r, key in enumerate(found, start=1):
                ws.write_formula(r, last_col, channel_key_lookup(f"${channel}{r + 1}"), formats[last_col], key or 0.0)

    def _streamed_header(self, ws: Any, schema: Sheet, headers: list[str], last_row: int, unkeyed: int | None) -> None:
        """The header row of a streamed sheet, a note on its names (and keys), and one defined name per column.

        A sheet with key columns (Actuals) also gets, beside its header, how many rows have a date but no
        Channel key (rows added by hand without their keys), so a leader sees why the channels no longer add
        up to the total; ``unkeyed`` is that count as written (``None`` for a sheet without keys).
        """
        ws.write_row(0, 0, headers, self.fmt["header"])
        names = [col(schema.name, h) for h in headers]
        note = (
            f"Formulas read these columns through the names {names[0]} … {names[-1]}; to add rows, insert them "
            "above the last row so the names grow"
        )
        c = len(headers) + 1
        if unkeyed is not None:
            ws.write_formula(0, c, unkeyed_rows(schema.name), self.fmt["integer"], float(unkeyed))
            c += 1
            note = (
                "rows without a Channel key: they count in the KPI Framework's all-channel volumes, in no channel. "
                + note
                + ", and fill in each added row's Channel key (the channel's number in the Channels sheet's "
                "Channel key column) and Campaign key (the number on another row of the same campaign, or in the "
                "Campaigns sheet; blank without a campaign) and Campaign plan key (the key of the Campaigns row "
                "whose spend it counts in, blank for none). Formulas find a channel's or a campaign's rows by "
                "these numbers, so a name is matched exactly whatever it holds"
            )
        ws.write_string(0, c, note + ".", self.fmt["note"])

    def _column_names(self, schema: Sheet, headers: list[str], last_row: int) -> None:
        """Define the name of each column of a data sheet (:func:`col`): its data rows, a plain absolute range.

        Args:
            schema: The intake sheet.
            headers: The sheet's columns, in order (its own, then its keys).
            last_row: The last data row (0-based; the header is row 0).
        """
        sheet = data_sheet_name(schema.name)
        for j, header in enumerate(headers):
            letter = xl_col_to_name(j)
            self.wb.define_name(
                col(schema.name, header), "=" + sheet_ref(sheet, f"${letter}$2:${letter}${last_row + 1}")
            )


def _fit_columns(ws: Any, headers: list[str], cells: list[tuple[list[Any], bool]], formats: list[Any]) -> None:
    """Fit each column to its values as shown (a date, "$9,126.38"), never "###"; a calculated column (beyond
    ``cells``) to its header."""
    for c, header in enumerate(headers):
        values = _widest_candidates(*cells[c]) if c < len(cells) else []
        num_format = formats[c].num_format if formats[c] is not None else None
        ws.set_column_pixels(c, c, data_column_px(values, num_format or None, header), formats[c])


def _widest_candidates(values: list[Any], numeric: bool) -> list[Any]:
    """The values of a column (see :func:`column_cells`) that can be its widest as shown: the largest and the smallest
    number, or each distinct text (what :func:`data_column_px` looks at, without going through every row again)."""
    if not numeric:
        return list(set(values) - {None})
    numbers = values if None not in values else [v for v in values if v is not None]
    return [max(numbers), min(numbers)] if numbers else []
