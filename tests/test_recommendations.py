"""One recommendation per channel (issue 15): the contradictions the samples showed, worked by hand, and the
decision's and the plan's rules as properties.

The samples' figures below are read off their Actuals and Budget sheets: saas runs Jul 1 - Sep 30, 2026 (D = 92)
as of Thursday Sep 10 (d = 72); d2c runs Oct 1-31 (D = 31) as of Saturday Oct 24 (d = 24). Both keep the default
thresholds: underperforming < 80 %, Over pace > 110 %, high performer >= 120 %, Maximum budget shift 20 %.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_consistency import intakes

from mops_xl import analyse, load_intake
from mops_xl.analysis.blocks.statuses import (
    CHANNEL_ACTIONS,
    FREE_BUDGET,
    HOLD,
    NO_BUDGET,
    NOT_ENOUGH_DATA,
    NOT_STARTED,
    ON,
    OVER,
    PAUSE,
    SCALE,
    SPEND_TO_PLAN,
    THROTTLE,
    UNDER,
)
from mops_xl.analysis.blocks.thresholds import Thresholds
from mops_xl.analysis.decisions.reallocation import GuardRails, room_in, room_out
from mops_xl.analysis.decisions.recommendations import decide, recommend
from mops_xl.analysis.engine import Analysis, thresholds
from mops_xl.analysis.figures.budget.run_rate import daily_spend_now
from mops_xl.intake.currencies import symbol

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def saas() -> Analysis:
    return analyse(load_intake(ROOT / "samples" / "saas.xlsx"))


@pytest.fixture(scope="module")
def d2c() -> Analysis:
    return analyse(load_intake(ROOT / "samples" / "d2c.xlsx"))


def _recommend(a: Analysis, attribution_reliable: bool):
    """The engine's recommendations of an analysed intake, with the attribution flag set (the flag the
    attribution reconciliation feeds)."""
    s = a.intake.settings
    return recommend(
        a.channels,
        thresholds(s),
        GuardRails(s["Maximum budget shift"]),
        attributed=a.attributed,
        model=a.attribution_model,
        run_rate=daily_spend_now(a.intake.actuals, list(a.channels.index), a.window, int(s["Trend window"])),
        days_left=a.plan.days_left,
        experiments=a.experiments,
        team=a.intake.table("Team"),
        review=a.review,
        attribution_reliable=attribution_reliable,
        prefix=symbol(a.intake.business["Currency"]),
    )


# --- the contradictions of the issue, each with its action worked by hand ------------------------------------


@pytest.mark.slow  # analyses the samples
def test_saas_linkedin_pauses_on_its_own_figures_and_would_be_throttled_on_reconciled_attribution(
    saas: Analysis,
) -> None:
    """LinkedIn Ads: CAC 47,989.08 / 7 customers = 6,855.58 against its 3,500 target: attainment 3,500 / 6,855.58
    = 51 % < 80 %, underperforming. Its own figures say Pause: the plan takes its remaining 7,010.92. Were
    attribution heard and credited it enough customers for an attributed CAC on target, the money would stay: it
    would spend its remaining budget over the 20 days left, less a day than now (Throttle), the conflict in words."""
    cac = 47989.08 / 7
    assert saas.channels.loc["LinkedIn Ads", "CAC"] == pytest.approx(cac)
    assert 3500 / cac == pytest.approx(0.5105, abs=1e-4)
    # The sample's journeys do not reconcile with Actuals (128 conversions against 51 customers: 251 % > 200 %),
    # so the report prices on the channels' own figures; with reconciling journeys attribution would be heard.
    assert saas.attribution_coverage is not None and saas.attribution_coverage.reliable is False
    assert saas.recommendations.set_index("Subject").loc["LinkedIn Ads", "Action"] == PAUSE
    heard = _recommend(saas, attribution_reliable=True)
    r = heard.table.set_index("Subject").loc["LinkedIn Ads"]
    attributed_cac = saas.attributed.loc["LinkedIn Ads", "Attributed CAC"]
    if attributed_cac <= 3500:  # attribution says on target (today's Markov credit: 1,922.89)
        remaining = 55000 - 47989.08
        assert r["Conflict"].startswith("CAC is off target, but attributed CAC")
        assert r["Conflict"].endswith("is on target: check the attribution before pausing")
        # it keeps its 7,010.92 (as much as its best day x 20 allows): 350.55 a day or less, against 712.66 now
        assert r["Planned rest of period"] <= remaining + 1e-6 and r["Planned daily spend"] <= remaining / 20 + 1e-6
        assert r["Action"] == THROTTLE and r["Planned daily spend"] > 0
    else:  # attribution agrees: Pause
        assert r["Action"] == PAUSE and r["Conflict"] == ""
    # Without attribution: Pause. Its 7,010.92 covers Partner referrals' 6,507.29 spent outside any budget line
    # and the rest, 503.63, goes to Partner referrals.
    own = _recommend(saas, attribution_reliable=False)
    row = own.table.set_index("Subject").loc["LinkedIn Ads"]
    assert row["Planned rest of period"] == 0 and row["Budget to move this period"] == pytest.approx(-7010.92)
    assert row["Funding"] == "gives $6,507 against the overspend to date; $504 to Partner referrals"  # whole dollars
    assert own.basis == "the channels' own CAC and ROAS (attribution does not reconcile with Actuals)"


@pytest.mark.slow  # analyses the samples
def test_d2c_google_shopping_says_why_the_plan_moves_nothing_to_it(d2c: Analysis) -> None:
    """Google Shopping: ROAS 135,367.18 / 37,303.26 = 3.63 against 2.9: attainment 125 % >= 120 %, a high
    performer. But it cannot spend its own budget in the 7 days left (its best day x 7 is less than its remaining
    14,696.74), so the plan moves nothing into it: it spends to plan, and its attributed ROAS, were attribution
    heard, would hold it back too, saying why."""
    roas = 135367.18 / 37303.26
    assert roas / 2.9 == pytest.approx(1.2513, abs=1e-4)
    r = _recommend(d2c, attribution_reliable=True)
    g = r.table.set_index("Subject").loc["Google Shopping"]
    assert g["Conflict"].startswith("ROAS is on target, but attributed ROAS")
    assert "no increase: the attribution disagrees (see Conflict)" in g["Funding"]
    assert g["Action"] == SPEND_TO_PLAN and "Google Shopping" not in set(r.moves["To"])
    assert d2c.attribution_coverage is not None and d2c.attribution_coverage.reliable is False
    own = d2c.recommendations.set_index("Subject")
    assert own.loc["Google Shopping", "Action"] == SPEND_TO_PLAN
    assert own.loc["Google Shopping", "Planned rest of period"] < own.loc["Google Shopping", "Remaining budget"]
    assert "Google Shopping" not in set(d2c.reallocation["To"])
    # TikTok: ROAS 19,320.82 / 26,017.06 = 0.74 vs 2.5 (30 %): it gives min(20 % x 28,000 = 5,600, 28,000 -
    # 26,017.06 = 1,982.94): all it has left, and no channel on target can use it: returned unspent.
    assert own.loc["TikTok Ads", "Action"] == PAUSE
    assert own.loc["TikTok Ads", "Funding"] == "gives €1,983 returned unspent"
    moves = d2c.reallocation.set_index("From")
    assert moves.loc["TikTok Ads", "To"] == "Returned unspent"
    assert moves.loc["TikTok Ads", "Budget to move this period"] == pytest.approx(28000 - 26017.06)
    # money returned unspent loses the giver's average: 1,982.94 x customers per euro (265 / 26,017.06)
    assert moves.loc["TikTok Ads", "Net expected customers"] == pytest.approx(-1982.94 * 265 / 26017.06, rel=1e-6)


@pytest.mark.slow  # analyses the samples
def test_saas_webinars_under_pace_spends_to_plan_and_gets_no_money(saas: Analysis) -> None:
    """Webinars: CAC 8,860.09 / 3 = 2,953.36 against its Expected CAC 3,500: attainment 119 %, efficient; at its
    current rate it would not spend its remaining 3,639.91 in the 20 days left. It spends to plan, no increase,
    and it receives nothing — not with attribution, not without."""
    assert round(3500 / (8860.09 / 3), 4) == 1.1851
    r = saas.recommendations.set_index("Subject").loc["Webinars"]
    assert r["Action"] == SPEND_TO_PLAN
    assert r["Remaining budget"] == pytest.approx(12500 - 8860.09)
    assert r["Planned rest of period"] <= r["Remaining budget"] and r["Budget to move this period"] <= 0
    assert r["Planned daily spend"] > r["Current daily spend"]
    own = _recommend(saas, attribution_reliable=False)
    assert "Webinars" not in set(own.moves["To"]) and "Webinars" not in set(saas.reallocation["To"])


@pytest.mark.slow  # analyses the samples
def test_each_amount_has_its_own_labelled_column(saas: Analysis, tmp_path: Path) -> None:
    """LinkedIn's remaining 7,010.92 (55,000 - 47,989.08) and its planned 0 are two measures, each in its own
    column; the money at stake (712.66 a day now x 20 days = the cut in spend to period end) is labelled."""
    import openpyxl

    from mops_xl import build_report

    r = saas.recommendations.set_index("Subject").loc["LinkedIn Ads"]
    assert r["Remaining budget"] == pytest.approx(55000 - 47989.08)
    assert r["Planned rest of period"] == 0
    assert r["Money at stake"] == pytest.approx(r["Current daily spend"] * 20)
    assert r["Money at stake is"] == "Change in spend to period end"
    report = build_report(saas.intake, tmp_path / "saas-report.xlsx", saas)
    wb = openpyxl.load_workbook(report, data_only=True)
    for name in ("Optimization Actions", "Dashboard", "Reallocation"):
        headers = {c.value for row in wb[name].iter_rows() for c in row}
        assert "Amount" not in headers and "Amount this period" not in headers, name
    ws = wb["Optimization Actions"]
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if "Remaining budget" in row and "Subject" in row)
    head = rows[top]
    linkedin = next(row for row in rows[top + 1 :] if row[head.index("Subject")] == "LinkedIn Ads")
    assert linkedin[head.index("Remaining budget")] == pytest.approx(7010.92)
    assert any("as built — rebuild after editing Settings, Targets or Budget" in str(v) for row in rows for v in row)


@pytest.mark.slow  # analyses the samples
@pytest.mark.parametrize(
    ("sample", "due", "owners"),
    [
        # Thursday Sep 10 -> the Weekly channel review on Monday Sep 14; LinkedIn is Maya Chen's
        ("saas", dt.datetime(2026, 9, 14), {"LinkedIn Ads": "Maya Chen", "Partner referrals": "Ines Duarte"}),
        # Saturday Oct 24 -> Monday Oct 26; TikTok is Luca Romano's
        ("d2c", dt.datetime(2026, 10, 26), {"TikTok Ads": "Luca Romano", "Google Shopping": "Zoe Kim"}),
        # Sunday Nov 22 -> Monday Nov 23
        ("local", dt.datetime(2026, 11, 23), {"Facebook Ads": "Agency: Harbour Digital"}),
    ],
)
def test_every_action_has_an_owner_and_a_due_date(sample: str, due: dt.datetime, owners: dict[str, str]) -> None:
    a = analyse(load_intake(ROOT / "samples" / f"{sample}.xlsx"))
    r = a.recommendations.set_index("Subject")
    assert set(r["Due"]) == {pd.Timestamp(due)} and set(r["Review"]) == {"Weekly channel review"}
    for subject, owner in owners.items():
        assert r.loc[subject, "Owner"] == owner
    assert all(isinstance(o, str) and o.strip() for o in r["Owner"]), "every action has an owner"


def test_next_review_follows_the_cadence_frequencies() -> None:
    from mops_xl.analysis.decisions.reviews import next_review, review_date

    thursday = pd.Timestamp(2026, 9, 10)
    assert review_date("Daily", thursday) == pd.Timestamp(2026, 9, 11)
    assert review_date("Weekly", thursday) == pd.Timestamp(2026, 9, 14)  # the next Monday
    assert review_date("Biweekly", thursday) == pd.Timestamp(2026, 9, 21)
    assert review_date("Monthly", thursday) == pd.Timestamp(2026, 10, 1)
    assert review_date("Quarterly", thursday) == pd.Timestamp(2026, 10, 1)
    assert review_date("Quarterly", pd.Timestamp(2026, 10, 1)) == pd.Timestamp(2027, 1, 1)
    assert pd.isna(review_date("After each campaign", thursday))
    cadence = pd.DataFrame(
        [
            {"Review": "Standup", "Frequency": "Daily", "Focus": "Pacing alerts"},
            {"Review": "Budget review", "Frequency": "Monthly", "Focus": "Spend"},
        ]
    )
    # the daily standup is sooner, but only the budget review takes channel actions
    assert next_review(cadence, thursday).due == pd.Timestamp(2026, 10, 1)
    assert next_review(cadence.iloc[:1], thursday).review == "Standup"  # else the soonest review
    assert pd.isna(next_review(cadence.iloc[:0], thursday).due)


# --- the decision's rules, on generated channels ----------------------------------------------------------------

T = Thresholds(underperforming=0.8, overspending=1.1, high_performer=0.2, significance=0.95, minimum_spend=100.0)
RAILS = GuardRails(0.2)


@st.composite
def channels(draw: st.DrawFn) -> pd.Series:
    """One scorecard row: a pacing status, an attainment, spend, budget and the guard-rail columns."""
    pacing = draw(st.sampled_from([OVER, ON, UNDER, NO_BUDGET, NOT_STARTED]))
    budget = 0.0 if pacing == NO_BUDGET else draw(st.sampled_from([1000.0, 5000.0, 20000.0]))
    spend = draw(st.sampled_from([0.0, 50.0, 800.0, 4000.0, 25000.0]))
    metric = draw(st.sampled_from([None, "CAC", "ROAS", "Leads"]))
    att = draw(st.sampled_from([math.nan, 0.3, 0.79, 0.8, 0.95, 1.0, 1.1, 1.2, 1.6, 2.5])) if metric else math.nan
    return pd.Series(
        {
            "Pacing status": pacing,
            "Primary metric": metric,
            "Primary target": 100.0,
            "Primary target to date": 100.0,
            "Primary source": f"{metric} target",
            "Primary actual": 100.0,
            "Attainment": att,
            "Status": draw(st.sampled_from(["On track", "Not tracked"])) if metric else "No target",
            "Spend": spend,
            "Budget for period": budget,
            "Pacing actual": spend,
            "Expected to date": budget / 2,
            "Pace": spend / (budget / 2) if budget else math.nan,
            "Projected variance": draw(st.sampled_from([-500.0, 0.0, 750.0])),
            "Daily spend to land on budget": draw(st.sampled_from([0.0, 35.5, math.nan])),
            "Locked": draw(st.booleans()),
            "Minimum spend": draw(st.sampled_from([math.nan, 0.0, 900.0])),
            "Maximum spend": draw(st.sampled_from([math.nan, budget, budget + 2000.0])),
            "Funnel stage": draw(st.sampled_from(["Decision", "Retention"])),
            "Role": draw(st.sampled_from(["Capture demand", "Brand awareness"])),
        }
    )


@pytest.mark.slow  # many generated channels
@settings(max_examples=250, deadline=None)
@given(c=channels(), attributed=st.sampled_from([None, 0.3, 1.5]))
def test_one_action_by_the_precedence_rules(c: pd.Series, attributed: float | None) -> None:
    row = None
    if attributed is not None and c["Primary metric"] in ("CAC", "ROAS"):
        value = 100.0 / attributed if c["Primary metric"] == "CAC" else 100.0 * attributed
        row = pd.Series({"Attributed conversions": 10.0, f"Attributed {c['Primary metric']}": value})
    d = decide(c, T, RAILS, row, prefix="$")
    assert d.action in CHANNEL_ACTIONS
    judged = (
        isinstance(c["Primary metric"], str)
        and c["Status"] != "Not tracked"
        and not math.isnan(c["Attainment"])
        and c["Spend"] >= T.minimum_spend
    )
    att = c["Attainment"]
    if d.action == SCALE:  # the signals' wish to scale; how much it gets is the plan's
        assert c["Pacing status"] in (OVER, ON) and judged and att >= 1
        assert not c["Locked"] and room_in(c) > 0 and not d.conflict
    if d.frees > 0:  # a donor frees only what its action frees, within the guard rails
        assert d.action in (PAUSE, FREE_BUDGET) and judged and att < T.underperforming and not c["Locked"]
        assert d.frees <= room_out(c, RAILS) + 1e-9
        assert d.frees <= 0.2 * c["Budget for period"] + 1e-9
    if d.action == FREE_BUDGET:
        assert d.frees > 0
    if not judged:
        assert d.action == (THROTTLE if c["Pacing status"] == OVER else NOT_ENOUGH_DATA)
    if judged and c["Pacing status"] == UNDER and att >= 1:
        assert d.action == SPEND_TO_PLAN  # under pace and efficient: no increase
    if d.why_not:
        assert d.action in (THROTTLE, HOLD)
    if d.conflict:
        assert "check the attribution" in d.conflict and row is not None


# --- the plan over generated intakes ------------------------------------------------------------------------


@st.composite
def planned_intakes(draw: st.DrawFn) -> dict:
    """The consistency test's generated intakes, with channel targets that make donors and receivers (a CAC target
    on Google Ads, a Leads target on TikTok), locks, Minimum and Maximum spend, and no minimum spend to judge."""
    data = draw(intakes())
    data["Targets"] = [t for t in data["Targets"] if t.get("Channel") is None] + [
        {"Metric": "CAC", "Channel": "Google Ads", "Target": draw(st.sampled_from([50.0, 150.0, 400.0]))},
        {"Metric": "Leads", "Channel": "TikTok", "Target": draw(st.sampled_from([20.0, 100.0, 400.0]))},
    ]
    for ch in data["Channels"]:
        ch["Locked"] = draw(st.booleans()) and draw(st.booleans())  # locked one time in four
        ch["Minimum spend"] = draw(st.sampled_from([None, 500.0]))
        ch["Maximum spend"] = draw(st.sampled_from([None, 1550.0, 3100.0, 9000.0]))
    data["Settings"]["Minimum spend before triggers"] = 0.0
    return data


@pytest.mark.slow  # analyses a generated intake per example
@settings(deadline=None, max_examples=20)
@given(data=planned_intakes())
def test_the_actions_are_read_off_one_plan(tmp_path_factory: pytest.TempPathFactory, data: dict) -> None:
    from mops_xl import write_intake

    path = write_intake(tmp_path_factory.mktemp("plan") / "intake.xlsx", data)
    a = analyse(load_intake(path))
    r, card, moves, plan = a.recommendations, a.channels, a.reallocation, a.plan
    channels = list(card.index)
    # one action per channel, and no account-wide action beside them
    assert sorted(s for s in r["Subject"] if s in channels) == sorted(channels)
    assert r["Subject"].is_unique and "All channels" not in set(r["Subject"])
    by = r.set_index("Subject")
    # the plan never spends more than is left, but for floors that do not fit (a decision for leadership)
    assert plan.planned <= plan.left + plan.budget_increase + 1e-6
    for ch in channels:
        row, c = by.loc[ch], card.loc[ch]
        # one remaining budget: the budget for the period less the spend in the period, the same in every table
        remaining = max(c["Budget for period"] - c["Spend"], 0.0)
        assert row["Remaining budget"] == pytest.approx(remaining)
        assert plan.table.loc[ch, "Remaining budget"] == pytest.approx(remaining)
        # the action agrees with the planned against the current daily spend
        cur, daily = row["Current daily spend"], row["Planned daily spend"]
        if row["Action"] == PAUSE:
            assert daily == 0 and cur > 0
        elif row["Action"] == SCALE:
            assert daily > 1.1 * cur and row["Budget to move this period"] > 0 and not c["Locked"]
        elif row["Action"] == THROTTLE:
            assert daily < 0.9 * cur
        elif row["Action"] == SPEND_TO_PLAN:
            assert daily > 1.1 * cur
        else:
            assert abs(daily - cur) <= 0.1 * cur + 1e-9 or daily == 0
        # every amount it gives is placed, and every amount it gets comes from a named channel
        given = moves.loc[moves["From"] == ch, "Budget to move this period"].sum()
        got = moves.loc[moves["To"] == ch, "Budget to move this period"].sum()
        assert given == pytest.approx(max(-row["Budget to move this period"], 0.0), abs=1e-6)
        if plan.budget_increase == 0:
            assert got == pytest.approx(max(row["Budget to move this period"], 0.0), abs=1e-6)
    # money moves only into a channel at or above target, or into a floor (a Locked channel keeping its daily
    # spend, a Minimum spend) that its own remaining budget does not cover
    for receiver in set(moves["To"]) - {"Overspend to date", "Returned unspent"}:
        c = card.loc[receiver]
        assert c["Attainment"] >= 1 or c["Locked"] or not pd.isna(c["Minimum spend"])
