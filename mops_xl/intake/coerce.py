"""Turning one column of raw cells into typed values, naming every cell that does not fit.

:func:`coerce_column` works column-wise with pandas: a clean column of a million numbers or dates is
converted without a Python loop; only columns that mix types (and so already hold a mistake or a text
date) fall back to looking at their odd cells one by one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mops_xl.intake.currencies import ISO_4217, SYMBOLS
from mops_xl.intake.problems import Problem
from mops_xl.intake.schema import FIRST_DATE, LAST_DATE, Field
from mops_xl.plural import count

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EPOCH_1904 = pd.Timestamp("1904-01-01")  # Mac Excel's date system: serial 0 is 1904-01-01
_MAX_SERIAL = 2958465  # 9999-12-31
_FIRST_DAY, _LAST_DAY = pd.Timestamp(FIRST_DATE), pd.Timestamp(LAST_DATE)  # the schema's date range
_ISO_DATE = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DMY_OR_MDY = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?)?$", re.I
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_FIRST = re.compile(r"^([a-z]{3,9})\.?[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})$", re.I)  # Nov 3, 2026
_DAY_FIRST = re.compile(r"^(\d{1,2})[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})$", re.I)  # 3 Nov 2026, 03-Nov-2026
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_THOUSANDS_DOTS = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # with --decimal-comma: 1.234,56
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")
_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)")  # 1 234 567 (French, with a non-breaking space)
_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_NUMERIC = ("money", "number", "integer", "percent")


@dataclass(frozen=True)
class CellStyle:
    """How the text and numbers of one file are written: the one reading shared by the intake and the import.

    Args:
        currency: The intake's ISO 4217 code: its symbol (``$48.20`` for USD) or code (``EUR 48,20``) around a
            money amount is accepted; any other currency's is refused.
        decimal_comma: Numbers are written ``1.234,56`` (a decimal comma, dots or spaces between thousands).
        date_order: How an ambiguous numeric date (``03/04/2026``) is read: ``"MDY"``, ``"DMY"`` or ``""``
            (refused as ambiguous).
        date1904: The workbook uses the 1904 date system (Mac Excel): a number in a date column counts days
            from 1904-01-01.
        ambiguous_fix: The advice given with an ambiguous date.
    """

    currency: str = ""
    decimal_comma: bool = False
    date_order: str = ""
    date1904: bool = False
    ambiguous_fix: str = "type it as an Excel date or YYYY-MM-DD"

    @property
    def money_marks(self) -> tuple[str, ...]:
        """The texts accepted before or after an amount: the intake currency's symbol and code."""
        if not self.currency:
            return ()
        marks = {self.currency, SYMBOLS.get(self.currency, "").strip()}
        return tuple(sorted((m for m in marks if m), key=len, reverse=True))


class _Column:
    """Collects the problems of one column while it is converted."""

    def __init__(self, fld: Field, sheet: str, letter: str, style: CellStyle | None = None, date_rows: Any = ()):
        self.fld, self.sheet, self.letter = fld, sheet, letter
        self.style = style or CellStyle()
        self.date_rows = date_rows  # rows whose cell is formatted as a date: a number there is a date, silently
        self.problems: list[Problem] = []

    def add(self, code: str, row: int, message: str, severity: str = "") -> None:
        self.problems.append(
            Problem(
                code,
                message,
                sheet=self.sheet,
                row=int(row),
                column=self.fld.name,
                cell=f"{self.letter}{int(row)}",
                severity=severity,
            )
        )

    def add_many(self, code: str, values: pd.Series, template: str, severity: str = "") -> None:
        for row, value in values.items():
            self.add(code, row, template.format(name=self.fld.name, got=show(value)), severity)

    def add_where(self, code: str, cells: pd.Series, bad: np.ndarray, template: str) -> None:
        """Record one problem per cell marked bad, building the messages only when there is one.

        Args:
            code: The problem code.
            cells: The cells the mask runs over (their values are shown in the messages).
            bad: One flag per cell.
            template: The message, with ``{name}`` and ``{got}`` filled per cell.
        """
        if bad.any():
            self.add_many(code, cells[bad], template)


def show(value: Any) -> str:
    """Return a cell value as a message shows it: text in quotes, numbers and dates plain.

    Args:
        value: A raw cell value.

    Returns:
        The display text.
    """
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "…"
        return f'"{text}"'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return f"{value:g}" if not value.is_integer() or abs(value) >= 1e15 else str(int(value))
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def is_blank(raw: pd.Series) -> pd.Series:
    """Return a boolean mask of the blank cells (empty, None, NaN or only spaces).

    Args:
        raw: Raw cell values.

    Returns:
        The mask.
    """
    return pd.Series(blank_cells(raw.to_numpy(dtype=object)), index=raw.index)


def blank_cells(values: np.ndarray) -> np.ndarray:
    """Return which cells are blank (empty, None, NaN or only spaces), in one pass over a column's array.

    Only text cells are looked at one by one.

    Args:
        values: Raw cell values (an object array).

    Returns:
        One flag per cell.
    """
    blank = np.asarray(pd.isna(values), dtype=bool).copy()
    filled = ~blank
    if filled.any():
        rest = values[filled]
        kind = pd.api.types.infer_dtype(rest, skipna=True)
        if kind == "string":
            blank[filled] = [not v.strip() for v in rest]
        elif kind in ("mixed", "mixed-integer"):
            blank[filled] = [isinstance(v, str) and not v.strip() for v in rest]
    return blank


def coerce_column(
    raw: pd.Series,
    fld: Field,
    *,
    sheet: str,
    letter: str,
    blank: pd.Series | np.ndarray | None = None,
    style: CellStyle | None = None,
    date_rows: Any = (),
) -> tuple[pd.Series, list[Problem]]:
    """Convert one column of raw cells to the field's type.

    Text is read alike in an intake and an export: thousands separators (``1,200``), the intake currency's
    symbol (``$48.20``), ``80%`` as a percentage, unambiguous text dates (``Nov 3, 2026``,
    ``2026-11-03T00:00:00Z``, ``11/13/2026``) and, when the style says so, decimal commas.

    Args:
        raw: The raw values (``''`` for an empty cell), indexed by Excel row number.
        fld: The schema field the column holds.
        sheet: The sheet name, for problem places.
        letter: The column letter in the user's sheet, for problem places.
        blank: :func:`is_blank` of ``raw`` (or its array), when the caller has it already.
        style: How the file writes numbers and dates (default: plain, 1900 date system).
        date_rows: Rows whose cell has a date number format: a number there is read as a date without a warning.

    Returns:
        ``(values, problems)``: the typed values (blank cells hold the field default or a missing value)
        and one :class:`Problem` per cell that does not fit.
    """
    col = _Column(fld, sheet, letter, style, date_rows)
    blank = blank_cells(raw.to_numpy(dtype=object)) if blank is None else np.asarray(blank, dtype=bool)
    some_blank = bool(blank.any())
    if some_blank and fld.required and fld.default is None:  # a required column with a default: blank cells take it
        col.add_many("missing-value", raw[blank], "{name} is required")
    present = raw[~blank] if some_blank else raw
    if not len(present):  # an empty sheet or an unused column has nothing to convert
        return _filled_with_default(_empty_like(raw.index, fld), blank, fld), col.problems
    values, ok = _CONVERTERS[fld.type](present, col)
    converted = np.asarray(ok, dtype=bool)
    read = np.flatnonzero(~blank)[converted]  # the positions of the cells read
    if not some_blank and converted.all():  # the common case: every cell filled and read
        out = values.astype(_DTYPES.get(fld.type, "object"))
        out.index = raw.index
    else:
        out = _empty_like(raw.index, fld)
        if len(read):
            good = values[converted]
            if fld.type == "list":
                out.loc[good.index] = list(good)
            else:
                out.iloc[read] = good.to_numpy()
        out = _filled_with_default(out, blank, fld)
    if fld.type in _NUMERIC:
        in_range = np.zeros(len(raw), dtype=bool)
        in_range[read] = True
        _check_range(out, in_range, col)
    return out, col.problems


def _filled_with_default(out: pd.Series, blank_cells: np.ndarray, fld: Field) -> pd.Series:
    """The column with the field's default in its blank cells (unchanged when the field has none).

    Args:
        out: The typed column.
        blank_cells: Which of its cells are blank.
        fld: The field.

    Returns:
        ``out``, filled in place.
    """
    if fld.default is not None and blank_cells.any():
        default = _convert_default(fld)
        if fld.type == "list":
            fill = out.index[blank_cells]
            out.loc[fill] = [default] * len(fill)
        else:
            out.iloc[np.flatnonzero(blank_cells)] = default
    return out


#: The dtype of each field type's typed column (any other type: object).
_DTYPES = {
    "money": "float64",
    "number": "float64",
    "percent": "float64",
    "integer": "Int64",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "yesno": "boolean",
}


def _empty_like(index: pd.Index, fld: Field) -> pd.Series:
    """A typed column of missing values (empty lists for a list field)."""
    if fld.type == "list":
        return pd.Series([[] for _ in range(len(index))], index=index, dtype=object)
    return pd.Series(None, index=index, dtype=_DTYPES.get(fld.type, "object"))


def _convert_default(fld: Field) -> Any:
    if fld.type == "yesno":
        return _YES[str(fld.default).lower()]
    if fld.type in ("date", "datetime"):
        return pd.Timestamp(fld.default)
    return fld.default


def _check_range(out: pd.Series, read: np.ndarray, col: _Column) -> None:
    """Name every read number outside the field's range (its own, else its type's limit).

    Args:
        out: The typed column.
        read: Which of its cells were read as numbers (blank and refused cells are not checked).
        col: The column, where problems are recorded.
    """
    fld = col.fld
    low, high = fld.bounds  # the field's range, else its type's limit (schema.TYPE_LIMITS)
    numbers = out.to_numpy(dtype="float64", na_value=np.nan)  # integers came from floats: exact
    if low is not None:
        too_low = read & (numbers < low)
        if too_low.any():
            floor = _limit(low, fld, percent=False)
            col.add_many("out-of-range", out[too_low], "{name} must be at least " + floor + ", got {got}")
    if high is not None:
        too_high = read & (numbers > high)
        if too_high.any():
            col.add_many("out-of-range", out[too_high], "{name} must be at most " + _limit(high, fld) + ", got {got}")


def _limit(value: float, fld: Field, percent: bool = True) -> str:
    if fld.type == "percent" and (percent or abs(value) >= 1e4):
        return f"{value:.0%}" if abs(value) < 1e4 else f"{value:,.0f} (i.e. {value * 100:,.0f} %)"
    return show(float(value)) if abs(value) < 1e6 else f"{value:,.0f}"


# --- converters: (present raw values, column) -> (converted values, ok mask) ---------------------------


def number_text(text: str, style: CellStyle, money: bool = False) -> tuple[float | None, bool]:
    """Read a number written as text: ``1,200.50``, ``$48.20`` (the intake's currency), ``80%``, ``1.234,56``.

    Args:
        text: The cell text.
        style: How the file writes numbers (decimal comma, the intake's currency).
        money: The column holds money (a currency symbol or code is accepted).

    Returns:
        ``(value, is_percent)``: the number (None when the text is not one) and whether it ended in ``%``
        (the value is then already divided by 100).
    """
    t = _without_currency(text.strip(), style.money_marks) if money else text.strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1].strip()
    plain = _without_separators(_SPACES.sub("", t), style.decimal_comma)
    if plain is None:
        return None, False
    try:
        value = float(plain)
    except ValueError:
        return None, False
    if not np.isfinite(value):
        return None, False
    return (value / 100 if percent else value), percent


def _without_currency(text: str, marks: tuple[str, ...]) -> str:
    """An amount without the currency mark before it (after a minus sign, if any) or after it: ``-$48.20`` → ``-48.20``.

    Args:
        text: The stripped cell text.
        marks: :attr:`CellStyle.money_marks`, longest first (the first that fits is taken off).

    Returns:
        The text without the mark (unchanged when it has none).
    """
    for mark in marks:
        if text.startswith(mark) or text.startswith("-" + mark):
            sign = "-" if text.startswith("-") else ""
            return sign + text[len(mark) + len(sign) :].strip()
        if text.endswith(mark):
            return text[: -len(mark)].strip()
    return text


def _without_separators(text: str, decimal_comma: bool) -> str | None:
    """A number's text as Python reads it: thousands separators dropped, a decimal comma made a point.

    Args:
        text: The number's text (spaces between thousands already dropped).
        decimal_comma: The file writes ``1.234,56``.

    Returns:
        The text, or None when a decimal-comma file writes a number that could be read either way (``1,234.56``,
        ``12.5``).
    """
    if decimal_comma:
        if _THOUSANDS_DOTS.fullmatch(text) or _DECIMAL_COMMA.fullmatch(text):
            return text.replace(".", "").replace(",", ".")
        if "," in text or re.fullmatch(r"[-+]?\d+\.\d+", text):
            return None  # "1,234.56" or "12.5" in a decimal-comma file: which is it? refuse
        return text
    if _THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    return text


_NUMBER_KINDS = ("floating", "integer", "mixed-integer-float")


def _parse_numbers(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """The numbers of a numeric column, whether each is one, and which were written with a ``%``."""
    kind = pd.api.types.infer_dtype(present, skipna=True) if len(present) else "floating"
    nums = pd.to_numeric(present, errors="coerce") if kind != "string" else pd.Series(np.nan, index=present.index)
    nums = nums.astype("float64")
    percent = np.zeros(len(present), dtype=bool)
    if kind not in _NUMBER_KINDS:
        nums, percent = _read_text_numbers(present, nums, col)
    ok = np.isfinite(nums.to_numpy())  # "inf", "Infinity" and 1e999 are no amount (nor a missing value)
    if kind not in _NUMBER_KINDS:
        ok &= ~present.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    return nums, ok, percent


def _read_text_numbers(present: pd.Series, nums: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    """The numbers of a column that holds text, with the numbers written as text read too.

    Args:
        present: The column's non-blank cells.
        nums: The cells already numbers (NaN elsewhere).
        col: The column (its field and the file's style).

    Returns:
        ``(nums, percent)``: the numbers, and which were written with a ``%``.
    """
    percent = pd.Series(False, index=present.index)
    is_text = present.map(lambda v: isinstance(v, str))
    texts = present[is_text & nums.isna()]
    if len(texts):
        money = col.fld.type == "money"
        read = texts.map(lambda t: number_text(t, col.style, money))
        nums.loc[read.index] = [v if v is not None else np.nan for v, _ in read]
        percent.loc[read.index] = [p for _, p in read]
        if col.fld.type != "percent":  # "80%" is a percentage, not a count or an amount
            nums = nums.where(~percent)
    return nums, percent.to_numpy(dtype=bool)


def _numbers(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    nums, ok, _ = _parse_numbers(present, col)
    word = "a whole number" if col.fld.type == "integer" else "a number"
    col.add_where("type-error", present, ~ok, "{name} must be " + word + ", got {got}")
    return nums, ok


def _integers(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    nums, ok = _numbers(present, col)
    whole = (nums % 1 == 0).to_numpy(dtype=bool)
    col.add_where("type-error", present, ok & ~whole, "{name} must be a whole number, got {got}")
    ok = ok & whole
    return (nums if ok.all() else nums.where(ok)).round().astype("Int64"), ok


def _percents(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    nums, ok, percent = _parse_numbers(present, col)
    col.add_where("type-error", present, ~ok, "{name} must be a number, got {got}")
    big = ok & ~percent & (nums > col.fld.max_fraction).to_numpy(dtype=bool)
    if not big.any():
        return nums, ok
    for row, value in nums[big].items():
        col.add(
            "percent-as-number",
            row,
            f"{col.fld.name}: read {show(value)} as {show(value)} % "
            f"({value / 100:g}); type percentages as Excel percentages, e.g. {value / 100:.0%}",
        )
    nums = nums.where(~big, nums / 100)
    return nums, ok


def _dates(present: pd.Series, col: _Column, keep_time: bool = False) -> tuple[pd.Series, np.ndarray]:
    kind = pd.api.types.infer_dtype(present, skipna=True) if len(present) else "datetime"
    if kind in ("datetime", "date", "datetime64"):
        values = pd.to_datetime(present, errors="coerce")
        ok = values.notna().to_numpy(dtype=bool)
        col.add_where("type-error", present, ~ok, "{name} must be a date, got {got}")
    else:
        values, ok = _mixed_dates(present, col)
    far = ok & ~values.between(_FIRST_DAY, _LAST_DAY).to_numpy(dtype=bool)
    col.add_where(
        "out-of-range",
        present,
        far,
        "{name} must be between " + f"{_FIRST_DAY:%Y-%m-%d} and {_LAST_DAY:%Y-%m-%d}" + ", got {got}",
    )
    ok = ok & ~far
    values = (values if ok.all() else values.where(ok)).astype("datetime64[ns]")
    if not keep_time:
        stamps = values.to_numpy()
        timed = ok & (stamps != stamps.astype("datetime64[D]").astype(stamps.dtype))
        if timed.any():
            first = present.index[int(np.argmax(timed))]
            col.add(
                "time-dropped",
                first,
                f"{count(int(timed.sum()), f'{col.fld.name} cell')} carried a time of day "
                f"(first: {col.letter}{first}); the date part was used",
            )
            values = values.dt.normalize()
    return values, ok


def _mixed_dates(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    """The dates of a column that holds more than dates (numbers, text), each cell classified on its own.

    Args:
        present: The column's non-blank cells.
        col: The column, where problems are recorded.

    Returns:
        ``(values, ok)``: the dates (NaT where none) and which cells gave one.
    """
    converted = present.map(lambda v: _one_date(v, col.style))
    values = pd.to_datetime(converted.map(lambda r: r[0]), errors="coerce")
    ok = converted.map(lambda r: r[0] is not None).to_numpy(dtype=bool)
    for row, (_, code, message) in converted.items():
        if code == "serial-date" and row in col.date_rows:
            continue  # the cell is formatted as a date: a date, however its application spells the format
        if code:
            col.add(code, row, message.format(name=col.fld.name, got=show(present[row])))
    return values, ok


def _one_date(v: Any, style: CellStyle | None = None) -> tuple[pd.Timestamp | None, str, str]:
    """Classify one non-blank cell of a date column: (value, problem code or '', message template)."""
    style = style or CellStyle()
    if isinstance(v, (dt.datetime, dt.date)):
        return pd.Timestamp(v), "", ""
    if isinstance(v, bool):
        return None, "type-error", "{name} must be a date, got {got}"
    if isinstance(v, (int, float, np.number)):
        if 1 <= v <= _MAX_SERIAL:
            value = (_EPOCH_1904 if style.date1904 else _EXCEL_EPOCH) + pd.Timedelta(days=float(v))
            return (
                value,
                "serial-date",
                (
                    "{name}: the number {got} was read as the Excel date "
                    + value.strftime("%Y-%m-%d")
                    + "; format the cell as a date"
                ),
            )
        return None, "type-error", "{name} must be a date, got {got}"
    text = str(v).strip()
    found = _text_date(text, style)
    if found is None:
        return None, "type-error", "{name} must be a date (an Excel date or YYYY-MM-DD), got {got}"
    value, problem = found
    if problem == "no-such-day":
        return None, "type-error", "{name} must be a date, got {got} (no such day)"
    if problem:
        a, b = problem
        return (
            None,
            "ambiguous-date",
            "{name}: the text {got} could be day "
            + f"{a} of month {b} or day {b} of month {a}; "
            + style.ambiguous_fix,
        )
    assert value is not None  # _text_date gives a day whenever it reports no problem
    return (
        value,
        "text-date",
        "{name}: the text {got} was read as the date " + value.strftime("%Y-%m-%d") + "; type dates as Excel dates",
    )


def _text_date(text: str, style: CellStyle) -> tuple[pd.Timestamp | None, Any] | None:
    """Read a date written as text, as written (a time zone suffix is ignored: the day is the one written).

    Returns:
        None when the text is no date; else ``(value, "")``, ``(None, "no-such-day")`` or ``(None, (a, b))`` for
        an ambiguous day/month pair.
    """

    def make(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> Any:
        try:
            return pd.Timestamp(dt.datetime(year, month, day, hour, minute, second)), ""
        except (ValueError, OverflowError):
            return None, "no-such-day"

    m = _ISO_DATE.match(text)
    if m:
        y, mo, d, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
        return make(y, mo, d, hh, mm, ss)
    m = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text)
    if m:
        first, second, year = m.groups()
        name, day = (first, second) if m.re is _MONTH_FIRST else (second, first)
        month = _MONTHS.get(name.casefold())
        return None if month is None else make(int(year), month, int(day))
    m = _DMY_OR_MDY.match(text)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hour, minute, second = (int(g) if g else 0 for g in m.groups()[3:6])
        if m.group(7):  # 12-hour clock
            hour = hour % 12 + (12 if m.group(7).upper() == "PM" else 0)
        year += 2000 if year < 100 else 0
        if style.date_order == "MDY" or (not style.date_order and b > 12 and a <= 12):
            return make(year, a, b, hour, minute, second)
        if style.date_order == "DMY" or (not style.date_order and a > 12 and b <= 12) or a == b:
            return make(year, b, a, hour, minute, second)
        if a > 12 and b > 12:
            return None, "no-such-day"
        return None, (a, b)
    return None


def _datetimes(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    return _dates(present, col, keep_time=True)


def _texts(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    if len(present) and pd.api.types.infer_dtype(present, skipna=True) == "string":
        values = pd.Series([v.strip() for v in present.to_numpy()], index=present.index, dtype=object)
    else:
        values = present.map(_one_text)
    return values.astype(object), np.ones(len(present), dtype=bool)


def _one_text(v: Any) -> str:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return show(v)
    return show(v).strip('"')


def _choices(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    texts, _ = _texts(present, col)
    fld = col.fld
    lookup = {c.casefold(): c for c in fld.choices}
    values = texts.map(lambda t: lookup.get(t.casefold()))
    ok = values.notna().to_numpy(dtype=bool)
    if fld.open_choices:
        return (values if ok.all() else values.where(ok, texts)), np.ones(len(present), dtype=bool)
    for row, text in (texts[~ok] if not ok.all() else texts[:0]).items():
        hint = difflib.get_close_matches(text.casefold(), list(lookup), n=1, cutoff=0.6)
        did_you_mean = f' (did you mean "{lookup[hint[0]]}"?)' if hint else ""
        col.add(
            "bad-choice", row, f"{fld.name} must be one of {', '.join(fld.choices)}; got {show(text)}" + did_you_mean
        )
    return values, ok


def _yesno(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    def one(v: Any) -> bool | None:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        return _YES.get(_one_text(v).casefold())

    if len(present) and pd.api.types.infer_dtype(present, skipna=True) == "string":  # Yes/No typed: one pass
        values = present.str.strip().str.casefold().map(_YES)
    else:
        values = present.map(one)
    ok = values.notna().to_numpy(dtype=bool)
    col.add_where("bad-choice", present, ~ok, "{name} must be Yes or No, got {got}")
    return values.astype(object), ok


def _lists(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    texts, ok = _texts(present, col)
    values = texts.map(lambda t: [p.strip() for p in t.split(",") if p.strip()])
    return values, ok


def _currencies(present: pd.Series, col: _Column) -> tuple[pd.Series, np.ndarray]:
    texts, _ = _texts(present, col)
    values = texts.str.upper()
    ok = values.isin(ISO_4217).to_numpy(dtype=bool)
    col.add_where(
        "bad-choice", present, ~ok, "{name} must be an ISO 4217 currency code such as USD, EUR or GBP; got {got}"
    )
    return values, ok


_CONVERTERS = {
    "text": _texts,
    "integer": _integers,
    "number": _numbers,
    "money": _numbers,
    "percent": _percents,
    "date": _dates,
    "datetime": _datetimes,
    "yesno": _yesno,
    "choice": _choices,
    "list": _lists,
    "currency": _currencies,
}
