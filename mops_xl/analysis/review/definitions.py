"""Definitions moved, apart from data moved: the targets, the Settings (the thresholds among them), the Business
values, the budget lines and the channels that differ between two reports, each with before and after in the
report's words. A leader must never read an edited target as a performance change.

A renamed channel cannot be told from one removed and another added (the intake has no channel IDs): it shows as
both, and says so.
"""

from __future__ import annotations

import math
from typing import Any

from mops_xl.analysis.blocks.wording import days, fixed, money
from mops_xl.analysis.review.changes import DefinitionChange
from mops_xl.analysis.review.snapshot import Snapshot
from mops_xl.analysis.review.words import shown
from mops_xl.intake.schema import BUSINESS, SETTINGS, Sheet

#: What a removed and an added channel say, when both happen in one comparison.
RENAME_NOTE = "a renamed channel shows as one removed and one added"


def definition_changes(previous: Snapshot, current: Snapshot, prefix: str) -> list[DefinitionChange]:
    """Everything that defines the figures and differs between the two reports.

    Args:
        previous: The previous report's snapshot.
        current: This report's.
        prefix: The currency prefix.

    Returns:
        Targets, then settings, Business values, budget lines and channels.
    """
    return [
        *_targets(previous, current, prefix),
        *_fields("Setting", SETTINGS, previous.settings, current.settings, prefix),
        *_fields("Business", BUSINESS, previous.business_values, current.business_values, prefix),
        *_budget(previous, current, prefix),
        *_channels(previous, current),
    ]


def _targets(previous: Snapshot, current: Snapshot, prefix: str) -> list[DefinitionChange]:
    def keyed(s: Snapshot) -> dict[tuple[str, str | None], float | None]:
        return {(str(t["Metric"]), t.get("Channel")): t.get("Target") for t in s.targets}

    before, after = keyed(previous), keyed(current)
    out = []
    for key in list(dict.fromkeys([*after, *before])):
        b, a = before.get(key), after.get(key)
        if _same(b, a) and (key in before) == (key in after):
            continue
        metric, channel = key
        what = f"Target: {metric} ({channel or 'all channels'})"
        was, now = _target(metric, b, key in before, prefix), _target(metric, a, key in after, prefix)
        out.append(DefinitionChange(what, was, now))
    return out


def _target(metric: str, value: float | None, present: bool, prefix: str) -> str:
    return "" if not present else shown(metric, value, prefix)


def _fields(
    kind: str, sheet: Sheet, before: dict[str, Any], after: dict[str, Any], prefix: str
) -> list[DefinitionChange]:
    out = []
    for name in list(dict.fromkeys([*after, *before])):
        b, a = before.get(name), after.get(name)
        if _same(b, a):
            continue
        out.append(DefinitionChange(f"{kind}: {name}", _value(sheet, name, b, prefix), _value(sheet, name, a, prefix)))
    return out


def _value(sheet: Sheet, name: str, value: Any, prefix: str) -> str:
    """A Settings or Business value as the intake reads: percentages as percent, money with the currency."""
    if value is None:
        return ""
    kind = sheet.field(name).type if name in sheet.field_names else "text"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == "percent":
        return f"{fixed(value * 100, 0 if float(value * 100).is_integer() else 1)}%"
    if kind == "money":
        return money(value, prefix)
    return fixed(value, 0 if float(value).is_integer() else 2)


def _budget(previous: Snapshot, current: Snapshot, prefix: str) -> list[DefinitionChange]:
    def keyed(s: Snapshot) -> dict[tuple[str, str, str], float]:
        out: dict[tuple[str, str, str], float] = {}
        for line in s.budget:
            key = (str(line["Channel"]), str(line["Period start"]), str(line["Period end"]))
            out[key] = out.get(key, 0.0) + float(line.get("Planned spend") or 0.0)
        return out

    before, after = keyed(previous), keyed(current)
    out = []
    for key in list(dict.fromkeys([*after, *before])):
        if key in before and key in after and _same(before[key], after[key]):
            continue
        channel, start, end = key
        out.append(
            DefinitionChange(
                f"Budget line: {channel} {days(start, end)}",
                money(before[key], prefix) if key in before else "",
                money(after[key], prefix) if key in after else "",
            )
        )
    return out


def _channels(previous: Snapshot, current: Snapshot) -> list[DefinitionChange]:
    removed = [ch for ch in previous.channels if ch not in current.channels]
    added = [ch for ch in current.channels if ch not in previous.channels]
    note = f" ({RENAME_NOTE})" if removed and added else ""
    out = [DefinitionChange(f"Channel removed: {ch}{note}", _channel(previous, ch), "") for ch in removed]
    out += [DefinitionChange(f"Channel added: {ch}{note}", "", _channel(current, ch)) for ch in added]
    for ch in current.channels:
        if ch in previous.paid and ch in current.paid and previous.paid[ch] != current.paid[ch]:
            out.append(DefinitionChange(f"Channel: {ch} paid", _paid(previous.paid[ch]), _paid(current.paid[ch])))
    return out


def _channel(s: Snapshot, channel: str) -> str:
    return f"{channel} ({_paid(s.paid.get(channel, False))})"


def _paid(paid: bool) -> str:
    return "paid" if paid else "not paid"


def _same(b: Any, a: Any) -> bool:
    """Equal, numbers to 1e-9 relative."""
    if isinstance(b, int | float) and isinstance(a, int | float) and not isinstance(b, bool):
        return math.isclose(float(b), float(a), rel_tol=1e-9, abs_tol=0.0)
    return bool(b == a)
