"""The intake: the schema declared once as data, and everything it drives.

Owns the intake workbook's schema (sheets, columns, types, allowed values, defaults), the blank template,
the filled example, opening a file safely, reading and coercing cells, the validation checks and the
:class:`~mops_xl.intake.problems.ValidationReport` that lists every problem with its cell.

May import: :mod:`mops_xl.errors` and :mod:`mops_xl.atomic` only: nothing of the metrics, the outputs,
the importers or the batch.
"""

from mops_xl.intake.load import load_intake, read_intake, validate_intake
from mops_xl.intake.model import Intake

__all__ = ["Intake", "load_intake", "read_intake", "validate_intake"]
