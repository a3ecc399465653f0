"""Random junk in any cell of a valid intake never crashes the reader: it becomes problems with a place."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from intake_builders import write_valid

from mops_xl import analyse, read_intake
from mops_xl.intake.schema import SHEETS

pytestmark = pytest.mark.slow  # many hypothesis-generated workbooks

junk = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),  # what a cell can hold
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://x","y")',
            "#REF!",
            "NaN",
            "inf",
            "-0",
            "1e309",
            "  ",
            "\t",
            "2026-13-45",
            "31/02/2026",
            "Yes",
            "no",
            "TRUE",
            "—",
            "🙂",
            "x" * 2000,
        ]
    ),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
)
sheet_names = [s.name for s in SHEETS]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_valid(tmp_path_factory.mktemp("junk") / "base.xlsx")


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(cells=[("Actuals", 2, 1, -(10**15))])  # issue 18: in a date-formatted cell it made the reader panic
@given(
    cells=st.lists(
        st.tuples(st.sampled_from(sheet_names), st.integers(1, 9), st.integers(1, 12), junk), min_size=1, max_size=4
    )
)
def test_junk_never_raises(base: Path, tmp_path: Path, cells: list) -> None:
    path = tmp_path / "junk.xlsx"
    shutil.copy(base, path)
    wb = openpyxl.load_workbook(path)
    for sheet, row, col, value in cells:
        if isinstance(value, str) and value.startswith("="):
            wb[sheet].cell(row, col).value = value  # a formula without a cached value, as scripts write them
        else:
            wb[sheet].cell(row, col, value)
    wb.save(path)
    intake, report = read_intake(path)
    workbook_sheets = set(wb.sheetnames)
    for problem in report.problems:
        assert problem.sheet is None or problem.sheet in workbook_sheets or problem.code == "missing-sheet"
        assert problem.message
    if intake is not None:
        analyse(intake)  # a valid intake, however odd, always computes
    else:
        assert report.errors
