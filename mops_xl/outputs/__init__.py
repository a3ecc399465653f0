"""Outputs: what the engine computed, laid out for people; nothing here computes a figure.

- :mod:`mops_xl.outputs.workbook`: the report workbook (one writer class per group of sheets).
- :mod:`mops_xl.outputs.framework`: the text Marketing Operations Framework (box drawing and Markdown).
- :mod:`mops_xl.outputs.json_output`: the ``--json`` document and the terminal summary.
- :mod:`mops_xl.outputs.libreoffice`: LibreOffice, for the PDF.

May import: :mod:`mops_xl.analysis`, :mod:`mops_xl.intake`, :mod:`mops_xl.campaigns`, :mod:`mops_xl.errors`,
:mod:`mops_xl.atomic`; never :mod:`mops_xl.batch`, :mod:`mops_xl.pipeline` or :mod:`mops_xl.cli`.
"""
