"""Names that look like criteria, wildcards or formulas are matched exactly, and every sheet name is quoted.

The "edge names" intake (tests/edge_intakes.py) has channels and campaigns named ``Search*``, ``<>x``,
``=1+1``, ``Mom's Day``, ``a?b~c``, ``>5`` and 300 characters long, each beside an ordinary name a wildcard
or a comparison would confuse it with. Every figure below is worked out by hand from that intake: each
channel has one Actuals row on 2026-10-01 and one on 10-02 (report as of 10-02: d = 2 of D = 31 days), so
a figure to date is twice the daily figure of :data:`edge_intakes.EDGE_CHANNELS`. The engine's values (the
report as written) and LibreOffice's recalculation of the formulas must both give them; the LibreOffice
check of every other formula cell is tests/test_recalculation.py's, over the same report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from edge_intakes import CRAFTED, CUT_A, CUT_B, LONG_A, LONG_B, LONG_CAMPAIGN, write_edge_names
from recalculation import value_by_label

from mops_xl import build_report, load_intake
from mops_xl.campaigns.library import TEMPLATES_BY_TYPE
from mops_xl.outputs.libreoffice import recalculate
from mops_xl.outputs.workbook.formulas.excel_formulas import internal_link, quote_sheet, sheet_ref
from mops_xl.outputs.workbook.sheets.campaign_sheets import sheet_name

PERF, PACING, STRATEGY, KPI, PLANS = (
    "Channel Performance",
    "Budget Pacing",
    "Channel Strategy",
    "KPI Framework",
    "Campaign Templates",
)
#: The plan sheet of each campaign: Excel's forbidden * becomes -, a name is cut at 31 characters, an
#: apostrophe left last by the cut is dropped, and the second of two equal cut names gets " (2)".
PLAN_SHEETS = {
    "Brand*": "Brand-",
    "Brand Search": "Brand Search",
    "<>x": "<>x",
    "=1+1": "=1+1",
    "1+1": "1+1",
    "Mom's Day": "Mom's Day",
    CRAFTED: CRAFTED,
    CUT_A: "Q" * 30,  # "QQ…Q'" (31 characters) without its last apostrophe
    CUT_B: "Q" * 27 + " (2)",  # the same 30 Q's: taken, so 27 characters + " (2)" = 31
    LONG_CAMPAIGN: ("Spring " + "y" * 293)[:31],
    "Spring": "Spring",
}

#: (sheet, key column header, row label, column header) → the value worked out by hand.
EXPECTED: dict[tuple[str, str, Any, str], Any] = {
    # Spend to date: the channel's own two rows only.
    (PERF, "Channel", "Search*", "Spend"): 2 * 100,  # as a criterion "Search*" adds Search Ads' 2,000
    (PERF, "Channel", "Search Ads", "Spend"): 2 * 1000,
    (PERF, "Channel", "<>x", "Spend"): 2 * 20,  # as a criterion "<>x" is every row but "x": all 5,740
    (PERF, "Channel", "=1+1", "Spend"): 2 * 30,  # as a criterion "=1+1" means "equals 1+1": 1+1's 600
    (PERF, "Channel", "1+1", "Spend"): 2 * 300,
    (PERF, "Channel", "Mom's Day", "Spend"): 2 * 40,
    (PERF, "Channel", "a?b~c", "Spend"): 2 * 50,  # as a criterion: a, any one character, b, c: aXbc's 1,000
    (PERF, "Channel", "aXbc", "Spend"): 2 * 500,
    (PERF, "Channel", ">5", "Spend"): 2 * 60,  # as a criterion: numbers above 5, none: 0
    (PERF, "Channel", LONG_A, "Spend"): 2 * 70,  # Excel refuses a criterion over 255 characters (#VALUE!)
    (PERF, "Channel", LONG_B, "Spend"): 2 * 700,
    (PERF, "Channel", "Search*", "Leads"): 2 * 10,
    # CAC = spend ÷ customers; its own CAC target (Targets) or Expected CAC (Channels) judges it.
    (PERF, "Channel", "Search*", "CAC"): 200 / (2 * 1),  # 100
    (PERF, "Channel", "Search*", "Primary target"): 120,  # its CAC target, not Search Ads' 150
    (PERF, "Channel", "Search*", "Attainment"): 120 / 100,  # lower is better: target ÷ actual = 1.2
    (PERF, "Channel", "Search Ads", "CAC"): 2000 / (2 * 5),  # 200
    (PERF, "Channel", "Search Ads", "Attainment"): 150 / 200,  # 0.75
    (PERF, "Channel", "<>x", "Primary metric"): "CAC",  # its Expected CAC, 30
    (PERF, "Channel", "<>x", "Attainment"): 30 / (40 / 2),  # CAC 20: 1.5
    (PERF, "Channel", "a?b~c", "Primary metric"): "ROAS",
    (PERF, "Channel", "a?b~c", "Attainment"): (2 * 250 / (2 * 50)) / 4,  # ROAS 500 ÷ 100 = 5 against 4: 1.25
    (PERF, "Channel", "aXbc", "Primary metric"): "–",  # no target of its own: a?b~c's is not aXbc's
    (PERF, "Channel", ">5", "Primary metric"): "Leads",
    (PERF, "Channel", ">5", "Attainment"): (2 * 6) / (100 * 2 / 31),  # 12 leads ÷ 6.45 to date = 1.86
    (PERF, "Channel", "=1+1", "Primary metric"): "–",
    # Budget lines: planned 31 × the daily spend over October; actual = the channel's own spend.
    (PACING, "Channel", "Search*", "Actual"): 2 * 100,
    (PACING, "Channel", "Search*", "Expected to date"): 3100 * 2 / 31,  # 200
    (PACING, "Channel", "Search*", "Pace"): 200 / 200,
    (PACING, "Channel", "<>x", "Actual"): 2 * 20,
    (PACING, "Channel", "a?b~c", "Actual"): 2 * 50,
    (PACING, "Channel", LONG_A, "Actual"): 2 * 70,
    (PACING, "Channel", LONG_B, "Actual"): 2 * 700,
    # Budget % = the channel's budget for the period ÷ all: 31 × (100 + 1000 + 20 + 30 + 300 + 50 + 500 + 60
    # + 70 + 700) = 31 × 2,830 = 87,730 (Mom's Day has no line).
    (STRATEGY, "Channel", "Search*", "Budget %"): 3100 / 87730,
    (STRATEGY, "Channel", "Mom's Day", "Budget %"): 0 / 87730,
    ("Chart data", "Channel", "Search*", "Budget for period"): 3100,
    ("Chart data", "Channel", "a?b~c", "Budget for period"): 31 * 50,
    # Every channel has a Revenue target of 1,000, so the blended one is their sum.
    (KPI, "Metric", "Revenue", "Target"): 11 * 1000,
    # Blended ROAS (all channels paid): revenue 2 × (300 + 4000 + 50 + 90 + 600 + 200 + 250 + 1000 + 120 + 140
    # + 2100) = 17,700 over spend 2 × (2,830 + 40) = 5,740.
    (KPI, "Metric", "ROAS", "Actual"): 17700 / 5740,
    # Campaigns: each its own rows (channel and campaign).
    (PERF, "Campaign", "Brand*", "Spend"): 2 * 100,  # "Brand*" as a criterion adds Brand Search's 2,000
    (PERF, "Campaign", "Brand Search", "Spend"): 2 * 1000,
    (PERF, "Campaign", "<>x", "Spend"): 2 * 20,
    (PERF, "Campaign", "=1+1", "Spend"): 2 * 30,
    (PERF, "Campaign", LONG_CAMPAIGN, "Spend"): 2 * 70,
    (PERF, "Campaign", "Spring", "Spend"): 2 * 700,
}
#: Plan sheet → its campaign's spend to date (Actuals rows of that campaign up to report as of).
PLAN_SPEND = {
    "Brand-": 2 * 100,
    "Mom's Day": 2 * 40,
    CRAFTED: 2 * 50,  # the a?b~c rows
    "Q" * 30: 2 * 500,  # CUT_A: the aXbc rows
    "Q" * 27 + " (2)": 2 * 60,  # CUT_B: the >5 rows
    PLAN_SHEETS[LONG_CAMPAIGN]: 2 * 70,
    "Spring": 2 * 700,
}


def _label_value(ws, label: str) -> Any:
    """The value right of a label in column A (a plan sheet's header block)."""
    for row in ws.iter_rows(values_only=True):
        if row[0] == label:
            return row[1]
    raise KeyError(f"{ws.title}: no label {label!r}")


def _mismatches(wb: openpyxl.Workbook) -> list[str]:
    """Every figure of the workbook that differs from its hand-worked value, as a readable line."""
    wrong = []
    for (sheet, key, label, column), expected in EXPECTED.items():
        got = value_by_label(wb[sheet], key, label, column)
        if got != (pytest.approx(expected) if isinstance(expected, (int, float)) else expected):
            wrong.append(f"{sheet} {str(label)[:20]!r} / {column!r}: expected {expected!r}, got {got!r}")
    for sheet, expected in PLAN_SPEND.items():
        got = _label_value(wb[sheet], "Spend to date")
        if got != pytest.approx(expected):
            wrong.append(f"plan {sheet!r} spend to date: expected {expected!r}, got {got!r}")
    # every campaign is Launched: the Promotional template's Planning and Creation tasks are behind it (Done)
    items = TEMPLATES_BY_TYPE["Promotional"].items
    progress = sum(it.phase in ("Planning", "Creation") for it in items) / len(items)
    for campaign in PLAN_SHEETS:
        got = value_by_label(wb[PLANS], "Campaign", campaign, "Progress")
        if got != pytest.approx(progress):  # the old unquoted ='{sheet}'!$B$8 gave #VALUE! or another cell
            wrong.append(f"progress of {campaign[:20]!r}: expected {progress}, got {got!r}")
    return wrong


def test_sheet_names_are_quoted_with_apostrophes_doubled() -> None:
    assert quote_sheet("Budget") == "'Budget'"
    assert sheet_ref("Mom's Day", "$B$8") == "'Mom''s Day'!$B$8"
    assert sheet_ref(CRAFTED, "$B$8") == "'Dashboard''!B9+''Dashboard'!$B$8"
    assert internal_link("Mom's Day") == "internal:'Mom''s Day'!A1"


def test_plan_sheet_names_are_valid_unique_and_never_end_in_an_apostrophe() -> None:
    taken = {"Dashboard", "Budget"}
    names = [sheet_name(c, taken) for c in PLAN_SHEETS]
    assert names == list(PLAN_SHEETS.values())
    assert len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= 31 and not n.startswith("'") and not n.endswith("'") for n in names)
    # A name equal to a taken one ignoring case, and Excel's reserved "History", get a suffix.
    assert sheet_name("dashboard", taken) == "dashboard (2)"
    assert sheet_name("History", taken) == "History (2)"
    assert sheet_name("'quoted'", taken) == "quoted"
    assert sheet_name("'", taken) == "Campaign"


@pytest.fixture(scope="module")
def edge_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edge")
    return build_report(load_intake(write_edge_names(folder / "edge.xlsx")), folder / "edge-report.xlsx")


@pytest.mark.slow
def test_the_engine_caches_the_hand_worked_figures(edge_report: Path) -> None:
    assert _mismatches(openpyxl.load_workbook(edge_report, data_only=True)) == []


@pytest.mark.slow
def test_data_sheets_number_each_row_by_its_own_channel_and_campaign(edge_report: Path) -> None:
    """The keys the formulas select rows by: a row's Channel key is its channel's on the Channels sheet (names
    compared exactly), its Campaign key the one of the same campaign on the Campaigns sheet."""
    wb = openpyxl.load_workbook(edge_report, data_only=True)
    channel_key = {r[0]: r[-1] for r in wb["Channels"].iter_rows(min_row=2, values_only=True)}
    assert channel_key["Search*"] == 1 and channel_key["Search Ads"] == 2 and len(set(channel_key.values())) == 11
    headers = [c.value for c in wb["Campaigns"][1]]
    campaign_key = {
        r[0]: r[headers.index("Campaign key")] for r in wb["Campaigns"].iter_rows(min_row=2, values_only=True)
    }
    assert len(set(campaign_key.values())) == len(PLAN_SHEETS)
    actuals = list(wb["Actuals"].iter_rows(values_only=True))
    h = actuals[0]
    rows = [dict(zip(h, r, strict=False)) for r in actuals[1:]]
    assert len(rows) == 2 * 11
    assert all(r["Channel key"] == channel_key[r["Channel"]] for r in rows)
    assert all(r["Campaign key"] == campaign_key[r["Campaign"]] for r in rows)
    for sheet in ("Budget", "Targets"):  # calculated columns, cached
        table = list(wb[sheet].iter_rows(values_only=True))
        k = table[0].index("Channel key")
        assert all(r[k] == channel_key[r[0 if sheet == "Budget" else 1]] for r in table[1:] if r[k] is not None)


@pytest.mark.slow
def test_plan_links_open_their_sheet(edge_report: Path) -> None:
    ws = openpyxl.load_workbook(edge_report)[PLANS]
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink}
    assert len(links) == len(PLAN_SHEETS)
    assert links["Mom's Day"] == "'Mom''s Day'!A1"
    assert links[CRAFTED] == "'Dashboard''!B9+''Dashboard'!A1"


@pytest.mark.libreoffice
def test_the_formulas_recalculate_to_the_hand_worked_figures(recalculated_reports) -> None:
    _, recalculated = recalculated_reports["edge-names"]
    assert _mismatches(openpyxl.load_workbook(recalculated, data_only=True)) == []


@pytest.mark.libreoffice
def test_edited_channels_on_data_sheets_follow_their_keys(edge_report: Path, tmp_path: Path) -> None:
    """A leader edits the report's data sheets: the Targets row of ">5" (Leads 100) is moved to "aXbc", and
    the Channel key of one Search* Actuals row is cleared (as on a row added by hand without its keys).

    After recalculation: the Targets row's calculated key follows its new Channel, so aXbc is judged on Leads
    (2 × 20 = 40 leads against 100 × 2 ÷ 31 = 6.45 to date: attainment 40 × 31 ÷ 200 = 6.2) and ">5" has no
    primary metric any more; Search* keeps only its other row (spend 100), the all-channel spend stays
    2 × (2,830 + 40) = 5,740, and Actuals counts 1 row without a Channel key.
    """
    path = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(edge_report)  # openpyxl drops charts on save: values only are checked
    for row in wb["Targets"].iter_rows(min_row=2):
        if (row[0].value, row[1].value) == ("Leads", ">5"):
            row[1].value = "aXbc"
    actuals = wb["Actuals"]
    headers = [c.value for c in actuals[1]]
    first = next(r for r in actuals.iter_rows(min_row=2) if r[1].value == "Search*")
    first[headers.index("Channel key")].value = None
    wb.save(path)
    fresh = openpyxl.load_workbook(recalculate([path], tmp_path / "out")[0], data_only=True)
    perf = fresh[PERF]
    assert value_by_label(perf, "Channel", "aXbc", "Primary metric") == "Leads"
    assert value_by_label(perf, "Channel", "aXbc", "Attainment") == pytest.approx(40 * 31 / 200)
    assert value_by_label(perf, "Channel", ">5", "Primary metric") == "–"
    assert value_by_label(perf, "Channel", "Search*", "Spend") == 100
    assert value_by_label(fresh[KPI], "Metric", "Spend", "Actual") == 5740
    row1 = [c.value for c in fresh["Actuals"][1]]
    note = next(i for i, v in enumerate(row1) if isinstance(v, str) and v.startswith("rows without a Channel key"))
    assert row1[note - 1] == 1
