"""Every status word the report shows, defined once.

The engine writes these words, the sheet writers put them into formula text (so a recalculated status is the
same word), compare with them and colour them; the text framework and ``--json`` show them. Nothing else
spells a status out.
"""

from __future__ import annotations

# --- A figure against its target (docs/metrics.md, "Targets, attainment and status") ---------------------
AHEAD, ON_TRACK, AT_RISK, OFF_TRACK = "Ahead", "On track", "At risk", "Off track"
NO_TARGET, NO_DATA = "No target", "No data"
#: A figure whose Actuals column is blank or absent for its subject (docs/metrics.md, "Not tracked").
NOT_TRACKED = "Not tracked"
ATTAINMENT_STATUSES = (AHEAD, ON_TRACK, AT_RISK, OFF_TRACK, NO_TARGET, NO_DATA)

# --- Budget pacing (docs/metrics.md, "Budget pacing") ----------------------------------------------------
OVER, ON, UNDER, NOT_STARTED, NO_BUDGET = "Over pace", "On pace", "Under pace", "Not started", "No budget"
PACING_STATUSES = (OVER, ON, UNDER, NOT_STARTED, NO_BUDGET)
#: The status of a channel's spend on days no budget line of the channel covers (Budget Pacing).
UNBUDGETED = "Unbudgeted"
#: The subject of the figures and triggers about all channels together.
ALL_CHANNELS = "All channels"

# --- The trend (docs/metrics.md, "Trend"): the arrow says which way the number moved, the verdict whether
# that is good for the metric ------------------------------------------------------------------------------
ROSE, FLAT, FELL, NO_TREND = "↑", "→", "↓", "–"
IMPROVING, STEADY, WORSENING = "Improving", "Steady", "Worsening"
TREND_ARROWS = (ROSE, FLAT, FELL, NO_TREND)
TREND_VERDICTS = (IMPROVING, STEADY, WORSENING, NO_TREND)

# --- Recommendations (docs/metrics.md, "Recommendations"): one action per channel -----------------------
EFFICIENT, BELOW_TARGET, UNDERPERFORMING = "efficient", "below target", "underperforming"
EFFICIENCY_BANDS = (EFFICIENT, BELOW_TARGET, UNDERPERFORMING)
PAUSE, THROTTLE, FREE_BUDGET, FIX = "Pause", "Throttle", "Free budget", "Fix"
SCALE, SPEND_TO_PLAN, HOLD, NOT_ENOUGH_DATA = "Scale", "Spend to plan", "Hold", "Not enough data"
#: Every action a channel can get, in the order of precedence used to break ties of money at stake.
CHANNEL_ACTIONS = (PAUSE, THROTTLE, FREE_BUDGET, FIX, SCALE, SPEND_TO_PLAN, HOLD, NOT_ENOUGH_DATA)

# --- A/B experiments (docs/metrics.md, "Experiments") -----------------------------------------------------
# A variant that is not significant reads "Not significant yet (p = 0.050), +37.7% observed": the decision starts
# with NOT_SIGNIFICANT and says the p-value and the lift observed (figures/ab_tests/experiment_figures.py)
ROLL_OUT, CONTROL_WINS, TOO_SMALL, NOT_SIGNIFICANT, CONTROL = (
    "Roll out",
    "Control wins",
    "Keep testing: sample too small",
    "Not significant yet",
    "Control",
)
EXPERIMENT_DECISIONS = (ROLL_OUT, CONTROL_WINS, TOO_SMALL, NOT_SIGNIFICANT, CONTROL)

# --- Funnel coverage (docs/metrics.md, "Martech stack, integrations, funnel coverage, team") --------------
COVERED, GAP = "Covered", "Gap"

# --- Campaign plan tasks: the dropdown of a plan's Status column; the tasks of the phases before the campaign's
# Status start Done, the others Not started; a task due before Report as of and not Done is Overdue ----------
IN_PROGRESS, DONE, BLOCKED = "In progress", "Done", "Blocked"
TASK_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, BLOCKED)
OVERDUE = "Overdue"
