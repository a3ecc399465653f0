"""The metrics: pure functions of data frames (no I/O, no Excel), defined in docs/metrics.md.

:mod:`mops_xl.metrics.engine` assembles them into one :class:`~mops_xl.metrics.engine.Analysis` per intake.
May import: :mod:`mops_xl.intake`'s schema, model and currencies (never its readers) and the campaign template
library (:mod:`mops_xl.campaigns.library`); nothing of the outputs, the importers, the batch or the CLI. Every
status word is defined in :mod:`mops_xl.metrics.statuses`.
"""

from mops_xl.metrics.volumes import VOLUMES, channel_volumes, in_window

__all__ = ["VOLUMES", "channel_volumes", "in_window"]
