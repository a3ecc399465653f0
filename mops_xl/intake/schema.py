"""The intake schema, declared once as data.

Everything that knows what an intake workbook looks like reads it from here: the blank template
(:mod:`mops_xl.intake.template`), the reader and validator (:mod:`mops_xl.intake.reader`, :mod:`mops_xl.intake.checks`)
and the reference page ``docs/intake.md`` (:mod:`mops_xl.docs.intake`).

Adding a setting or a column is a one-line change: append a :class:`Field` to its sheet, with
``since`` set to the new :data:`SCHEMA_VERSION` so that intakes made from older templates still
validate (the default applies, with an info notice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The version of the intake contract. Bump the minor part when adding optional fields.
SCHEMA_VERSION = "1.2"

#: How much of a sheet the reader reads: Excel's own sheet size, and at most this many cells counted from A1 (the
#: reader holds every cell of that rectangle; a stray cell at XFD1048576 would need 17 billion).
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
MAX_SHEET_CELLS = 2**25  # 33,554,432: 1,048,576 rows × 32 columns
#: A table ends at a gap of more empty rows than this: the reader stops there, so one stray value at Z1048576 costs
#: no more memory than the table itself. Cells below the gap are not read: right of the table they are a warning
#: (``far-cells``), in its columns an error (``far-rows``), naming the first.
MAX_GAP_ROWS = 1_000

#: The dates an intake may hold: any two of them (and Excel's day 0, 1899-12-30) stay less than 292 years apart, the
#: span pandas' nanosecond time differences can hold.
FIRST_DATE, LAST_DATE = "1900-01-01", "2150-12-31"
#: The longest reporting period (Period start to Period end), in days: ten years.
MAX_PERIOD_DAYS = 3_660
#: The largest magnitude of a number in a cell, by type, unless the field declares a narrower range: a trillion
#: (money in the Business currency, counts, other numbers) keeps every sum over a full sheet finite and exact enough.
TYPE_LIMITS = {"money": 1e12, "integer": 1e12, "number": 1e12, "percent": 1e6}
#: The most rows a table sheet may have where every row costs a sheet of the report or a step per channel.
MAX_CHANNELS = 5_000
MAX_CAMPAIGNS = 2_000  # one plan sheet each in the report
#: The most distinct channels the journeys (Touchpoints or Paths) may touch: Markov attribution inverts a matrix of
#: that size (O(n³): 2,000 channels take about a second).
MAX_JOURNEY_CHANNELS = 2_000
#: The longest field of an import CSV, in characters (Python's csv module refuses longer ones).
MAX_CSV_FIELD = 128 * 1024

#: Column types the reader knows how to coerce. See ``docs/intake.md`` for what each accepts.
TYPES = (
    "text",  # any text; numbers are turned into their text form
    "integer",  # a whole number
    "number",  # any number
    "money",  # a number in the Business currency
    "percent",  # an Excel percentage: 0.8 shown as 80 %
    "date",  # an Excel date (a time part is dropped)
    "datetime",  # an Excel date with an optional time
    "yesno",  # Yes or No
    "choice",  # one of ``choices``
    "list",  # comma-separated values
    "currency",  # an ISO 4217 code
)


@dataclass(frozen=True)
class Field:
    """One column of a table sheet, or one row of a key/value sheet.

    Args:
        name: The canonical header (table) or field label (key/value sheet).
        type: One of :data:`TYPES`.
        required: A value must be given (and, for tables, the column must exist). With a ``default``, only the
            column (or field) must exist: a blank cell takes the default.
        choices: Allowed values for ``choice`` (and suggested values when ``open_choices``).
        open_choices: ``choices`` are suggestions; other text is accepted.
        minimum: Smallest allowed value for numbers.
        maximum: Largest allowed value for numbers.
        default: Value used when the cell is blank (or the field/column is missing).
        unit: Unit shown in the docs and the template's help.
        help: One sentence for the template's Instructions and the docs.
        refers_to: ``(sheet, column)`` whose key this value (or each list item) must name.
        max_fraction: For ``percent``: a plain number above this is read as that many percent.
        since: The schema version that introduced the field.
    """

    name: str
    type: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    open_choices: bool = False
    minimum: float | None = None
    maximum: float | None = None
    default: Any = None
    unit: str = ""
    help: str = ""
    refers_to: tuple[str, str] | None = None
    max_fraction: float = 1.0
    since: str = "1.0"

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown type {self.type!r} for field {self.name!r}")

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """The allowed range of a number: the field's own, else ± its type's limit (:data:`TYPE_LIMITS`).

        Returns:
            ``(minimum, maximum)``; ``(None, None)`` for a field that is not a number.
        """
        limit = TYPE_LIMITS.get(self.type)
        if limit is None:
            return self.minimum, self.maximum
        low = self.minimum if self.minimum is not None else -limit
        high = self.maximum if self.maximum is not None else limit
        return low, high


@dataclass(frozen=True)
class Sheet:
    """One sheet of the intake.

    Args:
        name: The sheet name, exactly as in the workbook.
        kind: ``"fields"`` (column A = Field, column B = Value) or ``"table"`` (header in row 1).
        required: The sheet must exist and hold data.
        purpose: One sentence for the Instructions sheet and the docs.
        fields: The columns (tables) or fields (key/value sheets), in template order.
        key: Columns whose combined value must be unique per row.
        prefill: Rows the template fills in (tuples in ``fields`` order).
    """

    name: str
    kind: str
    required: bool
    purpose: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()
    prefill: tuple[tuple[Any, ...], ...] = field(default=())

    def field(self, name: str) -> Field:
        """Return the field called ``name``.

        Args:
            name: The canonical field name.

        Returns:
            The :class:`Field`.
        """
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def field_names(self) -> list[str]:
        """The canonical field names, in template order."""
        return [f.name for f in self.fields]


STAGES = ("Awareness", "Consideration", "Decision", "Retention")
STACK_CATEGORIES = (
    "Paid media",
    "Social",
    "Content",
    "Email",
    "Marketing automation",
    "Chat/messaging",
    "Landing pages",
    "Forms",
    "CRM",
    "Attribution",
    "Dashboards",
    "BI/reporting",
    "Other",
)
STACK_STAGES = ("Awareness", "Engagement", "Conversion", "Analytics")
SYNC_FREQUENCIES = ("Real-time", "Hourly", "Daily", "Weekly", "Monthly", "Manual")
CAMPAIGN_TYPES = ("Product launch", "Promotional", "Content", "Event")
CAMPAIGN_STATUSES = ("Planning", "Creation", "Launched", "Optimizing", "Completed")
TARGET_METRICS = ("Leads", "MQLs", "SQLs", "Customers", "Revenue", "Spend", "CPL", "CAC", "ROAS", "LTV:CAC")
#: The Actuals column (besides Spend, always tracked) each target metric is computed from: a target is judged only
#: where that column is tracked.
TARGET_NEEDS = {
    "Leads": "Leads",
    "MQLs": "MQLs",
    "SQLs": "SQLs",
    "Customers": "Customers",
    "Revenue": "Revenue",
    "CPL": "Leads",
    "CAC": "Customers",
    "ROAS": "Revenue",
    "LTV:CAC": "Customers",
}
ATTRIBUTION_MODELS = (
    "first touch",
    "last touch",
    "linear",
    "time decay",
    "position based",
    "markov",
    "shapley",
)
TEAM_ROLES = ("Marketing Ops", "Demand Gen", "Content", "Analytics")
ASSESSMENT_MODULES = ("System design", "Campaign orchestration", "Channel management", "Metrics")
YES_PARTLY_NO = ("Yes", "Partly", "No")

BUSINESS = Sheet(
    "Business",
    "fields",
    True,
    "Who the report is for and which period it covers.",
    (
        Field("Business name", required=True, help="The company or brand the report is for."),
        Field("Team size", "integer", minimum=1, unit="people", help="People in the marketing team."),
        Field(
            "Currency",
            "currency",
            default="USD",
            help="ISO 4217 code of the one currency all money in the workbook is in.",
        ),
        Field("Period start", "date", required=True, help="First day of the reporting period."),
        Field(
            "Period end", "date", required=True, help="Last day of the reporting period (e.g. a month or a quarter)."
        ),
        Field(
            "Report as of",
            "date",
            help="Day the figures run to; default: the latest date in Actuals, capped at Period end.",
        ),
        Field(
            "Customer lifetime value",
            "money",
            minimum=0,
            help="Average gross-margin value of a customer; enables LTV:CAC.",
        ),
        Field("MQL score threshold", "number", help="Lead score at which a lead becomes an MQL."),
        Field("Lead definition", default="Form fills + demos", help="What counts as a lead."),
        Field(
            "MQL definition",
            default="Lead score above the MQL threshold",
            help="What counts as a marketing-qualified lead.",
        ),
        Field("SQL definition", default="Sales accepted", help="What counts as a sales-qualified lead."),
    ),
)

SETTINGS = Sheet(
    "Settings",
    "fields",
    False,
    "Thresholds and methods; every field has a default, shown in the template.",
    (
        Field(
            "Underperforming threshold",
            "percent",
            default=0.8,
            minimum=0,
            maximum=1,
            help="A channel below this share of its target is underperforming.",
        ),
        Field(
            "Overspending threshold",
            "percent",
            default=1.1,
            minimum=1,
            maximum=3,
            max_fraction=3,
            help="Spend above this share of the budget pace is overspending.",
        ),
        Field(
            "High-performer threshold",
            "percent",
            default=0.2,
            minimum=0,
            maximum=10,
            max_fraction=1,
            help="A channel this far above target (attainment >= 1 + threshold) is a high performer.",
        ),
        Field(
            "A/B significance level",
            "percent",
            default=0.95,
            minimum=0.5,
            maximum=0.9999,
            help="Confidence needed to call an A/B test (95 % means p < 0.05).",
        ),
        Field(
            "Minimum spend before triggers",
            "money",
            default=0,
            minimum=0,
            help="Channels that spent less to date are not judged as under- or high performers.",
        ),
        Field(
            "Minimum conversions per variant",
            "integer",
            default=30,
            minimum=0,
            help="A/B variants with fewer conversions are 'sample too small'.",
        ),
        Field(
            "Trend window",
            "integer",
            default=7,
            minimum=1,
            maximum=366,
            unit="days",
            help="Length of the recent window the trend arrow compares with the one before it.",
        ),
        Field(
            "Trend band",
            "percent",
            default=0.05,
            minimum=0,
            maximum=1,
            help="Changes smaller than this are shown as a flat trend.",
        ),
        Field(
            "Attribution model",
            "choice",
            choices=ATTRIBUTION_MODELS,
            default="markov",
            help="Model used for attributed CAC/ROAS and the budget reallocation plan.",
        ),
        Field(
            "Time-decay half-life",
            "number",
            default=7,
            minimum=0.01,
            maximum=3660,
            unit="days",
            help="Half-life of the time-decay attribution model.",
        ),
        Field(
            "Pacing method",
            "choice",
            choices=("linear", "weekdays"),
            default="linear",
            help="Whether budget is expected to be spent evenly over calendar days or weekdays.",
        ),
        Field(
            "Data settling days",
            "integer",
            default=3,
            minimum=0,
            maximum=366,
            unit="days",
            help="The last days before Report as of that ad platforms may still revise.",
        ),
        Field(
            "Lookback window",
            "integer",
            default=30,
            minimum=1,
            maximum=3660,
            unit="days",
            since="1.1",
            help="Attribution ignores touches more than this many days before a journey's last touch.",
        ),
        Field(
            "Position-based endpoint share",
            "percent",
            default=0.4,
            minimum=0,
            maximum=0.5,
            since="1.1",
            help="Position-based attribution: the share of the first and of the last touch each.",
        ),
        Field(
            "Maximum budget shift",
            "percent",
            default=0.2,
            minimum=0,
            maximum=1,
            since="1.1",
            help="The reallocation plan moves at most this share of a channel's budget per period.",
        ),
    ),
)

CHANNELS = Sheet(
    "Channels",
    "table",
    True,
    "The marketing channels, one row each; other sheets refer to them by name.",
    (
        Field("Channel", required=True, help="Unique channel name, e.g. Google Ads."),
        Field("Role", help="What the channel does, e.g. Capture demand."),
        Field("Funnel stage", "choice", choices=STAGES, help="The funnel stage the channel serves."),
        Field("Target audience", help="Who the channel reaches."),
        Field("Owner", help="Person accountable for the channel."),
        Field("Paid", "yesno", default="No", help="Yes when the channel is bought media."),
        Field("Expected CAC", "money", minimum=0, help="The CAC the channel is planned to achieve."),
        Field(
            "Locked",
            "yesno",
            default="No",
            since="1.1",
            help="Yes keeps the channel's budget out of the reallocation plan.",
        ),
        Field(
            "Minimum spend",
            "money",
            minimum=0,
            since="1.1",
            help="The reallocation plan never takes the channel's budget below this.",
        ),
        Field(
            "Maximum spend",
            "money",
            minimum=0,
            since="1.1",
            help="The reallocation plan never takes the channel's budget above this.",
        ),
    ),
    key=("Channel",),
)

BUDGET = Sheet(
    "Budget",
    "table",
    True,
    "Planned spend per channel and budget line; lines of one channel must not overlap.",
    (
        Field("Channel", required=True, refers_to=("Channels", "Channel"), help="A channel from Channels."),
        Field("Period start", "date", required=True, help="First day of the budget line."),
        Field("Period end", "date", required=True, help="Last day of the budget line."),
        Field("Planned spend", "money", required=True, minimum=0, help="Spend planned for the line."),
    ),
)

_COUNT: dict[str, Any] = dict(type="integer", minimum=0)
#: Conversions may be fractional: platforms model them (data-driven attribution reports 2051.64 conversions).
_MODELLED: dict[str, Any] = dict(type="number", minimum=0)
_MODELLED_NOTE = " May be fractional (platforms model conversions, e.g. data-driven attribution)."
_NOT_TRACKED = " Blank is not tracked, not 0: a channel whose rows all leave it blank does not track it."
ACTUALS = Sheet(
    "Actuals",
    "table",
    True,
    "What happened: one row per date and channel (and campaign); duplicate rows are summed.",
    (
        Field("Date", "date", required=True, help="The day the figures are for."),
        Field("Channel", required=True, refers_to=("Channels", "Channel"), help="A channel from Channels."),
        Field("Campaign", help="Campaign name (optional; need not be in Campaigns)."),
        Field(
            "Spend",
            "money",
            required=True,
            minimum=0,
            default=0,
            help="Media spend. The column is required; a blank cell is 0 (organic).",
        ),
        Field("Impressions", **_COUNT, help="Ad or content impressions." + _NOT_TRACKED),
        Field("Clicks", **_COUNT, help="Clicks or visits." + _NOT_TRACKED),
        Field("Leads", **_MODELLED, help="New leads (see Lead definition)." + _MODELLED_NOTE + _NOT_TRACKED),
        Field("MQLs", **_MODELLED, help="Marketing-qualified leads." + _MODELLED_NOTE + _NOT_TRACKED),
        Field("SQLs", **_MODELLED, help="Sales-qualified leads." + _MODELLED_NOTE + _NOT_TRACKED),
        Field("Customers", **_MODELLED, help="New customers won." + _MODELLED_NOTE + _NOT_TRACKED),
        Field("Revenue", "money", minimum=0, help="Revenue from those customers." + _NOT_TRACKED),
    ),
)

TARGETS = Sheet(
    "Targets",
    "table",
    False,
    "Targets for the whole reporting period; a blank Channel is the target for all channels.",
    (
        Field("Metric", "choice", required=True, choices=TARGET_METRICS, help="The metric the target is for."),
        Field("Channel", refers_to=("Channels", "Channel"), help="A channel from Channels, or blank for all."),
        Field("Target", "number", required=True, minimum=0, help="The target for the whole period."),
    ),
    key=("Metric", "Channel"),
)

STACK = Sheet(
    "Stack",
    "table",
    False,
    "The martech stack: one row per tool.",
    (
        Field("Tool", required=True, help="Tool name, e.g. HubSpot."),
        Field("Category", "choice", choices=STACK_CATEGORIES, help="What kind of tool it is."),
        Field("Stage", "choice", choices=STACK_STAGES, help="The stage of the marketing system it serves."),
        Field("Owner role", help="The role that owns the tool."),
        Field("Monthly cost", "money", minimum=0, help="Licence cost per month."),
        Field(
            "Status",
            "choice",
            choices=("Active", "Planned", "Retired"),
            default="Active",
            help="Whether the tool is in use.",
        ),
    ),
    key=("Tool",),
)

INTEGRATIONS = Sheet(
    "Integrations",
    "table",
    False,
    "How the systems exchange data: one row per connection.",
    (
        Field("System", required=True, help="The system data flows from."),
        Field("Connects to", required=True, help="The system data flows to."),
        Field("Data flow", help="What moves, e.g. Leads, Spend."),
        Field("Sync frequency", "choice", choices=SYNC_FREQUENCIES, help="How often it syncs."),
        Field("Automated", "yesno", default="No", help="Yes when no one has to move the data by hand."),
    ),
)

CAMPAIGNS = Sheet(
    "Campaigns",
    "table",
    False,
    "Campaigns planned or running; each gets a plan from its type's template.",
    (
        Field("Campaign", required=True, help="Unique campaign name."),
        Field("Type", "choice", choices=CAMPAIGN_TYPES, help="The campaign template it follows."),
        Field("Launch date", "date", help="Launch day."),
        Field("End date", "date", help="Last day."),
        Field("Owner", help="Person accountable for the campaign."),
        Field("Channels", "list", refers_to=("Channels", "Channel"), help="Comma-separated channels from Channels."),
        Field("Budget", "money", minimum=0, help="Campaign budget."),
        Field("Status", "choice", choices=CAMPAIGN_STATUSES, default="Planning", help="Lifecycle phase."),
        Field(
            "Also matches",
            "list",
            since="1.2",
            help="Other Actuals Campaign names that count for this campaign, comma-separated (names that equal or "
            "extend the Campaign after ' - ', ' | ', ' / ' or ': ' already do).",
        ),
    ),
    key=("Campaign",),
)

EXPERIMENTS = Sheet(
    "Experiments",
    "table",
    False,
    "A/B tests: one row per variant; exactly one control per experiment.",
    (
        Field("Experiment", required=True, help="Experiment name."),
        Field("Variant", required=True, help="Variant name, unique within the experiment."),
        Field("Is control", "yesno", required=True, help="Yes for the control variant."),
        Field("Channel", refers_to=("Channels", "Channel"), help="A channel from Channels (optional)."),
        Field("Campaign", help="Campaign tested (optional)."),
        Field("Start date", "date", help="First day of the test."),
        Field("Visitors", "integer", required=True, minimum=0, help="Visitors who saw the variant."),
        Field("Conversions", "integer", required=True, minimum=0, help="Visitors who converted (<= Visitors)."),
        Field(
            "Traffic share", "percent", minimum=0, maximum=1, help="Planned share of traffic; blank means equal shares."
        ),
    ),
    key=("Experiment", "Variant"),
)

TOUCHPOINTS = Sheet(
    "Touchpoints",
    "table",
    False,
    "Customer journeys for attribution: one row per touch; conversion on the last touch only.",
    (
        Field("Journey ID", required=True, help="Identifies one person's journey."),
        Field("Timestamp", "datetime", required=True, help="When the touch happened."),
        Field("Channel", required=True, help="The channel touched (may be outside Channels, e.g. (direct))."),
        Field("Converted", "yesno", default="No", help="Yes on the last touch of a converting journey."),
        Field("Conversion value", "money", minimum=0, default=0, help="Value of the conversion (last touch)."),
    ),
)

PATHS = Sheet(
    "Paths",
    "table",
    False,
    "Journeys already aggregated by an analytics tool (an alternative to Touchpoints).",
    (
        Field("Path", required=True, help='Channels joined by " > ", e.g. Google Ads > Email.'),
        Field("Conversions", "number", minimum=0, default=0, help="Converting journeys with this path."),
        Field("Conversion value", "money", minimum=0, default=0, help="Their total value."),
        Field(
            "Non-converting journeys",
            "number",
            minimum=0,
            default=0,
            help="Journeys with this path that did not convert.",
        ),
    ),
)

TEAM = Sheet(
    "Team",
    "table",
    False,
    "The marketing-operations team: one row per person or role.",
    (
        Field(
            "Role",
            "choice",
            required=True,
            choices=TEAM_ROLES,
            open_choices=True,
            help="Marketing Ops, Demand Gen, Content, Analytics or another role.",
        ),
        Field("Name", help="Person's name."),
        Field("Responsibilities", help="What they own."),
        Field("Tools owned", "list", refers_to=("Stack", "Tool"), help="Comma-separated tools from Stack."),
        Field("FTE", "number", minimum=0, maximum=1, default=1, help="Share of a full-time role."),
    ),
)

CADENCE = Sheet(
    "Cadence",
    "table",
    False,
    "The operating rhythm: the reviews the team holds.",
    (
        Field("Review", required=True, help="Name of the review."),
        Field("Frequency", help="How often it happens."),
        Field("Focus", help="What it looks at."),
        Field("Attendees", help="Who attends."),
    ),
    key=("Review",),
    prefill=(
        ("Daily standup", "Daily", "Campaign performance check, pacing alerts", "Marketing Ops, Demand Gen"),
        ("Weekly channel review", "Weekly", "Channel optimization, budget shifts", "Channel owners, Marketing Ops"),
        ("Post-campaign retro", "After each campaign", "What worked, template updates", "Campaign team"),
        ("Monthly strategy review", "Monthly", "Strategic adjustments, KPIs vs targets", "Marketing leadership"),
        ("Quarterly planning", "Quarterly", "Budget allocation, channel mix, targets", "Marketing leadership, Finance"),
    ),
)

ASSESSMENT = Sheet(
    "Assessment",
    "table",
    False,
    "A marketing-operations self-assessment; answer Yes, Partly or No.",
    (
        Field("Capability", required=True, help="The capability assessed."),
        Field("Module", "choice", choices=ASSESSMENT_MODULES, help="The framework module it belongs to."),
        Field("In place", "choice", choices=YES_PARTLY_NO, help="Yes, Partly or No."),
        Field("Evidence", help="Where to see it (a link, a document, a dashboard)."),
    ),
    key=("Capability",),
    prefill=(
        ("Martech stack documented by stage", "System design", None, None),
        ("CRM sync automated", "System design", None, None),
        ("Integrations monitored for failures", "System design", None, None),
        ("Single source of truth for leads", "System design", None, None),
        ("Documented campaign workflows", "Campaign orchestration", None, None),
        ("Campaign templates used", "Campaign orchestration", None, None),
        ("UTM and naming conventions enforced", "Campaign orchestration", None, None),
        ("Launch QA checklist used", "Campaign orchestration", None, None),
        ("Channel roles and owners defined", "Channel management", None, None),
        ("Budget reviewed weekly", "Channel management", None, None),
        ("A/B testing practice", "Channel management", None, None),
        ("Attribution configured", "Channel management", None, None),
        ("Lead scoring in place", "Metrics", None, None),
        ("KPI targets set per channel", "Metrics", None, None),
        ("Dashboards automated", "Metrics", None, None),
        ("Funnel definitions agreed with sales", "Metrics", None, None),
    ),
)

IMPORT_LOG = Sheet(
    "Import log",
    "table",
    False,
    "What `mops-xl import` brought in: one row per import (written by the import; the report's Data Notes repeat it).",
    (
        Field("Imported at", "datetime", required=True, help="When the import ran.", since="1.2"),
        Field("Export", required=True, help="The export's file name.", since="1.2"),
        Field("Source", help="The --source (google-ads, meta-ads, …, generic).", since="1.2"),
        Field("Sheet", help="The sheet the rows went to (Actuals or Touchpoints).", since="1.2"),
        Field("Channel", help="The channel of the rows (blank: the export's Channel column).", since="1.2"),
        Field("Rows", "integer", minimum=0, help="Rows appended.", since="1.2"),
        Field("First date", "date", help="The earliest date imported.", since="1.2"),
        Field("Last date", "date", help="The latest date imported.", since="1.2"),
        Field(
            "Export currency", "currency", help="The currency the export states (blank: it states none).", since="1.2"
        ),
        Field(
            "Rate",
            "number",
            minimum=0,
            help="The --rate the amounts were multiplied by (intake currency per export currency); blank: none.",
            since="1.2",
        ),
        Field("Time zone", help="The time zone the export states its days in, where it states one.", since="1.2"),
        Field("Notes", help="What else the import did: rows replaced, a whole period spread over days, …", since="1.2"),
    ),
)

#: Every sheet of the intake, in template order.
SHEETS: tuple[Sheet, ...] = (
    BUSINESS,
    SETTINGS,
    CHANNELS,
    BUDGET,
    ACTUALS,
    TARGETS,
    STACK,
    INTEGRATIONS,
    CAMPAIGNS,
    EXPERIMENTS,
    TOUCHPOINTS,
    PATHS,
    TEAM,
    CADENCE,
    ASSESSMENT,
    IMPORT_LOG,
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}

#: The sheet the template puts first; never read as data.
INSTRUCTIONS_SHEET = "Instructions"


def sheet(name: str) -> Sheet:
    """Return the schema of the sheet called ``name``.

    Args:
        name: The exact sheet name.

    Returns:
        The :class:`Sheet`.
    """
    return SHEETS_BY_NAME[name]


def version_tuple(version: str) -> tuple[int, ...]:
    """Turn ``"1.2"`` into ``(1, 2)`` for comparisons; unreadable versions sort first.

    Args:
        version: A dotted version string.

    Returns:
        The version as a tuple of integers.
    """
    try:
        return tuple(int(p) for p in str(version).strip().split("."))
    except ValueError:
        return (0,)
