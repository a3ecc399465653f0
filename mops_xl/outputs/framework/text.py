"""The Marketing Operations Framework as text: the seed's whole output, filled from the team's data.

:func:`framework_context` turns an :class:`~mops_xl.analysis.engine.Analysis` into plain, formatted rows (no
number formatting happens in the templates); :func:`render_framework` renders them with the jinja2
templates shipped in ``mops_xl/outputs/framework/templates`` — ``framework.txt.j2`` (box drawing) or
``framework.md.j2``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from mops_xl.analysis.blocks.wording import UNDEFINED, figure, money, percent, threshold
from mops_xl.analysis.decisions.recommendations import AS_BUILT
from mops_xl.analysis.decisions.triggers import AB_WINNER, HIGH_PERFORMER, OVERSPENDING, UNDERPERFORMING
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.figures.attribution import COVERAGE_HIGH, COVERAGE_LOW, SETTING_NAMES
from mops_xl.analysis.figures.targets import is_volume
from mops_xl.atomic import atomic_output
from mops_xl.campaigns.library import PHASES, TEMPLATES
from mops_xl.intake.currencies import symbol
from mops_xl.intake.schema import ATTRIBUTION_MODELS
from mops_xl.outputs.framework.boxes import box, md_table, side_by_side, table

#: The sections, in the seed's order (the names `--section` takes).
SECTIONS = ("business", "stack", "campaigns", "channels", "kpis", "cadence", "team", "maturity")
FORMATS = ("txt", "md")
WIDTH = 96

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


def _why(r: pd.Series) -> str:
    """One action in words: the evidence that decided it, any conflicting signal, how it is funded."""
    text = f"{r['Priority']}. {r['Subject']} — {r['Action']}: {r['Evidence']}"
    if r["Conflict"]:
        text += f". Conflict: {r['Conflict']}"
    if r["Funding"]:
        text += f". Funding: {r['Funding']}"
    return text


def framework_context(a: Analysis) -> dict[str, Any]:
    """Everything the framework shows, as formatted text rows.

    Args:
        a: The engine's results.

    Returns:
        The template context: one key per section.
    """
    intake, b, cur = a.intake, a.intake.business, symbol(a.intake.business["Currency"])
    budget = a.kpis.loc["Spend", "Target"]
    ch = a.channels
    kpi = a.kpis
    campaigns = intake.table("Campaigns")
    strategy = [
        [
            str(name),
            _text(c["Role"]),
            _text(c["Funnel stage"]),
            _pct(c["Budget %"]),
            _money(c["Expected CAC"], cur),
            _money(c["CAC target"], cur),
            figure("CAC", a.tracking.value_if_tracked("CAC", c["CAC"], name), cur),
            _text(c["Target audience"]),
        ]
        for name, c in ch.iterrows()
    ]
    kpi_rows = [
        [
            m,
            kpi.loc[m, "Definition"],
            figure(m, kpi.loc[m, "Target"], cur),
            figure(m, kpi.loc[m, "Target to date"], cur),
            figure(m, a.tracking.value_if_tracked(m, kpi.loc[m, "Actual"]), cur),
            _pct(kpi.loc[m, "Attainment"]),
            kpi.loc[m, "Status"],
        ]
        for m in kpi.index
    ]
    return {
        "business": {
            "name": b["Business name"],
            "team_size": _text(b["Team size"]) or "not given",
            "channels": f"{len(ch)} ({', '.join(map(str, ch.index))})",
            "budget": f"{_money(budget, cur)} for {a.window.start:%Y-%m-%d} to {a.window.end:%Y-%m-%d}",
            "as_of": f"{a.window.as_of:%Y-%m-%d} (day {a.window.elapsed_days} of {a.window.period_days})",
            "spend": _spend_vs_budget(a, cur),
        },
        "stack": {
            "stages": [
                (stage, [f"{tool} ({category})" for tool, category in tools])
                for stage, tools in a.stack.by_stage.items()
            ],
            "gaps": a.stack.gaps,
            "cost": _money(a.stack.monthly_cost, cur),
            "islands": a.stack.islands,
            "empty": intake.table("Stack").empty,
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
        },
        "campaigns": {
            "lifecycle": LIFECYCLE,
            "templates": [[t.campaign_type, str(t.timeline_weeks), str(len(t.items)), t.reference] for t in TEMPLATES],
            "planned": [
                [
                    _text(c["Campaign"]),
                    _text(c["Type"]) or "–",
                    f"{c['Launch date']:%Y-%m-%d}" if not pd.isna(c["Launch date"]) else "–",
                    _text(c["Status"]),
                    _text(c["Owner"]),
                ]
                for _, c in campaigns.iterrows()
            ],
        },
        "channels": {
            "strategy": strategy,
            "roles": [[r[0], r[1], r[2], r[7]] for r in strategy],
            "economics": [[r[0], *r[3:7]] for r in strategy],
            "funnel": [(stage, names) for stage, names in a.funnel.by_stage.items()],
            "funnel_gaps": a.funnel.gaps,
            "models": [
                [
                    m + (" ◆" if m == intake.settings["Attribution model"] else ""),
                    MODEL_USE_CASES[m],
                    _affected(a, SETTING_NAMES[m]),
                ]
                for m in ATTRIBUTION_MODELS
            ],
            "reallocation": [
                [
                    str(r["From"]),
                    str(r["To"]),
                    _money(r["Budget to move this period"], cur),
                    str(r["Reason"]),
                    UNDEFINED if pd.isna(r["Net expected customers"]) else f"{r['Net expected customers']:+.1f}",
                ]
                for _, r in a.reallocation.iterrows()
            ],
            "basis": a.plan_basis,
            "has_journeys": a.attribution is not None,
            "coverage": _coverage(a, cur),
        },
        "kpis": {
            "boxes": [
                (
                    m,
                    figure(m, kpi.loc[m, "Actual"], cur),
                    figure(m, kpi.loc[m, "Target to date" if is_volume(m) else "Target"], cur),
                    kpi.loc[m, "Status"],
                )
                for m in a.kpi_boxes
            ],
            "framework": kpi_rows,
            "figures": [[r[0], *r[2:]] for r in kpi_rows],
            "definitions": [
                d if d.startswith(f"{m}:") else f"{m}: {d}" for m, d in zip(kpi.index, kpi["Definition"], strict=True)
            ],
            "channels": [
                [
                    str(name),
                    _money(c["Spend"], cur),
                    figure("CAC", a.tracking.value_if_tracked("CAC", c["CAC"], name), cur),
                    figure("ROAS", a.tracking.value_if_tracked("ROAS", c["ROAS"], name), cur),
                    f"{c['Trend']} {percent(c['Trend %'], signed=True)}" if not pd.isna(c["Trend %"]) else c["Trend"],
                    c["Trend verdict"],
                    c["Status"],
                ]
                for name, c in ch.iterrows()
            ],
        },
        "cadence": {
            "reviews": [
                [_text(r["Review"]), _text(r["Frequency"]), _text(r["Focus"]), _text(r["Attendees"])]
                for _, r in intake.table("Cadence").iterrows()
            ],
            "thresholds": [
                [UNDERPERFORMING, f"< {threshold(float(intake.settings['Underperforming threshold']))} of target"],
                [OVERSPENDING, f"> {threshold(float(intake.settings['Overspending threshold']))} of budget pace"],
                [HIGH_PERFORMER, f"≥ {threshold(float(1 + intake.settings['High-performer threshold']))} of target"],
                [AB_WINNER, f"{threshold(float(intake.settings['A/B significance level']))} confidence"],
            ],
            "as_built": AS_BUILT,
            "actions": [
                [
                    str(r["Priority"]),
                    str(r["Subject"]),
                    r["Action"],
                    _money(r["Budget to move this period"], cur) if r["Budget to move this period"] else "–",
                    _money(r["Projected overspend"], cur) if r["Projected overspend"] else "–",
                    _text(r["Owner"]) or "–",
                ]
                for _, r in a.recommendations.iterrows()
            ],
            "why": [_why(r) for _, r in a.recommendations.iterrows()],
            "review": a.review.text if a.review is not None else "",
        },
        "team": {
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
        },
        "maturity": {
            "level": a.maturity.level,
            "score": _pct(a.maturity.score),
            "self": _pct(a.maturity.self_score),
            "modules": [
                [m.module, _pct(m.self_score), _pct(m.evidence_score), _pct(m.score)] for m in a.maturity.modules
            ],
            "evidence": [e.text for e in a.maturity.evidence],
            "steps": [[s["phase"], s["action"], s["module"]] for s in a.maturity.next_steps],
            "phases": ("Assess", "Design", "Build", "Optimize"),
        },
        "phases": PHASES,
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mops_xl.outputs.framework", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.globals.update(box=box, table=table, md_table=md_table, side_by_side=side_by_side, width=WIDTH)
    return env


def render_framework(a: Analysis, fmt: str = "txt", section: str | None = None) -> str:
    """Render the framework, whole or one section.

    Args:
        a: The engine's results.
        fmt: "txt" (box drawing) or "md" (Markdown).
        section: One of :data:`SECTIONS`, or None for all.

    Returns:
        The text.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if section is not None and section not in SECTIONS:
        raise ValueError(f"section must be one of {', '.join(SECTIONS)}")
    template = _environment().get_template(f"framework.{fmt}.j2")
    context = framework_context(a)
    if section is None:
        return template.render(**context)
    return str(getattr(template.make_module(context), f"section_{section}")()).strip("\n") + "\n"


def framework_paths(report: Path) -> tuple[Path, Path]:
    """Where the framework files of a report go: ``<stem>-framework.md`` and ``.txt`` beside it.

    Args:
        report: The report path (``<stem>-report.xlsx`` gives ``<stem>-framework.*``).

    Returns:
        The Markdown and text paths.
    """
    stem = report.stem[: -len("-report")] if report.stem.endswith("-report") else report.stem
    return report.with_name(f"{stem}-framework.md"), report.with_name(f"{stem}-framework.txt")


def write_framework_files(a: Analysis, report: Path) -> tuple[Path, Path]:
    """Write the framework as Markdown and as text beside a report, atomically.

    Args:
        a: The engine's results.
        report: The report path.

    Returns:
        The paths written.
    """
    paths = framework_paths(Path(report))
    for path, fmt in zip(paths, FORMATS[::-1], strict=False):
        with atomic_output(path) as tmp:
            tmp.write_text(render_framework(a, fmt), encoding="utf-8")
    return paths


def _affected(a: Analysis, model: str) -> str:
    """The Channels Affected cell of a model: its own channels, or why it cannot run on the data."""
    if a.attribution is None:
        return "–"
    if not a.attribution.runnable(model):
        return "cannot run on this data"
    return ", ".join(a.affected_by_model.get(model, [])) or "none"


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
