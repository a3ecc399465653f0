"""How the report looks: the cell formats, the sheet writers' base class, column widths and row heights, the
print set-up, and the values-only workbook."""
