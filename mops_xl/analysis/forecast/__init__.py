"""The forecast room: where the period lands. Pure functions of the engine's data (the daily Actuals per channel,
the reporting window, the targets and an optional plan), seeded so that the same intake always gives the same
figures. Imports only the building blocks (and the intake's model); the decisions room calls it for "with the
plan".

The public API:

- :func:`forecast_period` → :class:`PeriodForecast`: every KPI's actual to date, P10, P50 and P90 at period end
  and chance of target, for all channels (``kpis``) and per channel (``channels``); "with the plan" when given
  the planned spend of the days left.
- :func:`daily_by_channel`: the Actuals rows summed into the daily frame per channel it reads.
- :func:`budget_needed_with_odds`: the spend that reaches each volume target with a 50 % and an 80 % chance.
- :func:`chance_in_words`: "about 1 in 20", "about 9 in 10", "almost certain".
- :func:`lumpy_channels`: the channels that spend on some days only, with the cycle to judge them over.
- :func:`method_statement`: the method and its back-tested coverage in one sentence (Data Notes).
"""

from mops_xl.analysis.blocks.statuses import ALL_CHANNELS
from mops_xl.analysis.forecast.budget import NEEDED_WITH_ODDS_COLUMNS, budget_needed_with_odds, most_spent
from mops_xl.analysis.forecast.cycles import SpendCycle, lumpy_channels, spend_cycle
from mops_xl.analysis.forecast.forecasters import FORECASTERS, SIMULATION, STRAIGHT_LINE, Forecaster
from mops_xl.analysis.forecast.history import DAILY_COLUMNS, daily_by_channel
from mops_xl.analysis.forecast.kpis import FORECAST_KPIS
from mops_xl.analysis.forecast.measured import method_statement
from mops_xl.analysis.forecast.paths import PeriodPaths, PlannedSpend
from mops_xl.analysis.forecast.period import PeriodForecast, forecast_period
from mops_xl.analysis.forecast.summary import FORECAST_COLUMNS, Targets
from mops_xl.analysis.forecast.words import chance_in_words

__all__ = [
    "ALL_CHANNELS",
    "DAILY_COLUMNS",
    "FORECASTERS",
    "FORECAST_COLUMNS",
    "FORECAST_KPIS",
    "NEEDED_WITH_ODDS_COLUMNS",
    "SIMULATION",
    "STRAIGHT_LINE",
    "Forecaster",
    "PeriodForecast",
    "PeriodPaths",
    "PlannedSpend",
    "SpendCycle",
    "Targets",
    "budget_needed_with_odds",
    "chance_in_words",
    "daily_by_channel",
    "forecast_period",
    "lumpy_channels",
    "method_statement",
    "most_spent",
    "spend_cycle",
]
