"""The metric catalogue is the one place a metric is written: a metric added to a copy of it shows up in the
engine, the report (with a formula LibreOffice recalculates to the engine's value), the docs and ``--json``."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from intake_builders import write_valid
from recalculation import ROOT, same_value, value_by_label

from mops_xl import analyse, build_report, load_intake
from mops_xl.analysis.blocks import catalogue
from mops_xl.analysis.blocks.catalogue import CATALOGUE, LOWER, Metric
from mops_xl.analysis.blocks.figure_blocks import RatioOfSums
from mops_xl.analysis.figures.volumes import VOLUMES
from mops_xl.cli import cli
from mops_xl.docs.metrics import END, START, render_metric_table, render_metrics_doc
from mops_xl.intake.schema import TARGET_METRICS
from mops_xl.outputs.json_output import to_dict

#: The metric the tests add: a lower-is-better ratio KPI, also a figure of each channel.
COST_PER_MQL = Metric(
    "Cost per MQL",
    "money",
    expression=RatioOfSums("Spend", "MQLs"),
    definition="Spend ÷ MQLs",
    better=LOWER,
    prorated=False,
    takes_target=False,
    per_channel=True,
)
# The small intake (tests/intake_builders.py), two days: Google Ads 2 × 100 spend and 2 × 4 MQLs, TikTok 2 × 50
# and 2 × 1, Email no spend and 2 × 2 MQLs. Every channel tracks MQLs.
BLENDED = (200 + 100 + 0) / (8 + 2 + 4)  # 300 / 14
PER_CHANNEL = {"Google Ads": 200 / 8, "TikTok": 100 / 2, "Email": 0 / 4}


@pytest.fixture
def with_cost_per_mql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "CATALOGUE", CATALOGUE.with_metric(COST_PER_MQL))


def test_the_intake_takes_targets_for_exactly_the_catalogue_metrics_that_take_one() -> None:
    # the intake stays independent of the metrics: its own list, which must agree with the catalogue
    takes = {m.name for m in CATALOGUE if m.takes_target and m.measures == m.name}
    assert takes == set(TARGET_METRICS)


def test_the_catalogue_sums_every_actuals_volume() -> None:
    assert set(CATALOGUE.volumes) == set(VOLUMES)


def test_a_metric_named_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice: CAC"):
        CATALOGUE.with_metric(COST_PER_MQL).with_metric(CATALOGUE.get("CAC"))


def test_metrics_doc_table_is_generated_from_the_catalogue() -> None:
    page = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert page == render_metrics_doc(page), (
        "docs/metrics.md is stale: run `python -m mops_xl.docs.metrics docs/metrics.md`"
    )
    table = page.split(START, 1)[1].split(END, 1)[0]
    for m in CATALOGUE:
        assert f"\n| {m.name} | " in table


@pytest.mark.slow
def test_an_added_metric_is_computed_by_the_engine_and_in_json(tmp_path: Path, with_cost_per_mql: None) -> None:
    a = analyse(load_intake(write_valid(tmp_path / "in.xlsx")))
    kpi = a.kpis.loc["Cost per MQL"]
    assert kpi["Actual"] == pytest.approx(BLENDED)
    assert kpi["Definition"] == "Spend ÷ MQLs"
    assert kpi["Status"] == "No target" and math.isnan(kpi["Target"])
    assert list(a.kpis.index)[-1] == "Cost per MQL"  # after the shipped KPIs: their cells do not move
    for channel, value in PER_CHANNEL.items():
        assert a.channels.loc[channel, "Cost per MQL"] == pytest.approx(value)
    doc = to_dict(a)
    row = next(r for r in doc["kpis"] if r["Metric"] == "Cost per MQL")
    assert row["Actual"] == pytest.approx(BLENDED)
    assert doc["blended"]["ratios"]["Cost per MQL"] == pytest.approx(BLENDED)
    assert {c["Channel"]: c["Cost per MQL"] for c in doc["channels"]} == pytest.approx(PER_CHANNEL)


def test_an_added_metric_is_in_the_docs_table(with_cost_per_mql: None) -> None:
    row = next(line for line in render_metric_table().splitlines() if line.startswith("| Cost per MQL |"))
    assert "Spend ÷ MQLs; blended: over the channels that track MQLs" in row
    assert "| lower |" in row and "| no MQLs |" in row


@pytest.mark.slow
def test_an_added_metric_is_in_the_cli_json(tmp_path: Path, with_cost_per_mql: None) -> None:
    intake = write_valid(tmp_path / "in.xlsx")
    result = CliRunner().invoke(cli, ["build", str(intake), "--json", "-q", "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert next(r for r in doc["kpis"] if r["Metric"] == "Cost per MQL")["Actual"] == pytest.approx(BLENDED)


@pytest.mark.libreoffice
def test_an_added_metric_is_a_kpi_framework_formula_libreoffice_recalculates(
    tmp_path: Path, with_cost_per_mql: None
) -> None:
    from mops_xl.outputs.libreoffice import recalculate

    intake = load_intake(write_valid(tmp_path / "in.xlsx"))
    built = build_report(intake, tmp_path / "report.xlsx")
    formulas = openpyxl.load_workbook(built)["KPI Framework"]
    row = next(r for r in formulas.iter_rows() if r[0].value == "Cost per MQL")
    actual = row[4]
    text = getattr(actual.value, "text", actual.value)  # a one-cell array formula reads as an ArrayFormula
    assert isinstance(text, str) and text.startswith("=") and "ActualsMQLs" in text
    out = recalculate([built], tmp_path / "recalculated")[0]
    fresh = openpyxl.load_workbook(out, data_only=True)["KPI Framework"]
    assert fresh[actual.coordinate].value == pytest.approx(BLENDED)
    assert same_value(analyse(intake).kpis.loc["Cost per MQL", "Actual"], fresh[actual.coordinate].value)
    assert value_by_label(fresh, "Metric", "Cost per MQL", "Status") == "No target"
