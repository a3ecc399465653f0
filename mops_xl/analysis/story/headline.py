"""The Dashboard's story: which KPI boxes a leader sees, and the one sentence that says how the period goes.

Both are chosen once here, from the engine's figures; the Dashboard, the text framework, the terminal summary
and the batch roll-up only lay them out (docs/metrics.md, "KPI boxes and headline").
"""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.blocks.statuses import (
    AHEAD,
    AT_RISK,
    NO_DATA,
    OFF_TRACK,
    ON,
    ON_TRACK,
    OVER,
    UNDER,
    UNDERPERFORMING,
)
from mops_xl.analysis.blocks.tracking import Tracking
from mops_xl.analysis.blocks.wording import day, percent, period, redone
from mops_xl.analysis.figures.targets import is_volume
from mops_xl.plural import and_list

#: The KPI Framework figures a box may show. Spend is left out: the Dashboard's spend panel answers "are we
#: on budget?" (and Spend vs target with it).
BOX_METRICS = ("Leads", "MQLs", "SQLs", "Customers", "Revenue", "CPL", "CAC", "LTV:CAC", "ROAS")
#: When fewer than :data:`BOX_MINIMUM` figures have a target, these fill the boxes up (showing "No target").
BOX_FILLERS = ("MQLs", "SQLs", "CAC", "ROAS")
BOX_MINIMUM, BOX_MAXIMUM = 4, 6
#: Worst first: the order of the statuses of figures with a target (No data is a problem to look at).
SEVERITY = {OFF_TRACK: 0, AT_RISK: 1, NO_DATA: 2, ON_TRACK: 3, AHEAD: 4}


def choose_kpi_boxes(kpis: pd.DataFrame, tracked: set[str] | frozenset[str]) -> list[str]:
    """Choose the KPI boxes: the tracked figures with a target, worst first, at most :data:`BOX_MAXIMUM`;
    when fewer than :data:`BOX_MINIMUM`, filled up with the tracked ones of :data:`BOX_FILLERS`.

    Worst first means by status (Off track, At risk, No data, On track, Ahead), then by attainment (the lower,
    the worse), then in the KPI Framework's order.

    Args:
        kpis: The KPI Framework table (index: metric; columns Target, Attainment, Status).
        tracked: The figures the intake tracks for all channels together.

    Returns:
        The metrics, in the order the boxes show them.
    """
    judged = [m for m in BOX_METRICS if m in tracked and not pd.isna(kpis.loc[m, "Target"])]
    order = {m: i for i, m in enumerate(BOX_METRICS)}

    def worst(m: str) -> tuple[int, float, int]:
        att = kpis.loc[m, "Attainment"]
        return SEVERITY.get(kpis.loc[m, "Status"], 2), math.inf if pd.isna(att) else float(att), order[m]

    boxes = sorted(judged, key=worst)[:BOX_MAXIMUM]
    for m in BOX_FILLERS:
        if len(boxes) >= BOX_MINIMUM:
            break
        if m in tracked and m not in boxes:
            boxes.append(m)
    return boxes


def _detail(metric: str, k: pd.Series, prefix: str) -> str:
    """How far off a figure is: volumes as a share of the target to date, the others against their target."""
    if is_volume(metric):
        return f"at {percent(k['Attainment'])} of target to date"
    target, actual = redone(metric, k["Target"], k["Actual"], k["Attainment"], prefix)  # as the KPI box shows them
    return f"at {actual} against {target}"


def headline_sentence(
    *,
    kpis: pd.DataFrame,
    boxes: list[str],
    channels: pd.DataFrame,
    spend_status: str,
    spend_pace: float,
    start: pd.Timestamp,
    end: pd.Timestamp,
    as_of: pd.Timestamp,
    prefix: str,
    data_through: str = "",
) -> str:
    """The one sentence that says how the period is going, from the boxes' statuses, the spend pace and the
    channels that are off pace or off track (and, when some channel's data stops early, the sentence that says so).

    The period is named once, then the report date: "Q3 2026, as of 10 Sep 2026", "February–April 2026, as of
    14 Mar 2026", "1 Feb–30 Apr 2026, as of 14 Mar 2026" (:func:`mops_xl.analysis.blocks.wording.period`).

    Example: "Q3 2026, as of 10 Sep 2026: SQLs on track; CAC ahead; MQLs at risk at 89.2% of target to date;
    ROAS off track at 3.13:1 against 4.0:1; spend over pace at 110.1% of budget to date. LinkedIn Ads is over pace
    and underperforming."

    Args:
        kpis: The KPI Framework table.
        boxes: The KPI boxes (see :func:`choose_kpi_boxes`).
        channels: The channel scorecard (Status, Pacing status per channel).
        spend_status: The status of all spend against the budget to date.
        spend_pace: Its pace (spend ÷ budget to date).
        start: The period's first day.
        end: Its last day.
        as_of: The report date.
        prefix: The currency prefix.
        data_through: The sentence naming the lagging channels' last data dates ("" without one; see
            :func:`mops_xl.analysis.blocks.data_dates.data_through_sentence`), said after the channels'.

    Returns:
        The sentence.
    """
    judged = [m for m in boxes if kpis.loc[m, "Status"] in SEVERITY]
    parts = []
    for state, word in ((ON_TRACK, "on track"), (AHEAD, "ahead"), (NO_DATA, "{} no data")):
        names = [m for m in judged if kpis.loc[m, "Status"] == state]
        if names:
            parts.append(f"{and_list(names)} {word.format('has' if len(names) == 1 else 'have')}".rstrip())
    for state, word in ((AT_RISK, "at risk"), (OFF_TRACK, "off track")):
        parts += [f"{m} {word} {_detail(m, kpis.loc[m], prefix)}" for m in judged if kpis.loc[m, "Status"] == state]
    if spend_status in (OVER, UNDER) and not pd.isna(spend_pace):
        parts.append(f"spend {spend_status.lower()} at {percent(spend_pace)} of budget to date")
    elif spend_status == ON:
        parts.append("spend on pace")
    if not parts:
        parts.append("no KPI has a target yet")
    sentence = f"{period(start, end)}, as of {day(as_of)}: {'; '.join(parts)}."
    return " ".join([sentence, *_channel_sentences(channels), *([data_through] if data_through else [])])


def _channel_sentences(channels: pd.DataFrame) -> list[str]:
    """One sentence per channel that is off pace or off track ("LinkedIn Ads is over pace and underperforming")."""
    out = []
    for name, c in channels.iterrows():
        issues = [c["Pacing status"].lower()] if c["Pacing status"] in (OVER, UNDER) else []
        if c["Status"] == OFF_TRACK:
            issues.append(UNDERPERFORMING)
        if issues:
            out.append(f"{name} is {and_list(issues)}.")
    return out


def kpi_boxes(kpis: pd.DataFrame, tracking: Tracking) -> list[str]:
    """Choose the KPI boxes the Dashboard, the framework, the terminal summary and the roll-up show (see
    :func:`mops_xl.analysis.story.headline.choose_kpi_boxes`).

    Args:
        kpis: The KPI Framework table.
        tracking: What the intake tracks.

    Returns:
        The metrics, worst first.
    """
    return choose_kpi_boxes(kpis, {m for m in BOX_METRICS if tracking.blended(m)})
