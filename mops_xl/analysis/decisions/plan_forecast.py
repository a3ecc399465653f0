"""Where the period lands "with the plan": the forecast room's forecast, run again with the plan's spend for the
days left (see :mod:`mops_xl.analysis.decisions.period_plan`). The decisions room calls the forecast room; the
forecast room never reads the plan."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pandas as pd

from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.decisions.period_plan import PeriodPlan
from mops_xl.analysis.forecast import PeriodForecast, Targets, forecast_period
from mops_xl.analysis.forecast.history import ChannelHistory


def planned_spend_a_day(plan: PeriodPlan, days_left: int) -> dict[str, float]:
    """Each planned channel's spend a day over the days left, such that the days left add up to the channel's
    planned rest of period (a channel planned over fewer days, because its budget line starts later, is spread
    over all of them: the forecast only reads the total; a lagging channel's over its days planned, which start after
    its last data date, as the forecast simulates them).

    Args:
        plan: The plan for the rest of the period.
        days_left: Days from the day after Report as of to Period end.

    Returns:
        Channel → spend a day (empty when no day is left).
    """
    if days_left <= 0 or plan.table.empty:
        return {}
    planned = plan.table["Planned rest of period"].astype(float)
    days = plan.table["Days planned"].astype("int64").clip(lower=days_left)  # a lagging channel's are more
    return {str(ch): float(total) / int(days[ch]) for ch, total in planned.items()}


def forecast_with_plan(
    daily: pd.DataFrame,
    window: ReportingWindow,
    targets: Targets | None,
    plan: PeriodPlan,
    *,
    channels: Sequence[str],
    paid: Collection[str],
    data_through: Mapping[str, pd.Timestamp] | None = None,
    history: ChannelHistory | None = None,
) -> PeriodForecast:
    """The forecast of every KPI at period end if the plan is followed.

    Args:
        daily: The daily Actuals per channel (see :func:`mops_xl.analysis.forecast.daily_by_channel`).
        window: The reporting window.
        targets: The period's targets by (KPI, channel or None).
        plan: The plan for the rest of the period.
        channels: Every channel, in Channels order.
        paid: The paid channels.
        data_through: Channel → its last data date, for the lagging channels (their days after it are simulated).
        history: The days the forecast "if the current pattern continues" read (its ``history``), so they are not
            read again; None: read them from ``daily``.

    Returns:
        The :class:`~mops_xl.analysis.forecast.PeriodForecast` "with the plan" (the same seed as "if the current
        pattern continues", so the two differ only through spend).
    """
    days_left = max((window.end - window.as_of).days, 0)
    per_day = planned_spend_a_day(plan, days_left)
    return forecast_period(
        daily,
        window,
        targets,
        planned_spend=per_day or None,
        channels=channels,
        paid=paid,
        data_through=data_through,
        history=history,
    )
