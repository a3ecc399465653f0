"""Issue 27, the intake's upkeep: a bounded read of a sheet whose data is mostly empty, Strict Open XML error cells,
``mops-xl upgrade`` and channel names that differ only in case.

The valid intake (``intake_builders.valid_data``) has Actuals rows 2-7 under the header in row 1 (columns A Date,
B Channel, C Campaign, D Spend … K Revenue): two days of Google Ads (Spend 100), TikTok (Spend 50) and Email.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from hostile_files import error_cell, far_cell, strict_open_xml, valid_copy
from intake_builders import D, edit, write_valid

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


# --- mops-xl upgrade ------------------------------------------------------------------------------------------------


def _make_old(wb: openpyxl.Workbook) -> None:
    """What an intake of template version 1 (schema 1.0) looked like: no channel dropdowns, no Locked, Minimum spend
    and Maximum spend on Channels (H:J, its last three columns), no Import log; plus the user's own Notes sheet and
    an Owner column on Actuals (L, right of Revenue in K)."""
    props = wb.custom_doc_props
    del props["mops-xl template version"]
    del props["mops-xl schema version"]
    props.append(openpyxl.packaging.custom.StringProperty(name="mops-xl schema version", value="1.0"))
    for ws in wb.worksheets:
        ws.data_validations.dataValidation = [
            v for v in ws.data_validations.dataValidation if "ChannelList" not in (v.formula1 or "")
        ]
        if ws.title == "Channels":
            ws.data_validations.dataValidation = [
                v for v in ws.data_validations.dataValidation if all(s.min_col < 8 for s in v.sqref.ranges)
            ]
    del wb.defined_names["ChannelList"]
    wb["Channels"].delete_cols(8, 3)
    del wb["Import log"]
    notes = wb.create_sheet("Notes")
    notes["A1"], notes["B2"] = "Our notes", 42
    actuals = wb["Actuals"]
    actuals["L1"], actuals["L2"], actuals["L7"] = "Owner", "Ana", "Bo"


def _old_intake(folder: Path) -> Path:
    return edit(valid_copy(folder, "old.xlsx"), _make_old)


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _validations(ws: Any) -> dict[str, str]:
    return {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation}


def test_upgrade_keeps_every_value_sheet_and_column_and_adds_the_templates_dropdowns_and_columns(
    tmp_path: Path,
) -> None:
    old = _old_intake(tmp_path)
    before = _digest(old)
    result = CliRunner().invoke(cli, ["upgrade", str(old)])
    assert result.exit_code == 0, result.output
    new = tmp_path / "old-upgraded.xlsx"
    assert result.output.splitlines() == [
        "Added the column Locked to Channels (H1)",
        "Added the column Minimum spend to Channels (I1)",
        "Added the column Maximum spend to Channels (J1)",
        "Added the sheet Import log",
        f"Wrote {new}: old.xlsx on the current template (old.xlsx is unchanged)",
    ]
    assert _digest(old) == before
    was, now = openpyxl.load_workbook(old), openpyxl.load_workbook(new)
    for ws in was.worksheets:
        if ws.title == "Instructions":
            continue
        for row in ws.iter_rows():
            for cell in row:
                assert now[ws.title][cell.coordinate].value == cell.value, f"{ws.title}!{cell.coordinate}"
    assert now["Notes"]["B2"].value == 42 and now["Actuals"]["L7"].value == "Bo"
    assert now.sheetnames[0] == "Instructions" and now.sheetnames[-2:] == ["Import log", "Notes"]
    channel_columns = {"Budget": "A", "Actuals": "B", "Targets": "B", "Campaigns": "F", "Experiments": "D"}
    for sheet, column in channel_columns.items():
        assert _validations(now[sheet])[f"{column}2:{column}1048576"] == "ChannelList", sheet
    assert _validations(now["Channels"])["H2:H1048576"] == '"Yes,No"'  # Locked, added
    assert now.defined_names["ChannelList"].attr_text.startswith("OFFSET(Channels!$A$2,0,0,")
    assert {p.name: p.value for p in now.custom_doc_props.props}["mops-xl template version"] == "2"
    intake, report = read_intake(new)
    assert intake is not None and [p.code for p in report.warnings] == []
    assert float(intake.actuals["Spend"].sum()) == 300.0


def test_upgrade_never_writes_over_the_old_intake_nor_an_existing_file(tmp_path: Path) -> None:
    old = _old_intake(tmp_path)
    before = _digest(old)
    same = CliRunner().invoke(cli, ["upgrade", str(old), "-o", str(old)])
    assert same.exit_code == 2
    assert f"{old}: the output path is the old intake itself; upgrade never writes over it" in same.output
    taken = tmp_path / "old-upgraded.xlsx"
    taken.write_bytes(b"someone's file")
    again = CliRunner().invoke(cli, ["upgrade", str(old)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert taken.read_bytes() == b"someone's file" and _digest(old) == before
    forced = CliRunner().invoke(cli, ["upgrade", str(old), "--force", "-o", str(old)])
    assert forced.exit_code == 2 and _digest(old) == before


def test_upgrade_reads_a_strict_open_xml_intake(tmp_path: Path) -> None:
    old = strict_open_xml(_old_intake(tmp_path))
    result = CliRunner().invoke(cli, ["upgrade", str(old), "-o", str(tmp_path / "new.xlsx")])
    assert result.exit_code == 0, result.output
    assert "saved as Strict Open XML" in result.output
    assert openpyxl.load_workbook(tmp_path / "new.xlsx")["Notes"]["B2"].value == 42


def test_an_old_intakes_build_suggests_upgrade_once(tmp_path: Path) -> None:
    """Channels and Import log both lack what the template has now: still one line, not one per sheet."""
    old = _old_intake(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(old), "-o", str(tmp_path / "report.xlsx")])
    assert result.exit_code == 0, result.output
    assert result.output.count("mops-xl upgrade") == 1
    assert (
        "  old.xlsx was made from an older intake template (no template version; the current is 2): "
        "`mops-xl upgrade old.xlsx` writes it again with the channel dropdowns, the new optional columns and help, "
        "keeping every value"
    ) in result.output.splitlines()


# --- a channel name differing only in case stays an error, one line for all its rows -------------------------------


def _linkedin_misspelled(data: dict[str, Any]) -> None:
    """Channels gets "LinkedIn Ads"; Actuals gets 42 rows (21 days × 2 campaigns, rows 8-49 under the valid intake's
    rows 2-7) that spell it "Linkedin Ads"."""
    data["Channels"].append({"Channel": "LinkedIn Ads", "Role": "Capture demand", "Funnel stage": "Decision"})
    data["Actuals"] += [
        {"Date": D(2026, 10, day), "Channel": "Linkedin Ads", "Campaign": campaign, "Spend": 10.0}
        for day in range(1, 22)
        for campaign in ("ABM", "Retargeting")
    ]


def test_a_channel_differing_only_in_case_is_one_error_line_for_its_42_rows(tmp_path: Path) -> None:
    intake = write_valid(tmp_path / "intake.xlsx", _linkedin_misspelled)
    result = CliRunner().invoke(cli, ["validate", str(intake)])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Errors (42):"
    assert lines[1] == (  # 42 − 3 named = 39 more
        '  Actuals!B8, B9, B10 and 39 more: channel "Linkedin Ads" is not in Channels (did you mean "LinkedIn Ads"? '
        "names must match exactly, including case)"
    )
    assert len([line for line in lines if "Linkedin Ads" in line]) == 1
    as_json = CliRunner().invoke(cli, ["validate", "--json", str(intake)])
    cells = [p["cell"] for p in json.loads(as_json.output)["problems"] if p["severity"] == "error"]
    assert cells == [f"B{row}" for row in range(8, 50)]
    built = CliRunner().invoke(cli, ["build", str(intake), "-o", str(tmp_path / "report.xlsx")])
    assert built.exit_code == 2 and not (tmp_path / "report.xlsx").exists()
