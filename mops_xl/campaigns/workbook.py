"""workbook_templates/campaign_templates.xlsx: the campaign template library as a workbook.

Regenerate with ``python -m mops_xl.campaigns.workbook workbook_templates/campaign_templates.xlsx``; a test
fails when the kept file differs in content from what this module writes.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import xlsxwriter

from mops_xl.atomic import atomic_output, private_workdir
from mops_xl.campaigns.library import TEMPLATES

SUMMARY = "Campaign Templates"
HEADERS = ("Campaign Type", "Timeline (weeks)", "Checklist items", "Template reference", "Use it for")
CHECKLIST_HEADERS = ("#", "Phase", "Task", "Owner role", "Days from launch")


def write_campaign_templates(path: str | Path) -> Path:
    """Write the template library: a summary sheet with links, and one checklist sheet per campaign type.

    Args:
        path: Where to write the .xlsx (atomically).

    Returns:
        The path written.
    """
    path = Path(path)
    with atomic_output(path) as tmp, private_workdir() as work:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "tmpdir": work})
        wb.set_properties({"title": "mops-xl campaign templates", "created": dt.datetime(2026, 1, 1)})
        header = wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1})
        title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"})
        link = wb.add_format({"font_color": "#0563C1", "underline": 1})
        summary = wb.add_worksheet(SUMMARY)
        summary.write_string(0, 0, SUMMARY, title)
        summary.write_row(2, 0, list(HEADERS), header)
        for i, t in enumerate(TEMPLATES, start=3):
            summary.write_string(i, 0, t.campaign_type)
            summary.write_number(i, 1, t.timeline_weeks)
            summary.write_number(i, 2, len(t.items))
            summary.write_url(i, 3, f"internal:'{t.campaign_type}'!A1", link, t.reference)
            summary.write_string(i, 4, t.purpose)
        summary.set_column(0, 0, 18)
        summary.set_column(1, 3, 18)
        summary.set_column(4, 4, 70)
        for t in TEMPLATES:
            ws = wb.add_worksheet(t.campaign_type)
            ws.write_string(0, 0, f"{t.campaign_type} — {t.reference} ({t.timeline_weeks} weeks)", title)
            ws.write_row(2, 0, list(CHECKLIST_HEADERS), header)
            for n, item in enumerate(t.items, start=1):
                ws.write_row(2 + n, 0, [n, item.phase, item.task, item.owner_role, item.offset_days])
            ws.set_column(0, 0, 5)
            ws.set_column(1, 1, 14)
            ws.set_column(2, 2, 60)
            ws.set_column(3, 4, 16)
            ws.freeze_panes(3, 0)
        wb.close()
    return path


if __name__ == "__main__":
    print(write_campaign_templates(sys.argv[1] if len(sys.argv) > 1 else "campaign_templates.xlsx"))
