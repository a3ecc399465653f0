"""Many intakes at once: parallel builds, one failure never stopping the others, the roll-up workbook."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from mops_xl import analyse, load_intake
from mops_xl.cli import cli

pytestmark = pytest.mark.slow  # process pools and several full builds per test

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "clients"
    inbox.mkdir()
    for name in ("saas", "local"):
        shutil.copy(ROOT / "samples" / f"{name}.xlsx", inbox / f"{name}.xlsx")
    (inbox / "broken.xlsx").write_bytes(b"not a workbook at all")
    (inbox / "~$saas.xlsx").write_bytes(b"Excel lock file")  # skipped
    return inbox


def test_folder_build_reports_every_file_and_exits_2_on_any_failure(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["File", "Status", "Errors", "Warnings", "Report", "or", "reason"]
    status = {line.split()[0]: line.split()[1] for line in lines[1:4]}
    assert status == {"broken.xlsx": "invalid", "local.xlsx": "built", "saas.xlsx": "built"}
    # errors and warnings counted apart (issue 27: "Problems" counted the errors of an invalid intake and the
    # warnings of a built one): broken.xlsx has one error (not a workbook), saas.xlsx one warning (the
    # Touchpoints channel "(direct)" is not in Channels), local.xlsx neither
    counts = {line.split()[0]: (line.split()[2], line.split()[3]) for line in lines[1:4]}
    assert counts == {"broken.xlsx": ("1", "0"), "local.xlsx": ("0", "0"), "saas.xlsx": ("0", "1")}
    assert (out / "saas-report.xlsx").is_file() and (out / "local-framework.md").is_file()
    assert f"Wrote the roll-up to {out / 'mops-xl-rollup.xlsx'}" in result.output


def test_rollup_has_one_row_per_business(folder: Path, tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path), "--jobs", "1"])
    ws = openpyxl.load_workbook(tmp_path / "mops-xl-rollup.xlsx")["Roll-up"]
    headers = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"broken.xlsx", "local.xlsx", "saas.xlsx"}
    saas = analyse(load_intake(ROOT / "samples" / "saas.xlsx"))
    got = rows["saas.xlsx"]
    assert got["Business"] == "Cloudlytics" and got["Spend"] == pytest.approx(saas.kpis.loc["Spend", "Actual"])
    assert got["Actions"] == len(saas.top_actions) and got["Headline"] == saas.headline
    # the chance of each business's targets, as its Dashboard says it
    lands = got["Where the period lands"]
    assert lands.startswith("Likely to hit: SQLs (almost certain)") and "Customers (less than 1 in 100)" in lands
    top = saas.top_actions.iloc[0]
    assert got["Top action"] == f"{top['Subject']}: {top['Action']}"
    # the Dashboard's boxes: saas's Targets sheet sets MQLs, SQLs, Customers, CAC, ROAS and LTV:CAC for all channels
    boxes = [part.split(": ")[0] for part in got["KPIs, worst first"].split("; ")]
    assert sorted(boxes) == sorted(["MQLs", "SQLs", "Customers", "CAC", "ROAS", "LTV:CAC"]) == sorted(saas.kpi_boxes)
    assert f"CAC: {saas.kpis.loc['CAC', 'Status']}" in got["KPIs, worst first"]
    # the plan for the rest of the period: saas has 119,500 − 101,429.30 = 18,070.70 left, all of it planned (see
    # tests/test_cli.py, the saas plan CSV); its decisions for leadership are Partner referrals' 6,507.29 and
    # Webinars' 4,008.44 spent outside any budget line and two campaigns with overdue tasks. local has spent
    # £1,969.14 of £1,950: nothing left, nothing planned; its decisions are Facebook Ads' £662 outside any budget
    # line and the New patient offer (7 of 16 tasks due so far overdue).
    assert got["Left to spend"] == pytest.approx(18070.70) and got["Planned rest of period"] == pytest.approx(18070.70)
    assert got["Returned unspent"] == 0 and got["Decisions for leadership"] == 4
    local = rows["local.xlsx"]
    assert (local["Left to spend"], local["Planned rest of period"], local["Returned unspent"]) == (0, 0, 0)
    assert local["Decisions for leadership"] == 2
    assert rows["broken.xlsx"]["Status"] == "invalid"
    # each business's money carries its own currency: saas is in dollars, local (the corner shop) in pounds
    assert (got["Currency"], rows["local.xlsx"]["Currency"]) == ("USD", "GBP")
    formats = {
        r[0].value: (r[headers.index("Spend")].number_format, r[headers.index("CAC")].number_format)
        for r in ws.iter_rows(min_row=2)
    }
    assert formats["saas.xlsx"] == ('"$"#,##0.00', '"$"#,##0.00')
    assert formats["local.xlsx"] == ('"£"#,##0.00', '"£"#,##0.00')
    left = {r[0].value: r[headers.index("Left to spend")].number_format for r in ws.iter_rows(min_row=2)}
    assert (left["saas.xlsx"], left["local.xlsx"]) == ('"$"#,##0.00', '"£"#,##0.00')


def test_several_files_with_json_print_one_array(tmp_path: Path) -> None:
    files = [str(ROOT / "samples" / "local.xlsx"), str(ROOT / "samples" / "d2c.xlsx")]
    result = CliRunner().invoke(cli, ["build", *files, "-o", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [d["status"] for d in doc] == ["built", "built"]
    assert [(d["errors"], d["warnings"]) for d in doc] == [(0, 0), (0, 0)]  # neither sample has a warning
    assert doc[1]["result"]["business"]["Business name"] == "Trailhead Goods"


def test_several_files_need_an_output_folder(tmp_path: Path) -> None:
    files = [str(ROOT / "samples" / "local.xlsx"), str(ROOT / "samples" / "d2c.xlsx")]
    result = CliRunner().invoke(cli, ["build", *files, "-o", str(tmp_path / "one.xlsx")])
    assert result.exit_code == 2 and "-o must name a folder (e.g. reports/), not a file" in result.output
