"""Where the period lands, where the reader looks: the KPI Framework's Low, Likely, High and Chance of target, and
Channel Performance's "Where each channel lands", are the forecast's figures (issue 25, "One answer").

The samples' cells are checked against ``analysis.forecast`` (the one answer); a steady intake, every day the same,
is worked by hand: its band collapses onto the straight line.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from intake_builders import write_valid
from recalculation import value_by_label

from mops_xl import build_report, load_intake
from mops_xl.analysis.engine import analyse
from mops_xl.cli import cli
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.forecast_columns import CHANCE_FORMAT, chance_text, low_high

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")
KPI, CHANNELS, PACING = "KPI Framework", "Channel Performance", "Budget Pacing"
NA, NT = "–", "Not tracked"
#: The KPI Framework rows the forecast covers, and the forecast row each shows.
FORECAST_ROW = {m: m for m in ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue", "CPL", "CAC", "ROAS")} | {
    "Spend vs target": "Spend"
}


def _build(path: Path) -> tuple[Any, openpyxl.Workbook]:
    a = analyse(load_intake(path))
    out = build_report(a.intake, path.parent / f"{path.stem}-report.xlsx", a)
    return a, openpyxl.load_workbook(out)  # the forecast's cells are values, not formulas


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, openpyxl.Workbook]]:
    out = {}
    for name in SAMPLES:
        copy = tmp_path_factory.mktemp(name) / f"{name}.xlsx"
        copy.write_bytes((ROOT / "samples" / f"{name}.xlsx").read_bytes())
        out[name] = _build(copy)
    return out


def _cell(ws, key: str, label: str, column: str) -> Any:
    return value_by_label(ws, key, label, column)


def _expected(value: float, high: bool = False) -> Any:
    """A forecast figure as the sheet shows it: an infinite High "no upper bound", undefined "–"."""
    if math.isnan(value):
        return NA
    if math.isinf(value):
        return "no upper bound" if high else NA
    return value


# ---------------------------------------------------------------------------------------------------------------
# The samples: the cells are the forecast's
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_kpi_framework_shows_the_forecast(samples, name: str) -> None:
    a, wb = samples[name]
    ws = wb[KPI]
    forecast = a.forecast.kpis.set_index("Metric")
    for metric in a.kpis.index:
        got = {c: _cell(ws, "Metric", metric, c) for c in ("Low", "Likely", "High", "Chance of target")}
        if metric not in FORECAST_ROW:  # MER, LTV:CAC, Fully-loaded CAC: not forecast
            assert got == dict.fromkeys(got, NA), metric
            continue
        f = forecast.loc[FORECAST_ROW[metric]]
        if f["Method"] == NT:
            assert got == dict.fromkeys(got, NT), metric
            continue
        for column, q in (("Low", "P10"), ("Likely", "P50"), ("High", "P90")):
            exp = _expected(f[q], high=column == "High")
            assert got[column] == (pytest.approx(exp) if isinstance(exp, float) else exp), (metric, column)
        # the chance stands beside the target it is of: the row's target is the one the forecast read
        same = not math.isnan(f["Target"]) and f["Target"] == pytest.approx(a.kpis.loc[metric, "Target"])
        assert got["Chance of target"] == (pytest.approx(f["Chance of target"]) if same else NA), metric
    # the Spend row is judged against the budget, which the forecast does not read: no chance beside it
    assert _cell(ws, "Metric", "Spend", "Chance of target") == NA


@pytest.mark.parametrize("name", SAMPLES)
def test_kpi_framework_forecast_formats_and_caption(samples, name: str) -> None:
    a, wb = samples[name]
    ws = wb[KPI]
    header = next(r for r in ws.iter_rows() if r[0].value == "Metric")
    col = {c.value: c.column for c in header}
    assert [c.value for c in header][-4:] == ["Low", "Likely", "High", "Chance of target"]
    assert "Projection" not in col
    caption = ws.cell(header[0].row - 1, col["Low"]).value
    assert caption.startswith("Forecast at period end") and "built values: rebuild after editing the data" in caption
    for row in ws.iter_rows(min_row=header[0].row + 1, max_row=header[0].row + len(a.kpis)):
        metric = row[0].value
        cells = {h: row[c - 1] for h, c in col.items()}
        if isinstance(cells["Likely"].value, float):
            fmt = cells["Likely"].number_format
            if metric in ("Leads", "MQLs", "SQLs", "Customers"):
                assert fmt == "#,##0" and all(float(cells[h].value).is_integer() for h in ("Low", "Likely", "High"))
            elif metric in ("ROAS",):
                assert fmt == '0.0":1"'
            else:  # money: whole units from 100 up, cents below (as the text writes it)
                assert fmt.startswith("[>=100]") and "#,##0.00" in fmt
        if isinstance(cells["Chance of target"].value, float):
            assert cells["Chance of target"].number_format == CHANCE_FORMAT
        if str(cells["Target"].value).startswith("="):  # a row with a target: its judgement stays live formulas
            assert str(cells["Attainment"].value).startswith("=") and str(cells["Status"].value).startswith("=")


@pytest.mark.parametrize("name", SAMPLES)
def test_channel_performance_shows_each_channel_s_spend_and_kpi(samples, name: str) -> None:
    a, wb = samples[name]
    ws = wb[CHANNELS]
    forecast = a.forecast.channels.set_index(["Channel", "Metric"])
    prefix = symbol(a.intake.business["Currency"])
    for channel, c in a.channels.iterrows():
        primary = c["Primary metric"]
        kpi = primary if isinstance(primary, str) else "Leads"
        assert _cell(ws, "Channel", channel, "KPI") == kpi
        spend, judged = forecast.loc[(channel, "Spend")], forecast.loc[(channel, kpi)]
        assert _cell(ws, "Channel", channel, "Spend likely") == pytest.approx(spend["P50"])
        exp = _expected(judged["P50"])
        got = _cell(ws, "Channel", channel, "Likely")
        assert got == (pytest.approx(exp) if isinstance(exp, float) else exp), channel
        assert _cell(ws, "Channel", channel, "Low–high") == low_high(kpi, judged["P10"], judged["P90"], prefix)
        same = isinstance(primary, str) and judged["Target"] == pytest.approx(c["Primary target"])
        chance = _cell(ws, "Channel", channel, "Chance of target")
        assert chance == (pytest.approx(judged["Chance of target"]) if same else NA), channel


def test_saas_channel_ranges_read_as_money_and_counts(samples) -> None:
    """The low–high ranges are written as the framework text writes money and counts (the forecast's own
    figures, saas: Google Ads spends $47,054–$49,399; Content & SEO's leads 1,199–1,425)."""
    a, wb = samples["saas"]
    ws = wb[CHANNELS]
    assert re.fullmatch(r"\$\d{1,3}(,\d{3})*–\$\d{1,3}(,\d{3})*", _cell(ws, "Channel", "Google Ads", "Spend low–high"))
    assert re.fullmatch(r"\d{1,3}(,\d{3})*–\d{1,3}(,\d{3})*", _cell(ws, "Channel", "Content & SEO", "Low–high"))
    # a channel judged on its Expected CAC: the chance is of the target its status is judged by
    assert a.channels.loc["Webinars", "Primary source"] == "Expected CAC"
    webinars = a.forecast.channels.set_index(["Channel", "Metric"]).loc[("Webinars", "CAC")]
    assert webinars["Target"] == a.channels.loc["Webinars", "Primary target"] == 3500
    assert _cell(ws, "Channel", "Webinars", "Chance of target") == webinars["Chance of target"]


@pytest.mark.parametrize("name", SAMPLES)
def test_no_cell_shows_inf_or_nan(samples, name: str) -> None:
    _, wb = samples[name]
    bad = re.compile(r"^-?(inf|infinity|nan)$|\binf:1\b|\bnan\b", re.IGNORECASE)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, float):
                    assert math.isfinite(v), (ws.title, cell.coordinate)
                elif isinstance(v, str):
                    assert not bad.search(v), (ws.title, cell.coordinate, v)


def test_budget_pacing_says_at_today_s_pace(samples) -> None:
    _, wb = samples["saas"]
    ws = wb[PACING]
    header = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Channel")
    assert "At today's pace" in header and "Projected" not in header
    # Variance reads off it: At today's pace − Budget for period
    at, var, budget = (header.index(h) for h in ("At today's pace", "Variance", "Budget for period"))
    first = next(r for r in ws.iter_rows() if r[0].value == "Channel")[0].row + 1
    formula = ws.cell(first, var + 1).value
    assert ws.cell(first, at + 1).coordinate in formula and ws.cell(first, budget + 1).coordinate in formula


def test_json_kpis_have_no_projection(tmp_path: Path) -> None:
    out = tmp_path / "saas-report.xlsx"
    result = CliRunner().invoke(cli, ["build", str(ROOT / "samples" / "saas.xlsx"), "-o", str(out), "--json", "-q"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert all("Projection" not in k for k in doc["kpis"])
    line = doc["budget_pacing"][0]
    assert "At today's pace" in line and "Projected" not in line
    assert line["Variance"] == pytest.approx(line["At today's pace"] - line["Budget for period"])


# ---------------------------------------------------------------------------------------------------------------
# Worked by hand: every day the same, no noise
# ---------------------------------------------------------------------------------------------------------------


def _steady(data: dict[str, Any]) -> None:
    """Oct 1-10 (d = 10 of D = 31), every day the same: Google Ads 100 spend, 8 leads, 4 MQLs, 2 SQLs, 1 customer,
    400 revenue; TikTok 50, 3, 1, 1, 1, 100; Email (unpaid, no spend, no revenue) 5 leads, 2 MQLs, 1 SQL, 1
    customer. Targets: Leads 500, Customers 90 (all channels), CAC 120 (Google Ads)."""
    data["Actuals"] = [
        row
        for day in (dt.date(2026, 10, d) for d in range(1, 11))
        for row in (
            {"Date": day, "Channel": "Google Ads", "Spend": 100.0, "Leads": 8, "MQLs": 4, "SQLs": 2, "Customers": 1,
             "Revenue": 400.0},
            {"Date": day, "Channel": "TikTok", "Spend": 50.0, "Leads": 3, "MQLs": 1, "SQLs": 1, "Customers": 1,
             "Revenue": 100.0},
            {"Date": day, "Channel": "Email", "Leads": 5, "MQLs": 2, "SQLs": 1, "Customers": 1},
        )
    ]  # fmt: skip
    data["Targets"].append({"Metric": "Customers", "Target": 90})


@pytest.fixture(scope="module")
def steady(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, openpyxl.Workbook]:
    return _build(write_valid(tmp_path_factory.mktemp("steady") / "steady.xlsx", _steady))


# Each day adds 150 spend, 16 leads, 7 MQLs, 4 SQLs, 3 customers and 500 revenue; the straight line to period end is
# the 10 days to date × 31 ÷ 10 = 31 such days.
STEADY_KPIS = {
    "Spend": 150 * 31,  # 4,650
    "Spend vs target": 150 * 31,  # the same spend
    "Leads": 16 * 31,  # 496
    "MQLs": 7 * 31,  # 217
    "SQLs": 4 * 31,  # 124
    "Customers": 3 * 31,  # 93
    "Revenue": 500 * 31,  # 15,500
    "CPL": (150 * 31) / (16 * 31),  # 9.375
    "CAC": (150 * 31) / (3 * 31),  # 50
    "ROAS": (500 * 31) / (150 * 31),  # 3.33: paid channels only (Email has no revenue column filled anyway)
}
#: Leads: 496 never reaches 500 (the cell holds 0, shown "<1%"); Customers: 93 always reaches 90 (">99%");
#: no other row has a target the forecast read (the Spend row's is the budget).
STEADY_CHANCES = {"Leads": 0.0, "Customers": 1.0, "Spend": NA, "Spend vs target": NA, "CAC": NA, "MQLs": NA}


def test_steady_days_collapse_onto_the_straight_line(steady) -> None:
    _, wb = steady
    ws = wb[KPI]
    for metric, line in STEADY_KPIS.items():
        got = [_cell(ws, "Metric", metric, c) for c in ("Low", "Likely", "High")]
        assert got == [pytest.approx(line)] * 3, metric
    for metric, chance in STEADY_CHANCES.items():
        assert _cell(ws, "Metric", metric, "Chance of target") == chance, metric
    for metric in ("MER", "LTV:CAC", "Fully-loaded CAC"):
        assert _cell(ws, "Metric", metric, "Likely") == NA


def test_steady_channels_land_on_their_straight_lines(steady) -> None:
    _, wb = steady
    ws = wb[CHANNELS]
    # Google Ads is judged on its CAC target 120: it spends 100 a day for 1 customer, so CAC 100 on every path
    # (reaches 120: >99%); 3,100 spent by Oct 31.
    assert _cell(ws, "Channel", "Google Ads", "KPI") == "CAC"
    assert _cell(ws, "Channel", "Google Ads", "Spend likely") == pytest.approx(100 * 31)
    assert _cell(ws, "Channel", "Google Ads", "Spend low–high") == "$3,100–$3,100"
    assert _cell(ws, "Channel", "Google Ads", "Likely") == pytest.approx(100)
    assert _cell(ws, "Channel", "Google Ads", "Low–high") == "$100–$100"
    assert _cell(ws, "Channel", "Google Ads", "Chance of target") == 1.0
    # TikTok and Email have no target: read on leads, 3 and 5 a day, no chance
    assert _cell(ws, "Channel", "TikTok", "KPI") == "Leads"
    assert _cell(ws, "Channel", "TikTok", "Likely") == 3 * 31  # 93
    assert _cell(ws, "Channel", "TikTok", "Low–high") == "93–93"
    assert _cell(ws, "Channel", "TikTok", "Spend low–high") == "$1,550–$1,550"
    assert _cell(ws, "Channel", "Email", "Likely") == 5 * 31  # 155
    assert _cell(ws, "Channel", "Email", "Spend low–high") == "$0–$0"
    assert _cell(ws, "Channel", "Email", "Chance of target") == NA


@pytest.mark.parametrize(
    ("chance", "exp"),
    [(0.0, "<1%"), (0.0049, "<1%"), (0.005, "1%"), (0.05, "5%"), (0.125, "13%"), (0.994, "99%"), (0.995, ">99%"),
     (1.0, ">99%"), (math.nan, NA)],
)  # fmt: skip
def test_chance_as_the_sheet_shows_it(chance: float, exp: str) -> None:
    # a whole percent rounded half up, as Excel rounds 12.5 % to "13%"; the ends as their format shows them
    assert chance_text(chance) == exp
