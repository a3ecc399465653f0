"""The report lays out; it computes nothing: every figure a sheet writer caches is the engine's figure.

For each sample report, every table of every report sheet is read back (the values cached beside the formulas,
and the plain values) and each cell is compared with the figure of the engine's :class:`Analysis` it stands
for, found by the table's row label and column header. The scan keeps track of the cells it compared: every
formula cell of the report sheets must be one of them, so a figure a writer computes for itself (a sum, a
ratio, a count) and caches fails the test until it comes from the engine.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from mops_xl import analyse, build_report, load_intake
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS, NOT_TRACKED, UNBUDGETED
from mops_xl.analysis.blocks.tracking import value_if_volumes_tracked
from mops_xl.analysis.decisions.recommendations import AS_BUILT
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.attribution import CANNOT_RUN, MODELS
from mops_xl.analysis.figures.campaign_plans.campaign_plan_figures import DUE_MARK
from mops_xl.analysis.figures.campaign_plans.campaigns import CampaignPlan
from mops_xl.analysis.figures.targets import is_volume
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.workbook.sheets.actions_sheets import NO_DECISION, plan_line
from mops_xl.outputs.workbook.sheets.dashboard import NO_ACTION, TOP_DECISIONS, top_actions
from mops_xl.outputs.workbook.sheets.kpi_sheets import MAX_CAMPAIGN_ROWS, NO_CAMPAIGN_ROWS
from mops_xl.outputs.workbook.sheets.pacing_sheet import NO_UNBUDGETED

pytestmark = pytest.mark.slow  # builds the three sample reports

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")
NA = "–"
#: Sheets that are not laid out from the engine: the text framework (checked by its golden file), the notes,
#: the hidden Actuals summary (the report's own checks that let a sum skip its date criteria, no figure a reader
#: sees: tests/test_actuals_summary.py works them out by hand) and the intake's own data sheets.
NOT_FIGURES = {"Framework", "Data Notes", "Actuals summary"}
_EPOCH = dt.datetime(1899, 12, 30)


@pytest.fixture(scope="module", params=SAMPLES)
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    intake = load_intake(ROOT / "samples" / f"{request.param}.xlsx")
    a = analyse(intake)
    path = build_report(intake, tmp_path_factory.mktemp("lays-out") / f"{request.param}-report.xlsx", a)
    return a, openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path)


class Scan:
    """Compares cells with engine figures and remembers which cells it compared."""

    def __init__(self, values: openpyxl.Workbook):
        self.values = values
        self.seen: set[tuple[str, str]] = set()
        self.wrong: list[str] = []

    def check(self, sheet: str, row: int, col: int, expected: Any, what: str) -> None:
        """Compare one cell (1-based row and column) with the engine's figure."""
        cell = self.values[sheet].cell(row, col)
        self.seen.add((sheet, cell.coordinate))
        if not _same(expected, cell.value):
            self.wrong.append(f"{sheet}!{cell.coordinate} ({what}): engine {expected!r}, sheet {cell.value!r}")

    def table(self, sheet: str, headers: tuple[str, ...], start: int = 1) -> tuple[int, dict[str, int]]:
        """The first row at or after ``start`` holding every header; returns (row, header → column)."""
        ws = self.values[sheet]
        for r in range(start, ws.max_row + 1):
            row = [c.value for c in ws[r]]
            if all(h in row for h in headers):
                return r, {str(v): i + 1 for i, v in enumerate(row) if v is not None}
        raise KeyError(f"{sheet}: no header row with {headers}")

    def body(self, sheet: str, top: int) -> list[int]:
        """The rows under a header row, to the first empty cell in column A."""
        ws, rows = self.values[sheet], []
        for r in range(top + 1, ws.max_row + 1):
            if ws.cell(r, 1).value in (None, ""):
                break
            rows.append(r)
        return rows

    def label(self, sheet: str, text: str, col: int = 1) -> int:
        """The row whose column ``col`` holds ``text``."""
        ws = self.values[sheet]
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, col).value == text:
                return r
        raise KeyError(f"{sheet}: no row labelled {text!r}")


def _same(expected: Any, got: Any) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)) or expected is pd.NaT:
        return got in (NA, None)
    if expected == "":  # an empty text: LibreOffice saves no cell
        return got in ("", None)
    if isinstance(expected, (bool,)):
        return got == expected
    if isinstance(expected, pd.Timestamp):
        expected = expected.to_pydatetime()
    if isinstance(expected, dt.datetime):
        if isinstance(got, (int, float)):
            got = _EPOCH + dt.timedelta(days=got)
        return got == expected
    if isinstance(expected, (int, float)):
        return isinstance(got, (int, float)) and math.isclose(float(expected), got, rel_tol=1e-9, abs_tol=1e-9)
    return got == expected


def _channel_figure(a: Analysis, channel: str, h: str) -> Any:
    """A Channel Performance figure as the engine shows it: "Not tracked" where the channel does not track what it
    needs (docs/metrics.md, "Not tracked")."""
    c, show = a.channels.loc[channel], a.tracking.value_if_tracked
    value = c[h]
    if h in ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue", "CPL", "CAC", "ROAS"):
        return show(h, value, channel)
    if h in ("Primary actual", "Attainment") and isinstance(c["Primary metric"], str):
        return show(c["Primary metric"], value, channel)
    if h in ("Trend recent", "Trend prior", "Trend %") and isinstance(c["Trend metric"], str):
        return show(c["Trend metric"], value, channel)
    return value


def _kpi_framework(s: Scan, a: Analysis) -> None:
    sheet = "KPI Framework"
    s.check(sheet, s.label(sheet, "Actuals rows in the window"), 2, a.window_rows, "Actuals rows in the window")
    top, cols = s.table(sheet, ("Metric", "Target to date", "Attainment"))
    for r in s.body(sheet, top):
        metric = s.values[sheet].cell(r, 1).value
        measured = "Spend" if metric == "Spend vs target" else metric
        untracked = not a.tracking.blended(measured)  # every figure computed from its actual says so
        for h in ("Definition", "Target", "Target to date", "Status"):
            s.check(sheet, r, cols[h], a.kpis.loc[metric, h], f"{metric} {h}")
        for h in ("Actual", "Attainment", "Previous period", "Change"):
            s.check(sheet, r, cols[h], NOT_TRACKED if untracked else a.kpis.loc[metric, h], f"{metric} {h}")


def _channel_performance(s: Scan, a: Analysis) -> None:
    sheet = "Channel Performance"
    top, cols = s.table(sheet, ("Channel", "Primary metric", "Trend verdict"))
    for r in s.body(sheet, top):
        channel = s.values[sheet].cell(r, 1).value
        if channel == "All channels":
            for h in ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue"):
                s.check(sheet, r, cols[h], a.tracking.value_if_tracked(h, a.blended.volumes[h]), f"total {h}")
            for h in ("CPL", "CAC", "ROAS"):
                s.check(sheet, r, cols[h], a.tracking.value_if_tracked(h, a.blended.ratios[h]), f"total {h}")
            continue
        for h in cols:
            if h != "Channel":
                s.check(sheet, r, cols[h], _channel_figure(a, channel, h), f"{channel} {h}")
    section = s.label(sheet, "By campaign")
    if a.campaigns.empty:  # no Actuals row names a campaign: one line says so, no header over an empty table
        s.check(sheet, section + 1, 1, NO_CAMPAIGN_ROWS, "By campaign, empty")
        assert s.values[sheet].max_row == section + 1, "nothing under the By campaign line"
        return
    top, cols = s.table(sheet, ("Channel", "Campaign", "CPL"), start=section)
    rows = s.body(sheet, top)
    assert len(rows) == min(len(a.campaigns), MAX_CAMPAIGN_ROWS), "one row per campaign"
    for r in rows:
        key = (s.values[sheet].cell(r, 1).value, s.values[sheet].cell(r, 2).value)
        volumes = a.campaigns.loc[key]
        for h in ("Spend", "Leads", "Customers", "Revenue", "CPL", "CAC", "ROAS"):
            s.check(sheet, r, cols[h], value_if_volumes_tracked(h, volumes[h], volumes), f"{key} {h}")


def _channel_strategy(s: Scan, a: Analysis) -> None:
    sheet = "Channel Strategy"
    top, cols = s.table(sheet, ("Channel", "Expected CAC", "CAC target"))
    for r in s.body(sheet, top):
        channel = s.values[sheet].cell(r, 1).value
        for h in cols:
            if h == "Actual CAC":
                s.check(
                    sheet,
                    r,
                    cols[h],
                    a.tracking.value_if_tracked("CAC", a.channels.loc[channel, "CAC"], channel),
                    "CAC",
                )
            elif h != "Channel":
                s.check(sheet, r, cols[h], a.channels.loc[channel, h], f"{channel} {h}")


def _budget_pacing(s: Scan, a: Analysis) -> None:
    sheet = "Budget Pacing"
    top, cols = s.table(sheet, ("Channel", "Line start", "Expected to date"))
    rows = s.body(sheet, top)
    for r, (_, line) in zip(rows, a.pacing_lines.iterrows(), strict=False):
        for h in cols:  # each header shows the line figure of its name
            s.check(sheet, r, cols[h], line[h], f"line {line['Channel']} {h}")
    # then one Unbudgeted row per channel with unbudgeted spend (the engine's, in channel order), then the total
    unbudgeted = rows[len(a.pacing_lines) : -1]
    shown_channels = [s.values[sheet].cell(r, 1).value for r in unbudgeted]
    assert shown_channels == [ch for ch in a.channels.index if ch in a.unbudgeted.index], "Unbudgeted rows"
    assert (a.unbudgeted > 0).all(), "no Unbudgeted row of 0"
    for r, channel in zip(unbudgeted, shown_channels, strict=True):
        s.check(sheet, r, cols["Status"], UNBUDGETED, f"{channel} unbudgeted")
        s.check(sheet, r, cols["Actual"], float(a.unbudgeted[channel]), f"{channel} unbudgeted spend")
    if a.unbudgeted.empty:  # one line under the table says so
        s.check(sheet, rows[-1] + 2, 1, NO_UNBUDGETED, "no unbudgeted spend")
    r, total = s.label(sheet, ALL_CHANNELS), a.total_pacing
    figures = [("Actual", total.spend), ("Status", total.status)]
    if not a.pacing_lines.empty:
        figures += [("Planned", total.planned), ("Expected to date", total.expected), ("Pace", total.pace)]
        figures += [("Budget for period", total.budget)]
    for h, value in figures:
        s.check(sheet, r, cols[h], value, f"total {h}")


def _dashboard(s: Scan, a: Analysis) -> None:
    sheet = "Dashboard"
    s.check(sheet, 2, 1, a.headline, "headline")  # A2: the engine's sentence
    s.check(sheet, s.label(sheet, "Active channels"), 2, len(a.funnel.active), "active channels")
    s.check(sheet, s.label(sheet, "Budget for the period"), 2, a.kpis.loc["Spend", "Target"], "budget")
    panel = s.label(sheet, "Spend vs budget to date", col=5)  # E: title, F: labels, G: the KPI Framework's Spend
    for i, column in enumerate(("Actual", "Target to date", "Attainment", "Status"), start=1):
        s.check(sheet, panel + i, 7, a.kpis.loc["Spend", column], f"spend panel {column}")
    top, cols = s.table(sheet, tuple(a.kpi_boxes))  # the boxes the engine chose (targets first, worst first)
    for m in a.kpi_boxes:
        target = "Target to date" if is_volume(m) else "Target"
        s.check(sheet, top + 1, cols[m], a.kpis.loc[m, "Actual"], f"box {m}")
        s.check(sheet, top + 3, cols[m], a.kpis.loc[m, target], f"box {m} target")
        s.check(sheet, top + 4, cols[m], a.kpis.loc[m, "Status"], f"box {m} status")
    s.check(sheet, s.label(sheet, "Left to spend"), 2, a.plan.left, "left to spend")
    _dashboard_decisions(s, a)
    _dashboard_top_actions(s, a)
    sheet = "Chart data"
    top, cols = s.table(sheet, ("Channel", "Expected CAC", "CAC target"))
    for r in s.body(sheet, top):
        channel = s.values[sheet].cell(r, 1).value
        s.check(sheet, r, 1, channel, "chart channel")
        for h in cols:
            if h != "Channel":
                value = a.channels.loc[channel, h]
                value = a.tracking.value_if_tracked(h, value, channel) if h in ("CAC", "ROAS") else value
                s.check(sheet, r, cols[h], value, f"chart {channel} {h}")
    top, cols = s.table(sheet, ("Funnel stage", "Count"))
    for r in s.body(sheet, top):
        m = s.values[sheet].cell(r, 1).value
        s.check(sheet, r, 2, a.tracking.value_if_tracked(m, a.kpis.loc[m, "Actual"]), f"funnel {m}")
    top, cols = s.table(sheet, ("Date", "Cumulative spend", "Budget to date"))
    for r, (day, point) in zip(s.body(sheet, top), a.spend_curve.iterrows(), strict=True):
        s.check(sheet, r, 1, day, "curve date")
        if not pd.isna(point["Cumulative spend"]):
            s.check(sheet, r, 2, point["Cumulative spend"], f"cumulative spend {day:%Y-%m-%d}")
        s.check(sheet, r, 3, point["Budget to date"], f"budget to date {day:%Y-%m-%d}")


def _dashboard_top_actions(s: Scan, a: Analysis) -> None:
    """The top actions across the page: the first few of the engine's recommendations that ask for something."""
    sheet = "Dashboard"
    actions = top_actions(a)
    if not actions:  # one line under the title, no header over an empty table
        s.label(sheet, NO_ACTION)
        return
    top, cols = s.table(sheet, ("Subject", "Action", "Owner", "Money at stake", "Expected customers"))
    rows = s.body(sheet, top)[: len(actions)]
    assert len(rows) == len(actions), "one row per top action"
    for r, t in zip(rows, actions, strict=True):
        for h, value in (
            ("Subject", t.subject),
            ("Action", t.action),
            ("Owner", t.owner or NA),
            ("Money at stake", t.amount),
            ("What it is", t.amount_label or NA),
            ("Expected customers", t.customers),
            ("Expected revenue", t.revenue),
            ("Where the money goes", t.funding or NA),
        ):
            s.check(sheet, r, cols[h], value, f"top action {t.subject} {h}")


def _text_or_na(value: Any) -> Any:
    """How a table under the actions shows a value: an empty text (no owner) as "–"."""
    return NA if value == "" else value


def _dashboard_decisions(s: Scan, a: Analysis) -> None:
    """The decisions for leadership under the KPI boxes: the first few of the engine's, in its order."""
    sheet = "Dashboard"
    if a.decisions_needed.empty:
        s.check(sheet, s.label(sheet, "Decisions for leadership") + 1, 1, NO_DECISION, "no decision")
        return
    top, cols = s.table(sheet, ("Subject", "Decision", "Money at stake", "Owner"))
    shown = a.decisions_needed.head(TOP_DECISIONS)
    for r, (_, d) in zip(s.body(sheet, top)[: len(shown)], shown.iterrows(), strict=True):
        for h in cols:
            s.check(sheet, r, cols[h], _text_or_na(d[h]), f"decision {d['Subject']} {h}")


def _reallocation_and_attribution(s: Scan, a: Analysis) -> None:
    sheet = "Reallocation"
    top, cols = s.table(sheet, ("Channel", "Proposed budget", "Expected extra customers"))
    for r in s.body(sheet, top):
        channel = s.values[sheet].cell(r, 1).value
        for h in cols:
            if h != "Channel":
                s.check(sheet, r, cols[h], a.what_if.loc[channel, h], f"what-if {channel} {h}")
    if not a.reallocation.empty:  # an empty plan is one line saying so
        top, cols = s.table(sheet, ("From", "To", "Budget to move this period"))
        for r, (_, move) in zip(s.body(sheet, top)[: len(a.reallocation)], a.reallocation.iterrows(), strict=True):
            for h in cols:
                s.check(sheet, r, cols[h], move[h], f"plan {h}")
    _attribution(s, a)


def _attribution(s: Scan, a: Analysis) -> None:
    sheet = "Attribution"
    cov = a.attribution_coverage
    if a.attribution is None or cov is None:
        return
    top, cols = s.table(sheet, ("Conversions", "Value"))
    for r, figures in zip(
        s.body(sheet, top),
        (
            (cov.journey_conversions, cov.journey_value),
            (cov.customers, cov.revenue),
            (cov.conversions_coverage, cov.value_coverage),
        ),
        strict=False,
    ):
        s.check(sheet, r, cols["Conversions"], figures[0], "coverage conversions")
        s.check(sheet, r, cols["Value"], figures[1], "coverage value")
    # the journeys' credit (conversions, value), then Actuals' customers split by each model: one under the other
    for credited in (a.attribution.conversions, a.attribution.value, a.attribution.actual_conversions):
        top, cols = s.table(sheet, ("Channel", *MODELS), start=top + 1)
        for r in s.body(sheet, top):
            channel = s.values[sheet].cell(r, 1).value
            for m in MODELS:
                expected = credited.loc[channel, m] if a.attribution.runnable(m) else CANNOT_RUN
                s.check(sheet, r, cols[m], expected, f"{channel} {m}")
    top, cols = s.table(sheet, ("Channel", "Attributed conversions", "Attributed CAC"))
    for r in s.body(sheet, top):
        channel = s.values[sheet].cell(r, 1).value
        for h in ("Attributed conversions", "Attributed value", "Attributed CAC", "Attributed ROAS"):
            s.check(sheet, r, cols[h], a.attributed.loc[channel, h], f"{channel} {h}")


def _experiments(s: Scan, a: Analysis) -> None:
    sheet = "Experiments"
    if a.experiments.empty:
        return
    top, cols = s.table(sheet, ("Experiment", "Variant", "P adjusted"))
    for r, (_, v) in zip(s.body(sheet, top), a.experiments.iterrows(), strict=True):
        for h in cols:
            expected = v[h]
            if h in ("Is control", "SRM flag") or (h == "Significant" and not v["Is control"]):
                expected = "Yes" if v[h] else "No"
            elif h == "Significant":
                expected = NA  # the control is not compared with itself
            s.check(sheet, r, cols[h], expected, f"{v['Experiment']} {v['Variant']} {h}")


def _campaigns(s: Scan, a: Analysis) -> None:
    sheet = "Campaign Templates"
    if not a.campaign_plans:
        return
    top, cols = s.table(sheet, ("Campaign", "Plan", "Progress"))
    for r, plan in zip(s.body(sheet, top), a.campaign_plans, strict=True):
        s.check(sheet, r, cols["Progress"], plan.progress, f"{plan.campaign} progress")
        name = s.values[sheet].cell(r, cols["Plan"]).value
        s.check(name, 8, 2, plan.progress, "plan progress")
        s.check(name, 4, 2, a.intake.table("Campaigns").loc[plan.row, "Launch date"], "launch date")
        if plan.template is None:
            continue
        _plan_spend(s, name, plan)
        top_plan, plan_cols = s.table(name, ("#", "Task", "Due date"))
        for pr, (_, task) in zip(s.body(name, top_plan), plan.tasks.iterrows(), strict=True):
            for h in plan_cols:
                if h in task.index:
                    s.check(name, pr, plan_cols[h], task[h], f"task {task['#']} {h}")
        first_week = len(plan.tasks.columns) + 2
        _timeline(s, name, plan, top_plan, first_week)


def _plan_spend(s: Scan, name: str, plan: CampaignPlan) -> None:
    """A plan's spend, reconciled: within its dates + outside them = all named for it; in the period; budget used."""
    s.check(name, 9, 2, plan.spend_to_date if plan.launched else "not launched", "spend to date")
    if plan.launched:
        for row, value in ((10, plan.spend_outside_dates), (11, plan.spend_named), (12, plan.spend_in_period)):
            s.check(name, row, 2, value, f"spend row {row}")
    if plan.budget > 0 and plan.launched:
        s.check(name, 13, 2, plan.budget_used, "budget used")


def _timeline(s: Scan, name: str, plan: CampaignPlan, top_plan: int, first_week: int) -> None:
    """A plan's timeline: each week's first day, and "Due" in the week each task is due."""
    for w, (_, start) in enumerate(plan.weeks):
        s.check(name, top_plan, first_week + w, start, f"week {w}")
        for pr, (_, task) in zip(s.body(name, top_plan), plan.tasks.iterrows(), strict=True):
            s.check(name, pr, first_week + w, DUE_MARK.compute(task["Due date"], start), f"task {task['#']} week {w}")


def _system(s: Scan, a: Analysis) -> None:
    sheet = "Funnel Coverage"
    top, cols = s.table(sheet, ("Channel", "Active"))
    counts, coverage = s.label(sheet, "Active channels"), s.label(sheet, "Coverage")
    for stage in a.funnel.by_stage:
        s.check(sheet, counts, cols[stage], a.funnel.counts[stage], f"{stage} count")
        s.check(sheet, coverage, cols[stage], a.funnel.coverage[stage], f"{stage} coverage")
    sheet = "Martech Stack"
    s.check(sheet, s.label(sheet, "Monthly cost of active tools"), 3, a.stack.monthly_cost, "monthly cost")
    s.check(sheet, s.label(sheet, "Automation share"), 2, a.integrations.automation_share, "automation share")
    sheet = "Cadence & Team"
    s.check(sheet, s.label(sheet, "Total FTE"), 2, a.team.total_fte, "total FTE")
    sheet = "Maturity"
    s.check(sheet, s.label(sheet, "Score (evidence-based)"), 2, a.maturity.score, "score")
    s.check(sheet, s.label(sheet, "Score (self-reported)"), 2, a.maturity.self_score, "self score")
    top, cols = s.table(sheet, ("Module", "Self-reported", "Evidence", "Score"))
    for r, mod in zip(s.body(sheet, top), a.maturity.modules, strict=True):
        for h, value in (("Self-reported", mod.self_score), ("Evidence", mod.evidence_score), ("Score", mod.score)):
            s.check(sheet, r, cols[h], value, f"{mod.module} {h}")


def _actions(s: Scan, a: Analysis) -> None:
    sheet = "Optimization Actions"
    # the thresholds at the foot: a row of names over a row of their values
    top = s.label(sheet, "Underperforming threshold")
    names = [(c.column, c.value) for c in s.values[sheet][top] if c.value]
    assert len(names) == 5, names
    for col, name in names:
        setting = {"A/B confidence": "A/B significance level"}.get(name, name)  # shown as the reader thinks of it
        s.check(sheet, top + 1, col, a.intake.settings[setting], name)
    top, cols = s.table(sheet, ("Priority", "Subject", "Action", "Evidence", "Funding"))
    # every action is due at the one next review: the table's title says it once; the plan's totals under it
    if a.review is not None:
        s.check(sheet, top - 2, 1, f"Actions — due {a.review.text} ({AS_BUILT})", "the actions' due date")
    prefix = symbol(a.intake.business["Currency"])
    s.check(sheet, top - 1, 1, plan_line(a.plan, a.window.end, prefix), "the plan's totals")
    rows = s.body(sheet, top)
    assert len(rows) == len(a.recommendations), "one row per subject: every channel's one action"
    for r, (_, rec) in zip(rows, a.recommendations.iterrows(), strict=True):
        for h in cols:
            s.check(sheet, r, cols[h], rec[h], f"action {rec['Subject']} {h}")
    _actions_decisions_and_moves(s, a)


def _actions_decisions_and_moves(s: Scan, a: Analysis) -> None:
    """Under the actions: the decisions for leadership (all of them, with why) and the plan's moves."""
    sheet = "Optimization Actions"
    if a.decisions_needed.empty:
        s.check(sheet, s.label(sheet, f"Decisions for leadership ({AS_BUILT})") + 1, 1, NO_DECISION, "no decision")
    else:
        top, cols = s.table(sheet, ("Subject", "Decision", "Money at stake", "Owner", "Why"))
        for r, (_, d) in zip(s.body(sheet, top), a.decisions_needed.iterrows(), strict=True):
            for h in cols:
                s.check(sheet, r, cols[h], _text_or_na(d[h]), f"decision {d['Subject']} {h}")
    if a.reallocation.empty:  # an empty plan is one line saying so
        return
    top, cols = s.table(sheet, ("From", "To", "Budget to move this period", "Reason"))
    for r, (_, move) in zip(s.body(sheet, top)[: len(a.reallocation)], a.reallocation.iterrows(), strict=True):
        for h in cols:
            s.check(sheet, r, cols[h], move[h], f"move {h}")


def scan(a: Analysis, values: openpyxl.Workbook) -> Scan:
    """Compare every table of a report's sheets (cached or recalculated values) with the engine's figures.

    Args:
        a: The engine's analysis of the intake.
        values: The report, loaded with its values.

    Returns:
        The :class:`Scan`: the cells compared and the ones that differ.
    """
    s = Scan(values)
    for part in (
        _kpi_framework,
        _channel_performance,
        _channel_strategy,
        _budget_pacing,
        _dashboard,
        _reallocation_and_attribution,
        _experiments,
        _campaigns,
        _system,
        _actions,
    ):
        part(s, a)
    return s


def test_every_cached_figure_is_the_engines(report) -> None:
    a, values, formulas = report
    s = scan(a, values)
    assert s.wrong == []
    data_sheets = {n for n in formulas.sheetnames if formulas[n].tables} | {"Actuals", "Touchpoints"}
    unchecked = [
        f"{ws.title}!{c.coordinate}: {c.value}"
        for ws in formulas.worksheets
        if ws.title not in NOT_FIGURES | data_sheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f" and (ws.title, c.coordinate) not in s.seen
    ]
    assert unchecked == [], "a formula cell no engine figure accounts for"


def test_an_experiments_yes_or_no_stands_apart_from_the_figure_before_it(report: Any) -> None:
    a, values, _ = report
    ws = values["Experiments"]
    if a.experiments.empty:  # local: one line instead of a table
        assert str(ws["A4"].value).startswith("No experiments in the intake") and ws.max_row == 4
        return
    headers = {c.value: c.column for c in ws[4]}
    for h in ("Is control", "Significant", "SRM flag"):  # "2.5%" then "Yes" read as "2.5% Yes" when both hug
        for r in range(5, 5 + len(a.experiments)):
            cell = ws.cell(r, headers[h])
            assert cell.value in ("Yes", "No", NA) and cell.alignment.horizontal == "center", cell.coordinate
