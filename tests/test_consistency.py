"""One answer per question, on generated intakes: every figure shown in more than one place is the same figure.

Hypothesis varies what makes figures disagree in practice: spend per channel and day, budget lines starting
before the period or missing, targets present or not, columns left blank (not tracked), thresholds. For each
intake the report is built and read back; then

- every figure on every report sheet is the engine's (the scan of tests/test_report_lays_out.py, which maps
  each table cell to its engine figure by row label and column header),
- ``--json``, the batch roll-up and the framework text give the same spend, pace, CAC, ROAS and statuses, and each
  channel the same action and remaining budget (the plan for the rest of the period),
- every status follows its thresholds (spend above the overspending threshold is never "On pace"),
- each channel's Remaining budget and planned rest of period are the plan's wherever they are shown.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_builders import valid_data
from test_report_lays_out import scan

from mops_xl import analyse, build_report, load_intake, write_intake
from mops_xl.analysis.blocks.statuses import NOT_TRACKED, ON, OVER, UNDER
from mops_xl.analysis.blocks.wording import money, redone
from mops_xl.batch.rollup import rollup_row
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.json_output import terminal_summary, to_dict

pytestmark = pytest.mark.slow  # a full build per generated intake

D = dt.date
DAYS = [D(2026, 10, 1) + dt.timedelta(days=i) for i in range(6)]
spend = st.sampled_from([0.0, 40.0, 100.0, 250.0, 1000.0])


@st.composite
def intakes(draw: st.DrawFn) -> dict[str, Any]:
    """The small intake of tests/intake_builders.py, varied where figures can come to disagree."""
    data = valid_data()
    rows = []
    for day in DAYS[: draw(st.integers(1, len(DAYS)))]:
        rows.append(
            {
                "Date": day,
                "Channel": "Google Ads",
                "Campaign": "Search",
                "Spend": draw(spend),
                "Leads": draw(st.integers(0, 20)),
                "Customers": draw(st.integers(0, 3)),
                "Revenue": draw(st.sampled_from([0.0, 300.0, 900.0])),
            }
        )
        rows.append(
            {
                "Date": day,
                "Channel": "TikTok",
                "Campaign": "Creators",
                "Spend": draw(spend),
                "Leads": draw(st.integers(0, 10)),
            }
        )  # TikTok leaves Customers and Revenue blank
        rows.append({"Date": day, "Channel": "Email", "Leads": draw(st.integers(0, 5))})
    if draw(st.booleans()):  # MQLs tracked on Google Ads only
        for r in rows:
            if r["Channel"] == "Google Ads":
                r["MQLs"] = min(r["Leads"], draw(st.integers(0, 10)))
    data["Actuals"] = rows
    budget = draw(st.sampled_from(["lines", "early line", "none"]))
    if budget == "none":
        data["Budget"] = [
            {
                "Channel": "Google Ads",
                "Period start": D(2026, 11, 1),
                "Period end": D(2026, 11, 30),
                "Planned spend": 1000.0,
            }
        ]  # a line outside the period: nothing budgeted in it
    elif budget == "early line":
        data["Budget"][0] = {
            "Channel": "Google Ads",
            "Period start": D(2026, 9, 16),
            "Period end": D(2026, 10, 15),
            "Planned spend": draw(st.sampled_from([600.0, 3000.0])),
        }
    targets = [t for t in data["Targets"] if draw(st.booleans())]
    if draw(st.booleans()):
        targets.append({"Metric": "ROAS", "Target": 3.0})
    data["Targets"] = targets
    data["Settings"] = {"Overspending threshold": draw(st.sampled_from([1.05, 1.1, 1.5]))}
    return data


def _pace_band(pace: float, over: float) -> str:
    return OVER if pace > over else UNDER if pace < 2 - over else ON


@settings(deadline=None, max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=intakes())
def test_every_place_shows_the_same_figure(tmp_path: Path, data: dict[str, Any]) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one folder per example: hypothesis reuses tmp_path
    intake = load_intake(write_intake(folder / "intake.xlsx", data))
    a = analyse(intake)
    report = build_report(intake, folder / "intake-report.xlsx", a)

    # 1. Every figure on the report's sheets is the engine's.
    s = scan(a, openpyxl.load_workbook(report, data_only=True))
    assert s.wrong == []

    doc, row, text = to_dict(a), rollup_row(a, intake.source, report), render_framework(a, "md")
    _json_rollup_and_text_agree(a, intake, doc, row, text)
    _statuses_follow_their_thresholds(a, intake)
    _one_action_per_channel_wherever_shown(a, doc, row, text)
    _one_plan(a, intake, doc, row, text)


def _json_rollup_and_text_agree(a: Any, intake: Any, doc: dict, row: dict, text: str) -> None:
    """2. --json, the roll-up and the framework text say the same."""
    kpis = {r["Metric"]: r for r in doc["kpis"]}
    cur = symbol(intake.business["Currency"])
    total = a.total_pacing
    assert _same(kpis["Spend"]["Actual"], total.spend) and _same(row["Spend"], total.spend)
    assert _same(kpis["Spend"]["Attainment"], total.pace) and _same(row["Pace"], total.pace)
    assert kpis["Spend"]["Status"] == total.status == row["Spend status"]
    assert _same(doc["total_pacing"]["pace"], total.pace)
    for m in ("CAC", "ROAS", "Customers"):
        shown = a.tracking.value_if_tracked(m, a.kpis.loc[m, "Actual"])
        assert _same(row[m], shown)
        assert shown == NOT_TRACKED or _same(kpis[m]["Actual"], shown)
        k = a.kpis.loc[m]  # written with the decimals that let a reader redo the attainment beside it
        words = redone(m, k["Target to date"], shown, k["Attainment"], cur)[1]
        assert f"| {m} |" in text and words in _line(text, f"| {m} |")
    # the same KPI boxes, in the same order, with the same statuses, in --json, the roll-up and the summary
    assert doc["kpi_boxes"] == a.kpi_boxes
    assert row["KPIs, worst first"] == "; ".join(f"{m}: {kpis[m]['Status']}" for m in doc["kpi_boxes"])
    summary = terminal_summary(a).splitlines()
    assert [line.split()[0] for line in summary[2 : 2 + len(a.kpi_boxes)]] == a.kpi_boxes


def _statuses_follow_their_thresholds(a: Any, intake: Any) -> None:
    """3. Statuses follow their thresholds."""
    total = a.total_pacing
    over = intake.settings["Overspending threshold"]
    if not math.isnan(total.pace):
        assert total.status == _pace_band(total.pace, over)
    for _, line in a.pacing_lines.iterrows():
        if not math.isnan(line["Pace"]):
            assert line["Status"] == _pace_band(line["Pace"], over)
    # an account over pace is no "All channels" action: the plan spreads it over named channels, within what is
    # left (floors that do not fit are asked of leadership)
    assert "All channels" not in set(a.recommendations["Subject"])
    assert a.plan.planned <= a.plan.left + a.plan.budget_increase + 1e-6
    if a.plan.left == 0:
        unlocked = ~a.channels["Locked"].fillna(False).astype(bool)
        assert (a.plan.table.loc[unlocked[unlocked].index, "Planned rest of period"] == 0).all()


def _one_action_per_channel_wherever_shown(a: Any, doc: dict, row: dict, text: str) -> None:
    """4. One action per channel wherever shown: the sheets (the scan reads Optimization Actions and the
    Dashboard's top actions), --json, the framework text and the roll-up give each subject the same one action."""
    rec = a.recommendations
    assert rec["Subject"].is_unique and set(a.channels.index) <= set(rec["Subject"])
    # a channel's Remaining budget is one figure: the plan's, on Optimization Actions (the scan compared the sheet
    # with the recommendations) and in --json
    by_subject = rec.set_index("Subject")
    for channel, p in a.plan.table.iterrows():
        assert _same(by_subject.loc[channel, "Remaining budget"], p["Remaining budget"])
        assert _same(by_subject.loc[channel, "Planned rest of period"], p["Planned rest of period"])
    assert [(r["Subject"], r["Action"]) for r in doc["recommendations"]] == list(
        zip(rec["Subject"], rec["Action"], strict=True)
    )
    for _, r in rec.iterrows():
        rows = [line for line in text.splitlines() if line.startswith(f"| {r['Priority']} | {r['Subject']} |")]
        assert len(rows) == 1 and rows[0].split(" | ")[2] == r["Action"]
    top = a.top_actions
    assert row["Top action"] == ("" if top.empty else f"{top.iloc[0]['Subject']}: {top.iloc[0]['Action']}")
    for retired in ("Pause or adjust", "Increase allocation", "Fix/pause"):
        assert retired not in text


def _one_plan(a: Any, intake: Any, doc: dict, row: dict, text: str) -> None:
    """5. One plan: each channel's action and remaining budget are the same in --json's plan, its
    recommendations and the framework text's actions table (its fourth column)."""
    rec, cur = a.recommendations, symbol(intake.business["Currency"])
    plan = {c["Channel"]: c for c in doc["plan"]["channels"]}
    by_subject = {r["Subject"]: r for r in doc["recommendations"]}
    for _, r in rec[rec["Subject"].isin(list(a.channels.index))].iterrows():
        p, cells = plan[r["Subject"]], _line(text, f"| {r['Priority']} | {r['Subject']} |").split(" | ")
        assert p["Action"] == by_subject[r["Subject"]]["Action"] == cells[2]
        assert _same(p["Remaining budget"], r["Remaining budget"]) and cells[3] == money(r["Remaining budget"], cur)
    # and the roll-up gives the plan's totals and the number of decisions for leadership that --json gives
    for key in ("Left to spend", "Planned rest of period", "Returned unspent"):
        assert _same(row[key], doc["plan"][key]), key
    assert row["Decisions for leadership"] == len(doc["decisions_needed"])


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def _same(got: Any, exp: Any) -> bool:
    if exp is None or (isinstance(exp, float) and math.isnan(exp)):
        return got is None or got == "–" or (isinstance(got, float) and math.isnan(got))
    if isinstance(exp, str) or isinstance(got, str):
        return got == exp
    return math.isclose(float(got), float(exp), rel_tol=1e-9, abs_tol=1e-9)
