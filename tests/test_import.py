"""mops-xl import: platform exports mapped, validated cell by cell, appended to a new intake."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from intake_builders import write_valid

from mops_xl import load_intake, validate_intake
from mops_xl.cli import cli

GOOGLE = (
    "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n"
    '2026-10-03,Search,"1,200.50",20000,800,40,5000\n2026-10-04,Brand,99.5,1800,70,3,400\n'
)


@pytest.fixture()
def intake(tmp_path: Path) -> Path:
    return write_valid(tmp_path / "acme.xlsx")


def _export(tmp_path: Path, text: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_google_ads_export_is_appended_to_a_new_intake(intake: Path, tmp_path: Path) -> None:
    before = hashlib.sha256(intake.read_bytes()).hexdigest()
    result = CliRunner().invoke(
        cli, ["import", str(intake), "--actuals", str(_export(tmp_path, GOOGLE)), "--source", "google-ads"]
    )
    assert result.exit_code == 0, result.output
    new = load_intake(tmp_path / "acme-imported.xlsx")
    added = new.actuals[new.actuals["Date"] >= "2026-10-03"]
    assert list(added["Channel"]) == ["Google Ads", "Google Ads"]
    assert list(added["Spend"]) == [1200.5, 99.5] and list(added["Leads"]) == [40, 3]
    assert list(added["Revenue"]) == [5000, 400] and len(new.actuals) == 8
    assert hashlib.sha256(intake.read_bytes()).hexdigest() == before


def test_bad_cells_are_named_and_nothing_is_written(intake: Path, tmp_path: Path) -> None:
    bad = GOOGLE.replace("99.5", "lots")
    result = CliRunner().invoke(
        cli, ["import", str(intake), "--actuals", str(_export(tmp_path, bad)), "--source", "google-ads"]
    )
    assert result.exit_code == 2
    assert 'export.csv!C3: Spend must be a number, got "lots"' in result.output
    assert not (tmp_path / "acme-imported.xlsx").exists()


@pytest.mark.slow
def test_generic_export_with_a_mapping_and_an_unknown_channel(intake: Path, tmp_path: Path) -> None:
    csv = _export(tmp_path, "day,cost,leads\n2026-10-03,10,1\n")
    ok = CliRunner().invoke(
        cli,
        [
            "import",
            str(intake),
            "--actuals",
            str(csv),
            "--map",
            "Date=day",
            "--map",
            "Spend=cost",
            "--map",
            "Leads=leads",
            "--channel",
            "TikTok",
            "-o",
            str(tmp_path / "out.xlsx"),
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert load_intake(tmp_path / "out.xlsx").actuals["Spend"].sum() == 300 + 10
    unknown = CliRunner().invoke(
        cli,
        ["import", str(intake), "--actuals", str(csv), "--map", "Date=day", "--map", "Spend=cost", "--channel", "Bing"],
    )
    assert unknown.exit_code == 2
    assert 'channel "Bing" (line 2) is not in the intake\'s Channels' in unknown.output


def test_import_never_writes_over_the_intake(intake: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "import",
            str(intake),
            "--actuals",
            str(_export(tmp_path, GOOGLE)),
            "--source",
            "google-ads",
            "-o",
            str(intake),
        ],
    )
    assert result.exit_code == 2 and "the output path is the intake itself" in result.output


@pytest.mark.slow
def test_campaign_names_keep_their_commas_and_channel_is_required_for_generic(intake: Path, tmp_path: Path) -> None:
    csv = _export(tmp_path, 'day,campaign,cost\n2026-10-03,"Sale, autumn","1,000"\n')
    ok = CliRunner().invoke(
        cli,
        [
            "import",
            str(intake),
            "--actuals",
            str(csv),
            "--map",
            "Date=day",
            "--map",
            "Campaign=campaign",
            "--map",
            "Spend=cost",
            "--channel",
            "TikTok",
        ],
    )
    assert ok.exit_code == 0, ok.output
    rows = load_intake(tmp_path / "acme-imported.xlsx").actuals
    assert rows.loc[rows["Campaign"] == "Sale, autumn", "Spend"].tolist() == [1000.0]
    missing = CliRunner().invoke(
        cli,
        [
            "import",
            str(intake),
            "--actuals",
            str(csv),
            "--map",
            "Date=day",
            "--map",
            "Spend=cost",
            "-o",
            str(tmp_path / "x.xlsx"),
        ],
    )
    assert missing.exit_code == 2 and "say which channel the rows are for" in missing.output


@pytest.mark.slow
def test_imported_actuals_move_a_defaulted_report_date(intake: Path, tmp_path: Path) -> None:
    # The intake leaves Report as of blank: it defaults to its latest Actuals date, Oct 2; the export runs to Oct 4.
    assert load_intake(intake).business["Report as of"] == pd.Timestamp("2026-10-02")
    result = CliRunner().invoke(
        cli, ["import", str(intake), "--actuals", str(_export(tmp_path, GOOGLE)), "--source", "google-ads"]
    )
    assert result.exit_code == 0, result.output
    assert load_intake(tmp_path / "acme-imported.xlsx").business["Report as of"] == pd.Timestamp("2026-10-04")


# --- Touchpoints -------------------------------------------------------------------------------------------

TOUCHES = (
    "visitor,time,source,converted,value\n"
    "v1,2026-10-01 09:15,Google Ads,No,\n"
    'v1,2026-10-02 14:00,Email,Yes,"1,250.50"\n'
    "v2,2026-10-02,TikTok,,\n"
)
TOUCH_MAP = [
    "--map",
    "Journey ID=visitor",
    "--map",
    "Timestamp=time",
    "--map",
    "Channel=source",
    "--map",
    "Converted=converted",
    "--map",
    "Conversion value=value",
]


def _with_touch(data: dict[str, Any]) -> None:
    data["Touchpoints"] = [
        {
            "Journey ID": "v0",
            "Timestamp": dt.datetime(2026, 10, 1, 8, 0),
            "Channel": "Email",
            "Converted": False,
            "Conversion value": 0.0,
        }
    ]


@pytest.fixture()
def touch_intake(tmp_path: Path) -> Path:
    return write_valid(tmp_path / "acme.xlsx", _with_touch)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_touchpoints_are_appended_to_a_new_intake(touch_intake: Path, tmp_path: Path) -> None:
    before = _digest(touch_intake)
    out = tmp_path / "new.xlsx"
    result = CliRunner().invoke(
        cli, ["import", str(touch_intake), "--touchpoints", str(_export(tmp_path, TOUCHES)), *TOUCH_MAP, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Appended 3 rows from export.csv to Touchpoints" in result.output
    assert _digest(touch_intake) == before
    assert validate_intake(out).valid
    touches = load_intake(out).table("Touchpoints")
    # the intake's own touch first, then the export's three in their order
    assert list(touches["Journey ID"]) == ["v0", "v1", "v1", "v2"]
    assert list(touches["Timestamp"]) == [
        pd.Timestamp("2026-10-01 08:00"),
        pd.Timestamp("2026-10-01 09:15"),
        pd.Timestamp("2026-10-02 14:00"),
        pd.Timestamp("2026-10-02 00:00"),
    ]
    assert list(touches["Channel"]) == ["Email", "Google Ads", "Email", "TikTok"]
    assert list(touches["Converted"]) == [False, False, True, False]  # a blank cell takes the default, No
    assert list(touches["Conversion value"]) == [0, 0, 1250.5, 0]  # "1,250.50": the thousands comma dropped
    assert len(load_intake(out).actuals) == 6  # Actuals as they were


@pytest.mark.slow
def test_touchpoint_headers_equal_to_the_columns_need_no_map(intake: Path, tmp_path: Path) -> None:
    csv = _export(
        tmp_path,
        "journey id,TIMESTAMP,Channel,conversion  value,Converted,extra\nj1,2026-10-03 10:00,TikTok,99,yes,ignored\n",
    )
    result = CliRunner().invoke(cli, ["import", str(intake), "--touchpoints", str(csv)])
    assert result.exit_code == 0, result.output
    touches = load_intake(tmp_path / "acme-imported.xlsx").table("Touchpoints")
    assert touches.to_dict("records") == [
        {
            "Journey ID": "j1",
            "Timestamp": pd.Timestamp("2026-10-03 10:00"),
            "Channel": "TikTok",
            "Converted": True,
            "Conversion value": 99.0,
        }
    ]


def test_bad_touchpoint_cells_are_all_named_and_nothing_is_written(touch_intake: Path, tmp_path: Path) -> None:
    bad = (
        "Journey ID,Timestamp,Channel,Converted,Conversion value\n"
        "v1,2026-10-32 09:00,Google Ads,No,0\n"  # B2: there is no October 32
        ",2026-10-02,Email,Yes,12\n"  # A3: no journey
        "v2,2026-10-02,TikTok,maybe,-5\n"  # D4: not Yes/No; E4: negative
        "v3,yesterday,Email,No,lots\n"
    )  # B5: not a date; E5: not a number
    before = _digest(touch_intake)
    result = CliRunner().invoke(cli, ["import", str(touch_intake), "--touchpoints", str(_export(tmp_path, bad))])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    for line in (
        'export.csv!B2: Timestamp must be a date, got "2026-10-32 09:00"',
        "export.csv!A3: Journey ID is required",
        'export.csv!D4: Converted must be Yes or No, got "maybe"',
        "export.csv!E4: Conversion value must be at least 0, got -5",
        "export.csv!B5: Timestamp must be a date",
        'export.csv!E5: Conversion value must be a number, got "lots"',
    ):
        assert line in result.output
    assert "6 errors" in result.output
    assert not (tmp_path / "acme-imported.xlsx").exists()
    assert _digest(touch_intake) == before


@pytest.mark.slow
def test_touchpoint_channels_outside_channels_are_warned_with_a_hint(touch_intake: Path, tmp_path: Path) -> None:
    """As when an intake is validated, a touch may be on a channel outside Channels, e.g. "(direct)": a warning."""
    csv = _export(
        tmp_path,
        "Journey ID,Timestamp,Channel\n"
        "v1,2026-10-01,Gogle Ads\nv1,2026-10-02,(direct)\nv2,2026-10-02,email\nv3,2026-10-03,(direct)\n",
    )
    result = CliRunner().invoke(cli, ["import", str(touch_intake), "--touchpoints", str(csv)])
    assert result.exit_code == 0, result.output
    assert (
        'export.csv!C2: channel "Gogle Ads" (line 2) is not in the intake\'s Channels (did you mean '
        '"Google Ads"?): it is attributed as its own channel'
    ) in result.output
    assert (
        'export.csv!C3: channel "(direct)" (lines 3, 5) is not in the intake\'s Channels: it is attributed'
        in result.output
    )
    assert (
        'export.csv!C4: channel "email" (line 4) is not in the intake\'s Channels (did you mean "Email"? '
        "names must match exactly, including case)" in result.output
    )
    assert "3 warnings" in result.output
    touches = load_intake(tmp_path / "acme-imported.xlsx").table("Touchpoints")
    assert list(touches["Channel"]) == ["Email", "Gogle Ads", "(direct)", "email", "(direct)"]


def test_touchpoints_never_write_over_the_intake(touch_intake: Path, tmp_path: Path) -> None:
    before = _digest(touch_intake)
    result = CliRunner().invoke(
        cli,
        [
            "import",
            str(touch_intake),
            "--touchpoints",
            str(_export(tmp_path, TOUCHES)),
            *TOUCH_MAP,
            "-o",
            str(touch_intake),
        ],
    )
    assert result.exit_code == 2 and "the output path is the intake itself" in result.output
    assert _digest(touch_intake) == before


def test_a_mapped_or_required_column_missing_from_the_export(intake: Path, tmp_path: Path) -> None:
    csv = _export(tmp_path, "visitor,touch_time,source\nv1,2026-10-01,Email\n")
    result = CliRunner().invoke(
        cli,
        ["import", str(intake), "--touchpoints", str(csv), "--map", "Timestamp=touch_tme", "--map", "Channel=source"],
    )  # a typo in the header; Journey ID not mapped
    assert result.exit_code == 2
    assert (
        'export.csv: the export has no column "touch_tme" (--map Timestamp=touch_tme); did you mean "touch_time"?'
    ) in result.output
    assert "export.csv: the export has no column for Journey ID" in result.output  # both at once
    assert not (tmp_path / "acme-imported.xlsx").exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["--touchpoints", "export.csv", "--actuals", "export.csv"], "exactly one of --actuals"),
        ([], "exactly one of --actuals"),
        (["--touchpoints", "export.csv", "--source", "google-ads"], "cannot be imported into Touchpoints"),
        (["--touchpoints", "export.csv", "--map", "Timestmp=time"], 'no column "Timestmp" (did you mean "Timestamp"?)'),
        (["--touchpoints", "export.csv", "--map", "Timestamp"], "expected COLUMN=HEADER"),
    ],
)
def test_command_line_mistakes(intake: Path, tmp_path: Path, args: list[str], message: str) -> None:
    _export(tmp_path, TOUCHES)
    args = [str(tmp_path / a) if a == "export.csv" else a for a in args]
    result = CliRunner().invoke(cli, ["import", str(intake), *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "acme-imported.xlsx").exists()


def test_touchpoints_into_an_intake_with_paths_say_the_paths_are_superseded(tmp_path: Path) -> None:
    def with_paths(data: dict[str, Any]) -> None:
        data["Paths"] = [{"Path": "Google Ads > Email", "Conversions": 3, "Conversion value": 300}]

    intake = write_valid(tmp_path / "acme.xlsx", with_paths)
    result = CliRunner().invoke(
        cli, ["import", str(intake), "--touchpoints", str(_export(tmp_path, TOUCHES)), *TOUCH_MAP]
    )
    assert result.exit_code == 0, result.output
    assert "Paths sheet is no longer used" in result.output


# --- exports as the platforms write them -------------------------------------------------------------------

GOOGLE_REPORT = (
    "Campaign performance\r\n"
    "October 3, 2026 - October 4, 2026\r\n"
    "Day\tCampaign\tCost\tImpr.\tClicks\tConversions\tConv. value\r\n"
    "2026-10-03\tSearch\t1,200.50\t20000\t800\t40\t5000\r\n"
    "2026-10-04\tBrand\t99.5\t1800\t70\t3\t--\r\n"
    "Total: Account\t--\t1,300.00\t21800\t870\t43\t5000\r\n"
    "Total: Search\t--\t1,300.00\t21800\t870\t43\t5000\r\n"
)


def test_google_ads_excel_csv_with_title_lines_and_totals(intake: Path, tmp_path: Path) -> None:
    """Google Ads' "Excel CSV": UTF-16, tabs, a title and a date range above the header, total rows below."""
    path = tmp_path / "google.csv"
    path.write_bytes(GOOGLE_REPORT.encode("utf-16"))  # with its byte-order mark, as Google writes it
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(path), "--source", "google-ads"])
    assert result.exit_code == 0, result.output
    assert (
        "Skipped the 2 lines above the header (a report title) and 2 total rows (line 6, 7) of google.csv"
        in result.output
    )
    new = load_intake(tmp_path / "acme-imported.xlsx")
    added = new.actuals[new.actuals["Date"] >= "2026-10-03"]
    assert list(added["Campaign"]) == ["Search", "Brand"]  # the totals are not rows
    assert list(added["Spend"]) == [1200.5, 99.5]
    assert added["Revenue"].iloc[0] == 5000.0
    assert pd.isna(added["Revenue"].iloc[1])  # "--" is an empty cell: Revenue not given, not 0


def test_a_bad_cell_under_a_title_is_named_by_its_own_line(intake: Path, tmp_path: Path) -> None:
    bad = GOOGLE_REPORT.replace("\t99.5\t", "\tninety\t")
    path = tmp_path / "google.csv"
    path.write_bytes(bad.encode("utf-16"))
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(path), "--source", "google-ads"])
    assert result.exit_code == 2
    assert 'google.csv!C5: Spend must be a number, got "ninety"' in result.output  # line 5 of the file, column C


@pytest.mark.slow
def test_semicolon_csv_from_excel_and_decimal_commas_are_refused_not_misread(intake: Path, tmp_path: Path) -> None:
    """Excel in many countries saves CSV with ";" in Windows-1252; "12,5" is never silently read as 125."""
    text = "Date;Channel;Campaign;Spend;Leads\n2026-10-03;Email;Café;1,250;3\n2026-10-04;Email;Café;12,5;1\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(path)])
    assert result.exit_code == 2
    assert 'excel.csv!D3: Spend must be a number, got "12,5"' in result.output
    assert "D2" not in result.output  # "1,250" is a thousands separator: 1250
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(text.replace("12,5", "12.5").encode("cp1252"))
    result = CliRunner().invoke(cli, ["import", str(intake), "--actuals", str(fixed), "-o", str(tmp_path / "n.xlsx")])
    assert result.exit_code == 0, result.output
    added = load_intake(tmp_path / "n.xlsx").actuals.query("Campaign == 'Café'")
    assert list(added["Spend"]) == [1250.0, 12.5]
