"""Not tracked is not zero: blank Actuals cells are missing, untracked metrics say so everywhere (docs/metrics.md).

The intake below is a business without lead scoring: its Actuals sheet has no MQLs and no SQLs column. March 2026
(D = 31 days), Report as of March 2 (d = 2). Each of the two days has the same three Actuals rows (– = blank):

    channel  paid  campaign  spend  impressions  clicks  leads  customers  revenue
    Search   yes   Brand       200         5000     100     10          2     1000
    Social   yes   Promo       100            –       –      5          1        –
    Email    no    –             –            –       –      4          –        –    (March 1 only: revenue 50)

So Search tracks everything the sheet has; Social leaves Revenue blank on every row (it does not track Revenue);
Email has no Spend (blank Spend is 0) and leaves Customers blank (it does not track Customers) but gives Revenue
once (it tracks Revenue). Budget: Search 6,200 over March. Targets: MQLs 100 (blended), ROAS 3 for Social,
Customers 62 (blended). Channels: Search Expected CAC 90, Email Expected CAC 10.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from intake_builders import edit, write_valid

from mops_xl import analyse, build_report, load_intake, validate_intake, write_intake
from mops_xl.analysis.figures.performance import blended
from mops_xl.analysis.figures.volumes import VOLUMES, channel_volumes
from mops_xl.cli import cli
from mops_xl.intake.checks import funnel_order
from mops_xl.intake.model import TRACKABLE, tracked_by_channel
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.json_output import terminal_summary, to_dict

D = dt.date
NT = "Not tracked"
NA = "–"


def untracked_data() -> dict[str, Any]:
    """The intake of the module docstring (MQLs and SQLs are removed from the sheet by :func:`write_untracked`)."""
    actuals = []
    for day in (D(2026, 3, 1), D(2026, 3, 2)):
        actuals.append(
            {
                "Date": day,
                "Channel": "Search",
                "Campaign": "Brand",
                "Spend": 200.0,
                "Impressions": 5000,
                "Clicks": 100,
                "Leads": 10,
                "Customers": 2,
                "Revenue": 1000.0,
            }
        )
        actuals.append(
            {"Date": day, "Channel": "Social", "Campaign": "Promo", "Spend": 100.0, "Leads": 5, "Customers": 1}
        )
        email = {"Date": day, "Channel": "Email", "Leads": 4}
        if day == D(2026, 3, 1):
            email["Revenue"] = 50.0
        actuals.append(email)
    return {
        "Business": {
            "Business name": "Untracked Co",
            "Currency": "USD",
            "Period start": D(2026, 3, 1),
            "Period end": D(2026, 3, 31),
            "Report as of": D(2026, 3, 2),
        },
        "Channels": [
            {"Channel": "Search", "Paid": True, "Expected CAC": 90},
            {"Channel": "Social", "Paid": True},
            {"Channel": "Email", "Paid": False, "Expected CAC": 10},
        ],
        "Budget": [
            {"Channel": "Search", "Period start": D(2026, 3, 1), "Period end": D(2026, 3, 31), "Planned spend": 6200.0}
        ],
        "Actuals": actuals,
        "Targets": [
            {"Metric": "MQLs", "Target": 100},
            {"Metric": "ROAS", "Channel": "Social", "Target": 3},
            {"Metric": "Customers", "Target": 62},
        ],
    }


def _delete_columns(path: Path, sheet: str, names: tuple[str, ...]) -> Path:
    def action(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        for name in names:
            header = [c.value for c in ws[1]]
            ws.delete_cols(header.index(name) + 1)

    return edit(path, action)


def write_untracked(path: Path) -> Path:
    """Write the intake of the module docstring: its Actuals sheet has no MQLs or SQLs column."""
    return _delete_columns(write_intake(path, untracked_data()), "Actuals", ("MQLs", "SQLs"))


@pytest.fixture(scope="module")
def intake_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_untracked(tmp_path_factory.mktemp("untracked") / "untracked.xlsx")


@pytest.fixture(scope="module")
def analysis(intake_path: Path):
    return analyse(load_intake(intake_path))


# --- the intake: what is read, what the validator says ----------------------------------------------------


def test_blank_counts_are_missing_and_blank_spend_is_zero(analysis) -> None:
    actuals = analysis.intake.actuals
    email = actuals[actuals["Channel"] == "Email"]
    assert list(email["Spend"]) == [0.0, 0.0]  # blank Spend: organic, 0
    assert email["Customers"].isna().all() and email["Impressions"].isna().all()  # blank counts: not given
    assert actuals["MQLs"].isna().all() and actuals["SQLs"].isna().all()  # the columns are not on the sheet
    assert analysis.intake.untracked_columns == ["MQLs", "SQLs"]


def test_what_each_channel_tracks(analysis) -> None:
    tracked = analysis.intake.tracked
    assert tracked.loc["Search"].to_dict() == {c: c not in ("MQLs", "SQLs") for c in TRACKABLE}
    assert tracked.loc["Social"].to_dict() == {c: c in ("Leads", "Customers") for c in TRACKABLE}
    assert tracked.loc["Email"].to_dict() == {c: c in ("Leads", "Revenue") for c in TRACKABLE}


def test_no_funnel_warnings_and_a_warning_per_target_on_an_untracked_metric(intake_path: Path) -> None:
    """With MQLs and SQLs read as 0, each of the 4 Search and Social rows (customers 2 or 1 > SQLs 0) would warn
    "Customers > SQLs"; untracked, nothing is compared. The MQLs target (Targets row 2), Social's ROAS target
    (row 3) and Email's Expected CAC (Channels row 4, column G) cannot be judged: one warning each, at its cell."""
    report = validate_intake(intake_path)
    assert report.valid
    assert [p for p in report.problems if p.code == "funnel-order"] == []
    untracked = {p.place: p.message for p in report.problems if p.code == "untracked-target"}
    assert set(untracked) == {"Targets!A2", "Targets!A3", "Channels!G4"}
    assert "the Actuals sheet has no MQLs column" in untracked["Targets!A2"]
    assert 'every Actuals row of "Social" leaves Revenue blank' in untracked["Targets!A3"]
    assert 'every Actuals row of "Email" leaves Customers blank' in untracked["Channels!G4"]
    assert all(p.severity == "warning" for p in report.problems if p.code == "untracked-target")


def test_funnel_order_compares_only_filled_in_pairs(tmp_path: Path) -> None:
    """valid_data: Actuals row 2 is Google Ads on Oct 1 (Customers in column J), row 4 Email on Oct 1. Google Ads
    with SQLs 0 and 1 customer is out of order; Email with SQLs blank and 1 customer is not compared."""

    def change(data: dict[str, Any]) -> None:
        data["Actuals"][0]["SQLs"] = 0
        data["Actuals"][2]["SQLs"] = None
        data["Actuals"][2]["Customers"] = 1

    report = validate_intake(write_valid(tmp_path / "funnel.xlsx", change))
    assert [(p.place, p.message) for p in report.problems if p.code == "funnel-order"] == [
        (
            "Actuals!J2",
            "Customers (1) is more than SQLs (0); fine if they come from earlier leads, otherwise check the row",
        )
    ]


def test_no_spend_column_is_an_error_naming_the_sheet(tmp_path: Path) -> None:
    path = _delete_columns(write_valid(tmp_path / "nospend.xlsx"), "Actuals", ("Spend",))
    report = validate_intake(path)
    assert [(p.code, p.place, p.message) for p in report.errors] == [
        ("missing-column", "Actuals", 'required column "Spend" is missing from the header row')
    ]
    result = CliRunner().invoke(cli, ["build", str(path)])
    assert result.exit_code == 2, result.output
    assert 'Actuals: required column "Spend" is missing from the header row' in result.output


# --- the engine -------------------------------------------------------------------------------------------


def test_channel_figures(analysis) -> None:
    ch = analysis.channels
    assert ch.loc["Search", ["Spend", "Leads", "Customers", "Revenue"]].tolist() == [400, 20, 4, 2000]
    assert ch.loc["Social", ["Spend", "Leads", "Customers"]].tolist() == [200, 10, 2]
    assert math.isnan(ch.loc["Social", "Revenue"]) and math.isnan(ch.loc["Social", "ROAS"])  # not 0
    assert ch.loc["Social", "CAC"] == 100  # 200 / 2
    assert ch.loc["Email", "Spend"] == 0 and ch.loc["Email", "Revenue"] == 50
    assert math.isnan(ch.loc["Email", "CPL"])  # 0 spend / 8 leads: nothing spent, no CPL (not 0, issue 28)
    assert math.isnan(ch.loc["Email", "Customers"]) and math.isnan(ch.loc["Email", "CAC"])
    assert math.isnan(ch.loc["Email", "ROAS"])  # tracked, but undefined: no spend
    # Search is judged on its Expected CAC 90: CAC 400 / 4 = 100, attainment 90 / 100 = 0.9 -> At risk.
    assert ch.loc["Search", "Attainment"] == pytest.approx(0.9) and ch.loc["Search", "Status"] == "At risk"
    # Social's ROAS target and Email's Expected CAC judge figures their channel does not track.
    assert ch.loc["Social", ["Primary metric", "Status", "Trend"]].tolist() == ["ROAS", NT, NT]
    assert ch.loc["Email", ["Primary metric", "Status", "Trend"]].tolist() == ["CAC", NT, NT]
    # Nothing not tracked is judged. The plan for the 29 days left (Mar 3-31): 6,200 budget - 600 spent (Search 400
    # + Social's unbudgeted 200) = 5,600 left. Search (0.9 of target) would spend its 5,800 remaining (200 a day,
    # its best day, x 29 = 5,800): 200 too much, cut from it, the only judged channel: 5,600, 193.10 a day against
    # 200 now, within 10 %: Hold. Social has no budget line: it plans nothing more (Pause); Email spends nothing.
    r = analysis.recommendations.set_index("Subject")
    assert analysis.plan.left == 5600 and analysis.plan.planned == pytest.approx(5600)
    assert r.loc["Search", "Action"] == "Hold" and r.loc["Search", "Planned daily spend"] == pytest.approx(5600 / 29)
    assert r.loc["Social", "Action"] == "Pause" and "does not track" in r.loc["Social", "Evidence"]
    assert r.loc["Email", "Action"] == "Not enough data" and "does not track" in r.loc["Email", "Evidence"]
    assert "All channels" not in r.index
    # Search's 200 covers the 200 Social spent outside any budget line
    assert r.loc["Search", "Funding"] == "gives $200 against the overspend to date"


def test_blended_figures_count_the_channels_that_track_them(analysis) -> None:
    b = analysis.blended
    assert b.volumes["Spend"] == 600  # 2 x (200 + 100 + 0)
    assert b.volumes["Leads"] == 38  # 2 x (10 + 5 + 4)
    assert b.volumes["Customers"] == 6  # 2 x (2 + 1): Email does not track Customers
    assert b.volumes["Revenue"] == 2050  # 2 x 1000 + 50: Social does not track Revenue
    assert math.isnan(b.volumes["MQLs"]) and math.isnan(b.volumes["SQLs"])
    assert b.ratios["CAC"] == pytest.approx((400 + 200) / 6)  # 100: the channels that track Customers
    # ROAS: the paid channels that track Revenue, Search only: 2,000 / 400 = 5.0 (not 2,000 / 600 = 3.3, which
    # would count Social's spend against revenue nobody recorded).
    assert b.ratios["ROAS"] == pytest.approx(2000 / 400)
    assert b.mer == pytest.approx((2000 + 50) / (400 + 0))  # 5.125: Search and Email track Revenue
    assert math.isnan(b.ratios["Lead to MQL"])


def test_kpi_rows_not_tracked(analysis) -> None:
    k = analysis.kpis
    mqls = k.loc["MQLs"]
    assert mqls["Target"] == 100 and mqls["Target to date"] == pytest.approx(100 * 2 / 31)
    assert all(math.isnan(mqls[c]) for c in ("Actual", "Attainment", "Previous period", "Change"))
    assert mqls["Status"] == NT and k.loc["SQLs", "Status"] == NT
    assert "Not tracked: the Actuals sheet has no MQLs column" in mqls["Definition"]
    customers = k.loc["Customers"]  # 6 against 62 x 2 / 31 = 4: attainment 1.5 -> Ahead
    assert customers["Attainment"] == pytest.approx(6 / (62 * 2 / 31)) and customers["Status"] == "Ahead"
    assert "left out: Email" in customers["Definition"]
    assert "left out: Social" in k.loc["ROAS", "Definition"]


def test_kpi_boxes_are_chosen_among_tracked_metrics(analysis) -> None:
    """The tracked KPIs with a target, worst first: MQLs has a target but is not tracked, so only Customers; fewer
    than four, so the tracked ones of MQLs, SQLs, CAC and ROAS fill up (MQLs and SQLs are not tracked): CAC, ROAS."""
    assert analysis.kpi_boxes == ["Customers", "CAC", "ROAS"]
    lines = terminal_summary(analysis).splitlines()
    assert [line.split()[0] for line in lines[2:5]] == ["Customers", "CAC", "ROAS"]
    assert lines[2].split() == ["Customers", "6", "vs", "4", "Ahead"]
    assert lines[4].split() == ["ROAS", "5.0:1", "vs", "–", "No", "target"]


def test_json_nulls_with_reasons(analysis) -> None:
    doc = json.loads(json.dumps(to_dict(analysis), allow_nan=False))
    assert doc["kpi_boxes"] == ["Customers", "CAC", "ROAS"]
    assert doc["not_tracked"] == {
        "columns": ["MQLs", "SQLs"],
        "channels": {"Social": ["Impressions", "Clicks", "Revenue"], "Email": ["Impressions", "Clicks", "Customers"]},
    }
    kpis = {k["Metric"]: k for k in doc["kpis"]}
    assert kpis["MQLs"]["Actual"] is None and kpis["MQLs"]["Status"] == NT
    assert kpis["MQLs"]["undefined"]["Actual"] == "not tracked: the Actuals sheet has no MQLs column"
    assert kpis["SQLs"]["undefined"]["Change"] == "not tracked: the Actuals sheet has no SQLs column"
    assert kpis["ROAS"]["Actual"] == pytest.approx(5.0) and "undefined" not in kpis["ROAS"]
    channels = {c["Channel"]: c for c in doc["channels"]}
    social, email = channels["Social"], channels["Email"]
    assert social["Revenue"] is None and social["ROAS"] is None
    assert social["undefined"]["ROAS"] == "not tracked: every Actuals row of Social leaves Revenue blank"
    assert email["undefined"]["CAC"] == "not tracked: every Actuals row of Email leaves Customers blank"
    assert email["undefined"]["ROAS"] == "no spend to date"  # Email tracks Revenue: undefined, not untracked
    campaigns = {(c["Channel"], c["Campaign"]): c for c in doc["campaigns"]}
    promo = campaigns[("Social", "Promo")]
    assert promo["Revenue"] is None
    assert promo["undefined"]["ROAS"] == "not tracked: every Actuals row of the campaign leaves Revenue blank"
    notes = {(n["subject"], n["note"].split(" (")[0]) for n in doc["notes"]}
    assert ("Social", "Does not track Impressions, Clicks, Revenue") in notes
    assert ("Email", "Does not track Impressions, Clicks, Customers") in notes
    assert (
        "MQLs",
        "Not tracked: the Actuals sheet has no MQLs column; every figure that needs MQLs says Not tracked",
    ) in notes


def test_budget_needed_for_an_untracked_volume_is_undefined(analysis) -> None:
    needed = analysis.needed.set_index(["Subject", "Metric", "Chance"])
    for chance in (0.5, 0.8):
        mqls = needed.loc[("All channels", "MQLs", chance)]
        assert math.isnan(mqls["Spend needed"]) and mqls["Reason"] == "MQLs not tracked"
        customers = needed.loc[("All channels", "Customers", chance)]
        assert not math.isnan(customers["Spend needed"])


def test_framework_text_says_not_tracked(analysis) -> None:
    lines = render_framework(analysis, "md", "kpis").splitlines()

    def row(label: str, header: str) -> dict[str, str]:
        """The Markdown table row starting with ``label``, under the header row starting with ``header``."""
        top = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
        names = [c.strip() for c in lines[top].split("|")]
        line = next(x for x in lines[top:] if x.startswith(f"| {label} |"))
        return dict(zip(names, (c.strip() for c in line.split("|")), strict=True))

    assert row("MQLs", "Metric")["Actual"] == NT  # not 0
    social = row("Social", "Channel")
    assert [social["CAC"], social["ROAS"], social["Trend"]] == ["$100", NT, NT]


# --- properties --------------------------------------------------------------------------------------------

CHANNELS = ["Search", "Social", "Email"]
maybe = st.one_of(st.none(), st.integers(min_value=0, max_value=1000))
row = st.fixed_dictionaries(
    {"Channel": st.sampled_from(CHANNELS), "Spend": st.integers(min_value=0, max_value=1000)}
    | {v: maybe for v in TRACKABLE}
)
frames = st.lists(row, min_size=1, max_size=25).map(
    lambda rows: pd.DataFrame(rows, columns=["Channel", *VOLUMES]).astype({v: "Int64" for v in TRACKABLE})
)


@pytest.mark.slow
@settings(deadline=None)
@given(frames)
def test_blended_ratios_are_like_for_like_and_blanks_never_compared(frame: pd.DataFrame) -> None:
    """By brute force over the rows: a channel tracks a column when one of its rows fills it in; the blended
    CAC is the spend of those channels over their customers; no funnel warning names a row with a blank."""
    tracked = tracked_by_channel(frame, CHANNELS)
    volumes = channel_volumes(frame, CHANNELS, tracked=tracked)
    b = blended(volumes, pd.Series(True, index=CHANNELS), None, 0.0)
    rows = frame.to_dict("records")
    keeps = {ch for ch in CHANNELS if any(r["Channel"] == ch and not pd.isna(r["Customers"]) for r in rows)}
    spend = sum(r["Spend"] for r in rows if r["Channel"] in keeps)
    customers = sum(r["Customers"] for r in rows if r["Channel"] in keeps and not pd.isna(r["Customers"]))
    if not keeps:
        assert math.isnan(b.volumes["Customers"]) and math.isnan(b.ratios["CAC"])
    elif customers == 0:
        assert b.volumes["Customers"] == 0 and math.isnan(b.ratios["CAC"])
    else:
        assert b.ratios["CAC"] == pytest.approx(spend / customers)
    frame.index = range(2, len(frame) + 2)
    for problem in funnel_order({"Actuals": frame}, {}):
        r = rows[problem.row - 2]
        assert not pd.isna(r[problem.column])


# --- the report ---------------------------------------------------------------------------------------------


def _row(ws, label: str, header_row: int = 4) -> dict[str, Any]:
    """The values of the row labelled ``label`` under the header row, by header."""
    headers = [c.value for c in ws[header_row]]
    for r in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if r[0] == label:
            return dict(zip(headers, r, strict=False))
    raise KeyError(label)


def _check_report(wb: openpyxl.Workbook, roas: float, social_roas: Any) -> None:
    kpi, perf = wb["KPI Framework"], wb["Channel Performance"]
    mqls = _row(kpi, "MQLs")
    assert (mqls["Target"], mqls["Actual"], mqls["Attainment"], mqls["Status"]) == (100, NT, NT, NT)
    assert (mqls["Previous period"], mqls["Change"]) == (NT, NT)
    # the forecast of a KPI not tracked says so too
    assert (mqls["Low"], mqls["Likely"], mqls["High"], mqls["Chance of target"]) == (NT, NT, NT, NT)
    assert _row(kpi, "ROAS")["Actual"] == pytest.approx(roas)
    assert _row(perf, "Social")["ROAS"] == social_roas
    assert _row(perf, "Email")["Customers"] == NT and _row(perf, "Email")["Spend"] == 0
    total = _row(perf, "All channels")
    assert (total["MQLs"], total["SQLs"], total["Customers"]) == (NT, NT, 6)
    boxes = next(r for r in wb["Dashboard"].iter_rows(values_only=True) if "Customers" in r and "CAC" in r)
    assert [v for v in boxes[1:] if v] == ["Customers", "CAC", "ROAS"]  # A holds the row's label


@pytest.mark.slow
def test_report_shows_not_tracked(intake_path: Path, tmp_path: Path) -> None:
    path = build_report(load_intake(intake_path), tmp_path / "untracked-report.xlsx")
    _check_report(openpyxl.load_workbook(path, data_only=True), 2000 / 400, NT)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_engine_values_and_fills_in_what_is_given(
    intake_path: Path, tmp_path: Path
) -> None:
    """Every formula of the report recalculates to the engine's value; then, giving Social's two Actuals rows a
    revenue of 300 each in the report's Actuals sheet, Social's ROAS becomes 600 / 200 = 3.0 and the blended ROAS
    (2,000 + 600) / (400 + 200) = 4.33: the living model follows."""
    from mops_xl.outputs.libreoffice import recalculate

    built = build_report(load_intake(intake_path), tmp_path / "untracked-report.xlsx")
    edited = tmp_path / "edited-report.xlsx"
    wb = openpyxl.load_workbook(built)
    actuals = wb["Actuals"]
    revenue = [c.value for c in actuals[1]].index("Revenue") + 1
    for r in range(2, actuals.max_row + 1):
        if actuals.cell(r, 2).value == "Social":
            actuals.cell(r, revenue).value = 300
    wb.save(edited)
    fresh, fresh_edited = recalculate([built, edited], tmp_path / "recalculated")
    cached = openpyxl.load_workbook(built, data_only=True)
    recalculated = openpyxl.load_workbook(fresh, data_only=True)
    wrong = []
    for ws in openpyxl.load_workbook(built).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                exp, got = cached[ws.title][cell.coordinate].value, recalculated[ws.title][cell.coordinate].value
                same = exp == got or (
                    isinstance(exp, (int, float)) and isinstance(got, (int, float)) and math.isclose(exp, got)
                )
                if not same:
                    wrong.append(f"{ws.title}!{cell.coordinate}: engine {exp!r}, LibreOffice {got!r}")
    assert wrong == []
    _check_report(recalculated, 2000 / 400, NT)
    after = openpyxl.load_workbook(fresh_edited, data_only=True)
    assert _row(after["Channel Performance"], "Social")["ROAS"] == pytest.approx(600 / 200)
    assert _row(after["KPI Framework"], "ROAS")["Actual"] == pytest.approx((2000 + 600) / (400 + 200))
