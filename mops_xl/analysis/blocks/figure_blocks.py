"""The building blocks the metric catalogue writes each figure with (see :mod:`mops_xl.analysis.blocks.catalogue`).

A block is one step of a figure's definition: the sum of an Actuals column over the window, a ratio of two
sums that is undefined on zero, the prorated stack cost, a Business value, another figure. Each block computes
itself with pandas (blended: one number over every channel; per subject: one number per channel or campaign)
and writes itself as an Excel formula through a :class:`FormulaWriter`, which the report implements (the writer
knows where the rows are — which window, which channel, which cells already hold a figure; the block knows
what the figure is). The metrics never import the report: a writer is a protocol.

Every ratio is a ratio of sums, never a mean of daily ratios; blended ratios count only the channels that
track both of their volumes (docs/metrics.md, "Not tracked").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.stack_cost import MONTHLY_STACK_COST
from mops_xl.intake.model import TRACKABLE


def divide(numerator: Any, denominator: Any) -> Any:
    """Divide, giving NaN (undefined) wherever the denominator is zero or missing — never inf.

    Args:
        numerator: Values on top (a Series or a number).
        denominator: Values below (a Series or a number).

    Returns:
        The quotient (a Series when either is one), NaN where undefined.
    """
    if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
        quotient = _divide_aligned(numerator, denominator)
        if quotient is not None:
            return quotient
        num = pd.Series(numerator, dtype="float64") if not isinstance(numerator, pd.Series) else numerator
        den = denominator if isinstance(denominator, pd.Series) else pd.Series(denominator, index=num.index)
        den = den.astype("float64")
        out = num.astype("float64").div(den.where(den != 0))
        return out.where(np.isfinite(out))  # an overflow (a subnormal denominator) is undefined too
    if denominator is None or numerator is None or pd.isna(denominator) or pd.isna(numerator) or denominator == 0:
        return float("nan")
    out = float(numerator) / float(denominator)
    return out if np.isfinite(out) else float("nan")


def _divide_aligned(numerator: Any, denominator: Any) -> pd.Series | None:
    """:func:`divide` on plain float arrays, for a float Series over a float Series on the same index or over a
    number (the common case, without pandas' alignment and masking); None for any other pair.

    Args:
        numerator: Values on top.
        denominator: Values below.

    Returns:
        The quotient, NaN where the denominator is zero or missing or the quotient overflows; None when the pair
        needs pandas' own path.
    """
    if not isinstance(numerator, pd.Series) or numerator.dtype != np.float64:
        return None
    if isinstance(denominator, pd.Series):
        if denominator.dtype != np.float64 or not numerator.index.equals(denominator.index):
            return None
        below = denominator.to_numpy()
        name = numerator.name if numerator.name == denominator.name else None
    elif isinstance(denominator, float | int) and not isinstance(denominator, bool):
        below = np.full(len(numerator), float(denominator))
        name = None  # as pandas names a Series divided by an unnamed one
    else:
        return None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = numerator.to_numpy() / np.where(below != 0, below, np.nan)
    out[~np.isfinite(out)] = np.nan
    return pd.Series(out, index=numerator.index, name=name)


def tracked_sums(volumes: pd.DataFrame, *columns: str) -> tuple[float, ...] | None:
    """Sum columns over the channels that track all of them (no NaN in any), or None when no channel does.

    Args:
        volumes: Summed volumes indexed by channel (NaN where a channel does not track a volume).
        *columns: The volumes.

    Returns:
        One sum per column, or None.
    """
    values = [volumes[c].to_numpy() for c in columns]
    if not all(v.dtype == np.float64 for v in values):
        both = volumes[list(columns)].dropna()
        return None if both.empty else tuple(float(both[c].sum()) for c in columns)
    tracking = np.ones(len(volumes), dtype=bool)  # the rows with no NaN in any of the columns
    for v in values:
        tracking &= ~np.isnan(v)
    if not tracking.any():
        return None
    return tuple(float(v[tracking].sum()) for v in values)


def tracked_ratio(volumes: pd.DataFrame, numerator: str, denominator: str, extra: float = 0.0) -> float:
    """(Σ numerator + extra) ÷ Σ denominator over the channels that track both (NaN when none does or Σ is 0).

    Args:
        volumes: Summed volumes indexed by channel.
        numerator: The volume on top.
        denominator: The volume below.
        extra: Added to the numerator's sum (the stack cost of fully-loaded CAC).

    Returns:
        The ratio, NaN where undefined or not tracked.
    """
    sums = tracked_sums(volumes, numerator, denominator)
    return float("nan") if sums is None else float(divide(sums[0] + extra, sums[1]))


def _lower(column: str) -> str:
    """A volume as a sentence names it: "customers", but "MQLs"."""
    return column if column in ("MQLs", "SQLs") else column.lower()


class FormulaWriter(Protocol):
    """What a block needs to write itself as an Excel formula; the report implements it once per place (the
    KPI Framework's blended rows, a channel's row, a campaign's row, a trend window)."""

    #: The formula text of an undefined figure (e.g. '"–"').
    undefined: str

    def sum(self, column: str, tracked_by: tuple[str, ...] = (), paid_only: bool = False) -> str:
        """Σ of an Actuals column over the subject's rows in the window, counting only the channels that track
        every column of ``tracked_by`` (and only paid channels with ``paid_only``)."""
        ...

    def when_tracked(self, columns: tuple[str, ...], paid_only: bool, formula: str) -> str:
        """``formula``, or "Not tracked" when the subject does not track every column (blended: when no channel,
        paid with ``paid_only``, does)."""
        ...

    def figure(self, metric: str) -> str:
        """The cell holding another figure of the same subject and column."""
        ...

    def value(self, field: str) -> str:
        """The defined name of a Business value, e.g. "Customer lifetime value"."""
        ...

    def column(self, sheet: str, column: str) -> str:
        """A reference to a data sheet's column, e.g. the Stack sheet's Monthly cost."""
        ...

    def days(self, which: str) -> str:
        """The formula of a day count: "elapsed" (d) or "period" (D)."""
        ...


@dataclass(frozen=True)
class Subjects:
    """What a blended figure is computed from.

    Args:
        volumes: Summed volumes indexed by channel (every channel; NaN where a channel does not track a volume).
        paid: Channel → paid media.
        business: The Business values.
        stack_cost: The active stack tools' cost prorated to the window.
    """

    volumes: pd.DataFrame
    paid: pd.Series
    business: Mapping[str, Any]
    stack_cost: float


class Block(Protocol):
    """One step of a figure's definition: computed with pandas, written as a formula, described in the docs."""

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        """The all-channel value (``figures``: the figures computed before this one)."""
        ...

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        """One value per row of summed volumes (a channel, a campaign), from its columns."""
        ...

    def formula(self, w: FormulaWriter) -> str:
        """The Excel formula (no leading "=")."""
        ...

    def needs(self) -> tuple[str, ...]:
        """The Actuals volumes it is computed from (Spend included)."""
        ...

    def describe(self) -> str:
        """How it is computed, for docs/metrics.md."""
        ...

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        """Why it is undefined for a subject with these volumes, or None when it is defined."""
        ...

    def undefined_when(self) -> str:
        """When it is undefined, for docs/metrics.md."""
        ...

    @property
    def paid_only(self) -> bool:
        """Whether the blended figure counts paid channels only."""
        ...


@dataclass(frozen=True)
class Sum:
    """The sum of an Actuals column over the window (a volume): blank cells add nothing; NaN when no channel
    tracks it.

    Args:
        column: The Actuals column.
    """

    column: str
    paid_only: bool = False

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        return float(s.volumes[self.column].sum(min_count=1))

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        return frame[self.column].astype("float64")

    def formula(self, w: FormulaWriter) -> str:
        return w.when_tracked((self.column,), False, w.sum(self.column))

    def needs(self) -> tuple[str, ...]:
        return (self.column,)

    def describe(self) -> str:
        return f"Σ {self.column} in Actuals over the window"

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        return None

    def undefined_when(self) -> str:
        return "never (Not tracked when no channel records it)" if self.column in TRACKABLE else "never"


@dataclass(frozen=True)
class StackCost:
    """The monthly cost of the Active Stack tools prorated to the elapsed days (× 12 ÷ 365 per day)."""

    paid_only: bool = False

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        return s.stack_cost

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        raise ValueError("the stack cost is an all-channel figure")

    def formula(self, w: FormulaWriter) -> str:
        return f"{MONTHLY_STACK_COST.formula(w)}*12/365*{w.days('elapsed')}"

    def needs(self) -> tuple[str, ...]:
        return ()

    def describe(self) -> str:
        return "stack cost (Σ Monthly cost of Active Stack tools × 12 ÷ 365 × d)"

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        return None

    def undefined_when(self) -> str:
        return "never"


@dataclass(frozen=True)
class RatioOfSums:
    """Σ numerator (+ an addition such as the stack cost) ÷ Σ denominator, undefined when Σ denominator is 0.

    Blended, it counts the channels that track both volumes (paid ones only with ``paid_only``); per subject,
    the subject's own sums.

    Args:
        numerator: The Actuals column on top.
        denominator: The Actuals column below.
        paid_only: The blended figure counts paid channels only (ROAS).
        add: Added to the numerator's blended sum (e.g. :class:`StackCost`).
        cost_per: A cost per result (CPL, CAC): undefined also when nothing was spent (Σ numerator is 0), so a
            channel that spends nothing has no CAC rather than a CAC of 0.
    """

    numerator: str
    denominator: str
    paid_only: bool = False
    add: Block | None = None
    cost_per: bool = False

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        volumes = s.volumes
        if self.paid_only:
            volumes = volumes[s.paid.reindex(volumes.index).fillna(False).astype(bool)]
        if self.cost_per and (tracked_sums(volumes, self.numerator, self.denominator) or (0.0,))[0] == 0:
            return float("nan")  # nothing spent (or nothing tracked): no cost per result
        extra = self.add.blended(s, figures) if self.add is not None else 0.0
        return tracked_ratio(volumes, self.numerator, self.denominator, extra=extra)

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        if self.add is not None:
            raise ValueError("a ratio with an addition is an all-channel figure")
        top = frame[self.numerator].astype("float64")
        return divide(top.where(top != 0) if self.cost_per else top, frame[self.denominator])

    def formula(self, w: FormulaWriter) -> str:
        top = w.sum(self.numerator, (self.denominator,), self.paid_only)
        if self.add is not None:
            top = f"({top}+{self.add.formula(w)})"
        bottom = w.sum(self.denominator, (self.numerator,), self.paid_only)
        quotient = guarded_ratio(top, bottom, w.undefined, nothing_spent=self.cost_per)
        return w.when_tracked(self.needs(), self.paid_only, quotient)

    def needs(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    def describe(self) -> str:
        top = self.numerator if self.add is None else f"({self.numerator} + {self.add.describe()})"
        text = f"{top} ÷ {self.denominator}"
        tracked = [c for c in self.needs() if c in TRACKABLE]
        counted = "paid channels" if self.paid_only else "channels"
        if tracked:
            text += f"; blended: over the {counted} that track {' and '.join(tracked)}"
        elif self.paid_only:
            text += "; blended: over the paid channels"
        return text

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        if not values.get(self.denominator):
            return f"no {_lower(self.denominator)} to date"
        if self.cost_per and not values.get(self.numerator):
            return f"no {_lower(self.numerator)} to date"
        return None

    def undefined_when(self) -> str:
        if self.cost_per:
            return f"no {_lower(self.denominator)}, or no {_lower(self.numerator)} (nothing spent: not 0)"
        return f"no {_lower(self.denominator)}"


def guarded_ratio(numerator: str, denominator: str, undefined: str, nothing_spent: bool = False) -> str:
    """The formula of a ratio that is undefined when its denominator is 0 or either side is not a number.

    Args:
        numerator: An expression or cell.
        denominator: An expression or cell.
        undefined: The formula text of an undefined figure.
        nothing_spent: Undefined also when the numerator is 0 (a cost per result of nothing spent).

    Returns:
        The IF expression (no leading "=").
    """
    zero = f"OR({denominator}=0,{numerator}=0)" if nothing_spent else f"{denominator}=0"
    return (
        f"IF(OR(NOT(ISNUMBER({denominator})),NOT(ISNUMBER({numerator}))),{undefined},"
        f"IF({zero},{undefined},{numerator}/{denominator}))"
    )


@dataclass(frozen=True)
class Figure:
    """Another figure of the catalogue (computed before this one), e.g. CAC in LTV:CAC.

    Args:
        metric: The figure's name.
        lookup: The catalogue entry's block of that figure (for its needs and reasons).
    """

    metric: str
    lookup: Callable[[str], Block]
    paid_only: bool = False

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        return figures[self.metric]

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        return frame[self.metric].astype("float64")

    def formula(self, w: FormulaWriter) -> str:
        return w.figure(self.metric)

    def needs(self) -> tuple[str, ...]:
        return self.lookup(self.metric).needs()

    def describe(self) -> str:
        return self.metric

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        return self.lookup(self.metric).undefined(values)

    def undefined_when(self) -> str:
        return self.lookup(self.metric).undefined_when()


@dataclass(frozen=True)
class BusinessValue:
    """A value of the Business sheet, e.g. the Customer lifetime value (NaN when not given).

    Args:
        field: The Business field.
    """

    field: str
    paid_only: bool = False

    def _value(self, business: Mapping[str, Any]) -> float:
        v = business.get(self.field)
        return math.nan if v is None else float(v)

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        return self._value(s.business)

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        return pd.Series(self._value(business), index=frame.index, dtype="float64")

    def formula(self, w: FormulaWriter) -> str:
        return w.value(self.field)

    def needs(self) -> tuple[str, ...]:
        return ()

    def describe(self) -> str:
        return self.field

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        return None

    def undefined_when(self) -> str:
        return f"no {self.field} given"


@dataclass(frozen=True)
class ValueOver:
    """A Business value ÷ a figure, e.g. Customer lifetime value ÷ CAC; undefined when the value is not given
    or the figure is undefined or 0.

    Args:
        value: The Business value on top.
        figure: The figure below.
        key: The key the Business value goes by in a subject's values (for :meth:`undefined`).
    """

    value: BusinessValue
    figure: Figure
    key: str = "LTV"
    paid_only: bool = False

    def blended(self, s: Subjects, figures: Mapping[str, float]) -> float:
        return float(divide(self.value.blended(s, figures), self.figure.blended(s, figures)))

    def per_subject(self, frame: pd.DataFrame, business: Mapping[str, Any]) -> pd.Series:
        return divide(self.value.per_subject(frame, business), self.figure.per_subject(frame, business))

    def formula(self, w: FormulaWriter) -> str:
        return w.when_tracked(
            self.needs(), False, guarded_ratio(self.value.formula(w), self.figure.formula(w), w.undefined)
        )

    def needs(self) -> tuple[str, ...]:
        return self.figure.needs()

    def describe(self) -> str:
        return f"{self.value.describe()} ÷ {self.figure.describe()}"

    def undefined(self, values: Mapping[str, Any]) -> str | None:
        given = values.get(self.key)
        if given is None or (isinstance(given, float) and math.isnan(given)):
            return f"no {self.value.field} on the Business sheet"
        reason = self.figure.undefined(values)
        if reason:
            return f"{self.figure.metric} is undefined: {reason}"
        below = self.figure.lookup(self.figure.metric)
        if isinstance(below, RatioOfSums) and not values.get(below.numerator):
            return f"{self.figure.metric} is 0: no {_lower(below.numerator)} to date"
        return None

    def undefined_when(self) -> str:
        return f"no {self.value.field} given, {self.figure.metric} undefined, or {self.figure.metric} = 0"
