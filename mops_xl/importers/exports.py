"""Reading one platform export into typed intake rows, and saying what was read from where.

The export's own statements decide how it is read: the currency it states (a currency column, or a header
suffix such as "Amount spent (EGP)"), its decimal style (``1.234,56`` detected, or ``--decimal-comma``), its
date order (LinkedIn's US dates, or ``--date-format``), the period each row covers (Meta's "Reporting
starts/ends") and the time zone its title rows state. Money in another currency than the intake's is refused
unless ``--rate`` converts it; a row that covers more than a day is refused unless ``--spread-days`` spreads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from mops_xl.importers.csv_files import read_export_csv
from mops_xl.importers.formats import ExportFormat
from mops_xl.intake.coerce import CellStyle, coerce_column
from mops_xl.intake.currencies import ISO_4217
from mops_xl.intake.problems import ValidationReport
from mops_xl.intake.reader import close_match, normalise_header
from mops_xl.intake.schema import SHEETS_BY_NAME, Field
from mops_xl.plural import count

#: ``--date-format`` choices → the order of day and month they settle.
DATE_FORMATS = {"MM/DD/YYYY": "MDY", "DD/MM/YYYY": "DMY"}
#: A currency code ending a header, "Amount spent (EGP)": three capitals, as codes are written; "Clicks (all)" ends
#: with a word of the header (ALL is also the Albanian lek's code).
_SUFFIX = re.compile(r"^(.*?)\s*[(\[]\s*([A-Z]{3})\s*[)\]]$")
_TIME_ZONE = re.compile(r"time\s*zone\s*[:=]?\s*(.+)$", re.IGNORECASE)
_IN_ZONE = re.compile(r"\(in\s+(UTC|GMT[^)]*)\)", re.IGNORECASE)  # LinkedIn: "Start Date (in UTC)"
#: Evidence of a decimal style in a numeric cell: "12,5" / "1.234,56" (comma) or "12.50" / "1,234.56" (point).
_COMMA_STYLE = re.compile(r"^[-+]?(\d+,\d{1,2}|\d{1,3}(\.\d{3})+(,\d+)?|\d{1,3}(\.\d{3})*,\d+)$")
_POINT_STYLE = re.compile(r"^[-+]?(\d+\.\d{1,2}|\d+\.\d{4,}|\d{1,3}(,\d{3})+\.\d+)$")
_EITHER = re.compile(r"^[-+]?\d{1,3},\d{3}$")  # "1,250": a thousand and more, or one and a quarter
_NUMERIC = ("money", "number", "integer", "percent")


@dataclass(frozen=True)
class ImportOptions:
    """What the command line says of the export.

    Args:
        channel: The channel of every row (``--channel``).
        date_order: ``"MDY"`` or ``"DMY"`` (``--date-format``), over the platform's own.
        decimal_comma: True (``--decimal-comma``); None: detected from the export's numbers.
        rate: ``--rate``: intake currency per unit of the export's currency; None: no conversion.
        spread: ``--spread-days``: a row covering several days is spread evenly over them.
        replace: ``--replace``: rows an earlier import brought in (same date, channel, campaign) are replaced.
    """

    channel: str | None = None
    date_order: str = ""
    decimal_comma: bool | None = None
    rate: float | None = None
    spread: bool = False
    replace: bool = False


@dataclass
class ExportReading:
    """An export read into intake rows, with what the import found out about it.

    Args:
        rows: The rows with the sheet's columns, indexed by the export's line numbers.
        sources: Intake column → the export header it came from (with its column letter).
        ignored: The export's headers nothing was taken from.
        empty: The intake columns the export has nothing for (left blank: not tracked, not 0).
        currency: The currency the export states, or "".
        currency_where: Where it states it, e.g. 'the header "Amount spent (EGP)"'.
        time_zone: The time zone the export states, or "".
        notes: What else was done (a decimal comma detected, amounts converted, rows spread).
    """

    rows: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    currency: str = ""
    currency_where: str = ""
    time_zone: str = ""
    notes: list[str] = field(default_factory=list)


def split_currency_suffix(header: str) -> tuple[str, str]:
    """Split a header from the currency code it ends with.

    Only three capitals in brackets that are an ISO 4217 code are a currency: "Amount spent (KRW)" states KRW, while
    "Clicks (all)" (a word of the header) and "CTR (%)" state none.

    Args:
        header: An export's header cell.

    Returns:
        ``("Amount spent", "KRW")``, or ``(header, "")``.
    """
    m = _SUFFIX.match(header.strip())
    if m and m.group(2) in ISO_4217:
        return m.group(1).strip(), m.group(2)
    return header.strip(), ""


def _locate(
    header: list[str], fmt: ExportFormat, channel: str | None, report: ValidationReport, name: str
) -> dict[str, int | None] | None:
    """Find each column of the format's sheet in the export's header, reporting every required one it lacks.

    Args:
        header: The export's header row.
        fmt: The column mapping.
        channel: The ``--channel`` of every row, if given.
        report: Where problems go.
        name: The export's file name.

    Returns:
        Column → position in the export (None: not in it; for Channel, every row takes ``channel`` or the
        format's channel), or None when a required or mapped column is missing.
    """
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        found.setdefault(normalise_header(h), i)
    for i, h in enumerate(header):  # "Amount spent (EGP)" answers to "Amount spent"
        found.setdefault(normalise_header(split_currency_suffix(h)[0]), i)
    positions: dict[str, int | None] = {}
    missing = []
    for fld in SHEETS_BY_NAME[fmt.sheet].fields:
        wanted = fmt.columns.get(fld.name, ()) + (() if fld.name in fmt.mapped else (fld.name,))
        wanted = tuple(dict.fromkeys(wanted, None))  # "Day or Date", not "Day or Date or Date"
        pos = positions[fld.name] = next((found[k] for k in map(normalise_header, wanted) if k in found), None)
        if fld.name == "Channel" and (channel or (pos is None and fmt.channel)):
            positions[fld.name] = None  # --channel wins over the export
        elif pos is None and fld.name in fmt.mapped:
            hint = close_match(wanted[0], [h.strip() for h in header])
            missing.append(
                f'the export has no column "{wanted[0]}" (--map {fld.name}={wanted[0]})'
                + (f'; did you mean "{hint}"?' if hint else "")
            )
        elif pos is None and fld.name == "Channel":
            missing.append("say which channel the rows are for: --channel NAME, or a Channel column")
        elif pos is None and fld.required:
            how = f"; {fmt.by_day}" if fld.name == "Date" and fmt.by_day else ""
            missing.append(
                f"the export has no column for {fld.name} (expected {' or '.join(wanted)}; "
                f"or --map {fld.name}=HEADER){how}"
            )
    for message in missing:
        report.add("missing-column", message, sheet=name)
    return None if missing else positions


def _decimal_comma(raw: pd.DataFrame, positions: dict[str, int | None], fmt: ExportFormat) -> bool:
    """Whether the export writes a decimal comma: some numbers show one, none a decimal point, and none could be
    read both ways ("1,250"; "150.000" is 150000 in a decimal-comma file, and no decimal point)."""
    comma = point = either = 0
    for fld in SHEETS_BY_NAME[fmt.sheet].fields:
        pos = positions.get(fld.name)
        if pos is None or fld.type not in _NUMERIC:
            continue
        text = raw.iloc[:, pos].astype(str).str.strip()
        either += int(text.str.match(_EITHER).sum())
        comma += int(text.str.match(_COMMA_STYLE).sum())
        point += int(text.str.match(_POINT_STYLE).sum())
    return comma > 0 and point == 0 and either == 0


def _stated_currency(
    raw: pd.DataFrame, positions: dict[str, int | None], fmt: ExportFormat, report: ValidationReport, name: str
) -> tuple[str, str, int | None]:
    """The currency the export states: ``(code, where, currency column position)``; ``("", "", None)`` if none."""
    header = [str(h) for h in raw.columns]
    money = [positions.get(f.name) for f in SHEETS_BY_NAME[fmt.sheet].fields if f.type == "money"]
    stated: dict[str, str] = {}
    for pos in [p for p in money if p is not None] + list(range(len(header))):
        code = split_currency_suffix(header[pos])[1]
        if code:
            stated.setdefault(code, f'the header "{header[pos].strip()}"')
    column = None
    wanted = {normalise_header(c) for c in fmt.currency_columns}
    used = {p for p in positions.values() if p is not None}
    for i, h in enumerate(header):
        if normalise_header(h) in wanted and i not in used:
            column = i
            values = raw.iloc[:, i].astype(str).str.strip().str.upper()
            values = values[values != ""]
            for code, lines in values.groupby(values, sort=True):
                line = int(lines.index[0])
                if code not in ISO_4217:
                    report.add(
                        "bad-choice",
                        f'{h.strip()} must be an ISO 4217 currency code such as USD, EUR or GBP; got "{code}"',
                        sheet=name,
                        row=line,
                        cell=f"{xl_col_to_name(i)}{line}",
                    )
                    continue
                stated.setdefault(code, f'column "{h.strip()}" ({xl_col_to_name(i)}{line})')
            break
    if len(stated) > 1:
        places = "; ".join(f"{c} in {w}" for c, w in stated.items())
        report.add(
            "currency-mismatch",
            f"the export states more than one currency ({places}); export one currency (one ad account) per file",
            sheet=name,
        )
        return "", "", column
    if stated:
        code, where = next(iter(stated.items()))
        return code, where, column
    return "", "", column


def _time_zone(raw: pd.DataFrame) -> str:
    """The time zone the export states (a "Time zone: …" title row, or a header such as "Start Date (in UTC)")."""
    for line in raw.attrs.get("title_rows", []):
        m = _TIME_ZONE.search(line)
        if m:
            return m.group(1).strip().strip('"')
    for h in raw.columns:
        m = _IN_ZONE.search(str(h))
        if m:
            return m.group(1).strip()
    return ""


def _check_currency(
    reading: ExportReading, intake_currency: str, options: ImportOptions, report: ValidationReport, name: str
) -> None:
    """Refuse amounts in another currency than the intake's unless --rate converts them; say what was done."""
    stated, rate = reading.currency, options.rate
    if stated and stated != intake_currency and rate is None:
        report.add(
            "currency-mismatch",
            f"the export states its amounts in {stated} ({reading.currency_where}) but the intake's currency is "
            f"{intake_currency} (Business!Currency): convert them with --rate R ({intake_currency} per 1 {stated}), "
            f"or import into an intake kept in {stated}; nothing is converted silently",
            sheet=name,
        )
    elif stated and stated == intake_currency and rate is not None:
        report.add(
            "currency-mismatch",
            f"--rate {rate:g} given, but the export is already in {intake_currency}, the intake's currency "
            f"({reading.currency_where}); leave --rate out",
            sheet=name,
        )
    elif rate is not None:
        money = [f.name for f in SHEETS_BY_NAME["Actuals" if "Spend" in reading.rows else "Touchpoints"].fields]
        for col in (c for c in reading.rows.columns if c in money and _is_money(c, reading)):
            reading.rows[col] = reading.rows[col] * rate
        what = f"from {stated}" if stated else "(the export states no currency)"
        reading.notes.append(f"amounts converted {what} to {intake_currency} at --rate {rate:g}")
    elif not stated:
        reading.notes.append(f"the export states no currency; its amounts were taken as {intake_currency}")


def _is_money(column: str, reading: ExportReading) -> bool:
    sheet = "Actuals" if "Spend" in reading.rows else "Touchpoints"
    return SHEETS_BY_NAME[sheet].field(column).type == "money"


def _whole_periods(
    reading: ExportReading,
    raw: pd.DataFrame,
    fmt: ExportFormat,
    date_from: str,
    options: ImportOptions,
    report: ValidationReport,
    name: str,
    style: CellStyle,
) -> None:
    """Refuse rows that cover more than one day (or spread them evenly over their days with --spread-days)."""
    if not fmt.period_end or normalise_header(date_from) in ("day", "date"):
        return
    ends_at = next(
        (i for i, h in enumerate(raw.columns) if normalise_header(h) == normalise_header(fmt.period_end)), None
    )
    if ends_at is None:
        return
    end_field = Field(fmt.period_end, "date")
    ends, _ = coerce_column(
        raw.iloc[:, ends_at].astype(object).str.strip(),
        end_field,
        sheet=name,
        letter=xl_col_to_name(ends_at),
        style=style,
    )
    rows = reading.rows
    days = ((ends - rows["Date"]).dt.days + 1).where(ends.notna() & rows["Date"].notna(), 1).astype(int)
    long = days[days > 1]
    if long.empty:
        return
    line = int(long.index[0])
    first, last = rows.loc[line, "Date"], ends.loc[line]
    span = f'{first:%Y-%m-%d} to {last:%Y-%m-%d} ({days[line]} days; "{date_from}" to "{fmt.period_end}")'
    if not options.spread:
        report.add(
            "not-by-day",
            f"the export is not broken down by day: line {line} covers {span}"
            + (f" and {count(len(long) - 1, 'more row')} cover several days" if len(long) > 1 else "")
            + f". Export it by day: {fmt.by_day or 'one row per day'}; or pass --spread-days to spread each row "
            "evenly over its days",
            sheet=name,
            row=line,
        )
        return
    reading.rows = _spread(rows, days)
    message = (
        f"{count(len(long), 'row')} of the export covered several days (line {line}: {span}) and "
        f"{'was' if len(long) == 1 else 'were'} spread evenly over their days (--spread-days): the days' figures "
        "are averages, not what happened each day"
    )
    report.add("spread-over-days", message, sheet=name, row=line)
    reading.notes.append(message)


def _spread(rows: pd.DataFrame, days: pd.Series) -> pd.DataFrame:
    """Each row as one row per day of its period: amounts divided evenly, whole counts kept whole (remainders first)."""
    schema = SHEETS_BY_NAME["Actuals"]
    out = []
    for line, rec in rows.iterrows():
        n = int(days[line])
        for k in range(n):
            day = rec.copy()
            day["Date"] = rec["Date"] + pd.Timedelta(days=k)
            for fld in schema.fields:
                value = rec[fld.name]
                if fld.type not in _NUMERIC or value is None or pd.isna(value):
                    continue
                if fld.type == "integer":
                    whole = int(value)
                    day[fld.name] = whole // n + (1 if k < whole % n else 0)
                else:
                    day[fld.name] = float(value) / n
            out.append((line, day))
    frame = pd.DataFrame([d for _, d in out], index=pd.Index([line for line, _ in out], dtype="int64"))
    for col in rows.columns:
        frame[col] = frame[col].astype(rows[col].dtype)
    frame.attrs = dict(rows.attrs)
    return frame


def read_export(
    path: Path, fmt: ExportFormat, options: ImportOptions, intake_currency: str, report: ValidationReport
) -> ExportReading | None:
    """Read an export CSV into typed rows of the format's sheet, naming every bad cell (``export.csv!C7``).

    Args:
        path: The CSV file.
        fmt: Its platform format (and the sheet the rows are for).
        options: What the command line says of it.
        intake_currency: The intake's currency (Business!Currency).
        report: Where problems go.

    Returns:
        The :class:`ExportReading` (rows indexed by CSV line number; ``rows.attrs["letters"]``: column → the
        export's column letter), or None when the export cannot be used.
    """
    name = path.name
    expected = [h for headers in fmt.columns.values() for h in headers]
    raw = read_export_csv(path, expected + list(SHEETS_BY_NAME[fmt.sheet].field_names), report)
    if raw is None:
        return None
    raw.columns = [str(c) for c in raw.columns]
    positions = _locate(list(raw.columns), fmt, options.channel, report, name)
    if positions is None:
        return None
    currency, where, currency_at = _stated_currency(raw, positions, fmt, report, name)
    decimal_comma = options.decimal_comma if options.decimal_comma is not None else _decimal_comma(raw, positions, fmt)
    style = CellStyle(
        currency=currency or intake_currency,
        decimal_comma=decimal_comma,
        date_order=options.date_order or fmt.date_order,
        ambiguous_fix="say how the file writes dates with --date-format MM/DD/YYYY or DD/MM/YYYY",
    )
    rows = _typed_rows(raw, positions, fmt, options, style, report, name)
    reading = ExportReading(
        rows,
        sources={f: f'"{raw.columns[p]}" ({xl_col_to_name(p)})' for f, p in positions.items() if p is not None},
        currency=currency,
        currency_where=where,
        time_zone=_time_zone(raw),
    )
    reading.ignored = _ignored_headers(raw, positions, fmt, currency_at)
    reading.empty = [
        f.name
        for f in SHEETS_BY_NAME[fmt.sheet].fields
        if positions.get(f.name) is None and f.name != "Channel" and f.default is None
    ]
    if decimal_comma:
        how = "as --decimal-comma says" if options.decimal_comma else "as the export writes them"
        reading.notes.append(f"numbers read with a decimal comma (1.234,56 = 1234.56), {how}")
    if fmt.sheet == "Actuals":  # every problem at once: these are checked beside the cells' own
        date_from = raw.columns[positions["Date"]] if positions.get("Date") is not None else ""
        _whole_periods(reading, raw, fmt, date_from, options, report, name, style)
    _check_currency(reading, intake_currency, options, report, name)
    return reading


def _typed_rows(
    raw: pd.DataFrame,
    positions: dict[str, int | None],
    fmt: ExportFormat,
    options: ImportOptions,
    style: CellStyle,
    report: ValidationReport,
    name: str,
) -> pd.DataFrame:
    """Convert the export's columns to the sheet's types, naming every cell that does not fit.

    A column the export lacks is blank, but for Channel, which every row takes from ``--channel`` or the format.
    When numbers were refused and some hold a decimal comma, ``--decimal-comma`` is suggested.

    Args:
        raw: The export's text cells, indexed by line number.
        positions: Sheet column → its position in the export (None: not in it).
        fmt: The export's format.
        options: What the command line says of it.
        style: How the export writes numbers and dates.
        report: Where problems go.
        name: The export's file name.

    Returns:
        One typed column per field of the sheet, indexed by line number; ``attrs["letters"]``: column → the
        export's column letter; ``attrs["skipped"]``: the title and total lines left out.
    """
    index = raw.index  # the CSV's line numbers
    out: dict[str, pd.Series] = {}
    for fld in SHEETS_BY_NAME[fmt.sheet].fields:
        found = positions[fld.name]
        if found is None:
            constant = (options.channel or fmt.channel) if fld.name == "Channel" else ""
            text, letter = pd.Series(constant, index=index, dtype=object), "?"
        else:
            text, letter = raw.iloc[:, found].astype(object).str.strip(), xl_col_to_name(found)
        values, problems = coerce_column(text, fld, sheet=name, letter=letter, style=style)
        report.extend(p for p in problems if p.code != "text-date")  # CSV dates are always text
        out[fld.name] = values
    refused = any(p.code == "type-error" and p.column in _numeric_names(fmt) for p in report.problems)
    if not style.decimal_comma and refused and _any_decimal_comma(raw, positions, fmt):
        report.add(
            "type-error",
            "some numbers have a decimal comma (12,5); if the export writes them so, pass "
            "--decimal-comma (1.234,56 is then read as 1234.56)",
            sheet=name,
        )
    rows = pd.DataFrame(out, index=index)
    rows.attrs["letters"] = {f: xl_col_to_name(p) for f, p in positions.items() if p is not None}
    rows.attrs["skipped"] = raw.attrs["skipped"]
    return rows


def _ignored_headers(
    raw: pd.DataFrame, positions: dict[str, int | None], fmt: ExportFormat, currency_at: int | None
) -> list[str]:
    """The export's non-blank headers nothing was read from (not a sheet column, the currency or the period end)."""
    used = {p for p in positions.values() if p is not None}
    period_end = normalise_header(fmt.period_end) if fmt.period_end else None
    return [
        h
        for i, h in enumerate(raw.columns)
        if i not in used and i != currency_at and normalise_header(h) != period_end and h.strip()
    ]


def _numeric_names(fmt: ExportFormat) -> set[str]:
    return {f.name for f in SHEETS_BY_NAME[fmt.sheet].fields if f.type in _NUMERIC}


def _any_decimal_comma(raw: pd.DataFrame, positions: dict[str, int | None], fmt: ExportFormat) -> bool:
    for f in SHEETS_BY_NAME[fmt.sheet].fields:
        pos = positions.get(f.name)
        text = raw.iloc[:, pos].astype(str).str.strip() if pos is not None and f.type in _NUMERIC else None
        if text is not None and text.str.match(r"^[-+]?\d+,\d{1,2}$").any():
            return True
    return False


def describe(reading: ExportReading, sheet: str, name: str) -> list[str]:
    """What the import did, line by line: each intake column and its export column, what was left out.

    Args:
        reading: The export as read.
        sheet: The intake sheet the rows go to.
        name: The export's file name.

    Returns:
        Lines for the terminal.
    """
    lines = ["Columns: " + "; ".join(f"{sheet}!{col} ← {src}" for col, src in reading.sources.items())]
    if reading.ignored:
        lines.append(f"Ignored columns of {name}: " + ", ".join(f'"{h}"' for h in reading.ignored))
    if reading.empty:
        lines.append(
            f"Left empty (the export has nothing for them; blank is not tracked, not 0): {', '.join(reading.empty)}"
        )
    if reading.currency:
        lines.append(f"Currency: {reading.currency}, as {reading.currency_where} states")
    if reading.time_zone:
        lines.append(f"Time zone: the export's days are in {reading.time_zone}")
    lines += [n[0].upper() + n[1:] for n in reading.notes]
    return lines
