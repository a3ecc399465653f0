"""The live report's worksheet prepares a formula as XlsxWriter does, with one search instead of 30 substitutions."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from mops_xl.outputs.workbook.formulas.portable import PortableWorkbook

FORMULAS = [
    "=SUMIFS(ActualsSpend,ActualsChannelKey,3)",  # the report's everyday formula: nothing to prefix
    "{=SUMPRODUCT(--EXACT(ChannelsChannel,$A2),ChannelsChannelKey)}",  # a one-cell array formula
    "=IF(LEN('Channel Performance'!$A$5)>24,LEFT('Channel Performance'!$A$5,18)&\"…\",'Channel Performance'!$A$5)",
    "=XLOOKUP(A1,B1:B9,C1:C9)",  # a dynamic-array function: XlsxWriter prefixes it
    "=SORT(A1:A9)",
    "=_xlfn.STDEV.S(A1:A9)",  # already prefixed: left as it is
    "='Sheet SORT'!A1+1",  # a function's name in a sheet name, not followed by "("
    "=STDEV.S(A1:A9)>1",  # a future function: prefixed only with future functions on (a conditional format's rule)
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_is_prepared_as_xlsxwriter_prepares_it(tmp_path: Path, formula: str) -> None:
    plain = xlsxwriter.Workbook(str(tmp_path / "plain.xlsx")).add_worksheet()
    portable = PortableWorkbook(str(tmp_path / "portable.xlsx")).add_worksheet()
    assert portable._prepare_formula(formula) == plain._prepare_formula(formula)
    assert portable._prepare_formula(formula, True) == plain._prepare_formula(formula, True)


def test_the_prefix_is_added_where_xlsxwriter_adds_it(tmp_path: Path) -> None:
    portable = PortableWorkbook(str(tmp_path / "portable.xlsx")).add_worksheet()
    assert portable._prepare_formula("=XLOOKUP(A1,B1:B9,C1:C9)") == "_xlfn.XLOOKUP(A1,B1:B9,C1:C9)"
    assert portable._prepare_formula("{=SUMPRODUCT(A1:A3)}") == "SUMPRODUCT(A1:A3)"


def test_a_prepared_formula_remembered_follows_each_workbooks_option(tmp_path: Path) -> None:
    plain = PortableWorkbook(str(tmp_path / "plain.xlsx")).add_worksheet()
    future = PortableWorkbook(str(tmp_path / "future.xlsx"), {"use_future_functions": True}).add_worksheet()
    for _ in range(2):  # the second time from what was remembered
        assert plain._prepare_formula("=STDEV.S(A1:A9)") == "STDEV.S(A1:A9)"
        assert future._prepare_formula("=STDEV.S(A1:A9)") == "_xlfn.STDEV.S(A1:A9)"
        assert plain._prepare_formula("=STDEV.S(A1:A9)", True) == "_xlfn.STDEV.S(A1:A9)"
