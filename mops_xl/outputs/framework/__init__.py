"""The text Marketing Operations Framework: jinja2 templates (box drawing and Markdown) filled from the analysis.

May import: :mod:`mops_xl.analysis`, :mod:`mops_xl.intake` (schema, currencies), :mod:`mops_xl.campaigns`.
"""
