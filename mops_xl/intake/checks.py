"""Checks that look across rows and sheets: unique keys, references, dates, experiments, funnels.

Each check is a generator of :class:`~mops_xl.intake.problems.Problem`; :func:`run_checks` runs them all. They
only read the typed tables (see :mod:`mops_xl.intake.reader`), whose index is the Excel row number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd

from mops_xl.intake.model import tracked_by_channel
from mops_xl.intake.problems import Problem, day, days
from mops_xl.intake.reader import close_match
from mops_xl.intake.schema import MAX_CAMPAIGNS, MAX_CHANNELS, MAX_JOURNEY_CHANNELS, SHEETS, TARGET_NEEDS
from mops_xl.plural import count

Tables = dict[str, pd.DataFrame]
Letters = dict[str, dict[str, str]]


def _place(sheet: str, row: int, column: str, letters: Letters) -> dict[str, Any]:
    letter = letters.get(sheet, {}).get(column)
    return {"sheet": sheet, "row": int(row), "column": column, "cell": f"{letter}{int(row)}" if letter else None}


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, str)) and bool(pd.isna(value)))


def _channel(value: Any) -> str | None:
    """The channel a row is on, for grouping its warnings (``None`` when the row's Channel is blank)."""
    return value if isinstance(value, str) else None


def unique_keys(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a problem for every repeated key (e.g. a channel listed twice)."""
    for schema in SHEETS:
        frame = tables.get(schema.name)
        if not schema.key or frame is None or frame.empty:
            continue
        keys = frame[list(schema.key)]
        keys = keys[keys[schema.key[0]].notna()]
        dup = keys.duplicated(keep=False)
        if not dup.any():
            continue
        first: dict[tuple[Any, ...], int] = {}
        for row, values in keys[dup].iterrows():
            k = tuple(None if _missing(v) else v for v in values)
            if k not in first:
                first[k] = row
                continue
            shown = ", ".join(
                f'{c} "{v}"' if v is not None else f"{c} (blank)" for c, v in zip(schema.key, k, strict=True)
            )
            yield Problem(
                "duplicate-key",
                f"{shown} appears more than once (first on row {first[k]})",
                **_place(schema.name, row, schema.key[0], letters),
            )


def channel_case_clashes(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield an error for every channel whose name equals an earlier one ignoring case only.

    Excel compares text ignoring case (a lookup of "google ads" finds "Google Ads"), so two such channels
    could not be told apart in the report. Names equal case and all are :func:`unique_keys`' duplicates.
    """
    channels = tables.get("Channels")
    if channels is None or channels.empty:
        return
    first: dict[str, tuple[str, int]] = {}
    for row, name in channels["Channel"].dropna().items():
        folded = str(name).lower()
        if folded not in first:
            first[folded] = (name, row)
            continue
        earlier, earlier_row = first[folded]
        if name == earlier:
            continue
        place = _place("Channels", row, "Channel", letters)
        earlier_cell = _place("Channels", earlier_row, "Channel", letters)["cell"] or f"row {earlier_row}"
        yield Problem(
            "case-duplicate",
            f'channel "{name}" is the same as "{earlier}" ({earlier_cell}) to Excel; names must differ by more '
            "than case",
            **place,
        )


def references(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a problem for every name that refers to nothing (with a "did you mean" hint)."""
    for schema in SHEETS:
        frame = tables.get(schema.name)
        if frame is None or frame.empty:
            continue
        for fld in schema.fields:
            if not fld.refers_to:
                continue
            target_sheet, target_col = fld.refers_to
            target = tables.get(target_sheet)
            valid = sorted({v for v in target[target_col].dropna()}) if target is not None else []
            valid_set = set(valid)
            column = frame[fld.name]
            if fld.type != "list":  # only the names found nowhere need a look, one by one
                column = column[column.notna() & ~column.isin(valid)]
            for row, value in column.items():
                items = value if isinstance(value, list) else ([] if _missing(value) else [value])
                for item in items:
                    if item not in valid_set:
                        code, what = _unknown_reference(item, valid, fld.refers_to)
                        yield Problem(code, what, **_place(schema.name, row, fld.name, letters))


def _unknown_reference(item: str, valid: list[str], refers_to: tuple[str, str]) -> tuple[str, str]:
    """Say that a name refers to nothing, with the name most likely meant.

    Args:
        item: The name.
        valid: The names it may refer to.
        refers_to: The sheet and column those names come from.

    Returns:
        ``(code, message)``: "case-mismatch" when a name differs in case only, else "unknown-reference".
    """
    target_sheet, target_col = refers_to
    hint = close_match(item, valid)
    what = f'{target_col.lower()} "{item}" is not in {target_sheet}'
    code = "unknown-reference"
    if hint is not None and hint.casefold() == item.casefold():
        code = "case-mismatch"
        what += f' (did you mean "{hint}"? names must match exactly, including case)'
    elif hint is not None:
        what += f' (did you mean "{hint}"?)'
    return code, what


def date_order(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a problem for every end date before its start date."""
    for sheet, start, end in (("Budget", "Period start", "Period end"), ("Campaigns", "Launch date", "End date")):
        frame = tables.get(sheet)
        if frame is None or frame.empty:
            continue
        bad = frame[frame[end] < frame[start]]
        for row, rec in bad.iterrows():
            yield Problem(
                "end-before-start",
                f"{end} {day(rec[end])} is before {start} {day(rec[start])}",
                **_place(sheet, row, end, letters),
            )


def budget_overlaps(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a problem for every budget line that overlaps an earlier line of the same channel."""
    budget = tables.get("Budget")
    if budget is None or budget.empty:
        return
    lines = budget.dropna(subset=["Channel", "Period start", "Period end"])
    lines = lines[lines["Period end"] >= lines["Period start"]]
    for channel, group in lines.groupby("Channel", sort=False):
        group = group.sort_values(["Period start", "Period end"])
        prev_row, prev_end = None, None
        for row, rec in group.iterrows():
            if prev_end is not None and rec["Period start"] <= prev_end:
                yield Problem(
                    "overlapping-budget",
                    f'budget line for "{channel}" '
                    f"({days(rec['Period start'], rec['Period end'])}) overlaps the line on row {prev_row} (ending "
                    f"{day(prev_end)})",
                    **_place("Budget", row, "Period start", letters),
                )
            if prev_end is None or rec["Period end"] > prev_end:
                prev_row, prev_end = row, rec["Period end"]


def experiments(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield problems for experiments without exactly one control and variants converting too much."""
    frame = tables.get("Experiments")
    if frame is None or frame.empty:
        return
    for name, group in frame.dropna(subset=["Experiment"]).groupby("Experiment", sort=False):
        controls = int(group["Is control"].fillna(False).astype(bool).sum())
        if controls != 1:
            row = group.index[0]
            yield Problem(
                "control-count",
                f'experiment "{name}" has {controls} control variants; mark exactly one "Is control" = Yes',
                **_place("Experiments", row, "Is control", letters),
            )
    over = frame[(frame["Conversions"] > frame["Visitors"]).fillna(False)]
    for row, rec in over.iterrows():
        yield Problem(
            "conversions-exceed-visitors",
            f"Conversions ({rec['Conversions']}) exceed Visitors ({rec['Visitors']})",
            **_place("Experiments", row, "Conversions", letters),
        )


_FUNNEL = ("Leads", "MQLs", "SQLs", "Customers")


def funnel_order(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a warning for every Actuals row whose funnel counts grow from one stage to the next.

    A blank count is not tracked, not 0: a pair with a blank side is not compared.
    """
    actuals = tables.get("Actuals")
    if actuals is None or actuals.empty:
        return
    for upper, lower in zip(_FUNNEL, _FUNNEL[1:], strict=False):
        bad = actuals[(actuals[lower] > actuals[upper]).fillna(False)]
        for row, rec in bad.iterrows():
            yield Problem(
                "funnel-order",
                f"{lower} ({rec[lower]:g}) is more than {upper} ({rec[upper]:g}); fine if they "
                "come from earlier leads, otherwise check the row",
                **_place("Actuals", row, lower, letters),
                channel=_channel(rec["Channel"]),
            )


def _why_untracked(column: str, channel: str | None, letters: Letters, paid_only: bool = False) -> str:
    """Say why a column is not tracked, for a channel or (None) for all channels (paid ones only for ROAS)."""
    if column not in letters.get("Actuals", {}):
        return f"the Actuals sheet has no {column} column"
    if channel is not None:
        return f'every Actuals row of "{channel}" leaves {column} blank'
    return f"no paid channel's Actuals rows give {column}" if paid_only else f"no Actuals row gives {column}"


def _tracking(tables: Tables) -> tuple[pd.DataFrame, pd.Series] | None:
    """Channel × column tracked (see :func:`~mops_xl.intake.model.tracked_by_channel`) and channel → paid."""
    actuals, channels = tables.get("Actuals"), tables.get("Channels")
    if actuals is None or actuals.empty or channels is None:
        return None
    channels = channels.dropna(subset=["Channel"]).drop_duplicates("Channel").set_index("Channel")
    tracked = tracked_by_channel(actuals, channels.index)
    return tracked, channels["Paid"].fillna(False).astype(bool)


def untracked_goals(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield :func:`untracked_targets`' warnings, then :func:`untracked_expected_cac`'s, working out once what each
    channel tracks."""
    found = _tracking(tables)
    if found is None:
        return
    yield from untracked_targets(tables, letters, found)
    yield from untracked_expected_cac(tables, letters, found)


def untracked_targets(
    tables: Tables, letters: Letters, found: tuple[pd.DataFrame, pd.Series] | None = None
) -> Iterator[Problem]:
    """Yield a warning for every target on a metric the Actuals do not track.

    A channel's target needs its channel to track the metric's column (Customers for CAC, Revenue for ROAS …);
    a blended target needs some channel to (a paid one for ROAS). Such a target cannot be judged: its status
    says Not tracked.

    Args:
        tables: Sheet name → typed table.
        letters: Sheet name → field → column letter.
        found: :func:`_tracking` of ``tables``, when the caller has it already.
    """
    found, targets = found or _tracking(tables), tables.get("Targets")
    if found is None or targets is None:
        return
    tracked, paid = found
    for row, rec in targets.iterrows():
        column = TARGET_NEEDS.get(rec["Metric"])
        channel = rec["Channel"] if isinstance(rec["Channel"], str) and rec["Channel"] else None
        if column is None or (channel is not None and channel not in tracked.index):
            continue
        paid_only = rec["Metric"] == "ROAS" and channel is None
        if tracked.loc[channel, column] if channel else tracked.loc[paid if paid_only else slice(None), column].any():
            continue
        whom = f' for "{channel}"' if channel else " for all channels"
        yield Problem(
            "untracked-target",
            f"{rec['Metric']} target{whom}, but {_why_untracked(column, channel, letters, paid_only)}: "
            "the target cannot be judged and its status says Not tracked",
            **_place("Targets", row, "Metric", letters),
        )


def untracked_expected_cac(
    tables: Tables, letters: Letters, found: tuple[pd.DataFrame, pd.Series] | None = None
) -> Iterator[Problem]:
    """Yield a warning for every Expected CAC (judged like a CAC target) of a channel that does not track
    Customers.

    Args:
        tables: Sheet name → typed table.
        letters: Sheet name → field → column letter.
        found: :func:`_tracking` of ``tables``, when the caller has it already.
    """
    found = found or _tracking(tables)
    if found is None:
        return
    tracked = found[0]
    channels = tables["Channels"]
    for row, rec in channels[channels["Expected CAC"].notna()].iterrows():
        channel = rec["Channel"]
        if channel in tracked.index and not tracked.loc[channel, "Customers"]:
            yield Problem(
                "untracked-target",
                f'Expected CAC is set for "{channel}", but {_why_untracked("Customers", channel, letters)}: '
                "its CAC cannot be judged and its status says Not tracked",
                **_place("Channels", row, "Expected CAC", letters),
            )


def size_limits(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield an error where an intake goes beyond the sizes every stage is built for (stated in the schema): the
    first Channels or Campaigns row past the limit, the touch or path bringing the journeys' first channel too many.
    """
    for sheet, limit, what in (("Channels", MAX_CHANNELS, "channels"), ("Campaigns", MAX_CAMPAIGNS, "campaigns")):
        table = tables.get(sheet)
        if table is not None and len(table) > limit:
            row = table.index[limit]
            yield Problem(
                "too-many-rows",
                f"{sheet} has {len(table):,} rows; at most {limit:,} {what} are supported (this is row {limit + 1:,} "
                "of them)",
                **_place(sheet, row, sheet[:-1], letters),
            )
    touches, paths = tables.get("Touchpoints"), tables.get("Paths")
    if touches is not None and not touches.empty:
        column, channels = "Channel", touches["Channel"].dropna()
        first = channels[~channels.duplicated()]
        sheet = "Touchpoints"
    elif paths is not None and not paths.empty:
        column, sheet = "Path", "Paths"
        seen: dict[str, int] = {}
        for row, path in paths["Path"].dropna().items():
            for channel in str(path).split(">"):
                seen.setdefault(channel.strip(), row)
        first = pd.Series(list(seen), index=list(seen.values()), dtype=object)
    else:
        return
    if len(first) > MAX_JOURNEY_CHANNELS:
        yield Problem(
            "too-many-rows",
            f"the journeys touch {len(first):,} distinct channels; at most {MAX_JOURNEY_CHANNELS:,} are supported "
            f"(attribution works on every pair of them); this {column.lower()} brings the first one too many",
            **_place(sheet, first.index[MAX_JOURNEY_CHANNELS], column, letters),
        )


def touchpoint_channels(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a warning for each Touchpoints or Paths channel that is not in Channels (allowed, e.g. "(direct)"):
    one per channel and sheet, at its first row; it gets attribution credit but has no spend.
    """
    channels = tables.get("Channels")
    if channels is None:
        return
    known = set(channels["Channel"].dropna())
    touches = tables.get("Touchpoints")
    if touches is not None and not touches.empty:
        touched = touches["Channel"].dropna()
        yield from _unknown_channels(touched, known, "Touchpoints", "Channel", ("touch", "touches"), letters)
    paths = tables.get("Paths")
    if paths is not None and not paths.empty:
        steps = paths["Path"].dropna().astype(str).str.split(">").explode().str.strip()
        steps = steps[steps != ""]
        yield from _unknown_channels(steps, known, "Paths", "Path", ("path step", "path steps"), letters)


def _unknown_channels(
    seen: pd.Series, known: set, sheet: str, column: str, what: tuple[str, str], letters: Letters
) -> Iterator[Problem]:
    """One warning per channel of ``seen`` (indexed by intake row) that is not in ``known``."""
    unknown = seen[~seen.isin(known)]
    for channel, rows in unknown.groupby(unknown, sort=False):
        yield Problem(
            "unknown-channel",
            f'channel "{channel}" is not in Channels ({count(len(rows), *what)}); it is attributed as its own channel '
            "and, without spend, has no attributed CAC or ROAS",
            **_place(sheet, rows.index[0], column, letters),
            channel=channel,
        )


def touchpoint_conversions(tables: Tables, letters: Letters) -> Iterator[Problem]:
    """Yield a warning for every conversion recorded on a touch that is not its journey's last."""
    touches = tables.get("Touchpoints")
    if touches is None or touches.empty:
        return
    ordered = touches.sort_values(["Journey ID", "Timestamp"], kind="stable")
    last = ~ordered["Journey ID"].duplicated(keep="last")
    early = ordered[ordered["Converted"].fillna(False).astype(bool) & ~last]
    for row, rec in early.iterrows():
        yield Problem(
            "conversion-not-last",
            f'journey "{rec["Journey ID"]}" converts on a touch that is not its '
            "last; attribution counts the journey as converted on its last touch",
            **_place("Touchpoints", row, "Converted", letters),
        )


CHECKS: tuple[Callable[[Tables, Letters], Iterator[Problem]], ...] = (
    size_limits,
    unique_keys,
    channel_case_clashes,
    references,
    date_order,
    budget_overlaps,
    experiments,
    funnel_order,
    untracked_goals,
    touchpoint_channels,
    touchpoint_conversions,
)


def run_checks(tables: Tables, letters: Letters) -> list[Problem]:
    """Run every cross-row and cross-sheet check.

    Args:
        tables: Sheet name → typed table.
        letters: Sheet name → field → column letter in the user's sheet.

    Returns:
        All problems found.
    """
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(tables, letters))
    return problems
