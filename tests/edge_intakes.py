"""Intakes built to break the report's formulas, each with figures a test can work out by hand.

:data:`EDGE_INTAKES` maps a label to a function writing the intake; the LibreOffice recalculation test
(tests/test_recalculation.py) builds and recalculates every one of them, with the samples, and checks each
formula against the engine's value. Add an intake here and it is checked too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mops_xl import write_intake

D = dt.date

#: Two 300-character channel names equal in their first 299 characters (an Excel criterion stops at 255).
LONG_A = "Long channel " + "x" * 286 + "A"
LONG_B = "Long channel " + "x" * 286 + "B"
#: A 300-character campaign name (its plan sheet's name is cut at 31 characters).
LONG_CAMPAIGN = "Spring " + "y" * 293
#: Two campaigns whose names, cut at 31 characters, end in an apostrophe and are then the same.
CUT_A, CUT_B = "Q" * 30 + "'s picks", "Q" * 30 + "'t miss"
#: A campaign whose plan-sheet name, pasted unquoted into ='{sheet}'!$B$8, made a working formula.
CRAFTED = "Dashboard'!B9+'Dashboard"

#: Channel → (spend per day, leads per day, customers per day, revenue per day), each over 2026-10-01 and 02.
#: A channel and the one after it form a pair that a wildcard or a comparison would confuse: "Search*" with
#: "Search Ads", "=1+1" with "1+1", "a?b~c" with "aXbc", the two long names.
EDGE_CHANNELS: dict[str, tuple[float, int, int, float]] = {
    "Search*": (100.0, 10, 1, 300.0),
    "Search Ads": (1000.0, 50, 5, 4000.0),
    "<>x": (20.0, 4, 1, 50.0),
    "=1+1": (30.0, 3, 1, 90.0),
    "1+1": (300.0, 30, 3, 600.0),
    "Mom's Day": (40.0, 8, 2, 200.0),
    "a?b~c": (50.0, 5, 1, 250.0),
    "aXbc": (500.0, 20, 2, 1000.0),
    ">5": (60.0, 6, 1, 120.0),
    LONG_A: (70.0, 7, 1, 140.0),
    LONG_B: (700.0, 14, 2, 2100.0),
}
#: The campaign of each channel's Actuals rows.
EDGE_CAMPAIGNS = {
    "Search*": "Brand*",
    "Search Ads": "Brand Search",
    "<>x": "<>x",
    "=1+1": "=1+1",
    "1+1": "1+1",
    "Mom's Day": "Mom's Day",
    "a?b~c": CRAFTED,
    "aXbc": CUT_A,
    ">5": CUT_B,
    LONG_A: LONG_CAMPAIGN,
    LONG_B: "Spring",
}


def edge_names_data() -> dict[str, Any]:
    """The "edge names" intake: channels and campaigns named like criteria, wildcards and formulas.

    October 2026, report as of 2026-10-02 (d = 2 of D = 31 days). Each channel has one Actuals row a day
    (figures in :data:`EDGE_CHANNELS`, every funnel column filled: MQLs = SQLs = customers), a budget line
    for the whole month planned at 31 × its daily spend (so each line is exactly on pace) except Mom's Day,
    a CAC target for "Search*" (120) and "Search Ads" (150), a ROAS target for "a?b~c" (4), a Leads target
    for ">5" (100), an Expected CAC for "<>x" (30), and a Revenue target on every channel (1,000 each, so the
    blended Revenue target is their sum). Every campaign of :data:`EDGE_CAMPAIGNS` is on the Campaigns sheet,
    launched.
    """
    actuals = []
    for day in (D(2026, 10, 1), D(2026, 10, 2)):
        for channel, (spend, leads, customers, revenue) in EDGE_CHANNELS.items():
            actuals.append(
                {
                    "Date": day,
                    "Channel": channel,
                    "Campaign": EDGE_CAMPAIGNS[channel],
                    "Spend": spend,
                    "Impressions": 100 * leads,
                    "Clicks": 10 * leads,
                    "Leads": leads,
                    "MQLs": customers,
                    "SQLs": customers,
                    "Customers": customers,
                    "Revenue": revenue,
                }
            )
    month = {"Period start": D(2026, 10, 1), "Period end": D(2026, 10, 31)}
    budget = {"Budget": 1000.0}
    return {
        "Business": {
            "Business name": "Edge Names Ltd",
            "Team size": 2,
            "Period start": D(2026, 10, 1),
            "Period end": D(2026, 10, 31),
            "Report as of": D(2026, 10, 2),
        },
        "Channels": [
            {"Channel": ch, "Paid": True, "Funnel stage": "Decision", **({"Expected CAC": 30.0} if ch == "<>x" else {})}
            for ch in EDGE_CHANNELS
        ],
        "Budget": [
            {"Channel": ch, **month, "Planned spend": 31 * spend}
            for ch, (spend, *_) in EDGE_CHANNELS.items()
            if ch != "Mom's Day"
        ],
        "Actuals": actuals,
        "Targets": [
            {"Metric": "CAC", "Channel": "Search*", "Target": 120},
            {"Metric": "CAC", "Channel": "Search Ads", "Target": 150},
            {"Metric": "ROAS", "Channel": "a?b~c", "Target": 4},
            {"Metric": "Leads", "Channel": ">5", "Target": 100},
            *({"Metric": "Revenue", "Channel": ch, "Target": 1000} for ch in EDGE_CHANNELS),
        ],
        "Campaigns": [
            {"Campaign": name, "Type": "Promotional", "Launch date": D(2026, 9, 20), "Status": "Launched", **budget}
            for name in EDGE_CAMPAIGNS.values()
        ],
    }


def write_edge_names(path: Path) -> Path:
    """Write the "edge names" intake (see :func:`edge_names_data`).

    Args:
        path: Where to write it.

    Returns:
        The path.
    """
    return write_intake(path, edge_names_data())


#: The lumpy intake's report date: Wednesday 26 August 2026.
LUMPY_AS_OF = D(2026, 8, 26)
#: The lumpy intake's webinar days: $1,000 every other Thursday from 4 June to 24 September 2026 (2 customers each, 4
#: on 13 August); the intake holds those up to its Report as of (six by 26 August).
WEBINAR_DAYS = [D(2026, 6, 4) + dt.timedelta(days=14 * i) for i in range(9)]


def lumpy_data(as_of: dt.date = LUMPY_AS_OF) -> dict[str, Any]:
    """The "lumpy" intake: a channel that spends on some days only, beside one that spends every day.

    Q3 2026 (1 July to 30 September, D = 92 days), report as of Wednesday 26 August (d = 57, 35 days left),
    Actuals from 1 June. Webinars spends $1,000 on each of :data:`WEBINAR_DAYS` to date (its only rows: 40 leads and 2
    customers each, 4 customers on 13 August), with a CAC target of 500 and a budget line of $6,500 for the
    quarter. Google Ads spends $100 every day (5 leads and 1 customer a day), with a CAC target of 120 and a budget
    line of $9,200 (92 × 100).

    Args:
        as_of: Another Report as of: the Actuals run to it, the webinars keep their fortnight (27 August: a seventh
            webinar, 2 customers), Google Ads its $100 a day.
    """
    actuals = [
        {"Date": day, "Channel": "Webinars", "Campaign": "Webinar", "Spend": 1000.0, "Leads": 40,
         "Customers": 4 if day == D(2026, 8, 13) else 2, "Revenue": 0.0}
        for day in WEBINAR_DAYS if day <= as_of
    ]  # fmt: skip
    day = D(2026, 6, 1)
    while day <= as_of:
        actuals.append({"Date": day, "Channel": "Google Ads", "Campaign": "Search", "Spend": 100.0, "Leads": 5,
                        "Customers": 1, "Revenue": 0.0})  # fmt: skip
        day += dt.timedelta(days=1)
    quarter = {"Period start": D(2026, 7, 1), "Period end": D(2026, 9, 30)}
    return {
        "Business": {
            "Business name": "Lumpy Webinars Ltd",
            "Team size": 2,
            "Period start": D(2026, 7, 1),
            "Period end": D(2026, 9, 30),
            "Report as of": as_of,
        },
        "Channels": [
            {"Channel": "Google Ads", "Paid": True, "Funnel stage": "Decision"},
            {"Channel": "Webinars", "Paid": True, "Funnel stage": "Consideration"},
        ],
        "Budget": [
            {"Channel": "Google Ads", **quarter, "Planned spend": 9200.0},
            {"Channel": "Webinars", **quarter, "Planned spend": 6500.0},
        ],
        "Actuals": actuals,
        "Targets": [
            {"Metric": "CAC", "Channel": "Google Ads", "Target": 120},
            {"Metric": "CAC", "Channel": "Webinars", "Target": 500},
        ],
    }


def write_lumpy(path: Path, as_of: dt.date = LUMPY_AS_OF) -> Path:
    """Write the "lumpy" intake (see :func:`lumpy_data`).

    Args:
        path: Where to write it.
        as_of: Its Report as of.

    Returns:
        The path.
    """
    return write_intake(path, lumpy_data(as_of))


def write_lumpy_spend_day(path: Path) -> Path:
    """Write the "lumpy" intake as of Thursday 27 August, a webinar day (its Budget Pacing row is paced to 9
    September, the end of that webinar's fortnight).

    Args:
        path: Where to write it.

    Returns:
        The path.
    """
    return write_lumpy(path, D(2026, 8, 27))


#: The lagging intake's last LinkedIn Ads day: its rows stop 7 days before Report as of (10 September 2026).
LAGGING_THROUGH = D(2026, 9, 3)
#: Google Ads' rows from this day on leave Customers blank (an export without conversions).
BLANK_CUSTOMERS_FROM = D(2026, 9, 8)


def lagging_data() -> dict[str, Any]:
    """The "lagging" intake: one channel's rows stop a week before the others' (a platform imported alone).

    September 2026 (D = 30), Report as of not given (it defaults to the latest Actuals date, 10 September: d = 10),
    Data settling days 3, Trend window 7, Actuals from 1 August. Google Ads spends $100 a day with 5 leads and 1
    customer a day, every day to 10 September, its rows from 8 September leaving Customers blank; a budget line of
    $3,000 for September, a CAC target of 120. LinkedIn Ads spends $200 a day with 4 leads a day, 1 customer a day to
    27 August and 2 a day from 28 August, its rows stopping on 3 September; a budget line of $6,000 for September,
    a CAC target of 250.
    """
    actuals = []
    day = D(2026, 8, 1)
    while day <= D(2026, 9, 10):
        customers = None if day >= BLANK_CUSTOMERS_FROM else 1
        actuals.append({"Date": day, "Channel": "Google Ads", "Campaign": "Search", "Spend": 100.0, "Leads": 5,
                        "Customers": customers, "Revenue": 0.0})  # fmt: skip
        if day <= LAGGING_THROUGH:
            actuals.append({"Date": day, "Channel": "LinkedIn Ads", "Campaign": "Sponsored", "Spend": 200.0,
                            "Leads": 4, "Customers": 2 if day >= D(2026, 8, 28) else 1, "Revenue": 0.0})  # fmt: skip
        day += dt.timedelta(days=1)
    month = {"Period start": D(2026, 9, 1), "Period end": D(2026, 9, 30)}
    return {
        "Business": {"Business name": "Lagging Imports Ltd", "Team size": 2, **month},
        "Channels": [
            {"Channel": "Google Ads", "Paid": True, "Funnel stage": "Decision"},
            {"Channel": "LinkedIn Ads", "Paid": True, "Funnel stage": "Consideration"},
        ],
        "Budget": [
            {"Channel": "Google Ads", **month, "Planned spend": 3000.0},
            {"Channel": "LinkedIn Ads", **month, "Planned spend": 6000.0},
        ],
        "Actuals": actuals,
        "Targets": [
            {"Metric": "CAC", "Channel": "Google Ads", "Target": 120},
            {"Metric": "CAC", "Channel": "LinkedIn Ads", "Target": 250},
        ],
    }


def write_lagging(path: Path) -> Path:
    """Write the "lagging" intake (see :func:`lagging_data`).

    Args:
        path: Where to write it.

    Returns:
        The path.
    """
    return write_intake(path, lagging_data())


#: Label → a function writing the intake at a path; the recalculation test checks each one's report.
EDGE_INTAKES: dict[str, Callable[[Path], Path]] = {
    "edge-names": write_edge_names,
    "lumpy": write_lumpy,
    "lumpy-spend-day": write_lumpy_spend_day,
    "lagging": write_lagging,
}
