"""The roll-up workbook: one row per intake of a batch (spend, customers, CAC, ROAS, pace, the KPI boxes' statuses,
the headline, which targets the period will hit and how sure that is, the main moves and new actions since the
previous report, the actions, the plan for the rest of the period's totals and the number of decisions for
leadership)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter

from mops_xl.analysis.review.changes import NEW, Changes
from mops_xl.analysis.story.landing import landing_summary
from mops_xl.atomic import OUTPUT_PROPERTY, atomic_output, private_workdir
from mops_xl.intake.currencies import symbol

if TYPE_CHECKING:
    from mops_xl.batch.task import BatchResult

ROLLUP_HEADERS = (
    "File",
    "Business",
    "Status",
    "Period",
    "Report as of",
    "Currency",
    "Spend",
    "Customers",
    "CAC",
    "ROAS",
    "Pace",
    "Spend status",
    "KPIs, worst first",
    "Headline",
    "Where the period lands",
    "Main moves",
    "New actions",
    "Actions",
    "Top action",
    "Left to spend",
    "Planned rest of period",
    "Returned unspent",
    "Decisions for leadership",
    "Report",
)
#: The KPI moves the roll-up names per business.
MAIN_MOVES = 3
#: The roll-up's money columns: each in its business's currency (the Currency column).
MONEY = ("Spend", "CAC", "Left to spend", "Planned rest of period", "Returned unspent")


def main_moves(changes: Changes | None, n: int = MAIN_MOVES) -> str | None:
    """The largest KPI moves since the previous report, each in its shortest form ("CAC +$212"): the moves with the
    largest change relative to where they stood.

    Args:
        changes: What changed (None without a previous report).
        n: How many.

    Returns:
        The moves, "; "-joined ("none" when no KPI moved), or None without a previous report.
    """
    if changes is None:
        return None
    moved = [k for k in changes.kpis if k.change != 0 and not math.isnan(k.change)]
    moved.sort(key=lambda k: -abs(k.change / k.before) if k.before and not math.isnan(k.before) else 0.0)
    return "; ".join(k.sentence.split(":")[0] for k in moved[:n]) or "none"


def new_actions(changes: Changes | None) -> str | None:
    """The actions new since the previous report: "Subject: action", "; "-joined.

    Args:
        changes: What changed (None without a previous report).

    Returns:
        The actions ("none" when none is new), or None without a previous report.
    """
    if changes is None:
        return None
    return "; ".join(f"{x.subject}: {x.after}" for x in changes.actions if x.status == NEW) or "none"


def rollup_row(a: Any, source: Path, report: Path) -> dict[str, Any]:
    """One business's line of the roll-up.

    Args:
        a: The analysis.
        source: The intake.
        report: Its report.

    Returns:
        Header → value.
    """
    k, b, top = a.kpis, a.intake.business, a.top_actions
    return {
        "File": source.name,
        "Business": b["Business name"],
        "Status": "built",
        "Period": f"{a.window.start:%Y-%m-%d} to {a.window.end:%Y-%m-%d}",
        "Report as of": f"{a.window.as_of:%Y-%m-%d}",
        "Currency": b["Currency"],
        "Spend": k.loc["Spend", "Actual"],
        "Customers": a.tracking.value_if_tracked("Customers", k.loc["Customers", "Actual"]),
        "CAC": a.tracking.value_if_tracked("CAC", k.loc["CAC", "Actual"]),
        "ROAS": a.tracking.value_if_tracked("ROAS", k.loc["ROAS", "Actual"]),
        "Pace": a.total_pacing.pace,  # the KPI Framework's Spend attainment: all spend vs budget to date
        "Spend status": k.loc["Spend", "Status"],
        # the Dashboard's KPI boxes, chosen once by the engine (tracked KPIs with a target, worst first)
        "KPIs, worst first": "; ".join(f"{m}: {k.loc[m, 'Status']}" for m in a.kpi_boxes),
        "Headline": a.headline,
        # which targets the period will hit and how sure that is, as the Dashboard's block says it
        "Where the period lands": landing_summary(a.landing),
        # since the previous report (--previous): the largest KPI moves and the actions new to do; "–" without one
        "Main moves": main_moves(a.changes),
        "New actions": new_actions(a.changes),
        "Actions": len(top),  # the recommendations that ask for something (not Hold, not Not enough data)
        "Top action": "" if top.empty else f"{top.iloc[0]['Subject']}: {top.iloc[0]['Action']}",
        # the plan for the rest of the period, as --json's plan gives it
        "Left to spend": a.plan.left,
        "Planned rest of period": a.plan.planned,
        "Returned unspent": a.plan.returned_unspent,
        "Decisions for leadership": len(a.decisions_needed),
        "Report": str(report),
    }


def write_rollup(results: list[BatchResult], path: Path) -> Path:
    """Write the roll-up workbook: one row per intake (failed ones with their reason).

    Args:
        results: The batch results.
        path: Where to write it (atomically).

    Returns:
        The path.
    """
    with atomic_output(path) as tmp, private_workdir() as work:
        options = {"strings_to_formulas": False, "strings_to_urls": False, "tmpdir": work}
        wb = xlsxwriter.Workbook(str(tmp), options)
        wb.set_properties({"title": "mops-xl roll-up", "created": dt.datetime.now()})
        wb.set_custom_property(OUTPUT_PROPERTY, "roll-up")
        header = wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1})
        number, pct = (wb.add_format({"num_format": f}) for f in ("#,##0", "0.0%"))
        ratio = wb.add_format({"num_format": '0.0":1"'})
        money: dict[str, Any] = {}  # one money format per currency: each business's amounts carry its own
        ws = wb.add_worksheet("Roll-up")
        ws.write_row(0, 0, list(ROLLUP_HEADERS), header)
        kinds = {"Customers": number, "ROAS": ratio, "Pace": pct, "Decisions for leadership": number}
        for r, res in enumerate(results, start=1):
            row = res.row or {"File": res.source.name, "Status": res.status, "Top action": res.message}
            code = str(row.get("Currency") or "")
            if code not in money:
                money[code] = wb.add_format({"num_format": f'"{symbol(code)}"#,##0.00' if code else "#,##0.00"})
            for c, h in enumerate(ROLLUP_HEADERS):
                value = row.get(h)
                if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
                    ws.write_number(r, c, float(value), money[code] if h in MONEY else kinds.get(h))
                elif value is not None and not (isinstance(value, float) and math.isnan(value)):
                    ws.write_string(r, c, str(value))
                else:
                    ws.write_string(r, c, "–")
        ws.add_table(
            0,
            0,
            max(len(results), 1),
            len(ROLLUP_HEADERS) - 1,
            {"columns": [{"header": h} for h in ROLLUP_HEADERS], "style": "Table Style Light 9"},
        )
        ws.freeze_panes(1, 2)
        ws.set_column(0, 1, 24)
        ws.set_column(2, len(ROLLUP_HEADERS) - 1, 14)
        for h, w in (("KPIs, worst first", 48), ("Headline", 80), ("Main moves", 40), ("New actions", 40)):
            ws.set_column(ROLLUP_HEADERS.index(h), ROLLUP_HEADERS.index(h), w)
        wb.close()
    return path
