"""The big data sheets' rows are made as XML a block at a time (layout/streamed_sheet.py): the sheet must be the
very one XlsxWriter writes cell by cell, whatever the values."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from mops_xl.outputs.workbook.layout import streamed_sheet
from mops_xl.outputs.workbook.layout.streamed_sheet import StreamedWorksheet, write_columns

TEXTS = [
    "Google Ads",
    " leading space",
    "trailing space ",
    "Q&A <launch> \"quoted\" 'single'",
    "bell\x07 and _x0041_ escaped",
    "<r><t>looks rich</t></r>",
    "x" * 40_000,  # beyond Excel's 32,767 characters: cut as XlsxWriter cuts it
    "emoji 😀 ünïcödé",
]


def _columns(repeat: int) -> list[tuple[list, bool]]:
    """Eleven rows of values, ``repeat`` times over (a column of few distinct values is made another way)."""
    numbers = [46023.0, 0.1, -0.0, 1e20, 123456789.123456789, 2.5e-12, 7.0, None, 3.0, None, 1 / 3]
    texts = [*TEXTS, None, None, "last"]
    keys = [1.0, None, 2.0, 3.0, None, 4.0, 5.0, None, 6.0, None, 7.0]
    return [(numbers * repeat, True), (texts * repeat, False), ([None] * 11 * repeat, True), (keys * repeat, True)]


def _sheet_xml(path: Path, fast: bool, block_rows: int, repeat: int, monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setattr(streamed_sheet, "BLOCK_ROWS", block_rows)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Actuals", worksheet_class=StreamedWorksheet)
    money = wb.add_format({"num_format": "#,##0.00"})
    whole = wb.add_format({"num_format": "0"})
    formats = [money, None, whole, whole]
    for c, fmt in enumerate(formats):
        ws.set_column(c, c, 12, fmt)
    ws.write_row(0, 0, ["Spend", "Campaign", "Empty", "Key"])
    columns = _columns(repeat)
    if fast:
        write_columns(ws, 1, columns, formats)
    else:
        streamed_sheet._write_cells_one_by_one(ws, 1, columns, formats)
    ws.autofilter(0, 0, 11 * repeat, 3)
    wb.close()
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml") + zf.read("xl/styles.xml")


@pytest.mark.parametrize(("block_rows", "repeat"), [(3, 1), (4096, 1), (7, 5)])
def test_rows_made_in_blocks_are_the_cells_xlsxwriter_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_rows: int, repeat: int
) -> None:
    """Escaped and cut text, whitespace kept, numbers to 16 digits, blank cells, a row with no value (row 11 holds
    only blanks: no <row> at all), an empty column left out of the range: byte for byte the same sheet."""
    fast = _sheet_xml(tmp_path / "fast.xlsx", True, block_rows, repeat, monkeypatch)
    slow = _sheet_xml(tmp_path / "slow.xlsx", False, block_rows, repeat, monkeypatch)
    assert fast == slow
    assert f'<dimension ref="A1:D{11 * repeat + 1}"/>'.encode() in fast
    assert b'<row r="11">' not in fast and b'<row r="12">' in fast  # row 11: no value in any column
    assert b'<c r="A3" s="1"><v>0.1</v></c>' in fast  # the money format is the first numbered
    assert b'<c r="A6" s="1"><v>123456789.1234568</v></c>' in fast  # 16 significant digits


def test_a_number_xlsxwriter_refuses_is_refused_the_same_way(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "nan.xlsx"))
    ws = wb.add_worksheet("Actuals", worksheet_class=StreamedWorksheet)
    with pytest.raises(TypeError, match="NAN/INF not supported"):
        write_columns(ws, 1, [([1.0, math.inf], True)], [None])
    wb.close()
