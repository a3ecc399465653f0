"""The report workbook: its sheets, pinned headers, and the engine's numbers in them."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from mops_xl import analyse, build_report, load_intake

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    analysis = analyse(intake)
    out = build_report(intake, tmp_path_factory.mktemp("report") / "saas-report.xlsx", analysis)
    return analysis, openpyxl.load_workbook(out, data_only=True)  # the engine's values, cached in the formulas


def _table(ws, first_header: str) -> tuple[list, list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == first_header)
    header = [c for c in rows[top] if c is not None]
    body = []
    for r in rows[top + 1 :]:
        if r[0] is None:
            break
        body.append(r[: len(header)])
    return header, body


def test_kpi_framework_headers_labels_and_values(built) -> None:
    analysis, wb = built
    header, body = _table(wb["KPI Framework"], "Metric")
    assert header == [
        "Metric",
        "Definition",
        "Target",
        "Target to date",
        "Actual",
        "Attainment",
        "Status",
        "Previous period",
        "Change",
        "Low",
        "Likely",
        "High",
        "Chance of target",
    ]
    assert [r[0] for r in body] == [
        "Leads",
        "MQLs",
        "SQLs",
        "Customers",
        "Revenue",
        "Spend",
        "Spend vs target",
        "CPL",
        "CAC",
        "Fully-loaded CAC",
        "LTV:CAC",
        "ROAS",
        "MER",
    ]
    for row in body:
        exp = analysis.kpis.loc[row[0]]
        for col, got in zip(header[2:], row[2:], strict=False):
            if col not in exp.index:  # the forecast's columns: tests/test_forecast_columns.py
                continue
            want = exp[col]
            if isinstance(want, str):
                assert got == want
            elif pd.isna(want):
                assert got == "–", (row[0], col)
            else:
                assert got == pytest.approx(float(want), rel=1e-12), (row[0], col)
    assert "MQL score threshold: 65" in dict((r[0], r[1]) for r in body)["MQLs"]


def test_channel_performance_headers_and_rows(built) -> None:
    analysis, wb = built
    header, body = _table(wb["Channel Performance"], "Channel")
    assert header[:14] == [
        "Channel",
        "Spend",
        "Leads",
        "MQLs",
        "SQLs",
        "Customers",
        "Revenue",
        "CPL",
        "CAC",
        "ROAS",
        "Trend",
        "Trend %",
        "Trend verdict",
        "Status",
    ]
    assert header[14:] == [
        "Primary metric",
        "Primary source",
        "Primary target",
        "Primary target to date",
        "Primary actual",
        "Attainment",
        "Trend recent",
        "Trend prior",
    ]
    assert [r[0] for r in body] == list(analysis.channels.index) + ["All channels"]
    totals = dict(zip(header, body[-1], strict=False))
    assert totals["Spend"] == pytest.approx(analysis.blended.volumes["Spend"])
    assert totals["ROAS"] == pytest.approx(analysis.blended.ratios["ROAS"])  # paid channels only
    google = dict(zip(header, body[0], strict=False))
    exp = analysis.channels.loc["Google Ads"]
    assert google["Spend"] == pytest.approx(exp["Spend"]) and google["CAC"] == pytest.approx(exp["CAC"])
    assert google["Status"] == exp["Status"] and google["Trend"] in {"↑", "→", "↓", "–"}
    content = dict(zip(header, body[2], strict=False))
    assert content["ROAS"] == "–"  # organic: no spend, ROAS undefined


def test_data_sheets_carry_the_intake_with_canonical_headers(built) -> None:
    analysis, wb = built
    ws = wb["Actuals"]
    assert [c.value for c in ws[1]][:14] == [
        "Date",
        "Channel",
        "Campaign",
        "Spend",
        "Impressions",
        "Clicks",
        "Leads",
        "MQLs",
        "SQLs",
        "Customers",
        "Revenue",
        "Channel key",  # the numbers formulas select a channel's or a campaign's rows by
        "Campaign key",
        "Campaign plan key",  # the Campaigns row whose spend the row counts in (name, extension, Also matches)
    ]
    assert ws.max_row == len(analysis.intake.actuals) + 1
    assert sum(r[3] for r in ws.iter_rows(min_row=2, values_only=True)) == pytest.approx(
        analysis.intake.actuals["Spend"].sum()
    )
    # A streamed sheet: a plain range with a filter, each column reached through a name over exactly its rows.
    last = len(analysis.intake.actuals) + 1
    assert ws.tables == {} and ws.auto_filter.ref == f"A1:N{last}"
    names = wb.defined_names
    assert names["ActualsDate"].attr_text == f"'Actuals'!$A$2:$A${last}"
    assert names["ActualsSpend"].attr_text == f"'Actuals'!$D$2:$D${last}"
    assert names["ActualsRevenue"].attr_text == f"'Actuals'!$K$2:$K${last}"
    assert names["ActualsChannelKey"].attr_text == f"'Actuals'!$L$2:$L${last}"


@pytest.mark.slow
def test_report_loads_in_pandas(built, tmp_path: Path) -> None:
    intake = load_intake(ROOT / "samples" / "local.xlsx")
    out = build_report(intake, tmp_path / "local-report.xlsx")
    frames = pd.read_excel(out, sheet_name=None, engine="openpyxl")
    assert {"KPI Framework", "Channel Performance", "Actuals", "Business"} <= set(frames)
    assert not math.isnan(frames["Actuals"]["Spend"].sum())


@pytest.mark.slow
def test_campaign_breakdown_keeps_the_biggest_200(tmp_path: Path) -> None:
    import datetime as dt

    from intake_builders import write_valid

    def many(d: dict) -> None:
        d["Actuals"] = [
            {
                "Date": dt.date(2026, 10, 1),
                "Channel": "Google Ads",
                "Campaign": f"C{i:03d}",
                "Spend": float(i),
                "Leads": 1,
            }
            for i in range(1, 206)
        ]

    intake = load_intake(write_valid(tmp_path / "many.xlsx", many))
    ws = openpyxl.load_workbook(build_report(intake, tmp_path / "r.xlsx"), data_only=True)["Channel Performance"]
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "By campaign")
    assert rows[top][3].endswith(
        "each campaign's own dates or not. The 200 campaigns with the most spend of 205; every campaign is in the "
        "JSON output."
    )
    body = [r for r in rows[top + 2 :] if r[0]]
    assert len(body) == 200 and body[0][1] == "C205" and body[-1][1] == "C006"  # C001-C005 spent least
