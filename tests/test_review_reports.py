"""What changed, end to end: the engine's review phase on an intake pair worked by hand, the samples a week apart
(every KPI's drivers add up to its change; the action statuses match the two reports' recommendations), the
snapshot a report carries (also --values-only), and `mops-xl build --previous` (its refusals exit 2 with the
reason; the same two inputs give the same --json changes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_engine import example_data

from mops_xl import build_report, load_intake, write_intake
from mops_xl.analysis.engine import Analysis, analyse
from mops_xl.analysis.review.changes import CHANGED, CLEARED, NEW, PERSISTING
from mops_xl.analysis.review.snapshot import SnapshotError
from mops_xl.cli import cli
from mops_xl.intake.example import intake_data
from mops_xl.outputs.workbook.snapshot_sheet import SHEET, read_snapshot

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("saas", "d2c", "local")


def _week_earlier(data: dict[str, Any]) -> dict[str, Any]:
    """The same intake with Report as of moved back 7 days."""
    data["Business"]["Report as of"] = data["Business"]["Report as of"] - dt.timedelta(days=7)
    return data


@pytest.fixture(scope="module")
def hand_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Analysis, Analysis]:
    """tests/test_engine.py's intake as of Oct 3 and as of Oct 10."""
    folder = tmp_path_factory.mktemp("hand")
    data = example_data()
    data["Business"]["Report as of"] = dt.date(2026, 10, 3)
    before = analyse(load_intake(write_intake(folder / "before.xlsx", data)))
    after = analyse(load_intake(write_intake(folder / "after.xlsx", example_data())), before.snapshot)
    return before, after


def test_the_engine_explains_cac_on_an_intake_pair(hand_pair: tuple[Analysis, Analysis]) -> None:
    """Oct 1-3: Search spent 300 for 3 customers, Social 150 for none, Blog (no spend) none: CAC 450 / 3 = 150.
    Oct 1-10: Search 1,000 and 10, Social 500 and 0, Blog 0 and 1: CAC 1,500 / 11 = 136.36, −13.64.
    R̄ = (150 + 136.36) / 2 = 143.18, D̄ = (3 + 11) / 2 = 7: Search (700 − 143.18 × 7) / 7 = −43.18, Social
    (350 − 0) / 7 = +50 (its customers never come: the largest upward effect), Blog (0 − 143.18 × 1) / 7 = −20.45."""
    before, after = hand_pair
    assert after.changes is not None and before.changes is None
    cac = next(m for m in after.changes.kpis if m.metric == "CAC")
    r_mean = (150 + 1500 / 11) / 2
    assert (cac.before, cac.after) == pytest.approx((150, 1500 / 11))
    effects = {d.driver: d.effect for d in cac.drivers}
    assert effects == pytest.approx({"Search": (700 - r_mean * 7) / 7, "Social": 50, "Blog": -r_mean / 7})
    assert max(cac.drivers, key=lambda d: d.effect).driver == "Social"
    assert (
        cac.sentence
        == "CAC −$13.64: Social +$50.00 (spend +233.3%), Search −$43.18 (spend +233.3%, customers +7), "
        + ("Blog −$20.45 (customers +1)")
    )
    assert after.changes.previous_as_of == "2026-10-03" and after.changes.restated == []
    assert after.changes.definitions == []


@pytest.fixture(scope="module")
def sample_pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Analysis, Analysis]]:
    """Each sample as of a week earlier (written with the project's own writer) and as shipped, compared."""
    folder = tmp_path_factory.mktemp("pairs")
    pairs = {}
    for name in SAMPLES:
        spec = tomllib.loads((ROOT / "samples" / "source" / f"{name}.toml").read_text(encoding="utf-8"))
        before = analyse(load_intake(write_intake(folder / f"{name}-before.xlsx", _week_earlier(intake_data(spec)))))
        pairs[name] = (before, analyse(load_intake(ROOT / "samples" / f"{name}.xlsx"), before.snapshot))
    return pairs


@pytest.mark.parametrize("name", SAMPLES)
def test_drivers_add_up_to_every_kpis_change(sample_pairs: dict[str, tuple[Analysis, Analysis]], name: str) -> None:
    before, after = sample_pairs[name]
    assert after.changes is not None and after.changes.same_period
    split = 0
    for move in after.changes.kpis:
        assert move.before == pytest.approx(before.kpis.loc[move.metric, "Actual"], nan_ok=True)
        assert move.after == pytest.approx(after.kpis.loc[move.metric, "Actual"], nan_ok=True)
        if math.isnan(move.change):
            assert move.drivers == [], move.metric
            continue
        split += 1
        total = math.fsum(d.effect for d in move.drivers)
        scale = max(abs(move.change), abs(move.before), abs(move.after))
        assert abs(total - move.change) <= 1e-9 * scale, (move.metric, total, move.change)
        for d in move.drivers:
            if d.parts:
                assert math.fsum(d.parts.values()) == pytest.approx(d.effect, rel=1e-9, abs=1e-12 * scale)
    assert split >= 10  # most KPIs are defined on both sides


@pytest.mark.parametrize("name", SAMPLES)
def test_action_statuses_match_the_two_reports(sample_pairs: dict[str, tuple[Analysis, Analysis]], name: str) -> None:
    before, after = sample_pairs[name]
    assert after.changes is not None
    was = dict(zip(before.recommendations["Subject"], before.recommendations["Action"], strict=True))
    now = dict(zip(after.recommendations["Subject"], after.recommendations["Action"], strict=True))
    statuses = {a.subject: a.status for a in after.changes.actions}
    assert set(statuses) == set(was) | set(now)
    for subject, status in statuses.items():
        expected = (
            NEW
            if subject not in was
            else CLEARED
            if subject not in now
            else PERSISTING
            if was[subject] == now[subject]
            else CHANGED
        )
        assert status == expected, subject


def test_the_saas_pair_reads_in_one_breath(sample_pairs: dict[str, tuple[Analysis, Analysis]]) -> None:
    """The saas sample a week apart: LinkedIn Ads went from Throttle to Pause, Partner referrals from Scale to Hold."""
    changes = sample_pairs["saas"][1].changes
    assert changes is not None
    assert changes.summary.startswith("Since 3 Sep 2026: CAC ")
    assert (
        "1 new action (LinkedIn Ads: Throttle → Pause), 1 cleared (Partner referrals: Scale → Hold)" in changes.summary
    )
    # the customers of the Actuals rows dated Sep 4 to Sep 10, summed straight from the intake
    actuals = sample_pairs["saas"][1].intake.actuals
    week = actuals[(actuals["Date"] > "2026-09-03") & (actuals["Date"] <= "2026-09-10")]
    customers = next(m for m in changes.kpis if m.metric == "Customers")
    assert customers.change == week["Customers"].sum()


@pytest.mark.parametrize("values_only", [False, True])
def test_a_report_carries_its_snapshot(tmp_path: Path, values_only: bool) -> None:
    intake = load_intake(ROOT / "samples" / "local.xlsx")
    analysis = analyse(intake)
    report = build_report(intake, tmp_path / "report.xlsx", analysis, values_only=values_only)
    before = report.read_bytes()
    assert read_snapshot(report) == analysis.snapshot
    assert report.read_bytes() == before  # reading never writes
    import openpyxl

    wb = openpyxl.load_workbook(report, read_only=True)
    assert wb[SHEET].sheet_state == "veryHidden"
    assert wb.sheetnames[0] != SHEET
    wb.close()
    assert read_snapshot(ROOT / "samples" / "local.xlsx") is None  # an intake has none
    with pytest.raises(SnapshotError, match="not an Excel workbook"):
        read_snapshot(ROOT / "README.md")


def _build(runner: CliRunner, *args: Any) -> Any:
    return runner.invoke(cli, ["build", *map(str, args), "-q"])


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The hand-worked intake as of Oct 3 and Oct 10, and last week's report of each kind."""
    folder = tmp_path_factory.mktemp("cli")
    week = example_data()
    week["Business"]["Report as of"] = dt.date(2026, 10, 3)
    paths = {
        "before": write_intake(folder / "before.xlsx", week),
        "after": write_intake(folder / "after.xlsx", example_data()),
    }
    runner = CliRunner()
    assert _build(runner, paths["before"], "-o", folder / "before-report.xlsx").exit_code == 0
    assert _build(runner, paths["after"], "-o", folder / "after-report.xlsx").exit_code == 0
    paths["before-report"], paths["after-report"] = folder / "before-report.xlsx", folder / "after-report.xlsx"
    intake = load_intake(paths["before"])
    analysis = analyse(intake)
    analysis.snapshot = dataclasses.replace(analysis.snapshot, version=analysis.snapshot.version + 1)
    paths["newer-report"] = build_report(intake, folder / "newer-report.xlsx", analysis)
    other = example_data()
    other["Business"]["Business name"] = "Someone Else"
    paths["other"] = write_intake(folder / "other.xlsx", other)
    euro = example_data()
    euro["Business"]["Currency"] = "EUR"
    paths["euro"] = write_intake(folder / "euro.xlsx", euro)
    return paths


@pytest.mark.parametrize(
    ("intake", "previous", "reason"),
    [
        ("other", "before-report", "it is a report of 'Hand Worked Ltd', and this intake is 'Someone Else'"),
        ("euro", "before-report", "it is in USD, and this intake is in EUR"),
        ("before", "after-report", "it is as of 10 Oct 2026, after this intake's Report as of (3 Oct 2026)"),
        ("after", "newer-report", "newer than this mops-xl reads"),
        ("after", "before", "is not a mops-xl report"),
    ],
)
def test_build_refuses_a_previous_report_it_cannot_compare(
    reports: dict[str, Path], tmp_path: Path, intake: str, previous: str, reason: str
) -> None:
    result = _build(CliRunner(), reports[intake], "-o", tmp_path / "new.xlsx", "--previous", reports[previous])
    assert result.exit_code == 2, result.output
    assert reason in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new.xlsx").exists()


def test_a_report_built_before_snapshots_is_refused_with_how_to_get_one(
    reports: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mops_xl.outputs.workbook import writer

    monkeypatch.setattr(writer, "write_snapshot", lambda wb, snapshot: None)
    old = build_report(load_intake(reports["before"]), tmp_path / "old-report.xlsx")
    result = _build(CliRunner(), reports["after"], "-o", tmp_path / "new.xlsx", "--previous", old)
    assert result.exit_code == 2
    assert "built before mops-xl kept snapshots: rebuild last week's intake with this version" in result.output


def test_the_same_two_inputs_give_the_same_changes(reports: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    documents = []
    for n in (1, 2):
        args = ["build", str(reports["after"]), "-o", str(tmp_path / f"r{n}.xlsx"), "--previous"]
        result = runner.invoke(cli, [*args, str(reports["before-report"]), "--json", "-q"])
        assert result.exit_code == 0, result.output
        documents.append(json.dumps(json.loads(result.stdout)["changes"], ensure_ascii=False))
    assert documents[0] == documents[1]
    changes = json.loads(documents[0])
    assert changes["previous_as_of"] == "2026-10-03"
    cac = next(k for k in changes["kpis"] if k["Metric"] == "CAC")
    assert math.fsum(d["Effect"] for d in cac["Drivers"]) == pytest.approx(cac["Change"], rel=1e-9)
    assert set(cac["Drivers"][0]) == {"Driver", "Effect", "Parts"} and set(cac["Drivers"][0]["Parts"]) == {
        "Spend",
        "Customers",
    }
    plain = runner.invoke(cli, ["build", str(reports["after"]), "-o", str(tmp_path / "r3.xlsx"), "--json", "-q"])
    assert json.loads(plain.stdout)["changes"] is None


def test_a_folder_build_matches_each_intake_by_business(reports: dict[str, Path], tmp_path: Path) -> None:
    """after.xlsx (Hand Worked Ltd) finds last week's report; other.xlsx (Someone Else) finds none and says so."""
    intakes, previous, out = tmp_path / "in", tmp_path / "previous", tmp_path / "out"
    for folder in (intakes, previous, out):
        folder.mkdir()
    for name in ("after", "other"):
        (intakes / f"{name}.xlsx").write_bytes(reports[name].read_bytes())
    (previous / "last-week.xlsx").write_bytes(reports["before-report"].read_bytes())
    runner = CliRunner()
    result = runner.invoke(
        cli, ["build", str(intakes), "-o", str(out), "--previous", str(previous), "-j", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    documents = {Path(d["file"]).name: d for d in json.loads(result.stdout)}
    assert documents["after.xlsx"]["result"]["changes"]["previous_as_of"] == "2026-10-03"
    assert documents["other.xlsx"]["result"]["changes"] is None
    assert documents["other.xlsx"]["message"] == (
        f"no earlier report of Someone Else in {previous}: built without a comparison"
    )
    refused = runner.invoke(cli, ["build", str(intakes), "-o", str(previous), "--previous", str(previous), "-q"])
    assert refused.exit_code == 2 and "would be written into it" in refused.output


def test_the_same_intake_gives_the_same_snapshot_text(reports: dict[str, Path]) -> None:
    """Deterministic: two builds of one intake carry the same JSON text; its daily figures are the Actuals summed
    per date and channel up to Report as of (Oct 10: Search 10 days, Social 10, Blog 10; September's 10 Search
    days before the period too; a field no row of the day gives is None)."""
    first, second = (analyse(load_intake(reports["after"])).snapshot for _ in range(2))
    assert first.to_json() == second.to_json()
    daily = first.daily
    assert len(daily.dates) == 10 * 3 + 10 and daily.dates[0] == "2026-09-21" and daily.dates[-1] == "2026-10-10"
    search = [i for i, ch in enumerate(daily.channels) if ch == "Search" and daily.dates[i] >= "2026-10-01"]
    assert sum(daily.values["Spend"][i] or 0 for i in search) == 1000
    blog = [i for i, ch in enumerate(daily.channels) if ch == "Blog"]
    # Blog gives MQLs on Oct 5 only: the other days are blank (None), not 0
    assert [daily.values["MQLs"][i] for i in blog] == [None] * 4 + [1.0] + [None] * 5
    assert first.kpis["CAC"] == pytest.approx(1500 / 11) and first.volumes["Social"]["Customers"] == 0
