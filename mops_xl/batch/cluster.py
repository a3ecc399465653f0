"""Building a batch on a Dask cluster (``mops-xl build … --scheduler tcp://host:8786``): one task per intake.

Dask is an optional extra (``pip install 'mops-xl[dask]'``) and is imported here only, only when a scheduler
is given: ``import mops_xl`` never loads it. The workers run :func:`mops_xl.batch.task.build_one` on the intake
paths as given (made absolute on this machine), so every worker must see the intakes and the output folder
at the same paths (a shared file system); the roll-up is written on this machine, as in the local path.
"""

from __future__ import annotations

import dataclasses
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mops_xl.batch.task import BatchResult, build_one
from mops_xl.errors import MopsXLError
from mops_xl.pipeline import BuildOptions
from mops_xl.plural import count

#: Seconds to wait for the scheduler to answer before giving up.
CONNECT_TIMEOUT = 10.0
INSTALL_HINT = "pip install 'mops-xl[dask]'"
SHARED_HINT = "every worker needs the intakes and the output folder at the same paths (a shared file system)"


class ClusterError(MopsXLError):
    """The Dask cluster cannot be used: Dask missing, a bad or unreachable address, unfit workers."""


def build_on_cluster(
    sources: list[Path],
    out_dir: Path | None,
    scheduler: str,
    options: BuildOptions | None = None,
    *,
    timeout: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[BatchResult]:
    """Build every intake as one task on the Dask cluster at ``scheduler``; never stops at a bad file.

    Args:
        sources: The intakes.
        out_dir: The folder for the outputs (None: beside each intake).
        scheduler: The scheduler's address, e.g. ``tcp://10.0.0.5:8786``.
        options: The build options, the same as for a single build.
        timeout: Seconds to wait for the scheduler (default :data:`CONNECT_TIMEOUT`).
        progress: Called with one line of text as the batch advances (e.g. ``Progress.stage``).

    Returns:
        One result per intake, in the order given, with the paths as given (as the local path returns them).
        A task that raised (e.g. its worker died) is a "failed" result naming the exception.

    Raises:
        ClusterError: Dask is not installed, the address is malformed or unreachable, or a connected worker
            lacks mops-xl (or runs another version) or cannot see the intake or output folders.
    """
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--scheduler needs Dask, which is not installed here: {INSTALL_HINT}") from None
    _check_address(scheduler)
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    say = progress or (lambda text: None)
    say(f"Connecting to {scheduler}")
    try:
        client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except OSError:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s: is `dask scheduler` "
            "running there, and its port open to this machine?"
        ) from None
    with client:
        absolute = [s.absolute() for s in sources]
        out_abs = None if out_dir is None else out_dir.absolute()
        _check_workers(client, absolute, out_abs)
        futures = {client.submit(build_one, src, out_abs, options, pure=False): i for i, src in enumerate(absolute)}
        total, done, bad = len(sources), 0, 0
        waiting = "" if client.ncores() else ": waiting for a worker to join"
        say(f"Building {count(total, 'intake')} on {scheduler}{waiting}")
        results: list[BatchResult | None] = [None] * total
        for future in distributed.as_completed(futures, loop=client.loop):
            i = futures[future]
            result = _as_given(_outcome(future, absolute[i]), sources[i], out_dir)
            results[i] = result
            future.release()
            done += 1  # noqa: SIM113 (as_completed: counts finished tasks, not positions)
            bad += result.status != "built"
            say(f"Built {done - bad} of {total} on {scheduler}" + (f", {bad} not built" if bad else ""))
    return [r for r in results if r is not None]


def _check_address(address: str) -> None:
    """Refuse a malformed address before a Client is made (a half-made Client prints a traceback at exit)."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    try:
        scheme, location = parse_address(address, strict=False)
        get_backend(scheme)
        if scheme in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)
    except ValueError as exc:
        raise ClusterError(
            f"--scheduler {address}: not a Dask scheduler address ({exc}); expected e.g. tcp://scheduler-host:8786"
        ) from None


def _check_workers(client: Any, sources: list[Path], out_dir: Path | None) -> None:
    """Ask every worker connected now whether it can do the job (workers that join later are not asked)."""
    if not client.ncores():
        return  # an adaptive cluster starts its workers when tasks arrive
    read = sorted({str(s.parent) for s in sources})
    write = [str(out_dir)] if out_dir is not None else read
    replies = client.run(worker_check, read, write, on_error="return")
    problem = worker_problem(replies)
    if problem:
        raise ClusterError(problem)


def worker_check(read: list[str], write: list[str]) -> dict[str, Any]:
    """What a worker can do, run on the worker.

    Args:
        read: Folders the worker must read (the intakes').
        write: Folders the worker must write to (the outputs').

    Returns:
        ``version``: the worker's mops-xl version; ``cannot``: ``[folder, "read" | "write"]`` pairs it lacks.
    """
    from mops_xl import __version__

    cannot = [[d, "read"] for d in read if not (os.path.isdir(d) and os.access(d, os.R_OK | os.X_OK))]
    cannot += [[d, "write"] for d in write if not (os.path.isdir(d) and os.access(d, os.W_OK | os.X_OK))]
    return {"version": __version__, "cannot": cannot}


def worker_problem(replies: dict[str, Any]) -> str:
    """The first reason a worker cannot build, from the :func:`worker_check` replies.

    Args:
        replies: Worker address → its reply, or the exception it raised (no mops-xl there, typically).

    Returns:
        A one-line message, or "" when every worker can build.
    """
    from mops_xl import __version__

    for worker, reply in sorted(replies.items()):
        if isinstance(reply, BaseException):
            return (
                f"Dask worker {worker} cannot run mops-xl ({type(reply).__name__}: {reply}): "
                f"{INSTALL_HINT} on every worker"
            )
        if reply["version"] != __version__:
            return (
                f"Dask worker {worker} runs mops-xl {reply['version']}, this machine {__version__}: "
                "install the same version everywhere"
            )
        if reply["cannot"]:
            folder, what = reply["cannot"][0]
            return f"Dask worker {worker} cannot {what} {folder}: {SHARED_HINT}"
    return ""


def _outcome(future: Any, source: Path) -> BatchResult:
    """A finished task's result; a task that raised becomes a failed result."""
    try:
        return future.result()
    except Exception as exc:  # the task raised (build_one never does) or was cancelled: this file only
        return BatchResult(
            source,
            "failed",
            errors=1,
            message=f"the Dask task failed: {type(exc).__name__}: {exc}",
            document={"error": "".join(traceback.format_exception_only(exc)).strip()},
        )


def _as_given(result: BatchResult, source: Path, out_dir: Path | None) -> BatchResult:
    """The result with the paths as the user gave them (the workers were given absolute ones)."""
    folder = source.parent if out_dir is None else out_dir
    report = None if result.report is None else folder / result.report.name
    pdf = None if result.pdf is None else folder / result.pdf.name
    row = dict(result.row, Report=str(report)) if result.row else result.row
    return dataclasses.replace(result, source=source, report=report, row=row, pdf=pdf)
