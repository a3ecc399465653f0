"""The report's cell formats, defined once."""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from mops_xl.analysis.blocks.statuses import (
    AHEAD,
    AT_RISK,
    BLOCKED,
    COVERED,
    DONE,
    GAP,
    IMPROVING,
    IN_PROGRESS,
    OFF_TRACK,
    ON,
    ON_TRACK,
    OVER,
    UNBUDGETED,
    UNDER,
    WORSENING,
)
from mops_xl.intake.currencies import symbol

NAVY = "#1F3864"
#: Every percentage of the report, alike: one decimal.
PERCENT_FORMAT = "0.0%"
#: A p-value with at least two significant digits down to 0.001, and "< 0.001" below (0.00057 never shows "0").
PVALUE_FORMAT = '[<0.001]"< 0.001";[<0.01]0.0000;0.000'


class Formats:
    """Every format the report uses, keyed by kind ("money", "percent", "ratio", "header", …).

    Args:
        wb: The workbook.
        currency: The ISO 4217 code of the intake's currency.
    """

    def __init__(self, wb: xlsxwriter.Workbook, currency: str):
        money = f'"{symbol(currency)}"#,##0.00'
        pvalue = PVALUE_FORMAT
        spec: dict[str, dict[str, Any]] = {
            "header": {
                "bold": True,
                "bg_color": NAVY,
                "font_color": "#FFFFFF",
                "border": 1,
                "text_wrap": True,
                "valign": "top",
            },
            "title": {"bold": True, "font_size": 14, "font_color": NAVY},
            "note": {"italic": True, "font_color": "#595959"},
            "bold": {"bold": True},
            "text": {},
            "wrap": {"text_wrap": True, "valign": "top"},
            "money": {"num_format": money, "align": "right"},
            "integer": {"num_format": "#,##0", "align": "right"},
            "rank": {"num_format": "0", "align": "center", "valign": "top"},  # a priority: 1, 2, 3 …
            # one decimal always: "#,##0.##" shows "2." in Excel and "2" beside "1.9"
            "number": {"num_format": "#,##0.0", "align": "right"},
            "percent": {"num_format": PERCENT_FORMAT, "align": "right"},
            "pvalue": {"num_format": pvalue, "align": "right"},
            "ratio": {"num_format": '0.0":1"', "align": "right"},
            "date": {"num_format": "yyyy-mm-dd"},
            "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
            "total_money": {"num_format": money, "bold": True, "top": 1},
            "input_money": {"num_format": money, "bg_color": "#FFF2CC", "border": 1, "align": "right"},
            "total_integer": {"num_format": "#,##0", "bold": True, "top": 1},
            "total_text": {"bold": True, "top": 1},
            "good": {"bg_color": "#C6EFCE", "font_color": "#006100"},
            "warn": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
            "bad": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
        }
        # figures align right, so an undefined one ("–", text) lines up with the numbers around it
        self._formats = {kind: wb.add_format(props) for kind, props in spec.items()}

    def __getitem__(self, kind: str) -> Any:
        return self._formats[kind]

    def colour_statuses(self, ws: Any, r1: int, c1: int, r2: int, c2: int) -> None:
        """Colour status words (Ahead, Over pace, Gap, Done, Worsening …) in a range by conditional formats, so
        a status a formula recalculates keeps the right colour.

        Args:
            ws: The worksheet.
            r1: First row (0-based).
            c1: First column.
            r2: Last row.
            c2: Last column.
        """
        for text, kind in STATUS_COLOURS.items():
            ws.conditional_format(
                r1, c1, r2, c2, {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": self._formats[kind]}
            )

    def colour_by_status(self, ws: Any, r1: int, c1: int, r2: int, c2: int, status_column: int) -> None:
        """Colour a range by the status word in another column of the same row (e.g. a trend arrow by its
        verdict: the arrow says which way the number moved, the colour whether that is good).

        Args:
            ws: The worksheet.
            r1: First row (0-based).
            c1: First column.
            r2: Last row.
            c2: Last column.
            status_column: The column holding the status word (0-based).
        """
        status = xl_rowcol_to_cell(r1, status_column, col_abs=True)
        for text, kind in STATUS_COLOURS.items():
            ws.conditional_format(
                r1, c1, r2, c2, {"type": "formula", "criteria": f'={status}="{text}"', "format": self._formats[kind]}
            )

    def get(self, kind: str | None) -> Any:
        """Return the format of a kind, or None for an unknown kind (plain cell).

        Args:
            kind: The kind, or None.

        Returns:
            The XlsxWriter format, or None.
        """
        return self._formats.get(kind) if kind else None


#: The colour of every status word the report shows: green good, amber watch, red act.
STATUS_COLOURS = {
    AHEAD: "good",
    ON_TRACK: "good",
    ON: "good",
    COVERED: "good",
    DONE: "good",
    IMPROVING: "good",
    AT_RISK: "warn",
    UNDER: "warn",
    UNBUDGETED: "warn",
    IN_PROGRESS: "warn",
    OFF_TRACK: "bad",
    OVER: "bad",
    GAP: "bad",
    BLOCKED: "bad",
    WORSENING: "bad",
}

#: Format kind of each schema type in the data sheets.
TYPE_FORMATS = {
    "money": "money",
    "integer": "integer",
    "number": "number",
    "percent": "percent",
    "date": "date",
    "datetime": "datetime",
}
