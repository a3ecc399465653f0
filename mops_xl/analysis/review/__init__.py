"""The review room: what changed since the last report. It compares two snapshots of what the engine computed
(:mod:`mops_xl.analysis.review.snapshot`), this report's and the previous report's, and never re-reads an intake.
The shapes it hands to the outputs are in :mod:`mops_xl.analysis.review.changes`.

- :func:`take_snapshot` (:mod:`.taking`): the snapshot of one build;
- :func:`check_comparable` and :func:`compare_reports` (:mod:`.compare`): whether two reports compare, and what
  changed: KPI moves with exact drivers (:mod:`.drivers`, :mod:`.moves`), the weekly view (:mod:`.weekly`), the
  actions (:mod:`.actions`), the definitions (:mod:`.definitions`), the restated history (:mod:`.restated`), the
  forecast's drift (:mod:`.drift`) and the summary (:mod:`.summary`).
"""

from mops_xl.analysis.review.compare import check_comparable, compare_reports, identity_problem, same_period
from mops_xl.analysis.review.taking import take_snapshot

__all__ = ["check_comparable", "compare_reports", "identity_problem", "same_period", "take_snapshot"]
