"""The Actuals summary: a hidden sheet of a few checks over every Actuals row, which the figures read so that a
spreadsheet app recalculates a big report fast.

A figure's sum scans every Actuals row once per criterion, and the window's two date criteria are the dearest
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

from mops_xl.outputs.workbook.formulas.excel_formulas import KEYED_IN_WINDOW, KEYED_ROWS, NONE_BEFORE_START, sheet_ref
from mops_xl.outputs.workbook.formulas.summary_formulas import actuals_checks
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

    def values(self) -> dict[str, object]:
        """The value each check caches (the engine's), by its defined name.

        Returns:
            Name → a count or a boolean.
        """
        actuals, w = self.a.intake.actuals, self.a.window
        keyed = pd.Series([k is not None for k in self.keys.column(actuals["Channel"], "Channel")], index=actuals.index)
        dates = pd.to_datetime(actuals["Date"])
        in_window = dates.ge(pd.Timestamp(w.start)) & dates.le(pd.Timestamp(w.as_of))
        found: dict[str, object] = {
            KEYED_ROWS: float(keyed.sum()),
            KEYED_IN_WINDOW: bool((keyed & in_window).sum() == keyed.sum()),
            NONE_BEFORE_START: not bool(dates.lt(pd.Timestamp(w.start)).any()),
        }
        for check in actuals_checks():
            if check.column is not None:
                given = actuals[check.column].notna() if check.column in actuals else False
                found[check.name] = bool((keyed & given).sum() == keyed.sum())
        return found

    def write(self) -> None:
        """Write the checks, one a row (label, formula), name each, and hide the sheet."""
        ws = self.titled_sheet(
            SHEET,
            "Checks over every Actuals row that the figures read to skip criteria that select nothing more "
            "(docs/metrics.md, How a figure reads Actuals). Formulas: edit Actuals, not this sheet.",
        )
        values = self.values()
        for r, check in enumerate(actuals_checks(), start=3):
            ws.write_string(r, 0, check.label)
            number = self.fmt["integer"] if check.name == KEYED_ROWS else None
            ws.write_formula(r, 1, "=" + check.formula, number, values[check.name])
            self.wb.define_name(check.name, "=" + sheet_ref(SHEET, f"$B${r + 1}"))
        ws.hide()
