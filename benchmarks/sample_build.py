"""Benchmark: how fast the command starts and builds the bundled samples, against the design card's import floor.

    python benchmarks/sample_build.py [--runs 7]

The floor is a bare interpreter importing the design card's packages (pandas, openpyxl, xlsxwriter, click,
jinja2). Measured in fresh processes, round by round in turn (so a busy spell of the machine slows every measure
alike), the best of ``--runs`` counting:

- ``mops-xl --version`` and ``mops-xl --help``: target (issue 29) within 1.5 × the floor;
- ``mops-xl build <sample> -o … --quiet`` for each sample (workbook and framework): target within 3 × the floor,
  and under 2 s (issue 8).

The ratios are what compare across machines; the absolute times and the load average (``/proc/loadavg``, before
and after) say how busy the machine was. Beside the wall time, each measure's CPU time (user + system of the
process, best of the rounds) and its ratio to the floor's: on a crowded machine the wall time waits for a core,
the CPU time much less, so its ratio is the steadier one (the targets are judged on the wall time). Byte code
is written and used as an installed package's would be (``PYTHONDONTWRITEBYTECODE`` is dropped for the measured
processes, and one warm-up round runs first).
Writes benchmarks/results/sample_build.json and .md.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from results_files import write_results

HERE = Path(__file__).parent
SAMPLES = sorted((HERE.parent / "samples").glob("*.xlsx"))
#: The design card's packages: what any build must import, the floor the start-up is measured against.
FLOOR_IMPORT = "import pandas, openpyxl, xlsxwriter, click, jinja2"
START_TARGET = 1.5  # × the floor, for --version and --help
BUILD_TARGET = 3.0  # × the floor, for a sample build
BUILD_TARGET_S = 2.0  # seconds, for a sample build (issue 8)


def commands(out_dir: Path) -> dict[str, list[str]]:
    """What is timed, by name: the floor, the start-up commands and one build per sample.

    Args:
        out_dir: Where the builds write their reports.

    Returns:
        Name → command line.
    """
    mops = [sys.executable, "-m", "mops_xl"]
    timed = {
        "floor": [sys.executable, "-c", FLOOR_IMPORT],
        "--version": [*mops, "--version"],
        "--help": [*mops, "--help"],
    }
    for sample in SAMPLES:
        timed[f"build {sample.name}"] = [*mops, "build", str(sample), "-o", str(out_dir / sample.name), "--quiet"]
    return timed


def wall_time(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """The wall time and the CPU time of one fresh process running ``command``.

    Args:
        command: The command line.
        env: Its environment.

    Returns:
        (wall seconds, CPU seconds: user + system).
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_times(timed: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """The best wall time and the best CPU time of each command over ``runs`` rounds, each round running every
    command once in turn.

    Args:
        timed: Name → command line (see :func:`commands`).
        runs: How many rounds count (one warm-up round runs first and does not).

    Returns:
        Name → (best wall seconds, best CPU seconds).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in timed.values():  # warm-up: byte code written, files in the page cache
        wall_time(command, env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, command in timed.items():
            times[name].append(wall_time(command, env))
    return {name: (min(w for w, _ in both), min(c for _, c in both)) for name, both in times.items()}


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as ``/proc/loadavg`` shows them ("n/a" where there are none)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def results_of(best: dict[str, tuple[float, float]]) -> list[dict[str, object]]:
    """One result per measure: its best time, its ratio to the floor and its target, and the same in CPU time.

    Args:
        best: Name → (best wall seconds, best CPU seconds) (see :func:`best_times`).

    Returns:
        The results, the floor first.
    """
    floor, floor_cpu = best["floor"]
    results: list[dict[str, object]] = []
    for name, (seconds, cpu) in best.items():
        ratio = seconds / floor
        target = None if name == "floor" else START_TARGET if name.startswith("--") else BUILD_TARGET
        met = target is None or (ratio <= target and (target == START_TARGET or seconds < BUILD_TARGET_S))
        results.append(
            {
                "measure": name,
                "seconds": round(seconds, 3),
                "x_floor": round(ratio, 2),
                "target_x": target,
                "met": met,
                "cpu_seconds": round(cpu, 3),
                "cpu_x_floor": round(cpu / floor_cpu, 2),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds that count (the best of them is kept)")
    runs = parser.parse_args().runs
    before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        best = best_times(commands(Path(tmp)), runs)
    after = load_average()
    results = results_of(best)
    for r in results:
        target = "" if r["target_x"] is None else f"  target ≤ {r['target_x']} ×: {'met' if r['met'] else 'NOT MET'}"
        print(
            f"{r['measure']:<20} {r['seconds']:6.3f} s  {r['x_floor']:5.2f} × floor{target}"
            f"  (CPU {r['cpu_seconds']:.3f} s, {r['cpu_x_floor']:.2f} ×)"
        )
    print(f"load average before: {before}; after: {after} (2 cores: above 2 the times are inflated)")
    write_results(
        "sample_build",
        [*results, {"load_average_before": before, "load_average_after": after, "runs": runs}],
        [
            f"Best of {runs} rounds; load average {before} before, {after} after. The floor: `python -c "
            f'"{FLOOR_IMPORT}"`. Builds: `mops-xl build <sample> -o … --quiet` (workbook and framework).',
            "",
            "| measure | best (s) | × floor | target | CPU (s) | CPU × floor |",
            "|---|---:|---:|---|---:|---:|",
        ],
        [
            f"| {r['measure']} | {r['seconds']:.3f} | {r['x_floor']:.2f} | "
            + (
                "(the floor)"
                if r["target_x"] is None
                else f"≤ {r['target_x']} ×{'' if r['target_x'] == START_TARGET else f', < {BUILD_TARGET_S} s'}: "
                f"{'met' if r['met'] else 'not met'}"
            )
            + f" | {r['cpu_seconds']:.3f} | {r['cpu_x_floor']:.2f} |"
            for r in results
        ],
    )


if __name__ == "__main__":
    main()
