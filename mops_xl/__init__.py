"""mops-xl: a marketing-operations intake workbook in, a leadership report workbook out.

The library behind the ``mops-xl`` command::

    from mops_xl import load_intake, build_report
    intake = load_intake("intake.xlsx")       # raises IntakeError with every problem
    build_report(intake, "intake-report.xlsx")

The names below are imported when first used (:func:`__getattr__`), so ``import mops_xl`` and ``mops-xl --version``
do not load pandas, the analysis and the report writer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

if TYPE_CHECKING:
    from mops_xl.analysis.engine import Analysis, analyse
    from mops_xl.errors import IntakeError, MopsXLError, OutputError
    from mops_xl.intake.load import load_intake, read_intake, validate_intake
    from mops_xl.intake.model import Intake
    from mops_xl.intake.problems import Problem, ValidationReport
    from mops_xl.intake.schema import SCHEMA_VERSION
    from mops_xl.intake.template import write_intake
    from mops_xl.outputs.workbook import build_report

#: Each public name → the module it comes from (the same as the ``TYPE_CHECKING`` imports above).
LAZY_NAMES = {
    "Analysis": "mops_xl.analysis.engine",
    "analyse": "mops_xl.analysis.engine",
    "IntakeError": "mops_xl.errors",
    "MopsXLError": "mops_xl.errors",
    "OutputError": "mops_xl.errors",
    "load_intake": "mops_xl.intake.load",
    "read_intake": "mops_xl.intake.load",
    "validate_intake": "mops_xl.intake.load",
    "Intake": "mops_xl.intake.model",
    "Problem": "mops_xl.intake.problems",
    "ValidationReport": "mops_xl.intake.problems",
    "SCHEMA_VERSION": "mops_xl.intake.schema",
    "write_intake": "mops_xl.intake.template",
    "build_report": "mops_xl.outputs.workbook",
}

__all__ = [
    "Analysis",
    "analyse",
    "build_report",
    "Intake",
    "IntakeError",
    "MopsXLError",
    "OutputError",
    "Problem",
    "ValidationReport",
    "SCHEMA_VERSION",
    "__version__",
    "load_intake",
    "read_intake",
    "validate_intake",
    "write_intake",
]


def __getattr__(name: str) -> Any:
    """A public name of the package, imported from its module on first use (PEP 562) and kept.

    Args:
        name: The attribute asked for (``mops_xl.load_intake``, ``from mops_xl import build_report``).

    Returns:
        The function, class or constant.

    Raises:
        AttributeError: The package has no such name.
    """
    if name not in LAZY_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(LAZY_NAMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The package's names, the lazy ones included (for ``dir(mops_xl)`` and completion)."""
    return sorted({*globals(), *LAZY_NAMES})
