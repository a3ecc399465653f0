"""What changed between two reports, on hand-built snapshot pairs whose every expected number is worked out below:
a channel whose customers vanish, the stack cost, LTV:CAC, paid-only ROAS, a channel added and one removed, an
edited target, a restated day, the actions' statuses, the weekly view's robust z-score, refusals."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pytest

from mops_xl.analysis.review import check_comparable, compare_reports
from mops_xl.analysis.review.changes import CHANGED, CLEARED, NEW, NORMAL, PERSISTING, UNUSUAL
from mops_xl.analysis.review.drivers import MARTECH_STACK
from mops_xl.analysis.review.snapshot import (
    DAILY_FIELDS,
    SNAPSHOT_VERSION,
    DailyFigures,
    Snapshot,
    SnapshotError,
    snapshot_from_json,
)
from mops_xl.analysis.review.weekly import robust_score


def _volumes(**channels: dict[str, float]) -> dict[str, dict[str, float | None]]:
    """Channel → its volumes; a volume not given is not tracked (None), Spend is 0 when not given."""
    return {ch: {f: v.get(f, 0.0 if f == "Spend" else None) for f in DAILY_FIELDS} for ch, v in channels.items()}


def snapshot(**changes: Any) -> Snapshot:
    """A small snapshot: Acme, USD, September 2026 as of Sep 3, two paid channels A and B."""
    base: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "mops_xl_version": "test",
        "business": "Acme",
        "currency": "USD",
        "period_start": "2026-09-01",
        "period_end": "2026-09-30",
        "as_of": "2026-09-03",
        "kpis": {},
        "volumes": _volumes(A={"Spend": 1000, "Customers": 10}, B={"Spend": 1000, "Customers": 10}),
        "paid": {"A": True, "B": True},
        "stack_cost": 0.0,
        "business_values": {"Customer lifetime value": 3000.0},
        "actions": [],
        "targets": [],
        "settings": {},
        "budget": [],
        "channels": ["A", "B"],
        "forecast": [],
        "daily": DailyFigures(),
    }
    base.update(changes)
    return Snapshot(**base)


def _move(changes: Any, metric: str) -> Any:
    return next(m for m in changes.kpis if m.metric == metric)


def _effects(move: Any) -> dict[str, float]:
    return {d.driver: d.effect for d in move.drivers}


def test_a_channel_whose_customers_vanish_drives_cac_up() -> None:
    """Before: A and B each spent 1,000 for 10 customers: CAC 2,000 / 20 = 100. A week later A spent 1,500 for 15
    and B 1,500 for still 10 (no customer in the new week): CAC 3,000 / 25 = 120, +20.
    R̄ = (100 + 120) / 2 = 110, D̄ = (20 + 25) / 2 = 22.5.
    A: (500 − 110 × 5) / 22.5 = −50 / 22.5 = −2.2222 (spend part 500 / 22.5 = 22.2222, customers −550 / 22.5);
    B: (500 − 110 × 0) / 22.5 = +22.2222, the largest upward effect. −2.2222 + 22.2222 = 20."""
    before = snapshot()
    after = snapshot(
        as_of="2026-09-10", volumes=_volumes(A={"Spend": 1500, "Customers": 15}, B={"Spend": 1500, "Customers": 10})
    )
    cac = _move(compare_reports(before, after), "CAC")
    assert (cac.before, cac.after, cac.change) == pytest.approx((100, 120, 20))
    assert cac.drivers[0].driver == "B"  # largest first
    assert _effects(cac) == pytest.approx({"B": 500 / 22.5, "A": -50 / 22.5})
    assert max(cac.drivers, key=lambda d: d.effect).driver == "B"
    a = next(d for d in cac.drivers if d.driver == "A")
    assert a.parts == pytest.approx({"Spend": 500 / 22.5, "Customers": -550 / 22.5})
    assert cac.sentence == "CAC +$20.00: B +$22.22 (spend +50.0%), A −$2.22 (spend +50.0%, customers +5)"


def test_fully_loaded_cac_has_the_stack_as_a_driver_and_ltv_to_cac_scales_cac() -> None:
    """Fully-loaded CAC: stack cost 100 → 170; before (2,000 + 100) / 20 = 105, after (3,000 + 170) / 25 = 126.8,
    +21.8; R̄ = 115.9, D̄ = 22.5: A (500 − 115.9 × 5) / 22.5 = −3.5333, B 500 / 22.5 = 22.2222, Martech stack
    70 / 22.5 = 3.1111.
    LTV:CAC = 3,000 / CAC: 30 → 25, −5; each CAC effect × −3,000 / (100 × 120) = −0.25: A +0.5556, B −5.5556; the
    lifetime value did not move (its driver 0)."""
    before = snapshot(stack_cost=100.0)
    after = snapshot(
        as_of="2026-09-10",
        stack_cost=170.0,
        volumes=_volumes(A={"Spend": 1500, "Customers": 15}, B={"Spend": 1500, "Customers": 10}),
    )
    changes = compare_reports(before, after)
    loaded = _move(changes, "Fully-loaded CAC")
    assert loaded.change == pytest.approx(21.8)
    assert _effects(loaded) == pytest.approx({"A": (500 - 115.9 * 5) / 22.5, "B": 500 / 22.5, MARTECH_STACK: 70 / 22.5})
    ltv = _move(changes, "LTV:CAC")
    assert (ltv.before, ltv.after) == pytest.approx((30, 25))
    assert _effects(ltv) == pytest.approx(
        {"A": -50 / 22.5 * -0.25, "B": 500 / 22.5 * -0.25, "Customer lifetime value": 0.0}
    )


def test_roas_counts_paid_channels_only_and_mer_every_channel() -> None:
    """A paid, B not. Revenue A 2,000 → 3,000, B 5,000 → 6,000; spend 1,000 → 1,500 each.
    ROAS (A only) 2,000 / 1,000 = 2 → 3,000 / 1,500 = 2: no change, B's effect 0.
    MER 7,000 / 2,000 = 3.5 → 9,000 / 3,000 = 3, −0.5; R̄ = 3.25, D̄ = 2,500:
    each channel (1,000 − 3.25 × 500) / 2,500 = −0.25."""
    paid = {"A": True, "B": False}
    before = snapshot(
        paid=paid,
        volumes=_volumes(A={"Spend": 1000, "Revenue": 2000}, B={"Spend": 1000, "Revenue": 5000}),
    )
    after = snapshot(
        as_of="2026-09-10",
        paid=paid,
        volumes=_volumes(A={"Spend": 1500, "Revenue": 3000}, B={"Spend": 1500, "Revenue": 6000}),
    )
    changes = compare_reports(before, after)
    roas = _move(changes, "ROAS")
    assert roas.change == pytest.approx(0) and _effects(roas) == pytest.approx({"A": 0.0, "B": 0.0})
    assert roas.sentence == "ROAS unchanged"
    assert _effects(_move(changes, "MER")) == pytest.approx({"A": -0.25, "B": -0.25})
    # Customers is tracked by no channel: undefined on both sides, no drivers, and the sentence says why
    cac = _move(changes, "CAC")
    assert cac.drivers == [] and "undefined in the previous report" in cac.sentence and "not tracked" in cac.sentence


def test_a_channel_added_and_one_removed() -> None:
    """Before A and B (1,000 spend, 10 customers each); after A (1,500, 15) and C (400, 2), B gone (a rename looks
    the same). Spend 2,000 → 1,900: A +500, B −1,000, C +400.
    CAC 100 → 1,900 / 17 = 111.7647; R̄ = 105.88235, D̄ = 18.5: A (500 − R̄ × 5) / 18.5 = −1.58983,
    B (−1,000 + R̄ × 10) / 18.5 = +3.17965, C (400 − R̄ × 2) / 18.5 = +10.17488."""
    before = snapshot()
    after = snapshot(
        as_of="2026-09-10",
        channels=["A", "C"],
        paid={"A": True, "C": True},
        volumes=_volumes(A={"Spend": 1500, "Customers": 15}, C={"Spend": 400, "Customers": 2}),
    )
    changes = compare_reports(before, after)
    assert _effects(_move(changes, "Spend")) == pytest.approx({"A": 500, "B": -1000, "C": 400})
    r_mean, d_mean = (100 + 1900 / 17) / 2, 18.5
    assert _effects(_move(changes, "CAC")) == pytest.approx(
        {"A": (500 - r_mean * 5) / d_mean, "B": (-1000 + r_mean * 10) / d_mean, "C": (400 - r_mean * 2) / d_mean}
    )
    whats = [(d.what, d.before, d.after) for d in changes.definitions]
    note = " (a renamed channel shows as one removed and one added)"
    assert whats == [(f"Channel removed: B{note}", "B (paid)", ""), (f"Channel added: C{note}", "", "C (paid)")]


def test_an_edited_target_is_a_definition_not_a_performance_move() -> None:
    """The same figures, the Customers target 90 → 100 and the Trend window 7 → 14 days, a budget line raised."""
    line = {"Channel": "A", "Period start": "2026-09-01", "Period end": "2026-09-30", "Planned spend": 5000.0}
    before = snapshot(
        targets=[{"Metric": "Customers", "Channel": None, "Target": 90.0}],
        settings={"Trend window": 7, "Underperforming threshold": 0.8},
        budget=[line],
    )
    after = snapshot(
        as_of="2026-09-10",
        targets=[{"Metric": "Customers", "Channel": None, "Target": 100.0}],
        settings={"Trend window": 14, "Underperforming threshold": 0.8},
        budget=[{**line, "Planned spend": 6000.0}],
    )
    changes = compare_reports(before, after)
    assert [(d.what, d.before, d.after) for d in changes.definitions] == [
        ("Target: Customers (all channels)", "90", "100"),
        ("Setting: Trend window", "7", "14"),
        ("Budget line: A 1–30 Sep 2026", "$5,000", "$6,000"),
    ]
    customers = _move(changes, "Customers")
    assert customers.change == 0 and customers.sentence == "Customers unchanged"
    assert changes.summary == (
        "Since 3 Sep 2026: targets edited: Customers 90 → 100; 2 other definitions changed (Setting: Trend window, "
        "Budget line: A 1–30 Sep 2026)."
    )


def _daily(rows: list[tuple[str, str, dict[str, float]]]) -> DailyFigures:
    return DailyFigures(
        dates=[d for d, _, _ in rows],
        channels=[c for _, c, _ in rows],
        values={f: [v.get(f) for _, _, v in rows] for f in DAILY_FIELDS},
    )


def test_a_restated_day_is_listed_with_its_amount() -> None:
    """Sep 2, A: spend 100 in the previous report, 120 now (+20); Sep 1 is the same (within 1e-9 relative); Sep 8
    is after the previous Report as of (Sep 3): new data, not a restatement. B's Sep 3 row is gone: its 5
    customers are restated to 0."""
    before = snapshot(
        daily=_daily(
            [
                ("2026-09-01", "A", {"Spend": 100.0}),
                ("2026-09-02", "A", {"Spend": 100.0}),
                ("2026-09-03", "B", {"Spend": 0.0, "Customers": 5.0}),
            ]
        )
    )
    after = snapshot(
        as_of="2026-09-10",
        daily=_daily(
            [
                ("2026-09-01", "A", {"Spend": 100.0 * (1 + 1e-12)}),
                ("2026-09-02", "A", {"Spend": 120.0}),
                ("2026-09-08", "A", {"Spend": 300.0}),
            ]
        ),
    )
    restated = [
        (r.channel, r.date, r.field, r.before, r.after, r.amount) for r in compare_reports(before, after).restated
    ]
    assert restated == [
        ("A", "2026-09-02", "Spend", 100.0, 120.0, 20.0),
        ("B", "2026-09-03", "Customers", 5.0, 0.0, -5.0),
    ]


def test_action_statuses() -> None:
    """A Hold → Pause (changed), B Scale only before (cleared, with the previous evidence), C Pause both times
    (persisting, though its money moved), D Scale only now (new)."""

    def action(subject: str, word: str, evidence: str, money: float = 0.0) -> dict[str, Any]:
        return {"Subject": subject, "Action": word, "Evidence": evidence, "Money at stake": money}

    before = snapshot(actions=[action("A", "Hold", "a0"), action("B", "Scale", "b0"), action("C", "Pause", "c0", 10)])
    after = snapshot(
        as_of="2026-09-10",
        actions=[action("A", "Pause", "a1"), action("C", "Pause", "c1", 20), action("D", "Scale", "d1")],
    )
    changes = compare_reports(before, after)
    assert [(a.subject, a.before, a.after, a.status, a.signal) for a in changes.actions] == [
        ("A", "Hold", "Pause", CHANGED, "a1"),
        ("C", "Pause", "Pause", PERSISTING, "c1"),
        ("D", "", "Scale", NEW, "d1"),
        ("B", "Scale", "", CLEARED, "b0"),
    ]
    assert "2 new actions (A: Hold → Pause, D: Scale), 1 cleared (B: Scale)" in changes.summary


def test_the_weekly_view_and_its_robust_score() -> None:
    """A's spend per 7-day week ending on Report as of (Sep 30), one row on each week's first day: weeks 1-5 before
    it 60, 70, 80, 70, 75 (median 70; deviations 10, 0, 10, 0, 5: MAD 5, s = 1.4826 × 5 = 7.413); the last week
    100: z = 30 / 7.413 = 4.047 > 3.5, unusual. B's 90 on the same history: z = 20 / 7.413 = 2.698, normal.
    C started 3 weeks ago: too little history, normal with a note."""
    rows = []
    for ch, last in (("A", 100.0), ("B", 90.0)):
        for k, total in enumerate([last, 60.0, 70.0, 80.0, 70.0, 75.0]):
            first_day = 30 - 7 * k - 6  # Sep 24, 17, 10, 3; Aug 27, 20
            date = f"2026-09-{first_day:02d}" if first_day > 0 else f"2026-08-{31 + first_day:02d}"
            rows.append((date, ch, {"Spend": total}))
    rows += [("2026-09-10", "C", {"Spend": 10.0}), ("2026-09-24", "C", {"Spend": 30.0})]
    rows.sort()
    current = snapshot(
        as_of="2026-09-30",
        channels=["A", "B", "C"],
        paid={"A": True, "B": True, "C": True},
        daily=_daily(rows),
    )
    changes = compare_reports(snapshot(period_start="2026-06-01", period_end="2026-06-30", as_of="2026-06-30"), current)
    spend = {r.channel: r for r in changes.weekly if r.metric == "Spend"}
    assert spend["A"].score == pytest.approx(30 / 7.413) and spend["A"].verdict == UNUSUAL
    assert (spend["A"].last_week, spend["A"].week_before, spend["A"].change) == (100.0, 60.0, 40.0)
    assert spend["B"].score == pytest.approx(20 / 7.413) and spend["B"].verdict == NORMAL
    assert math.isnan(spend["C"].score) and spend["C"].verdict == NORMAL
    assert spend["C"].note == "too little history to judge: 2 earlier weeks, 4 needed"
    # all channels: weeks 0-5 = 220, 120, 150 (C's 10 in week 2), 160, 140, 150: median 150, MAD 10, z = 70 / 14.826
    assert spend["All channels"].last_week == 100 + 90 + 30
    assert spend["All channels"].score == pytest.approx(70 / 14.826) and spend["All channels"].verdict == UNUSUAL
    # another period: only the weekly view, the actions and the definitions, and why
    assert not changes.same_period and changes.kpis == [] and changes.forecast == []
    assert "different periods" in changes.why_weekly_only
    assert changes.summary == (
        "Since 30 Jun 2026: another period, so the weekly view only; channel C added; "
        "unusual in the last 7 days: All channels spend, A spend."
    )


def test_robust_score_when_half_the_weeks_sit_on_the_median() -> None:
    """History 0, 0, 0, 0, 2: median 0, MAD 0; mean absolute deviation 0.4, s = 1.2533 × 0.4 = 0.50132; a week of
    2: z = 2 / 0.50132 = 3.99. All zeros: s falls to the floor (1): a week of 3 scores 3."""
    assert robust_score(2.0, np.array([0.0, 0.0, 0.0, 0.0, 2.0]), 1.0) == pytest.approx(2 / 1.0)  # floor wins
    assert robust_score(2.0, np.array([0.0, 0.0, 0.0, 0.0, 2.0]), None) == pytest.approx(2 / (1.2533 * 0.4))
    assert robust_score(3.0, np.zeros(6), 1.0) == 3.0


def test_refusals_and_versions() -> None:
    before = snapshot()
    assert check_comparable(before, snapshot(as_of="2026-09-10")) is None
    assert check_comparable(before, snapshot(business=" ACME ")) is None
    assert "a report of 'Acme'" in str(check_comparable(before, snapshot(business="Other")))
    assert "it is in USD" in str(check_comparable(before, snapshot(currency="EUR")))
    assert "after this intake's Report as of" in str(check_comparable(snapshot(as_of="2026-09-10"), before))
    text = before.to_json()
    assert snapshot_from_json(text) == before
    newer = text.replace(f'"version": {SNAPSHOT_VERSION}', f'"version": {SNAPSHOT_VERSION + 1}')
    with pytest.raises(SnapshotError, match="newer than this mops-xl reads"):
        snapshot_from_json(newer)
    assert dataclasses.replace(before, version=SNAPSHOT_VERSION).to_json() == text
