"""What each section of the framework shows: the analysis as plain, formatted rows (the templates format nothing).

:func:`framework_context` gives the templates one entry per section, each built by its own function. A table whose
columns two sections share (the channel strategy, the KPI Framework) is built once as records keyed by the column
headers the templates print, and each table picks its columns by those names.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.statuses import FIX, FREE_BUDGET, PAUSE, ROLL_OUT, SCALE, THROTTLE
from mops_xl.analysis.blocks.wording import (
    UNDEFINED,
    day,
    figure,
    money,
    percent,
    period_dates,
    redone,
    threshold,
)
from mops_xl.analysis.decisions.recommendations import AS_BUILT
from mops_xl.analysis.decisions.triggers import AB_WINNER, HIGH_PERFORMER, OVERSPENDING, UNDERPERFORMING
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.attribution import COVERAGE_HIGH, COVERAGE_LOW, SETTING_NAMES
from mops_xl.analysis.figures.targets import is_volume
from mops_xl.analysis.forecast import chance_in_words
from mops_xl.analysis.review.changes import CHANGED, CLEARED, NEW
from mops_xl.analysis.story.landing import RANGE_NOTE, landing_summary
from mops_xl.campaigns.library import PHASES, TEMPLATES
from mops_xl.intake.currencies import symbol
from mops_xl.intake.schema import ATTRIBUTION_MODELS
from mops_xl.outputs.forecast_columns import chance_text, kpi_forecast, spoken
from mops_xl.outputs.framework.plan_rows import plan_context
from mops_xl.plural import count

LIFECYCLE = (
    ("Planning", "week 1", "Brief, goals, audience, budget, tracking plan"),
    ("Creation", "weeks 2-3", "Assets, landing pages, emails, ads, QA"),
    ("Launch", "week 4", "Go/no-go, publish, launch-day monitoring"),
    ("Optimization", "ongoing", "Pacing, A/B tests, budget shifts"),
    ("Reporting", "after the end", "Results vs target, retro, template update"),
)
MODEL_USE_CASES = {
    "first touch": "Credit the channel that started the journey: judging awareness spend",
    "last touch": "Credit the channel that closed: conversion optimisation",
    "linear": "Equal credit to every touch: a balanced multi-touch view",
    "time decay": "More credit to recent touches: short sales cycles",
    "position based": "40% first, 40% last, 20% in between: discovery and closing both matter",
    "markov": "Removal effect on the journey graph: data-driven budget allocation",
    "shapley": "Each channel's fair share of joint conversions: order-agnostic, data-driven",
}
#: The channel strategy (the Markdown table), and the two tables the text splits it into.
CHANNEL_STRATEGY = ("Channel", "Role", "Stage", "Budget %", "Expected CAC", "CAC target", "Actual CAC", "Audience")
CHANNEL_ROLES = ("Channel", "Role", "Stage", "Audience")
CHANNEL_ECONOMICS = ("Channel", "Budget %", "Expected CAC", "CAC target", "Actual CAC")
#: The KPI Framework (the Markdown table), and the text's table without the definitions (a box of their own).
KPI_FRAMEWORK = ("Metric", "Definition", "Target", "Target to date", "Actual", "Attainment", "Status")
KPI_FIGURES = ("Metric", "Target", "Target to date", "Actual", "Attainment", "Status")
#: Where each KPI lands: the KPI Framework's forecast columns, with the target the chance is of.
KPI_FORECAST = ("Metric", "Low", "Likely", "High", "Target", "Chance of target")

Records = list[dict[str, str]]


def framework_context(a: Analysis) -> dict[str, Any]:
    """Everything the framework shows, as formatted text rows.

    Args:
        a: The engine's results.

    Returns:
        The template context: one key per section (and the maturity phases).
    """
    cur = symbol(a.intake.business["Currency"])
    return {
        "business": business_section(a, cur),
        "stack": stack_section(a, cur),
        "campaigns": campaigns_section(a),
        "channels": channels_section(a, cur),
        "kpis": kpis_section(a, cur),
        "landing": landing_section(a, cur),
        "changes": changes_section(a, cur),
        "cadence": cadence_section(a, cur),
        "team": team_section(a),
        "maturity": maturity_section(a),
        "phases": PHASES,
    }


def columns(records: Records, names: tuple[str, ...]) -> list[list[str]]:
    """A table's rows: each record's values under the given column headers, in that order.

    Args:
        records: One dict per row, keyed by column header.
        names: The headers to keep.

    Returns:
        The rows.
    """
    return [[r[name] for name in names] for r in records]


def business_section(a: Analysis, cur: str) -> dict[str, Any]:
    """The business at a glance: name, team, channels, budget, the report date and spend against budget.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context.
    """
    b, channels, window = a.intake.business, a.channels, a.window
    budget = a.kpis.loc["Spend", "Target"]
    return {
        "name": b["Business name"],
        "team_size": _text(b["Team size"]) or "not given",
        "channels": f"{len(channels)} ({', '.join(map(str, channels.index))})",
        "budget": f"{_money(budget, cur)} for {period_dates(window.start, window.end)}",
        "as_of": f"{day(window.as_of)} (day {window.elapsed_days} of {window.period_days})",
        "spend": _spend_vs_budget(a, cur),
    }


def stack_section(a: Analysis, cur: str) -> dict[str, Any]:
    """The martech stack by stage, its gaps, cost and islands, and the integration map.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context.
    """
    return {
        "stages": [
            (stage, [f"{tool} ({category})" for tool, category in tools]) for stage, tools in a.stack.by_stage.items()
        ],
        "gaps": a.stack.gaps,
        "in_use": [f"{c}: {a.stack.coverage(c)[0].lower()}{a.stack.coverage(c)[1:]}" for c in a.stack.in_use],
        "cost": _money(a.stack.monthly_cost, cur),
        "islands": a.stack.islands,
        "empty": a.intake.table("Stack").empty,
        "integrations": [
            [
                _text(r["System"]),
                _text(r["Connects to"]),
                _text(r["Data flow"]),
                _text(r["Sync frequency"]),
                "Yes" if bool(r["Automated"]) else "No",
            ]
            for _, r in a.integrations.rows.iterrows()
        ],
        "automation": _pct(a.integrations.automation_share),
    }


def campaigns_section(a: Analysis) -> dict[str, Any]:
    """The campaign lifecycle, the campaign templates and the campaigns planned.

    Args:
        a: The engine's results.

    Returns:
        The section's context.
    """
    return {
        "lifecycle": LIFECYCLE,
        "templates": [[t.campaign_type, str(t.timeline_weeks), str(len(t.items)), t.reference] for t in TEMPLATES],
        "planned": [
            [
                _text(c["Campaign"]),
                _text(c["Type"]) or "–",
                day(c["Launch date"]),
                _text(c["Status"]),
                _text(c["Owner"]),
            ]
            for _, c in a.intake.table("Campaigns").iterrows()
        ],
    }


def channels_section(a: Analysis, cur: str) -> dict[str, Any]:
    """The channels' roles and economics, funnel coverage, attribution models and the budget reallocation.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context.
    """
    strategy = channel_strategy(a, cur)
    return {
        "strategy": columns(strategy, CHANNEL_STRATEGY),
        "roles": columns(strategy, CHANNEL_ROLES),
        "economics": columns(strategy, CHANNEL_ECONOMICS),
        "funnel": list(a.funnel.by_stage.items()),
        "funnel_gaps": a.funnel.gaps,
        "models": _attribution_models(a),
        "reallocation": _reallocation(a, cur),
        "basis": a.plan_basis,
        "has_journeys": a.attribution is not None,
        "coverage": _coverage(a, cur),
    }


def channel_strategy(a: Analysis, cur: str) -> Records:
    """Each channel's role, stage, budget share, CAC (expected, target, actual) and audience.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        One record per channel, keyed by :data:`CHANNEL_STRATEGY`.
    """
    return [
        {
            "Channel": str(name),
            "Role": _text(c["Role"]),
            "Stage": _text(c["Funnel stage"]),
            "Budget %": _pct(c["Budget %"]),
            "Expected CAC": _money(c["Expected CAC"], cur),
            "CAC target": _money(c["CAC target"], cur),
            "Actual CAC": figure("CAC", a.tracking.value_if_tracked("CAC", c["CAC"], name), cur),
            "Audience": _text(c["Target audience"]),
        }
        for name, c in a.channels.iterrows()
    ]


def landing_section(a: Analysis, cur: str) -> dict[str, Any]:
    """Where the period lands: which targets it will hit and how sure that is, then one sentence per KPI with a
    target (and Spend against the budget), as the Dashboard's block says it.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context: end, summary, lines, note.
    """
    return {
        "end": day(a.window.end),
        "summary": landing_summary(a.landing),
        "lines": [line.sentence(a.window.end, cur) for line in a.landing],
        "note": RANGE_NOTE,
    }


def changes_section(a: Analysis, cur: str) -> dict[str, Any] | None:
    """What changed since the previous report: the summary, each KPI's move in a sentence, the new, changed and
    cleared actions, the definitions that moved, how many days were restated and how each target's chance drifted.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context (since, summary, weekly_only, moves, actions, definitions, restated, forecast), or
        None without a previous report.
    """
    c = a.changes
    if c is None:
        return None
    said = {NEW: "New", CHANGED: "Changed", CLEARED: "Cleared"}
    actions = []
    for x in c.actions:
        if x.status in said:
            what = {NEW: x.after, CHANGED: f"{x.before} → {x.after}", CLEARED: f"was {x.before}"}[x.status]
            actions.append(f"{said[x.status]}: {x.subject}, {what}" + (f" ({x.signal})" if x.signal else ""))
    days = sorted({x.date for x in c.restated})
    channels = sorted({x.channel for x in c.restated})
    restated = (
        f"{count(len(days), 'day')} of Actuals restated on or before {day(c.previous_as_of)} ({', '.join(channels)}): "
        "data moved, not performance."
        if days
        else ""
    )
    return {
        "since": day(c.previous_as_of),
        "summary": c.summary,
        "weekly_only": "" if c.same_period else c.why_weekly_only,
        "moves": [k.sentence for k in c.kpis if k.change != 0],
        "actions": actions,
        "definitions": [f"{d.what}: {d.before or '(none)'} → {d.after or '(none)'}" for d in c.definitions],
        "restated": restated,
        "forecast": [
            f"{f.metric} (target {figure(f.metric, f.target, cur)}): chance {chance_in_words(f.chance_before)} → "
            f"{chance_in_words(f.chance_after)}; likely {figure(f.metric, f.likely_before, cur)} → "
            f"{figure(f.metric, f.likely_after, cur)}" + (f"; {f.why}" if f.why else "")
            for f in c.forecast
        ],
    }


def kpis_section(a: Analysis, cur: str) -> dict[str, Any]:
    """The KPI boxes, the KPI Framework, the funnel definitions and each channel's performance.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context.
    """
    kpis = a.kpis
    framework = kpi_framework(a, cur)
    return {
        "boxes": [
            (m, *reversed(_redone(a, m, "Target to date" if is_volume(m) else "Target", cur)), kpis.loc[m, "Status"])
            for m in a.kpi_boxes
        ],
        "framework": columns(framework, KPI_FRAMEWORK),
        "figures": columns(framework, KPI_FIGURES),
        "forecast": kpi_forecast_rows(a, cur),
        "definitions": [
            d if d.startswith(f"{m}:") else f"{m}: {d}" for m, d in zip(kpis.index, kpis["Definition"], strict=True)
        ],
        "channels": _channel_performance(a, cur),
    }


def kpi_forecast_rows(a: Analysis, cur: str) -> list[list[str]]:
    """Where each KPI the forecast covers lands at period end, as the KPI Framework shows it (the same figures,
    written the same way): Low, Likely, High, the row's target and the chance of it.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        One row per forecast KPI, in :data:`KPI_FORECAST`'s order.
    """
    rows = []
    for m, f in kpi_forecast(a).iterrows():
        metric = str(m)
        if all(not isinstance(f[c], str) and pd.isna(f[c]) for c in ("Low", "Likely", "High")):
            continue  # not forecast (MER, LTV:CAC, Fully-loaded CAC)
        chance = f["Chance of target"]
        rows.append(
            [
                metric,
                spoken(metric, f["Low"], cur),
                spoken(metric, f["Likely"], cur),
                spoken(metric, f["High"], cur, high=True),
                figure(metric, a.kpis.loc[m, "Target"], cur),
                chance if isinstance(chance, str) else chance_text(chance),
            ]
        )
    return rows


def kpi_framework(a: Analysis, cur: str) -> Records:
    """Each KPI's definition, target (for the period and to date), actual, attainment and status.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        One record per KPI, keyed by :data:`KPI_FRAMEWORK`.
    """
    records = []
    for m, k in a.kpis.iterrows():
        to_date, actual = _redone(a, str(m), "Target to date", cur)
        target = to_date if k["Target"] == k["Target to date"] else figure(str(m), k["Target"], cur)
        records.append(
            {
                "Metric": m,
                "Definition": k["Definition"],
                "Target": target,
                "Target to date": to_date,
                "Actual": actual,
                "Attainment": _pct(k["Attainment"]),
                "Status": k["Status"],
            }
        )
    return records


def _redone(a: Analysis, m: str, target: str, cur: str) -> tuple[str, str]:
    """A KPI's target (``target``: its column) and actual in words, with the decimals that let a reader redo its
    attainment, as the KPI Framework sheet shows them."""
    k = a.kpis.loc[m]
    return redone(m, k[target], a.tracking.value_if_tracked(m, k["Actual"]), k["Attainment"], cur)


def cadence_section(a: Analysis, cur: str) -> dict[str, Any]:
    """The review rhythm, the signals' thresholds, the actions read off the plan for the rest of the period (with
    why each was chosen), the plan's totals and moves, and the decisions for leadership.

    Args:
        a: The engine's results.
        cur: The currency prefix.

    Returns:
        The section's context.
    """
    return {
        "reviews": [
            [_text(r["Review"]), _text(r["Frequency"]), _text(r["Focus"]), _text(r["Attendees"])]
            for _, r in a.intake.table("Cadence").iterrows()
        ],
        "thresholds": _signal_thresholds(a.intake.settings),
        "as_built": AS_BUILT,
        **plan_context(a, cur),
        "why": [_why(r) for _, r in a.recommendations.iterrows()],
        "review": a.review.text if a.review is not None else "",
    }


def team_section(a: Analysis) -> dict[str, Any]:
    """The team, the standard roles it lacks and the tools nobody owns.

    Args:
        a: The engine's results.

    Returns:
        The section's context.
    """
    return {
        "people": [
            [
                _text(p["Role"]),
                _text(p["Name"]),
                _text(p["Responsibilities"]),
                ", ".join(p["Tools owned"] or []),
                _text(p["FTE"]),
            ]
            for _, p in a.team.people.iterrows()
        ],
        "missing": a.team.roles_missing,
        "unowned": a.team.unowned_tools,
    }


def maturity_section(a: Analysis) -> dict[str, Any]:
    """The maturity level, its score against the self-reported one, the module scores, evidence and next steps.

    Args:
        a: The engine's results.

    Returns:
        The section's context.
    """
    m = a.maturity
    return {
        "level": m.level,
        "score": _pct(m.score),
        "self": _pct(m.self_score),
        "modules": [[x.module, _pct(x.self_score), _pct(x.evidence_score), _pct(x.score)] for x in m.modules],
        "evidence": [e.text for e in m.evidence],
        "steps": [[s["phase"], s["action"], s["module"]] for s in m.next_steps],
        "phases": ("Assess", "Design", "Build", "Optimize"),
    }


def _money(value: Any, cur: str) -> str:
    return money(float(value), cur) if value is not None and not pd.isna(value) else UNDEFINED


def _pct(value: Any) -> str:
    """A measured share as every percentage of the report shows it ("89.4%"), "–" when undefined."""
    return percent(None if value is None or pd.isna(value) else float(value))


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, (str, list)) and pd.isna(value)) else str(value)


def _spend_vs_budget(a: Analysis, cur: str) -> str:
    """The answer to "are we on budget?": all spend to date against the budget to date, the pace, its status."""
    total = a.total_pacing
    if pd.isna(total.budget):
        return f"{_money(total.spend, cur)} spent; {total.status}: no budget line overlaps the period"
    pace = f" (pace {_pct(total.pace)})" if not pd.isna(total.pace) else ""
    return f"{_money(total.spend, cur)} of {_money(total.expected, cur)}{pace}: {total.status}"


def _attribution_models(a: Analysis) -> list[list[str]]:
    """Every attribution model (◆ marks the Settings choice), its use case and the channels it moves most."""
    chosen = a.intake.settings["Attribution model"]
    return [
        [m + (" ◆" if m == chosen else ""), MODEL_USE_CASES[m], _affected(a, SETTING_NAMES[m])]
        for m in ATTRIBUTION_MODELS
    ]


def _affected(a: Analysis, model: str) -> str:
    """The Channels Affected cell of a model: its own channels, or why it cannot run on the data."""
    if a.attribution is None:
        return "–"
    if not a.attribution.runnable(model):
        return "cannot run on this data"
    return ", ".join(a.affected_by_model.get(model, [])) or "none"


def _reallocation(a: Analysis, cur: str) -> list[list[str]]:
    """The plan's moves of budget: from, to, how much this period, why, and the net customers expected."""
    return [
        [
            str(r["From"]),
            str(r["To"]),
            _money(r["Budget to move this period"], cur),
            str(r["Reason"]),
            UNDEFINED if pd.isna(r["Net expected customers"]) else f"{r['Net expected customers']:+.1f}",
        ]
        for _, r in a.reallocation.iterrows()
    ]


def _coverage(a: Analysis, cur: str) -> str:
    """One sentence: the journeys' conversions and value against Actuals' customers and revenue (and the warning)."""
    cov = a.attribution_coverage
    if cov is None:
        return ""
    said = (
        f"Attribution coverage: journeys ({cov.journeys_text}) {cov.journey_conversions:,.0f} conversions, "
        f"{_money(cov.journey_value, cur)}; Actuals in the window {figure('Customers', cov.customers, cur)} "
        f"customers, {figure('Revenue', cov.revenue, cur)} ({_pct(cov.conversions_coverage)} of customers, "
        f"{_pct(cov.value_coverage)} of revenue)."
    )
    if cov.reliable:
        return said + " Attributed CAC and ROAS apply each model's shares to Actuals."
    return (
        said + f" Outside {threshold(COVERAGE_LOW)} to {threshold(COVERAGE_HIGH)}: attributed CAC and ROAS are "
        "unreliable; the reallocation plan uses the channels' own figures."
    )


def _channel_performance(a: Analysis, cur: str) -> list[list[str]]:
    """Each channel's spend, CAC, ROAS, trend with its verdict, and status."""
    show = a.tracking.value_if_tracked
    return [
        [
            str(name),
            _money(c["Spend"], cur),
            figure("CAC", show("CAC", c["CAC"], name), cur),
            figure("ROAS", show("ROAS", c["ROAS"], name), cur),
            f"{c['Trend']} {percent(c['Trend %'], signed=True)}" if not pd.isna(c["Trend %"]) else c["Trend"],
            c["Trend verdict"],
            c["Status"],
        ]
        for name, c in a.channels.iterrows()
    ]


#: What each trigger (a signal of the Settings thresholds) leads to: the seed's Optimization Actions table.
#: The plan decides each channel's one action (docs/metrics.md, "Precedence: one action per channel").
TRIGGERED_ACTIONS = {
    UNDERPERFORMING: f"{PAUSE}, {THROTTLE} or {FREE_BUDGET} (the plan takes its money); {FIX} when none can leave it",
    OVERSPENDING: f"{THROTTLE}: cap its daily spend to land on its budget",
    HIGH_PERFORMER: f"{SCALE} when the plan has budget to give it",
    AB_WINNER: f"{ROLL_OUT} the winning variant",
}


def _signal_thresholds(settings: dict[str, Any]) -> list[list[str]]:
    """The Optimization Actions table: each trigger, the threshold the team set for it and the action it leads to."""
    rows = [
        [UNDERPERFORMING, f"< {threshold(float(settings['Underperforming threshold']))} of target"],
        [OVERSPENDING, f"> {threshold(float(settings['Overspending threshold']))} of budget pace"],
        [HIGH_PERFORMER, f"≥ {threshold(float(1 + settings['High-performer threshold']))} of target"],
        [AB_WINNER, f"{threshold(float(settings['A/B significance level']))} confidence"],
    ]
    return [[trigger, limit, TRIGGERED_ACTIONS[trigger]] for trigger, limit in rows]


def _why(r: pd.Series) -> str:
    """One action in words: the evidence that decided it, any conflicting signal, how it is funded."""
    text = f"{r['Priority']}. {r['Subject']} — {r['Action']}: {r['Evidence']}"
    if r["Conflict"]:
        text += f". Conflict: {r['Conflict']}"
    if r["Funding"]:
        text += f". Funding: {r['Funding']}"
    return text
