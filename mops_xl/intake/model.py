"""The validated intake: typed tables and fields, the value every later stage receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.schema import SCHEMA_VERSION

#: The Actuals columns a team may not track: a blank cell is missing, not 0 (Spend is required; blank Spend is 0).
TRACKABLE = ("Impressions", "Clicks", "Leads", "MQLs", "SQLs", "Customers", "Revenue")


def tracked_by_channel(actuals: pd.DataFrame, channels: list[str] | pd.Series) -> pd.DataFrame:
    """Which Actuals columns each channel tracks (docs/metrics.md, "Not tracked").

    A column is not tracked at all when no Actuals row gives it (the column is absent or blank throughout); a
    channel does not track it when the channel has Actuals rows and every one of them leaves it blank. A channel
    without any Actuals row tracks every column some other channel tracks (it simply did nothing yet).

    Args:
        actuals: The Actuals table (every date, not only the reporting window).
        channels: The channels of the Channels sheet.

    Returns:
        Indexed by channel, one boolean column per :data:`TRACKABLE` column.
    """
    names = pd.Index(list(channels), name="Channel")
    given = actuals[list(TRACKABLE)].notna()
    anywhere = given.any()
    tracked = given.groupby(actuals["Channel"]).any().reindex(names, fill_value=False).astype(bool)
    tracked.loc[~names.isin(set(actuals["Channel"].dropna()))] = True
    return tracked & anywhere


@dataclass
class Intake:
    """A validated intake workbook.

    Args:
        source: The file it was read from.
        business: Business field → value (dates as ``pandas.Timestamp``); Report as of is always set.
        settings: Setting → value (defaults applied; percentages as fractions).
        tables: Table sheet → DataFrame with the canonical columns, indexed by Excel row number.
            Actuals rows for the same date, channel and campaign are already summed.
        schema_version: The schema version of the template the intake was made from.
        report: The warnings and notices found while reading (no errors: those raise).
        letters: Sheet → field → column letter in the user's workbook (tables) or value cell (Business,
            Settings, e.g. "B7").
    """

    source: Path
    business: dict[str, Any]
    settings: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    schema_version: str = SCHEMA_VERSION
    report: ValidationReport = field(default_factory=ValidationReport)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """Return the table sheet called ``name`` (empty, with its columns, when not filled in).

        Args:
            name: A table sheet name, e.g. ``"Actuals"``.

        Returns:
            The DataFrame.
        """
        return self.tables[name]

    @property
    def channels(self) -> pd.DataFrame:
        """The Channels sheet."""
        return self.tables["Channels"]

    @property
    def budget(self) -> pd.DataFrame:
        """The Budget sheet."""
        return self.tables["Budget"]

    @property
    def actuals(self) -> pd.DataFrame:
        """The Actuals sheet, one row per date, channel and campaign."""
        return self.tables["Actuals"]

    @property
    def targets(self) -> pd.DataFrame:
        """The Targets sheet."""
        return self.tables["Targets"]

    @property
    def tracked(self) -> pd.DataFrame:
        """Channel × :data:`TRACKABLE` column → whether the channel tracks it (see :func:`tracked_by_channel`)."""
        return tracked_by_channel(self.actuals, self.channels["Channel"])

    @property
    def untracked_columns(self) -> list[str]:
        """The :data:`TRACKABLE` columns the user's Actuals sheet does not have at all."""
        present = self.letters.get("Actuals")
        return [c for c in TRACKABLE if present is not None and c not in present]

    @property
    def period_start(self) -> pd.Timestamp:
        """First day of the reporting period."""
        return self.business["Period start"]

    @property
    def period_end(self) -> pd.Timestamp:
        """Last day of the reporting period."""
        return self.business["Period end"]

    @property
    def report_as_of(self) -> pd.Timestamp:
        """The day the figures run to."""
        return self.business["Report as of"]
