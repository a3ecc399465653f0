"""mops-xl: a marketing-operations intake workbook in, a leadership report workbook out.

The library behind the ``mops-xl`` command::

    from mops_xl import load_intake, build_report
    intake = load_intake("intake.xlsx")       # raises IntakeError with every problem
    build_report(intake, "intake-report.xlsx")
"""

__version__ = "0.1.0"  # before the imports: modules below read it

from .analysis import Analysis, analyse
from .intake import Intake, load_intake, read_intake, validate_intake
from .problems import IntakeError, MopsXLError, OutputError, Problem, Report
from .report import build_report
from .schema import SCHEMA_VERSION
from .template import write_intake

__all__ = [
    "Analysis", "analyse", "build_report", "Intake", "IntakeError", "MopsXLError", "OutputError", "Problem", "Report", "SCHEMA_VERSION",
    "__version__", "load_intake", "read_intake", "validate_intake", "write_intake",
]
