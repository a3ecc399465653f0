"""What changed, in one or two sentences (the Dashboard's "Since" block, the terminal, ``--json``):

"Since 2026-09-03: CAC +$212 (LinkedIn Ads), customers +9 (Google Ads), ROAS −0.2 (LinkedIn Ads); 1 new action
(LinkedIn Ads: Hold → Pause), 1 cleared (Webinars: Scale); targets edited: Customers 90 → 100."
"""

from __future__ import annotations

from mops_xl.analysis.blocks.wording import day
from mops_xl.analysis.decisions.recommendations import QUIET_ACTIONS
from mops_xl.analysis.review.changes import CHANGED, CLEARED, NEW, UNUSUAL, ActionChange, Changes, KpiMove
from mops_xl.analysis.review.words import signed_change
from mops_xl.plural import count

#: The KPIs the summary names first, when they moved (then none other: the "What changed" sheet has them all).
SUMMARY_KPIS = ("CAC", "Customers", "ROAS", "Revenue", "Leads", "Spend")
#: How the definitions of channels added and removed begin.
CHANNEL_WORDS = ("Channel added: ", "Channel removed: ")
#: How many moves and actions the summary names.
NAMED = 3


def summary_sentence(changes: Changes, prefix: str) -> str:
    """The summary of what changed.

    Args:
        changes: The comparison (its summary is not read).
        prefix: The currency prefix.

    Returns:
        One or two sentences.
    """
    parts = [_moves(changes, prefix), _actions(changes.actions), _definitions(changes)]
    if not changes.same_period:
        parts.insert(0, "another period, so the weekly view only")
    unusual = [f"{r.channel} {r.metric if r.metric in ('CAC', 'ROAS') else r.metric.lower()}" for r in changes.weekly]
    flagged = [u for u, r in zip(unusual, changes.weekly, strict=True) if r.verdict == UNUSUAL]
    if flagged:
        parts.append("unusual in the last 7 days: " + ", ".join(flagged[:NAMED]) + _more(len(flagged)))
    said = "; ".join(p for p in parts if p)
    return f"Since {day(changes.previous_as_of)}: {said or 'nothing moved'}."


def _moves(changes: Changes, prefix: str) -> str:
    moves = {m.metric: m for m in changes.kpis}
    words = [_move(moves[m], prefix) for m in SUMMARY_KPIS if m in moves and _moved(moves[m], prefix)]
    return ", ".join(words[:NAMED])


def _moved(move: KpiMove, prefix: str) -> bool:
    return bool(move.drivers) and signed_change(move.metric, move.change, prefix) != signed_change(
        move.metric, 0.0, prefix
    )


def _move(move: KpiMove, prefix: str) -> str:
    name = move.metric if move.metric in ("CAC", "ROAS", "CPL", "MER") else move.metric.lower()
    top = move.drivers[0].driver if move.drivers else ""
    return f"{name} {signed_change(move.metric, move.change, prefix)}" + (f" ({top})" if top else "")


def _actions(actions: list[ActionChange]) -> str:
    asked = [a for a in actions if a.status in (NEW, CHANGED) and a.after not in QUIET_ACTIONS]
    done = [
        a
        for a in actions
        if a.status == CLEARED or (a.status == CHANGED and a.after in QUIET_ACTIONS and a.before not in QUIET_ACTIONS)
    ]
    out = []
    if asked:
        named = ", ".join(_action_words(a) for a in asked[:NAMED]) + _more(len(asked))
        out.append(f"{count(len(asked), 'new action')} ({named})")
    if done:
        named = ", ".join(_action_words(a) for a in done[:NAMED]) + _more(len(done))
        out.append(f"{len(done)} cleared ({named})")
    return ", ".join(out)


def _action_words(a: ActionChange) -> str:
    """ "LinkedIn Ads: Throttle → Pause" (changed), "Webinars: Scale" (new or cleared)."""
    if a.status == CHANGED:
        return f"{a.subject}: {a.before} → {a.after}"
    return f"{a.subject}: {a.after or a.before}"


def _definitions(changes: Changes) -> str:
    targets = [d for d in changes.definitions if d.what.startswith("Target: ")]
    channels = [_channel_words(d.what) for d in changes.definitions if d.what.startswith(CHANNEL_WORDS)]
    others = [d.what for d in changes.definitions if not d.what.startswith(("Target: ", *CHANNEL_WORDS))]
    out = []
    if targets:
        edits = [f"{_target_name(d.what)} {_was(d.before, d.after)}" for d in targets]
        out.append("targets edited: " + ", ".join(edits[:NAMED]) + _more(len(edits)))
    if channels:
        out.append(", ".join(channels[:NAMED]) + _more(len(channels)))
    if others:
        out.append(
            f"{count(len(others), 'other definition')} changed ({', '.join(others[:NAMED])}{_more(len(others))})"
        )
    if changes.restated:
        out.append(f"{count(len(changes.restated), 'restated figure')}")
    return "; ".join(out)


def _channel_words(what: str) -> str:
    """ "Channel added: C (a renamed …)" → "channel C added"."""
    kind, _, rest = what.partition(": ")
    name = rest.split(" (a renamed")[0]
    return f"channel {name} {kind.split()[-1]}"


def _target_name(what: str) -> str:
    return what.removeprefix("Target: ").replace(" (all channels)", "")


def _was(before: str, after: str) -> str:
    return f"{before or 'none'} → {after or 'removed'}"


def _more(n: int) -> str:
    return f" and {n - NAMED} more" if n > NAMED else ""
