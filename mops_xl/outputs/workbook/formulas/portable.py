"""The live report's workbook: formulas written so that Excel, LibreOffice and Gnumeric evaluate them alike.

Excel and LibreOffice evaluate every argument of SUMPRODUCT as an array, functions inside it included
(``SUMPRODUCT(--EXACT(ChannelsChannel,$A2),ChannelsChannelKey)``). Gnumeric does so only in an array
formula: in a plain one, a function given a range inside SUMPRODUCT sees one cell of it (the implicit
intersection), and the sum fails with #VALUE!. So a formula holding SUMPRODUCT is written as a one-cell array
formula (``{=SUMPRODUCT(…)}``), which every engine evaluates as an array, with the same result.
"""

from __future__ import annotations

import re
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet


def needs_array(formula: str) -> bool:
    """Whether a cell formula must be an array formula to be evaluated alike in every engine.

    Args:
        formula: The formula, with its leading "=".

    Returns:
        True when it holds SUMPRODUCT (and is not already an array formula).
    """
    return "SUMPRODUCT(" in formula and not formula.startswith("{")


#: The dynamic-array functions XlsxWriter prefixes with ``_xlfn.`` (its ``_prepare_formula``, one regex each; the
#: report writes none of them, and a sheet name holding one is left alone only when none matches).
_DYNAMIC = re.compile(
    r"\b(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA|MAKEARRAY|MAP|RANDARRAY|"
    r"REDUCE|SCAN|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT|TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)"
    r"\(|SINGLE\("
)

#: The formulas XlsxWriter prepared, by (formula, expand_future_functions, use_future_functions): its result.
_PREPARED: dict[tuple[str, bool, bool], str] = {}
#: At most this many are kept (a batch of builds writes the same few rules again and again).
PREPARED_MOST = 4096


class PortableWorksheet(Worksheet):
    """A worksheet that writes each formula needing array evaluation (:func:`needs_array`) as an array formula."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """XlsxWriter's formula preparation, its 30 regex passes run only for a formula that holds one of the
        functions they rewrite (:data:`_DYNAMIC`): the same text, one search instead of 30 substitutions.

        Args:
            formula: The formula, with or without its "=" and array braces.
            expand_future_functions: Whether to prefix Excel's newer functions too (XlsxWriter's option).

        Returns:
            The formula as the file stores it.
        """
        if self.use_future_functions or expand_future_functions or "_xlfn." in formula or _DYNAMIC.search(formula):
            # XlsxWriter's own passes (over 100 with future functions, as for a conditional format), each text
            # once per process: the report writes the same status rules on sheet after sheet
            key = (formula, expand_future_functions, self.use_future_functions)
            if key not in _PREPARED:
                if len(_PREPARED) >= PREPARED_MOST:
                    _PREPARED.clear()
                _PREPARED[key] = str(super()._prepare_formula(formula, expand_future_functions))
            return _PREPARED[key]
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    def _write_formula(self, row: int, col: int, formula: str, cell_format: Any = None, value: Any = 0) -> Any:
        """Write a formula, as a one-cell array formula when it needs one.

        Args:
            row: The cell row (0-based).
            col: The cell column (0-based).
            formula: The formula, with its leading "=".
            cell_format: The cell format.
            value: The cached value (the engine's).

        Returns:
            XlsxWriter's status code.
        """
        if needs_array(formula):
            formula = "{" + formula + "}"
        return super()._write_formula(row, col, formula, cell_format, value)


class PortableWorkbook(xlsxwriter.Workbook):
    """The live report's workbook: its sheets are :class:`PortableWorksheet` unless a writer asks for another."""

    worksheet_class = PortableWorksheet
