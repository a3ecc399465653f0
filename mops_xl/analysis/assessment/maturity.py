"""The maturity level: a scored rubric per module from the self-assessment and the evidence in the data.

Self-assessments run high, so each module shows the self-reported score beside the evidence-based one,
and the level comes from the evidence-based scores. See docs/metrics.md, "Maturity".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from mops_xl.intake.schema import ASSESSMENT_MODULES

ANSWER_SCORE = {"Yes": 1.0, "Partly": 0.5, "No": 0.0}
LEVELS = ((0.25, "Ad Hoc"), (0.5, "Repeatable"), (0.75, "Managed"), (math.inf, "Optimized"))
#: How far the evidence-based score may sit above the data's own evidence score.
EVIDENCE_CAP = 0.25
#: An unverified self-assessment (no data evidence for the module) counts at this share.
UNVERIFIED_WEIGHT = 0.75

#: Capability → (the action that puts it in place, the workflow phase: Assess / Design / Build / Optimize).
CAPABILITY_ACTIONS = {
    "Martech stack documented by stage": ("Document every tool by stage and owner on the Stack sheet", "Assess"),
    "CRM sync automated": ("Automate the CRM sync so leads flow without exports", "Build"),
    "Integrations monitored for failures": ("Add failure alerts to every integration", "Build"),
    "Single source of truth for leads": ("Make one system the source of truth for leads", "Design"),
    "Documented campaign workflows": ("Write down the campaign workflow from brief to retro", "Design"),
    "Campaign templates used": ("Plan every campaign from a standard template", "Design"),
    "UTM and naming conventions enforced": ("Enforce UTM and naming conventions in launch QA", "Build"),
    "Launch QA checklist used": ("Run the launch QA checklist before every launch", "Build"),
    "Channel roles and owners defined": ("Give every channel a role and an owner", "Design"),
    "Budget reviewed weekly": ("Review spend against budget pace every week", "Optimize"),
    "A/B testing practice": ("Run at least one A/B test a month on a key page", "Optimize"),
    "Attribution configured": ("Configure multi-touch attribution from journey data", "Build"),
    "Lead scoring in place": ("Introduce lead scoring with an agreed MQL threshold", "Design"),
    "KPI targets set per channel": ("Set a target for every channel's primary metric", "Assess"),
    "Dashboards automated": ("Automate the dashboards from the data sources", "Build"),
    "Funnel definitions agreed with sales": ("Agree lead, MQL and SQL definitions with sales", "Assess"),
}

#: Evidence item → (module, action that raises it, phase).
EVIDENCE_ITEMS = {
    "automation": ("System design", "Automate the manual and weekly-or-slower integrations", "Build"),
    "stack_documented": ("System design", "List the martech stack on the Stack sheet", "Assess"),
    "category_coverage": ("System design", "Close the martech category gaps", "Design"),
    "campaign_templates": ("Campaign orchestration", "Give every campaign a standard type and its template", "Design"),
    "campaigns_on_schedule": (
        "Campaign orchestration",
        "Plan campaigns on the Campaigns sheet and bring their overdue tasks up to date",
        "Build",
    ),
    "channel_roles": ("Channel management", "Fill in Role and Owner for every channel", "Design"),
    "experiments": ("Channel management", "Run A/B tests (three or more per period)", "Optimize"),
    "attribution_data": ("Channel management", "Collect journey data (Touchpoints or Paths) for attribution", "Build"),
    "budget_coverage": ("Channel management", "Give every paid channel a budget line", "Assess"),
    "kpi_targets": ("Metrics", "Set targets for the KPI framework metrics", "Assess"),
    "channel_targets": ("Metrics", "Set a primary-metric target for every channel", "Assess"),
}


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence from the data.

    Args:
        key: An :data:`EVIDENCE_ITEMS` key.
        value: The score in [0, 1], or None when the data cannot say.
        text: A plain sentence, e.g. "4 of 6 integrations automated (67 %)".
    """

    key: str
    value: float | None
    text: str


@dataclass
class ModuleScore:
    """The scores of one module.

    Args:
        module: The module name.
        self_score: Mean of the module's Assessment answers, a blank counting as "No" (None when the module
            has no answer at all).
        evidence_score: Mean of the data evidence (None when there is none).
        score: The evidence-based score used for the level.
    """

    module: str
    self_score: float | None
    evidence_score: float | None
    score: float


@dataclass
class Maturity:
    """The maturity assessment.

    Args:
        level: Ad Hoc, Repeatable, Managed or Optimized.
        score: Mean of the module scores.
        self_score: Mean of the self-reported module scores (None when nothing was answered).
        modules: One :class:`ModuleScore` per module.
        evidence: The evidence sentences.
        next_steps: The three actions that raise the score most: dicts with module, action, phase, gain.
    """

    level: str
    score: float
    self_score: float | None
    modules: list[ModuleScore]
    evidence: list[Evidence] = field(default_factory=list)
    next_steps: list[dict] = field(default_factory=list)


def level_for(score: float) -> str:
    """Return the level of a score: Ad Hoc < 0.25 ≤ Repeatable < 0.5 ≤ Managed < 0.75 ≤ Optimized.

    Args:
        score: A score in [0, 1].

    Returns:
        The level name.
    """
    return next(name for bound, name in LEVELS if score < bound)


def combine(self_score: float | None, evidence_score: float | None) -> float:
    """The evidence-based module score.

    Both known: the mean of the two, capped at the evidence score + :data:`EVIDENCE_CAP` (data contradicting a
    "Yes" wins); only the self-assessment: it counts at :data:`UNVERIFIED_WEIGHT`; only evidence: the evidence;
    neither: 0.

    Args:
        self_score: The self-reported score, or None.
        evidence_score: The data evidence score, or None.

    Returns:
        The score in [0, 1].
    """
    if self_score is None and evidence_score is None:
        return 0.0
    if evidence_score is None:
        assert self_score is not None
        return self_score * UNVERIFIED_WEIGHT
    if self_score is None:
        return evidence_score
    return min((self_score + evidence_score) / 2, evidence_score + EVIDENCE_CAP)


def maturity(assessment: pd.DataFrame, evidence: list[Evidence]) -> Maturity:
    """Score the four modules and pick the three most valuable next steps.

    Args:
        assessment: The Assessment table (Capability, Module, In place).
        evidence: Evidence from the data (built by the engine from the intake).

    Returns:
        The :class:`Maturity`.
    """
    answers = assessment.assign(_score=assessment["In place"].map(ANSWER_SCORE))
    modules = []
    for module in ASSESSMENT_MODULES:
        mine = answers[answers["Module"] == module]["_score"]
        # a module nobody answered is "not assessed"; within an answered module a blank counts as not in place
        own = float(mine.fillna(0.0).mean()) if mine.notna().any() else None
        items = [e.value for e in evidence if EVIDENCE_ITEMS[e.key][0] == module and e.value is not None]
        data = sum(items) / len(items) if items else None
        modules.append(ModuleScore(module, own, data, combine(own, data)))
    score = sum(m.score for m in modules) / len(modules)
    answered = [m.self_score for m in modules if m.self_score is not None]
    return Maturity(
        level_for(score),
        score,
        sum(answered) / len(answered) if answered else None,
        modules,
        list(evidence),
        _next_steps(answers, evidence),
    )


def _next_steps(answers: pd.DataFrame, evidence: list[Evidence]) -> list[dict]:
    """Rank the actions by how much they would raise the overall score (approximately: each module's score
    moves half as much as its self or evidence mean, and the overall score is the mean of four modules)."""
    order = {m: i for i, m in enumerate(ASSESSMENT_MODULES)}
    candidates = _capability_steps(answers, order) + _evidence_steps(evidence, order)
    candidates.sort(key=lambda c: (-round(c[4], 12), order[c[0]], c[1]))
    seen, steps = set(), []
    for module, why, action, phase, gain in candidates:
        if action in seen:
            continue
        seen.add(action)
        steps.append({"module": module, "action": action, "phase": phase, "because": why, "gain": gain})
        if len(steps) == 3:
            break
    return steps


def _capability_steps(answers: pd.DataFrame, order: dict[str, int]) -> list[tuple[str, str, str, str, float]]:
    """The candidate steps of the capabilities not fully in place: (module, capability, action, phase, gain)."""
    candidates = []
    for module, group in answers.groupby("Module"):
        if module not in order:
            continue
        for _, cap in group.iterrows():
            value = cap["_score"] if not pd.isna(cap["_score"]) else 0.0
            if value >= 1:
                continue
            action, phase = CAPABILITY_ACTIONS.get(cap["Capability"], (f"Put in place: {cap['Capability']}", "Build"))
            gain = (1 - value) / len(group) / 2 / len(order)
            candidates.append((str(module), cap["Capability"], action, phase, gain))
    return candidates


def _evidence_steps(evidence: list[Evidence], order: dict[str, int]) -> list[tuple[str, str, str, str, float]]:
    """The candidate steps of the evidence below full marks: (module, evidence text, action, phase, gain)."""
    candidates = []
    for module in order:
        items = [(e, e.value) for e in evidence if EVIDENCE_ITEMS[e.key][0] == module and e.value is not None]
        for e, value in items:
            if value < 1:
                _, action, phase = EVIDENCE_ITEMS[e.key]
                candidates.append((module, e.text, action, phase, (1 - value) / len(items) / 2 / len(order)))
    return candidates
