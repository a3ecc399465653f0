"""The README's speed figures are the benchmarks' last results (issue 29: "the README's figures taken from them").

Each row of the README's "How fast" table names a measure of ``benchmarks/results/<name>.json``; every figure in
the row must be that result's, as the benchmark wrote it. A re-run benchmark whose figures were not carried into
the README fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def result(name: str, **match: Any) -> dict[str, Any]:
    """The one result of ``benchmarks/results/<name>.json`` whose fields equal ``match``."""
    results = json.loads((ROOT / "benchmarks" / "results" / f"{name}.json").read_text())["results"]
    (found,) = [r for r in results if all(r.get(k) == v for k, v in match.items())]
    return found


def figures(cells: str) -> list[float]:
    """The figures written in a row, in order ("1,048,575" is one figure; the 2 of "jinja2" is none)."""
    return [float(f.replace(",", "")) for f in re.findall(r"(?<![A-Za-z\d])\d[\d,]*(?:\.\d+)?", cells)]


def readme_rows() -> dict[str, list[float]]:
    """The "How fast" table's rows: the What cell → the figures of the Time and floor cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- benchmark-figures:", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[3:]:
        what, time, floor = (c.strip() for c in line.strip("|").split("|"))
        rows[what] = figures(time) + figures(floor)
    return rows


def test_the_readme_shows_the_benchmarks_last_figures() -> None:
    floor, version = result("sample_build", measure="floor"), result("sample_build", measure="--version")
    saas = result("sample_build", measure="build saas.xlsx")
    big, biggest = result("build_scale", rows=100_000), result("build_scale", rows=1_048_575)
    recalc = result("recalc", rows=100_000)
    rows = readme_rows()
    assert rows == {
        "`mops-xl --version`": [version["seconds"], version["x_floor"], floor["seconds"]],
        "Building the saas sample": [saas["seconds"], saas["x_floor"]],
        "Building an intake of 100,000 Actuals rows": [big["build_s"], big["ratio"], big["floor_s"]],
        "Building an intake of 1,048,575 Actuals rows, Excel's most": [
            biggest["build_s"],
            biggest["ratio"],
            biggest["floor_s"],
        ],
        "LibreOffice opening a report of 100,000 Actuals rows, every formula recalculated": [
            recalc["recalc_s"],
            recalc["ratio"],
            recalc["plain_s"],
        ],
    }


def test_a_rows_figures_are_read_whole() -> None:
    assert figures("0.6 × the same floor (114.95 s)") == [0.6, 114.95]
    assert figures("Building an intake of 1,048,575 rows") == [1_048_575.0]
    assert figures("0.14 × importing click and jinja2 (0.451 s)") == [0.14, 0.451]
