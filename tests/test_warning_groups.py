"""Alike warnings read as one line (per code, column and channel, or sheet); errors one per cause; --json keeps all.

The intake of the ``funnel_intake`` fixture has seven Actuals rows whose Customers exceed their SQLs, on two channels.
Its Actuals rows (row 1 is the header; J is Customers, I is SQLs) are, worked out by hand:

    row 2 Google Ads  SQLs 2  Customers 3   ← warning
    row 3 TikTok      SQLs 0  Customers 1   ← warning
    row 4 Google Ads  SQLs 1  Customers 2   ← warning
    row 5 TikTok      SQLs 0  Customers 2   ← warning
    row 6 Google Ads  SQLs 2  Customers 4   ← warning
    row 7 TikTok      SQLs 1  Customers 2   ← warning
    row 8 Google Ads  SQLs 1  Customers 5   ← warning
    row 9 Email       SQLs 1  Customers 0

Leads 8 ≥ MQLs 4 ≥ SQLs on Google Ads and Leads 3 ≥ MQLs 1 ≥ SQLs on TikTok, so only Customers > SQLs fires:
Google Ads on J2, J4, J6, J8 (4 rows: the first three cells "and 1 more", 4 − 3 = 1, with row 2's figures 3
and 2), TikTok on J3, J5, J7 (3 rows: all three named, no "more", with row 3's figures 1 and 0); 4 + 3 = 7.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from intake_builders import D, set_cell, write_valid

from mops_xl.cli import cli
from mops_xl.intake.problems import Problem, ValidationReport

ADVICE = "; fine if they come from earlier leads, otherwise check the row"
GOOGLE_LINE = (
    "Actuals!J2, J4, J6 and 1 more: Customers (3) is more than SQLs (2) on Google Ads (first of 4 rows)" + ADVICE
)
TIKTOK_LINE = "Actuals!J3, J5, J7: Customers (1) is more than SQLs (0) on TikTok (first of 3 rows)" + ADVICE


def _row(channel: str, day: int, sqls: int, customers: int) -> dict[str, Any]:
    leads, mqls = (8, 4) if channel == "Google Ads" else (3, 1)
    return {
        "Date": D(2026, 10, day),
        "Channel": channel,
        "Campaign": "Search" if channel == "Google Ads" else "Creators",
        "Spend": 100.0,
        "Leads": leads,
        "MQLs": mqls,
        "SQLs": sqls,
        "Customers": customers,
    }


def _funnel_rows(data: dict[str, Any]) -> None:
    data["Actuals"] = [
        _row("Google Ads", 1, 2, 3),
        _row("TikTok", 1, 0, 1),
        _row("Google Ads", 2, 1, 2),
        _row("TikTok", 2, 0, 2),
        _row("Google Ads", 3, 2, 4),
        _row("TikTok", 3, 1, 2),
        _row("Google Ads", 4, 1, 5),
        {"Date": D(2026, 10, 4), "Channel": "Email", "Leads": 5, "MQLs": 2, "SQLs": 1, "Customers": 0},
    ]


@pytest.fixture(scope="module")
def funnel_intake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The intake of the module docstring, written once (the tests only read it)."""
    return write_valid(tmp_path_factory.mktemp("funnel") / "funnel.xlsx", _funnel_rows)


def _indented(output: str, title: str) -> list[str]:
    """The lines listed under a section title (``Warnings (7):``) of a printed report."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    section = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        section.append(line[2:])
    return section


# --- the grouping itself, on hand-made problems ----------------------------------------------------------


def _funnel(row: int, channel: str | None, column: str = "Customers", lower: int = 3, upper: int = 2) -> Problem:
    above = {"Customers": "SQLs", "MQLs": "Leads"}[column]
    letter = {"Customers": "J", "MQLs": "H"}[column]
    return Problem(
        "funnel-order",
        f"{column} ({lower}) is more than {above} ({upper})" + ADVICE,
        sheet="Actuals",
        row=row,
        column=column,
        cell=f"{letter}{row}",
        channel=channel,
    )


def test_a_single_warning_names_its_channel_as_a_group_does() -> None:
    # issue 27: a single row left out the channel that a group of them names
    report = ValidationReport(problems=[_funnel(2, "Google Ads", lower=9)])
    [group] = report.grouped()
    assert str(group) == "Actuals!J2: Customers (9) is more than SQLs (2) on Google Ads" + ADVICE
    assert report.format().splitlines()[:2] == ["Warnings (1):", "  " + str(group)]


def test_one_line_per_code_column_and_channel_in_the_order_of_their_first_cell() -> None:
    problems = [
        _funnel(12, "Google Ads", lower=5, upper=1),  # added out of order: the report sorts by row
        _funnel(2, "Google Ads"),
        _funnel(3, "TikTok", lower=1, upper=0),
        _funnel(4, "Google Ads"),
        _funnel(7, "Google Ads"),
        _funnel(9, "Google Ads"),
        _funnel(5, "Google Ads", column="MQLs", lower=6, upper=4),  # another column: another line
    ]
    lines = ValidationReport(source="x.xlsx", problems=problems).format().splitlines()
    # Google Ads Customers: rows 2, 4, 7, 9, 12 → J2, J4, J7 and 5 − 3 = 2 more, row 2's figures (3 and 2).
    assert lines == [
        "Warnings (7):",
        "  Actuals!J2, J4, J7 and 2 more: Customers (3) is more than SQLs (2) on Google Ads (first of 5 rows)" + ADVICE,
        "  Actuals!J3: Customers (1) is more than SQLs (0) on TikTok" + ADVICE,
        "  Actuals!H5: MQLs (6) is more than Leads (4) on Google Ads" + ADVICE,
        "x.xlsx: valid — 0 errors, 7 warnings, 0 notices",
    ]


def test_warnings_without_a_channel_are_grouped_per_sheet_and_column() -> None:
    def text_date(sheet: str, row: int, column: str, letter: str) -> Problem:
        return Problem(
            "text-date",
            f'{column}: the text "2026-10-0{row}" was read as the date 2026-10-0{row}; type dates as Excel dates',
            sheet=sheet,
            row=row,
            column=column,
            cell=f"{letter}{row}",
        )

    report = ValidationReport(
        problems=[
            text_date("Actuals", 2, "Date", "A"),
            text_date("Actuals", 3, "Date", "A"),
            text_date("Budget", 2, "Period start", "B"),
            text_date("Budget", 3, "Period start", "B"),
            text_date("Budget", 2, "Period end", "C"),
        ]
    )
    assert [str(g) for g in report.grouped()] == [
        'Budget!B2, B3: Period start: the text "2026-10-02" was read as the date 2026-10-02 (first of 2 rows); '
        "type dates as Excel dates",
        'Budget!C2: Period end: the text "2026-10-02" was read as the date 2026-10-02; type dates as Excel dates',
        'Actuals!A2, A3: Date: the text "2026-10-02" was read as the date 2026-10-02 (first of 2 rows); '
        "type dates as Excel dates",
    ]


def test_errors_of_one_cause_are_one_line_and_other_causes_their_own() -> None:
    """Errors with the same code, sheet, column and message are one line naming the cells; another message (another
    bad value) is its own line. D2, D3, D2 (a list cell twice) and D5 say "twelve": one line of 4 cells, the first
    three named, 4 - 3 = 1 more; D4 says "ten": one line."""
    twelve = 'Spend must be a number, got "twelve"'
    places = ((2, "D2", twelve), (3, "D3", twelve), (2, "D2", twelve), (4, "D4", 'Spend must be a number, got "ten"'))
    problems = [Problem("type-error", m, sheet="Actuals", row=r, column="Spend", cell=c) for r, c, m in places]
    problems.append(Problem("type-error", twelve, sheet="Actuals", row=5, column="Spend", cell="D5"))
    report = ValidationReport(problems=problems)
    assert [g.count for g in report.grouped()] == [4, 1]
    assert report.format().splitlines()[:3] == [
        "Errors (5):",
        '  Actuals!D2, D2, D3 and 1 more: Spend must be a number, got "twelve"',
        '  Actuals!D4: Spend must be a number, got "ten"',
    ]
    assert len(report.to_dict()["problems"]) == 5


def test_the_limit_counts_lines_and_says_how_many_problems_are_left() -> None:
    problems = [_funnel(r, ch) for r, ch in ((2, "A"), (3, "B"), (4, "B"), (5, "C"), (6, "C"), (7, "C"))]
    lines = ValidationReport(problems=problems).format(limit=1).splitlines()
    # Three lines (A: 1, B: 2, C: 3 problems); the first is shown, 2 + 3 = 5 problems are left.
    assert lines[:3] == [
        "Warnings (6):",
        "  Actuals!J2: Customers (3) is more than SQLs (2) on A" + ADVICE,
        "  … and 5 more (use --json to see all)",
    ]


def test_without_cells_a_group_names_its_rows_and_without_rows_its_sheet() -> None:
    rows = [Problem("funnel-order", "a; b", sheet="export.csv", row=r, channel="Meta Ads") for r in (4, 6)]
    assert (
        str(ValidationReport(problems=rows).grouped()[0]) == "export.csv rows 4, 6: a on Meta Ads (first of 2 rows); b"
    )
    sheets = [Problem("unknown-column", "an extra column was ignored", sheet="Actuals") for _ in range(2)]
    assert str(ValidationReport(problems=sheets).grouped()[0]) == "Actuals: an extra column was ignored (first of 2)"


_problems = st.lists(
    st.builds(
        Problem,
        code=st.sampled_from(["funnel-order", "text-date", "type-error", "unknown-column"]),
        message=st.sampled_from(["x", "x; y"]),
        sheet=st.sampled_from(["Actuals", "Budget", None]),
        row=st.one_of(st.none(), st.integers(2, 9)),
        column=st.sampled_from(["Spend", "Date"]),
        cell=st.sampled_from([None, "D2"]),
        channel=st.sampled_from([None, "Google Ads", "TikTok"]),
    ),
    max_size=30,
)


@pytest.mark.slow
@given(_problems)
def test_groups_partition_the_problems(problems: list[Problem]) -> None:
    """Every problem is in exactly one line, in report order; a line's problems share their key (an error's: its
    message too)."""
    report = ValidationReport(problems=problems)
    groups = report.grouped()
    order = {id(p): i for i, p in enumerate(report.sorted())}
    assert sorted(order[id(p)] for g in groups for p in g.problems) == list(range(len(problems)))
    firsts = [order[id(g.first)] for g in groups]
    assert firsts == sorted(firsts)
    for g in groups:
        members = [order[id(p)] for p in g.problems]
        assert members == sorted(members)
        assert len({p.group_key() for p in g.problems}) == 1
        assert g.severity != "error" or len({p.message for p in g.problems}) == 1
    assert sum(g.count for g in groups if g.severity == "warning") == len(report.warnings)


# --- on a real intake: validate, --json, build, Data Notes, import ----------------------------------------


def test_validate_prints_one_line_per_channel_and_json_keeps_all_seven(funnel_intake: Path) -> None:
    intake = funnel_intake
    result = CliRunner().invoke(cli, ["validate", str(intake)])
    assert result.exit_code == 0, result.output
    assert _indented(result.output, "Warnings (7):") == [GOOGLE_LINE, TIKTOK_LINE]
    assert result.output.splitlines()[-1] == "funnel.xlsx: valid — 0 errors, 7 warnings, 1 notice"

    doc = json.loads(CliRunner().invoke(cli, ["validate", "--json", str(intake)]).output)
    funnel = [(p["cell"], p["channel"], p["message"]) for p in doc["problems"] if p["code"] == "funnel-order"]
    assert doc["counts"]["warnings"] == 7
    assert funnel == [
        ("J2", "Google Ads", "Customers (3) is more than SQLs (2)" + ADVICE),
        ("J3", "TikTok", "Customers (1) is more than SQLs (0)" + ADVICE),
        ("J4", "Google Ads", "Customers (2) is more than SQLs (1)" + ADVICE),
        ("J5", "TikTok", "Customers (2) is more than SQLs (0)" + ADVICE),
        ("J6", "Google Ads", "Customers (4) is more than SQLs (2)" + ADVICE),
        ("J7", "TikTok", "Customers (2) is more than SQLs (1)" + ADVICE),
        ("J8", "Google Ads", "Customers (5) is more than SQLs (1)" + ADVICE),
    ]


def test_validate_prints_a_single_warning_with_its_channel(tmp_path: Path) -> None:
    intake = set_cell(write_valid(tmp_path / "one.xlsx"), "Actuals", "J2", 9)  # Customers 9 against SQLs 2
    result = CliRunner().invoke(cli, ["validate", str(intake)])
    expected = "Actuals!J2: Customers (9) is more than SQLs (2) on Google Ads" + ADVICE  # row 2 is Google Ads'
    assert _indented(result.output, "Warnings (1):") == [expected]


@pytest.mark.slow
def test_build_prints_grouped_warnings_and_data_notes_holds_the_same_lines(funnel_intake: Path, tmp_path: Path) -> None:
    intake = funnel_intake
    result = CliRunner().invoke(cli, ["build", str(intake), "-o", str(tmp_path / "funnel-report.xlsx")])
    assert result.exit_code == 0, result.output
    assert _indented(result.output, "Warnings (7):") == [GOOGLE_LINE, TIKTOK_LINE]

    ws = openpyxl.load_workbook(tmp_path / "funnel-report.xlsx")["Data Notes"]
    notes = [row[:3] for row in ws.iter_rows(min_row=5, values_only=True) if row[0] == "Warning"]
    assert notes[:2] == [
        ("Warning", "Actuals!J2, J4, J6 and 1 more", GOOGLE_LINE.split(": ", 1)[1]),
        ("Warning", "Actuals!J3, J5, J7", TIKTOK_LINE.split(": ", 1)[1]),
    ]
    assert len([n for n in notes if "is more than SQLs" in n[2]]) == 2  # rows 4 to 8 are in the two lines

    doc = json.loads(
        CliRunner().invoke(cli, ["build", "--json", "-q", str(intake), "-o", str(tmp_path / "again.xlsx")]).output
    )
    assert [p["cell"] for p in doc["validation"] if p["code"] == "funnel-order"] == [
        "J2",
        "J3",
        "J4",
        "J5",
        "J6",
        "J7",
        "J8",
    ]


def test_import_prints_the_intakes_report_with_errors_alone_and_warnings_grouped(tmp_path: Path) -> None:
    """An intake with an error stops the import, which prints its report: the error, then the grouped warnings."""
    intake = set_cell(write_valid(tmp_path / "funnel.xlsx", _funnel_rows), "Actuals", "D9", "twelve")  # Email's Spend
    export = tmp_path / "export.csv"
    export.write_text("Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n2026-10-05,Search,10,100,5,1,50\n")
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(export), "--source", "google-ads"])
    assert result.exit_code == 2
    assert _indented(result.output, "Errors (1):") == ['Actuals!D9: Spend must be a number, got "twelve"']
    assert _indented(result.output, "Warnings (7):") == [GOOGLE_LINE, TIKTOK_LINE]
    assert not (tmp_path / "funnel-imported.xlsx").exists()
