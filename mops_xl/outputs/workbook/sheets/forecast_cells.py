"""The forecast's cells on the KPI Framework and Channel Performance: where each KPI and channel lands at period
end, as built values (the forecast is a simulation, not a formula; see :mod:`mops_xl.outputs.forecast_columns`).
"""

from __future__ import annotations

from typing import Any

from mops_xl.analysis.blocks.wording import UNDEFINED
from mops_xl.analysis.engine import Analysis
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.forecast_columns import (
    CHANCE_FORMAT,
    CHANNEL_FORECAST_COLUMNS,
    KPI_FORECAST_CAPTION,
    KPI_FORECAST_COLUMNS,
    KPI_FORECAST_VALUES_CAPTION,
    channel_forecast,
    kpi_forecast,
    low_high,
    money_format,
    shown,
)
from mops_xl.outputs.workbook.formulas.figure_formulas import number_format
from mops_xl.outputs.workbook.layout.cell_formats import Formats

#: Channel Performance's forecast table: each column's first and last sheet column (merged where a column of the
#: table above is too narrow for it, so the forecast does not widen the sheet).
CHANNEL_FORECAST_SPANS = dict(
    zip(("Channel", *CHANNEL_FORECAST_COLUMNS), ((0, 0), (1, 1), (2, 4), (5, 5), (6, 6), (7, 8), (9, 10)), strict=True)
)
#: The title and the line under it of Channel Performance's forecast table.
CHANNEL_FORECAST_TITLE = "Where each channel lands"
CHANNEL_FORECAST_NOTE = (
    "At period end, if the current pattern continues: each channel's spend and the KPI it is judged on (its primary "
    "metric; leads without one), likely (P50) with low–high (P10–P90), and the chance of its target where the "
    "Targets sheet sets it. Built values: rebuild after editing the data."
)
CHANNEL_FORECAST_VALUES_NOTE = (
    "At period end, if the current pattern continues: each channel's spend and the KPI it is judged on (its primary "
    "metric; leads without one), likely (P50) with low–high (P10–P90), and the chance of its target where the "
    "team's targets set it."
)


class ForecastCells:
    """Writes the forecast's figures onto the KPI Framework and Channel Performance.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        values_only: Whether the workbook is the values-only copy (no data to edit).
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis, values_only: bool):
        self.fmt, self.a, self.values_only = fmt, analysis, values_only
        self.prefix = symbol(analysis.intake.business["Currency"])
        self.money = wb.add_format({"num_format": money_format(self.prefix), "align": "right"})
        self.chance = wb.add_format({"num_format": CHANCE_FORMAT, "align": "right"})
        self.range = wb.add_format({"align": "center"})
        self.caption = wb.add_format({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})

    def kpi_columns(self, ws: Any, header_row: int, first_column: int) -> None:
        """The KPI Framework's Low, Likely, High and Chance of target, one row per KPI under its header row, with
        their caption above the headers.

        Args:
            ws: The KPI Framework.
            header_row: The table's header row.
            first_column: The column of Low.
        """
        last = first_column + len(KPI_FORECAST_COLUMNS) - 1
        caption = KPI_FORECAST_VALUES_CAPTION if self.values_only else KPI_FORECAST_CAPTION
        ws.merge_range(header_row - 1, first_column, header_row - 1, last, caption, self.caption)
        ws.write_row(header_row, first_column, list(KPI_FORECAST_COLUMNS), self.fmt["header"])
        figures = kpi_forecast(self.a)
        for i, (metric, f) in enumerate(figures.iterrows()):
            r = header_row + 1 + i
            for j, column in enumerate(KPI_FORECAST_COLUMNS):
                value = f[column]
                if column == "Chance of target":
                    self._put(ws, r, first_column + j, value, self.chance)
                else:
                    self._put(ws, r, first_column + j, shown(value, high=column == "High"), self._unit(str(metric)))

    def channel_table(self, ws: Any, top: int) -> int:
        """Channel Performance's forecast table: its title, the line under it, its header and one row per channel.

        Args:
            ws: Channel Performance.
            top: The row of its title.

        Returns:
            The first row under it.
        """
        ws.write_string(top, 0, CHANNEL_FORECAST_TITLE, self.fmt["title"])
        note = CHANNEL_FORECAST_VALUES_NOTE if self.values_only else CHANNEL_FORECAST_NOTE
        ws.write_string(top + 1, 0, note, self.fmt["note"])
        self._spanned_row(ws, top + 2, {h: h for h in CHANNEL_FORECAST_SPANS}, self.fmt["header"])
        figures = channel_forecast(self.a)
        for i, (channel, f) in enumerate(figures.iterrows()):
            r, metric = top + 3 + i, str(f["KPI"])
            ws.write_string(r, 0, str(channel))
            self._put(ws, r, 1, shown(f["Spend P50"]), self.money)
            spend_range = low_high("Spend", f["Spend P10"], f["Spend P90"], self.prefix)
            self._spanned(ws, r, "Spend low–high", spend_range, self.range)
            ws.write_string(r, CHANNEL_FORECAST_SPANS["KPI"][0], metric)
            self._put(ws, r, CHANNEL_FORECAST_SPANS["Likely"][0], shown(f["P50"]), self._unit(metric))
            self._spanned(ws, r, "Low–high", low_high(metric, f["P10"], f["P90"], self.prefix), self.range)
            self._spanned(ws, r, "Chance of target", f["Chance of target"], self.chance)
        return top + 3 + len(figures)

    def _unit(self, metric: str) -> Any:
        """The format of a forecast figure of a metric: money as the text writes it, else the metric's."""
        kind = number_format(metric)
        return self.money if kind == "money" else self.fmt.get(kind)

    def _put(self, ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
        """A figure: a number in its format, a text (Not tracked, no upper bound, –) as it is."""
        if isinstance(value, str):
            ws.write_string(r, c, value, fmt if fmt is self.fmt["header"] else None)
        elif value is None or value != value:  # NaN
            ws.write_string(r, c, UNDEFINED)
        else:
            ws.write_number(r, c, float(value), fmt)

    def _spanned_row(self, ws: Any, r: int, texts: dict[str, str], fmt: Any) -> None:
        for column, text in texts.items():
            self._spanned(ws, r, column, text, fmt)

    def _spanned(self, ws: Any, r: int, column: str, value: Any, fmt: Any) -> None:
        """A cell of the forecast table (a number, or a text such as a range or "–"), merged over its sheet
        columns when it spans several."""
        first, last = CHANNEL_FORECAST_SPANS[column]
        if not isinstance(value, str) and (value is None or value != value):
            value = UNDEFINED
        if first == last:
            self._put(ws, r, first, value, fmt)
        else:
            ws.merge_range(r, first, r, last, value if isinstance(value, str) else float(value), fmt)
