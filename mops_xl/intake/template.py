"""Writing intake workbooks: the blank template, the filled example and the samples.

:func:`write_intake` lays out every sheet of the schema (headers, Excel tables, dropdowns for every
enumerated column, date/money/percent formats, frozen header rows, help) and fills in the given data.
The Instructions sheet is generated from the schema too. Text is always written as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import xlsxwriter

from mops_xl.atomic import atomic_output, private_workdir
from mops_xl.intake.load import TEMPLATE_PROPERTY, TEMPLATE_VERSION, VERSION_PROPERTY
from mops_xl.intake.schema import CHANNELS, INSTRUCTIONS_SHEET, MAX_CHANNELS, SCHEMA_VERSION, SHEETS, Field, Sheet

#: Intake data: sheet name → field dict (key/value sheets) or list of row dicts (table sheets).
IntakeData = Mapping[str, Any]

_LAST_ROW = 1_048_575  # zero-based index of Excel's last row
_NUM_FORMATS = {
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "money": "#,##0.00",
    "percent": "0%",
    "integer": "#,##0",
    "number": "#,##0.##",
}
#: The defined name of the Channels sheet's names: the list every Channel column's dropdown offers. It counts the
#: names under the header (COUNTA), so a channel added at the bottom of the sheet is in every dropdown at once.
CHANNEL_LIST = "ChannelList"
_WIDTHS = {"date": 12, "datetime": 17, "money": 14, "percent": 10, "integer": 12, "number": 12, "yesno": 10}


class _IntakeWriter:
    """Writes one intake workbook; one method per kind of sheet."""

    def __init__(self, workbook: xlsxwriter.Workbook, header_rows: Mapping[str, int] | None = None):
        self.wb = workbook
        self.header_rows = dict(header_rows or {})
        self.header = workbook.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1})
        self.title = workbook.add_format({"bold": True, "font_size": 16, "font_color": "#1F3864"})
        self.bold = workbook.add_format({"bold": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.help = workbook.add_format({"italic": True, "font_color": "#595959"})
        self.formats = {t: workbook.add_format({"num_format": f}) for t, f in _NUM_FORMATS.items()}

    # --- Public API ------------------------------------------------------------------------------------

    def write(self, data: IntakeData) -> None:
        """Write the Instructions sheet and every schema sheet, filled with ``data``."""
        self._instructions()
        self.wb.define_name(CHANNEL_LIST, channel_list_formula(self.header_rows.get(CHANNELS.name, 1)))
        for schema in SHEETS:
            given = data.get(schema.name)
            if schema.kind == "fields":
                self._fields_sheet(schema, given or {})
            else:
                prefill = [dict(zip(schema.field_names, r, strict=False)) for r in schema.prefill]
                rows: list[Mapping[str, Any]] = list(given) if given is not None else list(prefill)
                self._table_sheet(schema, rows)

    # --- Private API -----------------------------------------------------------------------------------

    def _instructions(self) -> None:
        ws = self.wb.add_worksheet(INSTRUCTIONS_SHEET)
        ws.set_column(0, 0, 18)
        ws.set_column(1, 1, 28)
        ws.set_column(2, 6, 14)
        ws.set_column(7, 7, 70)
        ws.write_string(0, 0, "mops-xl intake workbook", self.title)
        ws.write_string(1, 0, "Schema version", self.bold)
        ws.write_string(1, 1, SCHEMA_VERSION)
        steps = [
            "Fill in Business (required), then Channels, Budget and Actuals (required); the other sheets are "
            "optional and add sections to the report.",
            "Table sheets: one record per row under the header row; column order is free, headers are matched "
            "ignoring case and spaces, blank rows are skipped, extra columns are ignored.",
            "Key/value sheets (Business, Settings): the field name in column A, its value in column B.",
            "Names that other sheets refer to (channels, campaigns, tools) must match exactly.",
            "Dates as Excel dates; percentages as Excel percentages (80 %); all money in the Business currency.",
            "Check the workbook with: mops-xl validate intake.xlsx — build the report with: mops-xl build intake.xlsx",
        ]
        for i, step in enumerate(steps):
            ws.write_string(3 + i, 0, f"{i + 1}.")
            ws.write_string(3 + i, 1, step)
        row = 4 + len(steps)
        headers = ["Sheet", "Column / field", "Type", "Required", "Allowed values", "Default", "Unit", "Help"]
        for c, h in enumerate(headers):
            ws.write_string(row, c, h, self.header)
        ws.freeze_panes(row + 1, 0)
        for schema in SHEETS:
            row += 1
            ws.write_string(row, 0, schema.name, self.bold)
            ws.write_string(row, 1, "(sheet)")
            ws.write_string(row, 3, "Yes" if schema.required else "No")
            ws.write_string(row, 7, schema.purpose)
            for fld in schema.fields:
                row += 1
                cells = [
                    schema.name,
                    fld.name,
                    type_label(fld),
                    "Yes" if fld.required else "No",
                    ", ".join(fld.choices) + (" (or other text)" if fld.open_choices else ""),
                    default_label(fld),
                    fld.unit,
                    fld.help,
                ]
                for c, text in enumerate(cells):
                    if text:
                        ws.write_string(row, c, text)

    def _fields_sheet(self, schema: Sheet, given: Mapping[str, Any]) -> None:
        ws = self.wb.add_worksheet(schema.name)
        ws.set_column(0, 0, 32)
        ws.set_column(1, 1, 36)
        ws.set_column(2, 2, 90)
        for c, h in enumerate(("Field", "Value", "Help")):
            ws.write_string(0, c, h, self.header)
        ws.freeze_panes(1, 0)
        for r, fld in enumerate(schema.fields, start=1):
            ws.write_string(r, 0, fld.name, self.bold)
            value = given.get(fld.name, fld.default)
            self._cell(ws, r, 1, fld, value)
            ws.write_string(r, 2, _help_text(fld), self.help)
            self._validation(ws, r, 1, r, 1, fld)

    def _table_sheet(self, schema: Sheet, rows: list[Mapping[str, Any]]) -> None:
        ws = self.wb.add_worksheet(schema.name)
        names = schema.field_names
        for c, fld in enumerate(schema.fields):
            width = max(len(fld.name) + 4, _WIDTHS.get(fld.type, 18))
            ws.set_column(c, c, width, self.formats.get(fld.type))
            self._validation(ws, 1, c, _LAST_ROW, c, fld)
        for r, record in enumerate(rows, start=1):
            unknown = set(record) - set(names)
            if unknown:
                raise ValueError(f"{schema.name}: unknown columns {sorted(unknown)}")
            for c, fld in enumerate(schema.fields):
                self._cell(ws, r, c, fld, record.get(fld.name))
        last = max(len(rows), 1)
        ws.add_table(
            0,
            0,
            last,
            len(names) - 1,
            {
                "name": schema.name.replace(" ", "") + "Table",
                "style": "Table Style Light 9",
                "columns": [{"header": n} for n in names],
            },
        )
        for c, fld in enumerate(schema.fields):
            if fld.help:
                ws.write_comment(0, c, _help_text(fld), {"x_scale": 2})
        ws.freeze_panes(1, 0)

    def _cell(self, ws: Any, r: int, c: int, fld: Field, value: Any) -> None:
        if value is None or value == "":
            return
        fmt = self.formats.get(fld.type)
        if isinstance(value, bool):
            ws.write_string(r, c, "Yes" if value else "No")
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(r, c, value, fmt or self.formats["date"])
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, fmt)
        elif isinstance(value, (list, tuple)):
            ws.write_string(r, c, ", ".join(str(v) for v in value))
        else:
            ws.write_string(r, c, str(value))

    def _validation(self, ws: Any, r1: int, c1: int, r2: int, c2: int, fld: Field) -> None:
        if is_channel_column(fld):
            ws.data_validation(r1, c1, r2, c2, channel_dropdown(fld))
            return
        choices = fld.choices or (("Yes", "No") if fld.type == "yesno" else ())
        if not choices:
            return
        ws.data_validation(
            r1,
            c1,
            r2,
            c2,
            {
                "validate": "list",
                "source": list(choices),
                "error_type": "information" if fld.open_choices else "stop",
                "error_title": fld.name,
                "error_message": f"{fld.name} must be one of: {', '.join(choices)}"[:255],
            },
        )


def channel_list_formula(header_row: int = 1) -> str:
    """Return the formula of :data:`CHANNEL_LIST`: the Channels sheet's names under its header, as many as are filled.

    ``OFFSET(first name, 0, 0, number of names, 1)``, a range both Excel and LibreOffice accept as a dropdown's list;
    with no name yet it is the first (empty) cell.

    Args:
        header_row: The Excel row of the Channels sheet's header (1 in the template).

    Returns:
        The formula, e.g. ``=OFFSET(Channels!$A$2,0,0,MAX(1,COUNTA(Channels!$A$2:$A$5001)),1)``.
    """
    first, last = header_row + 1, header_row + MAX_CHANNELS
    names = f"Channels!$A${first}:$A${last}"
    return f"=OFFSET(Channels!$A${first},0,0,MAX(1,COUNTA({names})),1)"


def is_channel_column(fld: Field) -> bool:
    """Whether a field names channels of the Channels sheet (and so gets the channel dropdown).

    Args:
        fld: A schema field.

    Returns:
        True for a field that refers to the Channels sheet, or a field called Channel (Touchpoints, Import log).
    """
    return fld.refers_to == (CHANNELS.name, "Channel") or (fld.name == "Channel" and fld not in CHANNELS.fields)


def channel_dropdown(fld: Field) -> dict[str, Any]:
    """Return the data validation of a channel column: a dropdown of :data:`CHANNEL_LIST`.

    A column that must name a channel of Channels stops other text (Excel's list check ignores case, so the intake's
    own check still refuses "Linkedin Ads" for "LinkedIn Ads"); a list column (several channels, comma-separated) and
    a column that may name other channels (Touchpoints: ``(direct)``) offer the list and take any text.

    Args:
        fld: A channel field (:func:`is_channel_column`).

    Returns:
        The XlsxWriter ``data_validation`` options.
    """
    strict = fld.refers_to is not None and fld.type != "list"
    options: dict[str, Any] = {
        "validate": "list",
        "source": f"={CHANNEL_LIST}",
    }
    if strict:
        options.update(
            error_type="stop",
            error_title=fld.name,
            error_message="Pick a channel of the Channels sheet (names must match exactly); add a new one there first.",
        )
    else:
        options["show_error"] = False
    return options


def type_label(fld: Field) -> str:
    """Return the type as the Instructions sheet and docs name it.

    Args:
        fld: A schema field.

    Returns:
        E.g. ``"money"``, ``"date"``, ``"choice"``.
    """
    return {"yesno": "Yes/No", "list": "comma-separated list", "currency": "ISO 4217 code"}.get(fld.type, fld.type)


def default_label(fld: Field) -> str:
    """Return the default as the Instructions sheet and docs show it ("" when there is none).

    Args:
        fld: A schema field.

    Returns:
        The display text.
    """
    if fld.default is None:
        return ""
    if fld.type == "percent":
        return f"{fld.default:.0%}"
    return str(fld.default)


def _help_text(fld: Field) -> str:
    parts = [fld.help]
    if fld.refers_to:
        parts.append(f"Must match a {fld.refers_to[1]} in {fld.refers_to[0]}.")
    if fld.unit:
        parts.append(f"Unit: {fld.unit}.")
    return " ".join(p for p in parts if p)


def write_intake(path: str | Path, data: IntakeData | None = None) -> Path:
    """Write an intake workbook: the blank template, or one filled with ``data``.

    Args:
        path: Where to write the .xlsx (written atomically).
        data: Sheet name → ``{field: value}`` (Business, Settings) or a list of ``{column: value}`` rows
            (table sheets). Sheets not given get the template's pre-filled rows (Cadence, Assessment) or
            stay empty; fields not given show their default.

    Returns:
        The path written.
    """
    path = Path(path)
    with atomic_output(path) as tmp, private_workdir() as work:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "tmpdir": work},
        )
        props: dict[str, Any] = {
            "title": "mops-xl intake",
            "subject": "Marketing operations intake",
            "comments": f"Schema version {SCHEMA_VERSION}",
        }
        if data is None:  # the blank template is reproducible byte for byte apart from zip timestamps
            props["created"] = dt.datetime(2026, 1, 1)
        wb.set_properties(props)
        wb.set_custom_property(VERSION_PROPERTY, SCHEMA_VERSION)
        wb.set_custom_property(TEMPLATE_PROPERTY, TEMPLATE_VERSION)
        _IntakeWriter(wb).write(data or {})
        wb.close()
    return path
