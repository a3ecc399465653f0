"""Where each KPI and channel lands, as the KPI Framework, Channel Performance and the framework text show it.

The forecast (:attr:`~mops_xl.analysis.engine.Analysis.forecast`) is the one answer to "where will we land?":
there is no straight-line projection beside it. This module picks, for each row the outputs show, the forecast
figures it shows and says how they are written:

- a KPI Framework row shows its KPI's Low, Likely and High (P10, P50, P90 at period end); "Spend vs target" shows
  the Spend forecast (the same spend, judged against another target); a KPI the forecast does not cover (MER,
  LTV:CAC, Fully-loaded CAC) shows "–";
- the chance of target is shown only against the target the row shows: the forecast reads the Targets sheet, so
  the Spend row (judged against the budget) has none, and "Spend vs target" has the Spend target's;
- a channel shows its spend and the KPI it is judged on (its primary metric; leads without one), with the chance
  of its primary target when the forecast read that target (a Targets sheet row, not a fallback such as
  Expected CAC);
- a ratio with no customers (or no spend) on some paths is infinite there: a High figure that is infinite is
  "no upper bound", a Low or Likely one "–" (a CAC over no customer is undefined, as the KPI Framework shows it).

The figures are built values, not formulas: the forecast is a simulation, so a sheet says "rebuild after editing
the data". Money is written as the text writes it (whole units from 100 up, cents below), counts whole, ratios
3.1:1, and a chance as a whole percent ("5%", "<1%", ">99%").
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.statuses import NOT_TRACKED
from mops_xl.analysis.blocks.wording import UNDEFINED, figure, fixed
from mops_xl.analysis.engine import Analysis

#: The KPI Framework's forecast columns, after Change.
KPI_FORECAST_COLUMNS = ("Low", "Likely", "High", "Chance of target")
#: Their caption, over them (and the values-only copy's, which has no data to edit).
KPI_FORECAST_CAPTION = "Forecast at period end (P10, P50, P90; built values: rebuild after editing the data)"
KPI_FORECAST_VALUES_CAPTION = "Forecast at period end (P10, P50, P90)"
#: A KPI Framework row that shows another row's forecast: the same figure judged against another target.
SAME_FORECAST = {"Spend vs target": "Spend"}
#: Channel Performance's forecast columns: the channel's spend and the KPI it is judged on.
CHANNEL_FORECAST_COLUMNS = (
    "Spend likely",
    "Spend low–high",
    "KPI",
    "Likely",
    "Low–high",
    "Chance of target",
)
#: A High figure that is infinite on enough paths (a ratio over no customers or no spend).
NO_UPPER_BOUND = "no upper bound"
#: The number format of a chance: a whole percent, "<1%" and ">99%" at the ends (the cell holds the fraction).
CHANCE_FORMAT = '[<0.005]"<1%";[>=0.995]">99%";0%'
#: A chance below this is written "<1%", at or above 1 − it ">99%" (as :data:`CHANCE_FORMAT`).
_ENDS = 0.005


def money_format(symbol: str) -> str:
    """The number format of a forecast amount: whole units from 100 up (and for 0), cents below, as
    :func:`mops_xl.analysis.blocks.wording.money` writes it.

    Args:
        symbol: The currency symbol (e.g. "$").

    Returns:
        The Excel number format.
    """
    return f'[>=100]"{symbol}"#,##0;[=0]"{symbol}"0;"{symbol}"#,##0.00'


def chance_text(chance: float) -> str:
    """A chance as the sheets show it: a whole percent, "<1%" below 0.5 %, ">99%" from 99.5 %, "–" when there is no
    target.

    Args:
        chance: A fraction from 0 to 1, or NaN.

    Returns:
        e.g. "5%", "<1%", ">99%", "–".
    """
    if chance is None or math.isnan(chance):
        return UNDEFINED
    if chance < _ENDS:
        return "<1%"
    if chance >= 1 - _ENDS:
        return ">99%"
    return f"{fixed(chance * 100, 0)}%"


def shown(value: Any, high: bool = False) -> Any:
    """A forecast figure as a cell holds it: a finite number as it is; an infinite High "no upper bound"; any other
    infinite or undefined figure "–"; a text (Not tracked) as it is.

    Args:
        value: The figure.
        high: Whether it is a High (P90) figure.

    Returns:
        A float or a text.
    """
    if isinstance(value, str):
        return value
    if value is None or math.isnan(value):
        return UNDEFINED
    if math.isinf(value):
        return NO_UPPER_BOUND if high and value > 0 else UNDEFINED
    return float(value)


def spoken(metric: str, value: Any, prefix: str, high: bool = False) -> str:
    """A forecast figure in words, as the sheet shows it (:func:`shown`, then the metric's unit).

    Args:
        metric: The metric (its unit: money, count, ratio).
        value: The figure.
        prefix: The currency prefix.
        high: Whether it is a High (P90) figure.

    Returns:
        e.g. "$48,166", "1,291", "4.1:1", "no upper bound", "–".
    """
    return figure(metric, shown(value, high), prefix)


def low_high(metric: str, low: Any, high: Any, prefix: str) -> str:
    """A range in words: "$47,054–$49,399"; "–" when either end is undefined; Not tracked as it is.

    Args:
        metric: The metric.
        low: The Low figure.
        high: The High figure.
        prefix: The currency prefix.

    Returns:
        The text.
    """
    if isinstance(low, str):
        return low
    a, b = spoken(metric, low, prefix), spoken(metric, high, prefix, high=True)
    return UNDEFINED if UNDEFINED in (a, b) else f"{a}–{b}"


def kpi_forecast(a: Analysis) -> pd.DataFrame:
    """Each KPI Framework row's forecast figures.

    Args:
        a: The engine's results.

    Returns:
        Indexed by the KPI Framework's metrics: :data:`KPI_FORECAST_COLUMNS` (NaN where the forecast does not
        cover the KPI, or for the chance where the row's target is not the one the forecast read; "Not tracked"
        for a KPI that is not tracked; a ratio's figure may be infinite).
    """
    table = a.forecast.kpis.set_index("Metric")
    rows: list[dict[str, Any]] = []
    for metric in a.kpis.index:
        source = SAME_FORECAST.get(str(metric), str(metric))
        if source not in table.index:
            rows.append(dict.fromkeys(KPI_FORECAST_COLUMNS, math.nan))
            continue
        f = table.loc[source]
        if f["Method"] == NOT_TRACKED:
            rows.append(dict.fromkeys(KPI_FORECAST_COLUMNS, NOT_TRACKED))
            continue
        chance = f["Chance of target"] if _same_target(a.kpis.loc[metric, "Target"], f["Target"]) else math.nan
        rows.append({"Low": f["P10"], "Likely": f["P50"], "High": f["P90"], "Chance of target": chance})
    return pd.DataFrame(rows, index=a.kpis.index, columns=list(KPI_FORECAST_COLUMNS))


def channel_forecast(a: Analysis) -> pd.DataFrame:
    """Each channel's spend and the KPI it is judged on, at period end.

    Args:
        a: The engine's results.

    Returns:
        Indexed by channel: "KPI" (its primary metric, Leads without one), the Spend and the KPI's "P10", "P50",
        "P90" ("Spend P10" …) and "Chance of target" (NaN where the channel's primary target is not the one the
        forecast read); "Not tracked" for a figure the channel does not track.
    """
    table = a.forecast.channels.set_index(["Channel", "Metric"])
    rows = []
    for channel, c in a.channels.iterrows():
        primary = c["Primary metric"]
        metric = primary if isinstance(primary, str) and primary in catalogue.current() else "Leads"
        row: dict[str, Any] = {"KPI": metric}
        for name, prefix in (("Spend", "Spend "), (metric, "")):
            f = table.loc[(channel, name)] if (channel, name) in table.index else None
            for q in ("P10", "P50", "P90"):
                tracked = f is not None and f["Method"] != NOT_TRACKED
                row[prefix + q] = (f[q] if tracked else NOT_TRACKED) if f is not None else math.nan
        f = table.loc[(channel, metric)] if (channel, metric) in table.index else None
        judged = f is not None and isinstance(primary, str) and _same_target(c["Primary target"], f["Target"])
        row["Chance of target"] = f["Chance of target"] if judged and f is not None else math.nan
        rows.append(row)
    return pd.DataFrame(rows, index=a.channels.index)


def _same_target(shown_target: Any, forecast_target: Any) -> bool:
    """Whether the target a row shows is the one the forecast's chance is of."""
    try:
        return math.isclose(float(shown_target), float(forecast_target))
    except (TypeError, ValueError):
        return False
