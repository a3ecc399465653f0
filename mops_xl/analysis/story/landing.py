"""Where the period lands, as a leader reads it: one line per KPI with a target (and Spend against the budget),
each with its likely range by period end, the chance of its target in words and a rounded figure, that chance
with the plan, and what it takes: the volume a day from now against the volume a day so far, and the spend that
reaches the target with an even and a 4-in-5 chance.

Every figure is the forecast room's (:class:`~mops_xl.analysis.forecast.PeriodForecast`) and the budget needed
with odds (:func:`~mops_xl.analysis.forecast.budget_needed_with_odds`); this module only words them, once, so the
Dashboard, the framework text, the terminal summary and the roll-up read alike (docs/metrics.md, "Where the period
lands").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks.statuses import ALL_CHANNELS, NOT_TRACKED
from mops_xl.analysis.blocks.wording import UNDEFINED, day, figure, fixed, money
from mops_xl.analysis.forecast import PeriodForecast, chance_in_words
from mops_xl.analysis.forecast.budget import BEYOND_SHARE
from mops_xl.analysis.forecast.forecasters import PATHS
from mops_xl.analysis.forecast.words import ALMOST_CERTAIN, ALMOST_NONE

#: The KPIs a landing line may be about, in the order the lines are shown.
LANDING_METRICS = ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue", "CPL", "CAC", "ROAS")
#: A chance at or above this is "likely to hit"; at or below :data:`MISS`, "likely to miss"; between, a toss-up.
HIT, MISS = 0.55, 0.45
#: What one unit of a volume is called in "$2,100 per customer".
UNITS = {"Leads": "lead", "MQLs": "MQL", "SQLs": "SQL", "Customers": "customer"}
#: ... and many of them ("1.95 customers a day").
PLURALS = {"Leads": "leads", "MQLs": "MQLs", "SQLs": "SQLs", "Customers": "customers"}
#: How to read a likely figure and a range, said once under every landing block.
RANGE_NOTE = (
    f"Likely figures are the middle of {PATHS:,} simulated period ends; ranges the span 8 in 10 of them fall in "
    "(Data Notes: Forecast)."
)
#: What a ratio's High figure reads when some paths have no denominator (CAC with no customer).
NO_BOUND = "no upper bound"


@dataclass(frozen=True)
class Landing:
    """Where one KPI lands by period end.

    Args:
        metric: The KPI (e.g. "Customers").
        actual: The figure to date.
        low: P10 at period end ("if the current pattern continues").
        likely: P50.
        high: P90 (``inf`` for a ratio some paths cannot divide).
        target: The period's target (the budget for Spend); NaN without one.
        chance: The chance of the target (NaN for Spend and without a target).
        chance_with_plan: The same if the plan is followed.
        likely_with_plan: P50 if the plan is followed.
        per_day_so_far: The volume a day to date (NaN for ratios).
        per_day_needed: The volume a day from now that reaches the target (NaN for ratios).
        spend_even: The period's spend that reaches the target with an even chance (NaN when none can).
        spend_likely: The same with a 4-in-5 chance.
        marginal: The marginal cost of each unit the even-chance spend adds (the marginal CAC for customers).
        beyond: The even-chance spend is more than 1.5 × the most the channels ever spent in as many days.
        why_no_spend: Why no spend reaches the target ("" when one does).
    """

    metric: str
    actual: float
    low: float
    likely: float
    high: float
    target: float
    chance: float
    chance_with_plan: float
    likely_with_plan: float
    per_day_so_far: float
    per_day_needed: float
    spend_even: float = math.nan
    spend_likely: float = math.nan
    marginal: float = math.nan
    beyond: bool = False
    why_no_spend: str = ""

    @property
    def is_spend(self) -> bool:
        """Spend lands against the budget: no chance, the plan's spend instead."""
        return self.metric == "Spend"

    @property
    def is_ratio(self) -> bool:
        """A ratio (CPL, CAC, ROAS): no per-day figure."""
        return math.isnan(self.per_day_so_far) and not self.is_spend

    @property
    def reached(self) -> bool:
        """A volume whose target is reached already (the actual to date is at or above it)."""
        return not self.is_ratio and not self.is_spend and not math.isnan(self.target) and self.actual >= self.target

    def likely_range(self, prefix: str) -> str:
        """The likely range, Low–High, e.g. "60–72" or "$531,303–$638,056" (one figure when they meet).

        Args:
            prefix: The currency prefix.

        Returns:
            The text.
        """
        low, high = self.shown(self.low, prefix), self.shown(self.high, prefix)
        if high == NO_BOUND:
            return f"{low} or more"
        return low if low == high else f"{low}–{high}"

    def shown(self, value: float, prefix: str) -> str:
        """One of this KPI's figures in words (an infinite ratio has no upper bound).

        Args:
            value: The figure.
            prefix: The currency prefix.

        Returns:
            The text.
        """
        if isinstance(value, float) and math.isinf(value):
            return NO_BOUND
        return figure(self.metric, value, prefix)

    def chance_text(self, with_plan: bool = False) -> str:
        """The chance of the target in words and a rounded figure: "about 1 in 20 (5%)"; at the ends the words
        alone ("almost certain", "less than 1 in 100"); "reached already" for a volume at its target.

        Args:
            with_plan: The chance if the plan is followed.

        Returns:
            The text ("–" for Spend and without a target).
        """
        if self.reached:
            return "reached already"
        chance = self.chance_with_plan if with_plan else self.chance
        if math.isnan(chance):
            return UNDEFINED
        words = chance_in_words(chance)
        if words in (ALMOST_CERTAIN, ALMOST_NONE):
            return words
        return f"{words} ({fixed(chance * 100, 0)}%)"

    @property
    def likely_to_miss(self) -> bool:
        """The target's chance is below even (a target with no chance figure is not judged)."""
        return not self.reached and not math.isnan(self.chance) and self.chance < HIT

    def takes(self, prefix: str) -> str:
        """What it takes a day: "1.95 customers a day from now, against 0.71 so far", "$904 a day from now, against
        $1,409 so far" (Spend lands on the budget), "the budget is spent: $19 over already"; else "–".

        Args:
            prefix: The currency prefix.

        Returns:
            The text.
        """
        if self.is_ratio or math.isnan(self.per_day_needed) or self.reached:
            return UNDEFINED
        if self.is_spend and self.per_day_needed < 0:
            return f"the budget is spent: {money(self.actual - self.target, prefix)} over already"
        if self.metric in ("Spend", "Revenue"):
            needed, so_far = money(self.per_day_needed, prefix), money(self.per_day_so_far, prefix)
        else:
            needed = f"{per_day(self.per_day_needed)} {PLURALS.get(self.metric, self.metric.lower())}"
            so_far = per_day(self.per_day_so_far)
        return f"{needed} a day from now, against {so_far} so far"

    def spend_text(self, prefix: str) -> str:
        """The spend it takes, for a target that is likely to be missed: "$280,948 in the period for an even chance
        ($6,326 per extra customer), $390,674 for 4 in 5 — more than 1.5 × the most ever spent in a like period".

        Args:
            prefix: The currency prefix.

        Returns:
            The text ("–" for ratios, Spend and targets likely to be hit; the reason when no spend reaches it).
        """
        if self.is_ratio or self.is_spend or not self.likely_to_miss:
            return UNDEFINED
        if math.isnan(self.spend_even):
            return self.why_no_spend or UNDEFINED
        unit = UNITS.get(self.metric, f"{prefix}1 of {self.metric.lower()}")
        marginal = f" ({money(self.marginal, prefix)} per extra {unit})" if not math.isnan(self.marginal) else ""
        text = f"{money(self.spend_even, prefix)} in the period for an even chance{marginal}"
        if not math.isnan(self.spend_likely):
            text += f", {money(self.spend_likely, prefix)} for 4 in 5"
        if self.beyond:
            text += f"; that is more than {BEYOND_SHARE:g} × the most ever spent in a like period"
        return text

    def sentence(self, end: pd.Timestamp, prefix: str) -> str:
        """The line in one sentence, e.g. "Customers: likely 60–72 by 30 Sep 2026 (target 90): chance less than
        1 in 100 (<1%); with the plan, less than 1 in 100 (<1%). It takes 1.95 a day from now, against 0.71 so
        far."

        Args:
            end: Period end.
            prefix: The currency prefix.

        Returns:
            The sentence.
        """
        head = f"{self.metric}: likely {self.likely_range(prefix)} by {day(end)}"
        if self.is_spend:
            budget = f" (budget {money(self.target, prefix)})" if not math.isnan(self.target) else ""
            plan = f"; with the plan, {self.shown(self.likely_with_plan, prefix)}"
            takes = self.takes(prefix)
            tail = "" if takes == UNDEFINED else f" Landing on budget takes {takes}."
            if self.per_day_needed < 0:
                tail = f" {takes[0].upper()}{takes[1:]}."
            return f"{head}{budget}{plan}.{tail}"
        target = f" (target {self.shown(self.target, prefix)})"
        if self.reached:
            return f"{head}{target}: reached already."
        chances = f": chance {self.chance_text()}; with the plan, {self.chance_text(with_plan=True)}."
        takes, spend = self.takes(prefix), self.spend_text(prefix)
        tail = f" It takes {takes}." if takes != UNDEFINED else ""
        tail += f" Spend it takes: {spend}." if spend != UNDEFINED else ""
        return f"{head}{target}{chances}{tail}"


def per_day(value: float) -> str:
    """A volume a day: two decimals below 10 ("1.95"), whole from 10 up ("45")."""
    return fixed(value, 2 if abs(value) < 10 else 0)


def period_landing(
    forecast: PeriodForecast, with_plan: PeriodForecast, needed: pd.DataFrame, budget: float
) -> list[Landing]:
    """Where each KPI with a target (and Spend, against the budget) lands by period end, for all channels.

    Args:
        forecast: "If the current pattern continues".
        with_plan: "With the plan".
        needed: The budget needed with odds (:data:`~mops_xl.analysis.forecast.NEEDED_WITH_ODDS_COLUMNS`).
        budget: The budget for the period (NaN: none).

    Returns:
        The lines, in :data:`LANDING_METRICS` order; KPIs that are not tracked are left out.
    """
    now = forecast.kpis.set_index("Metric")
    plan = with_plan.kpis.set_index("Metric")
    out = []
    for metric in LANDING_METRICS:
        if metric not in now.index or now.loc[metric, "Method"] == NOT_TRACKED:
            continue
        row = now.loc[metric]
        target = budget if metric == "Spend" else float(row["Target"])
        if math.isnan(target) and metric != "Spend":
            continue
        per_day_needed = float(row["Per day needed"])
        if metric == "Spend" and not math.isnan(target) and forecast.paths.days_left > 0:
            per_day_needed = (target - float(row["Actual to date"])) / forecast.paths.days_left
        out.append(
            Landing(
                metric=metric,
                actual=float(row["Actual to date"]),
                low=float(row["P10"]),
                likely=float(row["P50"]),
                high=float(row["P90"]),
                target=target,
                chance=math.nan if metric == "Spend" else float(row["Chance of target"]),
                chance_with_plan=math.nan if metric == "Spend" else float(plan.loc[metric, "Chance of target"]),
                likely_with_plan=float(plan.loc[metric, "P50"]),
                per_day_so_far=float(row["Per day so far"]),
                per_day_needed=per_day_needed,
                **_spend_needed(needed, metric),
            )
        )
    return out


def _spend_needed(needed: pd.DataFrame, metric: str) -> dict[str, Any]:
    """The budget needed with odds of one volume, all channels: even and 4-in-5 spend, marginal cost, beyond."""
    rows = needed[(needed["Subject"] == ALL_CHANNELS) & (needed["Metric"] == metric)] if len(needed) else needed
    if rows.empty:
        return {}
    by_chance = rows.set_index("Chance")
    even = by_chance.loc[0.5] if 0.5 in by_chance.index else None
    likely = by_chance.loc[0.8] if 0.8 in by_chance.index else None
    if even is None:
        return {}
    return {
        "spend_even": float(even["Spend needed"]),
        "spend_likely": float(likely["Spend needed"]) if likely is not None else math.nan,
        "marginal": float(even["Marginal cost per unit"]),
        "beyond": bool(even["Beyond what was ever spent"]),
        "why_no_spend": str(even["Reason"]) if isinstance(even["Reason"], str) else "",
    }


def landing_summary(lines: list[Landing]) -> str:
    """Which targets the period will hit, and how sure that is, in one sentence: "Likely to hit: SQLs (almost
    certain), CAC (almost certain). Likely to miss: Customers (less than 1 in 100), ROAS (less than 1 in 100)."

    Args:
        lines: The landing lines.

    Returns:
        The sentence ("" when no KPI has a target).
    """
    hit: list[str] = []
    miss: list[str] = []
    even: list[str] = []
    for line in lines:
        if line.is_spend or math.isnan(line.target):
            continue
        if line.reached:
            hit.append(f"{line.metric} (reached already)")
            continue
        if math.isnan(line.chance):
            continue
        words = f"{line.metric} ({chance_in_words(line.chance)})"
        (hit if line.chance >= HIT else miss if line.chance <= MISS else even).append(words)
    parts = [
        f"{label}: {', '.join(names)}."
        for label, names in (("Likely to hit", hit), ("Could go either way", even), ("Likely to miss", miss))
        if names
    ]
    return " ".join(parts)
