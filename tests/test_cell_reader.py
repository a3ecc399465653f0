"""One cell reader for the intake and the import: text numbers, text dates, the header under a title block, the
1904 date system, and date cells however the writing application spells their format."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from intake_builders import edit, write_valid

from mops_xl import read_intake
from mops_xl.cli import cli
from mops_xl.intake.cells import is_date_format
from mops_xl.outputs.libreoffice import recalculate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _errors(path: Path) -> list[str]:
    _, report = read_intake(path)
    return [f"{p.sheet}!{p.cell}: {p.message}" for p in report.problems if p.severity == "error"]


def test_a_title_block_above_the_header_with_merged_title_cells(tmp_path: Path) -> None:
    def titled(wb: openpyxl.Workbook) -> None:
        ws = wb["Actuals"]
        ws.insert_rows(1, 2)
        ws["A1"] = "Actuals, October 2026"
        ws.merge_cells("A1:D1")  # a merged title above the header is allowed

    path = edit(write_valid(tmp_path / "t.xlsx"), titled)
    intake, report = read_intake(path)
    assert intake is not None, report.format()
    assert list(intake.actuals.index) == [4, 5, 6, 7, 8, 9]  # the header is on row 3, the data from row 4
    assert intake.actuals["Spend"].sum() == 100 + 50 + 100 + 50  # two days of Google Ads 100 and TikTok 50


def test_merged_cells_inside_the_table_stay_errors(tmp_path: Path) -> None:
    def titled(wb: openpyxl.Workbook) -> None:
        ws = wb["Actuals"]
        ws.insert_rows(1, 1)
        ws["A1"] = "Actuals"
        ws.merge_cells("A1:C1")
        ws.merge_cells("C4:D4")

    path = edit(write_valid(tmp_path / "t.xlsx"), titled)
    errors = _errors(path)
    assert any(e.startswith("Actuals!C4:D4: cells C4:D4 are merged") for e in errors), errors
    assert not any("A1:C1" in e for e in errors)


def test_a_missing_column_names_the_header_row_it_read(tmp_path: Path) -> None:
    def titled(wb: openpyxl.Workbook) -> None:
        ws = wb["Actuals"]
        ws.insert_rows(1, 2)
        ws["A1"] = "Actuals"
        ws["A3"] = "Day"  # the Date header renamed

    errors = _errors(edit(write_valid(tmp_path / "t.xlsx"), titled))
    assert 'Actuals!None: required column "Date" is missing from the header row (row 3, under the title rows)' in (
        errors
    )


def test_text_numbers_are_read_alike_in_the_intake(tmp_path: Path) -> None:
    def typed(wb: openpyxl.Workbook) -> None:
        wb["Actuals"]["D2"] = "1,200"  # Spend with a thousands separator
        wb["Actuals"]["K2"] = "$48.20"  # Revenue with the USD symbol
        wb["Actuals"]["G2"] = "2051.64"  # modelled Leads
        settings = wb["Settings"]
        row = next(
            r for r in range(1, settings.max_row + 1) if settings.cell(r, 1).value == "Underperforming threshold"
        )
        settings.cell(row, 2).value = "80%"

    intake, report = read_intake(edit(write_valid(tmp_path / "t.xlsx"), typed))
    assert intake is not None, report.format()
    assert intake.actuals.loc[2, "Spend"] == 1200.0 and intake.actuals.loc[2, "Revenue"] == 48.20
    assert intake.actuals.loc[2, "Leads"] == pytest.approx(2051.64)
    assert intake.settings["Underperforming threshold"] == 0.8
    assert not [p for p in report.problems if p.code == "percent-as-number"]  # "80%" says it is a percentage


def test_unambiguous_text_dates_are_read(tmp_path: Path) -> None:
    def typed(wb: openpyxl.Workbook) -> None:
        wb["Actuals"]["A2"] = "Oct 1, 2026"
        wb["Actuals"]["A3"] = "2026-10-01T00:00:00Z"
        wb["Actuals"]["A5"] = "10/13/2026"  # only October 13 is a day

    intake, report = read_intake(edit(write_valid(tmp_path / "t.xlsx"), typed))
    assert intake is not None, report.format()
    dates = intake.actuals["Date"]
    assert dates.loc[2] == dates.loc[3] == pd.Timestamp("2026-10-01")
    assert pd.Timestamp("2026-10-13") in set(dates)


def test_the_1904_date_system_is_respected_for_numbers_in_date_columns(tmp_path: Path) -> None:
    """2026-10-01 is serial 46296 in the 1900 system; the 1904 system counts 1462 days fewer: 44834."""

    def mac(wb: openpyxl.Workbook) -> None:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        wb["Actuals"]["A5"] = 44834
        wb["Actuals"]["A5"].number_format = "0"  # a plain number format: typed as a number

    intake, report = read_intake(edit(write_valid(tmp_path / "t.xlsx"), mac))
    assert intake is not None, report.format()
    assert intake.actuals["Date"].min() == pd.Timestamp("2026-10-01")
    assert intake.actuals["Date"].max() == pd.Timestamp("2026-10-02")  # the typed dates kept their days
    serial = [p for p in report.problems if p.code == "serial-date"]
    assert [p.cell for p in serial] == ["A5"] and "2026-10-01" in serial[0].message


@pytest.mark.parametrize(
    "code, is_date",
    [
        ("yyyy-mm-dd", True),  # Excel, Gnumeric
        ("YYYY-MM-DD", True),  # LibreOffice
        ('[$-409]mmm d", "yyyy', True),  # Google Sheets' locale prefix and quoted text
        ("d/m/yyyy", True),
        ("DD.MM.YYYY", True),
        ("mmm-yy", True),
        ("mm:ss", False),  # minutes
        ("h:mm", False),
        ("#,##0.00", False),
        ('"Day" 0', False),
        ("[Red]0.00", False),
        ("General", False),
    ],
)
def test_date_formats_however_spelled(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


def _build_json(path: Path, out: Path) -> dict:
    result = CliRunner().invoke(cli, ["build", str(path), "--json", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    doc.pop("intake", None)
    doc.pop("report", None)
    return doc


def _same(a: object, b: object) -> bool:
    """Equal documents, numbers to 1e-9 relative (a re-saved timestamp may differ in its last binary digit)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9)
    return a == b


def _warnings(path: Path) -> list[tuple[str, str | None, str | None]]:
    _, report = read_intake(path)
    return sorted((p.code, p.sheet, p.cell) for p in report.problems if p.severity != "info")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ssconvert") is None, reason="needs gnumeric's ssconvert")
def test_an_intake_saved_by_gnumeric_reads_the_same(tmp_path: Path) -> None:
    source = tmp_path / "saas.xlsx"
    shutil.copy(SAMPLES / "saas.xlsx", source)
    saved = tmp_path / "gnumeric.xlsx"
    subprocess.run(["ssconvert", str(source), str(saved)], capture_output=True, timeout=300, check=True)
    assert _warnings(saved) == _warnings(source)  # no "read as the Excel date" for its date-formatted cells
    assert _same(_build_json(saved, tmp_path / "g-report.xlsx"), _build_json(source, tmp_path / "o-report.xlsx"))


@pytest.mark.libreoffice
def test_an_intake_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    source = tmp_path / "saas.xlsx"
    shutil.copy(SAMPLES / "saas.xlsx", source)
    saved = recalculate([source], tmp_path / "lo")[0]
    assert _warnings(saved) == _warnings(source)
    assert _same(_build_json(saved, tmp_path / "l-report.xlsx"), _build_json(source, tmp_path / "o-report.xlsx"))
