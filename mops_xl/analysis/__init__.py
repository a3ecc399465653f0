"""The analysis stage: pure functions of data frames (no I/O, no Excel), defined in docs/metrics.md.

Its rooms, lowest first; a room imports only the rooms before it (``tests/test_layers.py`` checks it):

1. :mod:`~mops_xl.analysis.blocks` — the building blocks: the metric catalogue and its figure blocks, status
   words, the reporting window, what the intake tracks, the thresholds, how a figure is written.
2. :mod:`~mops_xl.analysis.figures` — what happened: volumes, channel performance, targets, budget pacing, trend,
   the KPI table, the channel scorecard, attribution, experiments, campaign plans.
3. :mod:`~mops_xl.analysis.assessment` — the martech stack, the integration map and the maturity level.
4. :mod:`~mops_xl.analysis.decisions` — what to do: triggers, recommendations, reallocation, budget needed,
   review dates.
5. :mod:`~mops_xl.analysis.story` — what is told about it: the headline, the KPI boxes, the Data Notes.

:mod:`mops_xl.analysis.engine` sits on top and assembles every room into one
:class:`~mops_xl.analysis.engine.Analysis` per intake.

May import: :mod:`mops_xl.intake`'s schema, model and currencies (never its readers) and the campaign template
library (:mod:`mops_xl.campaigns.library`); nothing of the outputs, the importers, the batch or the CLI.
"""
