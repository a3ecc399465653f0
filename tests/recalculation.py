"""Compare a report's cached formula values (the engine's figures) with a spreadsheet engine's recalculation.

Used by the recalculation tests of the samples and of the edge intakes (tests/edge_intakes.py): build the
reports, recalculate them all in one LibreOffice call (:func:`build_and_recalculate`), or each in Gnumeric
(tests/test_gnumeric.py), then check each pair (:func:`formula_mismatches`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import openpyxl

from mops_xl import build_report, load_intake
from mops_xl.outputs.libreoffice import recalculate

ROOT = Path(__file__).resolve().parents[1]
#: The bundled samples (samples/<name>.xlsx).
SAMPLES = ("saas", "d2c", "local")
#: How an error shows in a recalculated cell (Excel's codes, and LibreOffice's "Err:nnn").
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def build_and_recalculate(intakes: dict[str, Path], folder: Path) -> dict[str, tuple[Path, Path]]:
    """Build the report of each intake, then recalculate every report in one LibreOffice call.

    Args:
        intakes: A label → an intake workbook.
        folder: Where the reports (``<label>-report.xlsx``) and the ``recalculated/`` copies go.

    Returns:
        The label → (the report as built, its recalculated copy).
    """
    built = {label: build_report(load_intake(path), folder / f"{label}-report.xlsx") for label, path in intakes.items()}
    outs = recalculate(list(built.values()), folder / "recalculated")
    return {label: (path, out) for (label, path), out in zip(built.items(), outs, strict=True)}


def same_value(engine: object, libreoffice: object) -> bool:
    """Whether a recalculated value equals the cached one (numbers to 1e-9, anything else exactly; an empty
    text and no value are the same empty cell: Gnumeric caches "" where XlsxWriter and LibreOffice cache none).

    Args:
        engine: The cached value.
        libreoffice: The recalculated value.

    Returns:
        True when they are the same.
    """
    if isinstance(engine, (int, float)) and isinstance(libreoffice, (int, float)) and not isinstance(engine, bool):
        return math.isclose(engine, libreoffice, rel_tol=1e-9, abs_tol=1e-9)
    return (engine if engine != "" else None) == (libreoffice if libreoffice != "" else None)


def formula_mismatches(built: Path, recalculated: Path, engine: str = "LibreOffice") -> tuple[int, list[str]]:
    """Every formula cell of a report whose recalculated value differs from its cached (engine) value.

    Args:
        built: The report as mops-xl wrote it.
        recalculated: Its copy recalculated by a spreadsheet engine.
        engine: The engine's name, for the lines.

    Returns:
        (how many formula cells were compared, one line per mismatch naming the cell, both values, the formula).
    """
    formulas = openpyxl.load_workbook(built)
    cached = openpyxl.load_workbook(built, data_only=True)
    fresh = openpyxl.load_workbook(recalculated, data_only=True)
    checked, wrong = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                checked += 1
                exp, got = cached[ws.title][cell.coordinate].value, fresh[ws.title][cell.coordinate].value
                if not same_value(exp, got):
                    text = getattr(cell.value, "text", cell.value)  # an array formula's text
                    wrong.append(f"{ws.title}!{cell.coordinate}: engine {exp!r}, {engine} {got!r} ({text})")
    return checked, wrong


def error_cells(workbook: Path, keep: Callable[[str], bool] = lambda sheet: True) -> list[str]:
    """Every cell showing an error value (#VALUE!, Err:502 …).

    Args:
        workbook: A (recalculated) workbook.
        keep: Which sheets to look at (all by default).

    Returns:
        One line per error cell: sheet!cell: value.
    """
    return [
        f"{ws.title}!{c.coordinate}: {c.value}"
        for ws in openpyxl.load_workbook(workbook, data_only=True).worksheets
        if keep(ws.title)
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(ERRORS)
    ]


def value_by_label(ws, key: str, label: object, column: str) -> object:
    """The value in column ``column`` of the row labelled ``label`` in the table whose key column is ``key``.

    The table's header row is the first row (top-down) holding both ``key`` and ``column`` with a row labelled
    ``label`` under it; the table ends at the first row with an empty key cell. Cells are found by label and
    header, never by coordinates, so a layout change passes and a wrong figure fails.

    Args:
        ws: An openpyxl worksheet (loaded with ``data_only=True`` for values).
        key: The header of the column holding the row labels, e.g. "Channel".
        label: The row's label.
        column: The header of the column wanted.

    Returns:
        The cell's value.

    Raises:
        KeyError: No such row under such a header.
    """
    rows = list(ws.iter_rows(values_only=True))
    for i, header in enumerate(rows):
        if key not in header or column not in header:
            continue
        k, c = header.index(key), header.index(column)
        for row in rows[i + 1 :]:
            if k >= len(row) or row[k] is None:
                break
            if row[k] == label:
                return row[c] if c < len(row) else None
    raise KeyError(f"{ws.title}: no row {label!r} under a header with {key!r} and {column!r}")
