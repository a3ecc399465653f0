"""Validation problems as data, and the one report that lists them all.

Every problem found in an intake is a :class:`Problem` with a stable ``code``, a ``severity``, a place
(sheet, Excel row, column header, cell reference), the channel it is about when a check knows it, and a
plain-English ``message``. Checks never raise for bad input: they add problems to a :class:`ValidationReport`,
so the user gets every mistake at once.

People read the report as lines (:meth:`ValidationReport.grouped`): warnings and notices of one code on one
sheet, column and channel are one :class:`ProblemGroup` line naming the first three cells and the count, and so
are errors of one cause (one code, sheet and column, and the same message: a misspelled channel on 42 rows), so
that a check firing on every row of a long Actuals sheet reads as one line, not hundreds. The JSON
(:meth:`ValidationReport.to_dict`) keeps every problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from mops_xl.plural import count

ERROR = "error"
WARNING = "warning"
INFO = "info"
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
#: How many cells a grouped line names before it says how many more there are.
CELLS_SHOWN = 3

#: The months' names; prose writes a day with the first three letters ("10 Sep 2026"). The dates of every
#: message and sentence are written here once (``day``, ``days``), for the intake's messages and, through
#: ``mops_xl.analysis.blocks.wording``, for the report's prose.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def day(date: dt.date | str | None) -> str:
    """A date as every sentence writes it: day, short month, year ("10 Sep 2026"). Data cells and JSON values keep
    ISO dates ("2026-09-10").

    Args:
        date: The date (a ``datetime.date``, ``datetime.datetime`` or ``pandas.Timestamp``, or an ISO text such as
            a snapshot's "2026-09-10"); None or NaT is undefined.

    Returns:
        e.g. "10 Sep 2026", "1 Jul 2026"; "–" when undefined.
    """
    if date is None or date != date:  # NaT is not equal to itself
        return "–"
    date = _as_date(date)
    return f"{date.day} {MONTHS[date.month - 1][:3]} {date.year}"


def _as_date(value: dt.date | str) -> dt.date:
    """A date, from a date or an ISO text (a snapshot keeps its dates as "2026-09-10")."""
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def days(first: dt.date | str, last: dt.date | str) -> str:
    """A span of days as prose writes it, the year once when both ends share it: "1 Feb–30 Apr 2026",
    "8–10 Sep 2026", "15 Dec 2025–14 Jan 2026", "10 Sep 2026" for a single day.

    Args:
        first: The first day (a date or an ISO text).
        last: The last day.

    Returns:
        The span.
    """
    first, last = _as_date(first), _as_date(last)
    if (first.year, first.month, first.day) == (last.year, last.month, last.day):
        return day(first)
    if first.year != last.year:
        return f"{day(first)}–{day(last)}"
    if first.month == last.month:
        return f"{first.day}–{day(last)}"
    return f"{first.day} {MONTHS[first.month - 1][:3]}–{day(last)}"


#: Every problem code, with the severity it normally has and what it means (documented in docs/intake.md).
CODES: dict[str, tuple[str, str]] = {
    "file-not-found": (ERROR, "The intake file does not exist or cannot be opened."),
    "wrong-format": (ERROR, "The file is not an .xlsx workbook (e.g. .xls, .csv, .ods)."),
    "encrypted-workbook": (ERROR, "The workbook is password-protected."),
    "corrupt-workbook": (ERROR, "The file is empty, truncated or not a valid workbook."),
    "unsafe-workbook": (ERROR, "The file was refused for safety (XML attack, zip bomb)."),
    "sheet-too-large": (ERROR, "A sheet reaches beyond the rows, columns or cells the reader reads."),
    "too-many-rows": (ERROR, "More channels or campaigns (or journey channels) than supported."),
    "missing-sheet": (ERROR, "A required sheet is missing."),
    "empty-sheet": (ERROR, "A required sheet holds no data."),
    "missing-column": (ERROR, "A required column is missing from a table sheet."),
    "duplicate-column": (ERROR, "Two columns of a sheet have the same header."),
    "duplicate-field": (ERROR, "A field appears twice on a key/value sheet."),
    "missing-value": (ERROR, "A required value is blank."),
    "type-error": (ERROR, "A value is not of the column's type."),
    "out-of-range": (ERROR, "A number is outside the allowed range."),
    "bad-choice": (ERROR, "A value is not one of the allowed choices."),
    "ambiguous-date": (ERROR, "A date typed as text could mean more than one day."),
    "duplicate-key": (ERROR, "A key that must be unique appears more than once."),
    "case-duplicate": (ERROR, "Two channel names differ only in case, which Excel does not tell apart."),
    "unknown-reference": (ERROR, "A name refers to something that does not exist."),
    "case-mismatch": (ERROR, "A name matches an existing one only when case is ignored."),
    "overlapping-budget": (ERROR, "Two budget lines of one channel overlap in time."),
    "end-before-start": (ERROR, "An end date is before its start date."),
    "control-count": (ERROR, "An experiment does not have exactly one control."),
    "conversions-exceed-visitors": (ERROR, "More conversions than visitors."),
    "outside-period": (ERROR, "Report as of is outside the reporting period."),
    "formula-without-value": (ERROR, "A formula has no saved value (the file was never opened in a spreadsheet app)."),
    "cell-error": (ERROR, "A cell shows an error such as #REF!."),
    "far-rows": (ERROR, "Values in a table's columns lie after more than 1,000 empty rows; they are not read."),
    "merged-cells": (ERROR, "Cells of an intake sheet are merged."),
    "currency-mismatch": (ERROR, "An export states another currency than the intake's (import: --rate converts)."),
    "not-by-day": (ERROR, "An export row covers several days (import: export by day, or --spread-days)."),
    "already-imported": (
        ERROR,
        "Imported rows repeat a date, channel and campaign the intake has (import: --replace).",
    ),
    "text-date": (WARNING, "A date was typed as ISO text; it was read as that date."),
    "serial-date": (WARNING, "A plain number in a date column was read as an Excel serial date."),
    "percent-as-number": (WARNING, "A plain number was read as that many percent."),
    "funnel-order": (WARNING, "A later funnel count is larger than an earlier one in the same row."),
    "untracked-target": (WARNING, "A target (or Expected CAC) is set on a metric the Actuals do not track."),
    "unknown-channel": (WARNING, "A touchpoint channel is not in Channels."),
    "conversion-not-last": (WARNING, "A journey converts on a touch that is not its last."),
    "old-template": (WARNING, "The intake was made from an older template: `mops-xl upgrade` brings it up to date."),
    "far-cells": (WARNING, "A stray value far below and right of a table (over 1,000 empty rows) was not read."),
    "spread-over-days": (WARNING, "Export rows covering several days were spread evenly over them (--spread-days)."),
    "hidden-sheet": (INFO, "An intake sheet is hidden; it was read all the same."),
    "macros-ignored": (INFO, "The workbook carries macros; they were neither run nor copied."),
    "unknown-sheet": (INFO, "An extra sheet was ignored."),
    "unknown-column": (INFO, "An extra column was ignored."),
    "unknown-field": (INFO, "An extra field was ignored."),
    "default-applied": (INFO, "A missing setting, field or column took its default."),
    "rows-summed": (INFO, "Several Actuals rows for one date, channel and campaign were summed."),
    "time-dropped": (INFO, "Date cells carried a time; the date part was used."),
    "rows-outside-period": (INFO, "Actuals rows outside the reporting window were not counted."),
    "report-date-defaulted": (INFO, "Report as of was not given; a default was used."),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about an intake.

    Args:
        code: A stable identifier from :data:`CODES`, e.g. ``"type-error"``.
        message: A plain sentence naming the field and the bad value.
        sheet: The sheet name, or ``None`` for the whole file.
        row: The Excel row number (1-based), or ``None``.
        column: The canonical column or field name, or ``None``.
        cell: The cell reference, e.g. ``"D7"``, or ``None``.
        severity: ``"error"``, ``"warning"`` or ``"info"``; default: the code's usual severity.
        channel: The channel the problem is about (e.g. the channel of the Actuals row), when the check knows
            it, else ``None``; alike warnings are grouped per channel.
    """

    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    severity: str = ""
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")
        if not self.severity:
            object.__setattr__(self, "severity", CODES[self.code][0])

    @property
    def place(self) -> str:
        """Where the problem is, as ``Sheet!D7``, ``Sheet`` or ``""``."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict.

        Returns:
            A dict with code, severity, sheet, row, column, cell, message and channel.
        """
        d = asdict(self)
        return {k: d[k] for k in ("code", "severity", "sheet", "row", "column", "cell", "message", "channel")}

    def group_key(self) -> tuple[Any, ...]:
        """What alike warnings (or notices) share: severity, code, sheet, column and channel.

        The column is part of it because one code can say different things in different columns (a
        ``funnel-order`` warning on MQLs compares them with Leads, on Customers with SQLs).

        An error's key is its cause: its code, sheet and column and its whole message (which names the bad value),
        so one line stands for the cells that share one fix.

        Returns:
            The key.
        """
        if self.severity == ERROR:
            return (self.severity, self.code, self.sheet, self.column, self.message)
        return (self.severity, self.code, self.sheet, self.column, self.channel)


@dataclass(frozen=True)
class ProblemGroup:
    """Alike problems (one code on one sheet, column and channel; for errors, one message), read as one line.

    The line is the first problem's message, with where the others are and how many there are, e.g.
    ``Actuals!J7, J9, J12 and 480 more: Customers (3) is more than SQLs (2) on Google Ads (first of 483 rows);
    fine if they come from earlier leads, otherwise check the row``. A group of one reads as its problem.

    Args:
        problems: The problems, in report order; the first gives the line its message.
    """

    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        """The first problem of the group, whose message the line shows."""
        return self.problems[0]

    @property
    def count(self) -> int:
        """How many problems the line stands for."""
        return len(self.problems)

    @property
    def code(self) -> str:
        """The problems' code."""
        return self.first.code

    @property
    def severity(self) -> str:
        """The problems' severity."""
        return self.first.severity

    @property
    def place(self) -> str:
        """Where the problems are: the first three cells and how many more.

        E.g. ``Actuals!J7, J9, J12 and 480 more``; ``Actuals rows 7, 9, 12 …`` when the problems have rows but no
        cells; the sheet when neither; a single problem's own place.
        """
        if self.count == 1:
            return self.first.place
        sheet = self.first.sheet or ""
        more = f" and {self.count - CELLS_SHOWN} more" if self.count > CELLS_SHOWN else ""
        shown = self.problems[:CELLS_SHOWN]
        if sheet and all(p.cell for p in self.problems):
            return f"{sheet}!" + ", ".join(str(p.cell) for p in shown) + more
        if all(p.row is not None for p in self.problems):
            return (f"{sheet} rows " if sheet else "rows ") + ", ".join(str(p.row) for p in shown) + more
        return sheet

    @property
    def message(self) -> str:
        """The first problem's message; for warnings and notices, with the channel it is about (when its message
        does not name it already) and, for several, the count after its finding (errors of one cause share their
        message: the place says how many cells).

        Messages read "finding; advice" (the advice is ours, so the last ``"; "`` splits them), and the line
        becomes "finding on <channel> (first of N rows); advice" ("finding on <channel>; advice" for one row, so
        a single row names its channel as a group of them does).
        """
        if self.severity == ERROR:
            return self.first.message
        channel = self.first.channel
        named = channel and re.search(rf"(?<!\w){re.escape(channel)}(?!\w)", self.first.message)
        said = f" on {channel}" if channel and not named else ""
        if self.count > 1:
            rows = " rows" if all(p.row is not None for p in self.problems) else ""
            said += f" (first of {self.count}{rows})"
        if not said:
            return self.first.message
        finding, semicolon, advice = self.first.message.rpartition("; ")
        return f"{finding}{said}; {advice}" if semicolon else self.first.message + said

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


@dataclass
class ValidationReport:
    """Every problem found in one intake.

    Args:
        source: The path of the intake the report is about.
        problems: The problems, in the order they were found.
    """

    source: str = ""
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, **place: Any) -> Problem:
        """Record a problem.

        Args:
            code: A code from :data:`CODES`.
            message: The plain-English message.
            **place: ``sheet``, ``row``, ``column``, ``cell``, ``severity``, ``channel``.

        Returns:
            The new :class:`Problem`.
        """
        problem = Problem(code, message, **place)
        self.problems.append(problem)
        return problem

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems.

        Args:
            problems: The problems to add.
        """
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build."""
        return [p for p in self.sorted() if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not stop a build."""
        return [p for p in self.sorted() if p.severity == WARNING]

    @property
    def infos(self) -> list[Problem]:
        """Notices about what the reader did (ignored extras, defaults)."""
        return [p for p in self.sorted() if p.severity == INFO]

    @property
    def valid(self) -> bool:
        """True when there is no error."""
        return not any(p.severity == ERROR for p in self.problems)

    def sorted(self) -> list[Problem]:
        """Return the problems errors first, then warnings, then notices, each in sheet and row order.

        Returns:
            A new sorted list.
        """
        from mops_xl.intake.schema import SHEETS

        order = {s.name: i for i, s in enumerate(SHEETS)}

        def key(p: Problem) -> tuple[int, int, int, str]:
            return (
                _SEVERITY_ORDER[p.severity],
                order.get(p.sheet or "", -1 if p.sheet is None else 99),
                p.row or 0,
                p.cell or "",
            )

        return sorted(self.problems, key=key)

    def grouped(self, severity: str | None = None) -> list[ProblemGroup]:
        """Return the problems as the lines a person reads: alike problems together.

        Problems of one key (:meth:`Problem.group_key`: for warnings and notices one code on one sheet, column and
        channel; for errors one cause) are one :class:`ProblemGroup`, placed where its first problem is in
        :meth:`sorted` order.

        Args:
            severity: Only the problems of this severity; ``None`` for all.

        Returns:
            The groups, errors first, then warnings, then notices.
        """
        groups: dict[tuple[Any, ...], list[Problem]] = {}
        for p in self.sorted():
            if severity is None or p.severity == severity:
                groups.setdefault(p.group_key(), []).append(p)
        return [ProblemGroup(tuple(problems)) for problems in groups.values()]

    def counts(self) -> dict[str, int]:
        """Return how many errors, warnings and notices there are.

        Returns:
            ``{"errors": n, "warnings": n, "infos": n}``.
        """
        return {"errors": len(self.errors), "warnings": len(self.warnings), "infos": len(self.infos)}

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict.

        Returns:
            ``{"source", "valid", "counts", "problems": [...]}``.
        """
        return {
            "source": self.source,
            "valid": self.valid,
            "counts": self.counts(),
            "problems": [p.to_dict() for p in self.sorted()],
        }

    def to_json(self) -> str:
        """Return :meth:`to_dict` as indented JSON.

        Returns:
            The JSON text.
        """
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def format(self, *, include_info: bool = False, limit: int | None = 200) -> str:
        """Return the report as text, errors first: one line per cause of errors, one per group of alike warnings or
        notices.

        Args:
            include_info: Also list the notices.
            limit: Print at most this many lines per severity (``None`` for all); a line counts the problems left.

        Returns:
            The text, ending with a one-line summary.
        """
        lines: list[str] = []
        sections = [("Errors", ERROR), ("Warnings", WARNING)]
        if include_info:
            sections.append(("Notices", INFO))
        for title, severity in sections:
            groups = self.grouped(severity)
            if not groups:
                continue
            lines.append(f"{title} ({sum(g.count for g in groups)}):")
            shown = groups if limit is None else groups[:limit]
            lines.extend(f"  {g}" for g in shown)
            left = sum(g.count for g in groups[len(shown) :])
            if left:
                lines.append(f"  … and {left} more (use --json to see all)")
        c = self.counts()
        verdict = "valid" if self.valid else "not valid"
        lines.append(
            f"{self.source or 'intake'}: {verdict} — {count(c['errors'], 'error')}, "
            f"{count(c['warnings'], 'warning')}, {count(c['infos'], 'notice')}"
        )
        return "\n".join(lines)
