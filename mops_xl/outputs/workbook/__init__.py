"""The report workbook: a living Excel model of the engine's results (see :func:`build_report`).

One writer class per group of sheets; :class:`ReportWriter` is the facade that runs them in order.
"""

from mops_xl.outputs.workbook.writer import (
    ReportWriter,
    build_report,
    check_output_path,
    default_report_path,
    export_board_pack,
)

__all__ = ["ReportWriter", "build_report", "check_output_path", "default_report_path", "export_board_pack"]
