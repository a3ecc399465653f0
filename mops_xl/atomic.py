"""Writing files atomically: into a temporary file beside the target, then renamed over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mops_xl.errors import OutputError


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it to ``path``.

    A failure (any exception) removes the temporary file and leaves ``path`` as it was, so no reader ever
    sees a half-written file; two writers racing for one path leave one whole file.

    Args:
        path: The final path.

    Yields:
        The temporary path to write to.

    Raises:
        OutputError: The folder cannot take a new file (read-only, missing, no permission, disk full).
    """
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write there ({exc.strerror or exc})") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
