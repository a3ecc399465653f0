"""Where the catalogue's figures are written: the formula writers its blocks write themselves through.

A catalogue block (:mod:`mops_xl.analysis.blocks.figure_blocks`) knows what a figure is; a writer here knows where
its rows
are: the KPI Framework's blended rows (:class:`BlendedFormulas`: every channel, like-for-like over the channels
that track what a ratio needs) or one channel's or campaign's row (:class:`RowFormulas`: that subject's Actuals
rows, reusing the cells of the row that already hold a volume). Neither writes a metric's formula itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.intake.model import TRACKABLE
from mops_xl.outputs.workbook.formulas.excel_formulas import (
    CHANNEL_KEY,
    UNDEFINED,
    actuals_sum,
    col,
    if_tracked,
    name_for,
    untracked,
)

#: The number format of each catalogue unit.
UNIT_FORMATS = {"money": "money", "count": "integer", "ratio": "ratio", "percent": "percent"}
_DAYS = {"elapsed": "ElapsedDays", "period": "PeriodDays"}


def number_format(metric: str) -> str:
    """The number format a figure is shown with, from its catalogue unit.

    Args:
        metric: A catalogue figure.

    Returns:
        A :class:`~mops_xl.outputs.workbook.layout.cell_formats.Formats` key ("money", "integer", "ratio", "percent").
    """
    return UNIT_FORMATS[catalogue.current().get(metric).unit]


def figure_formula(metric: str, writer: BlendedFormulas | RowFormulas) -> str:
    """A catalogue figure's formula, written for one place.

    Args:
        metric: The figure.
        writer: Where it is written.

    Returns:
        The formula (no leading "=").
    """
    return catalogue.current().get(metric).expression.formula(writer)


def _trackable(columns: tuple[str, ...]) -> list[str]:
    return [c for c in columns if c in TRACKABLE]


def _channel_tests(tracked: list[str], paid_only: bool) -> list[str]:
    """Array conditions over the Channels rows: the channel is paid (``paid_only``) and tracks each column.

    A channel tracks a column when some Actuals row of it (by Channel key) gives one: the channel's key is
    found (MATCH) among the keys of the rows giving it. Not ``COUNTIFS(ActualsChannelKey,ChannelsChannelKey,…)``,
    whose array of criteria Gnumeric does not read (it takes the first); keys start at 1, so the 0 of the rows
    left out never matches.
    """
    keys, channels = col("Actuals", CHANNEL_KEY), col("Channels", CHANNEL_KEY)
    tests = [f'({col("Channels", "Paid")}="Yes")'] if paid_only else []
    tests += [f'ISNUMBER(MATCH({channels},IF({col("Actuals", c)}<>"",{keys},0),0))' for c in tracked]
    return tests


def _channels_sum(column: str, tests: list[str], first: str, last: str) -> str:
    """Σ of an Actuals column over the window, on the rows of the channels meeting every test.

    Row by row: a row counts when its Channel key is among the keys of the channels meeting the tests (the
    others' keys become -1, which no row has, a blank key included). The same sum as the channels' SUMIFS
    added up, in a form every engine evaluates (an array formula: see
    :mod:`~mops_xl.outputs.workbook.formulas.portable`).
    """
    date, keys = col("Actuals", "Date"), col("Actuals", CHANNEL_KEY)
    chosen = f"IF({'*'.join(tests)},{col('Channels', CHANNEL_KEY)},-1)"
    return f"SUMPRODUCT({col('Actuals', column)}*({date}>={first})*({date}<={last})*ISNUMBER(MATCH({keys},{chosen},0)))"


class WorkbookNames:
    """What every place's formulas read alike: Business and Settings values, data sheet columns, the window's
    days (the base of every writer the definitions write through)."""

    #: The formula text of an undefined figure.
    undefined = f'"{UNDEFINED}"'

    def value(self, field: str) -> str:
        """The defined name of a Business or Settings value, or a day of the window ("Period start")."""
        return name_for(field)

    def column(self, sheet: str, column: str) -> str:
        """A data sheet column."""
        return col(sheet, column)

    def days(self, which: str) -> str:
        """d or D."""
        return _DAYS[which]


class BlendedFormulas(WorkbookNames):
    """The KPI Framework's writer: every channel's Actuals rows in a window.

    Args:
        first: The window's first day (an expression).
        last: Its last day.
        figure: Metric → the cell holding that figure in the same column.
        reuse: The volumes whose all-channel sum is already in a cell of the column (:meth:`sum` and
            :meth:`when_tracked` reference it instead of summing again); never the figure being written.
    """

    def __init__(self, first: str, last: str, figure: Callable[[str], str], reuse: Collection[str] = ()):
        self.first, self.last, self._figure, self.reuse = first, last, figure, reuse

    def sum(self, column: str, tracked_by: tuple[str, ...] = (), paid_only: bool = False) -> str:
        """Σ of a column, over the channels that track ``tracked_by`` (paid ones with ``paid_only``)."""
        others = [c for c in _trackable(tracked_by) if c != column]
        if not others and not paid_only and column in self.reuse:
            return self._figure(column)
        if not others and not paid_only:
            return actuals_sum(column, first=self.first, last=self.last)
        return _channels_sum(column, _channel_tests(others, paid_only), self.first, self.last)

    def when_tracked(self, columns: tuple[str, ...], paid_only: bool, formula: str) -> str:
        """The formula, or Not tracked when no channel (paid with ``paid_only``) tracks every column."""
        tracked = _trackable(columns)
        if not tracked:
            return formula
        if len(tracked) == 1 and not paid_only and tracked[0] in self.reuse:
            return if_tracked(formula, self._figure(tracked[0]))
        if len(tracked) == 1 and not paid_only:
            return f'IF(COUNTIFS({col("Actuals", tracked[0])},"<>")=0,"{NOT_TRACKED}",{formula})'
        return f'IF(SUMPRODUCT({"*".join(_channel_tests(tracked, paid_only))})>0,{formula},"{NOT_TRACKED}")'

    def figure(self, metric: str) -> str:
        """The cell of another KPI in the same column."""
        return self._figure(metric)


class RowFormulas(WorkbookNames):
    """One subject's writer (a channel's, a campaign's row): its Actuals rows in a window.

    Args:
        criteria: SUMIFS/COUNTIFS pairs selecting the subject's rows (:func:`~.formulas.by_channel` …).
        cells: Figure → the cell of the row already holding it (filled in as the row is written).
        has_rows: The subject is known to have Actuals rows (a campaign).
        first: The window's first day.
        last: Its last day.
        tracked: Write the Not tracked tests (False: the caller tests the cells it needs).
    """

    def __init__(
        self,
        criteria: tuple[str, ...],
        cells: dict[str, str],
        has_rows: bool = False,
        first: str = "PeriodStart",
        last: str = "ReportAsOf",
        tracked: bool = True,
    ):
        self.criteria, self.cells, self.has_rows = criteria, cells, has_rows
        self.first, self.last, self.tracked = first, last, tracked

    def sum(self, column: str, tracked_by: tuple[str, ...] = (), paid_only: bool = False) -> str:
        """Σ of a column over the subject's rows: the row's cell when it already holds it."""
        if column in self.cells:
            return self.cells[column]
        return actuals_sum(column, *self.criteria, first=self.first, last=self.last)

    def when_tracked(self, columns: tuple[str, ...], paid_only: bool, formula: str) -> str:
        """The formula, or Not tracked when the subject does not track every column (one subject: paid or not)."""
        tracked = _trackable(columns)
        if not tracked or not self.tracked:
            return formula
        if all(c in self.cells for c in tracked):
            return if_tracked(formula, *(self.cells[c] for c in tracked))
        spend = self.cells.get("Spend")
        tests = [untracked(c, *self.criteria, has_rows=self.has_rows, nonzero=spend) for c in tracked]
        test = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
        return f'IF({test},"{NOT_TRACKED}",{formula})'

    def figure(self, metric: str) -> str:
        """The row's cell of another figure."""
        return self.cells[metric]
