"""Read a workbook's content (values, validations, tables, panes, properties) for comparisons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl


def workbook_content(path: str | Path) -> dict[str, Any]:
    """Return what a person sees in a workbook, without volatile parts (timestamps, zip layout).

    Args:
        path: The .xlsx file.

    Returns:
        A dict comparable with ``==``.
    """
    wb = openpyxl.load_workbook(path)
    content: dict[str, Any] = {
        "sheets": wb.sheetnames,
        "custom_properties": {p.name: p.value for p in wb.custom_doc_props.props},
        "title": wb.properties.title,
    }
    for ws in wb.worksheets:
        content[ws.title] = {
            "cells": {
                c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value is not None
            },
            "validations": sorted(
                (str(dv.sqref), dv.formula1, dv.errorStyle) for dv in ws.data_validations.dataValidation
            ),
            "tables": sorted((t.name, t.ref) for t in ws.tables.values()),
            "freeze_panes": ws.freeze_panes,
            "widths": {k: round(v.width, 2) for k, v in ws.column_dimensions.items() if v.width},
        }
    return content
