"""The plan for the rest of the period on the report's sheets (issue 24), worked out by hand from the samples.

Every expected figure is computed here from the sample's source (samples/source/*.toml: the period, the budget
lines, the owners) and its Actuals rows read straight from the intake workbook, never from mops-xl's code:

- **One Remaining budget**: a channel's budget for the period less all its spend in the period (at least 0) is the
  same number on Optimization Actions, in the plan (``a.plan.table``) and in the Reallocation sheet's change (planned
  rest of period − remaining budget); the Dashboard does not show it under another meaning, and Budget Pacing's
  per-line figure has its own name, "Left on this line" (the line's budget less the spend on the line's own days).
- **saas**: the plan's totals above the actions, each channel's plan from its best day in the trend window.
- **local**: the budget for the period is already spent, so every channel plans nothing more; the decisions for
  leadership.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from recalculation import value_by_label

from mops_xl import analyse, build_report, load_intake

pytestmark = pytest.mark.slow  # builds the sample reports

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")
ACTIONS, DASHBOARD, PACING, REALLOCATION = "Optimization Actions", "Dashboard", "Budget Pacing", "Reallocation"
TREND_WINDOW = 7  # the Settings default (saas and local leave it; d2c sets 7)


def source(sample: str) -> dict:
    """The sample's source: business, channels, budget lines, campaigns."""
    return tomllib.loads((ROOT / "samples" / "source" / f"{sample}.toml").read_text(encoding="utf-8"))


def actuals(sample: str) -> list[dict[str, Any]]:
    """The sample intake's Actuals rows as the workbook holds them (no mops-xl code involved)."""
    ws = openpyxl.load_workbook(ROOT / "samples" / f"{sample}.xlsx", read_only=True, data_only=True)["Actuals"]
    rows = ws.iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, r, strict=False)) for r in rows if r[0] is not None]


def spend(rows: list[dict], channel: str, first: dt.date, last: dt.date) -> float:
    """Σ Spend of a channel's Actuals rows from ``first`` to ``last`` (a blank Spend is 0)."""
    return sum(r["Spend"] or 0 for r in rows if r["Channel"] == channel and first <= r["Date"].date() <= last)


def daily_spend(rows: list[dict], channel: str, first: dt.date, last: dt.date) -> list[float]:
    """A channel's spend on each day from ``first`` to ``last`` (0 on a day without rows)."""
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [spend(rows, channel, day, day) for day in days]


def budget_for_period(src: dict, channel: str) -> float:
    """Σ of the channel's budget lines over the period: each line's Planned spend × its days in the period ÷ its
    days (every sample's line lies wholly inside or wholly outside its period)."""
    start, end = src["business"]["Period start"], src["business"]["Period end"]
    total = 0.0
    for line in src.get("budget", []):
        if line["Channel"] != channel:
            continue
        first, last = max(line["Period start"], start), min(line["Period end"], end)
        if first <= last:
            total += (
                line["Planned spend"]
                * ((last - first).days + 1)
                / ((line["Period end"] - line["Period start"]).days + 1)
            )
    return total


@pytest.fixture(scope="module", params=SAMPLES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    sample = request.param
    intake = load_intake(ROOT / "samples" / f"{sample}.xlsx")
    a = analyse(intake)
    path = build_report(intake, tmp_path_factory.mktemp("plan") / f"{sample}-report.xlsx", a)
    return sample, a, openpyxl.load_workbook(path, data_only=True)


def _cells(ws) -> set[str]:
    return {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_remaining_budget_is_one_figure_wherever_it_is_shown(built) -> None:
    """Remaining budget = max(0, budget for the period − spend in the period), per channel, by hand; the same on
    Optimization Actions and in the plan; the Reallocation change is planned rest of period − that figure."""
    sample, a, wb = built
    src, rows = source(sample), actuals(sample)
    start, as_of = src["business"]["Period start"], src["business"]["Report as of"]
    for channel in (c["Channel"] for c in src["channels"]):
        remaining = max(0.0, budget_for_period(src, channel) - spend(rows, channel, start, as_of))
        shown = value_by_label(wb[ACTIONS], "Subject", channel, "Remaining budget")
        assert shown == pytest.approx(remaining, abs=1e-6), (sample, channel)
        assert a.plan.table.loc[channel, "Remaining budget"] == pytest.approx(remaining, abs=1e-6)
        planned = value_by_label(wb[ACTIONS], "Subject", channel, "Planned rest of period")
        change = value_by_label(wb[REALLOCATION], "Channel", channel, "Change")
        assert change == pytest.approx(planned - remaining, abs=1e-6), (sample, channel)
    # no other sheet shows a figure called "Remaining" or "Remaining budget" that could be another number
    assert not {"Remaining", "Remaining budget"} & _cells(wb[DASHBOARD])
    assert "Remaining" not in _cells(wb[PACING]) and "Left on this line" in _cells(wb[PACING])


def test_left_on_this_line_is_the_lines_own_window() -> None:
    """saas Webinars: its line runs Aug 1 - Sep 30 (12,500); it spent 4,851.65 on the line's days to Sep 10, and
    4,008.44 more in July, outside any line. Left on this line = 12,500 − 4,851.65 = 7,648.35; its Remaining budget
    = 12,500 − (4,851.65 + 4,008.44) = 3,639.91: two figures with two names."""
    rows = actuals("saas")
    on_line = spend(rows, "Webinars", dt.date(2026, 8, 1), dt.date(2026, 9, 10))
    before = spend(rows, "Webinars", dt.date(2026, 7, 1), dt.date(2026, 7, 31))
    assert (round(on_line, 2), round(before, 2)) == (4851.65, 4008.44)
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    a = analyse(intake)
    line = a.pacing_lines[a.pacing_lines["Channel"] == "Webinars"].iloc[0]
    assert line["Left on this line"] == pytest.approx(12500 - on_line)  # shown as "Left on this line"
    assert a.plan.table.loc["Webinars", "Remaining budget"] == pytest.approx(12500 - on_line - before)


def saas_plan() -> dict[str, Any]:
    """The saas plan by hand (docs/metrics.md, "The plan for the rest of the period").

    Period Jul 1 - Sep 30, Report as of Sep 10: R = 20 days left (Sep 11-30). Budget for the period: Google Ads
    52,000 (its Apr-Jun line is outside), LinkedIn Ads 55,000, Webinars 12,500 = 119,500. The trend window is the 7
    days Sep 4-10: current daily spend = their spend ÷ 7, the best day the largest of them; what a channel can spend
    is its best day × 20. LinkedIn Ads is at 51.1 % of its CAC target (below the 80 % Underperforming threshold): it
    gives up to 20 % × 55,000 = 11,000 of its remaining 7,010.92, so it wishes nothing. Google Ads and Webinars can
    spend less than their remaining budgets (their best day × 20) and wish that; Partner referrals has no budget line
    (remaining 0); Content & SEO and Email nurture spend nothing. The spare money (left to spend − the wishes) goes to
    the channels at or above target that will spend their own remaining budget at today's rate: only Partner
    referrals (ROAS 7.3:1 against the business's 4.0:1; Google Ads and Webinars are under pace), up to its best
    day × 20 — which is exactly the spare, so nothing is returned unspent.
    """
    rows = actuals("saas")
    src = source("saas")
    start, as_of = dt.date(2026, 7, 1), dt.date(2026, 9, 10)
    window = (dt.date(2026, 9, 4), as_of)
    days_left = (dt.date(2026, 9, 30) - as_of).days  # 20
    channels = [c["Channel"] for c in src["channels"]]
    budget = {ch: budget_for_period(src, ch) for ch in channels}
    spent = {ch: spend(rows, ch, start, as_of) for ch in channels}
    now = {ch: sum(daily_spend(rows, ch, *window)) / TREND_WINDOW for ch in channels}
    best = {ch: max(daily_spend(rows, ch, *window)) for ch in channels}
    remaining = {ch: max(0.0, budget[ch] - spent[ch]) for ch in channels}
    left = sum(budget.values()) - sum(spent.values())
    wish = {ch: min(remaining[ch], best[ch] * days_left) for ch in channels}
    wish["LinkedIn Ads"] = max(0.0, remaining["LinkedIn Ads"] - 0.2 * 55000)  # 0
    spare = left - sum(wish.values())
    planned = dict(wish, **{"Partner referrals": min(best["Partner referrals"] * days_left, spare)})
    return {
        "days": days_left,
        "budget": sum(budget.values()),
        "spent": sum(spent.values()),
        "left": left,
        "now": now,
        "remaining": remaining,
        "planned": planned,
    }


def test_saas_actions_read_off_the_plan(tmp_path: Path) -> None:
    plan = saas_plan()
    assert plan["days"] == 20 and plan["budget"] == 119500
    assert round(plan["spent"], 2) == 101429.30 and round(plan["left"], 2) == 18070.70
    planned, remaining = plan["planned"], plan["remaining"]
    # Google Ads and Webinars plan their best day × 20 (under their remaining budgets), LinkedIn nothing, Partner
    # referrals the spare: together exactly what is left.
    assert planned["Google Ads"] < remaining["Google Ads"] and planned["Webinars"] < remaining["Webinars"]
    assert planned["Partner referrals"] > 0 and sum(planned.values()) == pytest.approx(plan["left"])
    intake = load_intake(ROOT / "samples" / "saas.xlsx")
    wb = openpyxl.load_workbook(build_report(intake, tmp_path / "saas-report.xlsx"), data_only=True)
    ws = wb[ACTIONS]
    for channel, action in (
        ("LinkedIn Ads", "Pause"),  # plans nothing: 0 a day against 712.66 now
        ("Google Ads", "Spend to plan"),  # more a day than now, within its own budget
        ("Webinars", "Spend to plan"),
        ("Partner referrals", "Hold"),  # receives money beyond its remaining budget (0), but keeps about its pace
        ("Content & SEO", "Not enough data"),
        ("Email nurture", "Not enough data"),
    ):
        assert value_by_label(ws, "Subject", channel, "Action") == action, channel
        for h, exp in (
            ("Current daily spend", plan["now"][channel]),
            ("Planned rest of period", planned[channel]),
            ("Planned daily spend", planned[channel] / 20),
            ("Budget to move this period", planned[channel] - remaining[channel]),
        ):
            assert value_by_label(ws, "Subject", channel, h) == pytest.approx(exp, abs=1e-6), (channel, h)
    line = (
        "The plan for the rest of the period (20 days left, to 30 Sep 2026): budget for the period $119,500; spend to "
        f"date ${plan['spent']:,.0f}; left to spend ${plan['left']:,.0f}; planned rest of period "
        f"${sum(planned.values()):,.0f}; returned unspent $0."
    )
    assert line in {c.value for c in ws["A"]}
    # Every amount taken is placed, the least efficient giver first: the overspend to date is Partner referrals'
    # spend without a budget line (its spend to date, all over its budget of 0); LinkedIn's 7,010.92 covers it and
    # gives the rest to Partner referrals; Google Ads and Webinars give what they cannot spend to Partner referrals.
    overspend = spend(actuals("saas"), "Partner referrals", dt.date(2026, 7, 1), dt.date(2026, 9, 10))
    exp = [
        ("LinkedIn Ads", "Overspend to date", overspend),
        ("LinkedIn Ads", "Partner referrals", remaining["LinkedIn Ads"] - overspend),
        ("Google Ads", "Partner referrals", remaining["Google Ads"] - planned["Google Ads"]),
        ("Webinars", "Partner referrals", remaining["Webinars"] - planned["Webinars"]),
    ]
    assert sum(x for _, to, x in exp if to == "Partner referrals") == pytest.approx(planned["Partner referrals"])
    assert _moves(ws) == _cents(exp)


def _moves(ws) -> list[tuple[str, str, float]]:
    """The plan's moves under the actions: (From, To, Budget to move this period), in the sheet's order."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "From")
    at = {h: rows[top].index(h) for h in ("To", "Budget to move this period")}
    out = []
    for r in rows[top + 1 :]:
        if r[0] is None:
            break
        out.append((r[0], r[at["To"]], r[at["Budget to move this period"]]))
    return _cents(out)


def _cents(moves: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    return [(giver, to, round(amount, 2)) for giver, to, amount in moves]


def test_local_plans_nothing_more_once_the_budget_is_spent(tmp_path: Path) -> None:
    """local: budget for the period £1,950 (Google Search Ads' November line); spend Nov 1-22 £1,969.14 (Facebook
    Ads £662 without a budget line): left to spend max(0, 1,950 − 1,969.14) = 0, so every channel plans nothing more
    in the 8 days left (Nov 23-30). Google Search Ads gives its remaining 1,950 − 1,307.14 = 642.86 against the
    overspend to date (Facebook's 662). Decisions for leadership: Facebook's unbudgeted £662 and the New patient
    offer's £2,600 budget, both owned by the agency."""
    rows, src = actuals("local"), source("local")
    start, as_of = dt.date(2026, 11, 1), dt.date(2026, 11, 22)
    search, facebook = (spend(rows, ch, start, as_of) for ch in ("Google Search Ads", "Facebook Ads"))
    assert (round(search, 2), round(facebook, 2)) == (1307.14, 662.00)
    assert budget_for_period(src, "Google Search Ads") == 1950 and round(search + facebook, 2) == 1969.14
    intake = load_intake(ROOT / "samples" / "local.xlsx")
    wb = openpyxl.load_workbook(build_report(intake, tmp_path / "local-report.xlsx"), data_only=True)
    ws = wb[ACTIONS]
    for channel in ("Google Search Ads", "Facebook Ads", "Google Business Profile"):
        assert value_by_label(ws, "Subject", channel, "Planned daily spend") == 0
        assert value_by_label(ws, "Subject", channel, "Planned rest of period") == 0
    assert value_by_label(ws, "Subject", "Google Search Ads", "Action") == "Pause"
    assert value_by_label(ws, "Subject", "Facebook Ads", "Action") == "Pause"  # spends, plans nothing: a pause
    assert value_by_label(ws, "Subject", "Google Search Ads", "Remaining budget") == pytest.approx(1950 - search)
    line = (
        "The plan for the rest of the period (8 days left, to 30 Nov 2026): budget for the period £1,950; spend to "
        "date £1,969; left to spend £0; planned rest of period £0; returned unspent £0."
    )
    assert line in {c.value for c in ws["A"]}
    assert _moves(ws) == _cents([("Google Search Ads", "Overspend to date", 1950 - search)])
    agency = next(c["Owner"] for c in src["channels"] if c["Channel"] == "Facebook Ads")
    offer = next(c for c in src["campaigns"] if c["Campaign"] == "New patient offer")
    # the offer's money at stake is its budget not yet spent: no Actuals row names a campaign, so all of its 2,600
    assert not any(r.get("Campaign") for r in rows) and offer["Budget"] == 2600
    dash = wb[DASHBOARD]
    for subject, amount, owner in (("Facebook Ads", facebook, agency), ("New patient offer", 2600, offer["Owner"])):
        assert value_by_label(dash, "Subject", subject, "Money at stake") == pytest.approx(amount)
        assert value_by_label(dash, "Subject", subject, "Owner") == owner == "Agency: Harbour Digital"
    assert value_by_label(dash, "Subject", "Facebook Ads", "Decision") == "Give it a budget line or stop it"
