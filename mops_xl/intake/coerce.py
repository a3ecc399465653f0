"""Turning one column of raw cells into typed values, naming every cell that does not fit.

:func:`coerce_column` works column-wise with pandas: a clean column of a million numbers or dates is
converted without a Python loop; only columns that mix types (and so already hold a mistake or a text
date) fall back to looking at their odd cells one by one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

import numpy as np
import pandas as pd

from mops_xl.intake.currencies import ISO_4217
from mops_xl.intake.problems import Problem
from mops_xl.intake.schema import FIRST_DATE, LAST_DATE, Field

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MAX_SERIAL = 2958465  # 9999-12-31
_FIRST_DAY, _LAST_DAY = pd.Timestamp(FIRST_DATE), pd.Timestamp(LAST_DATE)  # the schema's date range
_ISO_DATE = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_DMY_OR_MDY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_YES = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
_NUMERIC = ("money", "number", "integer", "percent")


class _Column:
    """Collects the problems of one column while it is converted."""

    def __init__(self, fld: Field, sheet: str, letter: str):
        self.fld, self.sheet, self.letter = fld, sheet, letter
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
    blank = raw.isna() | raw.eq("")
    if not len(raw):
        return blank
    rest = raw[~blank]
    kind = pd.api.types.infer_dtype(rest, skipna=True) if len(rest) else "empty"
    if kind == "string":
        blank.loc[rest.index] = rest.str.isspace().to_numpy(dtype=bool)
    elif kind in ("mixed", "mixed-integer"):
        blank.loc[rest.index] = rest.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    return blank


def coerce_column(
    raw: pd.Series, fld: Field, *, sheet: str, letter: str, blank: pd.Series | None = None
) -> tuple[pd.Series, list[Problem]]:
    """Convert one column of raw cells to the field's type.

    Args:
        raw: The raw values (``''`` for an empty cell), indexed by Excel row number.
        fld: The schema field the column holds.
        sheet: The sheet name, for problem places.
        letter: The column letter in the user's sheet, for problem places.
        blank: :func:`is_blank` of ``raw``, when the caller has it already.

    Returns:
        ``(values, problems)``: the typed values (blank cells hold the field default or a missing value)
        and one :class:`Problem` per cell that does not fit.
    """
    col = _Column(fld, sheet, letter)
    blank = is_blank(raw) if blank is None else blank
    if fld.required and fld.default is None:  # a required column with a default: blank cells take it
        col.add_many("missing-value", raw[blank], "{name} is required")
    present = raw[~blank]
    out = _empty_like(raw.index, fld)
    ok = None
    if len(present):  # an empty sheet or an unused column has nothing to convert
        values, ok = _CONVERTERS[fld.type](present, col)
        good = values[ok]
        if len(good):
            out.loc[good.index] = good.to_numpy() if fld.type != "list" else list(good)
    if fld.default is not None:
        default = _convert_default(fld)
        fill = blank[blank].index
        if len(fill):
            out.loc[fill] = [default] * len(fill) if fld.type == "list" else default
    if ok is not None and fld.type in _NUMERIC:
        _check_range(out[ok.reindex(out.index, fill_value=False)], col)
    return out, col.problems


def _empty_like(index: pd.Index, fld: Field) -> pd.Series:
    if fld.type in ("money", "number", "percent"):
        return pd.Series(np.nan, index=index, dtype="float64")
    if fld.type == "integer":
        return pd.Series(pd.NA, index=index, dtype="Int64")
    if fld.type in ("date", "datetime"):
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if fld.type == "yesno":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if fld.type == "list":
        return pd.Series([[] for _ in range(len(index))], index=index, dtype=object)
    return pd.Series(None, index=index, dtype=object)


def _convert_default(fld: Field) -> Any:
    if fld.type == "yesno":
        return _YES[str(fld.default).lower()]
    if fld.type in ("date", "datetime"):
        return pd.Timestamp(fld.default)
    return fld.default


def _check_range(values: pd.Series, col: _Column) -> None:
    fld = col.fld
    low, high = fld.bounds  # the field's range, else its type's limit (schema.TYPE_LIMITS)
    if low is not None:
        too_low = values[values < low]
        floor = _limit(low, fld, percent=False)
        col.add_many("out-of-range", too_low, "{name} must be at least " + floor + ", got {got}")
    if high is not None:
        too_high = values[values > high]
        col.add_many("out-of-range", too_high, "{name} must be at most " + _limit(high, fld) + ", got {got}")


def _limit(value: float, fld: Field, percent: bool = True) -> str:
    if fld.type == "percent" and (percent or abs(value) >= 1e4):
        return f"{value:.0%}" if abs(value) < 1e4 else f"{value:,.0f} (i.e. {value * 100:,.0f} %)"
    return show(float(value)) if abs(value) < 1e6 else f"{value:,.0f}"


# --- converters: (present raw values, column) -> (converted values, ok mask) ---------------------------


def _numbers(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    kind = pd.api.types.infer_dtype(present, skipna=True) if len(present) else "floating"
    nums = pd.to_numeric(present, errors="coerce")
    ok = nums.notna() & np.isfinite(nums.astype("float64"))  # "inf", "Infinity" and 1e999 are no amount
    if kind not in ("floating", "integer", "mixed-integer-float"):
        is_bool = present.map(lambda v: isinstance(v, (bool, np.bool_)))
        ok &= ~is_bool
    word = "a whole number" if col.fld.type == "integer" else "a number"
    col.add_many("type-error", present[~ok], "{name} must be " + word + ", got {got}")
    return nums.astype("float64"), ok


def _integers(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    nums, ok = _numbers(present, col)
    whole = nums[ok] % 1 == 0
    col.add_many("type-error", present[ok][~whole], "{name} must be a whole number, got {got}")
    ok = ok & (nums % 1 == 0)
    return nums.where(ok).round().astype("Int64"), ok


def _percents(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    nums, ok = _numbers(present, col)
    big = ok & (nums > col.fld.max_fraction)
    for row, value in nums[big].items():
        col.add(
            "percent-as-number",
            row,
            f"{col.fld.name}: read {show(value)} as {show(value)} % "
            f"({value / 100:g}); type percentages as Excel percentages, e.g. {value / 100:.0%}",
        )
    nums = nums.where(~big, nums / 100)
    return nums, ok


def _dates(present: pd.Series, col: _Column, keep_time: bool = False) -> tuple[pd.Series, pd.Series]:
    kind = pd.api.types.infer_dtype(present, skipna=True) if len(present) else "datetime"
    if kind in ("datetime", "date", "datetime64"):
        values = pd.to_datetime(present, errors="coerce")
        ok = values.notna()
        col.add_many("type-error", present[~ok], "{name} must be a date, got {got}")
    else:
        converted = present.map(lambda v: _one_date(v))
        values = pd.to_datetime(converted.map(lambda r: r[0]), errors="coerce")
        ok = converted.map(lambda r: r[0] is not None).astype(bool)
        for row, (_, code, message) in converted.items():
            if code:
                col.add(code, row, message.format(name=col.fld.name, got=show(present[row])))
    far = ok & ((values < _FIRST_DAY) | (values > _LAST_DAY))
    col.add_many(
        "out-of-range",
        present[far],
        "{name} must be between " + f"{_FIRST_DAY:%Y-%m-%d} and {_LAST_DAY:%Y-%m-%d}" + ", got {got}",
    )
    ok &= ~far
    values = values.where(ok).astype("datetime64[ns]")
    if not keep_time:
        timed = values[ok] != values[ok].dt.normalize()
        if timed.any():
            first = timed[timed].index[0]
            col.add(
                "time-dropped",
                first,
                f"{int(timed.sum())} {col.fld.name} cell(s) carried a time of day "
                f"(first: {col.letter}{first}); the date part was used",
            )
            values = values.dt.normalize()
    return values, ok


def _one_date(v: Any) -> tuple[pd.Timestamp | None, str, str]:
    """Classify one non-blank cell of a date column: (value, problem code or '', message template)."""
    if isinstance(v, (dt.datetime, dt.date)):
        return pd.Timestamp(v), "", ""
    if isinstance(v, bool):
        return None, "type-error", "{name} must be a date, got {got}"
    if isinstance(v, (int, float, np.number)):
        if 1 <= v <= _MAX_SERIAL:
            value = _EXCEL_EPOCH + pd.Timedelta(days=float(v))
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
    if _ISO_DATE.match(text):
        try:
            value = pd.Timestamp(text.replace("/", "-"))
        except (ValueError, OverflowError):
            return None, "type-error", "{name} must be a date, got {got} (no such day)"
        return (
            value,
            "text-date",
            "{name}: the text {got} was read as the date " + value.strftime("%Y-%m-%d") + "; type dates as Excel dates",
        )
    m = _DMY_OR_MDY.match(text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if a <= 12 and b <= 12 and a != b:
            return (
                None,
                "ambiguous-date",
                (
                    "{name}: the text {got} could be day " + f"{a} of month {b} or "
                    f"day {b} of month {a}" + "; type it as an Excel date or YYYY-MM-DD"
                ),
            )
    return None, "type-error", "{name} must be a date (an Excel date or YYYY-MM-DD), got {got}"


def _datetimes(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    return _dates(present, col, keep_time=True)


def _texts(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    if len(present) and pd.api.types.infer_dtype(present, skipna=True) == "string":
        values = present.str.strip()
    else:
        values = present.map(_one_text)
    return values.astype(object), pd.Series(True, index=present.index)


def _one_text(v: Any) -> str:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return show(v)
    return show(v).strip('"')


def _choices(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    texts, _ = _texts(present, col)
    fld = col.fld
    lookup = {c.casefold(): c for c in fld.choices}
    values = texts.map(lambda t: lookup.get(t.casefold()))
    ok = values.notna()
    if fld.open_choices:
        return values.where(ok, texts), pd.Series(True, index=present.index)
    for row, text in texts[~ok].items():
        hint = difflib.get_close_matches(text.casefold(), list(lookup), n=1, cutoff=0.6)
        did_you_mean = f' (did you mean "{lookup[hint[0]]}"?)' if hint else ""
        col.add(
            "bad-choice", row, f"{fld.name} must be one of {', '.join(fld.choices)}; got {show(text)}" + did_you_mean
        )
    return values, ok


def _yesno(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    def one(v: Any) -> bool | None:
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        return _YES.get(_one_text(v).casefold())

    values = present.map(one)
    ok = values.notna()
    col.add_many("bad-choice", present[~ok], "{name} must be Yes or No, got {got}")
    return values.astype(object), ok


def _lists(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    texts, ok = _texts(present, col)
    values = texts.map(lambda t: [p.strip() for p in t.split(",") if p.strip()])
    return values, ok


def _currencies(present: pd.Series, col: _Column) -> tuple[pd.Series, pd.Series]:
    texts, _ = _texts(present, col)
    values = texts.str.upper()
    ok = values.isin(ISO_4217)
    col.add_many(
        "bad-choice", present[~ok], "{name} must be an ISO 4217 currency code such as USD, EUR or GBP; got {got}"
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
