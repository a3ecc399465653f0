"""Data the reader can trust (issue 28): campaign spend by its window, journeys up to Report as of, martech in use,
thresholds as confidence, every printed page's header and footer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import mops_xl
from mops_xl import build_report
from mops_xl.analysis.assessment.martech import channels_in_use, stack_overview
from mops_xl.analysis.engine import Analysis, analyse
from mops_xl.analysis.figures.attribution import journeys_from_touchpoints
from mops_xl.analysis.figures.campaign_plans.campaign_plan_figures import DUE_MARK
from mops_xl.intake.load import load_intake
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.workbook.layout.print_setup import PrintSetup

ROOT = Path(__file__).resolve().parents[1]
day = pd.Timestamp


def _touches() -> pd.DataFrame:
    """J1: Email 8 Sep, Search 12 Sep (converts, 100); J2: Social 5 Sep (converts, 50) and Email 10 Sep 23:00;
    J3: Search 11 Sep, Social 12 Sep (converts, 70)."""
    rows = [
        ("J1", "2026-09-08 09:00", "Email", False, None),
        ("J1", "2026-09-12 10:00", "Search", True, 100.0),
        ("J2", "2026-09-05 12:00", "Social", True, 50.0),
        ("J2", "2026-09-10 23:00", "Email", False, None),
        ("J3", "2026-09-11 08:00", "Search", False, None),
        ("J3", "2026-09-12 08:00", "Social", True, 70.0),
    ]
    frame = pd.DataFrame(rows, columns=["Journey ID", "Timestamp", "Channel", "Converted", "Conversion value"])
    return frame.assign(Timestamp=pd.to_datetime(frame["Timestamp"]), Converted=frame["Converted"].astype("boolean"))


def test_touches_after_report_as_of_are_left_out_and_said() -> None:
    """Report as of 10 Sep: the touches of 11 and 12 Sep (J1's Search, J3's two) are left out: 3 touches of 2
    journeys, 11-12 Sep. J1 keeps its Email touch and does not convert by 10 Sep; J3 is gone; J2's 10 Sep 23:00
    touch counts (Report as of is a whole day). So 1 conversion worth 50, paths Email (1 non-converting) and
    Social > Email (1 conversion), journeys 5-10 Sep."""
    journeys = journeys_from_touchpoints(_touches(), 30, day("2026-09-10"))
    assert journeys.total_conversions == 1.0 and journeys.total_value == 50.0
    got = journeys.paths.set_index("path")
    paths = {p: (got.loc[[p], "conversions"].iloc[0], got.loc[[p], "nulls"].iloc[0]) for p in got.index}
    assert paths == {("Email",): (0.0, 1.0), ("Social", "Email"): (1.0, 0.0)}
    assert journeys.first == day("2026-09-05 12:00") and journeys.last == day("2026-09-10 23:00")
    late = journeys.late
    assert late is not None and (late.touches, late.journeys) == (3, 2)
    assert late.note() == (
        "3 touches of 2 journeys dated after Report as of (11–12 Sep 2026) are left out of attribution, as Actuals "
        "rows after it are: the journeys count up to 10 Sep 2026"
    )


def test_without_report_as_of_every_touch_counts() -> None:
    """No Report as of given: all three journeys count, 100 + 50 + 70 = 220 of conversion value, nothing late."""
    journeys = journeys_from_touchpoints(_touches(), 30)
    assert journeys.total_conversions == 3.0 and journeys.total_value == 220.0 and journeys.late is None


@pytest.fixture(scope="module")
def saas() -> Analysis:
    return analyse(load_intake(ROOT / "samples" / "saas.xlsx"))


def test_saas_journeys_stop_at_report_as_of(saas: Analysis) -> None:
    """saas: Report as of 10 Sep; its Touchpoints (read with openpyxl, apart from the engine) run to 18 Sep. The
    touches dated 11 Sep or later are left out of attribution and the Data Notes say how many, of how many
    journeys, and their days; the coverage names the journeys' dates up to 10 Sep."""
    ws = openpyxl.load_workbook(ROOT / "samples" / "saas.xlsx", read_only=True, data_only=True)["Touchpoints"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    late = [r for r in rows if r[1] >= dt.datetime(2026, 9, 11)]
    assert max(r[1] for r in rows).date() == dt.date(2026, 9, 18)
    touches, journeys = len(late), len({r[0] for r in late})
    assert (touches, journeys) == (74, 38)
    notes = [n["note"] for n in saas.notes if n["subject"] == "Touchpoints"]
    assert notes == [
        "74 touches of 38 journeys dated after Report as of (11–18 Sep 2026) are left out of attribution, as "
        "Actuals rows after it are: the journeys count up to 10 Sep 2026"
    ]
    cov = saas.attribution_coverage
    assert (
        cov is not None
        and cov.journeys_text == "Touchpoints, 1 Jul–10 Sep 2026; 74 touches after Report as of left out"
    )


# --- martech categories in use ------------------------------------------------------------------------------


def test_a_running_channel_shows_a_category_in_use() -> None:
    """Running: Email nurture (Email), Content & SEO (Content), Google Ads (paid: Paid media), Webinars (paid but
    no sign in its name: nothing). Organic Ads Test is not running: nothing. A Stack with only a CRM: Email and
    Content are in use with no tool listed, CRM is covered, Social and Forms are gaps."""
    channels = pd.DataFrame(
        {
            "Channel": ["Google Ads", "Content & SEO", "Email nurture", "Webinars", "Organic Ads Test"],
            "Paid": [True, False, False, True, False],
        }
    )
    running = ["Google Ads", "Content & SEO", "Email nurture", "Webinars"]
    in_use = channels_in_use(channels, running)
    assert in_use == {"Paid media": ["Google Ads"], "Content": ["Content & SEO"], "Email": ["Email nurture"]}
    stack = pd.DataFrame(
        {
            "Tool": ["Salesforce"],
            "Category": ["CRM"],
            "Stage": ["Conversion"],
            "Monthly cost": [100.0],
            "Status": ["Active"],
            "Owner role": [None],
        }
    )
    links = pd.DataFrame({"System": [], "Connects to": []})
    overview = stack_overview(stack, links, in_use)
    assert overview.covered == ["CRM"]
    assert list(overview.in_use) == ["Paid media", "Content", "Email"]
    assert "Email" not in overview.gaps and "Social" in overview.gaps and "Forms" in overview.gaps
    assert overview.coverage("Email") == "In use (Email nurture channel), no tool listed"
    assert overview.coverage("CRM") == "Yes" and overview.coverage("Social") == "Gap"
    assert overview.categories[:4] == ["CRM", "Paid media", "Content", "Email"] and len(overview.categories) == 12
    assert overview.shown_by("CRM") == "Salesforce"
    assert overview.shown_by("Email") == "Email nurture channel (no tool listed)" and overview.shown_by("Forms") == ""


def test_saas_email_and_content_are_in_use_not_gaps(saas: Analysis, tmp_path: Path) -> None:
    """saas runs Email nurture and Content & SEO with no Email or Content tool on its Stack sheet: in use, the tool
    missing; its gaps are Chat/messaging (Intercom is only Planned), Forms and Dashboards; maturity counts 7 tool
    categories + 2 in use = 9 of 12."""
    assert saas.stack.in_use == {"Content": ["Content & SEO"], "Email": ["Email nurture"]}
    assert saas.stack.gaps == ["Chat/messaging", "Forms", "Dashboards"]
    texts = [e.text for e in saas.maturity.evidence if e.key == "category_coverage"]
    assert texts == ["9 of 12 martech categories covered (2 in use by a channel, no tool listed)"]
    report = build_report(saas.intake, tmp_path / "saas-report.xlsx", saas)
    ws = openpyxl.load_workbook(report)["Martech Stack"]
    rows = {r[0]: r[1:3] for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["Email"] == ("In use", "Email nurture channel (no tool listed)")
    assert rows["CRM"] == ("Yes", "Salesforce") and rows["Forms"] == ("Gap", None)


def test_the_ab_threshold_reads_as_confidence(saas: Analysis, tmp_path: Path) -> None:
    """Optimization Actions shows the A/B threshold as "A/B confidence" at 95 % (the Settings name stays "A/B
    significance level" in the intake and its defined name); the framework says "95% confidence"."""
    report = build_report(saas.intake, tmp_path / "saas-report.xlsx", saas)
    ws = openpyxl.load_workbook(report)["Optimization Actions"]
    # the thresholds at the foot: a row of names over a row of their values
    names = {c.value: (c.row, c.column) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    row, column = names["A/B confidence"]
    assert ws.cell(row + 1, column).value == "=ABSignificanceLevel" and "A/B significance level" not in names
    assert saas.intake.settings["A/B significance level"] == 0.95
    assert "95% confidence" in render_framework(saas, "txt")


# --- every printed page says what it is ---------------------------------------------------------------------


class _Page:
    """What a worksheet's print setup receives, kept to be read back."""

    def __init__(self) -> None:
        self.header = self.footer = ""

    def set_header(self, text: str, options: dict) -> None:
        self.header = text

    def set_footer(self, text: str, options: dict) -> None:
        self.footer = text

    def __getattr__(self, name: str):  # landscape, paper, margins …: not read here
        return lambda *args, **kwargs: None


def test_every_page_carries_business_sheet_date_page_and_version() -> None:
    """Header: the business (its "&" doubled, Excel's escape) left, the sheet (&A) right. Footer: Report as of
    10 Sep 2026 left, "mops-xl <version>" centre, "Page &P of &N" right."""
    page = _Page()
    PrintSetup("Acme & Co", dt.date(2026, 9, 10)).apply(page, (3, 3))
    assert page.header == "&L&9Acme && Co&R&9&A"
    assert page.footer == f"&L&9Report as of 10 Sep 2026&C&9mops-xl {mops_xl.__version__}&R&9Page &P of &N"


# --- a status is a word as well as a colour --------------------------------------------------------------------


def test_a_due_week_says_due_in_words(tmp_path: Path) -> None:
    """d2c Fall Sale launches 5 Oct; its timeline starts 14 days before, the week of 21 Sep (K15). Its first task
    is due 21 Sep: K16 says "Due" (and is filled); the next week's cell L16 says nothing. A task due 28 Sep shows
    in L; the word's formula is the fill's condition."""
    d2c = analyse(load_intake(ROOT / "samples" / "d2c.xlsx"))
    report = build_report(d2c.intake, tmp_path / "d2c-report.xlsx", d2c)
    ws = openpyxl.load_workbook(report)["Fall Sale"]
    values = openpyxl.load_workbook(report, data_only=True)["Fall Sale"]
    assert values["K15"].value == dt.datetime(2026, 9, 21) and values["G16"].value == dt.datetime(2026, 9, 21)
    assert values["K16"].value == "Due" and values["L16"].value in (None, "")
    assert ws["L16"].value == '=IF(AND(ISNUMBER($G16),$G16>=L$15,$G16<L$15+7),"Due","")'
    assert DUE_MARK.compute(day("2026-09-28"), day("2026-09-28")) == "Due"
    assert DUE_MARK.compute(day("2026-10-05"), day("2026-09-28")) == ""
    assert DUE_MARK.compute(pd.NaT, day("2026-09-28")) == ""
