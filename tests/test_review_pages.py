"""What changed since the last report, laid out (issue 26): the "What changed" sheet right after the Dashboard, the
Dashboard's "Since <date>" block, the framework's section and the roll-up's columns, from a hand-built comparison
attached to the saas analysis; and the week-by-week trend (Channel Performance's sparklines and figures, --json's
weekly_trend), worked out by hand on a small intake.

The hand-built comparison (previous report as of 2026-09-03, this one 2026-09-10):

- CAC $1,800 → $2,012, change +$212 = LinkedIn Ads +$260 (via spend +$300, via customers −$40) + Google Ads −$48
  (via spend −$30, via customers −$18): 260 − 48 = 212; 300 − 40 = 260; −30 − 18 = −48.
- Customers 40 → 49, +9 = Google Ads +6 + Partner referrals +3 (+ Webinars 0, not listed).
- Spend $62,000 → $71,500, +$9,500 = Google Ads +$3,500 + LinkedIn Ads +$6,000.
- Weekly: Google Ads spend $3,539.48 against $3,676.10 (−$136.62, within normal variation); LinkedIn Ads customers
  0 against 3 (−3, unusual).
- Actions: LinkedIn Ads new (Reduce), Google Ads changed (Hold → Scale up), Webinars cleared (was Pause), Email
  nurture persisting (Hold).
- Definitions: the Customers target 60 → 75; the Trend window 7 → 14.
- Restated: Google Ads 2026-09-01 Spend $410.00 → $455.50, +$45.50.
- Forecast: Customers, target 75, chance 0.3 → 0.7 (about 3 in 10 → about 7 in 10), likely 70 → 78.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from intake_builders import write_valid

from mops_xl import analyse, build_report, load_intake
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.weekly import weekly_trend
from mops_xl.analysis.review.changes import (
    CHANGED,
    CLEARED,
    NEW,
    NORMAL,
    PERSISTING,
    UNUSUAL,
    ActionChange,
    Changes,
    DefinitionChange,
    Driver,
    ForecastDrift,
    KpiMove,
    Restatement,
    WeeklyRow,
)
from mops_xl.batch.rollup import rollup_row
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.json_output import to_dict
from mops_xl.outputs.workbook.sheets.changes_sheet import drivers_text

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = (
    "CAC rose $212, most of it LinkedIn Ads (spend up, customers down); 1 new action: LinkedIn Ads, Reduce. The "
    "Customers target moved from 60 to 75: not performance."
)


def hand_changes(same_period: bool = True) -> Changes:
    """The hand-built comparison of the module docstring."""
    kpis = [
        KpiMove(
            "CAC",
            1800.0,
            2012.0,
            212.0,
            [
                Driver("LinkedIn Ads", 260.0, {"Spend": 300.0, "Customers": -40.0}),
                Driver("Google Ads", -48.0, {"Spend": -30.0, "Customers": -18.0}),
            ],
            "CAC +$212: LinkedIn Ads +$260 (spend +18 %, customers −2), Google Ads −$48",
        ),
        KpiMove(
            "Customers",
            40.0,
            49.0,
            9.0,
            [Driver("Google Ads", 6.0), Driver("Partner referrals", 3.0), Driver("Webinars", 0.0)],
            "Customers +9: Google Ads +6, Partner referrals +3",
        ),
        KpiMove(
            "Spend",
            62000.0,
            71500.0,
            9500.0,
            [Driver("LinkedIn Ads", 6000.0), Driver("Google Ads", 3500.0)],
            "Spend +$9,500: LinkedIn Ads +$6,000, Google Ads +$3,500",
        ),
    ]
    return Changes(
        previous_as_of="2026-09-03",
        as_of="2026-09-10",
        same_period=same_period,
        why_weekly_only="" if same_period else "The previous report is of another period (2026-04-01 to 2026-06-30).",
        kpis=kpis if same_period else [],
        weekly=[
            WeeklyRow("Google Ads", "Spend", 3539.48, 3676.10, 3539.48 - 3676.10, 0.4, NORMAL),
            WeeklyRow("LinkedIn Ads", "Customers", 0.0, 3.0, -3.0, -3.9, UNUSUAL),
        ],
        actions=[
            ActionChange("LinkedIn Ads", "", "Reduce", NEW, "CAC 128% of target (threshold 120%)"),
            ActionChange("Google Ads", "Hold", "Scale up", CHANGED, "CAC 79% of target"),
            ActionChange("Webinars", "Pause", "", CLEARED, "Leads 40% of target"),
            ActionChange("Email nurture", "Hold", "Hold", PERSISTING, ""),
        ],
        definitions=[
            DefinitionChange("Target: Customers (all channels)", "60", "75"),
            DefinitionChange("Setting: Trend window", "7", "14"),
        ],
        restated=[Restatement("Google Ads", "2026-09-01", "Spend", 410.0, 455.5, 45.5)],
        forecast=(
            [
                ForecastDrift(
                    "Customers", 75.0, 0.3, 0.7, 70.0, 78.0, "customers to date +9, against 6 expected in a week"
                )
            ]
            if same_period
            else []
        ),
        summary=SUMMARY,
    )


@pytest.fixture(scope="module")
def saas() -> Any:
    return analyse(load_intake(ROOT / "samples" / "saas.xlsx"))


@pytest.fixture(scope="module")
def compared(saas: Any) -> Any:
    return dataclasses.replace(saas, changes=hand_changes())


@pytest.fixture(scope="module")
def report(compared: Any, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = build_report(compared.intake, tmp_path_factory.mktemp("changes") / "saas-report.xlsx", compared)
    return openpyxl.load_workbook(path)


def _rows(ws: Any) -> list[list[Any]]:
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def _row(ws: Any, first: str, after: str | None = None) -> list[Any]:
    """The first row whose column A reads ``first`` (below the row whose column A reads ``after``)."""
    rows = _rows(ws)
    start = next(i for i, r in enumerate(rows) if r[0] == after) if after else 0
    return next(r for r in rows[start:] if r[0] == first)


def _texts(ws: Any) -> str:
    return "\n".join(str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None)


# --- The "What changed" sheet --------------------------------------------------------------------------------


def test_what_changed_is_the_second_sheet(report: openpyxl.Workbook) -> None:
    assert report.sheetnames[:3] == ["Dashboard", "What changed", "KPI Framework"]
    ws = report["What changed"]
    assert ws["A1"].value == "What changed since 3 Sep 2026"
    assert SUMMARY in _texts(ws)
    assert "built values" in ws["A2"].value


def test_kpi_moves_hold_the_hand_worked_figures_and_drivers(report: openpyxl.Workbook) -> None:
    ws = report["What changed"]
    cac = _row(ws, "CAC")
    assert cac[1:4] == [1800.0, 2012.0, 212.0]
    # one line per driver: its effect, and for a ratio the parts it splits into (money under $100 shows cents)
    assert (
        cac[4] == "LinkedIn Ads +$260: via spend +$300, via customers −$40.00\n"
        "Google Ads −$48.00: via spend −$30.00, via customers −$18.00"
    )
    customers = _row(ws, "Customers")
    assert customers[1:5] == [40.0, 49.0, 9.0, "Google Ads +6\nPartner referrals +3"]  # Webinars moved nothing
    spend = _row(ws, "Spend")
    assert spend[1:5] == [62000.0, 71500.0, 9500.0, "LinkedIn Ads +$6,000\nGoogle Ads +$3,500"]
    # figures carry their unit and a change its sign
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 212.0)
    assert cell.number_format.startswith('+"$"')


def test_weekly_view_writes_unusual_as_a_word(report: openpyxl.Workbook) -> None:
    ws = report["What changed"]
    # a channel's figure within normal variation is counted in one line, not listed (--json has it)
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "1 other channel figure: within normal variation." in texts
    assert not any(c.value == 3539.48 for row in ws.iter_rows() for c in row)
    linkedin = _row(ws, "LinkedIn Ads", "Channel")
    assert linkedin[1:6] == ["Customers", 0.0, 3.0, -3.0, "unusual"]


def test_actions_with_their_status_and_signal(report: openpyxl.Workbook) -> None:
    ws = report["What changed"]
    got = {r[0]: r[1:5] for r in _rows(ws)[[r[0] for r in _rows(ws)].index("Subject") + 1 :][:4]}
    assert got == {
        "LinkedIn Ads": ["(none)", "Reduce", "new", "CAC 128% of target (threshold 120%)"],
        "Google Ads": ["Hold", "Scale up", "changed", "CAC 79% of target"],
        "Webinars": ["Pause", "(none)", "cleared", "Leads 40% of target"],
        "Email nurture": ["Hold", "Hold", "persisting", None],
    }


def test_definitions_stand_apart_from_performance(report: openpyxl.Workbook) -> None:
    rows = _rows(report["What changed"])
    first = [r[0] for r in rows]
    at = first.index("Definitions moved")
    assert "not performance" in rows[at + 1][0]
    assert rows[at + 3][:5] == ["Target: Customers (all channels)", "60", None, None, "75"]
    assert rows[at + 4][:5] == ["Setting: Trend window", "7", None, None, "14"]
    # an edited target is never listed as a KPI move
    moves = first[first.index("Metric") + 1 : first.index("The last 7 days against the 7 before")]
    assert not any(str(m).startswith("Target") for m in moves if m)


def test_restated_history_and_forecast_drift(report: openpyxl.Workbook) -> None:
    ws = report["What changed"]
    restated = _row(ws, "Google Ads", "Restated history")
    assert restated[:6] == ["Google Ads", "2026-09-01", "Spend", 410.0, 455.5, 45.5]
    drift = _row(ws, "Customers", "Forecast drift: the chance of each target")
    assert drift[:7] == [
        "Customers",
        75.0,
        "about 3 in 10",
        "about 7 in 10",
        70.0,
        78.0,
        "customers to date +9, against 6 expected in a week",
    ]


def test_another_period_compares_the_weekly_view_only(saas: Any, tmp_path: Path) -> None:
    a = dataclasses.replace(saas, changes=hand_changes(same_period=False))
    ws = openpyxl.load_workbook(build_report(a.intake, tmp_path / "r.xlsx", a))["What changed"]
    texts = _texts(ws)
    assert "The previous report is of another period (2026-04-01 to 2026-06-30)." in texts
    assert "Forecast drift" not in texts and "Why: each channel's effect" not in texts
    assert _row(ws, "LinkedIn Ads", "Channel")[5] == "unusual"


def test_what_changed_prints_landscape_one_page_wide(report: openpyxl.Workbook) -> None:
    ws = report["What changed"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight == 0  # as many pages tall as it needs
    assert ws.print_title_rows == "$1:$1"


def test_intake_text_is_written_as_text(saas: Any, tmp_path: Path) -> None:
    c = dataclasses.replace(
        hand_changes(), definitions=[DefinitionChange('=HYPERLINK("x")', "", "=1+1")], summary="=2+2"
    )
    a = dataclasses.replace(saas, changes=c)
    ws = openpyxl.load_workbook(build_report(a.intake, tmp_path / "r.xlsx", a))["What changed"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in cells} == {'=HYPERLINK("x")', "=1+1", "=2+2"}
    assert all(c.data_type == "s" for c in cells)


# --- The Dashboard, the framework, the roll-up ------------------------------------------------------------------


def test_dashboard_says_since_after_where_the_period_lands(report: openpyxl.Workbook) -> None:
    ws = report["Dashboard"]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    since = column_a.index("Since 3 Sep 2026")
    landing = next(i for i, v in enumerate(column_a) if str(v).startswith("Where the period lands"))
    actions = next(i for i, v in enumerate(column_a) if str(v).startswith("Top actions"))
    assert landing < since < actions
    assert ws.cell(since + 1, 4).value == f"{SUMMARY} What changed: see the What changed sheet."


def test_framework_has_the_section(compared: Any) -> None:
    for fmt in ("md", "txt"):
        text = " ".join(render_framework(compared, fmt).split())  # the text form wraps its lines
        head = "## What changed since 3 Sep 2026" if fmt == "md" else "WHAT CHANGED SINCE 3 Sep 2026"
        assert head in text
        for said in (
            SUMMARY,
            "CAC +$212: LinkedIn Ads +$260 (spend +18 %, customers −2), Google Ads −$48",
            "New: LinkedIn Ads, Reduce (CAC 128% of target (threshold 120%))",
            "Changed: Google Ads, Hold → Scale up",
            "Cleared: Webinars, was Pause",
            "Target: Customers (all channels): 60 → 75",
            "1 day of Actuals restated on or before 3 Sep 2026 (Google Ads): data moved, not performance.",
            "Customers (target 75): chance about 3 in 10 → about 7 in 10; likely 70 → 78; customers to date +9",
        ):
            assert said in text, (fmt, said)
        section = text.lower().split("definitions moved")[0].split("what changed since")[-1]
        assert "email nurture" not in section  # a persisting action is not news


def test_rollup_columns(compared: Any, saas: Any) -> None:
    row = rollup_row(compared, Path("saas.xlsx"), Path("saas-report.xlsx"))
    # relative moves: CAC 212 / 1,800 = 11.8 %, Customers 9 / 40 = 22.5 %, Spend 9,500 / 62,000 = 15.3 %
    assert row["Main moves"] == "Customers +9; Spend +$9,500; CAC +$212"
    assert row["New actions"] == "LinkedIn Ads: Reduce"
    plain = rollup_row(saas, Path("saas.xlsx"), Path("saas-report.xlsx"))
    assert plain["Main moves"] is None and plain["New actions"] is None  # written "–"


def test_without_a_comparison_none_of_it_appears(saas: Any, tmp_path: Path) -> None:
    assert saas.changes is None
    wb = openpyxl.load_workbook(build_report(saas.intake, tmp_path / "r.xlsx", saas))
    assert "What changed" not in wb.sheetnames
    assert not any(str(v).startswith("Since ") for v in _texts(wb["Dashboard"]).split("\n"))
    for fmt in ("md", "txt"):
        assert "what changed since" not in render_framework(saas, fmt).lower()
    golden = (ROOT / "tests" / "golden" / "saas-framework.txt").read_text(encoding="utf-8")
    assert "WHAT CHANGED" not in golden


# --- The week-by-week trend --------------------------------------------------------------------------------------


def _weekly_intake(data: dict[str, Any]) -> None:
    """Oct 1-2 as the small intake has them, then Oct 8-9, and a row before the period (never counted)."""
    day = dt.date
    data["Business"]["Report as of"] = day(2026, 10, 9)
    data["Actuals"] += [
        {"Date": day(2026, 9, 30), "Channel": "Google Ads", "Spend": 999.0, "Customers": 9},
        {"Date": day(2026, 10, 8), "Channel": "Google Ads", "Spend": 90.0, "Customers": 1},
        {"Date": day(2026, 10, 9), "Channel": "Google Ads", "Spend": 60.0, "Customers": 2},
        {"Date": day(2026, 10, 9), "Channel": "TikTok", "Spend": 40.0, "Customers": 1},
    ]


def test_weekly_figures_by_hand(tmp_path: Path) -> None:
    """Weeks from Oct 1: Oct 1-7 (7 days) and Oct 8-9 (2 days, to Report as of).

    Oct 1-7: Google Ads 100 + 100 = 200 spend, 1 + 1 = 2 customers, CAC 100; TikTok 100, 0, CAC undefined; Email
    no spend, 0 customers. All channels: 300, 2, CAC 150.
    Oct 8-9: Google Ads 90 + 60 = 150, 1 + 2 = 3, CAC 50; TikTok 40, 1, CAC 40; Email 0, 0. All channels: 190, 4,
    CAC 47.5. The Sep 30 row is before the period.
    """
    a = analyse(load_intake(write_valid(tmp_path / "weekly.xlsx", _weekly_intake)))
    w = a.weekly.set_index(["Week", "Channel"])
    assert list(dict.fromkeys(a.weekly["Week"])) == ["Oct 1–7", "Oct 8–9 (2 days)"]
    assert list(a.weekly.drop_duplicates("Week")["Days"]) == [7, 2]
    exp = {
        ("Oct 1–7", "Google Ads"): (200, 2, 100),
        ("Oct 1–7", "TikTok"): (100, 0, math.nan),
        ("Oct 1–7", "Email"): (0, 0, math.nan),
        ("Oct 1–7", "All channels"): (300, 2, 150),
        ("Oct 8–9 (2 days)", "Google Ads"): (150, 3, 50),
        ("Oct 8–9 (2 days)", "TikTok"): (40, 1, 40),
        ("Oct 8–9 (2 days)", "Email"): (0, 0, math.nan),
        ("Oct 8–9 (2 days)", "All channels"): (190, 4, 47.5),
    }
    for key, figures in exp.items():
        got = tuple(w.loc[key, ["Spend", "Customers", "CAC"]])
        assert got == pytest.approx(figures, nan_ok=True), key
    trend = to_dict(a)["weekly_trend"]
    assert trend[-1] == {
        "Week": "Oct 8–9 (2 days)",
        "Week start": "2026-10-08",
        "Week end": "2026-10-09",
        "Days": 2,
        "Channel": "All channels",
        "Spend": 190.0,
        "Customers": 4.0,
        "CAC": 47.5,
    }


def test_weeks_cross_months_and_a_whole_last_week() -> None:
    window = ReportingWindow(pd.Timestamp(2026, 7, 29), pd.Timestamp(2026, 9, 30), pd.Timestamp(2026, 8, 11))
    empty = pd.DataFrame({"Date": pd.to_datetime([]), "Channel": [], "Spend": [], "Customers": []})
    got = weekly_trend(empty, window, ["Search"])
    assert list(dict.fromkeys(got["Week"])) == ["Jul 29–Aug 4", "Aug 5–11"]
    assert got["Spend"].tolist() == [0.0] * 4 and got["CAC"].isna().all()


def test_channel_performance_has_sparklines_and_the_weekly_figures(tmp_path: Path) -> None:
    intake = load_intake(write_valid(tmp_path / "weekly.xlsx", _weekly_intake))
    path = build_report(intake, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    rows = _rows(wb["Channel Performance"])
    header = next(i for i, r in enumerate(rows) if r[:3] == ["Channel", "Figure", "Trend"])
    assert rows[header - 2][0] == "Week by week"
    assert rows[header][3:6] == ["Oct\u00a01–7", "Oct\u00a08–9 (2\u00a0days)", None]  # no-break spaces in a span
    google = rows[header + 1 : header + 4]
    assert [r[:2] for r in google] == [["Google Ads", "Spend"], [None, "Customers"], [None, "CAC"]]
    assert [r[3:5] for r in google] == [[200, 150], [2, 3], [100, 50]]
    tiktok_cac = rows[header + 6]
    assert tiktok_cac[1] == "CAC" and tiktok_cac[3:5] == ["–", 40]
    assert rows[header + 10][:5] == ["All channels", "Spend", None, 300, 190]
    # the campaigns follow the block
    assert [r[0] for r in rows].index("By campaign") > header + 12
    # one sparkline per channel and figure (3 channels and All channels), each over its row's weeks: both weeks,
    # as fewer than two are full
    sheet = f"xl/worksheets/sheet{wb.sheetnames.index('Channel Performance') + 1}.xml"
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet).decode()
    ranges = re.findall(r"<xm:f>([^<]*)</xm:f><xm:sqref>([^<]*)</xm:sqref>", xml)
    assert len(ranges) == 12
    first = header + 2  # Excel's row number of Google Ads' Spend
    assert (f"'Channel Performance'!D{first}:E{first}", f"C{first}") in ranges


def test_the_values_only_copy_draws_the_lines_in_characters(tmp_path: Path) -> None:
    """LibreOffice prints no sparkline: the values-only copy (the PDF's) draws each line in characters, lowest ▁ to
    highest █. Google Ads' CAC by week: 100 then 50 (both weeks drawn, as fewer than two are full) → █▁; TikTok's:
    undefined then 40 → a gap, then the half block ▄ (one value: no range)."""
    intake = load_intake(write_valid(tmp_path / "weekly.xlsx", _weekly_intake))
    wb = openpyxl.load_workbook(build_report(intake, tmp_path / "r.xlsx", values_only=True))
    rows = _rows(wb["Channel Performance"])
    header = next(i for i, r in enumerate(rows) if r[:3] == ["Channel", "Figure", "Trend"])
    assert [r[2] for r in rows[header + 1 : header + 7]] == ["█▁", "▁█", "█▁", "█▁", "▁█", " ▄"]


def test_many_drivers_keep_the_largest_and_add_up_the_rest() -> None:
    """Six channels move Customers by +5, −4, +3, +2, −1 and +1 (sum +6): the 2 largest by size, then the other 4
    together, 3 + 2 − 1 + 1 = +5; the lines add up to the change: 5 − 4 + 5 = 6."""
    effects = {"A": 5.0, "B": -4.0, "C": 3.0, "D": 2.0, "E": -1.0, "F": 1.0}
    move = KpiMove("Customers", 10.0, 16.0, 6.0, [Driver(k, v) for k, v in effects.items()], "Customers +6")
    assert drivers_text(move, "$") == "A +5\nB −4\n4 other channels +5"
