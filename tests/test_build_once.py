"""A build does each costly thing once: the framework's context and each rendering once per build (the Framework
sheet and the .txt file show one rendering), and a modest report is assembled in memory, with the same cells."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pandas as pd
import pytest
from intake_builders import write_valid

from mops_xl import analyse, load_intake
from mops_xl.outputs.framework import text
from mops_xl.outputs.workbook import writer
from mops_xl.pipeline import build_intake


@pytest.fixture(scope="module")
def intake_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_valid(tmp_path_factory.mktemp("intake") / "valid.xlsx")


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls of framework_context (it still computes the real context)."""
    calls: list[int] = []
    real = text.framework_context

    def counted(a: Any) -> dict[str, Any]:
        calls.append(1)
        return real(a)

    monkeypatch.setattr(text, "framework_context", counted)
    return calls


def test_a_build_computes_the_framework_context_once(
    intake_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch)
    built = build_intake(intake_path, tmp_path / "valid-report.xlsx")
    assert len(calls) == 1  # the Framework sheet, the .txt and the .md files: one context
    md, txt = built.framework
    sheet = openpyxl.load_workbook(built.report)["Framework"]
    lines = [c.value or "" for (c,) in sheet.iter_rows(min_col=1, max_col=1)]
    assert "\n".join(lines).rstrip("\n") == txt.read_text(encoding="utf-8").rstrip("\n")  # one rendering, both
    assert md.read_text(encoding="utf-8").startswith("#")
    assert text._RENDERED == {}  # nothing kept after the build


def test_outside_a_build_every_rendering_is_fresh(intake_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = analyse(load_intake(intake_path))
    calls = _counting(monkeypatch)
    first = text.render_framework(a, "txt")
    assert text.render_framework(a, "txt") == first
    assert len(calls) == 2  # no cache outside rendered_once: an analysis changed later is rendered as it is
    with text.rendered_once(a):
        with text.rendered_once(a):  # nested: the outer one's renderings
            assert text.render_framework(a, "txt") == first
        assert text.render_framework(a, "txt") == first
        assert text.render_framework(a, "md") == text.render_framework(a, "md")
        assert text.render_framework(a, "txt", "kpis") in first
    assert len(calls) == 3
    assert text._RENDERED == {}


def test_table_cells_are_rows_times_columns_summed() -> None:
    intake = SimpleNamespace(
        tables={
            "Actuals": pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]}),  # 3 × 2
            "Channels": pd.DataFrame({"x": [1], "y": [2], "z": [3]}),  # 1 × 3
            "Budget": pd.DataFrame({"c": []}),  # 0 × 1
        }
    )
    assert writer._table_cells(intake) == 9  # type: ignore[arg-type]


def _options_used(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record the options each report workbook is opened with."""
    seen: list[dict[str, Any]] = []

    class Recording(writer.PortableWorkbook):  # type: ignore[misc]
        def __init__(self, filename: str, options: dict[str, Any]) -> None:
            seen.append(options)
            super().__init__(filename, options)

    monkeypatch.setattr(writer, "PortableWorkbook", Recording)
    return seen


def _cells(path: Path) -> dict[str, dict[str, Any]]:
    """Each cell's value (an array formula's text) and number format, by sheet."""
    book = openpyxl.load_workbook(path)
    return {
        ws.title: {
            c.coordinate: (getattr(c.value, "text", c.value), c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        for ws in book.worksheets
    }


def test_a_modest_report_is_assembled_in_memory_with_the_same_cells(
    intake_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = load_intake(intake_path)
    a = analyse(intake)
    seen = _options_used(monkeypatch)
    writer.build_report(intake, tmp_path / "memory.xlsx", a)
    monkeypatch.setattr(writer, "IN_MEMORY_CELLS", 0)  # as a big intake: parts through temporary files
    writer.build_report(intake, tmp_path / "files.xlsx", a)
    assert [o["in_memory"] for o in seen] == [True, False]
    assert _cells(tmp_path / "memory.xlsx") == _cells(tmp_path / "files.xlsx")
