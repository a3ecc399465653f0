"""One plan wherever it is shown: each channel's Remaining budget, Action and planned spend are the same in --json's
``plan.channels``, its ``recommendations``, the framework text and the terminal summary, and the plan's totals add up.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mops_xl import analyse, load_intake
from mops_xl.analysis.blocks.wording import money
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.framework.text import render_framework
from mops_xl.outputs.json_output import terminal_summary, to_dict

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")


@pytest.fixture(scope="module")
def analyses():
    return {s: analyse(load_intake(ROOT / "samples" / f"{s}.xlsx")) for s in SAMPLES}


def _actions_table(md: str) -> dict[str, list[str]]:
    """The framework's actions table (Markdown) by subject: #, Subject, Action, Remaining budget, A day now, A day
    planned, Rest of period, Customers change, Revenue change, Owner."""
    lines = md.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| # | Subject | Action |")) + 2
    rows = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        rows[cells[1]] = cells
    return rows


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_channels_remaining_budget_and_action_are_the_same_everywhere(analyses, sample: str) -> None:
    a = analyses[sample]
    cur = symbol(a.intake.business["Currency"])
    doc = json.loads(json.dumps(to_dict(a), allow_nan=False))
    plan = {c["Channel"]: c for c in doc["plan"]["channels"]}
    rec = {r["Subject"]: r for r in doc["recommendations"]}
    text = _actions_table(render_framework(a, "md", "cadence"))
    assert list(plan) == list(a.channels.index)  # every channel, in the Channels sheet's order
    for channel, p in plan.items():
        r, row = rec[channel], text[channel]
        assert p["Action"] == r["Action"] == row[2], channel
        assert p["Remaining budget"] == r["Remaining budget"], channel
        assert row[3] == money(p["Remaining budget"], cur), channel
        for key, cell in (("Current daily spend", 4), ("Planned daily spend", 5), ("Planned rest of period", 6)):
            assert p[key] == r[key] and row[cell] == money(p[key], cur), (channel, key)
        # one remaining budget: the channel's budget for the period less its spend in the period, at least 0
        card = a.channels.loc[channel]
        assert p["Remaining budget"] == pytest.approx(max(card["Budget for period"] - card["Spend"], 0.0))
        # the action agrees with the plan: Pause plans nothing, Scale more a day than now, Throttle less
        if p["Action"] == "Pause":
            assert p["Planned rest of period"] == 0
        elif p["Action"] == "Scale":
            assert p["Planned daily spend"] > p["Current daily spend"]
        elif p["Action"] == "Throttle":
            assert p["Planned daily spend"] < p["Current daily spend"]


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_plans_totals_add_up_and_read_the_same_in_the_summary(analyses, sample: str) -> None:
    a = analyses[sample]
    cur = symbol(a.intake.business["Currency"])
    plan = to_dict(a)["plan"]
    channels = plan["channels"]
    assert math.isclose(plan["Planned rest of period"], sum(c["Planned rest of period"] for c in channels))
    assert plan["Left to spend"] == max(plan["Budget for period"] - plan["Spend to date"], 0.0)
    # what is left is planned, returned unspent, or (floors that do not fit) asked of leadership
    assert math.isclose(
        plan["Planned rest of period"] + plan["Returned unspent"],
        plan["Left to spend"] + plan["Budget increase needed"],
        abs_tol=1e-6,
    )
    # every amount a channel gives is placed: the moves out of it add up to its remaining budget less its plan
    given = {c["Channel"]: max(c["Remaining budget"] - c["Planned rest of period"], 0.0) for c in channels}
    moved: dict[str, float] = {}
    for m in plan["moves"]:
        moved[m["From"]] = moved.get(m["From"], 0.0) + m["Budget to move this period"]
    assert {ch: round(v, 2) for ch, v in moved.items()} == {ch: round(v, 2) for ch, v in given.items() if v > 1e-4}
    summary = terminal_summary(a)
    line = next(x for x in summary.splitlines() if x.startswith("Plan for the rest of the period: "))
    assert f"{plan['Days left']} days left" in line
    assert money(plan["Planned rest of period"], cur) + " planned" in line or "nothing more planned" in line
    decisions = [x for x in summary.splitlines() if x.startswith("  ") and " — " in x]
    assert len(decisions) == len(a.decisions_needed)
