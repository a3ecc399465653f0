"""A batch on a Dask cluster (``--scheduler``): a real local cluster, the same results as the local process pool."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import distributed  # a test dependency ([test] extra): missing, these tests must fail, not skip
import openpyxl
import pytest
from click.testing import CliRunner

from mops_xl.batch import cluster
from mops_xl.batch.local import build_many, find_intakes
from mops_xl.cli import cli

pytestmark = pytest.mark.slow  # a local Dask cluster per test

ROOT = Path(__file__).resolve().parents[1]
BUSINESSES = {"saas.xlsx": "Cloudlytics", "d2c.xlsx": "Trailhead Goods", "local.xlsx": "Bright Smile Dental"}
#: The bundled samples by name: a report someone built into samples/ is not an intake of this test.
SAMPLES = [ROOT / "samples" / name for name in sorted(BUSINESSES)]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A real local cluster: two worker processes, one thread each."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as lc:
        yield lc.scheduler_address


@pytest.fixture()
def teams(tmp_path: Path) -> Path:
    """The bundled samples and one broken intake, in a folder."""
    inbox = tmp_path / "teams"
    inbox.mkdir()
    for sample in SAMPLES:
        shutil.copy(sample, inbox / sample.name)
    (inbox / "broken.xlsx").write_bytes(b"not a workbook at all")
    return inbox


def rollup(path: Path) -> dict[str, dict[str, Any]]:
    """File → the roll-up row (header → value)."""
    ws = openpyxl.load_workbook(path)["Roll-up"]
    headers = [c.value for c in ws[1]]
    return {r[0]: dict(zip(headers, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)}


def test_cli_builds_a_folder_on_the_cluster_like_the_local_pool(
    teams: Path, tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative paths, as a user types them: the workers get absolute ones
    (tmp_path / "reports").mkdir()
    (tmp_path / "local").mkdir()
    result = CliRunner().invoke(cli, ["build", "teams", "-o", "reports", "--scheduler", scheduler, "--jobs", "1"])
    assert result.exit_code == 2, result.output  # broken.xlsx
    lines = result.stdout.splitlines()
    status = {line.split()[0]: line.split()[1] for line in lines[1:-1]}
    assert status == {"broken.xlsx": "invalid", **{s.name: "built" for s in SAMPLES}}
    assert lines[-1] == f"Wrote the roll-up to {Path('reports') / 'mops-xl-rollup.xlsx'}"
    for sample in SAMPLES:
        report = Path("reports") / f"{sample.stem}-report.xlsx"
        assert f"  {report}" in result.stdout  # the path as given, not the worker's absolute one
        assert openpyxl.load_workbook(report, read_only=True).sheetnames[0] == "Dashboard"
        assert (Path("reports") / f"{sample.stem}-framework.md").is_file()
    assert not (Path("reports") / "broken-report.xlsx").exists()

    on_cluster = rollup(Path("reports") / "mops-xl-rollup.xlsx")
    assert set(on_cluster) == {"broken.xlsx", *BUSINESSES}
    assert {f: row["Business"] for f, row in on_cluster.items() if f != "broken.xlsx"} == BUSINESSES
    assert on_cluster["broken.xlsx"]["Status"] == "invalid"

    local = CliRunner().invoke(cli, ["build", "teams", "-o", "local", "--jobs", "2"])
    assert local.exit_code == 2 and local.stdout.replace("local/", "reports/") == result.stdout
    on_pool = rollup(Path("local") / "mops-xl-rollup.xlsx")
    for row in (*on_cluster.values(), *on_pool.values()):
        row.pop("Report")
    assert on_cluster == on_pool


def test_library_returns_the_local_results_in_order(teams: Path, tmp_path: Path, scheduler: str) -> None:
    sources = find_intakes([teams])
    out_cluster, out_pool = tmp_path / "cluster", tmp_path / "pool"
    out_cluster.mkdir()
    out_pool.mkdir()
    seen: list[str] = []
    on_cluster = build_many(sources, out_cluster, scheduler=scheduler, progress=seen.append)
    on_pool = build_many(sources, out_pool, jobs=2)
    assert [r.source for r in on_cluster] == sources
    assert [r.status for r in on_cluster] == [r.status for r in on_pool] == ["invalid", "built", "built", "built"]
    for c, p in zip(on_cluster, on_pool, strict=False):
        assert (c.errors, c.warnings, c.message, c.document) == (p.errors, p.warnings, p.message, p.document)
        assert {**c.row, "Report": ""} == {**p.row, "Report": ""}
        assert c.report == (None if p.report is None else out_cluster / p.report.name)
    assert seen[0] == f"Connecting to {scheduler}" and seen[-1] == f"Built 3 of 4 on {scheduler}, 1 not built"


def test_a_task_that_raises_fails_that_file_only(
    teams: Path, tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cluster.build_one

    def flaky(source: Path, out_dir: Path | None, options: Any = None) -> Any:
        if source.name == "saas.xlsx":
            raise RuntimeError("worker ran out of memory")  # what build_one never does, e.g. a dead worker
        return real(source, out_dir, options)

    monkeypatch.setattr(cluster, "build_one", flaky)  # a local function: shipped to the workers by value
    results = build_many(find_intakes([teams]), tmp_path, scheduler=scheduler)
    status = {r.source.name: (r.status, r.message) for r in results}
    assert status["saas.xlsx"] == ("failed", "the Dask task failed: RuntimeError: worker ran out of memory")
    assert status["d2c.xlsx"][0] == status["local.xlsx"][0] == "built"
    assert (tmp_path / "d2c-report.xlsx").is_file() and not (tmp_path / "saas-report.xlsx").exists()


def test_one_intake_with_scheduler_is_built_on_the_cluster(tmp_path: Path, scheduler: str) -> None:
    result = CliRunner().invoke(cli, ["build", str(SAMPLES[0]), "-o", str(tmp_path), "--scheduler", scheduler])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"{SAMPLES[0].stem}-report.xlsx").is_file() and (tmp_path / "mops-xl-rollup.xlsx").is_file()
    with_file = CliRunner().invoke(
        cli, ["build", str(SAMPLES[0]), "-o", str(tmp_path / "r.xlsx"), "--scheduler", scheduler]
    )
    assert with_file.exit_code == 2 and "-o must name a folder (e.g. reports/), not a file" in with_file.output


def test_unreachable_scheduler_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    result = CliRunner().invoke(
        cli, ["build", str(SAMPLES[0]), "-o", str(tmp_path), "--scheduler", f"tcp://127.0.0.1:{port}"]
    )
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} within "
        "1 s: is `dask scheduler` running there, and its port open to this machine?"
    ]
    logged = capfd.readouterr().err  # the module's cluster may log on fd 2; this command must add nothing
    assert "Traceback" not in logged and "distributed.client" not in logged
    assert not list(tmp_path.iterdir())


def test_malformed_address_is_one_line_and_exit_2_in_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mops_xl", "build", str(SAMPLES[0]), "-o", str(tmp_path), "--scheduler", "127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "Error: --scheduler 127.0.0.1: not a Dask scheduler address (missing port "
        "number in address '127.0.0.1'); expected e.g. tcp://scheduler-host:8786"
    ]


def test_without_dask_the_error_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now raises ImportError
    monkeypatch.setitem(sys.modules, "dask", None)
    result = CliRunner().invoke(cli, ["build", str(SAMPLES[0]), "-o", str(tmp_path), "--scheduler", "tcp://h:8786"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: --scheduler needs Dask, which is not installed here: pip install 'mops-xl[dask]'"
    ]


def test_importing_mops_xl_does_not_import_dask() -> None:
    code = (
        "import sys, mops_xl, mops_xl.batch.local, mops_xl.batch.cluster, mops_xl.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_workers_are_asked_whether_they_can_build(tmp_path: Path) -> None:
    from mops_xl import __version__

    missing = str(tmp_path / "not-mounted")
    reply = cluster.worker_check([str(tmp_path)], [missing])
    assert reply == {"version": __version__, "cannot": [[missing, "write"]]}
    assert cluster.worker_problem({"tcp://w:1": reply}) == (
        f"Dask worker tcp://w:1 cannot write {missing}: every worker needs the intakes and the output folder at the "
        "same paths (a shared file system)"
    )
    assert cluster.worker_problem({"tcp://w:1": {"version": __version__, "cannot": []}}) == ""
    old = cluster.worker_problem({"tcp://w:1": {"version": "0.0.1", "cannot": []}})
    assert old == (
        f"Dask worker tcp://w:1 runs mops-xl 0.0.1, this machine {__version__}: install the same version everywhere"
    )
    absent = cluster.worker_problem({"tcp://w:1": Exception("ModuleNotFoundError(\"No module named 'mops_xl'\")")})
    assert absent.startswith("Dask worker tcp://w:1 cannot run mops-xl") and absent.endswith(
        "pip install 'mops-xl[dask]' on every worker"
    )
