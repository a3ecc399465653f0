"""The ad-platform export formats mops-xl imports: each platform's standard headers, declared once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from mops_xl.errors import MopsXLError
from mops_xl.intake.reader import close_match, normalise_header
from mops_xl.intake.schema import SHEETS_BY_NAME


@dataclass(frozen=True)
class ExportFormat:
    """How one platform's export, as downloaded, maps onto an intake sheet's columns.

    A column is taken from the first export header found among its alternatives, else from a header equal to
    the column's own name (ignoring case and spaces), unless it was named with ``--map``. A header may carry
    the account's currency as a suffix, ``Amount spent (EGP)``: any ISO 4217 code matches, and states the
    export's currency.

    Args:
        name: The ``--source`` name.
        channel: The channel the rows belong to (the intake's Channels must have it; ``--channel`` overrides).
        columns: Sheet column → the export's column header (the first found of several alternatives).
        sheet: The intake sheet the rows go to.
        mapped: Columns named with ``--map``: the export must have exactly that header.
        label: The platform's name in the docs.
        export: Where the export is made, as the platform's interface says it.
        dates: How the platform writes days (for the docs; ``date_order`` settles the ambiguous ones).
        date_order: ``"MDY"`` when the platform writes US dates (03/04/2026 is March 4), else ``""``.
        currency_columns: Columns that state the currency of every row.
        period_end: The column that ends each row's period (Meta's "Reporting ends"): a row whose period is
            longer than a day is not broken down by day.
        by_day: How to export the report broken down by day.
        time_zone: What the export says of its time zone (for the docs).
        title_marks: Words only this platform writes in the title lines above the header (recognising an export
            given without ``--source``).
    """

    name: str
    channel: str
    columns: dict[str, tuple[str, ...]]
    sheet: str = "Actuals"
    mapped: frozenset[str] = frozenset()
    label: str = ""
    export: str = ""
    dates: str = "YYYY-MM-DD"
    date_order: str = ""
    currency_columns: tuple[str, ...] = ("Currency code", "Currency")
    period_end: str = ""
    by_day: str = ""
    time_zone: str = ""
    title_marks: tuple[str, ...] = ()


#: Each platform's export as downloaded. The docs' table of formats (docs/intake.md) is generated from this.
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
                "Revenue": ("Conv. value", "Conversion value", "All conv. value"),
            },
            label="Google Ads",
            export="Campaigns report, Segment > Time > Day, Download > CSV or Excel CSV (UTF-16, tabs)",
            dates='YYYY-MM-DD (or the locale\'s, e.g. "Nov 3, 2026")',
            currency_columns=("Currency code", "Currency"),
            by_day="in the report, choose Segment > Time > Day (a Day column), then download it again",
            time_zone="the account's time zone (not stated in the file)",
        ),
        ExportFormat(
            "meta-ads",
            "Meta Ads",
            {
                "Date": ("Day", "Reporting starts"),
                "Campaign": ("Campaign name",),
                "Spend": ("Amount spent",),
                "Impressions": ("Impressions",),
                "Clicks": ("Link clicks", "Clicks (all)"),
                "Leads": ("Leads",),
                "Customers": ("Purchases",),
                "Revenue": ("Purchases conversion value",),
            },
            label="Meta (Facebook, Instagram) Ads Manager",
            export="Ads Manager > Reports > Export table data > .csv",
            currency_columns=("Currency",),
            period_end="Reporting ends",
            by_day="in Ads Manager choose Breakdown > By time > Day, then export again (one row per day)",
            time_zone="the ad account's time zone (not stated in the file)",
        ),
        ExportFormat(
            "linkedin-ads",
            "LinkedIn Ads",
            {
                "Date": ("Start Date (in UTC)", "Start Date", "Date"),
                "Campaign": ("Campaign Name", "Campaign"),
                "Spend": ("Total Spent", "Amount Spent"),
                "Impressions": ("Impressions",),
                "Clicks": ("Clicks",),
                "Leads": ("Leads",),
                "Customers": ("Conversions",),
            },
            label="LinkedIn Campaign Manager",
            export="Campaign Manager > Analyze > Export > Campaign performance, Time breakdown: Daily",
            dates="MM/DD/YYYY (US)",
            date_order="MDY",
            currency_columns=("Currency",),
            by_day='choose Time breakdown: "Daily" when exporting',
            time_zone='UTC (the header says "(in UTC)")',
            title_marks=("Report Start:", "Date Generated:"),
        ),
        ExportFormat(
            "tiktok-ads",
            "TikTok Ads",
            {
                "Date": ("By Day", "Date", "Day", "Stat time"),
                "Campaign": ("Campaign name", "Campaign"),
                "Spend": ("Cost", "Total cost"),
                "Impressions": ("Impressions",),
                "Clicks": ("Clicks (destination)", "Clicks"),
                "Leads": ("Conversions",),
                "Customers": ("Complete payment", "Purchases"),
                "Revenue": ("Total complete payment value", "Total purchase value"),
            },
            label="TikTok Ads Manager",
            export="Ads Manager > Campaign > Export (or Reporting > Custom report), Dimension: Day",
            currency_columns=("Currency",),
            by_day="add the Day dimension (By Day) to the report, then export again",
            time_zone="the advertiser account's time zone (not stated in the file)",
        ),
        ExportFormat(
            "microsoft-ads",
            "Microsoft Ads",
            {
                "Date": ("Gregorian date", "Day", "Date", "TimePeriod"),
                "Campaign": ("Campaign name", "Campaign"),
                "Spend": ("Spend",),
                "Impressions": ("Impr.", "Impressions"),
                "Clicks": ("Clicks",),
                "Leads": ("Conversions", "Conv."),
                "Revenue": ("Revenue",),
            },
            label="Microsoft Advertising",
            export="Reports > Campaign report, Time: Daily, Download > CSV",
            dates="YYYY-MM-DD or M/D/YYYY (US)",
            date_order="MDY",
            currency_columns=("Currency code", "Currency"),
            by_day='choose Time: "Daily" (a Gregorian date column), then download it again',
            time_zone='stated in the title rows ("Time zone: …")',
            title_marks=("Report Name:", "Report Time:"),
        ),
    )
}


def mapping_for(source: str, generic: dict[str, str] | None = None, sheet: str = "Actuals") -> ExportFormat:
    """The column mapping of a ``--source`` for a sheet, with ``--map`` pairs (``{"Spend": "cost", …}``) on top.

    Args:
        source: A platform of :data:`FORMATS` (Actuals only) or generic (any importable sheet).
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
    return dataclasses.replace(base, columns=columns, sheet=sheet, mapped=frozenset(mapped))
