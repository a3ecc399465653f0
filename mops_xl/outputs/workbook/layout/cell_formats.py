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
#: The decimals each figure kind shows by default; a target to date and an actual beside an attainment take more
#: where a reader needs them to redo it (:func:`mops_xl.analysis.blocks.wording.redo_digits`).
DIGITS = {"money": 2, "integer": 0, "number": 1, "ratio": 1, "percent": 1}


def figure_format(kind: str, digits: int, prefix: str) -> str:
    """The number format of a figure kind with a number of decimals: "money" 2 → '"$"#,##0.00', "ratio" 2 →
    '0.00":1"', "integer" 1 → "#,##0.0".

    Args:
        kind: "money", "integer", "number", "ratio" or "percent".
        digits: The decimals.
        prefix: The currency prefix (e.g. "$").

    Returns:
        The Excel number format.
    """
    decimals = "." + "0" * digits if digits > 0 else ""
    if kind == "money":
        return f'"{prefix}"#,##0{decimals}'
    if kind == "ratio":
        return f'0{decimals}":1"'
    if kind == "percent":
        return f"0{decimals}%"
    return f"#,##0{decimals}"


class Formats:
    """Every format the report uses, keyed by kind ("money", "percent", "ratio", "header", …).

    Args:
        wb: The workbook.
        currency: The ISO 4217 code of the intake's currency.
    """

    def __init__(self, wb: xlsxwriter.Workbook, currency: str):
        self._wb, self.prefix = wb, symbol(currency)
        money = figure_format("money", DIGITS["money"], self.prefix)
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
            "flag": {"align": "center"},  # a Yes/No answer: apart from the figure right-aligned before it
            # one decimal always: "#,##0.##" shows "2." in Excel and "2" beside "1.9"
            "number": {"num_format": "#,##0.0", "align": "right"},
            # a trend of leads a day says its unit, so it reads apart from the $ and :1 trends in its column
            "leads_per_day": {"num_format": '#,##0.0" leads/day"', "align": "right"},
            "percent": {"num_format": PERCENT_FORMAT, "align": "right"},
            "pvalue": {"num_format": pvalue, "align": "right"},
            "ratio": {"num_format": figure_format("ratio", DIGITS["ratio"], ""), "align": "right"},
            "date": {"num_format": "yyyy-mm-dd"},
            "datetime": {"num_format": "yyyy-mm-dd hh:mm"},
            "week": {"num_format": "d mmm"},  # a timeline week's first day, in a narrow column
            "note_wrap": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
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

    def with_digits(self, kind: str | None, digits: int) -> Any:
        """The format of a figure kind with a number of decimals (its own format when that is its default), so a
        target to date and an actual show the decimals a reader needs to redo the attainment beside them.

        Args:
            kind: A figure kind ("money", "integer", "ratio", "percent"), or None (plain cell).
            digits: The decimals.

        Returns:
            The XlsxWriter format (one per kind and decimals), or None for None.
        """
        if kind is None or kind not in DIGITS or digits == DIGITS[kind]:
            return self.get(kind)
        key = f"{kind}:{digits}"
        if key not in self._formats:
            self._formats[key] = self._wb.add_format(
                {"num_format": figure_format(kind, digits, self.prefix), "align": "right"}
            )
        return self._formats[key]

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
