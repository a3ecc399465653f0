"""Each channel's daily spend now (mops_xl.analysis.figures.budget.run_rate), worked by hand."""

from __future__ import annotations

import pandas as pd

from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.figures.budget.run_rate import daily_spend_now, days_to_spend


def test_run_rate_and_best_day_over_the_trend_window() -> None:
    day = pd.Timestamp
    actuals = pd.DataFrame(
        [
            (day("2026-09-01"), "Search", 999.0),  # before the 7-day window (4-10 Sep): not counted
            (day("2026-09-04"), "Search", 70.0),
            (day("2026-09-09"), "Search", 100.0),
            (day("2026-09-09"), "Search", 30.0),  # two rows of one day: that day spent 130
            (day("2026-09-10"), "Search", 80.0),
            (day("2026-09-11"), "Search", 500.0),  # after Report as of: not counted
            (day("2026-09-05"), "Webinars", 140.0),
        ],
        columns=["Date", "Channel", "Spend"],
    )
    window = ReportingWindow(day("2026-07-01"), day("2026-09-30"), day("2026-09-10"))
    got = daily_spend_now(actuals, ["Search", "Webinars", "Email"], window, 7)
    # Search: (70 + 130 + 80) / 7 = 40 a day, best day 130; Webinars 140 / 7 = 20, best 140; Email nothing
    assert got["Current daily spend"].to_dict() == {"Search": 40.0, "Webinars": 20.0, "Email": 0.0}
    assert got["Most in a day"].to_dict() == {"Search": 130.0, "Webinars": 140.0, "Email": 0.0}


def test_the_window_never_reaches_before_period_start() -> None:
    day = pd.Timestamp
    actuals = pd.DataFrame(
        [(day("2026-06-30"), "A", 70.0), (day("2026-07-02"), "A", 30.0)], columns=["Date", "Channel", "Spend"]
    )
    window = ReportingWindow(day("2026-07-01"), day("2026-09-30"), day("2026-07-03"))
    got = daily_spend_now(actuals, ["A"], window, 14)
    # three days of the period (1-3 Jul) so far: 30 / 3 = 10 a day
    assert got.loc["A", "Current daily spend"] == 10.0 and got.loc["A", "Most in a day"] == 30.0


def test_a_channel_whose_line_starts_later_spends_from_its_start() -> None:
    day = pd.Timestamp
    budget = pd.DataFrame(
        [
            ("Meta", day("2026-10-01"), day("2026-10-31")),
            ("Influencers", day("2026-10-26"), day("2026-10-31")),  # starts two days after Oct 24 + 1
            ("Old", day("2026-09-01"), day("2026-09-30")),  # over before the rest of the period
        ],
        columns=["Channel", "Period start", "Period end"],
    )
    window = ReportingWindow(day("2026-10-01"), day("2026-10-31"), day("2026-10-24"))
    got = days_to_spend(budget, ["Meta", "Influencers", "Old", "Email"], window)
    # Oct 25-31 is 7 days; Influencers Oct 26-31 is 6
    assert got.to_dict() == {"Meta": 7, "Influencers": 6, "Old": 7, "Email": 7}
