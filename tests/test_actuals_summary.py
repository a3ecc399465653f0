"""The Actuals summary's checks, and the sums that skip criteria when they say so (docs/metrics.md, "How a figure
reads Actuals"): the same figures, and an edited Actuals row still flows through every figure."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from recalculation import formula_mismatches

from mops_xl import build_report, load_intake, write_intake
from mops_xl.outputs.libreoffice import recalculate
from mops_xl.outputs.workbook.formulas.excel_formulas import actuals_sum, by_campaign, by_channel, untracked

# Two channels, every row in the window (Jan 1 - Jan 31, as of Jan 31). Search: Spend 100 + 50 = 150, Leads
# 4 + 6 = 10, campaign "Brand*": 100 and 4. Social: 30 spend, Leads blank on its only row (Not tracked).
ROWS = [
    (dt.date(2026, 1, 5), "Search", "Brand*", 100.0, 4),
    (dt.date(2026, 1, 20), "Search", "Generic", 50.0, 6),
    (dt.date(2026, 1, 10), "Social", "Launch", 30.0, None),
]


def _intake(path: Path) -> Path:
    return write_intake(
        path,
        {
            "Business": {
                "Business name": "Summary Co",
                "Period start": dt.date(2026, 1, 1),
                "Period end": dt.date(2026, 1, 31),
                "Report as of": dt.date(2026, 1, 31),
            },
            "Channels": [{"Channel": "Search", "Paid": True}, {"Channel": "Social", "Paid": True}],
            "Budget": [
                {
                    "Channel": c,
                    "Period start": dt.date(2026, 1, 1),
                    "Period end": dt.date(2026, 1, 31),
                    "Planned spend": 1000,
                }
                for c in ("Search", "Social")
            ],
            "Actuals": [
                {"Date": d, "Channel": ch, "Campaign": ca, "Spend": s, "Leads": leads} for d, ch, ca, s, leads in ROWS
            ],
        },
    )


def _summary(wb) -> dict[str, object]:
    return {r[0]: r[1] for r in wb["Actuals summary"].iter_rows(min_row=4, values_only=True) if r[0]}


def _channel(ws, channel: str, header: str) -> object:
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "Channel" and header in r)
    return next(r[rows[top].index(header)] for r in rows[top + 1 :] if r[0] == channel)


def test_a_keyed_sum_skips_the_window_only_when_the_summary_says_it_leaves_out_nothing() -> None:
    formula = actuals_sum("Spend", by_channel(1))
    assert formula == (
        "IF(ActualsKeyedInWindow,SUMIFS(ActualsSpend,ActualsChannelKey,1),"
        'SUMIFS(ActualsSpend,ActualsChannelKey,1,ActualsDate,">="&PeriodStart,ActualsDate,"<="&ReportAsOf))'
    )
    # another window, or rows not selected by their channel: the full SUMIFS
    assert actuals_sum("Spend", by_channel(1), first="$A$1").startswith("SUMIFS(")
    assert actuals_sum("Spend", by_campaign(2)).startswith("SUMIFS(")
    # every channel from Period start: only the last day, when no row is older
    assert actuals_sum("Spend", last="$B$9") == (
        'IF(ActualsNoneBeforeStart,SUMIFS(ActualsSpend,ActualsDate,"<="&$B$9),'
        'SUMIFS(ActualsSpend,ActualsDate,">="&PeriodStart,ActualsDate,"<="&$B$9))'
    )


def test_not_tracked_asks_only_for_rows_when_every_keyed_row_gives_the_column() -> None:
    rows = (by_channel(1), by_campaign(2))
    assert untracked("Leads", *rows, has_rows=True, nonzero="$C$5") == (
        "IF(ActualsKeyedGiveLeads,IF(N($C$5)<>0,FALSE,COUNTIFS(ActualsChannelKey,1,ActualsCampaignKey,2)=0),"
        'COUNTIFS(ActualsChannelKey,1,ActualsCampaignKey,2,ActualsLeads,"<>")=0)'
    )
    assert untracked("Leads", by_channel(1)).startswith("IF(AND(ActualsKeyedGiveLeads,ActualsKeyedRows>0),FALSE,")


@pytest.mark.libreoffice
def test_the_checks_and_the_figures_recalculate_and_follow_an_edited_row(tmp_path: Path) -> None:
    """Every row in the window: the checks say so (3 keyed rows; Leads blank on Social's row), LibreOffice
    recalculates every figure to the engine's. Then Search's Jan 20 row is moved to Dec 31, before the period:
    the window check turns FALSE and Search's spend becomes 100 (was 150), its leads 4 (was 10); Social's Leads
    filled in with 7 turns its Not tracked into 7."""
    report = build_report(load_intake(_intake(tmp_path / "intake.xlsx")), tmp_path / "report.xlsx")
    built = openpyxl.load_workbook(report, data_only=True)
    assert _summary(built) == {
        "Rows with a Channel key": 3,
        "Every row with a Channel key is dated from Period start to Report as of": True,
        "No row is dated before Period start": True,
        "Every row with a Channel key gives Impressions": False,
        "Every row with a Channel key gives Clicks": False,
        "Every row with a Channel key gives Leads": False,
        "Every row with a Channel key gives MQLs": False,
        "Every row with a Channel key gives SQLs": False,
        "Every row with a Channel key gives Customers": False,
        "Every row with a Channel key gives Revenue": False,
    }
    assert _channel(built["Channel Performance"], "Search", "Spend") == 150
    fresh = recalculate([report], tmp_path / "out")[0]
    checked, wrong = formula_mismatches(report, fresh)
    assert checked > 100 and wrong == []

    wb = openpyxl.load_workbook(report)  # openpyxl drops charts on save: values only from here
    actuals = wb["Actuals"]
    headers = [c.value for c in actuals[1]]
    for row in actuals.iter_rows(min_row=2):
        if row[headers.index("Campaign")].value == "Generic":
            row[headers.index("Date")].value = dt.datetime(2025, 12, 31)
        if row[headers.index("Channel")].value == "Social":
            row[headers.index("Leads")].value = 7
    wb.save(report)
    edited = openpyxl.load_workbook(recalculate([report], tmp_path / "edited")[0], data_only=True)
    checks = _summary(edited)
    assert checks["Every row with a Channel key is dated from Period start to Report as of"] is False
    assert checks["No row is dated before Period start"] is False
    assert checks["Every row with a Channel key gives Leads"] is True
    perf = edited["Channel Performance"]
    assert _channel(perf, "Search", "Spend") == pytest.approx(100)
    assert _channel(perf, "Search", "Leads") == pytest.approx(4)
    assert _channel(perf, "Social", "Leads") == pytest.approx(7)


@pytest.mark.slow
def test_the_skipping_sums_recalculate_to_the_engine_value_in_gnumeric(tmp_path: Path) -> None:
    """Gnumeric reads the checks and the IF-skipping sums alike: every formula cell equals the engine's value."""
    if shutil.which("ssconvert") is None:
        pytest.fail("Gnumeric is needed for the recalculation tests: apt-get install gnumeric")
    report = build_report(load_intake(_intake(tmp_path / "intake.xlsx")), tmp_path / "report.xlsx")
    assert _summary(openpyxl.load_workbook(report, data_only=True))[
        "Every row with a Channel key is dated from Period start to Report as of"
    ]
    out = tmp_path / "gnumeric.xlsx"
    subprocess.run(["ssconvert", "--recalc", str(report), str(out)], check=True, capture_output=True)
    checked, wrong = formula_mismatches(report, out, engine="Gnumeric")
    assert checked > 100 and wrong == []
