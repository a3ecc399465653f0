"""The metrics layer: pure functions of data frames (no I/O, no Excel), defined in docs/metrics.md."""

from .volumes import VOLUMES, channel_volumes, in_window

__all__ = ["VOLUMES", "channel_volumes", "in_window"]
