"""The metric catalogue: every KPI and channel figure, written once.

One :class:`Metric` per figure: its name, unit, direction, whether its target is prorated, whether it takes a
target, its one-sentence definition and its expression, built from the blocks of
:mod:`mops_xl.analysis.blocks.figure_blocks`.
The engine computes the figures from it, the report writes their formulas from it, docs/metrics.md's metric
table is generated from it (``python -m mops_xl.docs.metrics docs/metrics.md``) and the ``--json`` keys are
its names.

Adding a ratio KPI is one entry here (plus the intake's list of target metrics,
:data:`mops_xl.intake.schema.TARGET_METRICS`, when it takes a target)::

    Metric("Cost per MQL", "money", RatioOfSums("Spend", "MQLs"), "Spend ÷ MQLs", better=LOWER, prorated=False,
           takes_target=True)

Everything reads the catalogue through :func:`current` at run time, so a test can add a metric to a copy of it
(``monkeypatch.setattr(catalogue, "CATALOGUE", CATALOGUE.with_metric(...))``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from mops_xl.analysis.blocks.figure_blocks import (
    Block,
    BusinessValue,
    Figure,
    RatioOfSums,
    StackCost,
    Subjects,
    Sum,
    ValueOver,
)

Unit = Literal["money", "count", "ratio", "percent"]
#: How a KPI's status is judged: its attainment bands; the pacing bands (spend against a Spend target); the
#: total pace against the budget (Budget Pacing's status).
StatusRule = Literal["attainment", "pacing bands", "budget pace"]
HIGHER, LOWER, NEITHER = True, False, None


@dataclass(frozen=True)
class Metric:
    """One figure of the catalogue.

    Args:
        name: The figure's label (a KPI Framework row, a Channel Performance column, a JSON key).
        unit: "money", "count", "ratio" (shown as 4.2:1) or "percent".
        expression: How it is computed (a block of :mod:`mops_xl.analysis.blocks.figure_blocks`).
        definition: The one-sentence definition (the KPI Framework's Definition column, docs/metrics.md).
        better: :data:`HIGHER`, :data:`LOWER` (CPL, CAC: attainment = target ÷ actual, a fall is Improving) or
            :data:`NEITHER`.
        prorated: A volume: its target is for the whole period and is prorated to date (× d ÷ D); it has a
            projection (actual × D ÷ d).
        takes_target: It can have a row on the Targets sheet.
        kpi: A row of the KPI Framework.
        per_channel: A figure of each channel (the channel scorecard, ``--json`` channels).
        target_metric: The Targets sheet metric its target is read from (default: its name).
        status_rule: How its status is judged (see :data:`StatusRule`).
        intake_definition: The Business field that defines it (Leads, MQLs, SQLs): the KPI Framework shows that.
    """

    name: str
    unit: Unit
    expression: Block
    definition: str
    better: bool | None
    prorated: bool
    takes_target: bool
    kpi: bool = True
    per_channel: bool = False
    target_metric: str = ""
    status_rule: StatusRule = "attainment"
    intake_definition: str | None = None

    @property
    def measures(self) -> str:
        """The Targets sheet metric it is judged against (its own name unless it reads another's)."""
        return self.target_metric or self.name

    @property
    def lower_is_better(self) -> bool:
        """True for CPL, CAC …: attainment = target ÷ actual; a fall is an improvement."""
        return self.better is False

    def to_date(self, target: float, elapsed_days: int, period_days: int) -> float:
        """The target to date: prorated (× d ÷ D) for a volume, as it is for a ratio.

        Args:
            target: The target for the whole period.
            elapsed_days: d.
            period_days: D.

        Returns:
            The target to date.
        """
        return target * elapsed_days / period_days if self.prorated else target

    def to_date_formula(self, target: str, elapsed: str, period: str) -> str:
        """The target to date as a formula (see :meth:`to_date`).

        Args:
            target: The target's cell.
            elapsed: The formula of d.
            period: The formula of D.

        Returns:
            The expression (no leading "=").
        """
        return f"{target}*{elapsed}/{period}" if self.prorated else target


@dataclass(frozen=True)
class Catalogue:
    """The metrics, in the KPI Framework's order (then the channel-only figures).

    Args:
        metrics: The entries.
    """

    metrics: tuple[Metric, ...]
    _by_name: dict[str, Metric] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [m.name for m in self.metrics]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"the catalogue names a metric twice: {', '.join(duplicates)}")
        object.__setattr__(self, "_by_name", {m.name: m for m in self.metrics})

    def __iter__(self) -> Iterator[Metric]:
        return iter(self.metrics)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> Metric:
        """The entry of a metric.

        Args:
            name: The metric's name.

        Returns:
            The :class:`Metric`.

        Raises:
            KeyError: No such metric.
        """
        return self._by_name[name]

    def find(self, name: str) -> Metric | None:
        """The entry of a metric, or None when the catalogue has none (e.g. "Leads per day").

        Args:
            name: The name.

        Returns:
            The :class:`Metric` or None.
        """
        return self._by_name.get(name)

    def with_metric(self, metric: Metric) -> Catalogue:
        """A copy with one more metric at the end.

        Args:
            metric: The new entry.

        Returns:
            The new catalogue.
        """
        return Catalogue((*self.metrics, metric))

    @property
    def kpis(self) -> tuple[str, ...]:
        """The KPI Framework rows, in order."""
        return tuple(m.name for m in self.metrics if m.kpi)

    @property
    def volumes(self) -> tuple[str, ...]:
        """The figures that are sums of an Actuals column."""
        return tuple(m.name for m in self.metrics if isinstance(m.expression, Sum))

    @property
    def channel_ratios(self) -> tuple[Metric, ...]:
        """The ratios of two volumes computed for every channel and campaign (CPL, CAC, ROAS, funnel rates …)."""
        return tuple(
            m for m in self.metrics if m.per_channel and isinstance(m.expression, RatioOfSums) and not m.expression.add
        )

    @property
    def prorated(self) -> frozenset[str]:
        """The figures whose targets are prorated to date (volumes)."""
        return frozenset(m.name for m in self.metrics if m.prorated)

    @property
    def lower_is_better(self) -> frozenset[str]:
        """The figures where a lower value is better."""
        return frozenset(m.name for m in self.metrics if m.lower_is_better)

    def blended(self, s: Subjects) -> dict[str, float]:
        """Every figure over all channels.

        Args:
            s: The summed volumes per channel, paid flags, Business values and stack cost.

        Returns:
            Metric → value (NaN where undefined or not tracked), in catalogue order.
        """
        figures: dict[str, float] = {}
        for m in self.metrics:
            figures[m.name] = float(m.expression.blended(s, figures))
        return figures

    def per_channel(self, volumes: pd.DataFrame, business: Mapping[str, Any]) -> pd.DataFrame:
        """Summed volumes with every per-channel figure added as a column (NaN where undefined).

        Args:
            volumes: Summed volumes, one row per channel.
            business: The Business values.

        Returns:
            A copy with the figures added.
        """
        out = volumes.copy()
        for m in self.metrics:
            if m.per_channel and m.name not in out.columns:
                out[m.name] = m.expression.per_subject(out, business)
        return out


def _block(name: str) -> Block:
    return current().get(name).expression


_SPEND_DEFINITION = (
    "Spend vs budget to date: Sum of Spend in Actuals (all channels); target: the budget for the period "
    "(Budget Pacing); target to date: every budget line's expected spend to date; attainment: the total pace; "
    "status: its pacing band"
)

#: The catalogue: the KPI Framework's rows in order, then the figures of each channel only.
CATALOGUE = Catalogue(
    (
        Metric(
            "Leads",
            "count",
            expression=Sum("Leads"),
            definition="Sum of Leads in Actuals",
            better=HIGHER,
            prorated=True,
            takes_target=True,
            per_channel=True,
            intake_definition="Lead definition",
        ),
        Metric(
            "MQLs",
            "count",
            expression=Sum("MQLs"),
            definition="Sum of MQLs in Actuals",
            better=HIGHER,
            prorated=True,
            takes_target=True,
            per_channel=True,
            intake_definition="MQL definition",
        ),
        Metric(
            "SQLs",
            "count",
            expression=Sum("SQLs"),
            definition="Sum of SQLs in Actuals",
            better=HIGHER,
            prorated=True,
            takes_target=True,
            per_channel=True,
            intake_definition="SQL definition",
        ),
        Metric(
            "Customers",
            "count",
            expression=Sum("Customers"),
            definition="New customers won (sum of Customers in Actuals)",
            better=HIGHER,
            prorated=True,
            takes_target=True,
            per_channel=True,
        ),
        Metric(
            "Revenue",
            "money",
            expression=Sum("Revenue"),
            definition="Sum of Revenue in Actuals",
            better=HIGHER,
            prorated=True,
            takes_target=True,
            per_channel=True,
        ),
        Metric(
            "Spend",
            "money",
            expression=Sum("Spend"),
            definition=_SPEND_DEFINITION,
            better=NEITHER,
            prorated=True,
            takes_target=True,
            per_channel=True,
            status_rule="budget pace",
        ),
        Metric(
            "Spend vs target",
            "money",
            expression=Figure("Spend", _block),
            definition="Spend against the Spend row of the Targets sheet (blank Channel), prorated to date; "
            "status: the pacing bands",
            better=NEITHER,
            prorated=True,
            takes_target=True,
            target_metric="Spend",
            status_rule="pacing bands",
        ),
        Metric(
            "CPL",
            "money",
            expression=RatioOfSums("Spend", "Leads", cost_per=True),
            definition="Spend ÷ Leads",
            better=LOWER,
            prorated=False,
            takes_target=True,
            per_channel=True,
        ),
        Metric(
            "CAC",
            "money",
            expression=RatioOfSums("Spend", "Customers", cost_per=True),
            definition="Spend ÷ Customers",
            better=LOWER,
            prorated=False,
            takes_target=True,
            per_channel=True,
        ),
        Metric(
            "Fully-loaded CAC",
            "money",
            expression=RatioOfSums("Spend", "Customers", add=StackCost()),
            definition="(Spend + active stack tools' monthly cost × 12 ÷ 365 × elapsed days) ÷ Customers; people "
            "costs not included",
            better=LOWER,
            prorated=False,
            takes_target=False,
        ),
        Metric(
            "LTV:CAC",
            "ratio",
            expression=ValueOver(BusinessValue("Customer lifetime value"), Figure("CAC", _block)),
            definition="Customer lifetime value ÷ CAC",
            better=HIGHER,
            prorated=False,
            takes_target=True,
            per_channel=True,
        ),
        Metric(
            "ROAS",
            "ratio",
            expression=RatioOfSums("Revenue", "Spend", paid_only=True),
            definition="Revenue ÷ Spend of paid channels",
            better=HIGHER,
            prorated=False,
            takes_target=True,
            per_channel=True,
        ),
        Metric(
            "MER",
            "ratio",
            expression=RatioOfSums("Revenue", "Spend"),
            definition="All revenue ÷ all spend (marketing efficiency ratio)",
            better=HIGHER,
            prorated=False,
            takes_target=False,
        ),
        Metric(
            "Impressions",
            "count",
            expression=Sum("Impressions"),
            definition="Sum of Impressions in Actuals",
            better=HIGHER,
            prorated=True,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "Clicks",
            "count",
            expression=Sum("Clicks"),
            definition="Sum of Clicks in Actuals",
            better=HIGHER,
            prorated=True,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "CTR",
            "percent",
            expression=RatioOfSums("Clicks", "Impressions"),
            definition="Clicks ÷ Impressions (click-through rate)",
            better=HIGHER,
            prorated=False,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "Click to lead",
            "percent",
            expression=RatioOfSums("Leads", "Clicks"),
            definition="Leads ÷ Clicks",
            better=HIGHER,
            prorated=False,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "Lead to MQL",
            "percent",
            expression=RatioOfSums("MQLs", "Leads"),
            definition="MQLs ÷ Leads",
            better=HIGHER,
            prorated=False,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "MQL to SQL",
            "percent",
            expression=RatioOfSums("SQLs", "MQLs"),
            definition="SQLs ÷ MQLs",
            better=HIGHER,
            prorated=False,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "SQL to customer",
            "percent",
            expression=RatioOfSums("Customers", "SQLs"),
            definition="Customers ÷ SQLs",
            better=HIGHER,
            prorated=False,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
        Metric(
            "Revenue per customer",
            "money",
            expression=RatioOfSums("Revenue", "Customers"),
            definition="Revenue ÷ Customers",
            better=HIGHER,
            prorated=False,
            takes_target=False,
            kpi=False,
            per_channel=True,
        ),
    )
)


def current() -> Catalogue:
    """The catalogue in use (read at run time, so a test may swap in a copy).

    Returns:
        :data:`CATALOGUE`, or what replaced it.
    """
    return CATALOGUE


def with_unit(catalogue: Catalogue, unit: Unit) -> tuple[str, ...]:
    """The figures of one unit.

    Args:
        catalogue: The catalogue.
        unit: The unit.

    Returns:
        Their names, in catalogue order.
    """
    return tuple(m.name for m in catalogue if m.unit == unit)
