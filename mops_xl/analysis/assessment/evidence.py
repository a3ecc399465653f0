"""What the data itself says about each maturity module (docs/metrics.md, "Maturity")."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mops_xl.analysis.assessment.martech import STANDARD_CATEGORIES, IntegrationMap, StackOverview
from mops_xl.analysis.assessment.maturity import Evidence
from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import NO_BUDGET
from mops_xl.analysis.blocks.wording import count, percent
from mops_xl.analysis.figures.campaign_plans.campaigns import CampaignPlan
from mops_xl.intake.model import Intake


def _share(part: int, whole: int, what: str) -> tuple[float | None, str]:
    if whole == 0:
        return None, f"no {what} to judge"
    return part / whole, f"{part} of {whole} {what} ({percent(part / whole)})"


def _category_coverage(stack: StackOverview) -> Evidence:
    """The standard martech categories covered: by an active tool, or in use by a running channel (its tool not
    listed)."""
    covered, shown = len(stack.covered) + len(stack.in_use), len(stack.in_use)
    said = f" ({shown} in use by a channel, no tool listed)" if shown else ""
    return Evidence(
        "category_coverage",
        covered / len(STANDARD_CATEGORIES),
        f"{covered} of {len(STANDARD_CATEGORIES)} martech categories covered{said}",
    )


def maturity_evidence(
    intake: Intake,
    stack: StackOverview,
    links: IntegrationMap,
    kpis: pd.DataFrame,
    card: pd.DataFrame,
    experiments: pd.DataFrame,
    plans: Sequence[CampaignPlan] = (),
) -> list[Evidence]:
    """Gather what the data itself says about each maturity module (see docs/metrics.md, "Maturity").

    Args:
        intake: The intake.
        stack: The stack overview.
        links: The integration map.
        kpis: The KPI Framework table.
        card: The channel scorecard.
        experiments: The experiment results.
        plans: The campaign plans (their tasks due by Report as of, Done or Overdue).

    Returns:
        One :class:`~mops_xl.analysis.assessment.maturity.Evidence` per item.
    """
    ev = []
    n_links = len(links.rows)
    value, text = _share(
        int(round(links.automation_share * n_links)) if n_links else 0, n_links, "integrations automated"
    )
    ev.append(Evidence("automation", value, text))
    n_tools = sum(len(v) for v in stack.by_stage.values())
    ev.append(
        Evidence(
            "stack_documented",
            1.0 if n_tools else 0.0,
            f"{count(n_tools, 'active tool')} documented on the Stack sheet",
        )
    )
    ev.append(_category_coverage(stack))
    campaigns = intake.table("Campaigns")
    value, text = _share(int(campaigns["Type"].notna().sum()), len(campaigns), "campaigns with a standard type")
    ev.append(Evidence("campaign_templates", value, text))
    due = sum(p.tasks_due for p in plans)
    late = sum(p.tasks_overdue for p in plans)
    if not len(campaigns):
        ev.append(Evidence("campaigns_on_schedule", 0.0, "no campaigns planned on the Campaigns sheet"))
    else:
        value, text = _share(due - late, due, "campaign tasks due by Report as of done (the rest are Overdue)")
        ev.append(Evidence("campaigns_on_schedule", value, text))
    channels = intake.channels
    defined = int((channels["Role"].notna() & channels["Owner"].notna()).sum())
    value, text = _share(defined, len(channels), "channels with a role and an owner")
    ev.append(Evidence("channel_roles", value, text))
    n_tests = int(experiments["Experiment"].nunique()) if not experiments.empty else 0
    ev.append(Evidence("experiments", min(n_tests / 3, 1.0), f"{count(n_tests, 'A/B experiment')} run"))
    journeys = len(intake.table("Touchpoints")) + len(intake.table("Paths"))
    ev.append(
        Evidence(
            "attribution_data",
            1.0 if journeys else 0.0,
            "journey data present for attribution" if journeys else "no journey data for attribution",
        )
    )
    paid = card[card["Paid"].astype(bool)]
    value, text = _share(int((paid["Pacing status"] != NO_BUDGET).sum()), len(paid), "paid channels with a budget")
    ev.append(Evidence("budget_coverage", value, text))
    cat = catalogue.current()
    takes = [m for m in kpis["Metric"] if cat.get(m).takes_target and not cat.get(m).target_metric]
    targetable = kpis[kpis["Metric"].isin(takes)]
    value, text = _share(int(targetable["Target"].notna().sum()), len(targetable), "KPIs with a target")
    ev.append(Evidence("kpi_targets", value, text))
    value, text = _share(int(card["Primary metric"].notna().sum()), len(card), "channels with a target")
    ev.append(Evidence("channel_targets", value, text))
    return ev
