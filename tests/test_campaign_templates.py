"""The campaign template library and the workbook kept in workbook_templates/."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from workbook_content import workbook_content

from mops_xl.campaigns.library import OWNER_ROLES, PHASES, TEMPLATES
from mops_xl.campaigns.workbook import write_campaign_templates
from mops_xl.intake.schema import CAMPAIGN_TYPES

ROOT = Path(__file__).resolve().parents[1]


def test_one_template_per_campaign_type_with_a_realistic_checklist() -> None:
    assert [t.campaign_type for t in TEMPLATES] == list(CAMPAIGN_TYPES)
    for t in TEMPLATES:
        assert 12 <= len(t.items) <= 30, t.campaign_type
        assert {i.phase for i in t.items} == set(PHASES), t.campaign_type  # every phase has work
        assert {i.owner_role for i in t.items} <= set(OWNER_ROLES)
        offsets = [i.offset_days for i in t.items]
        assert offsets == sorted(offsets), f"{t.campaign_type}: checklist not in date order"
        assert min(offsets) < 0 <= max(offsets)
        assert (max(offsets) - min(offsets)) / 7 <= t.timeline_weeks


def test_product_launch_covers_what_a_launch_needs() -> None:
    launch = " | ".join(i.task.lower() for i in TEMPLATES[0].items)
    for need in ("positioning", "enablement", "press", "landing page", "utm", "qa", "monitoring", "retro"):
        assert need in launch, need


def test_kept_workbook_matches_the_library(tmp_path: Path) -> None:
    fresh = write_campaign_templates(tmp_path / "campaign_templates.xlsx")
    kept = ROOT / "workbook_templates" / "campaign_templates.xlsx"
    assert workbook_content(kept) == workbook_content(fresh), (
        "run: python -m mops_xl.campaigns.workbook workbook_templates/campaign_templates.xlsx"
    )


def test_summary_sheet_links_to_each_template(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_campaign_templates(tmp_path / "t.xlsx"))
    summary = wb["Campaign Templates"]
    rows = list(summary.iter_rows(min_row=4, max_row=7))
    assert [r[0].value for r in rows] == list(CAMPAIGN_TYPES)
    assert [r[3].hyperlink.location for r in rows] == [f"'{t}'!A1" for t in CAMPAIGN_TYPES]
    assert [r[2].value for r in rows] == [len(t.items) for t in TEMPLATES]
