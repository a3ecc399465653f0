"""Reading a valid intake: typed values, defaults, Report as of, and Excel row numbers kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from intake_builders import write_valid

from mops_xl import IntakeError, load_intake, validate_intake


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory):
    return load_intake(write_valid(tmp_path_factory.mktemp("reader") / "valid.xlsx"))


def test_business_values_are_typed_with_defaults(intake) -> None:
    b = intake.business
    assert b["Business name"] == "Test Co" and b["Team size"] == 3
    assert b["Currency"] == "USD"  # the template's default
    assert b["Period start"] == pd.Timestamp("2026-10-01") and b["Period end"] == pd.Timestamp("2026-10-31")
    assert b["Lead definition"] == "Form fills + demos"
    assert b["Customer lifetime value"] is None


def test_report_as_of_defaults_to_the_latest_actuals_date(intake) -> None:
    assert intake.report_as_of == pd.Timestamp("2026-10-02")
    assert any(p.code == "report-date-defaulted" for p in intake.report.infos)


def test_report_as_of_is_capped_at_period_end(tmp_path: Path) -> None:
    def late(d: dict) -> None:
        d["Actuals"].append({"Date": dt.date(2026, 11, 3), "Channel": "Email", "Leads": 1})

    intake = load_intake(write_valid(tmp_path / "late.xlsx", late))
    assert intake.report_as_of == pd.Timestamp("2026-10-31")


def test_settings_defaults(intake) -> None:
    s = intake.settings
    assert (s["Underperforming threshold"], s["Overspending threshold"], s["High-performer threshold"]) == (
        0.8,
        1.1,
        0.2,
    )
    assert (s["A/B significance level"], s["Minimum conversions per variant"], s["Trend window"]) == (0.95, 30, 7)
    assert (s["Attribution model"], s["Pacing method"], s["Data settling days"]) == ("markov", "linear", 3)


def test_tables_keep_excel_rows_and_types(intake) -> None:
    a = intake.actuals
    assert list(a.index) == [2, 3, 4, 5, 6, 7]
    assert (
        a["Date"].dtype == "datetime64[ns]" and str(a["Leads"].dtype) == "float64"
    )  # modelled conversions may be fractional
    assert a.loc[4, "Campaign"] is None or pd.isna(a.loc[4, "Campaign"])
    assert a.loc[4, "Spend"] == 0  # blank Spend takes its default 0
    ch = intake.channels.set_index("Channel")
    assert ch.loc["Google Ads", "Paid"] == True and ch.loc["Email", "Paid"] == False  # noqa: E712
    assert intake.table("Stack").empty and list(intake.table("Stack").columns)[:2] == ["Tool", "Category"]


def test_cadence_and_assessment_prefill_survive_a_round_trip(intake) -> None:
    assert list(intake.table("Cadence")["Review"])[:2] == ["Daily standup", "Weekly channel review"]
    assert len(intake.table("Assessment")) == 16


def test_load_intake_raises_with_the_whole_report(tmp_path: Path) -> None:
    path = write_valid(tmp_path / "bad.xlsx", lambda d: d["Actuals"][0].update(Spend="lots", Leads=-1))
    with pytest.raises(IntakeError) as caught:
        load_intake(path)
    assert [p.cell for p in caught.value.report.errors] == ["D2", "G2"]
    assert validate_intake(path).valid is False
