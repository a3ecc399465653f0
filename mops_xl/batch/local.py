"""Building many intakes at once (an agency's Monday): in parallel on this machine, or on a Dask cluster.

One failure never stops the others; each intake goes through the same pipeline as a single build.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from mops_xl.batch.task import BatchResult, build_one
from mops_xl.intake.file import output_kind
from mops_xl.pipeline import BuildOptions


def find_intakes(paths: list[Path]) -> list[Path]:
    """Expand folders into the .xlsx intakes they hold, and those of their sub-folders one level down (an agency's
    one folder per client, ``clients/acme/intake.xlsx``): not mops-xl's own outputs (reports, roll-ups, recognised by
    their document property; imported intakes are intakes), not Excel's lock files, only regular files; hidden
    sub-folders (a name starting with ".") are left out.

    Args:
        paths: Files and folders.

    Returns:
        The intake files: a folder's own in name order, then each sub-folder's, sub-folders in name order.
    """
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found += _intakes_in(p)
            for sub in sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith(".")):
                found += _intakes_in(sub)
        else:
            found.append(p)
    return found


def _intakes_in(folder: Path) -> list[Path]:
    """The intakes a folder itself holds, in name order (see :func:`find_intakes`)."""
    return sorted(
        f
        for f in folder.iterdir()
        if f.suffix.lower() in (".xlsx", ".xlsm")
        and not f.name.startswith("~$")
        and f.is_file()  # a named pipe in the folder would block the batch
        and not output_kind(f)
    )


def build_many(
    sources: list[Path],
    out_dir: Path | None,
    jobs: int | None = None,
    options: BuildOptions | None = None,
    scheduler: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[BatchResult]:
    """Build every intake, ``jobs`` at a time (default: the number of cores), or on a Dask cluster.

    Args:
        sources: The intakes.
        out_dir: The folder for the outputs (None: beside each intake).
        jobs: Parallel processes (1 builds in this process); ignored with ``scheduler``.
        options: The build options, the same as for a single build.
        scheduler: A Dask scheduler's address (e.g. ``tcp://host:8786``): one task per intake on its workers,
            which must see the intakes and ``out_dir`` at the same paths (see :mod:`mops_xl.batch.cluster`).
        progress: With ``scheduler``, called with one line of text as the batch advances.

    Returns:
        One result per intake, in the order given.

    Raises:
        mops_xl.batch.cluster.ClusterError: With ``scheduler``: Dask is missing, or the cluster cannot be used.
    """
    if scheduler is not None:
        from mops_xl.batch.cluster import build_on_cluster

        return build_on_cluster(sources, out_dir, scheduler, options, progress=progress)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(sources) == 1:
        return [build_one(s, out_dir, options) for s in sources]
    results: list[BatchResult | None] = [None] * len(sources)
    with ProcessPoolExecutor(max_workers=min(jobs, len(sources))) as pool:
        futures = [pool.submit(build_one, s, out_dir, options) for s in sources]
        for i, future in enumerate(futures):
            with contextlib.suppress(BrokenProcessPool):  # a worker died (killed, out of memory, a native crash)
                results[i] = future.result()
    for i, source in enumerate(sources):  # each intake the dead worker took with it, alone in a fresh process
        if results[i] is None:
            results[i] = _build_isolated(source, out_dir, options)
    return [r for r in results if r is not None]


def _build_isolated(source: Path, out_dir: Path | None, options: BuildOptions | None) -> BatchResult:
    """Build one intake in a process of its own; a dead process fails that intake only."""
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            return pool.submit(build_one, source, out_dir, options).result()
    except BrokenProcessPool:
        return BatchResult(
            source,
            "failed",
            errors=1,
            message="the process building it died (killed, out of memory or crashed); the other intakes were built",
        )
