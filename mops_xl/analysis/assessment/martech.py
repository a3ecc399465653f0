"""The marketing system: martech stack by stage, integration map, funnel coverage and team structure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from mops_xl.analysis.assessment.martech_figures import (
    AUTOMATION_SHARE,
    STAGE_CHANNELS,
    STAGE_COVERAGE,
    TOTAL_FTE,
    automated,
)
from mops_xl.analysis.blocks.stack_cost import ACTIVE, MONTHLY_STACK_COST, active_tools
from mops_xl.analysis.blocks.statuses import GAP
from mops_xl.intake.schema import STACK_CATEGORIES, STACK_STAGES, STAGES, TEAM_ROLES

#: The twelve standard martech categories a complete stack covers ("Other" is not one of them).
STANDARD_CATEGORIES = tuple(c for c in STACK_CATEGORIES if c != "Other")
SLOW_SYNCS = ("Weekly", "Monthly", "Manual")
#: The coverage of a standard category with no active tool that a running channel shows in use.
IN_USE = "In use"
#: Martech category → the words of a channel's name that show the category is in use when the channel runs
#: ("Email nurture" → Email, "Content & SEO" → Content). Paid media counts paid channels only.
CHANNEL_SIGNS = {
    "Paid media": ("ads", "ppc", "sem", "shopping", "display", "programmatic"),
    "Social": ("social", "facebook", "instagram", "linkedin", "tiktok", "meta", "twitter", "pinterest", "youtube"),
    "Content": ("content", "seo", "blog", "organic"),
    "Email": ("email", "newsletter", "newsletters"),
    "Chat/messaging": ("chat", "sms", "whatsapp", "messenger", "messaging"),
    "Landing pages": ("landing",),
}


def _name(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


@dataclass
class StackOverview:
    """The martech stack.

    Args:
        by_stage: Stage → list of (tool, category) of the Active tools, stages in standard order.
        empty_stages: Stages with no active tool.
        covered: Standard categories with at least one active tool.
        gaps: Standard categories with none.
        monthly_cost: Total monthly cost of the active tools.
        planned: Tools with Status Planned.
        retired: Tools with Status Retired.
        islands: Active tools that appear in no integration.
        in_use: Standard category with no active tool → the running channels that show it is in use (its tool
            is missing from the Stack sheet, not the category from the marketing); such a category is not a gap.
    """

    by_stage: dict[str, list[tuple[str, str]]]
    empty_stages: list[str]
    covered: list[str]
    gaps: list[str]
    monthly_cost: float
    planned: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    islands: list[str] = field(default_factory=list)
    in_use: dict[str, list[str]] = field(default_factory=dict)

    def coverage(self, category: str) -> str:
        """How a standard category is covered, in words.

        Args:
            category: A standard category.

        Returns:
            "Yes" (an active tool), "In use (Email nurture channel), no tool listed", or "Gap".
        """
        if category in self.covered:
            return "Yes"
        channels = self.in_use.get(category)
        if channels:
            return f"{IN_USE} ({', '.join(channels)} channel{'s' if len(channels) > 1 else ''}), no tool listed"
        return GAP

    def shown_by(self, category: str) -> str:
        """What shows a standard category covered: its active tools, or the running channels that use it.

        Args:
            category: A standard category.

        Returns:
            E.g. "Salesforce", "Email nurture channel (no tool listed)", or "" for a gap.
        """
        tools = [tool for listed in self.by_stage.values() for tool, kind in listed if kind == category]
        if tools:
            return ", ".join(str(t) for t in tools)
        channels = self.in_use.get(category, [])
        if channels:
            return f"{', '.join(channels)} channel{'s' if len(channels) > 1 else ''} (no tool listed)"
        return ""

    @property
    def categories(self) -> list[str]:
        """The standard categories in the order the report lists them: with a tool, in use, then the gaps."""
        return self.covered + list(self.in_use) + self.gaps


def channels_in_use(channels: pd.DataFrame, running: Sequence[str]) -> dict[str, list[str]]:
    """The martech categories running channels show in use, by the words of their names (:data:`CHANNEL_SIGNS`).

    Args:
        channels: The Channels table (Channel, Paid).
        running: The channels counted as running (active in the window, or with a budget line).

    Returns:
        Category → its running channels, in Channels order; categories no running channel shows are absent.
    """
    on = set(running)
    found: dict[str, list[str]] = {}
    for name, paid in zip(channels["Channel"], channels["Paid"].fillna(False), strict=True):
        if name not in on:
            continue
        words = set(re.split(r"[^a-z0-9]+", str(name).lower()))
        for category, signs in CHANNEL_SIGNS.items():
            if words & set(signs) and (category != "Paid media" or bool(paid)):
                found.setdefault(category, []).append(str(name))
    return found


def stack_overview(
    stack: pd.DataFrame, integrations: pd.DataFrame, in_use: dict[str, list[str]] | None = None
) -> StackOverview:
    """Group the stack by stage and category, find category gaps and tools no integration touches.

    Args:
        stack: The Stack table.
        integrations: The Integrations table.
        in_use: Category → the running channels that show it in use (:func:`channels_in_use`); a category
            without an active tool that a channel shows is in use, not a gap.

    Returns:
        The :class:`StackOverview`.
    """
    shown = in_use or {}
    status = stack["Status"].fillna(ACTIVE)
    active = active_tools(stack)
    by_stage: dict[str, list[tuple[str, str]]] = {s: [] for s in STACK_STAGES}
    for _, tool in active.iterrows():
        stage = tool["Stage"] if tool["Stage"] in by_stage else None
        if stage:
            by_stage[stage].append((tool["Tool"], tool["Category"] or "Other"))
    unstaged = [(t["Tool"], t["Category"] or "Other") for _, t in active.iterrows() if t["Stage"] not in by_stage]
    if unstaged:
        by_stage["(no stage)"] = unstaged
    categories = set(active["Category"].dropna())
    connected = {_name(v) for col in ("System", "Connects to") for v in integrations[col]} - {None}
    return StackOverview(
        by_stage=by_stage,
        empty_stages=[s for s in STACK_STAGES if not by_stage[s]],
        covered=[c for c in STANDARD_CATEGORIES if c in categories],
        gaps=[c for c in STANDARD_CATEGORIES if c not in categories and c not in shown],
        monthly_cost=MONTHLY_STACK_COST.compute(stack),
        planned=list(stack.loc[status == "Planned", "Tool"]),
        retired=list(stack.loc[status == "Retired", "Tool"]),
        islands=[t for t in active["Tool"] if _name(t) not in connected],
        in_use={c: shown[c] for c in STANDARD_CATEGORIES if c not in categories and c in shown},
    )


@dataclass
class IntegrationMap:
    """How the systems exchange data.

    Args:
        rows: The integrations (System, Connects to, Data flow, Sync frequency, Automated).
        automation_share: Automated ÷ all integrations (NaN when there are none).
        weak_links: Integrations that are manual (not automated) or sync weekly or slower.
        reason: Why the automation share is undefined, or "".
    """

    rows: pd.DataFrame
    automation_share: float
    weak_links: pd.DataFrame
    reason: str = ""


def integration_map(integrations: pd.DataFrame) -> IntegrationMap:
    """Measure how automated the data flows are.

    Args:
        integrations: The Integrations table.

    Returns:
        The :class:`IntegrationMap`.
    """
    rows = integrations.reset_index(drop=True)
    weak = rows[~automated(rows) | rows["Sync frequency"].isin(SLOW_SYNCS)]
    return IntegrationMap(rows, AUTOMATION_SHARE.compute(rows), weak, "" if len(rows) else "no integrations listed")


@dataclass
class FunnelCoverage:
    """Which active channels serve each funnel stage.

    Args:
        by_stage: Stage → active channels serving it, stages in standard order.
        gaps: Stages no active channel serves.
        unstaged: Active channels without a Funnel stage.
        active: Every active channel, in Channels order.
        counts: Stage → the number of active channels serving it.
        coverage: Stage → "Covered", or "Gap" when no active channel serves it.
    """

    by_stage: dict[str, list[str]]
    gaps: list[str]
    unstaged: list[str]
    active: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    coverage: dict[str, str] = field(default_factory=dict)


def funnel_coverage(channels: pd.DataFrame, active_channels: list[str]) -> FunnelCoverage:
    """Map active channels to the four funnel stages.

    Args:
        channels: The Channels table.
        active_channels: The channels counted as active (the caller decides: spend or volume in the window, or
            a budget line in the period).

    Returns:
        The :class:`FunnelCoverage`.
    """
    active = set(active_channels)
    by_stage: dict[str, list[str]] = {s: [] for s in STAGES}
    unstaged = []
    for _, ch in channels.iterrows():
        if ch["Channel"] not in active:
            continue
        if ch["Funnel stage"] in by_stage:
            by_stage[ch["Funnel stage"]].append(ch["Channel"])
        else:
            unstaged.append(ch["Channel"])
    counts = STAGE_CHANNELS.compute(by_stage)
    return FunnelCoverage(
        by_stage,
        [s for s in STAGES if not by_stage[s]],
        unstaged,
        active=[ch for ch in channels["Channel"] if ch in active],
        counts=counts,
        coverage=STAGE_COVERAGE.compute(counts),
    )


@dataclass
class TeamStructure:
    """The marketing-operations team.

    Args:
        people: The Team rows (Role, Name, Responsibilities, Tools owned, FTE).
        roles_present: The standard roles with someone in them.
        roles_missing: The standard roles nobody holds.
        total_fte: Σ FTE.
        unowned_tools: Active stack tools owned by nobody in Team and with no Owner role in Stack.
        unknown_tools: Tools named in Team that are not in Stack.
    """

    people: pd.DataFrame
    roles_present: list[str]
    roles_missing: list[str]
    total_fte: float
    unowned_tools: list[str]
    unknown_tools: list[str]


def team_structure(team: pd.DataFrame, stack: pd.DataFrame) -> TeamStructure:
    """Compare the team with the four standard roles and the stack it should own.

    Args:
        team: The Team table.
        stack: The Stack table.

    Returns:
        The :class:`TeamStructure`.
    """
    roles = set(team["Role"].dropna())
    owned = {t for tools in team["Tools owned"] for t in (tools or [])}
    active = active_tools(stack)
    unowned = [t for _, t in active.iterrows() if t["Tool"] not in owned and not _name(t["Owner role"])]
    return TeamStructure(
        people=team.reset_index(drop=True),
        roles_present=[r for r in TEAM_ROLES if r in roles],
        roles_missing=[r for r in TEAM_ROLES if r not in roles],
        total_fte=TOTAL_FTE.compute(team),
        unowned_tools=[t["Tool"] for t in unowned],
        unknown_tools=sorted(owned - set(stack["Tool"])),
    )
