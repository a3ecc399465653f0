"""Behaviour unchanged: build the three samples with two source trees and compare what they write, cell by cell.

A refactoring must not change a report. This script builds every bundled sample with the source tree it is run
from and with another checkout (``--base``, e.g. a ``git worktree`` of main before the change), each with
``--json``, and compares:

- every sheet of the report workbook: each cell's value (a formula's text for formulas), and its number format;
- the same for the ``--values-only`` report;
- the framework files (``.txt`` and ``.md``) byte for byte;
- the ``--json`` document.

Usage::

    git worktree add /tmp/base <commit>
    python tests/tools/compare_builds.py --base /tmp/base

It prints one line per difference (at most 20 per file) and exits 1 if there is any, 0 if the outputs are the same.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ("saas", "d2c", "local")
MOST = 20


def build(source: Path, sample: str, out: Path, *extra: str) -> dict:
    """Build one sample with the package of ``source``; returns its ``--json`` document."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(source)}
    cmd = [sys.executable, "-m", "mops_xl", "build", str(ROOT / "samples" / f"{sample}.xlsx")]
    cmd += ["-o", str(out / f"{sample}-report.xlsx"), "--json", "-q", *extra]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=out, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{source}: build {sample} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def workbook_cells(path: Path) -> dict[str, dict[str, tuple[object, str]]]:
    book = openpyxl.load_workbook(path)  # formulas as text, not cached values
    return {
        ws.title: {
            c.coordinate: (_text(c.value), c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        }
        for ws in book.worksheets
    }


def _text(value: object) -> object:
    """A cell's value, an array formula as its text in braces (openpyxl's ArrayFormula compares by identity)."""
    return "{" + value.text + "}" if isinstance(value, ArrayFormula) else value


def compare_workbooks(a: Path, b: Path) -> list[str]:
    left, right = workbook_cells(a), workbook_cells(b)
    diffs: list[str] = []
    if list(left) != list(right):
        diffs.append(f"sheets differ: {list(left)} vs {list(right)}")
    for sheet in left.keys() & right.keys():
        for coordinate in sorted(left[sheet].keys() | right[sheet].keys()):
            before, after = left[sheet].get(coordinate), right[sheet].get(coordinate)
            if before != after:
                diffs.append(f"{a.name} {sheet}!{coordinate}: {before!r} -> {after!r}")
    return diffs


def compare(base: Path) -> list[str]:
    diffs: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for sample in SAMPLES:
            for variant, extra in (("live", ()), ("values", ("--values-only",))):
                outs = {name: Path(tmp) / name / variant for name in ("base", "new")}
                documents = {
                    name: build(src, sample, outs[name], *extra) for name, src in (("base", base), ("new", ROOT))
                }
                if documents["base"] != documents["new"]:
                    diffs.append(f"{sample} {variant}: --json differs")
                found = compare_workbooks(outs["base"] / f"{sample}-report.xlsx", outs["new"] / f"{sample}-report.xlsx")
                diffs += [f"{sample} {variant}: {d}" for d in found[:MOST]]
                if len(found) > MOST:
                    diffs.append(f"{sample} {variant}: … and {len(found) - MOST} more")
                for suffix in ("framework.txt", "framework.md"):
                    paths = [outs[name] / f"{sample}-{suffix}" for name in ("base", "new")]
                    if paths[0].read_bytes() != paths[1].read_bytes():
                        diffs.append(f"{sample} {variant}: {suffix} differs")
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the commit to compare with")
    base = parser.parse_args().base.resolve()
    diffs = compare(base)
    for line in diffs:
        print(line)
    print(
        f"{len(SAMPLES)} samples compared with {base}: " + ("identical" if not diffs else f"{len(diffs)} differences")
    )
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
