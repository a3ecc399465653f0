"""The sheet scan of a big sheet parses only the pieces that need it (issue 29): whatever lies in the plain rows
between them, it finds what a scan parsing every piece finds.

Small pieces (``_CHUNK`` of a few hundred bytes) stand in for the megabyte pieces of a big sheet: the 126 rows of
Actuals below are then some 100 pieces, nearly all plain.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_files import error_cell, rewrite_sheet, set_raw_cell, uncached_formula
from intake_builders import D, write_valid

from mops_xl import read_intake
from mops_xl.intake import cells
from mops_xl.intake.cells import SheetScan

SMALL_PIECE = 400


def _big_intake(path: Path) -> Path:
    """The valid intake with 120 more Actuals rows (rows 8-127), one a day from 3 October."""

    def more(data: dict) -> None:
        data["Actuals"] += [
            {"Date": D(2026, 10, 3), "Channel": "Google Ads", "Campaign": f"Search {i}", "Spend": 10.0 + i, "Leads": 1}
            for i in range(120)
        ]

    return write_valid(path, more)


def _scan(path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch) -> SheetScan:
    monkeypatch.setattr(cells, "_CHUNK", chunk)
    return cells.scan_sheet(path, cells.sheet_parts(path)["Actuals"])


def _skips(path: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the scan in small pieces leaves some pieces unparsed (else these tests would not test that)."""
    monkeypatch.setattr(cells, "_CHUNK", SMALL_PIECE)
    return cells._scan(path, cells.sheet_parts(path)["Actuals"], None, skip_plain=True)[1]


def _add_cell(path: Path, row: int, cell_xml: str) -> Path:
    """Append a cell, written as given, to the end of ``row``."""
    return rewrite_sheet(
        path,
        "Actuals",
        lambda d: re.sub(rb'(<row r="%d"[^>]*>.*?)</row>' % row, rb"\1" + cell_xml.encode() + rb"</row>", d, count=1),
    )


def test_cells_deep_in_a_big_sheet_are_found_as_by_a_whole_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error at D60, a formula without a value at G80, a merge below the rows, a value at AB90 (column 28)."""
    intake = _big_intake(tmp_path / "big.xlsx")
    set_raw_cell(intake, "Actuals", "D60", '<c r="D60" t="e"><v>#DIV/0!</v></c>')
    set_raw_cell(intake, "Actuals", "G80", '<c r="G80"><f>100*2</f></c>')
    _add_cell(intake, 90, '<c r="AB90"><v>5</v></c>')
    rewrite_sheet(
        intake,
        "Actuals",
        lambda d: d.replace(
            b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="C100:C101"/></mergeCells>'
        ),
    )
    assert _skips(intake, monkeypatch)
    pieces = _scan(intake, SMALL_PIECE, monkeypatch)
    assert [(i.cell, i.kind, i.detail) for i in pieces.issues] == [
        ("D60", "error", "#DIV/0!"),
        ("G80", "no-value", "=100*2"),
    ]
    assert pieces.merged == ["C100:C101"]
    assert (pieces.rows, pieces.columns, pieces.far_column_cell) == (127, 28, "AB90")
    assert pieces == _scan(intake, 1 << 20, monkeypatch)  # one piece, parsed whole


@pytest.mark.parametrize("style", ["strict", "quotes"])
@pytest.mark.parametrize(
    ("plant", "expected"),
    [(error_cell, ("D70", "error", "#DIV/0!")), (uncached_formula, ("D70", "no-value", "=100*2"))],
)
def test_an_error_deep_in_a_strict_or_single_quoted_sheet_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, style: str, plant, expected: tuple[str, str, str]
) -> None:
    intake = plant(_big_intake(tmp_path / "big.xlsx"), ref="D70", style=style)
    pieces = _scan(intake, SMALL_PIECE, monkeypatch)
    assert [(i.cell, i.kind, i.detail) for i in pieces.issues] == [expected]
    assert pieces == _scan(intake, 1 << 20, monkeypatch)


def test_a_comment_holding_rows_is_not_read_as_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A comment after row 30 holding row ends and a cell at ZZ31 spans several pieces: the pieces cut inside it
    are not taken for plain rows (no cell at ZZ31, the comment's text); the error at D31 just after it is found."""
    intake = _big_intake(tmp_path / "big.xlsx")
    note = '<row r="31"><c r="ZZ31"><v>1</v></c></row>' * 60
    rewrite_sheet(
        intake,
        "Actuals",
        lambda d: re.sub(rb'(<row r="30"[^>]*>.*?</row>)', rb"\1<!-- " + note.encode() + rb" -->", d, count=1),
    )
    set_raw_cell(intake, "Actuals", "D31", '<c r="D31" t="e"><v>#REF!</v></c>')
    pieces = _scan(intake, SMALL_PIECE, monkeypatch)
    assert [(i.cell, i.kind, i.detail) for i in pieces.issues] == [("D31", "error", "#REF!")]
    assert pieces.columns == 11  # A-K: nothing at ZZ
    assert pieces == _scan(intake, 1 << 20, monkeypatch)


def test_damage_in_the_unparsed_rows_is_named_as_a_whole_parse_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cell of row 64 loses its end tag: the reader fails on it, and the sheet is named damaged, as before."""
    intake = _big_intake(tmp_path / "big.xlsx")
    rewrite_sheet(intake, "Actuals", lambda d: re.sub(rb'(<c r="D64"[^>]*><v>[^<]*</v>)</c>', rb"\1", d, count=1))
    assert _skips(intake, monkeypatch) and not _scan(intake, SMALL_PIECE, monkeypatch).damaged  # not seen by the scan
    assert _scan(intake, 1 << 20, monkeypatch).damaged.startswith("its XML is damaged (mismatched tag")
    monkeypatch.setattr(cells, "_CHUNK", SMALL_PIECE)
    _, report = read_intake(intake)
    errors = [(p.code, p.sheet, p.message) for p in report.errors if p.sheet == "Actuals"]
    assert len(errors) == 1
    assert errors[0][:2] == ("corrupt-workbook", "Actuals")
    assert errors[0][2].startswith("sheet Actuals cannot be read: its XML is damaged (mismatched tag, line 2)")
