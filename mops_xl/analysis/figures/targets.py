"""Targets, attainment and status: how each figure compares with what was planned.

Each figure here is a definition with two sides, like the catalogue's blocks
(:mod:`mops_xl.analysis.blocks.figure_blocks`): ``compute`` gives the engine's value, ``formula`` writes it as an
Excel formula through a :class:`RowFormulaWriter`, which the report implements for a KPI Framework row (one metric,
every channel) and a Channel Performance row (one channel, judged by the primary metric its Primary metric cell
holds). The analysis never imports the report: the writer is a protocol. The module's functions
(:func:`attainment`, :func:`status` …) are the definitions' pandas side, as the engine calls them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import AHEAD, AT_RISK, NO_DATA, NO_TARGET, OFF_TRACK, ON, ON_TRACK, OVER
from mops_xl.analysis.figures.budget.pacing import spend_status

#: Where a channel's primary target comes from (docs/metrics.md, "Optimization triggers").
ROAS_TARGET, CAC_TARGET, EXPECTED_CAC, LEADS_TARGET = "ROAS target", "CAC target", "Expected CAC", "Leads target"
#: The order a channel's primary metric is chosen in: the first source the channel has (docs/metrics.md,
#: "Optimization triggers"). Each is (metric, source); a "target" source is the channel's row on the Targets
#: sheet, :data:`EXPECTED_CAC` the Channels sheet's planning figure.
#: A channel without a target of its own is judged against the business's (a Targets row with a blank Channel) of
#: its ROAS, else its CAC, else its CPL.
BUSINESS_TARGETS = {"ROAS": "Business ROAS target", "CAC": "Business CAC target", "CPL": "Business CPL target"}
PRIMARY_SOURCES = (
    ("ROAS", ROAS_TARGET),
    ("CAC", CAC_TARGET),
    ("CAC", EXPECTED_CAC),
    ("Leads", LEADS_TARGET),
    *BUSINESS_TARGETS.items(),
)
#: Volume metrics of the shipped catalogue: their targets are for the whole period and are prorated to date.
VOLUME_METRICS = tuple(m.name for m in catalogue.CATALOGUE if m.prorated and m.kpi and not m.target_metric)


class SheetColumnWriter(Protocol):
    """Where the data sheets' columns are, for a definition that reads them."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def column(self, sheet: str, column: str) -> str:
        """A reference to a data sheet's column, e.g. the Targets sheet's Target."""
        ...


class RowFormulaWriter(SheetColumnWriter, Protocol):
    """Where a row's figures are, for a definition to write itself as an Excel formula.

    A KPI Framework row is judged as one metric (:attr:`metric`); a channel's row reads its metric from its
    Metric cell (its primary metric; :attr:`metric` is None), so a formula that depends on the metric chooses by
    that cell.
    """

    @property
    def metric(self) -> str | None:
        """The metric the row is judged as, or None when its "Metric" cell holds it (a channel's primary metric)."""
        ...

    def cell(self, figure: str) -> str:
        """The row's cell of a figure: "Metric", "Target", "Target to date", "Actual", "Attainment", "Previous
        period", or a catalogue figure of the row's subject (e.g. "CAC")."""
        ...

    def value(self, field: str) -> str:
        """The defined name holding a Settings or Business value or a day of the window, e.g. "High-performer
        threshold", "Period start"."""
        ...

    def days(self, which: str) -> str:
        """The formula of a day count: "elapsed" (d) or "period" (D)."""
        ...

    def key(self, sheet: str) -> str:
        """A data sheet's column of channel numbers (a formula selects a channel's rows by number, never by name)."""
        ...

    def channel(self) -> str:
        """The row's channel number (a channel's row)."""
        ...

    def window_rows(self) -> str:
        """The cell (or its defined name) holding how many Actuals rows the window has."""
        ...

    def pacing_bands(self, pace: str) -> str:
        """The pacing bands of a pace, as Budget Pacing writes them (Over, On or Under pace)."""
        ...


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_volume(metric: str) -> bool:
    """Return True for a volume metric (a prorated target), False for a ratio.

    Args:
        metric: The metric name.

    Returns:
        Whether the metric is a volume.
    """
    entry = catalogue.current().find(metric)
    return entry is not None and entry.prorated


def _lower_is_better(metric: str) -> bool:
    return metric in catalogue.current().lower_is_better


def primary_metrics() -> tuple[str, ...]:
    """The metrics a channel may be judged by, each once, in :data:`PRIMARY_SOURCES` order.

    Returns:
        E.g. ``("ROAS", "CAC", "Leads")``.
    """
    return tuple(dict.fromkeys(m for m, _ in PRIMARY_SOURCES))


def primary_order() -> str:
    """How a channel's primary metric is chosen, in words (:data:`PRIMARY_SOURCES` in order).

    Returns:
        E.g. "ROAS target, else CAC target, else Expected CAC, else Leads target".
    """
    return ", else ".join(source for _, source in PRIMARY_SOURCES)


def one_of(cell: str, metrics: Iterable[str]) -> str:
    """A condition: the cell holds one of the metrics.

    Args:
        cell: The cell holding a metric's name.
        metrics: The metrics.

    Returns:
        E.g. 'OR(B5="CAC",B5="CPL")'; "FALSE" when there is none.
    """
    tests = [f'{cell}="{m}"' for m in metrics]
    return "FALSE" if not tests else tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def by_primary(cell: str, values: Mapping[str, str], otherwise: str) -> str:
    """A formula choosing, by the primary metric in ``cell``, that metric's expression.

    Args:
        cell: The cell holding the primary metric.
        values: Metric → its expression (tried in :func:`primary_metrics` order).
        otherwise: The expression for any other content.

    Returns:
        Nested IFs (no leading "=").
    """
    out = otherwise
    for m in reversed([m for m in primary_metrics() if m in values]):
        out = f'IF({cell}="{m}",{values[m]},{out})'
    return out


def per_metric(w: RowFormulaWriter, holds: Callable[[str], bool], yes: str, no: str) -> str:
    """``yes`` where the row's metric has a property, else ``no``: chosen here for a row of one metric, by its
    Metric cell among the :func:`primary_metrics` for a channel's row.

    Args:
        w: The row's writer.
        holds: The property (e.g. :func:`is_volume`).
        yes: The expression where it holds.
        no: The expression where it does not.

    Returns:
        ``yes``, ``no`` or an IF choosing between them.
    """
    if w.metric is not None:
        return yes if holds(w.metric) else no
    return f"IF({one_of(w.cell('Metric'), [m for m in primary_metrics() if holds(m)])},{yes},{no})"


def lower_is_better(w: RowFormulaWriter) -> str:
    """A condition that is TRUE when the row's metric is better lower (CPL, CAC), e.g. for the trend verdict.

    Args:
        w: The row's writer.

    Returns:
        "TRUE", "FALSE", or a test of the row's Metric cell.
    """
    if w.metric is not None:
        return "TRUE" if _lower_is_better(w.metric) else "FALSE"
    return _lower_test(w)


def _lower_test(w: RowFormulaWriter) -> str:
    return one_of(w.cell("Metric"), [m for m in primary_metrics() if _lower_is_better(m)])


def target_table(targets: pd.DataFrame) -> dict[tuple[str, str | None], float]:
    """Index the Targets sheet by (metric, channel); a blank channel is None (all channels).

    Args:
        targets: The Targets table.

    Returns:
        (Metric, Channel or None) → target.
    """
    out: dict[tuple[str, str | None], float] = {}
    for _, row in targets.iterrows():
        channel = row["Channel"] if isinstance(row["Channel"], str) and row["Channel"] else None
        out[(row["Metric"], channel)] = float(row["Target"])
    return out


@dataclass(frozen=True)
class BlendedTarget:
    """The all-channel target of a metric: the Targets row with a blank Channel, else (a volume only) the sum of
    the channel targets when every channel has one; else none ("No target")."""

    def compute(self, metric: str, table: dict[tuple[str, str | None], float], channels: list[str]) -> float | None:
        """The target (see :func:`blended_target`)."""
        if (metric, None) in table:
            return table[(metric, None)]
        if is_volume(metric) and channels and all((metric, ch) in table for ch in channels):
            return sum(table[(metric, ch)] for ch in channels)
        return None

    def formula(self, w: RowFormulaWriter, metric: str) -> str:
        """The target as a formula: the blank-Channel row by an exact match of the metric (SUMPRODUCT compares
        whole text), else the channel rows' sum when every Channels row has one (by channel number)."""
        metrics, target = w.column("Targets", "Metric"), w.column("Targets", "Target")
        is_metric, blank = f'({metrics}="{metric}")', f'({w.column("Targets", "Channel")}="")'
        row = f"SUMPRODUCT({is_metric}*{blank}*{target})"
        fallback = w.undefined
        if is_volume(metric):
            # each channel's key among the keys of the metric's rows (MATCH: Gnumeric reads no array of COUNTIFS
            # criteria); keys start at 1, so the 0 of the other rows never matches
            every = (
                f'SUMPRODUCT(--ISNUMBER(MATCH({w.key("Channels")},IF({metrics}="{metric}",{w.key("Targets")},0),0)))'
                f"=ROWS({w.column('Channels', 'Channel')})"
            )
            fallback = f'IF({every},SUMIFS({target},{metrics},"{metric}"),{w.undefined})'
        return f"IF(SUMPRODUCT({is_metric}*{blank})>0,{row},{fallback})"


@dataclass(frozen=True)
class ChannelTarget:
    """One channel's target of a metric: the Targets row of the metric and the channel, matched by the channel's
    whole name; NaN when there is none. Blended (blank-Channel) targets never count for a channel."""

    def compute(self, table: dict[tuple[str, str | None], float], metric: str, channel: str) -> float:
        """The target, NaN when the channel has none."""
        return table.get((metric, channel), math.nan)

    def formula(self, w: SheetColumnWriter, metric: str, channel_name: str) -> str:
        """The target as a formula, ``channel_name`` the cell holding the channel's name (an exact match: a
        criterion would read * ? < = in a name)."""
        is_row = f'({w.column("Targets", "Metric")}="{metric}")*({w.column("Targets", "Channel")}={channel_name})'
        return f"IF(SUMPRODUCT({is_row})>0,SUMPRODUCT({is_row}*{w.column('Targets', 'Target')}),{w.undefined})"


@dataclass(frozen=True)
class PrimaryTarget:
    """What a channel is judged by: the first of :data:`PRIMARY_SOURCES` it has — its ROAS target, else its CAC
    target, else its Expected CAC (Channels sheet), else its Leads target; a channel with none of its own is judged
    against the business's ROAS, else CAC, else CPL target (:data:`BUSINESS_TARGETS`).

    The formulas write the channel's row: its Metric cell (:meth:`metric_formula`), the source, the target and the
    actual of that metric, each read from the cells and sheets the writer names.
    """

    def compute(
        self, channel: str, table: dict[tuple[str, str | None], float], expected_cac: float | None
    ) -> tuple[str, float, str] | None:
        """``(metric, target, source)``, or None (see :func:`primary_metric`)."""
        for metric, source in PRIMARY_SOURCES:
            if source == EXPECTED_CAC:
                if expected_cac is not None and not _missing(float(expected_cac)):
                    return metric, float(expected_cac), source
            elif source in BUSINESS_TARGETS.values():
                if (metric, None) in table:
                    return metric, table[(metric, None)], source
            elif (metric, channel) in table:
                return metric, table[(metric, channel)], source
        return None

    def _criteria(self, w: RowFormulaWriter, metric: str) -> str:
        """COUNTIFS/SUMIFS criteria selecting the channel's Targets row of a metric (an expression or cell)."""
        return f"{w.column('Targets', 'Metric')},{metric},{w.key('Targets')},{w.channel()}"

    def _expected_cac(self, w: RowFormulaWriter) -> str:
        return f"INDEX({w.column('Channels', EXPECTED_CAC)},MATCH({w.channel()},{w.key('Channels')},0))"

    def _has(self, w: RowFormulaWriter, metric: str, source: str) -> str:
        """A condition: the channel has this source of a primary target."""
        if source == EXPECTED_CAC:
            return f"ISNUMBER({self._expected_cac(w)})"
        if source in BUSINESS_TARGETS.values():
            return f"SUMPRODUCT({self._business_rows(w, chr(34) + metric + chr(34))})>0"
        quoted = f'"{metric}"'
        return f"COUNTIFS({self._criteria(w, quoted)})>0"

    def _business_rows(self, w: RowFormulaWriter, metric: str) -> str:
        """1 for each Targets row of the metric (an expression or cell) with a blank Channel: the business's."""
        return f'({w.column("Targets", "Metric")}={metric})*({w.column("Targets", "Channel")}="")'

    def metric_formula(self, w: RowFormulaWriter) -> str:
        """The primary metric: the metric of the first source the channel has, else undefined."""
        chosen = w.undefined
        for metric, source in reversed(PRIMARY_SOURCES):
            chosen = f'IF({self._has(w, metric, source)},"{metric}",{chosen})'
        return chosen

    def source_formula(self, w: RowFormulaWriter) -> str:
        """Where the primary target comes from: the first source of the primary metric the channel has."""
        sources: dict[str, str] = {}
        for metric in primary_metrics():
            options = [source for m, source in PRIMARY_SOURCES if m == metric]
            pick = f'"{options[-1]}"'
            for source in reversed(options[:-1]):
                pick = f'IF({self._has(w, metric, source)},"{source}",{pick})'
            sources[metric] = pick
        return by_primary(w.cell("Metric"), sources, w.undefined)

    def formula(self, w: RowFormulaWriter) -> str:
        """The primary target: the channel's Targets row of its primary metric, else its Expected CAC."""
        pm, u = w.cell("Metric"), w.undefined
        rows = self._criteria(w, pm)
        target = w.column("Targets", "Target")
        own_cac = f'AND({pm}="CAC",ISNUMBER({self._expected_cac(w)}))'
        business = f"SUMPRODUCT({self._business_rows(w, pm)}*{target})"
        fallback = f"IF({own_cac},{self._expected_cac(w)},{business})"
        return f"IF({pm}={u},{u},IF(COUNTIFS({rows})>0,SUMIFS({target},{rows}),{fallback}))"

    def actual_formula(self, w: RowFormulaWriter) -> str:
        """The primary actual: the row's cell of its primary metric."""
        return by_primary(w.cell("Metric"), {m: w.cell(m) for m in primary_metrics()}, w.undefined)


@dataclass(frozen=True)
class TargetToDate:
    """The target to date: a volume's target prorated (× d ÷ D), a ratio's as it is."""

    def compute(self, metric: str, target: float, elapsed_days: int, period_days: int) -> float:
        """The target to date (see :func:`target_to_date`)."""
        return target * elapsed_days / period_days if is_volume(metric) else target

    def formula(self, w: RowFormulaWriter) -> str:
        """The target to date of the row's Target cell, undefined when that is not a number."""
        t = w.cell("Target")
        so_far = per_metric(w, is_volume, f"{t}*{w.days('elapsed')}/{w.days('period')}", t)
        return f"IF(ISNUMBER({t}),{so_far},{w.undefined})"


@dataclass(frozen=True)
class Attainment:
    """Actual against target: actual ÷ target to date, or target to date ÷ actual when lower is better (CPL, CAC);
    undefined without a target or an actual, with a target of 0, or (lower is better) an actual of 0."""

    def compute(self, metric: str, actual: float, target_so_far: float) -> float:
        """The attainment, NaN where undefined (see :func:`attainment`)."""
        if _missing(actual) or _missing(target_so_far):
            return math.nan
        if _lower_is_better(metric):
            return target_so_far / actual if actual > 0 else math.nan
        return actual / target_so_far if target_so_far > 0 else math.nan

    def formula(self, w: RowFormulaWriter) -> str:
        """The attainment of the row's Actual against its Target to date (a row of one metric: its direction's
        quotient only; a channel's row: by its primary metric)."""
        t, a, u = w.cell("Target to date"), w.cell("Actual"), w.undefined
        lower, higher = f"IF({a}>0,{t}/{a},{u})", f"IF({t}>0,{a}/{t},{u})"
        if w.metric is not None:
            return f"IF(AND(ISNUMBER({t}),ISNUMBER({a})),{lower if _lower_is_better(w.metric) else higher},{u})"
        return f"IF(OR(NOT(ISNUMBER({t})),NOT(ISNUMBER({a}))),{u},IF({_lower_test(w)},{lower},{higher}))"


@dataclass(frozen=True)
class Status:
    """The attainment bands: Ahead ≥ 1 + High-performer threshold, On track ≥ 1, At risk ≥ the Underperforming
    threshold, Off track below it; No target without a target, No data when the window has no Actuals rows or
    the actual or attainment is undefined."""

    def compute(
        self, att: float, underperforming: float, high_performer: float, has_target: bool, has_data: bool
    ) -> str:
        """The status word (see :func:`status`)."""
        if not has_target:
            return NO_TARGET
        if not has_data or _missing(att):
            return NO_DATA
        if att >= 1 + high_performer:
            return AHEAD
        if att >= 1:
            return ON_TRACK
        if att >= underperforming:
            return AT_RISK
        return OFF_TRACK

    def formula(self, w: RowFormulaWriter) -> str:
        """The status of the row's Attainment: a KPI has a target when its Target cell holds a number, a channel
        when it has a primary metric."""
        att, act, u = w.cell("Attainment"), w.cell("Actual"), w.undefined
        has_target = f"ISNUMBER({w.cell('Target')})" if w.metric is not None else f"{w.cell('Metric')}<>{u}"
        has_data = f"AND({w.window_rows()}>0,ISNUMBER({act}))"
        high, under = w.value("High-performer threshold"), w.value("Underperforming threshold")
        return (
            f'IF(NOT({has_target}),"{NO_TARGET}",IF(OR(NOT({has_data}),NOT(ISNUMBER({att}))),"{NO_DATA}",'
            f'IF({att}>=1+{high},"{AHEAD}",IF({att}>=1,"{ON_TRACK}",'
            f'IF({att}>={under},"{AT_RISK}","{OFF_TRACK}")))))'
        )


@dataclass(frozen=True)
class SpendStatus:
    """Spend against a Spend target: the pacing bands of its attainment (spending more than the target is Over
    pace, not Ahead); with a target to date of 0, Over pace when anything was spent; No target, No data."""

    def compute(
        self, target: float | None, spend: float, target_so_far: float, overspending: float, has_data: bool
    ) -> str:
        """The status word.

        Args:
            target: The Spend target for the period, or None.
            spend: The spend to date.
            target_so_far: The target to date.
            overspending: The Overspending threshold.
            has_data: Whether the window has Actuals rows.

        Returns:
            No target, No data, or a pacing band.
        """
        if target is None:
            return NO_TARGET
        return spend_status(spend, target_so_far, overspending) if has_data else NO_DATA

    def formula(self, w: RowFormulaWriter) -> str:
        """The status of the row's Attainment (the pace), its Target and Actual."""
        att, act = w.cell("Attainment"), w.cell("Actual")
        return (
            f'IF(NOT(ISNUMBER({w.cell("Target")})),"{NO_TARGET}",IF({w.window_rows()}=0,"{NO_DATA}",'
            f'IF(ISNUMBER({att}),{w.pacing_bands(att)},IF({act}>0,"{OVER}","{ON}"))))'
        )


BLENDED_TARGET, CHANNEL_TARGET, PRIMARY_TARGET = BlendedTarget(), ChannelTarget(), PrimaryTarget()
TARGET_TO_DATE, ATTAINMENT = TargetToDate(), Attainment()
STATUS, SPEND_STATUS = Status(), SpendStatus()


def target_to_date(metric: str, target: float, elapsed_days: int, period_days: int) -> float:
    """Prorate a volume target to date (target × d ÷ D); ratio targets are not prorated (:data:`TARGET_TO_DATE`).

    Args:
        metric: The metric name.
        target: The target for the whole period.
        elapsed_days: d.
        period_days: D.

    Returns:
        The target to date.
    """
    return TARGET_TO_DATE.compute(metric, target, elapsed_days, period_days)


def attainment(metric: str, actual: float, target_so_far: float) -> float:
    """Actual against target: actual ÷ target, or target ÷ actual when lower is better (:data:`ATTAINMENT`).

    Args:
        metric: The metric name.
        actual: The actual (to date for volumes).
        target_so_far: The target to date (volumes) or the target (ratios).

    Returns:
        The attainment, NaN when undefined (no target, zero target, undefined actual, or an actual of 0 for
        a lower-is-better metric).
    """
    return ATTAINMENT.compute(metric, actual, target_so_far)


def status(
    att: float, underperforming: float, high_performer: float, *, has_target: bool = True, has_data: bool = True
) -> str:
    """Classify an attainment: Ahead ≥ 1 + high-performer threshold, On track ≥ 1, At risk ≥ the
    underperforming threshold, Off track below it (:data:`STATUS`).

    Args:
        att: The attainment (NaN when undefined).
        underperforming: The Underperforming threshold (e.g. 0.8).
        high_performer: The High-performer threshold (e.g. 0.2).
        has_target: False gives "No target".
        has_data: False gives "No data".

    Returns:
        The status text.
    """
    return STATUS.compute(att, underperforming, high_performer, has_target, has_data)


def blended_target(metric: str, table: dict[tuple[str, str | None], float], channels: list[str]) -> float | None:
    """The all-channel target: the blank-channel row, else (volumes only) the sum of the channel targets
    when every channel has one (:data:`BLENDED_TARGET`).

    Args:
        metric: The metric name.
        table: The output of :func:`target_table`.
        channels: Every channel.

    Returns:
        The target, or None ("No target").
    """
    return BLENDED_TARGET.compute(metric, table, channels)


def primary_metric(
    channel: str, table: dict[tuple[str, str | None], float], expected_cac: float | None
) -> tuple[str, float, str] | None:
    """The metric a channel is judged by: its ROAS target, else its CAC target, else its Expected CAC
    (Channels sheet), else its Leads target (:data:`PRIMARY_TARGET`). Blended targets never judge a channel.

    Args:
        channel: The channel.
        table: The output of :func:`target_table`.
        expected_cac: The channel's Expected CAC, or None/NaN.

    Returns:
        ``(metric, target, source)``, e.g. ``("CAC", 250.0, "Expected CAC")``, or None.
    """
    return PRIMARY_TARGET.compute(channel, table, expected_cac)
