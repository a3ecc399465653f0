"""Where a benchmark writes what it measured: ``benchmarks/results/<name>.json`` (the machine and every result) and
``<name>.md`` (the same as a table, with the date, the machine and the command that measured it)."""

from __future__ import annotations

import datetime as dt
import json
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def write_results(name: str, results: list[dict[str, Any]], header: Sequence[str], rows: Sequence[str]) -> None:
    """Write a benchmark's results as JSON and as a Markdown table.

    Args:
        name: The benchmark's script name without ``.py`` ("sample_build").
        results: One dict per measurement.
        header: The table's two header lines ("| sample | build (s) |", "|---|---:|").
        rows: One table line per measurement.
    """
    RESULTS.mkdir(exist_ok=True)
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    (RESULTS / f"{name}.json").write_text(json.dumps({"machine": machine, "results": results}, indent=1) + "\n")
    lines = [f"Measured {dt.date.today():%Y-%m-%d} on {machine} by `python benchmarks/{name}.py`.", "", *header, *rows]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
