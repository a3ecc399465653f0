"""The plan for the rest of the period as a CSV a team pastes into an ad platform's bulk editor or a budget sheet
(`mops-xl build --plan-csv PATH`): each channel's planned spend for each day from the day after Report as of to
Period end.

- One row per channel per day, columns :data:`PLAN_CSV_COLUMNS`; only channels whose planned rest of period is more
  than 0, in the Channels sheet's order, each day in order.
- A day's amount is the channel's Planned daily spend in cents; where that is not a whole number of cents, the
  cents are spread so that the days add up to the channel's Planned rest of period to the cent (day k gets
  round(total × k ÷ days) − round(total × (k − 1) ÷ days) cents, so two days differ by at most one cent).
- Written atomically, as UTF-8 with a byte-order mark (Excel then reads accented channel names right). A channel
  name that a spreadsheet would read as a formula (starting with =, +, -, @) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pandas as pd

from mops_xl.analysis.decisions.period_plan import PeriodPlan
from mops_xl.atomic import atomic_output
from mops_xl.errors import OutputError

#: The CSV's columns, in order.
PLAN_CSV_COLUMNS = ("Channel", "Date", "Planned spend")
#: What a spreadsheet reads as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def split_cents(total: float, days: int) -> list[int]:
    """Spread an amount over days in whole cents that add up to it.

    Args:
        total: The amount (rounded to the cent first).
        days: The number of days (> 0).

    Returns:
        Each day's cents: day k gets round(T × k ÷ days) − round(T × (k − 1) ÷ days), T the total in cents (halves
        rounded up), so the days add up to T and differ by at most one cent.
    """
    cents = round(total * 100)

    def upto(k: int) -> int:
        return (2 * cents * k + days) // (2 * days)  # round(cents × k ÷ days), halves up, in integers

    return [upto(k) - upto(k - 1) for k in range(1, days + 1)]


def daily_plan(plan: PeriodPlan, as_of: dt.date) -> list[tuple[str, dt.date, int]]:
    """Each channel's planned spend per day for the rest of the period.

    Args:
        plan: The plan for the rest of the period.
        as_of: Report as of: the plan starts the day after.

    Returns:
        ``(channel, date, cents)`` per channel with a planned rest of period above 0 and per day it is planned
        for: the days after ``as_of`` to Period end, or, for a channel whose budget line starts later, from that
        line's first day (its Days planned).
    """
    days = max(int(plan.days_left), 0)
    if days == 0 or plan.table.empty:
        return []
    rows = []
    for channel, row in plan.table.iterrows():
        span = min(int(row["Days planned"]), days)  # a channel whose budget line starts later: its last days
        if span <= 0:
            continue
        dates = [as_of + dt.timedelta(days=k) for k in range(days - span + 1, days + 1)]
        cents = split_cents(float(row["Planned rest of period"]), span)
        if sum(cents) > 0:
            rows += [(str(channel), day, c) for day, c in zip(dates, cents, strict=True)]
    return rows


def check_plan_csv_path(path: Path) -> None:
    """Refuse a plan CSV path that cannot be written, before anything is built.

    Args:
        path: The ``--plan-csv`` path.

    Raises:
        OutputError: With a one-line reason (not a .csv name, a folder, a missing or read-only folder).
    """
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give --plan-csv a file name ending in .csv")
    if path.suffix.lower() != ".csv":
        raise OutputError(f"{path}: the plan is a CSV file; give --plan-csv a name ending in .csv")
    if not path.parent.is_dir():
        raise OutputError(f"{path.parent}: the folder for --plan-csv does not exist")
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"{path.parent}: the folder for --plan-csv is not writable")


def write_plan_csv(plan: PeriodPlan, as_of: dt.date | pd.Timestamp, path: Path) -> int:
    """Write the plan's daily spend per channel as CSV, atomically.

    Args:
        plan: The plan for the rest of the period.
        as_of: Report as of.
        path: Where to write it.

    Returns:
        The number of rows written (without the header).
    """
    day = as_of.date() if isinstance(as_of, pd.Timestamp) else as_of
    rows = daily_plan(plan, day)
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PLAN_CSV_COLUMNS)
        for channel, date, cents in rows:
            writer.writerow((_cell(channel), date.isoformat(), f"{cents // 100}.{cents % 100:02d}"))
    return len(rows)


def _cell(text: str) -> str:
    """A text cell a spreadsheet keeps as text."""
    return "'" + text if text.startswith(_FORMULA_START) else text
