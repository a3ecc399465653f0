"""The engine's results as one JSON document, and as the short summary `mops-xl build` prints.

JSON conventions: numbers are numbers, an undefined value is ``null`` with its reason under the row's
``"undefined"`` key, dates are ISO ``YYYY-MM-DD``. In ``forecast``, a ratio's Low, Likely or High figure that is
infinite (CAC on paths with no customer) is undefined too, so ``null``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from mops_xl import __version__
from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.tracking import Tracking, needs
from mops_xl.analysis.blocks.wording import day, money, period_dates, redone
from mops_xl.analysis.engine import KPI_COLUMNS, Analysis
from mops_xl.analysis.figures.performance import Blended, ratios, undefined_reason
from mops_xl.analysis.figures.targets import is_volume
from mops_xl.analysis.figures.volumes import VOLUMES
from mops_xl.analysis.forecast import PeriodForecast
from mops_xl.analysis.review.changes import Changes
from mops_xl.analysis.story.landing import landing_summary
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.plan_summary import decision_lines, plan_totals, totals_line

#: The layout's version: 3 added ``plan`` and ``decisions_needed``, and the recommendations' plan columns; 4 made
#: ``budget_needed`` the spend that reaches each target with a 50 % and an 80 % chance, and added
#: ``forecast.summary`` and ``forecast.lines``.
JSON_VERSION = 4
#: Each channel's entry of ``plan.channels``, in order (its Action is the recommendations' one).
PLAN_CHANNEL_KEYS = (
    "Channel",
    "Action",
    "Spend to date",
    "Remaining budget",
    "Current daily spend",
    "Planned daily spend",
    "Planned rest of period",
    "Expected customers change",
    "Expected revenue change",
    "Reason",
)
#: Each KPI's entry of ``forecast.kpis`` and ``forecast.with_plan``, in order (``forecast.channels``: "Channel"
#: first).
FORECAST_KEYS = ("Metric", "Actual to date", "P10", "P50", "P90", "Target", "Chance of target")


def plain(value: Any) -> Any:
    """Turn a pandas/numpy value into what JSON holds: NaN → None, Timestamp → ISO date, numpy → Python.

    Args:
        value: Any cell value.

    Returns:
        A JSON-ready value.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def records(frame: pd.DataFrame, index_name: str | None = None) -> list[dict[str, Any]]:
    """Return a table as a list of JSON-ready row dicts.

    Args:
        frame: The table.
        index_name: Include the index under this key (None: leave it out).

    Returns:
        The rows.
    """
    out = []
    for idx, row in frame.iterrows():
        rec = {index_name: plain(idx)} if index_name else {}
        rec.update({str(k): plain(v) for k, v in row.items()})
        out.append(rec)
    return out


def _with_reasons(
    rows: list[dict[str, Any]], metrics: tuple[str, ...], source: pd.DataFrame, tracking: Tracking | None = None
) -> None:
    """Give each row's null figures their reason under ``"undefined"``: not tracked first, else why undefined."""
    for rec, (subject, values) in zip(rows, source.iterrows(), strict=False):
        reasons = {m: _reason(m, dict(values), subject, tracking) for m in metrics if rec.get(m) is None}
        reasons = {m: r for m, r in reasons.items() if r}
        if reasons:
            rec["undefined"] = reasons


def _reason(metric: str, values: dict[str, Any], subject: Any, tracking: Tracking | None) -> str | None:
    """Why one subject's figure is null: the channel does not track it (``tracking`` given), a volume it needs
    is missing (campaigns), or the ratio's denominator is 0."""
    if tracking is not None:
        reason = tracking.reason(metric, subject)
        if reason is not None:
            return reason
    else:
        missing = [v for v in needs(metric) if pd.isna(values.get(v))]
        if missing:
            return f"not tracked: every Actuals row of the campaign leaves {missing[0]} blank"
    return undefined_reason(metric, values)


def to_dict(a: Analysis) -> dict[str, Any]:
    """Return every figure of an analysis as one JSON-ready document (see docs/metrics.md, "JSON").

    Args:
        a: The analysis.

    Returns:
        The document.
    """
    b = a.intake.business
    cur = symbol(b["Currency"])
    channels = records(a.channels, "Channel")
    figures = tuple(m.name for m in catalogue.current() if m.per_channel)
    _with_reasons(channels, figures, a.channels.assign(LTV=b["Customer lifetime value"]), a.tracking)
    campaigns = records(a.campaigns.reset_index())
    _with_reasons(campaigns, VOLUMES + tuple(r.name for r in ratios()), a.campaigns)
    kpis = records(a.kpis[list(KPI_COLUMNS)])
    for rec in kpis:
        _kpi_reasons(rec, a)
    return {
        "mops_xl_version": __version__,
        "json_version": JSON_VERSION,
        "business": {k: plain(v) for k, v in b.items()},
        "window": _window(a),
        "settings": {k: plain(v) for k, v in a.intake.settings.items()},
        "definitions": a.definitions,
        "kpis": kpis,
        "kpi_boxes": a.kpi_boxes,
        "headline": a.headline,
        "not_tracked": _not_tracked(a.tracking),
        "blended": _blended(a.blended),
        "previous_period": _blended(a.previous) if a.previous is not None else None,
        "channels": channels,
        "campaigns": campaigns,
        "budget_pacing": records(a.pacing_lines.reset_index().rename(columns={"row": "Budget row"})),
        "unbudgeted_spend": {k: plain(v) for k, v in a.unbudgeted.items()},
        "total_pacing": _total_pacing(a),
        "spend_curve": records(a.spend_curve, "Date"),
        "weekly_trend": records(a.weekly),
        "budget_needed": _forecast_rows(a.needed, tuple(a.needed.columns)),
        "recommendations": records(a.recommendations),
        "plan": plan_document(a),
        "decisions_needed": records(a.decisions_needed),
        "forecast": {
            **forecast_document(a.forecast, a.forecast_with_plan),
            "summary": landing_summary(a.landing),
            "lines": [line.sentence(a.window.end, cur) for line in a.landing],
        },
        "warnings": a.warnings,
        "experiments": records(a.experiments),
        "martech": {
            "stack": _plain_dataclass(a.stack),
            "integrations": _plain_dataclass(a.integrations),
            "funnel_coverage": _plain_dataclass(a.funnel),
            "team": _plain_dataclass(a.team),
        },
        "maturity": _plain_dataclass(a.maturity),
        "attribution": _attribution(a),
        "reallocation": records(a.reallocation),
        "reallocation_basis": a.plan_basis,
        "reallocation_what_if": records(a.what_if, "Channel"),
        "campaign_plans": [_plain_dataclass(plan) for plan in a.campaign_plans],
        "notes": a.notes,
        "validation": a.intake.report.to_dict()["problems"],
        "changes": changes_document(a.changes),
    }


def changes_document(changes: Changes | None) -> dict[str, Any] | None:
    """What changed since the previous report (``--previous``), or None without one (docs/metrics.md, "What
    changed").

    Args:
        changes: The comparison.

    Returns:
        The document: each KPI's move with its drivers (whose Effects add up to its Change), the weekly view, the
        actions, the definitions, the restated figures, the forecast's drift and the summary.
    """
    if changes is None:
        return None
    return {
        "previous_as_of": changes.previous_as_of,
        "as_of": changes.as_of,
        "same_period": changes.same_period,
        "why_weekly_only": changes.why_weekly_only,
        "kpis": [
            {
                "Metric": m.metric,
                "Before": plain(m.before),
                "After": plain(m.after),
                "Change": plain(m.change),
                "Drivers": [
                    {"Driver": d.driver, "Effect": plain(d.effect), "Parts": {k: plain(v) for k, v in d.parts.items()}}
                    for d in m.drivers
                ],
                "Sentence": m.sentence,
            }
            for m in changes.kpis
        ],
        "weekly": [
            {
                "Channel": r.channel,
                "Metric": r.metric,
                "Last 7 days": plain(r.last_week),
                "7 days before": plain(r.week_before),
                "Change": plain(r.change),
                "Score": plain(r.score),
                "Verdict": r.verdict,
                "Note": r.note,
            }
            for r in changes.weekly
        ],
        "actions": [
            {"Subject": x.subject, "Before": x.before, "After": x.after, "Status": x.status, "Signal": x.signal}
            for x in changes.actions
        ],
        "definitions": [{"What": d.what, "Before": d.before, "After": d.after} for d in changes.definitions],
        "restated": [
            {
                "Channel": r.channel,
                "Date": r.date,
                "Field": r.field,
                "Before": plain(r.before),
                "After": plain(r.after),
                "Amount": plain(r.amount),
            }
            for r in changes.restated
        ],
        "forecast": [
            {
                "Metric": f.metric,
                "Target": plain(f.target),
                "Chance before": plain(f.chance_before),
                "Chance after": plain(f.chance_after),
                "Likely before": plain(f.likely_before),
                "Likely after": plain(f.likely_after),
                "Why": f.why,
            }
            for f in changes.forecast
        ],
        "summary": changes.summary,
    }


def plan_document(a: Analysis) -> dict[str, Any]:
    """The plan for the rest of the period: its totals, one entry per channel and its moves.

    Args:
        a: The analysis.

    Returns:
        The totals (:data:`~mops_xl.outputs.plan_summary.TOTALS`), ``channels`` (:data:`PLAN_CHANNEL_KEYS`; the
        Action is the channel's one action, as in ``recommendations``) and ``moves`` (From, To, Budget to move this
        period: where every amount taken from a channel goes).
    """
    actions = dict(zip(a.recommendations["Subject"], a.recommendations["Action"], strict=True))
    table = a.plan.table.assign(Action=[actions.get(ch, act) for ch, act in a.plan.table["Action"].items()])
    return {
        **{k: plain(v) for k, v in plan_totals(a.plan).items()},
        "channels": records(table.reset_index()[list(PLAN_CHANNEL_KEYS)]),
        "moves": [{"From": m.source, "To": m.to, "Budget to move this period": plain(m.amount)} for m in a.plan.moves],
    }


def forecast_document(forecast: PeriodForecast, with_plan: PeriodForecast) -> dict[str, Any]:
    """Where the period lands: the dates, the method, every KPI for all channels and per channel, and every KPI
    with the plan.

    Args:
        forecast: The forecast "if the current pattern continues".
        with_plan: The forecast "with the plan".

    Returns:
        ``as_of``, ``period_end`` (ISO dates), ``method`` (one sentence with its measured coverage), ``kpis``
        (:data:`FORECAST_KEYS`; "Chance of target" a fraction from 0 to 1, ``null`` without a target),
        ``channels`` ("Channel", then :data:`FORECAST_KEYS`) and ``with_plan`` (as ``kpis``).
    """
    return {
        "as_of": plain(forecast.as_of),
        "period_end": plain(forecast.period_end),
        "method": forecast.method,
        "kpis": _forecast_rows(forecast.kpis, FORECAST_KEYS),
        "channels": _forecast_rows(forecast.channels, ("Channel", *FORECAST_KEYS)),
        "with_plan": _forecast_rows(with_plan.kpis, FORECAST_KEYS),
    }


def _forecast_rows(table: pd.DataFrame, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """A forecast table's rows (``keys`` only) as JSON-ready dicts: infinite and NaN figures → ``None``."""
    return [{key: plain(row[key]) for key in keys} for row in table.to_dict("records")]


def _window(a: Analysis) -> dict[str, Any]:
    """The reporting window: its dates, its days, the previous period, and whether Actuals fall in it."""
    w = a.window
    return {
        "period_start": plain(w.start),
        "period_end": plain(w.end),
        "report_as_of": plain(w.as_of),
        "period_days": w.period_days,
        "elapsed_days": w.elapsed_days,
        "previous_period": [plain(x) for x in w.previous],
        "provisional_from": plain(w.provisional_from),
        "has_data": a.has_data,
        "actuals_rows": a.window_rows,
    }


def _attribution(a: Analysis) -> dict[str, Any] | None:
    """Every model's credit, the plan's model and its attributed figures, and the journeys' coverage (None without
    journey data)."""
    credit = a.attribution
    if credit is None:
        return None
    return {
        "source": credit.source,
        "model": a.attribution_model,
        "conversions": records(credit.conversions, "Channel"),
        "value": records(credit.value, "Channel"),
        "removal_effects": {k: plain(v) for k, v in credit.removal_effects.items()},
        "attributed": records(a.attributed, "Channel"),
        "channels_affected": a.affected,
        "channels_affected_by_model": a.affected_by_model,
        "cannot_run": credit.cannot_run,
        "on_actuals_conversions": records(credit.actual_conversions, "Channel"),
        "on_actuals_value": records(credit.actual_value, "Channel"),
        "coverage": _coverage(a),
        "notes": credit.notes,
    }


def _total_pacing(a: Analysis) -> dict[str, Any]:
    """The total pace ("are we on budget?") with the reason of every undefined figure."""
    total = _plain_dataclass(a.total_pacing)
    if total["budget"] is None:
        reason = "no budget line overlaps the period"
        total["undefined"] = {k: reason for k, v in total.items() if v is None}
    elif total["pace"] is None:
        total["undefined"] = {"pace": "no spend expected to date: no budget line has started, or they plan 0"}
    if total.get("daily_to_land") is None and total["budget"] is not None:
        total.setdefault("undefined", {})["daily_to_land"] = "no day of the period is left"
    return total


def _not_tracked(tracking: Tracking) -> dict[str, Any]:
    """What is not tracked: the Actuals columns no channel tracks, and per channel the others it leaves blank."""
    everywhere = [c for c in tracking.by_channel.columns if not tracking.blended(c)]
    channels = {
        str(ch): missing
        for ch, row in tracking.by_channel.iterrows()
        if tracking.has_rows[ch] and (missing := [c for c in row.index if c not in everywhere and not row[c]])
    }
    return {"columns": everywhere, "channels": channels}


def _kpi_reasons(rec: dict[str, Any], a: Analysis) -> None:
    """Give a KPI row's null figures their reason: every figure of a metric that is not tracked, else the
    Actual's."""
    metric = rec["Metric"]
    reason = a.tracking.reason(metric)
    if reason is not None:
        columns = ("Actual", "Attainment", "Previous period", "Change")
        rec["undefined"] = {c: reason for c in columns if rec[c] is None}
    elif rec["Actual"] is None:
        values = dict(a.blended.volumes, LTV=a.intake.business["Customer lifetime value"])
        reason = undefined_reason(metric, values) or ("no data" if not a.has_data else None)
        if reason:
            rec["undefined"] = {"Actual": reason}


def _plain_dataclass(obj: Any) -> Any:
    """A dataclass (with DataFrames, lists and nested dataclasses inside) as JSON-ready data."""
    if obj is None:
        return None
    if isinstance(obj, pd.DataFrame):
        return records(obj)
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain_dataclass(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain_dataclass(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain_dataclass(v) for v in obj]
    return plain(obj)


def _blended(b: Blended) -> dict[str, Any]:
    """The all-channel figures under their catalogue names: volumes, channel ratios, then the others."""
    return {
        "volumes": {k: plain(v) for k, v in b.volumes.items()},
        "ratios": {k: plain(v) for k, v in b.ratios.items()},
        **{k: plain(v) for k, v in b.others.items()},
        "Stack cost": plain(b.stack_cost),
    }


def terminal_summary(a: Analysis) -> str:
    """The short text `mops-xl build` prints: the headline, the Dashboard's KPI boxes, the actions that ask for
    something, the plan's totals, the decisions for leadership and what the figures found to check (the Data
    Notes' warnings).

    Args:
        a: The analysis.

    Returns:
        The text.
    """
    cur = symbol(a.intake.business["Currency"])
    lines = [
        f"{a.intake.business['Business name']} — {period_dates(a.window.start, a.window.end)}, "
        f"as of {day(a.window.as_of)} (day {a.window.elapsed_days} of {a.window.period_days})",
        a.headline,
    ]
    width = max([5] + [len(m) for m in a.kpi_boxes])
    for m in a.kpi_boxes:
        k = a.kpis.loc[m]
        target = k["Target to date"] if is_volume(m) else k["Target"]
        target_text, actual_text = redone(m, target, k["Actual"], k["Attainment"], cur)  # the KPI Framework's
        lines.append(f"  {m:<{width}} {actual_text:>12}  vs {target_text:>12}  {k['Status']}")
    top = a.top_actions
    if top.empty:
        lines.append("No action: every channel holds.")
    else:
        lines.append(f"Actions ({len(top)}; every channel's on the Optimization Actions sheet):")
        for _, r in top.iterrows():
            label = r["Money at stake is"]  # the amount the Dashboard shows, under the same name
            amount = f" ({label.lower()} {money(r['Money at stake'], cur)})" if label else ""
            lines.append(f"  {r['Priority']}. {r['Subject']}: {r['Action']}{amount}")
    if a.landing:
        lines.append(f"Where the period lands by {day(a.window.end)}: {landing_summary(a.landing)}".rstrip())
        lines += [f"  {line.sentence(a.window.end, cur)}" for line in a.landing]
    lines.append(f"Plan for the rest of the period: {totals_line(a.plan, cur)}")
    decisions = decision_lines(a.decisions_needed, cur)
    if decisions:
        lines.append(f"Decisions for leadership ({len(decisions)}; on the Dashboard):")
        lines += [f"  {line}" for line in decisions]
    else:
        lines.append("Decisions for leadership: none.")
    if a.warnings:  # what the figures found to check (a channel whose data stops early, blank funnel days …)
        lines.append(f"To check ({len(a.warnings)}; in the Data Notes):")
        lines += [f"  {w['subject']}: {w['warning']}" for w in a.warnings]
    return "\n".join(lines)


def _coverage(a: Analysis) -> dict[str, Any]:
    """The journeys' coverage of Actuals and the reliability flag the reallocation plan reads."""
    cov = a.attribution_coverage
    assert cov is not None  # called only when the intake has journeys
    return {
        "journeys": cov.journeys_text,
        "journey_conversions": plain(cov.journey_conversions),
        "journey_value": plain(cov.journey_value),
        "customers": plain(cov.customers),
        "revenue": plain(cov.revenue),
        "conversions_coverage": plain(cov.conversions_coverage),
        "value_coverage": plain(cov.value_coverage),
        "reliable": cov.reliable,
        "warning": cov.warning(),
    }
