"""A budget line's pacing figures, each defined once: its pandas computation and its Excel formula side by side.

A budget line is paced over its days inside the period (docs/metrics.md, "Budget pacing"). Each figure of a line
is a definition here, in the manner of the catalogue's blocks (:mod:`mops_xl.analysis.blocks.figure_blocks`):
``compute`` gives the engine's value of every line at once with pandas, and ``formula`` writes the same figure as
the Excel formula of the line's row on the report's Budget Pacing sheet, through a :class:`LineWriter` that the
report implements (it knows where the line's cells are and how a Settings value is named; the definition knows
what the figure is). The analysis never imports the report: a writer is a protocol.

Both forms read the figures of the same line that come before (Pace reads Actual and Expected to date), so the
definitions are listed in the order they are computed in (:data:`LINE_FIGURES`). The day counts a figure needs
(:class:`DayCount`) are defined the same way; the formulas write them inline.

A line of a channel that spends on some days only (a webinar every other Thursday; its cycle is found once, in
:mod:`mops_xl.analysis.blocks.cycles`) is paced over its own cycle, not day by day: its spend on a spend day pays for
the days to the end of that cycle, so its days to date run to the end of its current cycle (:data:`PACED_TO`), and
its expected spend to date, At today's pace and Remaining days count to there. Such a line carries three more
figures (:data:`CYCLE_COLUMNS`): its cycle (a built value, the engine's), its last spend day (a formula over the
Actuals) and the day it is paced to. Every other line's figures, and their formulas, are as they were.

A line of a lagging channel (its rows stop more than the Data settling days before Report as of, see
:mod:`mops_xl.analysis.blocks.data_dates`) is paced to its channel's last data date: its missing days are missing,
not spent at 0, so its days to date, expected spend to date and At today's pace count to that date, and its Remaining
days count the missing days with the days left. Such a line carries one more figure, :data:`DATA_THROUGH`, the
channel's last data date, written into its formulas as a formula over the Actuals (the latest Date of the channel's
rows up to Report as of, a SUMPRODUCT of MAX that Excel 2010 and LibreOffice evaluate); whether a channel lags is a
built value, the engine's, as a lumpy channel's cycle is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.statuses import NOT_STARTED, ON, OVER, UNDER
from mops_xl.analysis.blocks.window import DAY, ReportingWindow

#: The Pacing method setting that counts Monday to Friday only (else every calendar day counts).
WEEKDAYS = "weekdays"
#: A line's spend in the period at today's pace (named so: it is not a forecast of where the period lands).
AT_TODAYS_PACE = "At today's pace"
#: A lumpy line's figures (only such a line has them): its channel's spend cycle in days, its last spend day to date
#: on its days in the period, and the day it is paced to (the end of its current cycle).
SPEND_CYCLE, LAST_SPEND_DAY, PACED_TO = "Spend cycle", "Last spend day", "Paced to"
CYCLE_COLUMNS = (SPEND_CYCLE, LAST_SPEND_DAY, PACED_TO)
#: A lagging line's figure (only such a line has it): its channel's last data date.
DATA_THROUGH = "Data through"
#: The window days a line's days are held inside, by the Settings field that names them.
_WINDOW_DAYS = {"Period start": "start", "Period end": "end", "Report as of": "as_of"}


class LineWriter(Protocol):
    """What a line's definitions need to write themselves as Excel formulas; the report implements it for the
    row of one budget line."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def cell(self, figure: str) -> str:
        """The cell of the line's row holding one of its figures (a name of :data:`LINE_COLUMNS`)."""
        ...

    def budget(self, field: str) -> str:
        """The cell of the line's row on the Budget data sheet holding one of its columns, e.g. "Planned spend"."""
        ...

    def value(self, field: str) -> str:
        """The defined name of a Settings value, e.g. "Report as of", "Pacing method"."""
        ...

    def spend(self, first: str, last: str) -> str:
        """Σ the line's channel's Actuals Spend on the days from ``first`` to ``last`` (expressions)."""
        ...

    def last_spend(self, first: str, last: str) -> str:
        """The latest day from ``first`` to ``last`` (expressions) with Actuals Spend > 0 for the line's channel (0
        when none)."""
        ...

    def cycle(self) -> str:
        """The line's channel's spend cycle in days, as the engine found it (e.g. "14"), when it spends on some days
        only; "" for a channel that spends most days (its line is paced day by day)."""
        ...

    def data_through(self) -> str:
        """The line's channel's last data date as an expression over the Actuals (the latest Date of its rows up to
        Report as of) when the engine found it lagging; "" for a channel whose data reaches Report as of."""
        ...


@dataclass(frozen=True)
class PacingBasis:
    """What the lines are paced against, besides the lines themselves.

    Args:
        window: The reporting window.
        method: The Pacing method setting: ``"linear"`` or ``"weekdays"``.
        over_threshold: The Overspending threshold (e.g. 1.1).
        daily_spend: Spend summed by (Channel, Date) over every Actuals row.
        cycles: Channel → its spend cycle in days, for the channels that spend on some days only (their lines are
            paced over their cycle).
        lagging: Channel → its last data date, for the channels whose rows stop early (their lines are paced to
            that date).
    """

    window: ReportingWindow
    method: str
    over_threshold: float
    daily_spend: pd.Series
    cycles: Mapping[str, int] = field(default_factory=dict)
    lagging: Mapping[str, pd.Timestamp] = field(default_factory=dict)


# --- The pacing bands -----------------------------------------------------------------------------------------
def pacing_status(pace: float, over_threshold: float) -> str:
    """Classify a pace: Over pace above the threshold, Under pace below 2 − threshold, else On pace.

    Args:
        pace: Actual ÷ expected spend.
        over_threshold: The Overspending threshold (e.g. 1.1).

    Returns:
        The status text.
    """
    if pace > over_threshold:
        return OVER
    if pace < 2 - over_threshold:
        return UNDER
    return ON


def pacing_bands(pace: pd.Series, over_threshold: float) -> pd.Series:
    """:func:`pacing_status` of every pace of a Series (On pace where the pace is NaN).

    Args:
        pace: Paces.
        over_threshold: The Overspending threshold.

    Returns:
        The status texts, on the same index.
    """
    bands = np.select([pace > over_threshold, pace < 2 - over_threshold], [OVER, UNDER], ON)
    return pd.Series(bands, index=pace.index, dtype=object)


def pacing_status_formula(pace: str, threshold: str) -> str:
    """:func:`pacing_status` as an Excel formula.

    Args:
        pace: The pace cell or expression.
        threshold: The Overspending threshold's defined name.

    Returns:
        The IF expression (no leading "=").
    """
    return f'IF({pace}>{threshold},"{OVER}",IF({pace}<2-{threshold},"{UNDER}","{ON}"))'


# --- A line's days ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LineDay:
    """A day of a budget line: its start or end as it is, or held inside the window: the later of its start and
    Period start, the earlier of its end and Period end (or Report as of).

    Args:
        figure: "Line start" or "Line end".
        window_day: "Period start", "Period end" or "Report as of"; empty for the line's own day.
    """

    figure: str
    window_day: str = ""

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        """The day of every line."""
        day = lines[self.figure]
        if not self.window_day:
            return day
        limit = getattr(basis.window, _WINDOW_DAYS[self.window_day])
        later = self.window_day == "Period start"
        values = day.to_numpy()
        if values.dtype.kind != "M":  # not plain dates: pandas says what it makes
            return day.where(day >= limit, limit) if later else day.where(day <= limit, limit)
        bound = np.datetime64(limit).astype(values.dtype)  # the days on arrays: a few lines (NaT takes the limit)
        keep = values >= bound if later else values <= bound
        return pd.Series(np.where(keep, values, bound), index=day.index, name=day.name)

    def formula(self, w: LineWriter) -> str:
        """The day as an Excel expression."""
        day = w.cell(self.figure)
        if not self.window_day:
            return day
        later_or_earlier = "MAX" if self.window_day == "Period start" else "MIN"
        return f"{later_or_earlier}({day},{w.value(self.window_day)})"


LINE_START, LINE_END = LineDay("Line start"), LineDay("Line end")
#: F: the line's first day in the period; G: its last; and its last day to date.
FIRST_DAY, LAST_DAY = LineDay("Line start", "Period start"), LineDay("Line end", "Period end")
LAST_DAY_TO_DATE = LineDay("Line end", "Report as of")


class PacedToDate:
    """The last day of a line's days to date: the earlier of its end and Report as of, or for a lumpy line the day
    it is paced to (:class:`PacedTo`: the end of its current cycle), or for a lagging line the earlier of its end
    and its channel's last data date (:data:`DATA_THROUGH`)."""

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        """The day of every line."""
        to_date = LAST_DAY_TO_DATE.compute(lines, basis)
        if DATA_THROUGH in lines:
            through = lines[DATA_THROUGH]
            to_date = to_date.where(through.isna() | (to_date <= through), through)
        return to_date if PACED_TO not in lines else lines[PACED_TO].where(lines[PACED_TO].notna(), to_date)

    def formula(self, w: LineWriter) -> str:
        """The day as an Excel expression: the Paced to cell of a lumpy line, the earlier of a lagging line's day to
        date and its last data date, else as a day to date."""
        if w.cycle():
            return w.cell(PACED_TO)
        through = w.data_through()
        to_date = LAST_DAY_TO_DATE.formula(w)
        return f"MIN({to_date},{through})" if through else to_date


PACED_TO_DATE = PacedToDate()


class Day(Protocol):
    """A day of a line, computed for every line and written as an Excel expression for one."""

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        """The day of every line."""
        ...

    def formula(self, w: LineWriter) -> str:
        """The day as an Excel expression."""
        ...


def _dates(days: pd.Series) -> np.ndarray:
    return days.to_numpy().astype("datetime64[D]")


@dataclass(frozen=True)
class DayCount:
    """The days of a line from one of its days to another, both included; 0 when the last is before the first.

    Args:
        first: The first day.
        last: The last day.
        counted: Count the days the Pacing method counts (Monday to Friday under "weekdays", with NETWORKDAYS);
            else calendar days.
        floored: The formula holds the count at 0 (MAX(0,…)). Without it the formula trusts the days to be in
            order, as they are for the days of a line the report shows (every line overlaps the period).
        name: The figure's column when the count is one of the line's figures.
    """

    first: Day
    last: Day
    counted: bool = False
    floored: bool = False
    name: str = ""

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        """The count of every line."""
        first, last = self.first.compute(lines, basis), self.last.compute(lines, basis)
        if self.counted and basis.method == WEEKDAYS:
            weekdays = np.busday_count(_dates(first), _dates(last + DAY))
            return pd.Series(weekdays, index=lines.index, dtype="int64").clip(lower=0)
        spans = last.to_numpy() - first.to_numpy()
        if spans.dtype.kind != "m" or np.isnat(spans).any():  # not two columns of days: pandas says what it makes
            return ((last - first).dt.days + 1).clip(lower=0).astype("int64")
        return pd.Series(np.maximum(spans // np.timedelta64(1, "D") + 1, 0), index=lines.index, dtype="int64")

    def formula(self, w: LineWriter) -> str:
        """The count as an Excel expression."""
        first, last = self.first.formula(w), self.last.formula(w)
        calendar = f"{last}-{first}+1"
        if self.counted:
            return f'IF({w.value("Pacing method")}="{WEEKDAYS}",NETWORKDAYS({first},{last}),{calendar})'
        return f"MAX(0,{calendar})" if self.floored else calendar


#: L: the line's calendar days; the days the pacing method counts in the whole line and in the period.
LINE_DAYS = DayCount(LINE_START, LINE_END, name="Line days")
COUNTED_LINE_DAYS = DayCount(LINE_START, LINE_END, counted=True)
COUNTED_DAYS_IN_PERIOD = DayCount(FIRST_DAY, LAST_DAY, counted=True)
#: The line's calendar days in the period (G − F + 1) and to date (l).
DAYS_IN_PERIOD = DayCount(FIRST_DAY, LAST_DAY, floored=True)
ELAPSED_DAYS = DayCount(FIRST_DAY, PACED_TO_DATE, floored=True, name="Elapsed days")


_COUNTED_TO_DATE = DayCount(FIRST_DAY, PACED_TO_DATE, counted=True)


class CountedElapsedDays:
    """The line's days to date that the pacing method counts (a lumpy line's to the day it is paced to): 0 before
    the line starts (its Elapsed days are 0)."""

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        """The count of every line."""
        return _COUNTED_TO_DATE.compute(lines, basis)

    def formula(self, w: LineWriter) -> str:
        """The count as an Excel expression, reusing the Elapsed days cell as the calendar count."""
        elapsed, first, last = w.cell("Elapsed days"), FIRST_DAY.formula(w), PACED_TO_DATE.formula(w)
        weekdays = f'{w.value("Pacing method")}="{WEEKDAYS}"'
        return f"IF({elapsed}=0,0,IF({weekdays},NETWORKDAYS({first},{last}),{elapsed}))"


COUNTED_ELAPSED_DAYS = CountedElapsedDays()


# --- A line's figures, in the order they are computed -------------------------------------------------------
class LineFigure(Protocol):
    """One figure of a budget line: computed with pandas for every line, written as the formula of one line."""

    @property
    def name(self) -> str:
        """The figure's column."""
        ...

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        """The figure of every line (``lines`` holds the figures computed before it)."""
        ...

    def formula(self, w: LineWriter) -> str:
        """The figure of one line as an Excel formula (no leading "=")."""
        ...


@dataclass(frozen=True)
class BudgetColumn:
    """A column of the line on the Budget sheet, as it is.

    Args:
        name: The figure.
        field: The Budget column.
        number: The column holds money (read as a float).
    """

    name: str
    field: str
    number: bool = False

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        return lines[self.field].astype("float64") if self.number else lines[self.field]

    def formula(self, w: LineWriter) -> str:
        return w.budget(self.field)


class DataThrough:
    """A lagging line's channel's last data date (NaT for a channel whose data reaches Report as of): its value the
    engine's (:func:`~mops_xl.analysis.blocks.data_dates.lagging_channels`); written into the line's formulas as a
    formula over the Actuals (:meth:`LineWriter.data_through`), not in a cell of its own."""

    name = DATA_THROUGH

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        through = [basis.lagging.get(ch, pd.NaT) for ch in lines["Channel"]]
        return pd.Series(through, index=lines.index, dtype="datetime64[ns]")

    def formula(self, w: LineWriter) -> str:
        return w.data_through() or w.undefined


class SpendCycleDays:
    """A lumpy line's channel's spend cycle in days (NaN for a channel that spends most days): a built value, the
    engine's (:func:`~mops_xl.analysis.blocks.cycles.lumpy_channels`), which the report writes as a number."""

    name = SPEND_CYCLE

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        cycles = {channel: float(days) for channel, days in basis.cycles.items()}
        return pd.Series([cycles.get(ch, math.nan) for ch in lines["Channel"]], index=lines.index, dtype="float64")

    def formula(self, w: LineWriter) -> str:
        return w.cycle()


class LastSpendDay:
    """A lumpy line's last spend day: the latest of its days in the period to date (the days its Actual counts) on
    which its channel spent; undefined before its first spend (and for a line of a channel that spends most days)."""

    name = LAST_SPEND_DAY

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        first, last = FIRST_DAY.compute(lines, basis), LAST_DAY_TO_DATE.compute(lines, basis)
        days = [
            _last_spend_day(basis.daily_spend, channel, first[i], last[i]) if channel in basis.cycles else pd.NaT
            for i, channel in lines["Channel"].items()
        ]
        return pd.Series(days, index=lines.index, dtype="datetime64[ns]")

    def formula(self, w: LineWriter) -> str:
        last = w.last_spend(FIRST_DAY.formula(w), LAST_DAY_TO_DATE.formula(w))
        return f"IF({last}>0,{last},{w.undefined})"


def _last_spend_day(spend: pd.Series, channel: str, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    if last < first or channel not in spend.index.get_level_values(0):
        return pd.NaT
    days = spend.loc[channel]
    spent = days[(days.index >= first) & (days.index <= last) & (days > 0)]
    return spent.index.max() if len(spent) else pd.NaT


class PacedTo:
    """The day a lumpy line is paced to: the end of its current cycle, its last spend day + cycle − 1 (that spend
    pays for the days to there), never before Report as of (a spend overdue is judged day by day) nor after the
    line's last day in the period. Before its first spend, while its first cycle lasts (Report as of − its first day
    in the period + 1 < cycle, and Report as of before the line's last day), the day before its first day: the line
    is Not started yet, its first spend still to come; after a whole cycle without one (or on its last day), the day
    to date. Undefined for a line of a channel that spends most days."""

    name = PACED_TO

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        first, to_date = FIRST_DAY.compute(lines, basis), LAST_DAY_TO_DATE.compute(lines, basis)
        last_day, cycle = LAST_DAY.compute(lines, basis), pd.to_timedelta(lines[SPEND_CYCLE], unit="D")
        cycle_end = (lines[LAST_SPEND_DAY] + cycle - DAY).where(lambda end: end > to_date, to_date)
        paced = cycle_end.where(cycle_end < last_day, last_day)
        as_of = basis.window.as_of
        first_cycle = ((as_of - first + DAY) < cycle) & (as_of < last_day)
        waiting = (first - DAY).where(first_cycle, to_date)
        return paced.where(lines[LAST_SPEND_DAY].notna(), waiting).where(lines[SPEND_CYCLE].notna())

    def formula(self, w: LineWriter) -> str:
        first, to_date, last_day = FIRST_DAY.formula(w), LAST_DAY_TO_DATE.formula(w), LAST_DAY.formula(w)
        spent, cycle, as_of = w.cell(LAST_SPEND_DAY), w.cell(SPEND_CYCLE), w.value("Report as of")
        waiting = f"IF(AND({as_of}-{first}+1<{cycle},{as_of}<{last_day}),{first}-1,{to_date})"
        return f"IF(ISNUMBER({spent}),MIN({last_day},MAX({to_date},{spent}+{cycle}-1)),{waiting})"


class BudgetForPeriod:
    """B: the planned spend of the line's days in the period, P × (G − F + 1) ÷ L."""

    name = "Budget for period"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        return lines["Planned"] * DAYS_IN_PERIOD.compute(lines, basis) / LINE_DAYS.compute(lines, basis)

    def formula(self, w: LineWriter) -> str:
        return f"{w.cell('Planned')}*{DAYS_IN_PERIOD.formula(w)}/({LINE_DAYS.formula(w)})"


class ExpectedToDate:
    """The planned spend spread over the line's counted days, counted on its days to date; 0 for a line with no
    counted day."""

    name = "Expected to date"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        total = COUNTED_LINE_DAYS.compute(lines, basis)
        return (lines["Planned"] * COUNTED_ELAPSED_DAYS.compute(lines, basis) / total).where(total > 0, 0.0)

    def formula(self, w: LineWriter) -> str:
        total = COUNTED_LINE_DAYS.formula(w)
        return f"IF({total}>0,{w.cell('Planned')}*{COUNTED_ELAPSED_DAYS.formula(w)}/{total},0)"


class Actual:
    """The channel's spend on the line's days to date in the period (spend before Period start belongs to the
    previous period)."""

    name = "Actual"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        first, last = FIRST_DAY.compute(lines, basis), LAST_DAY_TO_DATE.compute(lines, basis)
        spend = [_spend_between(basis.daily_spend, *line) for line in zip(lines["Channel"], first, last, strict=True)]
        return pd.Series(spend, index=lines.index, dtype="float64")

    def formula(self, w: LineWriter) -> str:
        return w.spend(FIRST_DAY.formula(w), LAST_DAY_TO_DATE.formula(w))


def _spend_between(spend: pd.Series, channel: str, first: pd.Timestamp, last: pd.Timestamp) -> float:
    if last < first or channel not in spend.index.get_level_values(0):
        return 0.0
    days = spend.loc[channel]
    return float(days[(days.index >= first) & (days.index <= last)].sum())


class Pace:
    """Actual ÷ Expected to date; undefined before the line starts and while nothing is expected."""

    name = "Pace"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        expected = lines["Expected to date"]
        return (lines["Actual"] / expected).where((lines["Elapsed days"] > 0) & (expected > 0))

    def formula(self, w: LineWriter) -> str:
        elapsed, expected, u = w.cell("Elapsed days"), w.cell("Expected to date"), w.undefined
        return f"IF({elapsed}=0,{u},IF({expected}>0,{w.cell('Actual')}/{expected},{u}))"


class AtTodaysPace:
    """The line's spend in the period at today's pace: Actual ÷ counted days to date × counted days in the period
    (Actual itself while no day is counted yet); undefined before the line starts. What the line would spend if
    nothing changed, to read its Variance by; not a forecast (where the period lands is the forecast's)."""

    name = AT_TODAYS_PACE

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        actual, elapsed = lines["Actual"], COUNTED_ELAPSED_DAYS.compute(lines, basis)
        at_rate = actual / elapsed * COUNTED_DAYS_IN_PERIOD.compute(lines, basis)
        return at_rate.where(elapsed > 0, actual).where(lines["Elapsed days"] > 0)

    def formula(self, w: LineWriter) -> str:
        actual, elapsed, u = w.cell("Actual"), COUNTED_ELAPSED_DAYS.formula(w), w.undefined
        in_period = COUNTED_DAYS_IN_PERIOD.formula(w)
        return f"IF({w.cell('Elapsed days')}=0,{u},IF({elapsed}>0,{actual}/{elapsed}*{in_period},{actual}))"


class Variance:
    """At today's pace − Budget for period (positive: heading over budget); undefined with At today's pace."""

    name = "Variance"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        return lines[AT_TODAYS_PACE] - lines["Budget for period"]

    def formula(self, w: LineWriter) -> str:
        at_pace = w.cell(AT_TODAYS_PACE)
        return f"IF(ISNUMBER({at_pace}),{at_pace}-{w.cell('Budget for period')},{w.undefined})"


class LeftOnLine:
    """Budget for period − Actual: what is left on the line (its own days), not the channel's Remaining budget."""

    name = "Left on this line"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        return lines["Budget for period"] - lines["Actual"]

    def formula(self, w: LineWriter) -> str:
        return f"{w.cell('Budget for period')}-{w.cell('Actual')}"


class RemainingDays:
    """The counted days of the line in the period after Report as of."""

    name = "Remaining days"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        return COUNTED_DAYS_IN_PERIOD.compute(lines, basis) - COUNTED_ELAPSED_DAYS.compute(lines, basis)

    def formula(self, w: LineWriter) -> str:
        return f"{COUNTED_DAYS_IN_PERIOD.formula(w)}-{COUNTED_ELAPSED_DAYS.formula(w)}"


class DailyToLand:
    """max(Left on this line, 0) ÷ Remaining days: the daily spend that lands on the budget; undefined once the line's
    days in the period are over."""

    name = "Daily spend to land on budget"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        remaining, days = lines["Left on this line"], lines["Remaining days"]
        return (remaining.mask(remaining < 0, 0.0) / days).where(days != 0)

    def formula(self, w: LineWriter) -> str:
        days = w.cell("Remaining days")
        return f"IF({days}>0,MAX({w.cell('Left on this line')},0)/{days},{w.undefined})"


class LineStatus:
    """Not started before the line starts (a lumpy line: before its first spend, while its first cycle lasts); else
    the pacing band of its pace; while nothing is expected, Over pace when a line planned at 0 has spend, else On
    pace."""

    name = "Status"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        started, expecting = lines["Elapsed days"] > 0, lines["Expected to date"] > 0
        bands = pacing_bands(lines["Pace"], basis.over_threshold)
        unplanned_spend = (lines["Actual"] > 0) & (lines["Planned"] == 0)
        status = np.select([~started, expecting, unplanned_spend], [NOT_STARTED, bands, OVER], ON)
        return pd.Series(status, index=lines.index, dtype=object)

    def formula(self, w: LineWriter) -> str:
        actual, expected = w.cell("Actual"), w.cell("Expected to date")
        band = pacing_status_formula(w.cell("Pace"), w.value("Overspending threshold"))
        unplanned = f'IF(AND({actual}>0,{w.cell("Planned")}=0),"{OVER}","{ON}")'
        return f'IF({w.cell("Elapsed days")}=0,"{NOT_STARTED}",IF({expected}>0,{band},{unplanned}))'


class PlannedPerDay:
    """P ÷ the line's counted days (spent on counted days only); 0 for a line with no counted day."""

    name = "Planned per day"

    def compute(self, lines: pd.DataFrame, basis: PacingBasis) -> pd.Series:
        total = COUNTED_LINE_DAYS.compute(lines, basis)
        return (lines["Planned"] / total).where(total > 0, 0.0)

    def formula(self, w: LineWriter) -> str:
        total = COUNTED_LINE_DAYS.formula(w)
        return f"IF({total}>0,{w.cell('Planned')}/{total},0)"


#: Every figure of a budget line, in the order they are computed (each reads only the ones before it).
LINE_FIGURES: tuple[LineFigure, ...] = (
    BudgetColumn("Channel", "Channel"),
    BudgetColumn("Line start", "Period start"),
    BudgetColumn("Line end", "Period end"),
    BudgetColumn("Planned", "Planned spend", number=True),
    DataThrough(),
    SpendCycleDays(),
    LastSpendDay(),
    PacedTo(),
    LINE_DAYS,
    ELAPSED_DAYS,
    BudgetForPeriod(),
    ExpectedToDate(),
    Actual(),
    Pace(),
    AtTodaysPace(),
    Variance(),
    LeftOnLine(),
    RemainingDays(),
    DailyToLand(),
    LineStatus(),
    PlannedPerDay(),
)
#: The columns of the engine's budget lines (a lumpy line's figures, :data:`CYCLE_COLUMNS`, come after them, only
#: when some line is lumpy; then :data:`DATA_THROUGH`, only when some line lags).
LINE_COLUMNS = tuple(figure.name for figure in LINE_FIGURES if figure.name not in (*CYCLE_COLUMNS, DATA_THROUGH))
#: Each figure of a line by name.
LINE_FIGURE = {figure.name: figure for figure in LINE_FIGURES}


def pace_lines(lines: pd.DataFrame, basis: PacingBasis) -> pd.DataFrame:
    """Compute every figure of every line, each from its definition.

    Args:
        lines: Budget rows (Channel, Period start, Period end, Planned spend), indexed by the line's Excel row.
        basis: What they are paced against.

    Returns:
        One row per line, columns :data:`LINE_COLUMNS`, then :data:`CYCLE_COLUMNS` when a line's channel spends on
        some days only, then :data:`DATA_THROUGH` when a line's channel lags, on the same index.
    """
    if lines.empty:  # no line: no figure (and nothing to read a date from)
        return pd.DataFrame(columns=list(LINE_COLUMNS), index=lines.index)
    frame = lines[["Channel", "Period start", "Period end", "Planned spend"]].copy()
    for figure in LINE_FIGURES:
        frame[figure.name] = figure.compute(frame, basis)
    lumpy, lagging = frame[SPEND_CYCLE].notna().any(), frame[DATA_THROUGH].notna().any()
    return frame[list(LINE_COLUMNS) + (list(CYCLE_COLUMNS) if lumpy else []) + ([DATA_THROUGH] if lagging else [])]
