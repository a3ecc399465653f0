"""The review room: what changed since the last report. It compares two snapshots of what the engine computed
(:mod:`mops_xl.analysis.review.snapshot`), this report's and the previous report's, and never re-reads an intake.
The shapes it hands to the outputs are in :mod:`mops_xl.analysis.review.changes`.
"""
