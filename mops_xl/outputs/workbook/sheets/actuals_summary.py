"""The Actuals summary: a hidden sheet of a few checks over every Actuals row, which the figures read so that a
spreadsheet app recalculates a big report fast.

A figure's SUMIFS scans every Actuals row once per criterion, and the window's two date criteria are the dearest
(docs/metrics.md, "How a figure reads Actuals"). Each check here scans Actuals once, for the whole workbook:

- how many rows have a Channel key (:data:`~.excel_formulas.KEYED_ROWS`);
- whether every row with a Channel key is dated in the window (:data:`~.excel_formulas.KEYED_IN_WINDOW`): then a
  channel's or a campaign's period-to-date sum needs no date criteria;
- whether no row is dated before Period start (:data:`~.excel_formulas.NONE_BEFORE_START`): then a sum from
  Period start needs only its last day;
- for each trackable column, whether every row with a Channel key gives it (:func:`~.excel_formulas.keyed_give`):
  then "Not tracked" only asks whether a channel or campaign has rows.

The checks are formulas over Actuals, so an edited Actuals row flows through them to every figure.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mops_xl.intake.model import TRACKABLE
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    KEYED_IN_WINDOW,
    KEYED_ROWS,
    NONE_BEFORE_START,
    col,
    keyed_give,
    name_for,
    sheet_ref,
    window,
)
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter
from mops_xl.outputs.workbook.sheets.data_sheets import NameKeys

#: The sheet's name.
SHEET = "Actuals summary"


class ActualsSummary(SheetWriter):
    """Writes the Actuals summary (hidden) and defines the names of its checks.

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results.
        keys: The channels' and campaigns' keys, as the Actuals sheet carries them.
    """

    def __init__(self, wb: Any, fmt: Any, analysis: Any, keys: NameKeys):
        super().__init__(wb, fmt, analysis)
        self.keys = keys

    def checks(self) -> list[tuple[str, str, str, Any]]:
        """Each check: (its label, its defined name, its formula, the value it caches).

        Returns:
            The checks, in the sheet's order.
        """
        actuals, w = self.a.intake.actuals, self.a.window
        keyed = pd.Series([k is not None for k in self.keys.column(actuals["Channel"], "Channel")], index=actuals.index)
        dates = pd.to_datetime(actuals["Date"])
        in_window = dates.ge(pd.Timestamp(w.start)) & dates.le(pd.Timestamp(w.as_of))
        key, date = col("Actuals", CHANNEL_KEY), col("Actuals", "Date")
        rows = [
            ("Rows with a Channel key", KEYED_ROWS, f'COUNTIF({key},"<>")', float(keyed.sum())),
            (
                "Every row with a Channel key is dated from Period start to Report as of",
                KEYED_IN_WINDOW,
                f'COUNTIFS({key},"<>",{window()})={KEYED_ROWS}',
                bool((keyed & in_window).sum() == keyed.sum()),
            ),
            (
                "No row is dated before Period start",
                NONE_BEFORE_START,
                f'COUNTIF({date},"<"&{name_for("Period start")})=0',
                not bool(dates.lt(pd.Timestamp(w.start)).any()),
            ),
        ]
        for column in TRACKABLE:
            given = actuals[column].notna() if column in actuals else pd.Series(False, index=actuals.index)
            rows.append(
                (
                    f"Every row with a Channel key gives {column}",
                    keyed_give(column),
                    f'COUNTIFS({key},"<>",{col("Actuals", column)},"<>")={KEYED_ROWS}',
                    bool((keyed & given).sum() == keyed.sum()),
                )
            )
        return rows

    def write(self) -> None:
        """Write the checks, one a row (label, formula), name each, and hide the sheet."""
        ws = self.titled_sheet(
            SHEET,
            "Checks over every Actuals row that the figures read to skip criteria that select nothing more "
            "(docs/metrics.md, How a figure reads Actuals). Formulas: edit Actuals, not this sheet.",
        )
        for r, (label, name, formula, value) in enumerate(self.checks(), start=3):
            ws.write_string(r, 0, label)
            ws.write_formula(r, 1, "=" + formula, self.fmt["integer"] if name == KEYED_ROWS else None, value)
            self.wb.define_name(name, "=" + sheet_ref(SHEET, f"$B${r + 1}"))
        ws.hide()
