"""The package's import direction: each folder imports only the layers below it, and no two folders import each
other (the pipeline reads from the tree: intake → metrics → outputs → pipeline → batch → cli).

Every ``mops_xl`` import is counted, including those inside functions (imported lazily, they still tie the layers
together); imports under ``if TYPE_CHECKING:`` are type hints only and are not.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mops_xl"

#: Each part of the package (a folder, or a module at the top) → the parts it may import.
ALLOWED: dict[str, set[str]] = {
    "plural": set(),
    "errors": {"plural"},
    "atomic": {"errors", "plural"},
    "progress": {"plural"},
    "intake": {"errors", "atomic", "plural"},
    "campaigns": {"errors", "atomic", "plural"},
    "metrics": {"intake", "campaigns", "errors", "plural"},
    "importers": {"intake", "errors", "atomic", "plural"},
    "outputs": {"metrics", "intake", "campaigns", "errors", "atomic", "plural"},
    "docs": {"intake", "importers", "metrics"},
    "pipeline": {"intake", "metrics", "outputs", "errors", "atomic"},
    "batch": {"pipeline", "outputs", "metrics", "intake", "errors", "atomic", "progress", "plural"},
    "cli": {
        *("intake", "importers", "metrics", "outputs", "campaigns"),
        *("pipeline", "batch", "errors", "progress", "plural"),
    },
    "__main__": {"cli"},
    "__init__": {"intake", "metrics", "outputs", "errors"},
}
#: The intake modules the metrics may read: what an intake is, never how it is read.
METRICS_MAY_READ = {
    "mops_xl.intake.schema",
    "mops_xl.intake.model",
    "mops_xl.intake.currencies",
    "mops_xl.intake.problems",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    """The layer a module belongs to: its folder under mops_xl, or its own name for a top-level module."""
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def package_imports() -> dict[str, set[str]]:
    """Every module of mops_xl → the mops_xl modules it imports (at run time)."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hints = _type_checking_lines(tree)
        targets: set[str] = set()
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in hints:
                continue
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{module}: relative import; import mops_xl modules by their full name"
                if node.module and node.module.split(".")[0] == "mops_xl":
                    targets.add(node.module)
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.split(".")[0] == "mops_xl")
        found[module] = targets
    return found


def violations(imports: dict[str, set[str]]) -> list[str]:
    """The imports that break :data:`ALLOWED` or :data:`METRICS_MAY_READ`, one line each."""
    out = []
    for module, targets in sorted(imports.items()):
        mine = _part(module)
        for t in sorted(targets):
            theirs = _part(t)
            if t == "mops_xl" or theirs == mine:
                continue
            if theirs not in ALLOWED[mine]:
                out.append(f"{module} ({mine}) imports {t}: {mine} may import only {sorted(ALLOWED[mine])}")
            elif mine == "metrics" and theirs == "intake" and t not in METRICS_MAY_READ:
                out.append(f"{module} imports {t}: the metrics read what an intake is, not how it is read")
    return out


def cycle(imports: dict[str, set[str]]) -> list[str]:
    """A cycle between the parts of the package, as the parts along it (empty when there is none)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for module, targets in imports.items():
        edges[_part(module)].update(_part(t) for t in targets if t != "mops_xl" and _part(t) != _part(module))
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str]:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*trail, node, nxt]
            if nxt not in state and (found := visit(nxt, [*trail, node])):
                return found
        state[node] = 2
        return []

    for node in sorted(edges):
        if node not in state and (found := visit(node, [])):
            return found
    return []


IMPORTS = package_imports()


def test_the_package_is_laid_out_by_stage() -> None:
    parts = {_part(m) for m in IMPORTS}
    assert parts == set(ALLOWED), "a new top-level part of mops_xl needs its place in ALLOWED (and the README)"


def test_each_layer_imports_only_the_layers_below() -> None:
    assert violations(IMPORTS) == []


def test_no_two_parts_import_each_other() -> None:
    assert cycle(IMPORTS) == []


def test_the_rules_catch_a_wrong_import_and_a_cycle() -> None:
    wrong = {
        "mops_xl.metrics.engine": {"mops_xl.outputs.workbook.writer", "mops_xl.intake.reader"},
        "mops_xl.intake.load": {"mops_xl.metrics.engine"},
    }
    got = violations(wrong)
    assert got == [
        "mops_xl.intake.load (intake) imports mops_xl.metrics.engine: intake may import only "
        "['atomic', 'errors', 'plural']",
        "mops_xl.metrics.engine imports mops_xl.intake.reader: the metrics read what an intake is, not how it is read",
        "mops_xl.metrics.engine (metrics) imports mops_xl.outputs.workbook.writer: metrics may import only "
        "['campaigns', 'errors', 'intake', 'plural']",
    ]
    assert cycle(wrong) == ["intake", "metrics", "intake"]
