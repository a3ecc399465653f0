"""Writing files atomically: into a temporary file beside the target, then renamed over it.

The temporary file's name carries the writing process's id (``.<stem>.<pid>.<random><suffix>.tmp``), so that the
next run can remove the leftovers of a process that was killed (its id no longer runs) without touching the
temporary file of a writer still at work. XlsxWriter's own temporary files (one per sheet, holding intake text) go
in a private folder (mode 0700) that is removed however the write ends.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from mops_xl.errors import OutputError

#: The custom document property that marks a workbook mops-xl wrote (report, roll-up, campaign templates): a batch
#: never reads one as an intake. Intakes (blank, example or imported) do not carry it.
OUTPUT_PROPERTY = "mops-xl output"
#: The custom document property in which a report names the intake file it was built from (so a report given as an
#: intake can name the file to build instead).
SOURCE_PROPERTY = "mops-xl intake"
#: The keyword that marks a PDF mops-xl wrote (the board pack): LibreOffice copies the workbook's keywords into the
#: PDF's Keywords, one word each, so the mark is one word. A rebuild replaces or removes only a PDF that carries it.
PDF_MARK = "mops-xl-output"
#: A leftover without a process id (written by an older version) is removed once it is this old, in seconds.
LEGACY_LEFTOVER_AGE = 3600
#: The outputs written but not yet renamed inside :func:`all_or_nothing` (None outside it).
_PENDING: contextvars.ContextVar[list[tuple[Path, Path]] | None] = contextvars.ContextVar("_PENDING", default=None)


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it to ``path``.

    A failure (any exception, including an interrupt or a termination signal turned into ``SystemExit`` by the
    CLI) removes the temporary file and leaves ``path`` as it was, so no reader ever sees a half-written file;
    two writers racing for one path leave one whole file. Leftovers of killed writers of ``path`` are removed
    first.

    Args:
        path: The final path.

    Yields:
        The temporary path to write to.

    Raises:
        OutputError: The folder cannot take a new file (read-only, missing, no permission, disk full).
    """
    path = Path(path)
    remove_leftovers(path)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.stem}.{os.getpid()}.", suffix=path.suffix + ".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write there ({exc.strerror or exc})") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644 & ~_umask())
        pending = _PENDING.get()
        if pending is None:
            os.replace(tmp, path)
        else:  # inside :func:`all_or_nothing`: renamed with the others when they are all written
            pending.append((tmp, path))
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Make the atomic outputs written inside the block one change: each stays a temporary file until the block
    ends, then all are renamed over their targets; a failure in the block (a full disk on the last file) removes
    them all, so a build leaves its whole set of outputs (report and framework files) or none of them.

    Yields:
        Nothing: write with :func:`atomic_output` inside the block.
    """
    pending: list[tuple[Path, Path]] = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    finally:
        _PENDING.reset(token)
    for tmp, path in pending:
        os.replace(tmp, path)


def remove_leftovers(path: str | Path) -> list[Path]:
    """Remove the temporary files a killed writer of ``path`` left beside it.

    Args:
        path: The final path.

    Returns:
        The files removed.
    """
    path = Path(path)
    pattern = re.compile(re.escape(f".{path.stem}.") + r"(?:(\d+)\.)?[\w-]+" + re.escape(path.suffix + ".tmp") + "$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        pid = match.group(1)
        stale = not _running(int(pid)) if pid else _age(entry) > LEGACY_LEFTOVER_AGE
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def private_workdir() -> Iterator[str]:
    """Yield a new private folder (mode 0700) in the temp folder, removed with its content afterwards.

    For XlsxWriter's ``tmpdir`` option: its temporary files hold intake text, so no one else may read them, and
    none may survive a failed or interrupted write.

    Yields:
        The folder's path.
    """
    held = _hold_termination()  # a TERM between creating the folder and guarding it would leave it behind
    try:
        folder = tempfile.mkdtemp(prefix="mops-xl-")  # created 0700
    except BaseException:
        _release(held)
        raise
    try:
        _release(held)  # a TERM that came meanwhile is raised here, inside the guard
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: The signals that end a build (the CLI turns them into a clean exit).
_TERMINATION = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _hold_termination() -> object:
    """Hold TERM and HUP back (where the system can), returning what to restore."""
    if not hasattr(signal, "pthread_sigmask") or not _TERMINATION:
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _TERMINATION)


def _release(held: object) -> None:
    """Let the held signals through again (a pending one is delivered now)."""
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # type: ignore[arg-type]


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it runs, as another user
    return True


def _age(entry: os.DirEntry) -> float:
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
