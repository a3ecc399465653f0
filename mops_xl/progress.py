"""Progress on a terminal: one line per stage with rich; silent when not a terminal or when disabled."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any


class Progress:
    """Shows the current stage of a long command (read, validate, compute, write) on stderr.

    Args:
        enabled: False for ``--quiet``; progress also stays off when stderr is not a terminal.
    """

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and sys.stderr.isatty()
        self._status: Any = None
        self._started = time.perf_counter()
        self._console: Any = None

    def __enter__(self) -> "Progress":
        if self.enabled:
            from rich.console import Console

            self._console = Console(stderr=True)
            self._status = self._console.status("Starting…")
            self._status.start()
        return self

    def stage(self, name: str) -> None:
        """Announce the next stage.

        Args:
            name: What is being done, e.g. ``"Writing the report"``.
        """
        if self._status is not None:
            elapsed = time.perf_counter() - self._started
            self._status.update(f"{name}… ({elapsed:.1f} s)")

    def stop(self) -> None:
        """Remove the progress line (before printing a report)."""
        if self._status is not None:
            self._status.stop()
            self._status = None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
