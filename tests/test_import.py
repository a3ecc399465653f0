"""mops-xl import: platform exports mapped, validated cell by cell, appended to a new intake."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from intake_builders import write_valid
from mops_xl import load_intake
from mops_xl.cli import cli

GOOGLE = "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n" \
         '2026-10-03,Search,"1,200.50",20000,800,40,5000\n2026-10-04,Brand,99.5,1800,70,3,400\n'


@pytest.fixture()
def intake(tmp_path: Path) -> Path:
    return write_valid(tmp_path / "acme.xlsx")


def _export(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_google_ads_export_is_appended_to_a_new_intake(intake: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(intake.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(_export(tmp_path, GOOGLE)),
                                      "--source", "google-ads"])
    assert result.exit_code == 0, result.output
    new = load_intake(tmp_path / "acme-imported.xlsx")
    added = new.actuals[new.actuals["Date"] >= "2026-10-03"]
    assert list(added["Channel"]) == ["Google Ads", "Google Ads"]
    assert list(added["Spend"]) == [1200.5, 99.5] and list(added["Leads"]) == [40, 3]
    assert list(added["Revenue"]) == [5000, 400] and len(new.actuals) == 8
    assert hashlib.sha256(intake.read_bytes()).hexdigest() == before


def test_bad_cells_are_named_and_nothing_is_written(intake: Path, tmp_path: Path) -> None:
    bad = GOOGLE.replace("99.5", "lots")
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(_export(tmp_path, bad)),
                                      "--source", "google-ads"])
    assert result.exit_code == 2
    assert 'export.csv!C3: Spend must be a number, got "lots"' in result.output
    assert not (tmp_path / "acme-imported.xlsx").exists()


def test_generic_export_with_a_mapping_and_an_unknown_channel(intake: Path, tmp_path: Path) -> None:
    csv = _export(tmp_path, "day,cost,leads\n2026-10-03,10,1\n")
    ok = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(csv), "--map", "Date=day", "--map",
                                  "Spend=cost", "--map", "Leads=leads", "--channel", "TikTok", "-o",
                                  str(tmp_path / "out.xlsx")])
    assert ok.exit_code == 0, ok.output
    assert load_intake(tmp_path / "out.xlsx").actuals["Spend"].sum() == 300 + 10
    unknown = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(csv), "--map", "Date=day",
                                       "--map", "Spend=cost", "--channel", "Bing"])
    assert unknown.exit_code == 2
    assert 'channel "Bing" (line 2) is not in the intake\'s Channels' in unknown.output


def test_import_never_writes_over_the_intake(intake: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(_export(tmp_path, GOOGLE)),
                                      "--source", "google-ads", "-o", str(intake)])
    assert result.exit_code == 2 and "the output path is the intake itself" in result.output


def test_campaign_names_keep_their_commas_and_channel_is_required_for_generic(intake: Path, tmp_path: Path) -> None:
    csv = _export(tmp_path, 'day,campaign,cost\n2026-10-03,"Sale, autumn","1,000"\n')
    ok = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(csv), "--map", "Date=day", "--map",
                                  "Campaign=campaign", "--map", "Spend=cost", "--channel", "TikTok"])
    assert ok.exit_code == 0, ok.output
    rows = load_intake(tmp_path / "acme-imported.xlsx").actuals
    assert rows.loc[rows["Campaign"] == "Sale, autumn", "Spend"].tolist() == [1000.0]
    missing = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(csv), "--map", "Date=day", "--map",
                                       "Spend=cost", "-o", str(tmp_path / "x.xlsx")])
    assert missing.exit_code == 2 and "say which channel the rows are for" in missing.output
