"""The command line, through click's CliRunner: exit codes, messages, outputs, and the input left alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from mops_xl import OutputError, __version__, write_intake
from mops_xl.cli import cli

D = dt.date


def _small_data() -> dict:
    """A tiny valid intake: two channels, three Actuals rows (two of them for one date/channel/campaign)."""
    return {
        "Business": {
            "Business name": "Acme Analytics",
            "Period start": D(2026, 10, 1),
            "Period end": D(2026, 10, 31),
            "Report as of": D(2026, 10, 10),
        },
        "Channels": [{"Channel": "Google Ads", "Paid": True}, {"Channel": "Newsletter", "Paid": False}],
        "Budget": [
            {
                "Channel": "Google Ads",
                "Period start": D(2026, 10, 1),
                "Period end": D(2026, 10, 31),
                "Planned spend": 3100,
            }
        ],
        "Actuals": [
            {
                "Date": D(2026, 10, 2),
                "Channel": "Google Ads",
                "Campaign": '=HYPERLINK("http://x","click")',
                "Spend": 120.5,
                "Leads": 12,
                "MQLs": 6,
                "SQLs": 3,
                "Customers": 1,
                "Revenue": 900,
            },
            {
                "Date": D(2026, 10, 2),
                "Channel": "Google Ads",
                "Campaign": '=HYPERLINK("http://x","click")',
                "Spend": 79.5,
                "Leads": 8,
                "MQLs": 4,
                "SQLs": 2,
                "Customers": 1,
                "Revenue": 600,
            },
            {"Date": D(2026, 10, 3), "Channel": "Newsletter", "Leads": 5, "MQLs": 1},
            {"Date": D(2026, 10, 12), "Channel": "Newsletter", "Leads": 50},  # after Report as of
        ],
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    return write_intake(tmp_path / "acme.xlsx", _small_data())


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    data = _small_data()
    data["Actuals"][0]["Spend"] = "twelve"
    data["Budget"][0]["Channel"] = "google ads"
    return write_intake(tmp_path / "broken.xlsx", data)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"mops-xl, version {__version__}"


def test_init_writes_a_blank_intake_and_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "new.xlsx"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).sheetnames[:3] == ["Instructions", "Business", "Settings"]
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert runner.invoke(cli, ["init", "--force", str(target)]).exit_code == 0


def test_init_default_path_is_intake_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    assert (tmp_path / "intake.xlsx").is_file()


@pytest.mark.slow
def test_example_validates_and_builds(tmp_path: Path) -> None:
    runner = CliRunner()
    example = tmp_path / "example.xlsx"
    assert runner.invoke(cli, ["init", "--example", str(example)]).exit_code == 0
    validated = runner.invoke(cli, ["validate", str(example)])
    assert validated.exit_code == 0, validated.output
    built = runner.invoke(cli, ["build", str(example)])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "example-report.xlsx").is_file()


def test_validate_valid_intake_exits_0(small: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(small)])
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1].startswith("acme.xlsx: valid — 0 errors")


def test_validate_lists_every_error_with_its_cell_and_exits_2(broken: Path) -> None:
    before = _digest(broken)
    result = CliRunner().invoke(cli, ["validate", str(broken)])
    assert result.exit_code == 2
    assert 'Actuals!D2: Spend must be a number, got "twelve"' in result.output
    assert (
        'Budget!A2: channel "google ads" is not in Channels (did you mean "Google Ads"? names must match '
        "exactly, including case)"
    ) in result.output
    assert "Traceback" not in result.output
    assert _digest(broken) == before


def test_validate_json_lists_the_same_problems(broken: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--json", str(broken)])
    assert result.exit_code == 2
    doc = json.loads(result.output)
    assert doc["valid"] is False
    got = {(p["code"], p["sheet"], p["cell"]) for p in doc["problems"] if p["severity"] == "error"}
    assert got == {("type-error", "Actuals", "D2"), ("case-mismatch", "Budget", "A2")}
    assert set(doc["problems"][0]) == {"code", "severity", "sheet", "row", "column", "cell", "message", "channel"}


def test_validate_missing_file_and_not_a_workbook_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["validate", str(tmp_path / "nope.xlsx")])
    assert missing.exit_code == 2
    assert "nope.xlsx: no such file" in missing.output
    csv = tmp_path / "actuals.csv"
    csv.write_text("Date,Channel,Spend\n2026-10-01,Google Ads,12\n")
    result = runner.invoke(cli, ["validate", str(csv)])
    assert result.exit_code == 2
    assert "this is a text/CSV file, not an .xlsx workbook" in result.output


def test_unknown_option_is_a_usage_error_exit_2(small: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--frobnicate", str(small)])
    assert result.exit_code == 2


def test_build_writes_channel_performance_beside_the_intake(small: Path) -> None:
    before = _digest(small)
    result = CliRunner().invoke(cli, ["build", str(small)])
    assert result.exit_code == 0, result.output
    out = small.with_name("acme-report.xlsx")
    assert f"Wrote report to {out}" in result.output
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb["Channel Performance"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = [r[:7] for r in rows].index(("Channel", "Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue"))
    # By hand: Google Ads = 120.5 + 79.5 spend, 12 + 8 leads, 6 + 4 MQLs, 3 + 2 SQLs, 1 + 1 customers,
    # 900 + 600 revenue; Newsletter = 5 leads, 1 MQL by Oct 10 (the 50 leads of Oct 12 are after Report as of),
    # blank Spend is 0, and no Newsletter row gives SQLs, Customers or Revenue: not tracked, not 0.
    assert rows[header + 1][:7] == ("Google Ads", 200, 20, 10, 5, 2, 1500)
    assert rows[header + 2][:7] == ("Newsletter", 0, 5, 1, "Not tracked", "Not tracked", "Not tracked")
    assert _digest(small) == before


@pytest.mark.slow
def test_build_keeps_intake_text_as_text(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    assert CliRunner().invoke(cli, ["build", str(small), "-o", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out)["Actuals"]
    cell = ws["C2"]
    assert cell.value == '=HYPERLINK("http://x","click")'
    assert cell.data_type == "s"
    assert not ws._hyperlinks


def test_build_with_errors_exits_2_and_writes_nothing(broken: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(broken)])
    assert result.exit_code == 2
    assert 'Actuals!D2: Spend must be a number, got "twelve"' in result.output
    assert not broken.with_name("broken-report.xlsx").exists()


def test_build_refuses_to_overwrite_the_intake(small: Path) -> None:
    before = _digest(small)
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(small)])
    assert result.exit_code == 2
    assert "the output path is the intake itself" in result.output
    assert _digest(small) == before


def test_build_into_an_existing_folder_names_the_report_there(small: Path, tmp_path: Path) -> None:
    # -o naming a folder, as for several intakes: the report takes its default name inside it
    folder = tmp_path / "reports"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(folder), "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["acme-framework.md", "acme-framework.txt", "acme-report.xlsx"]
    assert not small.with_name("acme-report.xlsx").exists()


def test_build_into_missing_folder_exits_2(small: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(tmp_path / "no" / "such" / "r.xlsx")])
    assert result.exit_code == 2
    assert "the output folder does not exist" in result.output


def test_build_into_read_only_folder_exits_2(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    real_access = os.access
    if os.geteuid() == 0:  # root may write anywhere: make the folder refuse as it would refuse anyone else
        monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode))
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(folder / "r.xlsx")])
    assert result.exit_code == 2
    assert result.output.strip().endswith("the output folder is not writable")
    assert "Traceback" not in result.output and list(folder.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() to drop privileges")
def test_read_only_folder_is_refused_for_a_real_unprivileged_user(tmp_path: Path) -> None:
    """The same refusal with real permissions: as root, a forked child drops to `nobody` first."""
    from mops_xl.atomic import atomic_output
    from mops_xl.outputs.workbook.writer import check_output_path

    folder = Path(tempfile.mkdtemp(prefix="mops-ro-"))  # /tmp itself, so that `nobody` can reach it
    try:
        folder.chmod(0o555)
        pid = os.fork()
        if pid == 0:  # the child: report through its exit status, never return into pytest
            code = 0
            try:
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                for attempt in (
                    lambda: check_output_path(folder / "r.xlsx", folder / "in.xlsx"),
                    lambda: atomic_output(folder / "r.xlsx").__enter__(),
                ):
                    try:
                        attempt()
                        code += 10  # not refused
                    except OutputError as exc:
                        code += 0 if str(exc).startswith(str(folder)) else 1
            except BaseException:
                code = 99
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
        folder.rmdir()


def test_failed_write_leaves_no_partial_report(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"previous report")

    def explode(self: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("mops_xl.outputs.workbook.writer.ReportWriter.write", explode)
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(out)])
    assert result.exit_code == 1
    assert "unexpected failure (RuntimeError: disk on fire)" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.slow
def test_quiet_build_prints_nothing(small: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--quiet", str(small)])
    assert result.exit_code == 0
    assert result.output == ""


def test_build_json_is_the_library_result(small: Path, tmp_path: Path) -> None:
    from mops_xl import analyse, load_intake
    from mops_xl.outputs.json_output import to_dict

    result = CliRunner().invoke(cli, ["build", "--json", str(small), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    exp = json.loads(json.dumps(to_dict(analyse(load_intake(small)))))
    assert got == exp
    assert got["window"]["report_as_of"] == "2026-10-10"
    kpi = {k["Metric"]: k for k in got["kpis"]}
    assert kpi["Customers"]["Actual"] == 2
    assert kpi["CAC"]["Actual"] == 100  # 200 / 2
    assert kpi["ROAS"]["Actual"] == 7.5  # 1500 / 200, Google Ads is the only paid channel
    newsletter = next(c for c in got["channels"] if c["Channel"] == "Newsletter")
    assert newsletter["CAC"] is None
    assert newsletter["undefined"]["CAC"] == "not tracked: every Actuals row of Newsletter leaves Customers blank"


@pytest.mark.slow
def test_build_prints_the_kpi_boxes(small: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(small)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.split()[:2] == ["CAC", "$100"] for line in lines)
    assert any(line.split()[:2] == ["ROAS", "7.5:1"] for line in lines)
