"""The actions of two reports side by side: every subject of either report once, with its status.

- **new**: a subject only this report has an action for;
- **cleared**: a subject only the previous report had (its evidence is the previous report's);
- **changed**: the action word differs (Hold → Pause);
- **persisting**: the same action word, even if its amount moved.
"""

from __future__ import annotations

from typing import Any

from mops_xl.analysis.review.changes import CHANGED, CLEARED, NEW, PERSISTING, ActionChange


def action_changes(previous: list[dict[str, Any]], current: list[dict[str, Any]]) -> list[ActionChange]:
    """Every subject of either report once: this report's in its order (by priority), then the cleared ones in the
    previous report's order.

    Args:
        previous: The previous report's actions ({"Subject", "Action", "Evidence", "Money at stake"}).
        current: This report's.

    Returns:
        One :class:`ActionChange` per subject.
    """
    before = {str(a["Subject"]): a for a in previous}
    out = []
    seen = set()
    for a in current:
        subject = str(a["Subject"])
        if subject in seen:
            continue
        seen.add(subject)
        after_word, signal = str(a.get("Action") or ""), str(a.get("Evidence") or "")
        if subject not in before:
            out.append(ActionChange(subject, "", after_word, NEW, signal))
            continue
        before_word = str(before[subject].get("Action") or "")
        status = PERSISTING if before_word == after_word else CHANGED
        out.append(ActionChange(subject, before_word, after_word, status, signal))
    for subject, a in before.items():
        if subject not in seen:
            seen.add(subject)
            out.append(ActionChange(subject, str(a.get("Action") or ""), "", CLEARED, str(a.get("Evidence") or "")))
    return out
