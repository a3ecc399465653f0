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
            # Google Ads paused after Oct 2: its export's rows of 0 run to Report as of, so it does not lag
            {"Date": D(2026, 10, 10), "Channel": "Google Ads", **dict.fromkeys(_FUNNEL_AND_MONEY, 0)},
            {"Date": D(2026, 10, 12), "Channel": "Newsletter", "Leads": 50},  # after Report as of
        ],
    }


_FUNNEL_AND_MONEY = ("Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue")


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


def test_build_into_missing_folder_creates_it(small: Path, tmp_path: Path) -> None:
    # issue 27: output folders are created, the folders above them too
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(tmp_path / "no" / "such" / "r.xlsx"), "-q"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "no" / "such").iterdir())
    assert written == ["r-framework.md", "r-framework.txt", "r.xlsx"]


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
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(out), "--force"])  # not mops-xl's: --force
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
    _the_small_plan(got)


def _the_small_plan(doc: dict) -> None:
    """The plan of the small intake, worked by hand.

    Budget: Google Ads' one line, 3,100 for Oct 1-31; spend to date 120.5 + 79.5 = 200 (Oct 2), so 2,900 is left
    for the 21 days from Oct 11 to Oct 31. Google Ads spent nothing in the trend window (the 7 days Oct 4-10): its
    current daily spend is 0 and, never having spent in the window, it can spend its remaining 2,900; it has no
    target to be judged by, so it keeps all of it: 2,900 ÷ 21 = 138.095… a day, more than the 0 it spends now:
    Spend to plan. Its expected effect is priced at half its average (diminishing returns): 2 customers and 1,500
    revenue for 200 spend, so 2,900 × 0.5 × 2 / 200 = 14.5 customers and 2,900 × 0.5 × 1,500 / 200 = 10,875
    revenue. Newsletter has no budget and no spend: nothing to plan, and no target: Not enough data.
    """
    assert doc["json_version"] == 4
    plan = doc["plan"]
    totals = {k: plan[k] for k in ("Budget for period", "Spend to date", "Left to spend", "Planned rest of period")}
    assert totals == {
        "Budget for period": 3100,
        "Spend to date": 200,
        "Left to spend": 2900,
        "Planned rest of period": pytest.approx(2900),
    }
    assert plan["Returned unspent"] == 0 and plan["Budget increase needed"] == 0 and plan["Days left"] == 21
    google, newsletter = plan["channels"]
    assert (google["Channel"], google["Action"], google["Remaining budget"]) == ("Google Ads", "Spend to plan", 2900)
    assert google["Current daily spend"] == 0 and google["Planned daily spend"] == pytest.approx(2900 / 21)
    assert google["Planned rest of period"] == pytest.approx(2900)
    assert google["Expected customers change"] == pytest.approx(14.5)
    assert google["Expected revenue change"] == pytest.approx(10875)
    assert (newsletter["Channel"], newsletter["Action"], newsletter["Planned rest of period"]) == (
        "Newsletter",
        "Not enough data",
        0,
    )
    assert plan["moves"] == [] and doc["decisions_needed"] == []
    # the recommendations carry the same plan under the same names; no "All channels" row, no projected overspend
    rec = {r["Subject"]: r for r in doc["recommendations"]}
    assert set(rec) == {"Google Ads", "Newsletter"}
    assert rec["Google Ads"]["Planned daily spend"] == pytest.approx(2900 / 21)
    assert rec["Google Ads"]["Money at stake"] == pytest.approx(2900)  # 2,900 planned − 0 a day now × 21 days
    assert rec["Google Ads"]["Money at stake is"] == "Change in spend to period end"
    assert "Projected overspend" not in rec["Google Ads"] and "Budget asked" not in rec["Google Ads"]


def test_build_prints_the_plan_and_the_decisions_for_leadership(small: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # 3,100 budget − 200 spent = 2,900 left for Oct 11-31, all planned for Google Ads (see _the_small_plan)
    assert (
        "Plan for the rest of the period: 21 days left: $2,900 left to spend ($3,100 budget − $200 spent); "
        "$2,900 planned, $0 returned unspent"
    ) in lines
    assert "Decisions for leadership: none." in lines
    assert "  1. Google Ads: Spend to plan (change in spend to period end $2,900)" in lines


def _plan_rows(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_plan_csv_spreads_each_channels_plan_over_the_days_left(small: Path, tmp_path: Path) -> None:
    from decimal import Decimal

    out = tmp_path / "plan.csv"
    result = CliRunner().invoke(cli, ["build", str(small), "-o", str(tmp_path / "r.xlsx"), "--plan-csv", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote the plan for the rest of the period to {out} (21 rows)" in result.output
    header, *rows = _plan_rows(out)
    assert header == ["Channel", "Date", "Planned spend"]
    # Google Ads plans 2,900 over the 21 days Oct 11-31 (see _the_small_plan); Newsletter plans nothing: no rows.
    # 290,000 cents ÷ 21 = 13,809.52…: 290,000 − 21 × 13,809 = 11 days of 138.10 and 10 of 138.09, spread evenly.
    assert [r[0] for r in rows] == ["Google Ads"] * 21
    assert [r[1] for r in rows] == [f"2026-10-{d}" for d in range(11, 32)]
    amounts = [Decimal(r[2]) for r in rows]
    assert sum(amounts) == Decimal("2900.00")
    assert amounts.count(Decimal("138.10")) == 11 and amounts.count(Decimal("138.09")) == 10
    assert all(len(r[2].split(".")[1]) == 2 for r in rows)


@pytest.mark.slow  # a full build of the saas sample
def test_plan_csv_of_the_saas_sample_adds_up_to_the_plan(tmp_path: Path) -> None:
    from decimal import Decimal

    from mops_xl import analyse, load_intake

    out = tmp_path / "saas-plan.csv"
    saas = Path(__file__).resolve().parents[1] / "samples" / "saas.xlsx"
    result = CliRunner().invoke(cli, ["build", str(saas), "-o", str(tmp_path / "r.xlsx"), "--plan-csv", str(out)])
    assert result.exit_code == 0, result.output
    _, *rows = _plan_rows(out)
    # Report as of Sep 10, Period end Sep 30: the 20 days Sep 11-30. Left to spend = 119,500 (Google Ads 52,000 +
    # LinkedIn Ads 55,000 + Webinars 12,500) − 101,429.30 spent = 18,070.70. Over the trend window (Sep 4-10)
    # Google Ads' best day was 642.81 and Webinars' 169.25: each can spend that × 20 = 12,856.20 and 3,385.00, less
    # than its remaining budget (13,927.16 and 3,639.91). LinkedIn Ads (51.1% of target) gives its remaining
    # 7,011 and pauses. The rest, 18,070.70 − 12,856.20 − 3,385.00 = 1,829.50, goes to Partner referrals (ROAS 7.3:1
    # against the business's 4.0:1 target), 91.475 a day: 91.48 and 91.47 in turn, to the cent.
    exp = {"Google Ads": Decimal("12856.20"), "Webinars": Decimal("3385.00"), "Partner referrals": Decimal("1829.50")}
    got: dict[str, Decimal] = {}
    for channel, _date, amount in rows:
        got[channel] = got.get(channel, Decimal(0)) + Decimal(amount)
    assert got == exp
    dates = {r[1] for r in rows}
    assert sorted(dates) == [f"2026-09-{d}" for d in range(11, 31)] and len(rows) == 3 * 20
    assert {r[2] for r in rows if r[0] == "Google Ads"} == {"642.81"}  # 12,856.20 ÷ 20
    assert {r[2] for r in rows if r[0] == "Partner referrals"} == {"91.48", "91.47"}
    # the same as the plan the engine made, channel by channel
    plan = analyse(load_intake(saas)).plan.table["Planned rest of period"]
    assert {ch: round(float(v), 2) for ch, v in plan.items() if v > 0} == {ch: float(v) for ch, v in exp.items()}
    best = {"Google Ads": 642.81, "Webinars": 169.25}  # checked against the intake's Actuals, Sep 4-10
    actuals = load_intake(saas).actuals
    window = actuals[(actuals["Date"] >= "2026-09-04") & (actuals["Date"] <= "2026-09-10")]
    days = window.groupby(["Channel", "Date"])["Spend"].sum().groupby(level="Channel").max()
    assert {ch: round(float(days[ch]), 2) for ch in best} == best


def test_plan_csv_is_refused_for_a_batch_and_for_a_bad_path(small: Path, tmp_path: Path) -> None:
    other = write_intake(tmp_path / "other.xlsx", _small_data())
    out = tmp_path / "reports"
    out.mkdir()
    batch = CliRunner().invoke(
        cli, ["build", str(small), str(other), "-o", str(out), "--plan-csv", str(tmp_path / "p.csv")]
    )
    assert batch.exit_code == 2
    assert "--plan-csv writes the plan of one intake" in batch.output
    folder = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(out), "--plan-csv", str(tmp_path / "p.csv")])
    assert folder.exit_code == 2 and "--plan-csv writes the plan of one intake" in folder.output
    not_csv = CliRunner().invoke(cli, ["build", str(small), "-o", str(out), "--plan-csv", str(tmp_path / "p.xlsx")])
    assert not_csv.exit_code == 2 and "give --plan-csv a name ending in .csv" in not_csv.output
    missing = tmp_path / "no" / "plan.csv"
    nowhere = CliRunner().invoke(cli, ["build", str(small), "-o", str(out), "--plan-csv", str(missing)])
    assert nowhere.exit_code == 2 and "the folder for --plan-csv does not exist" in nowhere.output
    # refused before anything is built: no report, no framework, no plan
    assert list(out.iterdir()) == [] and not (tmp_path / "p.csv").exists()


@pytest.mark.slow
def test_build_prints_the_kpi_boxes(small: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(small)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.split()[:2] == ["CAC", "$100"] for line in lines)
    assert any(line.split()[:2] == ["ROAS", "7.5:1"] for line in lines)
