"""Shared test set-up: helper modules importable, hypothesis profiles sized for a 2-core CI machine."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, settings

sys.path.insert(0, str(Path(__file__).parent))

# No "explain" phase: it rewrites source files to show failing examples, slowly, on every failure.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
settings.register_profile("ci", max_examples=40, deadline=None, print_blob=True, phases=_PHASES)
settings.register_profile("dev", max_examples=200, deadline=None, phases=_PHASES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A LibreOffice test is always a slow one too, so `pytest -m "not slow"` never starts LibreOffice."""
    for item in items:
        if item.get_closest_marker("libreoffice") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
