"""The intake: the schema declared once as data, and everything it drives.

Owns the intake workbook's schema (sheets, columns, types, allowed values, defaults), the blank template,
the filled example, opening a file safely, reading and coercing cells, the validation checks and the
:class:`~mops_xl.intake.problems.ValidationReport` that lists every problem with its cell.

May import: :mod:`mops_xl.errors` and :mod:`mops_xl.atomic` only: nothing of the metrics, the outputs,
the importers or the batch.

The names below are imported when first used (:func:`__getattr__`): importing one small module of the intake
(``mops_xl.intake.problems`` for the command line) does not load the readers and pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mops_xl.intake.load import load_intake, read_intake, validate_intake
    from mops_xl.intake.model import Intake

#: Each public name → the module it comes from.
LAZY_NAMES = {
    "Intake": "mops_xl.intake.model",
    "load_intake": "mops_xl.intake.load",
    "read_intake": "mops_xl.intake.load",
    "validate_intake": "mops_xl.intake.load",
}

__all__ = ["Intake", "load_intake", "read_intake", "validate_intake"]


def __getattr__(name: str) -> Any:
    """A public name of the intake, imported from its module on first use (PEP 562) and kept.

    Args:
        name: The attribute asked for.

    Returns:
        The function or class.

    Raises:
        AttributeError: No such name (submodules are found by the import system before this is asked).
    """
    if name not in LAZY_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(LAZY_NAMES[name]), name)
    globals()[name] = value
    return value
