"""Where the period lands, in the engine and in ``--json``: Analysis.forecast ("if the current pattern continues"),
Analysis.forecast_with_plan (the decisions room runs the forecast with the plan's spend), the ``forecast`` key of
the JSON document, and the Data Note that states the method."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from mops_xl import analyse, load_intake
from mops_xl.analysis.decisions.period_plan import PeriodPlan
from mops_xl.analysis.decisions.plan_forecast import planned_spend_a_day
from mops_xl.analysis.forecast import method_statement
from mops_xl.analysis.result import Analysis
from mops_xl.outputs.json_output import FORECAST_KEYS, JSON_VERSION, forecast_document, to_dict

SAMPLES = ("saas", "d2c", "local")
KPIS = ["Spend", "Leads", "MQLs", "SQLs", "Customers", "Revenue", "CAC", "CPL", "ROAS"]
VOLUMES = KPIS[:6]


@pytest.fixture(scope="module")
def analyses() -> dict[str, Analysis]:
    """Each sample's analysis."""
    return {name: analyse(load_intake(f"samples/{name}.xlsx")) for name in SAMPLES}


@pytest.fixture(scope="module")
def documents(analyses: dict[str, Analysis]) -> dict[str, dict]:
    """Each sample's ``forecast`` key, through a JSON round trip that refuses NaN and infinity."""
    return {name: json.loads(json.dumps(to_dict(a)["forecast"], allow_nan=False)) for name, a in analyses.items()}


def every_row(document: dict) -> list[dict]:
    """The rows of ``kpis``, ``channels`` and ``with_plan``."""
    return document["kpis"] + document["channels"] + document["with_plan"]


def test_the_forecast_key_has_the_issue_s_shape(analyses: dict[str, Analysis], documents: dict[str, dict]) -> None:
    a, doc = analyses["saas"], documents["saas"]
    assert JSON_VERSION == 4
    assert list(doc) == ["as_of", "period_end", "method", "kpis", "channels", "with_plan", "summary", "lines"]
    assert doc["summary"].startswith("Likely to hit: ") and len(doc["lines"]) == len(a.landing)
    assert doc["as_of"] == f"{a.window.as_of:%Y-%m-%d}" and doc["period_end"] == f"{a.window.end:%Y-%m-%d}"
    assert doc["method"] == method_statement()
    assert [row["Metric"] for row in doc["kpis"]] == KPIS
    assert [row["Metric"] for row in doc["with_plan"]] == KPIS
    assert all(list(row) == list(FORECAST_KEYS) for row in doc["kpis"] + doc["with_plan"])
    channels = list(a.intake.channels["Channel"])
    assert len(doc["channels"]) == len(channels) * len(KPIS)
    assert [row["Channel"] for row in doc["channels"][:: len(KPIS)]] == channels
    assert all(list(row) == ["Channel", *FORECAST_KEYS] for row in doc["channels"])


@pytest.mark.parametrize("name", SAMPLES)
def test_figures_are_numbers_or_null_and_chances_are_fractions(documents: dict[str, dict], name: str) -> None:
    for row in every_row(documents[name]):
        for key in ("Actual to date", "P10", "P50", "P90", "Target", "Chance of target"):
            assert row[key] is None or (isinstance(row[key], (int, float)) and math.isfinite(row[key])), (row, key)
        chance = row["Chance of target"]
        if row["Target"] is None:
            assert chance is None, row
        elif row["P50"] is not None:
            assert 0.0 <= chance <= 1.0, row


def test_saas_customers_target_is_out_of_reach(analyses: dict[str, Analysis], documents: dict[str, dict]) -> None:
    """The issue's example: saas has 51 customers after 72 days (0.71 a day) against a target of 90 by 30 Sep;
    20 days left at that pace add about 14, so about 65 is likely and 90 has next to no chance."""
    customers = next(row for row in documents["saas"]["kpis"] if row["Metric"] == "Customers")
    assert customers["Actual to date"] == 51 and customers["Target"] == 90
    assert 58 <= customers["P50"] <= 72
    assert customers["Chance of target"] < 0.01
    assert customers["Actual to date"] == analyses["saas"].blended.volumes["Customers"]


@pytest.mark.parametrize("name", SAMPLES)
def test_low_likely_high_are_in_order_and_volumes_never_fall(documents: dict[str, dict], name: str) -> None:
    for row in every_row(documents[name]):
        low, likely, high = row["P10"], row["P50"], row["P90"]
        if low is not None and likely is not None:
            assert low <= likely, row
        if likely is not None and high is not None:
            assert likely <= high, row
        if row["Metric"] in VOLUMES and row["Actual to date"] is not None:
            assert low >= row["Actual to date"] - 1e-6, row
            if row["Metric"] in ("Leads", "MQLs", "SQLs", "Customers"):
                assert float(low).is_integer() and float(high).is_integer(), row


@pytest.mark.parametrize("name", SAMPLES)
def test_with_the_plan_spend_lands_on_the_plan(analyses: dict[str, Analysis], name: str) -> None:
    """Every channel is in the plan, so the plan's spend for the days left is certain: Low = Likely = High =
    spend to date + the plan's planned rest of period. Each channel's total is rounded to the cent, so the sum
    can be off by half a cent per channel."""
    a = analyses[name]
    spend = a.forecast_with_plan.kpis.set_index("Metric").loc["Spend"]
    expected = float(spend["Actual to date"]) + a.plan.planned
    tolerance = 0.005 * len(a.intake.channels) + 1e-6
    for key in ("P10", "P50", "P90"):
        assert spend[key] == pytest.approx(expected, abs=tolerance)


@pytest.mark.parametrize("name", SAMPLES)
def test_with_the_plan_differs_only_through_spend(analyses: dict[str, Analysis], name: str) -> None:
    """What is known to date and the targets are the same in both scenarios; only the figures ahead move."""
    a = analyses[name]
    now, planned = a.forecast.kpis, a.forecast_with_plan.kpis
    for column in ("Metric", "Actual to date", "Target", "Per day so far", "Per day needed", "Method"):
        pd.testing.assert_series_equal(now[column], planned[column])


def test_a_plan_with_nothing_to_say_gives_the_same_forecast(analyses: dict[str, Analysis]) -> None:
    """With no planned channel, "with the plan" is "if the current pattern continues" (the same seed; the targets
    change the chances only, not the figures)."""
    from mops_xl.analysis.decisions.plan_forecast import forecast_with_plan
    from mops_xl.analysis.forecast import daily_by_channel

    a = analyses["saas"]
    empty = PeriodPlan(a.plan.table.iloc[0:0], 0.0, 0.0, 0.0, 0.0, 0.0)
    channels = list(a.intake.channels["Channel"])
    is_paid = a.intake.channels.set_index("Channel")["Paid"].fillna(False).astype(bool)
    paid = [ch for ch in channels if is_paid[ch]]
    again = forecast_with_plan(daily_by_channel(a.intake.actuals), a.window, None, empty, channels=channels, paid=paid)
    pd.testing.assert_frame_equal(
        again.kpis[["Metric", "P10", "P50", "P90"]], a.forecast.kpis[["Metric", "P10", "P50", "P90"]]
    )


def test_planned_spend_a_day_spreads_each_channel_s_total_over_the_days_left() -> None:
    """300 and 20 planned for the 10 days left: 30 and 2 a day (the forecast reads only the total, so a channel
    planned over fewer days, Social's 4, is spread over all of them); no day left: no plan."""
    table = pd.DataFrame(
        {"Planned rest of period": [300.0, 20.0], "Days planned": [10, 4]},
        index=pd.Index(["Search", "Social"], name="Channel"),
    )
    plan = PeriodPlan(table, 1000.0, 600.0, 400.0, 320.0, 0.0)
    assert planned_spend_a_day(plan, 10) == {"Search": 30.0, "Social": 2.0}
    assert planned_spend_a_day(plan, 0) == {}


def test_two_analyses_give_the_same_forecast() -> None:
    first = to_dict(analyse(load_intake("samples/saas.xlsx")))["forecast"]
    second = to_dict(analyse(load_intake("samples/saas.xlsx")))["forecast"]
    assert json.dumps(first) == json.dumps(second)


def test_an_infinite_ratio_is_null(analyses: dict[str, Analysis]) -> None:
    """CAC's High figure is infinite when a tenth of the paths have no customer: JSON says null."""
    a = analyses["saas"]
    kpis = a.forecast.kpis.copy()
    cac = kpis.index[kpis["Metric"] == "CAC"][0]
    kpis.loc[cac, "P90"] = np.inf
    doc = forecast_document(dataclasses.replace(a.forecast, kpis=kpis), a.forecast_with_plan)
    row = next(r for r in doc["kpis"] if r["Metric"] == "CAC")
    assert row["P90"] is None and row["P50"] == pytest.approx(float(kpis.loc[cac, "P50"]))


@pytest.mark.parametrize("name", SAMPLES)
def test_data_notes_state_the_method_and_its_coverage(analyses: dict[str, Analysis], name: str) -> None:
    notes = [n for n in analyses[name].notes if n["subject"] == "Forecast"]
    assert len(notes) == 1
    assert notes[0]["note"] == method_statement()
    assert "the Low–High range held the period-end figure 79.9% of the time" in notes[0]["note"]
