"""The reporting window: period, elapsed days, previous period, provisional days."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class ReportingWindow:
    """Period start S, Period end E and Report as of A, with the day counts every metric uses.

    Args:
        start: S, the first day of the period.
        end: E, the last day of the period.
        as_of: A, the last day counted (S <= A <= E).
        settling_days: The last days before A that ad platforms may still revise.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp
    settling_days: int = 0

    @property
    def period_days(self) -> int:
        """D = E − S + 1."""
        return (self.end - self.start).days + 1

    @property
    def elapsed_days(self) -> int:
        """d = A − S + 1."""
        return (self.as_of - self.start).days + 1

    @property
    def previous(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The previous period: the d days just before S, ``(S − d, S − 1)``."""
        return self.start - self.elapsed_days * DAY, self.start - DAY

    @property
    def provisional_from(self) -> pd.Timestamp | None:
        """The first day whose figures may still be revised (A − settling days + 1), or None."""
        if self.settling_days <= 0:
            return None
        return self.as_of - (self.settling_days - 1) * DAY

    def is_provisional(self, window_end: pd.Timestamp) -> bool:
        """Return True when a window ending on ``window_end`` includes provisional days.

        Args:
            window_end: The last day of the window a figure covers.

        Returns:
            Whether that figure is provisional.
        """
        first = self.provisional_from
        return first is not None and window_end >= first
