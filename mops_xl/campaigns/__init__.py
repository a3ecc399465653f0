"""Campaigns: the campaign template library (checklists by campaign type) and its reference workbook.

The library is data; the report's Campaign Templates and plan sheets and the framework text read it.
May import: :mod:`mops_xl.atomic` only.
"""
