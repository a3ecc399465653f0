"""The code's shape (issue 23): every function a reader holds in one sitting, and the sheet writers only place
cells — the formulas' logic lives in the analysis stage's definitions, rendered by the workbook's formula modules.

(McCabe complexity is checked by ruff: ``max-complexity = 10`` in pyproject.toml.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mops_xl"
#: The longest a function may be, in lines from its ``def`` (its docstring included; a click command's option
#: decorators are not).
LONGEST_FUNCTION = 80
#: Excel's logic words: a sheet writer that uses them is computing, not placing cells.
FORMULA_LOGIC = re.compile(r"SUMIFS|SUMPRODUCT|COUNTIFS|IFERROR|IF\(")
#: The most lines of the workbook's sheet writers (not its modules named for formulas) that may use them.
MOST_FORMULA_LINES = 10


def long_functions(root: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > LONGEST_FUNCTION:
                    out.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({length} lines)")
    return out


def formula_lines(root: Path = PACKAGE / "outputs" / "workbook") -> list[str]:
    return [
        f"{path.relative_to(root)}:{i}"
        for path in sorted(root.rglob("*.py"))
        if "formula" not in path.name
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORMULA_LOGIC.search(line)
    ]


def test_no_function_is_longer_than_eighty_lines() -> None:
    assert long_functions() == []


def test_the_sheet_writers_place_cells_and_leave_formula_logic_to_the_definitions() -> None:
    found = formula_lines()
    assert len(found) <= MOST_FORMULA_LINES, found


def test_the_checks_catch_a_long_function_and_a_formula_in_a_sheet_writer(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LONGEST_FUNCTION))
    (tmp_path / "long.py").write_text(f"def too_long():\n{body}\n", encoding="utf-8")
    (tmp_path / "short.py").write_text("def fine():\n    return 1\n", encoding="utf-8")
    assert long_functions(tmp_path) == [f"{tmp_path.name}/long.py:1 too_long (81 lines)"]
    (tmp_path / "sheet.py").write_text('f = "=SUMIFS(A:A,B:B,1)"\nok = "=SUM(A:A)"\n', encoding="utf-8")
    (tmp_path / "sheet_formulas.py").write_text('f = "=IF(A1>0,1,0)"\n', encoding="utf-8")
    assert formula_lines(tmp_path) == ["sheet.py:1"]
