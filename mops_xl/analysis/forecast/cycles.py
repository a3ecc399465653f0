"""The lumpy channels, as the forecast reads them: defined once in the building blocks
(:mod:`mops_xl.analysis.blocks.cycles`), where the trend, the run rate and the plan read them too."""

from __future__ import annotations

from mops_xl.analysis.blocks.cycles import LUMPY_SHARE, REGULAR_SHARE, SpendCycle, lumpy_channels, spend_cycle

__all__ = ["LUMPY_SHARE", "REGULAR_SHARE", "SpendCycle", "lumpy_channels", "spend_cycle"]
