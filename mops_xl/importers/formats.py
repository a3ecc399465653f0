"""The ad-platform export formats mops-xl imports: each platform's standard headers, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from mops_xl.errors import MopsXLError
from mops_xl.intake.reader import close_match, normalise_header
from mops_xl.intake.schema import SHEETS_BY_NAME


@dataclass(frozen=True)
class ExportFormat:
    """How one kind of export maps onto an intake sheet's columns.

    A column is taken from the first export header found among its alternatives, else from a header equal to
    the column's own name (ignoring case and spaces), unless it was named with ``--map``.

    Args:
        name: The ``--source`` name.
        channel: The channel the rows belong to (the intake's Channels must have it; ``--channel`` overrides).
        columns: Sheet column → the export's column header (the first found of several alternatives).
        sheet: The intake sheet the rows go to.
        mapped: Columns named with ``--map``: the export must have exactly that header.
    """

    name: str
    channel: str
    columns: dict[str, tuple[str, ...]]
    sheet: str = "Actuals"
    mapped: frozenset[str] = frozenset()


FORMATS = {
    f.name: f
    for f in (
        ExportFormat(
            "google-ads",
            "Google Ads",
            {
                "Date": ("Day", "Date"),
                "Campaign": ("Campaign",),
                "Spend": ("Cost",),
                "Impressions": ("Impr.", "Impressions"),
                "Clicks": ("Clicks",),
                "Leads": ("Conversions",),
                "Revenue": ("Conv. value", "Conversion value"),
            },
        ),
        ExportFormat(
            "meta-ads",
            "Meta Ads",
            {
                "Date": ("Day", "Reporting starts"),
                "Campaign": ("Campaign name",),
                "Spend": ("Amount spent (USD)", "Amount spent (EUR)", "Amount spent (GBP)", "Amount spent"),
                "Impressions": ("Impressions",),
                "Clicks": ("Link clicks", "Clicks (all)"),
                "Leads": ("Leads",),
                "Customers": ("Purchases",),
                "Revenue": ("Purchases conversion value",),
            },
        ),
        ExportFormat(
            "linkedin-ads",
            "LinkedIn Ads",
            {
                "Date": ("Start Date (in UTC)", "Date"),
                "Campaign": ("Campaign Name",),
                "Spend": ("Total Spent",),
                "Impressions": ("Impressions",),
                "Clicks": ("Clicks",),
                "Leads": ("Leads",),
            },
        ),
    )
}


def mapping_for(source: str, generic: dict[str, str] | None = None, sheet: str = "Actuals") -> ExportFormat:
    """The column mapping of a ``--source`` for a sheet, with ``--map`` pairs (``{"Spend": "cost", …}``) on top.

    Args:
        source: google-ads, meta-ads, linkedin-ads (Actuals only) or generic (any importable sheet).
        generic: Sheet column (any case) → export header; it wins over the source's standard headers.
        sheet: Actuals or Touchpoints.

    Returns:
        The :class:`ExportFormat`.

    Raises:
        MopsXLError: The source does not export that sheet, or a mapped column is not one of the sheet's.
    """
    base = FORMATS.get(source) if source != "generic" else ExportFormat("generic", "", {}, sheet)
    if base is None or base.sheet != sheet:
        sources = ", ".join(["generic"] + [f.name for f in FORMATS.values() if f.sheet == sheet])
        raise MopsXLError(f"--source {source} cannot be imported into {sheet}; use one of: {sources}")
    schema = SHEETS_BY_NAME[sheet]
    names = {normalise_header(n): n for n in schema.field_names}
    columns, mapped = dict(base.columns), set()
    for column, header in (generic or {}).items():
        name = names.get(normalise_header(column))
        if name is None:
            hint = close_match(column.strip(), schema.field_names)
            raise MopsXLError(
                f'--map {column}={header}: {sheet} has no column "{column.strip()}"'
                + (f' (did you mean "{hint}"?)' if hint else "")
                + f"; its columns are {', '.join(schema.field_names)}"
            )
        columns[name] = (header.strip(),)
        mapped.add(name)
    return ExportFormat(base.name, base.channel, columns, sheet, frozenset(mapped))


#: A number written with thousands separators: "1,200" or "1,234,567.89" (not a decimal comma like "12,5").
