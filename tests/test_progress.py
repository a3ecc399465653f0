"""Progress: each finished stage with its time on a terminal; nothing when quiet or not a terminal."""

from __future__ import annotations

import io
import re
import sys

import pytest

from mops_xl.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, enabled: bool = True) -> str:
    monkeypatch.setattr(sys, "stderr", stream)
    with Progress(enabled=enabled) as progress:
        progress.stage("Reading and validating")
        progress.stage("Computing")
        progress.update("Computing: attribution")
        progress.stage("Writing the report")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # without the terminal's colour codes


def test_finished_stages_are_listed_with_their_time_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _run(monkeypatch, _Terminal())
    done = [line.split("✓ ", 1)[1].split(" (")[0] for line in out.splitlines() if "✓ " in line]
    assert done == ["Reading and validating", "Computing", "Writing the report"]
    assert all(line.rstrip().endswith(" s)") for line in out.splitlines() if "✓ " in line)


def test_quiet_or_not_a_terminal_prints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(monkeypatch, _Terminal(), enabled=False) == ""
    assert _run(monkeypatch, io.StringIO()) == ""
