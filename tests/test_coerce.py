"""coerce_column, table-driven: each type's conversions and the problems it names."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from mops_xl.intake.coerce import coerce_column, show
from mops_xl.intake.schema import Field


def run(field: Field, values: list) -> tuple[list, list[tuple[str, str]]]:
    raw = pd.Series(values, index=range(2, 2 + len(values)), dtype=object)
    out, problems = coerce_column(raw, field, sheet="S", letter="C")
    return out.tolist(), [(p.code, str(p)) for p in problems]


def _same(got: list, exp: list) -> bool:
    def norm(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT else v

    return [norm(g) for g in got] == [norm(e) for e in exp]


CASES = [
    (
        "money",
        Field("Spend", "money", minimum=0),
        [1.5, "2", "", "  ", -1.0, "x"],
        [1.5, 2.0, None, None, -1.0, None],
        [
            ("type-error", 'S!C7: Spend must be a number, got "x"'),
            ("out-of-range", "S!C6: Spend must be at least 0, got -1"),
        ],
    ),
    (
        "integer",
        Field("Leads", "integer", default=0),
        [3.0, 2.5, ""],
        [3, None, 0],
        [("type-error", "S!C3: Leads must be a whole number, got 2.5")],
    ),
    (
        "percent",
        Field("T", "percent", max_fraction=1),
        [0.8, 80.0],
        [0.8, 0.8],
        [("percent-as-number", "S!C3: T: read 80 as 80 % (0.8); type percentages as Excel percentages, e.g. 80%")],
    ),
    ("text", Field("Name"), [" Acme ", 2024.0, True, ""], ["Acme", "2024", "TRUE", None], []),
    (
        "required text",
        Field("Name", required=True),
        ["", "a"],
        [None, "a"],
        [("missing-value", "S!C2: Name is required")],
    ),
    (
        "choice",
        Field("Stage", "choice", choices=("Awareness", "Decision")),
        ["decision", "Nope"],
        ["Decision", None],
        [("bad-choice", 'S!C3: Stage must be one of Awareness, Decision; got "Nope"')],
    ),
    (
        "open choice",
        Field("Role", "choice", choices=("Content",), open_choices=True),
        ["content", "Sales"],
        ["Content", "Sales"],
        [],
    ),
    (
        "yes/no",
        Field("Paid", "yesno", default="No"),
        ["yes", "N", True, "", "maybe"],
        [True, False, True, False, None],
        [("bad-choice", 'S!C6: Paid must be Yes or No, got "maybe"')],
    ),
    ("list", Field("Channels", "list"), ["A, B ,,C", ""], [["A", "B", "C"], []], []),
    (
        "currency",
        Field("Currency", "currency"),
        ["eur", "XYZ"],
        ["EUR", None],
        [("bad-choice", 'S!C3: Currency must be an ISO 4217 currency code such as USD, EUR or GBP; got "XYZ"')],
    ),
]


@pytest.mark.parametrize("name, field, values, exp_values, exp_problems", CASES, ids=[c[0] for c in CASES])
def test_coerce(name: str, field: Field, values: list, exp_values: list, exp_problems: list) -> None:
    got_values, got_problems = run(field, values)
    assert got_problems == exp_problems
    assert _same(got_values, exp_values), got_values  # an out-of-range number is kept (and reported)


def test_dates() -> None:
    f = Field("Date", "date")
    got, problems = run(f, [dt.datetime(2026, 10, 1, 9, 30), dt.date(2026, 10, 2), 46296.0, "2026-10-04", "1/2/2026"])
    assert got[:4] == [
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-10-02"),
        pd.Timestamp("2026-10-01"),
        pd.Timestamp("2026-10-04"),
    ]
    assert pd.isna(got[4])
    assert [c for c, _ in problems] == ["serial-date", "text-date", "ambiguous-date", "time-dropped"]


def test_datetimes_keep_their_time() -> None:
    got, problems = run(Field("Timestamp", "datetime"), [dt.datetime(2026, 10, 1, 9, 30)])
    assert got == [pd.Timestamp("2026-10-01 09:30")] and problems == []


def test_clean_numeric_column_of_a_million_cells_is_vectorised() -> None:
    """Correctness at size (not timing): a million clean numbers convert with no problem."""
    raw = pd.Series([float(i % 97) for i in range(1_000_000)], dtype=object)
    out, problems = coerce_column(raw, Field("Spend", "money", minimum=0), sheet="Actuals", letter="D")
    assert problems == [] and out.sum() == sum(i % 97 for i in range(1_000_000))


@pytest.mark.parametrize(
    "value, exp", [("abc", '"abc"'), (2.0, "2"), (2.5, "2.5"), (True, "TRUE"), (dt.datetime(2026, 1, 2), "2026-01-02")]
)
def test_show(value: object, exp: str) -> None:
    assert show(value) == exp
