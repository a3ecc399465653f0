"""Importers: ad-platform and journey exports (CSV) appended to a new intake.

Owns the platform export formats (each platform's standard headers, declared once), reading CSV exports as
platforms write them, and appending validated rows to Actuals or Touchpoints.

May import: :mod:`mops_xl.intake` (its schema, coercion and template writer), :mod:`mops_xl.errors`,
:mod:`mops_xl.atomic`; nothing of the metrics, the outputs or the batch.
"""
