"""Martech stack, integrations, funnel coverage, team, and the maturity rubric — worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mops_xl.analysis.assessment.martech import funnel_coverage, integration_map, stack_overview, team_structure
from mops_xl.analysis.assessment.maturity import Evidence, combine, level_for, maturity
from mops_xl.intake.schema import ASSESSMENT, SHEETS_BY_NAME


def table(sheet: str, rows: list[dict]) -> pd.DataFrame:
    cols = SHEETS_BY_NAME[sheet].field_names
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)


STACK = table(
    "Stack",
    [
        {
            "Tool": "HubSpot",
            "Category": "Marketing automation",
            "Stage": "Engagement",
            "Monthly cost": 800.0,
            "Status": "Active",
            "Owner role": "Marketing Ops",
        },
        {"Tool": "Salesforce", "Category": "CRM", "Stage": "Conversion", "Monthly cost": 1200.0, "Status": "Active"},
        {"Tool": "Looker", "Category": "BI/reporting", "Stage": "Analytics", "Monthly cost": 500.0, "Status": "Active"},
        {"Tool": "Canva", "Category": "Content", "Stage": "Awareness", "Monthly cost": 30.0, "Status": "Active"},
        {
            "Tool": "Drift",
            "Category": "Chat/messaging",
            "Stage": "Engagement",
            "Monthly cost": 400.0,
            "Status": "Retired",
        },
    ],
)
LINKS = table(
    "Integrations",
    [
        {"System": "HubSpot", "Connects to": "Salesforce", "Sync frequency": "Real-time", "Automated": True},
        {"System": "Salesforce", "Connects to": "Looker", "Sync frequency": "Weekly", "Automated": True},
        {"System": "Looker", "Connects to": "Sheets", "Sync frequency": "Manual", "Automated": False},
    ],
)


def test_stack_overview() -> None:
    s = stack_overview(STACK, LINKS)
    assert s.by_stage["Engagement"] == [("HubSpot", "Marketing automation")]  # Drift is retired
    assert s.empty_stages == []
    assert s.monthly_cost == 800 + 1200 + 500 + 30
    assert s.covered == ["Content", "Marketing automation", "CRM", "BI/reporting"]
    assert len(s.gaps) == 12 - 4 and "Paid media" in s.gaps and "Other" not in s.gaps
    assert s.islands == ["Canva"]  # the only active tool no integration touches
    assert s.retired == ["Drift"]


def test_integration_map() -> None:
    m = integration_map(LINKS)
    assert m.automation_share == pytest.approx(2 / 3)
    assert list(m.weak_links["System"]) == ["Salesforce", "Looker"]  # weekly; manual
    empty = integration_map(table("Integrations", []))
    assert math.isnan(empty.automation_share) and empty.reason == "no integrations listed"


def test_funnel_coverage() -> None:
    channels = table(
        "Channels",
        [
            {"Channel": "Search", "Funnel stage": "Decision"},
            {"Channel": "Blog", "Funnel stage": "Awareness"},
            {"Channel": "Events", "Funnel stage": "Consideration"},
            {"Channel": "Podcast"},
        ],
    )
    f = funnel_coverage(channels, ["Search", "Blog", "Podcast"])  # Events is not active
    assert f.by_stage == {"Awareness": ["Blog"], "Consideration": [], "Decision": ["Search"], "Retention": []}
    assert f.gaps == ["Consideration", "Retention"] and f.unstaged == ["Podcast"]


def test_team_structure() -> None:
    team = table(
        "Team",
        [
            {"Role": "Marketing Ops", "Name": "A", "Tools owned": ["HubSpot"], "FTE": 1.0},
            {"Role": "Content", "Name": "B", "Tools owned": ["Canva", "Figma"], "FTE": 0.5},
        ],
    )
    t = team_structure(team, STACK)
    assert t.roles_present == ["Marketing Ops", "Content"] and t.roles_missing == ["Demand Gen", "Analytics"]
    assert t.total_fte == 1.5
    assert t.unowned_tools == ["Salesforce", "Looker"]  # HubSpot and Canva are owned
    assert t.unknown_tools == ["Figma"]


def assessment(answers: dict[str, str]) -> pd.DataFrame:
    return table(
        "Assessment", [{"Capability": c, "Module": m, "In place": answers.get(c)} for c, m, *_ in ASSESSMENT.prefill]
    )


def test_rubric_by_hand() -> None:
    # System design has 4 capabilities: Yes, Yes, Partly, blank -> (1 + 1 + 0.5 + 0) / 4 = 0.625
    answers = {
        "Martech stack documented by stage": "Yes",
        "CRM sync automated": "Yes",
        "Integrations monitored for failures": "Partly",
    }
    evidence = [
        Evidence("automation", 0.5, "1 of 2"),
        Evidence("stack_documented", 1.0, "4 tools"),
        Evidence("category_coverage", 0.25, "3 of 12"),
    ]
    m = maturity(assessment(answers), evidence)
    system = m.modules[0]
    assert system.self_score == pytest.approx(0.625)
    assert system.evidence_score == pytest.approx((0.5 + 1.0 + 0.25) / 3)
    assert system.score == pytest.approx(min((0.625 + 1.75 / 3) / 2, 1.75 / 3 + 0.25))
    # the other modules have no answers and no evidence: 0
    assert [x.score for x in m.modules[1:]] == [0, 0, 0] and m.modules[1].self_score is None
    assert m.score == pytest.approx(system.score / 4) and m.level == "Ad Hoc"
    assert m.self_score == pytest.approx(0.625)
    # Gains: a blank capability (1 - 0) / 4 caps / 2 / 4 modules = 1/32; category coverage (1 - 0.25) / 3 items
    # / 2 / 4 = 1/32 too; "Partly" 1/64; automation 1/48. Ties go by module order, then by the reason text.
    assert [(s["action"], s["phase"]) for s in m.next_steps] == [
        ("Close the martech category gaps", "Design"),  # because "3 of 12" sorts first
        ("Make one system the source of truth for leads", "Design"),
        ("Plan every campaign from a standard template", "Design"),  # Campaign orchestration, alphabetically first
    ]
    assert m.next_steps[0]["gain"] == pytest.approx(1 / 32)


def test_data_contradicting_a_yes_caps_the_score() -> None:
    assert combine(1.0, 0.2) == pytest.approx(0.45)  # mean 0.6, capped at 0.2 + 0.25
    assert combine(0.5, 0.9) == pytest.approx(0.7)
    assert combine(0.8, None) == pytest.approx(0.6)  # unverified: counts at 75 %
    assert combine(None, 0.4) == 0.4 and combine(None, None) == 0


@pytest.mark.parametrize(
    "score, level",
    [
        (0.0, "Ad Hoc"),
        (0.2499, "Ad Hoc"),
        (0.25, "Repeatable"),
        (0.5, "Managed"),
        (0.75, "Optimized"),
        (1.0, "Optimized"),
    ],
)
def test_levels(score: float, level: str) -> None:
    assert level_for(score) == level


@pytest.mark.slow
@settings(deadline=None, max_examples=50)
@given(
    st.lists(st.sampled_from(["Yes", "Partly", "No", None]), min_size=16, max_size=16),
    st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=11, max_size=11),
)
def test_scores_stay_in_range(answers: list, values: list) -> None:
    from mops_xl.analysis.assessment.maturity import EVIDENCE_ITEMS

    caps = [c for c, *_ in ASSESSMENT.prefill]
    ev = [Evidence(k, v, k) for k, v in zip(EVIDENCE_ITEMS, values, strict=False)]
    m = maturity(assessment(dict(zip(caps, answers, strict=False))), ev)
    assert 0 <= m.score <= 1 and all(0 <= x.score <= 1 for x in m.modules)
    assert m.level == level_for(sum(x.score for x in m.modules) / 4)
