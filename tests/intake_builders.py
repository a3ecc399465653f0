"""Build small intakes for tests, and plant exactly one mistake at a known cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from mops_xl import write_intake

D = dt.date


def valid_data() -> dict[str, Any]:
    """A small valid intake: three channels, October 2026 (Report as of defaults to Oct 2), budgets, targets, a test.

    Sheet layout (row 1 = header): Channels rows 2-4 (Google Ads, TikTok, Email); Budget rows 2-3;
    Actuals rows 2-7 (columns A Date, B Channel, C Campaign, D Spend, E Impressions, F Clicks, G Leads,
    H MQLs, I SQLs, J Customers, K Revenue); Experiments rows 2-3.
    """
    actuals = []
    for day in (D(2026, 10, 1), D(2026, 10, 2)):
        actuals.append(
            {
                "Date": day,
                "Channel": "Google Ads",
                "Campaign": "Search",
                "Spend": 100.0,
                "Impressions": 2000,
                "Clicks": 80,
                "Leads": 8,
                "MQLs": 4,
                "SQLs": 2,
                "Customers": 1,
                "Revenue": 400.0,
            }
        )
        actuals.append(
            {
                "Date": day,
                "Channel": "TikTok",
                "Campaign": "Creators",
                "Spend": 50.0,
                "Impressions": 9000,
                "Clicks": 60,
                "Leads": 3,
                "MQLs": 1,
                "SQLs": 0,
                "Customers": 0,
                "Revenue": 0.0,
            }
        )
        actuals.append({"Date": day, "Channel": "Email", "Leads": 5, "MQLs": 2, "SQLs": 1, "Customers": 0})
    return {
        "Business": {
            "Business name": "Test Co",
            "Team size": 3,
            "Period start": D(2026, 10, 1),
            "Period end": D(2026, 10, 31),
        },
        "Channels": [
            {"Channel": "Google Ads", "Role": "Capture demand", "Funnel stage": "Decision", "Paid": True},
            {"Channel": "TikTok", "Role": "Reach", "Funnel stage": "Awareness", "Paid": True},
            {"Channel": "Email", "Role": "Nurture", "Funnel stage": "Retention", "Paid": False},
        ],
        "Budget": [
            {
                "Channel": "Google Ads",
                "Period start": D(2026, 10, 1),
                "Period end": D(2026, 10, 31),
                "Planned spend": 3100.0,
            },
            {
                "Channel": "TikTok",
                "Period start": D(2026, 10, 1),
                "Period end": D(2026, 10, 31),
                "Planned spend": 1550.0,
            },
        ],
        "Actuals": actuals,
        "Targets": [{"Metric": "Leads", "Target": 500}, {"Metric": "CAC", "Channel": "Google Ads", "Target": 120}],
        "Experiments": [
            {"Experiment": "CTA", "Variant": "A", "Is control": True, "Visitors": 1000, "Conversions": 50},
            {"Experiment": "CTA", "Variant": "B", "Is control": False, "Visitors": 1000, "Conversions": 70},
        ],
    }


def write_valid(path: Path, change: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """Write the valid intake, optionally changed first.

    Args:
        path: Where to write.
        change: A function that edits the data dict in place.

    Returns:
        The path.
    """
    data = valid_data()
    if change:
        change(data)
    return write_intake(path, data)


def edit(path: Path, action: Callable[[openpyxl.Workbook], None]) -> Path:
    """Open a written intake with openpyxl, apply ``action`` to the workbook and save it in place.

    Args:
        path: The workbook (a test copy, never a shipped file).
        action: Edits the workbook.

    Returns:
        The path.
    """
    wb = openpyxl.load_workbook(path)
    action(wb)
    wb.save(path)
    return path


def set_cell(path: Path, sheet: str, cell: str, value: Any) -> Path:
    """Set one cell of a written intake.

    Args:
        path: The workbook.
        sheet: The sheet name.
        cell: E.g. ``"D7"``.
        value: The new value.

    Returns:
        The path.
    """

    def action(wb: openpyxl.Workbook) -> None:
        wb[sheet][cell] = value

    return edit(path, action)
