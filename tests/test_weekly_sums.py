"""The weekly trend's sums: every week of the period summed in one pass (issue 29), worked out by hand."""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.figures.volumes import channel_volumes, channel_volumes_by_window, in_window

DAY = pd.Timestamp
#: Three windows with two days between the second and the third (15-16 Jan), as weeks with a gap would be.
WINDOWS = [
    (DAY("2026-01-01"), DAY("2026-01-07")),
    (DAY("2026-01-08"), DAY("2026-01-14")),
    (DAY("2026-01-17"), DAY("2026-01-20")),
]
ACTUALS = pd.DataFrame(
    [
        ("2025-12-31", "a", 1000.0, 9.0),  # before the first window
        ("2026-01-01", "a", 10.0, 1.0),
        ("2026-01-07", "a", 5.0, 0.0),  # the first window's last day
        ("2026-01-08", "b", 7.0, 2.0),
        ("2026-01-16", "a", 100.0, 4.0),  # between two windows
        ("2026-01-20", "b", 3.0, 1.0),
        ("2026-01-21", "b", 2000.0, 9.0),  # after the last
    ],
    columns=["Date", "Channel", "Spend", "Customers"],
).assign(Date=lambda f: pd.to_datetime(f["Date"]))


def test_each_window_sums_its_own_days_and_every_channel_is_listed() -> None:
    weeks = channel_volumes_by_window(ACTUALS, WINDOWS, ["a", "b", "c"], ("Spend", "Customers"))
    spend = [w["Spend"].tolist() for w in weeks]
    customers = [w["Customers"].tolist() for w in weeks]
    assert spend == [[15.0, 0.0, 0.0], [0.0, 7.0, 0.0], [0.0, 3.0, 0.0]]  # 10 + 5; 7; 3 (c has no rows: 0)
    assert customers == [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 1.0, 0.0]]


def test_a_volume_a_channel_does_not_track_is_missing_in_every_window() -> None:
    tracked = pd.DataFrame({"Spend": [True, True], "Customers": [True, False]}, index=["a", "b"])
    weeks = channel_volumes_by_window(ACTUALS, WINDOWS, ["a", "b"], ("Spend", "Customers"), tracked)
    assert all(math.isnan(w.loc["b", "Customers"]) for w in weeks)
    assert [w.loc["b", "Spend"] for w in weeks] == [0.0, 7.0, 3.0]


def test_the_same_sums_as_one_window_at_a_time() -> None:
    one_pass = channel_volumes_by_window(ACTUALS, WINDOWS, ["a", "b"], ("Spend", "Customers"))
    one_by_one = [channel_volumes(in_window(ACTUALS, s, e), ["a", "b"], ("Spend", "Customers")) for s, e in WINDOWS]
    assert all(x.equals(y) for x, y in zip(one_pass, one_by_one, strict=True))
    assert channel_volumes_by_window(ACTUALS, [], ["a"]) == []
