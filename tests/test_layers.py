"""The package's import direction: each folder imports only the layers below it, and no two folders import each
other (the pipeline reads from the tree: intake → analysis → outputs → pipeline → batch → cli). Inside the analysis
stage the same holds between its rooms (blocks → figures → assessment → forecast → decisions → review → story, the
engine on top), and no two modules anywhere import each other.

Every ``mops_xl`` import is counted, including those inside functions (imported lazily, they still tie the layers
together); imports under ``if TYPE_CHECKING:`` are type hints only and are not.
"""

from __future__ import annotations

import ast
import graphlib
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
    "analysis": {"intake", "campaigns", "errors", "plural"},
    "importers": {"intake", "errors", "atomic", "plural"},
    "outputs": {"analysis", "intake", "campaigns", "errors", "atomic", "plural"},
    "docs": {"intake", "importers", "analysis"},
    "pipeline": {"intake", "analysis", "outputs", "errors", "atomic"},
    "batch": {"pipeline", "outputs", "analysis", "intake", "errors", "atomic", "progress", "plural"},
    "cli": {
        *("intake", "importers", "analysis", "outputs", "campaigns"),
        *("pipeline", "batch", "errors", "progress", "plural"),
    },
    "__main__": {"cli"},
    "__init__": {"intake", "analysis", "outputs", "errors"},
}
#: The rooms of the analysis stage, lowest first: a room imports only the rooms before it. The engine
#: (``mops_xl.analysis.engine``) and the stage's ``__init__`` sit on top and may import every room.
ROOMS = ["blocks", "figures", "assessment", "forecast", "decisions", "review", "story"]
#: The most modules one folder of the package may hold (``__init__.py`` not counted).
MOST_MODULES = 15
#: The intake modules the analysis may read: what an intake is, never how it is read.
ANALYSIS_MAY_READ = {
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


def imported_modules(tree: ast.Module, known: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The mops_xl modules a parsed module imports at run time, inside functions too (``TYPE_CHECKING`` hints are
    not counted). ``from mops_xl.a import b`` counts as ``mops_xl.a.b`` when that is one of the ``known`` modules."""
    hints = _type_checking_lines(tree)
    targets: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in hints:
            continue
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import; import mops_xl modules by their full name"
            if node.module and node.module.split(".")[0] == "mops_xl":
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            targets.update(a.name for a in node.names if a.name.split(".")[0] == "mops_xl")
    return targets


def package_imports() -> dict[str, set[str]]:
    """Every module of mops_xl → the mops_xl modules it imports (at run time)."""
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {_module_name(path) for path in paths}
    return {_module_name(path): imported_modules(ast.parse(path.read_text(encoding="utf-8")), known) for path in paths}


#: The folders of the analysis stage: its rooms. The modules directly in ``analysis/`` (the engine and the
#: result it assembles) are its top.
ANALYSIS = PACKAGE / "analysis"


def _room(module: str) -> str | None:
    """The analysis room a module belongs to (its folder under ``analysis/``); "top" for the modules directly in
    ``analysis/`` (the engine, its result) and the stage's ``__init__``; None outside the stage."""
    parts = module.split(".")
    if parts[:2] != ["mops_xl", "analysis"]:
        return None
    return parts[2] if len(parts) > 2 and (ANALYSIS / parts[2]).is_dir() else "top"


def room_violations(imports: dict[str, set[str]]) -> list[str]:
    """The imports inside the analysis stage that point to a later room (or to the engine), one line each."""
    out = []
    for module, targets in sorted(imports.items()):
        mine = _room(module)
        if mine is None or mine == "top":
            continue
        for t in sorted(targets):
            theirs = _room(t)
            if theirs is None or theirs == mine:
                continue
            if theirs == "top" or ROOMS.index(theirs) > ROOMS.index(mine):
                below = ROOMS[: ROOMS.index(mine)]
                out.append(f"{module} ({mine}) imports {t}: the {mine} room may import only {below}")
    return out


def module_cycles(imports: dict[str, set[str]]) -> list[str]:
    """A chain of modules that import each other at run time, directly or through others (graphlib finds it), as
    one line; empty when there is none."""
    edges = {m: {t for t in ts if t in imports and t != m} for m, ts in imports.items()}
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        return [" → ".join(exc.args[1])]
    return []


def violations(imports: dict[str, set[str]]) -> list[str]:
    """The imports that break :data:`ALLOWED` or :data:`ANALYSIS_MAY_READ`, one line each."""
    out = []
    for module, targets in sorted(imports.items()):
        mine = _part(module)
        for t in sorted(targets):
            theirs = _part(t)
            if t == "mops_xl" or theirs == mine:
                continue
            if theirs not in ALLOWED[mine]:
                out.append(f"{module} ({mine}) imports {t}: {mine} may import only {sorted(ALLOWED[mine])}")
            elif mine == "analysis" and theirs == "intake" and t not in ANALYSIS_MAY_READ:
                out.append(f"{module} imports {t}: the analysis reads what an intake is, not how it is read")
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
        "mops_xl.analysis.engine": {"mops_xl.outputs.workbook.writer", "mops_xl.intake.reader"},
        "mops_xl.intake.load": {"mops_xl.analysis.engine"},
    }
    got = violations(wrong)
    assert got == [
        "mops_xl.analysis.engine imports mops_xl.intake.reader: the analysis reads what an intake is, not how it is "
        "read",
        "mops_xl.analysis.engine (analysis) imports mops_xl.outputs.workbook.writer: analysis may import only "
        "['campaigns', 'errors', 'intake', 'plural']",
        "mops_xl.intake.load (intake) imports mops_xl.analysis.engine: intake may import only "
        "['atomic', 'errors', 'plural']",
    ]
    assert cycle(wrong) == ["analysis", "intake", "analysis"]


def test_each_analysis_room_imports_only_the_rooms_before_it() -> None:
    rooms = {p.name for p in ANALYSIS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert rooms <= set(ROOMS), "a new room of the analysis stage needs its place in ROOMS (and the README)"
    assert room_violations(IMPORTS) == []


def test_no_two_modules_import_each_other() -> None:
    assert module_cycles(IMPORTS) == []


def test_the_room_rules_catch_an_upward_import_inside_a_function_and_a_module_cycle() -> None:
    source = """
from mops_xl.analysis.blocks import catalogue


def boxes():
    from mops_xl.analysis.story.headline import choose_kpi_boxes  # the figures reaching up into the story

    return choose_kpi_boxes
"""
    tree_imports = imported_modules(ast.parse(source))
    assert tree_imports == {"mops_xl.analysis.blocks", "mops_xl.analysis.story.headline"}
    wrong = {
        "mops_xl.analysis.figures.kpis": tree_imports,
        "mops_xl.analysis.blocks.catalogue": {"mops_xl.analysis.engine"},
        "mops_xl.analysis.engine": {"mops_xl.analysis.story.headline", "mops_xl.analysis.blocks.catalogue"},
        "mops_xl.analysis.story.headline": {"mops_xl.analysis.figures.kpis"},
    }
    assert room_violations(wrong) == [
        "mops_xl.analysis.blocks.catalogue (blocks) imports mops_xl.analysis.engine: the blocks room may import "
        "only []",
        "mops_xl.analysis.figures.kpis (figures) imports mops_xl.analysis.story.headline: the figures room may "
        "import only ['blocks']",
    ]
    (chain,) = module_cycles(wrong)
    first, *rest, last = chain.split(" → ")
    assert first == last and {first, *rest} in (
        {"mops_xl.analysis.blocks.catalogue", "mops_xl.analysis.engine"},
        {"mops_xl.analysis.figures.kpis", "mops_xl.analysis.story.headline"},
    )
    assert module_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_folder_holds_more_than_fifteen_modules() -> None:
    crowded = {
        str(folder.relative_to(PACKAGE.parent)): n
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]
        if (n := len([f for f in folder.glob("*.py") if f.name != "__init__.py"])) > MOST_MODULES
    }
    assert crowded == {}
