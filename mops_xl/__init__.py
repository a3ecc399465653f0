"""mops-xl: a marketing-operations intake workbook in, a leadership report workbook out.

The library behind the ``mops-xl`` command::

    from mops_xl import load_intake, build_report
    intake = load_intake("intake.xlsx")       # raises IntakeError with every problem
    build_report(intake, "intake-report.xlsx")
"""

__version__ = "0.1.0"  # before the imports: modules below read it

from mops_xl.analysis.engine import Analysis, analyse
from mops_xl.errors import IntakeError, MopsXLError, OutputError
from mops_xl.intake.load import load_intake, read_intake, validate_intake
from mops_xl.intake.model import Intake
from mops_xl.intake.problems import Problem, ValidationReport
from mops_xl.intake.schema import SCHEMA_VERSION
from mops_xl.intake.template import write_intake
from mops_xl.outputs.workbook import build_report

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
