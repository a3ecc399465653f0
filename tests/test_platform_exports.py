"""Each platform's export as downloaded: the right numbers, or a clear refusal.

The export files are written here in each platform's documented format (UTF-16 with tabs, title and date-range
rows, total rows, currency suffixes, US dates, decimal commas, a whole-period export). Imported totals are
checked against the file's own total row, worked out by hand in each test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from intake_builders import write_valid

from mops_xl import load_intake
from mops_xl.analysis.engine import analyse
from mops_xl.cli import cli

PLATFORMS = ("Meta Ads", "LinkedIn Ads", "TikTok Ads", "Microsoft Ads")


def _intake(tmp_path: Path, currency: str = "USD", name: str = "acme.xlsx") -> Path:
    def change(data: dict[str, Any]) -> None:
        data["Business"]["Currency"] = currency
        data["Channels"] += [
            {"Channel": ch, "Role": "Reach", "Funnel stage": "Awareness", "Paid": True} for ch in PLATFORMS
        ]

    return write_valid(tmp_path / name, change)


def _import(intake: Path, export: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(export), *args])


def _added(path: Path, channel: str) -> pd.DataFrame:
    actuals = load_intake(path).actuals
    return actuals[actuals["Channel"] == channel]


# --- Google Ads: "Excel CSV", UTF-16 with tabs, a title and a date range, total rows, currency code column -----

GOOGLE_INR = (
    "Campaign performance\r\n"
    "October 3, 2026 - October 4, 2026\r\n"
    "Day\tCampaign\tCurrency code\tCost\tImpr.\tClicks\tConversions\tConv. value\tAvg. CPC\r\n"
    "2026-10-03\tSearch\tINR\t1,200.00\t20000\t800\t40.5\t5000.00\t1.50\r\n"
    "Oct 4, 2026\tBrand\tINR\t100.00\t1800\t70\t3.14\t400.00\t1.43\r\n"
    "Total: Account\t--\t--\t1,300.00\t21800\t870\t43.64\t5400.00\t--\r\n"
)


def test_google_ads_in_another_currency_is_refused_naming_both(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "google.csv"
    export.write_bytes(GOOGLE_INR.encode("utf-16"))
    result = _import(intake, export, "--source", "google-ads")
    assert result.exit_code == 2
    assert (
        'google.csv: the export states its amounts in INR (column "Currency code" (C4)) but the intake\'s currency '
        "is USD (Business!Currency): convert them with --rate R (USD per 1 INR), or import into an intake kept in "
        "INR; nothing is converted silently"
    ) in result.output
    assert not (tmp_path / "acme-imported.xlsx").exists()


@pytest.mark.slow
def test_google_ads_with_a_rate_converts_and_keeps_fractional_conversions(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "google.csv"
    export.write_bytes(GOOGLE_INR.encode("utf-16"))
    result = _import(intake, export, "--source", "google-ads", "--rate", "0.012")
    assert result.exit_code == 0, result.output
    assert 'Ignored columns of google.csv: "Avg. CPC"' in result.output
    assert "Left empty (the export has nothing for them; blank is not tracked, not 0): MQLs, SQLs, Customers" in (
        result.output
    )
    added = _added(tmp_path / "acme-imported.xlsx", "Google Ads").query("Date >= '2026-10-03'")
    # the total row: Cost 1,300.00 INR x 0.012 = 15.60 USD; Conv. value 5400.00 x 0.012 = 64.80; 43.64 conversions
    assert added["Spend"].sum() == pytest.approx(15.60)
    assert added["Revenue"].sum() == pytest.approx(64.80)
    assert added["Leads"].sum() == pytest.approx(43.64)  # modelled conversions: fractional, not refused
    assert added["Impressions"].sum() == 21800 and added["Clicks"].sum() == 870
    assert added["MQLs"].isna().all()  # not in the export: blank, not 0
    log = load_intake(tmp_path / "acme-imported.xlsx").table("Import log")
    assert list(log["Export currency"]) == ["INR"] and list(log["Rate"]) == [0.012]
    notes = [n["note"] for n in analyse(load_intake(tmp_path / "acme-imported.xlsx")).notes]
    assert any("2 rows of google.csv (google-ads)" in n and "converted from INR at 0.012" in n for n in notes)


# --- Meta: "Amount spent (EGP)", and a whole-period export --------------------------------------------------------

META_EGP = (
    "Reporting starts,Reporting ends,Campaign name,Amount spent (EGP),Impressions,Link clicks,Leads\n"
    "2026-10-05,2026-10-05,Ramadan,1250.75,30000,410,12\n"
    "2026-10-06,2026-10-06,Ramadan,749.25,21000,290,7\n"
)


@pytest.mark.slow
def test_meta_amount_spent_in_egp_goes_into_an_egp_intake(tmp_path: Path) -> None:
    intake = _intake(tmp_path, "EGP")
    export = tmp_path / "meta.csv"
    export.write_text(META_EGP, encoding="utf-8")
    result = _import(intake, export, "--source", "meta-ads")
    assert result.exit_code == 0, result.output
    assert 'Currency: EGP, as the header "Amount spent (EGP)" states' in result.output
    added = _added(tmp_path / "acme-imported.xlsx", "Meta Ads")
    assert added["Spend"].sum() == pytest.approx(1250.75 + 749.25)  # 2000.00 EGP
    assert list(added["Date"]) == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-06")]


def test_meta_egp_into_a_usd_intake_is_refused(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "meta.csv"
    export.write_text(META_EGP.replace("(EGP)", "(SAR)"), encoding="utf-8")
    result = _import(intake, export, "--source", "meta-ads")
    assert result.exit_code == 2
    assert (
        'meta.csv: the export states its amounts in SAR (the header "Amount spent (SAR)") '
        "but the intake's currency is USD"
    ) in (result.output)


META_WHOLE = (
    "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Impressions,Link clicks,Leads\n"
    "2023-07-23,2026-08-22,Always on,5000.00,100000,2000,40\n"
)


def test_meta_export_not_broken_down_by_day_is_refused_with_how_to(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "meta.csv"
    export.write_text(META_WHOLE, encoding="utf-8")
    result = _import(intake, export, "--source", "meta-ads")
    assert result.exit_code == 2
    # 2023-07-23 to 2026-08-22: 366 (to 2024-07-23, with Feb 29) + 365 + 365 + 30 days, plus the first: 1127 days
    assert (
        'meta.csv: the export is not broken down by day: line 2 covers 2023-07-23 to 2026-08-22 (1127 days; "Reporting '
        'starts" to "Reporting ends"). Export it by day: in Ads Manager choose Breakdown > By time > Day, then export '
        "again (one row per day); or pass --spread-days to spread each row evenly over its days"
    ) in result.output.replace("\n  ", " ")


@pytest.mark.slow
def test_meta_whole_period_spread_evenly_keeps_totals_and_whole_counts(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "meta.csv"
    export.write_text(
        "Reporting starts,Reporting ends,Campaign name,Amount spent (USD),Impressions,Link clicks,Leads\n"
        "2026-10-01,2026-10-03,Launch,100.00,1000,10,2.5\n",
        encoding="utf-8",
    )
    result = _import(intake, export, "--source", "meta-ads", "--spread-days")
    assert result.exit_code == 0, result.output
    assert "spread evenly over their days (--spread-days)" in result.output
    added = _added(tmp_path / "acme-imported.xlsx", "Meta Ads").sort_values("Date")
    assert list(added["Date"].dt.day) == [1, 2, 3]
    assert list(added["Impressions"]) == [334, 333, 333]  # 1000 = 3 x 333 + 1, the remainder on the first day
    assert list(added["Clicks"]) == [4, 3, 3]
    assert added["Spend"].sum() == pytest.approx(100.0) and added["Spend"].iloc[0] == pytest.approx(100 / 3)
    assert added["Leads"].sum() == pytest.approx(2.5)


# --- LinkedIn: title rows, US dates, "(in UTC)" ----------------------------------------------------------------

LINKEDIN = (
    '"Campaign Performance Report (in UTC)"\n'
    '"Report Start: 10/01/2026, Report End: 10/31/2026"\n'
    '"Date Generated: 11/02/2026 9:15 AM"\n'
    '"Start Date (in UTC)","Account Name","Campaign Name","Currency","Total Spent","Impressions","Clicks","Leads"\n'
    '"10/03/2026","Acme","ABM","USD","48.20","1200","14","1"\n'
    '"10/13/2026","Acme","ABM","USD","151.80","3400","31","3"\n'
)


@pytest.mark.slow
def test_linkedin_us_dates_and_time_zone(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "linkedin.csv"
    export.write_text(LINKEDIN, encoding="utf-8")
    result = _import(intake, export, "--source", "linkedin-ads")
    assert result.exit_code == 0, result.output
    assert "Time zone: the export's days are in UTC" in result.output
    added = _added(tmp_path / "acme-imported.xlsx", "LinkedIn Ads")
    assert list(added["Date"]) == [pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-13")]  # 10/03 is October 3
    assert added["Spend"].sum() == pytest.approx(48.20 + 151.80)  # 200.00
    assert load_intake(tmp_path / "acme-imported.xlsx").table("Import log")["Time zone"].tolist() == ["UTC"]


# --- TikTok Ads: a European locale, ";" and decimal commas ------------------------------------------------------

TIKTOK_EUR = (
    "By Day;Campaign name;Currency;Cost;Impressions;Clicks (destination);Conversions\n"
    "2026-10-07;Creators;EUR;1.234,56;150.000;2.100;17,5\n"
    "2026-10-08;Creators;EUR;765,44;90.000;1.300;6,25\n"
    "Total of 2 results;;;2.000,00;240.000;3.400;23,75\n"
)


@pytest.mark.slow
def test_tiktok_decimal_commas_are_detected_from_the_export(tmp_path: Path) -> None:
    intake = _intake(tmp_path, "EUR")
    export = tmp_path / "tiktok.csv"
    export.write_bytes(TIKTOK_EUR.encode("utf-8-sig"))
    result = _import(intake, export, "--source", "tiktok-ads")
    assert result.exit_code == 0, result.output
    assert "Numbers read with a decimal comma (1.234,56 = 1234.56), as the export writes them" in result.output
    added = _added(tmp_path / "acme-imported.xlsx", "TikTok Ads")
    # the total row: 2.000,00 = 1234.56 + 765.44; 240.000 impressions; 3.400 clicks; 23,75 conversions
    assert added["Spend"].sum() == pytest.approx(2000.00)
    assert added["Impressions"].sum() == 240_000 and added["Clicks"].sum() == 3_400
    assert added["Leads"].sum() == pytest.approx(23.75)


# --- Microsoft Advertising: title rows with the time zone, US dates, a copyright footer -------------------------

MICROSOFT = (
    '"Report Name: Campaign report"\n'
    '"Report Time: 10/1/2026 - 10/31/2026"\n'
    '"Time Zone: (GMT-08:00) Pacific Time (US & Canada); Tijuana"\n'
    "\n"
    '"Gregorian date","Campaign name","Currency code","Impr.","Clicks","Spend","Conv.","Revenue"\n'
    '"10/9/2026","Brand","USD","5000","120","$60.40","4.5","300.00"\n'
    '"10/10/2026","Brand","USD","4000","95","$39.60","2.25","150.00"\n'
    '"Total","","","9000","215","$100.00","6.75","450.00"\n'
    '"©2026 Microsoft Corporation. All rights reserved. "\n'
)


@pytest.mark.slow
def test_microsoft_advertising_with_time_zone_and_dollar_amounts(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "microsoft.csv"
    export.write_text(MICROSOFT, encoding="utf-8")
    result = _import(intake, export, "--source", "microsoft-ads")
    assert result.exit_code == 0, result.output
    assert "Time zone: the export's days are in (GMT-08:00) Pacific Time (US & Canada); Tijuana" in result.output
    added = _added(tmp_path / "acme-imported.xlsx", "Microsoft Ads")
    assert list(added["Date"].dt.day) == [9, 10]
    # the total row: $100.00 = 60.40 + 39.60; 9000 impressions; 6.75 conversions; 450.00 revenue
    assert added["Spend"].sum() == pytest.approx(100.00)
    assert added["Leads"].sum() == pytest.approx(6.75) and added["Revenue"].sum() == pytest.approx(450.00)
    assert added["Impressions"].sum() == 9000


# --- Twice, and what the new intake keeps ------------------------------------------------------------------------


@pytest.mark.slow
def test_importing_the_same_export_twice_is_refused_unless_replace(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "linkedin.csv"
    export.write_text(LINKEDIN, encoding="utf-8")
    first = tmp_path / "first.xlsx"
    assert _import(intake, export, "--source", "linkedin-ads", "-o", str(first)).exit_code == 0
    result = _import(first, export, "--source", "linkedin-ads", "-o", str(tmp_path / "second.xlsx"))
    assert result.exit_code == 2
    assert (
        "linkedin.csv: 2 rows of the export (line 5, 6) repeat a date, channel and campaign the intake's "
        'Actuals already has (the Import log lists 1 earlier import, the last of "linkedin.csv"), e.g. '
        '2026-10-03, LinkedIn Ads, "ABM": importing them again would double them. Pass --replace'
    ) in result.output.replace("\n  ", " ")
    assert not (tmp_path / "second.xlsx").exists()
    result = _import(first, export, "--source", "linkedin-ads", "-o", str(tmp_path / "second.xlsx"), "--replace")
    assert result.exit_code == 0, result.output
    added = _added(tmp_path / "second.xlsx", "LinkedIn Ads")
    assert added["Spend"].sum() == pytest.approx(200.00)  # 48.20 + 151.80, once: not doubled
    assert len(load_intake(tmp_path / "second.xlsx").table("Import log")) == 2


@pytest.mark.slow
def test_the_new_intake_keeps_the_users_own_sheets_and_columns(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    wb = openpyxl.load_workbook(intake)
    wb.create_sheet("My notes")["A1"] = "Ask finance about October"
    ws = wb["Actuals"]
    ws.cell(1, ws.max_column + 1, "Owner").value = "Owner"
    owner_col = ws.max_column
    ws.cell(2, owner_col, "Dana")
    wb.save(intake)
    export = tmp_path / "linkedin.csv"
    export.write_text(LINKEDIN, encoding="utf-8")
    assert _import(intake, export, "--source", "linkedin-ads").exit_code == 0
    new = openpyxl.load_workbook(tmp_path / "acme-imported.xlsx")
    assert new["My notes"]["A1"].value == "Ask finance about October"
    assert new["Actuals"].cell(1, owner_col).value == "Owner" and new["Actuals"].cell(2, owner_col).value == "Dana"
    assert "Import log" in new.sheetnames


# --- One cell reader: symbols, dates ---------------------------------------------------------------------------


def test_a_dollar_sign_is_read_for_a_usd_intake_and_another_currency_is_refused(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "spend.csv"
    export.write_text("Date,Campaign,Spend\n2026-10-09,Brand,$48.20\n2026-10-10,Brand,€12.00\n", encoding="utf-8")
    result = _import(intake, export, "--channel", "Google Ads")
    assert result.exit_code == 2
    assert 'spend.csv!C3: Spend must be a number, got "€12.00"' in result.output
    assert "C2" not in result.output  # $48.20 is 48.20 in a USD intake


@pytest.mark.slow
def test_an_ambiguous_date_is_refused_and_settled_by_date_format(tmp_path: Path) -> None:
    intake = _intake(tmp_path)
    export = tmp_path / "spend.csv"
    export.write_text("Date,Campaign,Spend\n03/10/2026,Brand,10\n2026-11-03T00:00:00Z,Brand,5\n", encoding="utf-8")
    result = _import(intake, export, "--channel", "Google Ads")
    assert result.exit_code == 2
    assert (
        'spend.csv!A2: Date: the text "03/10/2026" could be day 3 of month 10 or day 10 of month 3; say how the file '
        "writes dates with --date-format MM/DD/YYYY or DD/MM/YYYY"
    ) in result.output.replace("\n  ", " ")
    result = _import(intake, export, "--channel", "Google Ads", "--date-format", "DD/MM/YYYY")
    assert result.exit_code == 0, result.output
    added = _added(tmp_path / "acme-imported.xlsx", "Google Ads").query("Campaign == 'Brand'")
    assert sorted(added["Date"]) == [pd.Timestamp("2026-10-03"), pd.Timestamp("2026-11-03")]
