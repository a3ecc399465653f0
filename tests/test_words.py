"""Clear words (issue 27): one date style in prose, the period named once, actions numbered 1 to n, A/B results
that say what was observed, the seed's Optimization Actions table, and boxes that stay aligned with right-to-left
text and emoji."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
import wcwidth
from intake_builders import write_valid

from mops_xl import analyse, load_intake
from mops_xl.analysis.blocks.statuses import CONTROL_WINS, HOLD, NOT_ENOUGH_DATA, ROLL_OUT, SPEND_TO_PLAN, TOO_SMALL
from mops_xl.analysis.blocks.wording import day, days, p_value, period, period_dates
from mops_xl.analysis.decisions.recommendations import _by_priority
from mops_xl.analysis.figures.ab_tests.experiment_figures import ExperimentBasis, not_significant_yet
from mops_xl.analysis.figures.ab_tests.experiments import experiment_results
from mops_xl.outputs.framework.boxes import FSI, PDI, box, display_width, fit, table
from mops_xl.outputs.framework.context import framework_context
from mops_xl.outputs.framework.text import render_framework

ts = pd.Timestamp

# --- dates and periods ----------------------------------------------------------------------------------------


def test_a_date_in_prose_is_day_short_month_year() -> None:
    assert day(ts("2026-09-10")) == "10 Sep 2026"
    assert day(dt.date(2026, 7, 1)) == "1 Jul 2026"  # no leading zero
    assert day(dt.datetime(2026, 12, 31, 23, 59)) == "31 Dec 2026"  # the time is not a date's
    assert day("2026-09-03") == "3 Sep 2026"  # a snapshot keeps its dates as ISO text
    assert day(pd.NaT) == "–" and day(None) == "–"


def test_a_span_of_days_writes_the_year_once() -> None:
    assert days(ts("2026-02-01"), ts("2026-04-30")) == "1 Feb–30 Apr 2026"
    assert days(ts("2026-09-08"), ts("2026-09-10")) == "8–10 Sep 2026"  # one month: the month once too
    assert days(ts("2025-12-15"), ts("2026-01-14")) == "15 Dec 2025–14 Jan 2026"  # two years: both
    assert days(ts("2026-09-10"), ts("2026-09-10")) == "10 Sep 2026"


@pytest.mark.parametrize(
    "start, end, name",
    [
        ("2026-07-01", "2026-09-30", "Q3 2026"),  # a calendar quarter
        ("2026-02-01", "2026-04-30", "February–April 2026"),  # three whole months, not a quarter
        ("2026-10-01", "2026-10-31", "October 2026"),  # a calendar month
        ("2026-01-01", "2026-12-31", "2026"),  # a calendar year
        ("2025-11-01", "2026-01-31", "November 2025–January 2026"),  # whole months across a year
        ("2026-02-03", "2026-04-30", "3 Feb–30 Apr 2026"),  # an odd period: its days
        ("2026-10-05", "2026-10-31", "5–31 Oct 2026"),
        ("2026-02-01", "2026-04-29", "1 Feb–29 Apr 2026"),  # ends before the month does
    ],
)
def test_the_period_is_named_once(start: str, end: str, name: str) -> None:
    assert period(ts(start), ts(end)) == name


def test_a_named_period_gives_its_days_beside_the_name() -> None:
    assert period_dates(ts("2026-07-01"), ts("2026-09-30")) == "Q3 2026 (1 Jul–30 Sep 2026)"
    assert period_dates(ts("2026-10-05"), ts("2026-10-31")) == "5–31 Oct 2026"  # the name is the days


def test_p_values_round_halves_away_from_zero_as_the_sheet_shows_them() -> None:
    # 0.0125 is 0.01249999… in binary: Python's "%.3f" gives 0.012, Excel's 0.000 format 0.013
    assert p_value(0.0125) == "0.013" and p_value(0.05) == "0.050" and p_value(1.0) == "1.000"


# --- the samples' prose ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saas():
    return analyse(load_intake(Path(__file__).resolve().parents[1] / "samples" / "saas.xlsx"))


@pytest.mark.slow
def test_no_iso_date_in_the_samples_prose(saas) -> None:
    from mops_xl.outputs.json_output import terminal_summary

    summary = terminal_summary(saas)
    assert summary.splitlines()[0] == "Cloudlytics — Q3 2026 (1 Jul–30 Sep 2026), as of 10 Sep 2026 (day 72 of 92)"
    assert "Where the period lands by 30 Sep 2026: " in summary and "by 30 Sep 2026 (target 1,900)" in summary
    notes = {n["subject"]: n["note"] for n in saas.notes}
    # the settling days: the last 3 days to Report as of, 8 to 10 Sep
    assert notes["Data freshness"].startswith("Figures that include 8–10 Sep 2026 (the last 3 days)")
    prose = [saas.headline, summary, *notes.values(), *(w["warning"] for w in saas.warnings)]
    prose += list(saas.recommendations["Evidence"])
    iso = [text for text in prose if pd.Series([text]).str.contains(r"\b20\d\d-\d\d-\d\d\b").iloc[0]]
    assert iso == []


# --- numbering ----------------------------------------------------------------------------------------------


def test_the_actions_that_ask_for_something_are_numbered_first_one_to_n() -> None:
    # issue 27: saas's summary read "1. 2. 3. 7." (a Roll out with no money at stake after the Holds)
    table = pd.DataFrame(
        {
            "Subject": ["Search", "Email", "Social", "Test: B", "Events"],
            "Action": ["Pause", HOLD, SPEND_TO_PLAN, ROLL_OUT, NOT_ENOUGH_DATA],
            "Money at stake": [14253.0, 500.0, 935.0, 0.0, 0.0],
        }
    )
    got = _by_priority(table)
    assert list(got["Subject"]) == ["Search", "Social", "Test: B", "Email", "Events"]
    assert list(got["Priority"]) == [1, 2, 3, 4, 5]


@pytest.mark.slow
def test_the_sample_summary_numbers_its_actions_one_to_n(saas) -> None:
    from mops_xl.outputs.json_output import terminal_summary

    lines = terminal_summary(saas).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Actions (4;"))
    numbers = [line.strip().split(".")[0] for line in lines[start + 1 : start + 5]]
    assert numbers == ["1", "2", "3", "4"]
    assert lines[start + 4] == "  4. Pricing page CTA: Book a demo: Roll out"
    # the Optimization Actions sheet's # is the same Priority
    assert list(saas.top_actions["Priority"]) == [1, 2, 3, 4]


# --- A/B results ----------------------------------------------------------------------------------------------


def test_a_lift_that_is_not_significant_says_what_was_observed() -> None:
    # control 61 of 1,470 (4.150 %), variant 84 of 1,470 (5.714 %): relative lift 23 / 61 = +37.7 %;
    # pooled 145 / 2,940 = 4.932 %, se = √(0.04932 × 0.95068 × 2 / 1,470) = 0.0079872,
    # z = 0.015646 / 0.0079872 = 1.9589, p = 2 × Φ(−1.9589) = 0.0501: not below α = 0.05
    rows = pd.DataFrame(
        {
            "Experiment": ["CTA", "CTA"],
            "Variant": ["A", "B"],
            "Is control": [True, False],
            "Visitors": [1470, 1470],
            "Conversions": [61, 84],
            "Traffic share": [math.nan, math.nan],
        }
    )
    got = experiment_results(rows, significance=0.95, min_conversions=30).set_index("Variant")
    assert got.loc["B", "P adjusted"] == pytest.approx(0.0501, abs=5e-5)
    assert got.loc["B", "Decision"] == "Not significant yet (p = 0.050), +37.7% observed"


def test_the_not_significant_wording() -> None:
    assert not_significant_yet(0.2134, -0.0129) == "Not significant yet (p = 0.213), -1.3% observed"
    assert not_significant_yet(0.0004, 0.5) == "Not significant yet (p < 0.001), +50.0% observed"
    assert not_significant_yet(math.nan, math.nan) == "Not significant yet"  # no conversions on either side
    assert not_significant_yet(1.0, 0.0) == "Not significant yet (p = 1.000), +0.0% observed"
    assert {ROLL_OUT, CONTROL_WINS, TOO_SMALL}.isdisjoint({"No difference"})


def test_the_decision_formula_writes_the_same_words() -> None:
    from mops_xl.analysis.figures.ab_tests.experiment_figures import Decision

    class Cells:
        undefined = '"–"'

        def cell(self, figure: str) -> str:
            return f"[{figure}]"

        def control(self, figure: str) -> str:
            return f"[Control {figure}]"

        def value(self, field: str) -> str:
            return field.replace(" ", "_")

    formula = Decision().formula(Cells())
    assert '"Not significant yet"&IF(ISNUMBER([P adjusted])," (p "&' in formula
    assert 'TEXT([P adjusted],IF([P adjusted]<0.01,"0.0000","0.000"))' in formula
    assert '", "&TEXT([Relative lift],"+0.0%;-0.0%")&" observed"' in formula
    assert "No difference" not in formula
    assert ExperimentBasis(alpha=0.05).alpha == 0.05


# --- the framework's Optimization Actions -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_framework_keeps_the_seeds_optimization_actions_table(saas) -> None:
    rows = framework_context(saas)["cadence"]["thresholds"]
    # saas's Settings: Underperforming 0.8, Overspending 1.1, High-performer 0.2, A/B significance 0.95
    assert [r[:2] for r in rows] == [
        ["Underperforming channel", "< 80% of target"],
        ["Overspending", "> 110% of budget pace"],
        ["High performer", "≥ 120% of target"],
        ["A/B winner", "95% confidence"],
    ]
    assert rows[3][2] == "Roll out the winning variant" and rows[1][2].startswith("Throttle")
    text = render_framework(saas, "txt")
    assert "\nOptimization Actions (" in text and "│ Trigger " in text and "│ Action " in text
    assert "\nActions now, one per channel (" in text and "\nSignals" not in text
    md = render_framework(saas, "md")
    assert "### Optimization Actions" in md and "| Trigger | Threshold | Action |" in md


# --- right-to-left and emoji in boxes ---------------------------------------------------------------------------

RTL_EMOJI = "קמפיין 🚀 Ads"


def _widths(block: str) -> set[int]:
    """The display width of each line of a block, as wcwidth measures a terminal line (grapheme clusters)."""
    return {wcwidth.width(line) for line in block.split("\n")}


@pytest.mark.parametrize(
    "name",
    [
        RTL_EMOJI,
        "حملة ❤️ Ads",  # Arabic and an emoji with a variation selector (two columns)
        "\u200fשָׁלוֹם 👩\u200d💻",  # a right-to-left mark, Hebrew points (zero width), a joined emoji
        "Ads 🇮🇱 👍🏽 ✔︎",  # a flag, a skin tone, a text-style check mark (one column)
    ],
)
def test_a_right_to_left_and_emoji_box_is_aligned(name: str) -> None:
    # "קמפיין 🚀 Ads": 6 letters + space + 🚀 (2) + space + 3 = 13 columns
    assert display_width(RTL_EMOJI) == 13
    for width in (14, 20, 31):
        assert _widths(box(name, [f"Channel: {name}", name * 3], width)) == {width}
        assert _widths(table(["Channel", "Note"], [[name, f"{name} spends {name}"]], width + 10)) == {width + 10}
        assert wcwidth.width(fit(name * 4, width)) == width  # cut between grapheme clusters, never inside


def test_right_to_left_text_is_isolated_so_the_border_stays_put() -> None:
    line = box("Channels", [RTL_EMOJI], 20).split("\n")[1]
    assert line == f"│ {FSI}{RTL_EMOJI}{PDI}    │"  # 16 columns inside: 13 of text, 3 of padding after PDI
    assert box("Channels", ["Google Ads"], 20).split("\n")[1] == "│ Google Ads       │"  # no marks without RTL


@pytest.mark.slow
def test_the_framework_with_a_right_to_left_channel_stays_aligned(tmp_path: Path) -> None:
    def rename(data: dict) -> None:
        for sheet in ("Channels", "Budget", "Actuals"):
            for row in data[sheet]:
                if row.get("Channel") == "TikTok":
                    row["Channel"] = RTL_EMOJI

    a = analyse(load_intake(write_valid(tmp_path / "rtl.xlsx", rename)))
    text = render_framework(a, "txt")
    assert RTL_EMOJI in text
    boxed = [line for line in text.splitlines() if line and line[0] in "│┌├└"]
    side_by_side = [line for line in boxed if any(gap in line for gap in ("┐  ┌", "│  │", "┘  └"))]
    # every line of a box or table is the framework's width, 96; the KPI boxes side by side are one block
    assert {wcwidth.width(line) for line in boxed if line not in side_by_side} == {96}
    assert len({wcwidth.width(line) for line in side_by_side}) == 1


# --- every sample's report and framework, as written -------------------------------------------------------------

#: Each sample's period (Business sheet) and Report as of, named as prose names them, worked out by hand.
SAMPLE_DATES = {
    "saas": ("Q3 2026 (1 Jul–30 Sep 2026)", "10 Sep 2026 (day 72 of 92)"),  # 1 Jul + 71 days; Jul–Sep 31+31+30
    "d2c": ("October 2026 (1–31 Oct 2026)", "24 Oct 2026 (day 24 of 31)"),
    "local": ("November 2026 (1–30 Nov 2026)", "22 Nov 2026 (day 22 of 30)"),
}
ISO = r"\b20\d\d-\d\d-\d\d\b"
#: A day and month with no year after it and no span going on to a day that has one ("1 Jul–30 Sep 2026"): the
#: fragments issue 27 quoted ("1 Feb to 30 Apr to 14 Mar").
YEARLESS = r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b(?! \d{4})(?!–)"


@pytest.mark.slow
@pytest.mark.parametrize("sample", sorted(SAMPLE_DATES))
def test_every_text_cell_footer_and_framework_line_writes_dates_one_way(sample: str, tmp_path: Path) -> None:
    import re

    import openpyxl

    from mops_xl import build_report

    analysis = analyse(load_intake(Path(__file__).resolve().parents[1] / "samples" / f"{sample}.xlsx"))
    wb = openpyxl.load_workbook(build_report(analysis.intake, tmp_path / "report.xlsx", analysis))
    dashboard = {row[0]: row[1] for row in wb["Dashboard"].iter_rows(max_col=2, values_only=True) if row[0]}
    assert (dashboard["Period"], dashboard["Report as of"]) == SAMPLE_DATES[sample]
    assert wb.properties.subject == SAMPLE_DATES[sample][0]
    as_of = SAMPLE_DATES[sample][1].split(" (")[0]
    assert wb["Dashboard"].oddFooter.left.text == f"Report as of {as_of}"
    texts = []
    for ws in wb.worksheets:
        footer = ws.oddFooter.left.text  # the printed sheets' (data sheets print none)
        assert footer in (None, f"Report as of {as_of}"), ws.title
        if ws.sheet_state == "veryHidden":
            continue  # the snapshot: data for the next build, ISO by design
        texts += [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    texts += render_framework(analysis, "txt").splitlines() + render_framework(analysis, "md").splitlines()
    assert [t for t in texts if re.search(ISO, t)] == []
    assert [t for t in texts if re.search(YEARLESS, t)] == []
