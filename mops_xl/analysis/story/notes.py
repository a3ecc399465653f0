"""Data Notes: assumptions and findings about the data that are not triggers (each ``{"subject", "note"}``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.cycles import cycle_against_cycle, judging_days
from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.blocks.thresholds import Thresholds
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.blocks.wording import count, day, days, money
from mops_xl.analysis.figures.performance import undefined_reason
from mops_xl.intake.model import TRACKABLE, Intake


def tracking_notes(tracking: Tracking) -> list[dict[str, str]]:
    """Data notes on what is not tracked: one per column nobody tracks, one per channel that leaves some out.

    Args:
        tracking: What the intake tracks.
        prefix: The currency prefix.

    Returns:
        The notes.
    """
    notes = []
    everywhere = [c for c in TRACKABLE if not tracking.blended(c)]
    for column in everywhere:
        reason = tracking.reason(column) or ""
        notes.append(
            {
                "subject": column,
                "note": f"{NOT_TRACKED}: {reason.split(': ', 1)[-1]}; every figure that needs "
                f"{column} says {NOT_TRACKED}",
            }
        )
    for ch, row in tracking.by_channel.iterrows():
        missing = [c for c in TRACKABLE if c not in everywhere and not row[c]]
        if missing and tracking.has_rows[ch]:
            notes.append(
                {
                    "subject": str(ch),
                    "note": f"Does not track {', '.join(missing)} (every Actuals row of the channel leaves "
                    f"{'it' if len(missing) == 1 else 'them'} blank): its figures that need "
                    f"{'it' if len(missing) == 1 else 'them'} say {NOT_TRACKED}, and blended figures count the "
                    "channels that track them",
                }
            )
    return notes


def data_notes(
    *,
    window: ReportingWindow,
    card: pd.DataFrame,
    unbudgeted: pd.Series,
    thresholds: Thresholds,
    no_data: bool,
    tracking: Tracking,
    prefix: str,
) -> list[dict[str, str]]:
    """The Data Notes: what is not tracked, an empty window, provisional days, unbudgeted spend, channels below
    the minimum spend, the Fully-loaded CAC assumption, and each channel's undefined ratios.

    Args:
        window: The reporting window.
        card: The channel scorecard.
        unbudgeted: Channel → spend on days no budget line covers.
        thresholds: The trigger thresholds (the minimum spend).
        no_data: No Actuals row falls in the window.
        tracking: What the intake tracks.
        prefix: The currency prefix.

    Returns:
        The notes, each ``{"subject", "note"}``.
    """
    notes = tracking_notes(tracking)
    if no_data:
        notes.append(
            {
                "subject": "Actuals",
                "note": f"No Actuals rows between {day(window.start)} and {day(window.as_of)}: figures show No data",
            }
        )
    first = window.provisional_from
    if first is not None:
        notes.append(
            {
                "subject": "Data freshness",
                "note": f"Figures that include {days(first, window.as_of)} (the last "
                f"{count(window.settling_days, 'day')}) are provisional: ad platforms may still revise them",
            }
        )
    for ch, amount in unbudgeted.items():
        spent = money(amount, prefix)
        notes.append({"subject": ch, "note": f"Unbudgeted spend: {spent} spent on days no budget line covers"})
    minimum = thresholds.minimum_spend
    if minimum > 0:
        small = [str(ch) for ch in card.index[card["Spend"] < minimum]]
        if small:
            notes.append(
                {
                    "subject": ", ".join(small),
                    "note": f"Spent less than the minimum "
                    f"{money(minimum, prefix)}: not judged as under- or high performers",
                }
            )
    notes.append(
        {
            "subject": "Fully-loaded CAC",
            "note": "Adds the active stack tools' cost prorated to the elapsed days; people costs are not included",
        }
    )
    rows = card.to_dict("index")  # one conversion, not a Series per channel and metric: near-linear in channels
    for metric in ("CAC", "CPL", "ROAS"):
        for ch, c in rows.items():
            reason = undefined_reason(metric, c)
            if reason and c["Spend"] > 0:
                notes.append({"subject": ch, "note": f"{metric} undefined: {reason}"})
    return notes


def import_notes(intake: Intake) -> list[dict[str, str]]:
    """One data note per import the intake's Import log records: what came in, in which currency, at what rate.

    Args:
        intake: The intake (its optional Import log sheet).

    Returns:
        One ``{"subject", "note"}`` per import.
    """
    log = intake.tables.get("Import log")
    notes = []

    def given(v: Any) -> bool:
        return v is not None and v is not pd.NaT and not (isinstance(v, float) and pd.isna(v)) and v != ""

    for _, row in log.iterrows() if log is not None else iter(()):
        parts = [
            f"{count(int(row['Rows']), 'row')} of {row['Export']}"
            + (f" ({row['Source']})" if given(row["Source"]) else "")
        ]
        if given(row["First date"]) and given(row["Last date"]):
            parts[0] += f", {days(row['First date'], row['Last date'])}"
        if given(row["Rate"]):
            was = row["Export currency"] if given(row["Export currency"]) else "the export's currency"
            parts.append(f"amounts converted from {was} at {row['Rate']:g}")
        elif given(row["Export currency"]):
            parts.append(f"in {row['Export currency']}")
        if given(row["Time zone"]):
            parts.append(f"days in {row['Time zone']}")
        if given(row["Notes"]):
            parts.append(str(row["Notes"]))
        when = f" on {day(row['Imported at'])} at {row['Imported at']:%H:%M}" if given(row["Imported at"]) else ""
        notes.append({"subject": "Import log", "note": f"Imported{when}: " + "; ".join(parts)})
    return notes


def forecast_notes(method: str) -> list[dict[str, str]]:
    """The Data Note on the forecast: its method and its measured coverage, in one sentence.

    Args:
        method: The forecast's method statement (see :func:`mops_xl.analysis.forecast.method_statement`).

    Returns:
        One note, subject "Forecast".
    """
    return [{"subject": "Forecast", "note": method}]


def lumpy_notes(cycles: Mapping[str, int], window_days: int) -> list[dict[str, str]]:
    """One Data Note per channel that spends on some days only: its trend compares whole cycles, its budget pace and
    plan count each spend as paying for the cycle from it.

    Args:
        cycles: Channel → its spend cycle in days.
        window_days: W, the Trend window setting.

    Returns:
        E.g. ``{"subject": "Webinars", "note": "Webinars spends on some days only (about every 14 days): its trend
        is judged fortnight against fortnight, and its budget pace and plan by the fortnight (each spend pays for the
        14 days from it)"}``.
    """
    notes = []
    for channel, cycle in cycles.items():
        days = judging_days(window_days, cycle)
        judged = cycle_against_cycle(cycle) if days == cycle else f"{days} days against the {days} days before"
        by_cycle = {7: "week", 14: "fortnight"}.get(int(cycle), f"{int(cycle)}-day cycle")
        note = (
            f"{channel} spends on some days only (about every {cycle} days): its trend is judged {judged}, and its "
            f"budget pace and plan by the {by_cycle} (each spend pays for the {cycle} days from it)"
        )
        notes.append({"subject": str(channel), "note": note})
    return notes
