"""Budget pacing's figure definitions (analysis/figures/budget/budget_line_figures.py, pacing_total_figures.py): the
pandas side worked out by hand, and the formula side read through a stub writer.

The period is October 2026 (S = Thu Oct 1, E = Sat Oct 31), Report as of A = Sat Oct 10. Weekdays: Sep 16-30
holds 11 (Wed 16 - Fri 18, 21 - 25, Mon 28 - Wed 30); October 1-15 holds 11 (1-2, 5-9, 12-15), October 5-31
holds 20 and October 20-31 holds 9 (Tue 20 - Fri 23, 26 - 30).

    row  channel  line              planned  spend
    2    Search   Sep 16 - Oct 15     3,000  90 a day Sep 16-30 (before S), 120 a day Oct 1-11 (Oct 11 after A)
    3    Social   Oct 5 - Oct 31      2,700  50 a day Oct 1-10 (Oct 1-4 before the line starts)
    4    Display  Oct 20 - Oct 31     1,200  none (not started)
    5    Email    Oct 1 - Oct 31          0  10 on Oct 2
    (none) Video                             30 on Sat Oct 10
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from mops_xl.analysis.blocks.statuses import NO_BUDGET, NO_DATA, NOT_STARTED, ON, OVER, UNDER
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.budget.budget_line_figures import (
    COUNTED_DAYS_IN_PERIOD,
    COUNTED_ELAPSED_DAYS,
    COUNTED_LINE_DAYS,
    LINE_FIGURE,
    LINE_FIGURES,
    PacingBasis,
    pace_lines,
    pacing_bands,
)
from mops_xl.analysis.figures.budget.pacing_total_figures import (
    BUDGET_TO_DATE,
    CUMULATIVE_SPEND,
    TOTAL_PACE,
    TOTAL_STATUS,
)

T = pd.Timestamp
WINDOW = ReportingWindow(T("2026-10-01"), T("2026-10-31"), T("2026-10-10"))


def budget(extra: tuple[tuple[str, str, str, float], ...] = ()) -> pd.DataFrame:
    rows = [
        ("Search", "2026-09-16", "2026-10-15", 3000.0),
        ("Social", "2026-10-05", "2026-10-31", 2700.0),
        ("Display", "2026-10-20", "2026-10-31", 1200.0),
        ("Email", "2026-10-01", "2026-10-31", 0.0),
        *extra,
    ]
    frame = pd.DataFrame(rows, columns=["Channel", "Period start", "Period end", "Planned spend"])
    frame["Period start"] = pd.to_datetime(frame["Period start"])
    frame["Period end"] = pd.to_datetime(frame["Period end"])
    frame.index = frame.index + 2  # the Budget sheet's Excel rows
    return frame


def actuals() -> pd.DataFrame:
    rows = [(d, "Search", 90.0) for d in pd.date_range("2026-09-16", "2026-09-30")]
    rows += [(d, "Search", 120.0) for d in pd.date_range("2026-10-01", "2026-10-11")]
    rows += [(d, "Social", 50.0) for d in pd.date_range("2026-10-01", "2026-10-10")]
    rows += [(T("2026-10-02"), "Email", 10.0), (T("2026-10-10"), "Video", 30.0)]
    return pd.DataFrame(rows, columns=["Date", "Channel", "Spend"])


def basis(method: str = "linear") -> PacingBasis:
    return PacingBasis(WINDOW, method, 1.1, actuals().groupby(["Channel", "Date"])["Spend"].sum())


def test_linear_line_figures_by_hand() -> None:
    got = pace_lines(budget(), basis())
    search = got.loc[2]
    # F = Oct 1, G = Oct 15, to date Oct 10: 10 of the 15 days in the period; P = 3000 over 30 days
    assert (search["Line days"], search["Elapsed days"]) == (30, 10)
    assert search["Budget for period"] == pytest.approx(3000 * 15 / 30)  # 1,500
    assert search["Expected to date"] == pytest.approx(3000 * 10 / 30)  # 1,000
    assert search["Actual"] == pytest.approx(120 * 10)  # Sep spend and Oct 11 do not count
    assert search["Pace"] == pytest.approx(1.2)
    assert search["At today's pace"] == pytest.approx(1200 / 10 * 15)  # 1,800
    assert search["Variance"] == pytest.approx(300)
    assert (search["Left on this line"], search["Remaining days"]) == (pytest.approx(300), 5)
    assert search["Daily spend to land on budget"] == pytest.approx(60)
    assert (search["Status"], search["Planned per day"]) == (OVER, pytest.approx(100))

    social = got.loc[3]  # Oct 5 - 31: 27 days, 6 of them to date; spend before Oct 5 is not the line's
    assert (social["Expected to date"], social["Actual"]) == (pytest.approx(600), pytest.approx(300))
    assert (social["Pace"], social["Status"]) == (pytest.approx(0.5), UNDER)
    assert social["At today's pace"] == pytest.approx(300 / 6 * 27)  # 1,350
    assert social["Daily spend to land on budget"] == pytest.approx(2400 / 21)


def test_a_line_not_started_and_a_line_planned_at_zero() -> None:
    got = pace_lines(budget(), basis())
    display = got.loc[4]  # starts Oct 20, after Report as of
    assert (display["Elapsed days"], display["Status"], display["Expected to date"]) == (0, NOT_STARTED, 0.0)
    assert math.isnan(display["Pace"]) and math.isnan(display["At today's pace"]) and math.isnan(display["Variance"])
    assert (display["Remaining days"], display["Daily spend to land on budget"]) == (12, pytest.approx(100))

    email = got.loc[5]  # nothing planned, 10 spent: Over pace without a pace
    assert math.isnan(email["Pace"]) and email["Status"] == OVER
    assert email["At today's pace"] == pytest.approx(10 / 10 * 31)
    assert email["Daily spend to land on budget"] == 0.0  # max(0 - 10, 0) / 21


def test_weekday_counts_and_figures_by_hand() -> None:
    lines = pace_lines(budget(), basis("weekdays"))
    b = basis("weekdays")
    assert list(COUNTED_LINE_DAYS.compute(lines, b)) == [22, 20, 9, 22]
    assert list(COUNTED_ELAPSED_DAYS.compute(lines, b)) == [7, 5, 0, 7]
    assert list(COUNTED_DAYS_IN_PERIOD.compute(lines, b)) == [11, 20, 9, 22]
    search = lines.loc[2]
    assert search["Expected to date"] == pytest.approx(3000 * 7 / 22)
    assert search["Pace"] == pytest.approx(1200 / (3000 * 7 / 22))
    assert search["At today's pace"] == pytest.approx(1200 / 7 * 11)
    assert search["Budget for period"] == pytest.approx(1500)  # calendar days, whatever the method
    assert (search["Remaining days"], search["Daily spend to land on budget"]) == (4, pytest.approx(75))
    assert search["Planned per day"] == pytest.approx(3000 / 22)


def test_a_weekend_line_expects_nothing_and_projects_its_actual() -> None:
    lines = pace_lines(budget((("Video", "2026-10-10", "2026-10-11", 200.0),)), basis("weekdays")).loc[6]
    assert (lines["Elapsed days"], lines["Expected to date"], lines["Planned per day"]) == (1, 0.0, 0.0)
    assert math.isnan(lines["Pace"]) and lines["Status"] == ON  # spend, but something was planned
    assert lines["At today's pace"] == pytest.approx(30)  # no counted day yet: the actual itself
    assert lines["Remaining days"] == 0 and math.isnan(lines["Daily spend to land on budget"])


def test_pacing_bands_around_the_threshold() -> None:
    got = pacing_bands(pd.Series([1.2, 1.1, 1.0, 0.9, 0.8, math.nan]), 1.1)
    assert list(got) == [OVER, ON, ON, ON, UNDER, ON]


def test_total_pace_and_status_by_hand() -> None:
    lines = pace_lines(budget(), basis())
    spend = 1200 + 500 + 10 + 30  # every channel's spend Oct 1-10, Social's Oct 1-4 and Video's unbudgeted too
    assert TOTAL_PACE.compute(spend, 1600.0) == pytest.approx(1740 / 1600)
    assert math.isnan(TOTAL_PACE.compute(100.0, 0.0))
    assert TOTAL_STATUS.compute(lines, spend, 1.1, has_data=True) == ON  # 1.0875
    assert TOTAL_STATUS.compute(lines, 2000.0, 1.1, has_data=True) == OVER  # 1.25
    assert TOTAL_STATUS.compute(lines, spend, 1.1, has_data=False) == NO_DATA
    assert TOTAL_STATUS.compute(lines.iloc[:0], spend, 1.1, has_data=True) == NO_BUDGET
    assert TOTAL_STATUS.compute(lines.loc[[4]], spend, 1.1, has_data=True) == NOT_STARTED


def test_spend_curve_by_hand() -> None:
    days = pd.date_range(WINDOW.start, WINDOW.end)
    cumulative = CUMULATIVE_SPEND.compute(days, actuals(), WINDOW)
    assert cumulative[T("2026-10-01")] == pytest.approx(170)  # Search 120 + Social 50
    assert cumulative[T("2026-10-02")] == pytest.approx(350)  # + 170 + Email 10
    assert cumulative[T("2026-10-10")] == pytest.approx(1740)
    assert math.isnan(cumulative[T("2026-10-11")])  # after Report as of
    linear = pd.Series(BUDGET_TO_DATE.compute(days, pace_lines(budget(), basis()), "linear"), index=days)
    assert linear[T("2026-10-10")] == pytest.approx(100 * 10 + 100 * 6)  # the lines' expected spend to date
    assert linear[T("2026-10-31")] == pytest.approx(1500 + 2700 + 1200)
    weekdays = pd.Series(BUDGET_TO_DATE.compute(days, pace_lines(budget(), basis("weekdays")), "weekdays"), index=days)
    assert weekdays[T("2026-10-10")] == pytest.approx(3000 / 22 * 7 + 2700 / 20 * 5)
    assert weekdays[T("2026-10-10")] == weekdays[T("2026-10-09")]  # a Saturday adds nothing


class StubLineWriter:
    """Names every cell after its figure, so a formula reads as its definition."""

    undefined = "U"

    def cell(self, figure: str) -> str:
        return f"[{figure}]"

    def budget(self, field: str) -> str:
        return f"<{field}>"

    def value(self, field: str) -> str:
        return field.title().replace(" ", "")

    def spend(self, first: str, last: str) -> str:
        return f"SPEND({first},{last})"

    def last_spend(self, first: str, last: str) -> str:
        return f"LASTSPEND({first},{last})"

    def cycle(self) -> str:
        return ""

    def data_through(self) -> str:
        return ""  # a line whose channel's data reaches Report as of


def test_formulas_read_as_their_definitions() -> None:
    w = StubLineWriter()
    assert LINE_FIGURE["Planned"].formula(w) == "<Planned spend>"
    assert LINE_FIGURE["Actual"].formula(w) == "SPEND(MAX([Line start],PeriodStart),MIN([Line end],ReportAsOf))"
    assert (
        LINE_FIGURE["Pace"].formula(w)
        == "IF([Elapsed days]=0,U,IF([Expected to date]>0,[Actual]/[Expected to date],U))"
    )
    assert LINE_FIGURE["Line days"].formula(w) == "[Line end]-[Line start]+1"
    assert LINE_FIGURE["Elapsed days"].formula(w) == "MAX(0,MIN([Line end],ReportAsOf)-MAX([Line start],PeriodStart)+1)"


def test_each_formula_reads_only_the_figures_computed_before_it() -> None:
    w = StubLineWriter()
    for i, figure in enumerate(LINE_FIGURES):
        before = {f.name for f in LINE_FIGURES[:i]}
        read = {f.name for f in LINE_FIGURES if f"[{f.name}]" in figure.formula(w)}
        assert read <= before, figure.name
