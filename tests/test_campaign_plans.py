"""Campaign plans in the report: valid sheet names, back-scheduled due dates, owners, progress, spend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from intake_builders import D, write_valid

from mops_xl import build_report, load_intake
from mops_xl.campaigns.library import TEMPLATES_BY_TYPE
from mops_xl.outputs.libreoffice import recalculate
from mops_xl.outputs.workbook.sheets.campaign_sheets import sheet_name

pytestmark = pytest.mark.slow  # builds reports with plan sheets


@pytest.mark.parametrize(
    "name, taken, exp",
    [
        ("Spring launch", set(), "Spring launch"),
        ("Q1: promo [EU]/US?*", set(), "Q1- promo -EU--US--"),
        ("A" * 40, set(), "A" * 31),
        ("Budget", {"Budget"}, "Budget (2)"),
        ("dashboard", {"Dashboard"}, "dashboard (2)"),
        ("B" * 40, {"B" * 31}, "B" * 27 + " (2)"),
        ("'quoted'", set(), "quoted"),
    ],
)
def test_sheet_names_are_valid_and_unique(name: str, taken: set[str], exp: str) -> None:
    got = sheet_name(name, set(taken))
    assert got == exp and len(got) <= 31


def _data(d: dict) -> None:
    d["Team"] = [{"Role": "Content", "Name": "Cleo"}, {"Role": "Marketing Ops", "Name": "Mo"}]
    d["Campaigns"] = [
        {
            "Campaign": "Spring launch",
            "Type": "Product launch",
            "Launch date": D(2026, 10, 20),
            "Owner": "Pat",
            "Status": "Planning",
            "Channels": ["Google Ads"],
            "Budget": 5000,
        },
        {
            "Campaign": "Creators",
            "Type": "Promotional",
            "Launch date": D(2026, 10, 1),
            "Owner": "Tia",
            "Status": "Launched",
            "Budget": 400,
        },
        {"Campaign": "Untyped idea", "Owner": "Pat"},
    ]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plans")
    return build_report(load_intake(write_valid(folder / "plans.xlsx", _data)), folder / "plans-report.xlsx")


@pytest.mark.slow
def test_plan_sheets_follow_campaign_templates(report: Path) -> None:
    names = openpyxl.load_workbook(report).sheetnames
    i = names.index("Campaign Templates")
    assert names[i + 1 : i + 4] == ["Spring launch", "Creators", "Untyped idea"]
    assert names[i - 1] == "Experiments"


def test_due_dates_are_launch_plus_offset(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    values = openpyxl.load_workbook(report, data_only=True)["Spring launch"]
    ws = wb["Spring launch"]
    assert ws["B4"].value == "=IF(ISNUMBER('Campaigns'!$C$2),'Campaigns'!$C$2,\"–\")"
    items = TEMPLATES_BY_TYPE["Product launch"].items
    first = items[0]  # kick-off, 28 days before the launch on Oct 20: Sep 22
    assert values["C16"].value == first.task and values["F16"].value == -28
    assert values["G16"].value == dt.datetime(2026, 9, 22)
    assert ws["G16"].value == '=IF(ISNUMBER($B$4),$B$4+F16,"–")'
    launch_day = next(n for n, it in enumerate(items) if it.offset_days == 0)
    assert values.cell(16 + launch_day, 7).value == dt.datetime(2026, 10, 20)


def test_owners_come_from_the_team(report: Path) -> None:
    ws = openpyxl.load_workbook(report, data_only=True)["Spring launch"]
    owners = {r[3]: r[4] for r in ws.iter_rows(min_row=16, values_only=True) if r[3]}
    assert owners["Content"] == "Cleo" and owners["Marketing Ops"] == "Mo"
    assert owners["Demand Gen"] == "Pat"  # nobody holds the role: the campaign owner


def test_status_dropdown_progress_and_timeline(report: Path) -> None:
    ws = openpyxl.load_workbook(report)["Spring launch"]
    n = len(TEMPLATES_BY_TYPE["Product launch"].items)
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == '"Not started,In progress,Done,Blocked"' and str(dv.sqref) == f"H16:H{15 + n}"
    assert ws["B8"].value == f'=COUNTIF($H$16:$H${15 + n},"Done")/{n}'
    rules = [r for cf in ws.conditional_formatting for r in cf.rules if r.type == "expression"]
    assert rules and "$G16>=K$15" in rules[0].formula[0]  # the timeline starts after Status and Overdue


def test_spend_to_date_for_a_launched_campaign(report: Path) -> None:
    ws = openpyxl.load_workbook(report, data_only=True)["Creators"]
    # TikTok's campaign "Creators": 50 spend on Oct 1 and on Oct 2 (the report runs to Oct 2)
    assert ws["B9"].value == 100 and ws["B13"].value == pytest.approx(100 / 400)
    assert openpyxl.load_workbook(report, data_only=True)["Spring launch"]["B9"].value == "not launched"


def test_untyped_campaign_says_what_to_set(report: Path) -> None:
    ws = openpyxl.load_workbook(report, data_only=True)["Untyped idea"]
    assert ws["A15"].value.startswith("Set the campaign's Type")


@pytest.mark.libreoffice
def test_moving_the_launch_date_moves_the_plan(report: Path, tmp_path: Path) -> None:
    edited = tmp_path / "moved.xlsx"
    wb = openpyxl.load_workbook(report)
    wb["Campaigns"]["C2"].value = dt.datetime(2026, 11, 3)  # two weeks later
    wb.save(edited)
    ws = openpyxl.load_workbook(recalculate([edited], tmp_path / "out")[0], data_only=True)["Spring launch"]
    assert ws["B4"].value == dt.datetime(2026, 11, 3)
    assert ws["G16"].value == dt.datetime(2026, 10, 6)  # still 28 days before launch
    assert ws["K15"].value == dt.datetime(2026, 10, 6)  # the timeline starts with the first task's week
