"""Issue 27, the intake's upkeep: a bounded read of a sheet whose data is mostly empty, Strict Open XML error cells,
``mops-xl upgrade`` and channel names that differ only in case.

The valid intake (``intake_builders.valid_data``) has Actuals rows 2-7 under the header in row 1 (columns A Date,
B Channel, C Campaign, D Spend … K Revenue): two days of Google Ads (Spend 100), TikTok (Spend 50) and Email.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from hostile_files import error_cell, far_cell, strict_open_xml, valid_copy
from intake_builders import D, edit

from mops_xl import read_intake
from mops_xl.cli import cli
from mops_xl.intake.file import RawWorkbook

# --- a bounded read: one stray value at Z1048576 -------------------------------------------------------------------


def _rows_held(monkeypatch: Any) -> dict[str, int]:
    """Record how many rows the reader hands over for each sheet it reads."""
    held: dict[str, int] = {}
    original = RawWorkbook.rows

    def rows(self: RawWorkbook, name: str) -> list[list[Any]]:
        got = original(self, name)
        held[name] = len(got)
        return got

    monkeypatch.setattr(RawWorkbook, "rows", rows)
    return held


def test_a_stray_value_at_z1048576_builds_with_one_warning_and_the_table_alone_is_held(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Z is right of the table (A:K); rows 8 to 1,048,575 are empty: 1,048,575 − 8 + 1 = 1,048,568 rows. The reader
    holds the header and rows 2-7 (7 rows), not 1,048,576 rows × 26 columns."""
    intake = far_cell(valid_copy(tmp_path), "Actuals", "Z1048576")
    held = _rows_held(monkeypatch)
    result = CliRunner().invoke(cli, ["build", str(intake), "-o", str(tmp_path / "report.xlsx")])
    assert result.exit_code == 0, result.output
    assert (
        "Actuals!Z1048576: a value far below and to the right of the table (after 1,048,568 empty rows under row 7, "
        "more than the 1,000 a table may skip) is ignored; delete it, or move it into the table if it is data"
    ) in result.output
    assert result.output.count("Z1048576") == 1
    assert held["Actuals"] == 7
    assert (tmp_path / "report.xlsx").is_file()


def test_a_row_far_below_in_the_tables_columns_is_an_error_naming_its_cell(tmp_path: Path) -> None:
    """D is Spend, a column of the table: the value would be lost, so it is an error (exit 2). Rows 8 to 4,999 are
    empty: 4,999 − 8 + 1 = 4,992."""
    intake = far_cell(valid_copy(tmp_path), "Actuals", "D5000")
    result = CliRunner().invoke(cli, ["validate", str(intake)])
    assert result.exit_code == 2, result.output
    assert (
        "Actuals!D5000: a row of values far below the table (after 4,992 empty rows under row 7) is not read: a table "
        "may not have more than 1,000 empty rows in a row; move it up to the table, or delete it if it is not data"
    ) in result.output


def _late_row(row: int):
    def action(wb: openpyxl.Workbook) -> None:
        ws = wb["Actuals"]
        ws[f"A{row}"], ws[f"B{row}"], ws[f"C{row}"], ws[f"D{row}"] = D(2026, 10, 2), "TikTok", "Late", 25.0

    return action


def test_a_table_may_skip_1000_empty_rows_and_not_1001(tmp_path: Path) -> None:
    """A row at 1,008 leaves rows 8-1,007 empty (1,000): it is read, Spend 2 × (100 + 50) + 25 = 325. A row at 1,009
    leaves 1,001: it is an error, and nothing is guessed."""
    near = edit(valid_copy(tmp_path, "near.xlsx"), _late_row(1008))
    intake, report = read_intake(near)
    assert intake is not None, report.format()
    assert float(intake.actuals["Spend"].sum()) == 325.0
    far = edit(valid_copy(tmp_path, "far.xlsx"), _late_row(1009))
    intake, report = read_intake(far)
    assert intake is None
    assert [(p.code, p.cell) for p in report.errors] == [("far-rows", "A1009")]
    assert "after 1,001 empty rows under row 7" in report.errors[0].message


# --- Strict Open XML ------------------------------------------------------------------------------------------------


def test_a_strict_open_xml_intake_with_an_error_cell_names_the_cell_exit_2_no_traceback(tmp_path: Path) -> None:
    """D3 is the Spend of TikTok on 1 Oct (row 2 is Google Ads, row 3 TikTok): a money column, so "a number"."""
    intake = strict_open_xml(error_cell(valid_copy(tmp_path), "Actuals", "D3"))
    for args in (["validate", str(intake)], ["build", str(intake), "-o", str(tmp_path / "report.xlsx")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        assert result.output.splitlines()[:2] == [
            "Errors (1):",
            "  Actuals!D3: Spend must be a number, got the error #DIV/0!; fix its formula or type the value",
        ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["intake.xlsx"]


def test_importing_into_a_strict_open_xml_intake_keeps_every_sheet(tmp_path: Path) -> None:
    """openpyxl reads a Strict workbook as one without sheets: the new intake must still hold them all, and the rows
    2 × (100 + 50) + 10 = 310 of Spend."""
    intake = strict_open_xml(valid_copy(tmp_path))
    export = tmp_path / "spend.csv"
    export.write_text("Date,Channel,Campaign,Spend\n2026-10-03,TikTok,Reels,10\n", encoding="utf-8")
    new = tmp_path / "new.xlsx"
    args = ["import", str(intake), "--actuals", str(export), "--source", "generic", "-o", str(new)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "saved as Strict Open XML" in result.output
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert openpyxl.load_workbook(new).sheetnames == openpyxl.load_workbook(valid_copy(fresh)).sheetnames
    read, report = read_intake(new)
    assert read is not None, report.format()
    assert float(read.actuals["Spend"].sum()) == 310.0
