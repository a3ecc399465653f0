"""Progress on a terminal: the current stage with a live clock, each finished stage with its time.

Silent when stderr is not a terminal or when disabled (``--quiet``); rich draws it.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any


class Progress:
    """Shows the stages of a long command (read and validate, compute, write) on stderr.

    Args:
        enabled: False for ``--quiet``; progress also stays off when stderr is not a terminal.
    """

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None
        self._name = ""
        self._started = time.perf_counter()

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress as Bar
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            self._bar = Bar(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
        return self

    def stage(self, name: str) -> None:
        """Finish the current stage (printing its time) and start the next.

        Args:
            name: What is being done, e.g. ``"Writing the report"``.
        """
        if self._bar is None:
            return
        self._finish()
        self._name, self._started = name, time.perf_counter()
        self._task = self._bar.add_task(f"{name}…", total=None)

    def update(self, text: str) -> None:
        """Say how the current stage is going (e.g. "Built 12 of 340"), starting a stage if none is running.

        Args:
            text: One line.
        """
        if self._bar is None:
            return
        if self._task is None:
            self.stage(text)
        else:
            self._bar.update(self._task, description=text)

    def _finish(self) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._bar.refresh()
            self._bar.console.print(
                f"[green]✓[/green] {self._name} ({time.perf_counter() - self._started:.1f} s)", highlight=False
            )
            self._task = None

    def stop(self) -> None:
        """Finish the current stage and remove the progress line (before printing a report)."""
        if self._bar is not None:
            self._finish()
            self._bar.stop()
            self._bar = None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
