"""One writer class per group of sheets of the report, each built on
:class:`~mops_xl.outputs.workbook.layout.sheet_writer.SheetWriter` and called in order by
:class:`~mops_xl.outputs.workbook.writer.ReportWriter`."""
