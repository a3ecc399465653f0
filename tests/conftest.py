"""Shared test set-up: helper modules importable, hypothesis profiles sized for a 2-core CI machine, and the
reports recalculated by LibreOffice (built once per session, in one LibreOffice call)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, settings

sys.path.insert(0, str(Path(__file__).parent))

# No "explain" phase: it rewrites source files to show failing examples, slowly, on every failure.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
# CI is deterministic (issue 18: a junk-cell case failed in one run and passed in the next): the same examples every
# run, from a seed derived from each test, and no example database carried between runs. "dev" explores at random.
settings.register_profile(
    "ci", max_examples=40, deadline=None, print_blob=True, phases=_PHASES, derandomize=True, database=None
)
settings.register_profile("dev", max_examples=200, deadline=None, phases=_PHASES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


#: Fixtures of this file whose (costly) result a whole session shares: under pytest-xdist every module using one
#: runs on the same worker, so it is built once, not once per worker.
_SESSION_SHARED = ("recalculated_reports",)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks (--dist loadgroup, in addopts)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A LibreOffice test is always a slow one too, so `pytest -m "not slow"` never starts LibreOffice.

    Under pytest-xdist (``-n auto --dist loadgroup``, pyproject.toml) a module's tests stay together on one worker,
    so its module-scoped fixtures (reports built, PDFs printed) are made once; the modules sharing a session
    fixture of :data:`_SESSION_SHARED` go to one worker together.
    """
    shared = {
        _module(item): name for item in items for name in _SESSION_SHARED if name in getattr(item, "fixturenames", ())
    }
    for item in items:
        if item.get_closest_marker("libreoffice") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
        item.add_marker(pytest.mark.xdist_group(shared.get(_module(item), _module(item))))


def _module(item: pytest.Item) -> str:
    """The name of a test's file (its xdist group unless it shares a session fixture)."""
    return Path(item.nodeid.split("::")[0]).stem


@pytest.fixture(scope="session")
def recalculated_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The reports of the three samples and of every edge intake (tests/edge_intakes.py), each with its copy
    recalculated by LibreOffice: label → (report as built, recalculated copy). One LibreOffice call for all
    (a profile per call: parallel runs sharing one collide)."""
    from edge_intakes import EDGE_INTAKES
    from recalculation import ROOT, SAMPLES, build_and_recalculate

    folder = tmp_path_factory.mktemp("reports")
    intakes = {s: ROOT / "samples" / f"{s}.xlsx" for s in SAMPLES}
    intakes.update({label: write(folder / f"{label}.xlsx") for label, write in EDGE_INTAKES.items()})
    return build_and_recalculate(intakes, folder)
