"""Where the period lands, as page 1 says it (issue 25): one line per KPI with a target, and Spend against the
budget; the chance in words and a rounded figure, never "P = 0.0473"; what it takes a day; the spend it takes with
an even and a 4-in-5 chance. The same sentences in the framework text, the terminal summary, --json and the roll-up.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from mops_xl import analyse, build_report, load_intake
from mops_xl.analysis.story.landing import Landing, landing_summary
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.json_output import terminal_summary, to_dict

ROOT = Path(__file__).resolve().parents[1]
END = pd.Timestamp("2026-09-30")


def _line(**overrides: object) -> Landing:
    """A Customers line: 51 customers in 72 days, target 90, 20 days left."""
    figures: dict[str, object] = dict(
        metric="Customers",
        actual=51.0,
        low=60.0,
        likely=66.0,
        high=72.0,
        target=90.0,
        chance=0.004,
        chance_with_plan=0.125,
        likely_with_plan=70.0,
        per_day_so_far=51 / 72,
        per_day_needed=(90 - 51) / 20,
        spend_even=280_000.0,
        spend_likely=390_000.0,
        marginal=6_000.0,
        beyond=True,
    )
    figures.update(overrides)
    return Landing(**figures)  # type: ignore[arg-type]


def test_a_line_in_one_sentence_worked_by_hand() -> None:
    # 39 more customers in 20 days is 1.95 a day; 51 in 72 days is 0.708… → 0.71; 0.125 is about 1 in 8, 13 %
    assert _line().sentence(END, "$") == (
        "Customers: likely 60–72 by 30 Sep 2026 (target 90): chance less than 1 in 100; with the plan, about 1 in 8 "
        "(13%). It takes 1.95 customers a day from now, against 0.71 so far. Spend it takes: $280,000 in the period "
        "for an even chance ($6,000 per extra customer), $390,000 for 4 in 5; that is more than 1.5 × the most ever "
        "spent in a like period."
    )


def test_a_target_likely_to_be_hit_needs_no_spend_line_and_a_reached_one_says_so() -> None:
    hit = _line(chance=0.7, chance_with_plan=0.72)
    assert hit.spend_text("$") == "–"
    assert "chance about 7 in 10 (70%); with the plan, about 7 in 10 (72%)." in hit.sentence(END, "$")
    reached = _line(metric="Leads", actual=120.0, target=110.0, low=210.0, likely=222.0, high=235.0)
    assert reached.sentence(END, "$") == "Leads: likely 210–235 by 30 Sep 2026 (target 110): reached already."


def test_spend_lands_against_the_budget() -> None:
    # $101,429 spent, budget $119,500, 20 days left: (119,500 − 101,429) ÷ 20 = $903.55 → $904 a day
    spend = _line(
        metric="Spend",
        actual=101_429.0,
        low=127_630.0,
        likely=129_120.0,
        high=130_678.0,
        target=119_500.0,
        chance=math.nan,
        chance_with_plan=math.nan,
        likely_with_plan=119_500.0,
        per_day_so_far=101_429 / 72,
        per_day_needed=(119_500 - 101_429) / 20,
    )
    assert spend.sentence(END, "$") == (
        "Spend: likely $127,630–$130,678 by 30 Sep 2026 (budget $119,500); with the plan, $119,500. Landing on "
        "budget takes $904 a day from now, against $1,409 so far."
    )
    over = _line(metric="Spend", actual=1_969.14, target=1_950.0, per_day_needed=(1_950 - 1_969.14) / 8)
    assert over.sentence(END, "£").endswith("The budget is spent: £19.14 over already.")


def test_a_ratio_without_an_upper_bound_and_without_a_per_day_figure() -> None:
    cac = _line(metric="CAC", low=1_791.0, likely=1_962.0, high=math.inf, target=1_500.0, per_day_so_far=math.nan)
    assert cac.likely_range("$") == "$1,791 or more"
    assert cac.takes("$") == "–" and cac.spend_text("$") == "–"


def test_the_summary_says_which_targets_are_hit_and_how_sure() -> None:
    lines = [
        _line(metric="SQLs", chance=0.995),
        _line(metric="MQLs", chance=0.5),
        _line(metric="Customers", chance=0.05),
        _line(metric="Leads", actual=120.0, target=110.0),
        _line(metric="Spend", chance=math.nan),
    ]
    assert landing_summary(lines) == (
        "Likely to hit: SQLs (almost certain), Leads (reached already). Could go either way: MQLs (about even). "
        "Likely to miss: Customers (about 1 in 20)."
    )


@pytest.fixture(scope="module")
def saas():
    return analyse(load_intake(ROOT / "samples" / "saas.xlsx"))


def test_the_saas_lines_read_the_forecast(saas) -> None:
    lines = {line.metric: line for line in saas.landing}
    # Cloudlytics' Targets sheet: MQLs, SQLs, Customers, CAC, ROAS (and LTV:CAC, which is not forecast); the budget
    assert list(lines) == ["Spend", "MQLs", "SQLs", "Customers", "CAC", "ROAS"]
    customers = lines["Customers"]
    forecast = saas.forecast.kpis.set_index("Metric").loc["Customers"]
    assert (customers.low, customers.likely, customers.high) == (forecast["P10"], forecast["P50"], forecast["P90"])
    assert customers.chance == forecast["Chance of target"]
    # 51 customers by 10 Sep (day 72 of 92), target 90: (90 − 51) ÷ 20 = 1.95 a day, against 51 ÷ 72 = 0.71
    assert customers.takes("$") == "1.95 customers a day from now, against 0.71 so far"
    even = saas.needed.set_index(["Subject", "Metric", "Chance"]).loc[("All channels", "Customers", 0.5)]
    assert customers.spend_even == even["Spend needed"] and customers.beyond == even["Beyond what was ever spent"]
    assert lines["Spend"].target == saas.kpis.loc["Spend", "Target"] == 119_500


def test_page_one_says_where_the_period_lands(saas, tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(build_report(saas.intake, tmp_path / "saas.xlsx", saas))["Dashboard"]
    title = next(c for c in ws["A"] if str(c.value or "").startswith("Where the period lands"))
    assert title.value == "Where the period lands by 30 Sep 2026"
    row = [c.value for c in ws[title.row] if c.value is not None]
    assert row[1] == landing_summary(saas.landing) and "likely" in row[1].lower()
    headers = [c.value for c in ws[title.row + 1] if c.value is not None]
    assert headers == [
        "KPI",
        "Likely by period end",
        "Target",
        "Chance of target",
        "With the plan",
        "What it takes",
        "Spend it takes",
    ]
    body = {
        ws.cell(r, 1).value: [c.value for c in ws[r] if c.value is not None]
        for r in range(title.row + 2, title.row + 2 + len(saas.landing))
    }
    customers = body["Customers"]
    line = next(x for x in saas.landing if x.metric == "Customers")
    assert customers[1] == f"{line.likely:,.0f} ({line.low:,.0f}–{line.high:,.0f})"
    assert customers[2] == "90" and customers[3] == line.chance_text()
    assert customers[4] == f"chance {line.chance_text(with_plan=True)}"
    assert customers[5] == "1.95 customers a day from now, against 0.71 so far"
    assert body["Spend (target: the budget)"][2] == "$119,500"
    texts = " ".join(str(c.value) for r in ws.iter_rows() for c in r if isinstance(c.value, str))
    assert "P = " not in texts and "Built values" not in texts.split("Top actions")[0]


def test_the_same_sentences_everywhere(saas) -> None:
    sentences = [line.sentence(saas.window.end, "$") for line in saas.landing]
    text = render_framework(saas, "txt").replace("\n   ", " ")
    assert all(s in text for s in sentences)
    assert all(f"  {s}" in terminal_summary(saas).splitlines() for s in sentences)
    document = to_dict(saas)["forecast"]
    assert document["lines"] == sentences and document["summary"] == landing_summary(saas.landing)
