"""The generated reference pages (``docs/intake.md``): rendered from the schema and the import formats.

May import: :mod:`mops_xl.intake`, :mod:`mops_xl.importers`, :mod:`mops_xl.analysis`.
"""
