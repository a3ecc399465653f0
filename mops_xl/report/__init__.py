"""The report workbook: a living Excel model of the engine's results (see :func:`build_report`)."""

from .workbook import ReportWriter, build_report, check_output_path, default_report_path, export_report_pdf

__all__ = ["ReportWriter", "build_report", "check_output_path", "default_report_path", "export_report_pdf"]
