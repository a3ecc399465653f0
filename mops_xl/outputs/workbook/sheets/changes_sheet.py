"""The "What changed" sheet, right after the Dashboard, and the Dashboard's "Since <date>" block: what changed since
the previous report, as the review room compared the two (:class:`~mops_xl.analysis.review.changes.Changes`).

The sheet, top to bottom: the summary; every KPI's move with each channel's exact effect (a ratio's effect split
into its parts); the last 7 days against the 7 before, "unusual" written as a word; the actions' statuses; the
definitions that moved, apart from performance (an edited target is not a performance change); the restated
history; the forecast's drift. When the previous report is of another period, the line that says why stands in
place of the to-date parts (the KPI moves and the forecast drift). Every figure is a built value (the comparison
is of two engine results, not a formula), and every text is written as a string.

The sheet shares its columns between its tables: A names the row (metric, channel, subject, what moved), B to F hold
figures and short words, G the longest text (why); a table's long text is merged across the columns it may use.
"""

from __future__ import annotations

import math
from typing import Any

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.blocks.wording import UNDEFINED, count, day, figure, fixed
from mops_xl.analysis.engine import Analysis
from mops_xl.analysis.forecast import chance_in_words
from mops_xl.analysis.review.changes import CHANGED, CLEARED, NEW, NORMAL, UNUSUAL, Changes, KpiMove
from mops_xl.intake.currencies import symbol
from mops_xl.outputs.workbook.layout.cell_formats import Formats
from mops_xl.outputs.workbook.layout.sheet_writer import SheetWriter
from mops_xl.outputs.workbook.sheets.dashboard_grid import ROW_PT, TITLE_PT, span_width, text_lines

SHEET = "What changed"
#: Under the title: where the figures come from.
BUILT_NOTE = (
    "This report against the previous one, as built: the figures are built values (rebuild with --previous after "
    "editing the data)."
)
#: Why definitions stand apart from performance.
DEFINITIONS_NOTE = "Edited targets and settings: not performance. They change what a figure is judged against."
#: The sheet's columns: A the row's name, B-F figures and words, G the longest text.
NAME_WIDTH, FIGURE_WIDTH, TEXT_WIDTH = 30, 15, 44
LAST_COL = 6
#: At most this many lines of drivers per KPI: the largest, then the other channels together.
MAX_DRIVER_LINES = 3
#: At most this many restated figures on the sheet (the largest amounts; --json has them all).
MAX_RESTATED = 200
#: What an absent action or definition shows (a subject only one report acts on, a target only one sets).
ABSENT = "(none)"
#: The format of each action status (a Formats key of the sheet's own): what is new to do stands out.
STATUS_FORMATS = {NEW: "new", CHANGED: "changed", CLEARED: "cleared"}
#: The Dashboard block's summary starts in this grid column (as "Where the period lands" does).
SINCE_SUMMARY_FROM = 3
#: The number format of a change, signed, by Formats kind.
SIGNED_FORMATS = {
    "integer": "+#,##0;-#,##0;0",
    "number": "+#,##0.0;-#,##0.0;0.0",
    "ratio": "+0.0;-0.0;0.0",
    "percent": "+0.0%;-0.0%;0.0%",
}
#: Text a character in from the left of its cell (an indent needs its alignment set to show).
INDENTED = {"indent": 1, "align": "left"}
#: What asks for attention: an unusual week, a new action.
ATTENTION = {"bold": True, "bg_color": "#FFEB9C", "font_color": "#9C5700"}
_UNIT_KINDS = {"money": "money", "count": "integer", "ratio": "ratio", "percent": "percent"}


def figure_kind(metric: str) -> str:
    """The Formats kind a figure is shown with: its catalogue unit's, "number" for a figure the catalogue lacks.

    Args:
        metric: The figure's name.

    Returns:
        "money", "integer", "ratio", "percent" or "number".
    """
    entry = catalogue.current().find(metric)
    return _UNIT_KINDS.get(entry.unit, "number") if entry is not None else "number"


def signed(metric: str, value: float, prefix: str) -> str:
    """A change in words, with its sign and the figure's unit: "+$212", "−2", "+0.4" (a ratio's change, without
    ":1"), "–" when undefined.

    Args:
        metric: The figure that changed.
        value: The change.
        prefix: The currency prefix.

    Returns:
        The text.
    """
    if value is None or math.isnan(value):
        return UNDEFINED
    sign = "+" if value > 0 else "−" if value < 0 else ""
    size = fixed(abs(value), 1) if figure_kind(metric) == "ratio" else figure(metric, abs(value), prefix)
    return f"{sign}{size}"


def drivers_text(move: KpiMove, prefix: str, most: int = MAX_DRIVER_LINES) -> str:
    """A KPI move's drivers, one line each: the channel, its effect and, for a ratio, the parts it splits into
    ("LinkedIn Ads +$260: via spend +$300, via customers −$40"); beyond ``most`` lines, the largest and one line
    for the other channels together (so the lines still add up to the change); the move's sentence when no
    driver moved it.

    Args:
        move: The KPI's move.
        prefix: The currency prefix.
        most: The most lines.

    Returns:
        The lines, joined by line breaks.
    """
    moved = sorted((d for d in move.drivers if d.effect != 0), key=lambda d: -abs(d.effect))
    shown = moved if len(moved) <= most else moved[: most - 1]
    lines = []
    for d in shown:
        parts = ", ".join(f"via {name.lower()} {signed(move.metric, v, prefix)}" for name, v in d.parts.items())
        lines.append(f"{d.driver} {signed(move.metric, d.effect, prefix)}" + (f": {parts}" if parts else ""))
    rest = moved[len(shown) :]
    if rest:
        lines.append(f"{len(rest)} other channels {signed(move.metric, sum(d.effect for d in rest), prefix)}")
    return "\n".join(lines) or move.sentence


def put_text(ws: Any, r: int, first: int, last: int, text: str, fmt: Any) -> None:
    """Write a text as a string (never a formula, whatever it starts with), in one cell or merged over several.

    Args:
        ws: The worksheet.
        r: The row.
        first: The first column.
        last: The last column.
        text: The text.
        fmt: The format (None: plain).
    """
    if last > first:
        ws.merge_range(r, first, r, last, "", fmt)
    ws.write_string(r, first, text, fmt)


def write_since(ws: Any, r: int, changes: Changes, fmt: dict[str, Any]) -> int:
    """The Dashboard's "Since <date>" block: the title, and the summary beside it with where to read more.

    Args:
        ws: The Dashboard worksheet.
        r: The block's row.
        changes: What changed.
        fmt: The Dashboard's formats: "title", "bold_wrap".

    Returns:
        The block's last row.
    """
    ws.write_string(r, 0, f"Since {day(changes.previous_as_of)}", fmt["title"])
    text = f"{changes.summary} What changed: see the {SHEET} sheet."
    put_text(ws, r, SINCE_SUMMARY_FROM, 18, text, fmt["bold_wrap"])
    ws.set_row(r, max(TITLE_PT, ROW_PT * text_lines(text, 1.3 * span_width(SINCE_SUMMARY_FROM, 18))))
    return r


class ChangesSheet(SheetWriter):
    """Writes the "What changed" sheet (only with a previous report to compare with).

    Args:
        wb: The workbook.
        fmt: The report's formats.
        analysis: The engine's results (its ``changes``).
    """

    def __init__(self, wb: Any, fmt: Formats, analysis: Analysis):
        super().__init__(wb, fmt, analysis)
        self.prefix = symbol(analysis.intake.business["Currency"])
        money = f'"{self.prefix}"#,##0.00'
        signed_formats = {**SIGNED_FORMATS, "money": f"+{money};-{money};{money}"}
        self.own = {
            **{f"signed_{k}": wb.add_format({"num_format": v, "align": "right"}) for k, v in signed_formats.items()},
            # text right of a right-aligned figure starts a character in, so the two never run together
            "word": wb.add_format(INDENTED),
            "lines": wb.add_format({**INDENTED, "text_wrap": True, "valign": "top"}),
            "name": wb.add_format({"text_wrap": True, "valign": "top"}),
            "unusual": wb.add_format({**INDENTED, **ATTENTION}),
            "new": wb.add_format({**INDENTED, **ATTENTION}),
            "changed": wb.add_format({**INDENTED, "bold": True}),
            "cleared": wb.add_format({**INDENTED, "bg_color": "#C6EFCE", "font_color": "#006100"}),
            "summary": wb.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        }

    def write(self) -> None:
        """Write the sheet; nothing without a comparison."""
        c = self.a.changes
        if c is None:
            return
        ws = self.wb.add_worksheet(SHEET)
        ws.set_column(0, 0, NAME_WIDTH)
        ws.set_column(1, LAST_COL - 1, FIGURE_WIDTH)
        ws.set_column(LAST_COL, LAST_COL, TEXT_WIDTH)
        ws.write_string(0, 0, f"What changed since {day(c.previous_as_of)}", self.fmt["title"])
        ws.write_string(1, 0, f"{BUILT_NOTE} This report is as of {day(c.as_of)}.", self.fmt["note"])
        put_text(ws, 2, 0, LAST_COL, c.summary, self.own["summary"])
        ws.set_row(2, ROW_PT * text_lines(c.summary, NAME_WIDTH + (LAST_COL - 1) * FIGURE_WIDTH + TEXT_WIDTH))
        r = self._kpi_moves(ws, 4, c) if c.same_period else self._weekly_only(ws, 4, c)
        r = self._weekly(ws, r + 2, c)
        r = self._actions(ws, r + 2, c)
        r = self._definitions(ws, r + 2, c)
        r = self._restated(ws, r + 2, c)
        if c.same_period:
            self._forecast(ws, r + 2, c)

    # --- the sections ----------------------------------------------------------------------------------

    def _section(self, ws: Any, r: int, title: str, note: str, headers: dict[str, tuple[int, int]]) -> int:
        """A section's title, its note and its header row (each header over the columns it spans). Returns the
        header row."""
        ws.write_string(r, 0, title, self.fmt["title"])
        ws.write_string(r + 1, 0, note, self.fmt["note"])
        for text, (first, last) in headers.items():
            put_text(ws, r + 2, first, last, text, self.fmt["header"])
        return r + 2

    def _none(self, ws: Any, r: int, title: str, text: str) -> int:
        """A section with nothing to show: its title and one line."""
        ws.write_string(r, 0, title, self.fmt["title"])
        ws.write_string(r + 1, 0, text, self.fmt["note"])
        return r + 1

    def _weekly_only(self, ws: Any, r: int, c: Changes) -> int:
        """In place of the to-date parts: why only the weekly view compares."""
        return self._none(ws, r, "Every KPI's move to date", c.why_weekly_only)

    def _kpi_moves(self, ws: Any, r: int, c: Changes) -> int:
        """Every KPI's before, after and change, and each channel's effect on it."""
        title = "Every KPI's move to date, channel by channel"
        if not c.kpis:
            return self._none(ws, r, title, "No KPI to compare.")
        h = self._section(
            ws,
            r,
            title,
            "Each channel's effect adds up to the change exactly; a ratio's effect splits into its parts (via the "
            "numerator and via the denominator).",
            {
                "Metric": (0, 0),
                "Before": (1, 1),
                "After": (2, 2),
                "Change": (3, 3),
                "Why: each channel's effect": (4, 6),
            },
        )
        for i, move in enumerate(c.kpis, start=h + 1):
            ws.write_string(i, 0, move.metric)
            kind = figure_kind(move.metric)
            self._number(ws, i, 1, move.before, self.fmt[kind])
            self._number(ws, i, 2, move.after, self.fmt[kind])
            self._number(ws, i, 3, move.change, self.own[f"signed_{kind}"])
            put_text(ws, i, 4, LAST_COL, drivers_text(move, self.prefix), self.own["lines"])
        return h + len(c.kpis)

    def _weekly(self, ws: Any, r: int, c: Changes) -> int:
        """The last 7 days against the 7 before, per channel, with the verdict in words."""
        title = "The last 7 days against the 7 before"
        if not c.weekly:
            return self._none(ws, r, title, "No week to compare: the Actuals do not reach back 14 days.")
        h = self._section(
            ws,
            r,
            title,
            f"Weekday-aligned, to {day(c.as_of)}. {UNUSUAL.capitalize()}: outside the channel's own recent range (its "
            "weekday-matched history).",
            {
                "Channel": (0, 0),
                "Metric": (1, 1),
                "Last 7 days": (2, 2),
                "7 days before": (3, 3),
                "Change": (4, 4),
                "Verdict": (5, 6),
            },
        )
        # all channels' figures, and each channel's that are unusual; the others read "within normal variation"
        # in one line under the table (--json has every row)
        shown = [w for w in c.weekly if w.channel == ALL_CHANNELS or w.verdict == UNUSUAL]
        for i, w in enumerate(shown, start=h + 1):
            kind = figure_kind(w.metric)
            ws.write_string(i, 0, w.channel)
            ws.write_string(i, 1, w.metric)
            self._number(ws, i, 2, w.last_week, self.fmt[kind])
            self._number(ws, i, 3, w.week_before, self.fmt[kind])
            self._number(ws, i, 4, w.change, self.own[f"signed_{kind}"])
            put_text(ws, i, 5, LAST_COL, w.verdict, self.own["unusual" if w.verdict == UNUSUAL else "word"])
        rest = len(c.weekly) - len(shown)
        if not rest:
            return h + len(shown)
        ws.write_string(h + len(shown) + 1, 0, f"{count(rest, 'other channel figure')}: {NORMAL}.", self.fmt["note"])
        return h + len(shown) + 1

    def _actions(self, ws: Any, r: int, c: Changes) -> int:
        """Every subject of either report once: its action before and after, its status, the signal."""
        title = "Actions: new, changed, cleared, persisting"
        if not c.actions:
            return self._none(ws, r, title, "No action in either report.")
        h = self._section(
            ws,
            r,
            title,
            "New: only in this report; cleared: only in the previous one; changed: the action differs; persisting: "
            "the same action (its amount may have moved).",
            {"Subject": (0, 0), "Before": (1, 1), "After": (2, 2), "Status": (3, 3), "Signal": (4, 6)},
        )
        for i, x in enumerate(c.actions, start=h + 1):
            ws.write_string(i, 0, x.subject)
            ws.write_string(i, 1, x.before or ABSENT)
            ws.write_string(i, 2, x.after or ABSENT)
            ws.write_string(i, 3, x.status, self.own[STATUS_FORMATS.get(x.status, "word")])
            if x.signal:
                put_text(ws, i, 4, LAST_COL, x.signal, self.own["lines"])
        return h + len(c.actions)

    def _definitions(self, ws: Any, r: int, c: Changes) -> int:
        """The targets, thresholds, settings, budget lines and channels that moved, apart from performance."""
        title = "Definitions moved"
        if not c.definitions:
            return self._none(
                ws, r, title, f"None: no target, threshold, setting, budget line or channel moved. {DEFINITIONS_NOTE}"
            )
        h = self._section(ws, r, title, DEFINITIONS_NOTE, {"What": (0, 0), "Before": (1, 3), "After": (4, 6)})
        for i, d in enumerate(c.definitions, start=h + 1):
            ws.write_string(i, 0, d.what, self.own["name"])
            put_text(ws, i, 1, 3, d.before or ABSENT, self.own["name"])
            put_text(ws, i, 4, LAST_COL, d.after or ABSENT, self.own["lines"])
        return h + len(c.definitions)

    def _restated(self, ws: Any, r: int, c: Changes) -> int:
        """The Actuals days on or before the previous Report as of whose figures differ from the previous report."""
        title = "Restated history"
        if not c.restated:
            return self._none(
                ws, r, title, f"None: every Actuals day to {day(c.previous_as_of)} reads as the previous report had it."
            )
        shown = sorted(c.restated, key=lambda x: -abs(x.amount))[:MAX_RESTATED]
        more = (
            f" The {MAX_RESTATED} largest of {len(c.restated):,}; --json has them all."
            if len(shown) < len(c.restated)
            else ""
        )
        h = self._section(
            ws,
            r,
            title,
            f"Actuals days on or before {day(c.previous_as_of)} whose figures differ from the previous report: data "
            f"moved, not performance.{more}",
            {"Channel": (0, 0), "Date": (1, 1), "Field": (2, 2), "Before": (3, 3), "After": (4, 4), "Amount": (5, 5)},
        )
        for i, x in enumerate(sorted(shown, key=lambda x: (x.date, x.channel, x.field)), start=h + 1):
            kind = figure_kind(x.field)
            ws.write_string(i, 0, x.channel)
            ws.write_string(i, 1, x.date)
            ws.write_string(i, 2, x.field)
            self._number(ws, i, 3, x.before, self.fmt[kind])
            self._number(ws, i, 4, x.after, self.fmt[kind])
            self._number(ws, i, 5, x.amount, self.own[f"signed_{kind}"])
        return h + len(shown)

    def _forecast(self, ws: Any, r: int, c: Changes) -> int:
        """Each target's chance before and after, in words, the likely figure and why it moved."""
        title = "Forecast drift: the chance of each target"
        if not c.forecast:
            return self._none(ws, r, title, "No KPI has a target in both reports.")
        h = self._section(
            ws,
            r,
            title,
            "The chance of reaching each target by period end, as the previous report saw it and as this one does; "
            "likely: the middle of the range.",
            {
                "Metric": (0, 0),
                "Target": (1, 1),
                "Chance before": (2, 2),
                "Chance after": (3, 3),
                "Likely before": (4, 4),
                "Likely after": (5, 5),
                "Why": (6, 6),
            },
        )
        for i, f in enumerate(c.forecast, start=h + 1):
            kind = figure_kind(f.metric)
            ws.write_string(i, 0, f.metric)
            self._number(ws, i, 1, f.target, self.fmt[kind])
            ws.write_string(i, 2, chance_in_words(f.chance_before), self.own["word"])
            ws.write_string(i, 3, chance_in_words(f.chance_after), self.own["word"])
            self._number(ws, i, 4, f.likely_before, self.fmt[kind])
            self._number(ws, i, 5, f.likely_after, self.fmt[kind])
            ws.write_string(i, 6, f.why or UNDEFINED, self.own["lines"])
        return h + len(c.forecast)

    @staticmethod
    def _number(ws: Any, r: int, col: int, value: float, fmt: Any) -> None:
        """A built figure, or "–" when undefined."""
        if value is None or math.isnan(value):
            ws.write_string(r, col, UNDEFINED)
        else:
            ws.write_number(r, col, float(value), fmt)
