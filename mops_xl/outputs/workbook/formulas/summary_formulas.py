"""The Actuals summary's checks: formulas that each scan every Actuals row once, for the whole workbook, and that
the figures read to skip criteria which select nothing more (docs/metrics.md, "How a figure reads Actuals";
:func:`~.excel_formulas.actuals_sum`, :func:`~.excel_formulas.untracked`)."""

from __future__ import annotations

from typing import NamedTuple

from mops_xl.intake.model import TRACKABLE
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    KEYED_IN_WINDOW,
    KEYED_ROWS,
    NONE_BEFORE_START,
    col,
    keyed_give,
    name_for,
    window,
)


class ActualsCheck(NamedTuple):
    """One check: what it says, the defined name of its cell, its formula (no leading "=").

    ``column`` is the trackable column a "gives" check is about (None for the others).
    """

    label: str
    name: str
    formula: str
    column: str | None = None


def actuals_checks() -> list[ActualsCheck]:
    """Every check, in the sheet's order.

    Returns:
        The rows with a Channel key; whether they are all dated in the window; whether no row is older than Period
        start; for each trackable column, whether every row with a Channel key gives it.
    """
    key, date = col("Actuals", CHANNEL_KEY), col("Actuals", "Date")
    checks = [
        ActualsCheck("Rows with a Channel key", KEYED_ROWS, f'COUNTIF({key},"<>")'),
        ActualsCheck(
            "Every row with a Channel key is dated from Period start to Report as of",
            KEYED_IN_WINDOW,
            f'COUNTIFS({key},"<>",{window()})={KEYED_ROWS}',
        ),
        ActualsCheck(
            "No row is dated before Period start",
            NONE_BEFORE_START,
            f'COUNTIF({date},"<"&{name_for("Period start")})=0',
        ),
    ]
    checks += [
        ActualsCheck(
            f"Every row with a Channel key gives {column}",
            keyed_give(column),
            f'COUNTIFS({key},"<>",{col("Actuals", column)},"<>")={KEYED_ROWS}',
            column,
        )
        for column in TRACKABLE
    ]
    return checks
