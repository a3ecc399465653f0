"""The definitions of the judged figures (targets, attainment, status, projection, changes, trend), pandas side
with numbers worked out by hand, and the Excel side written through a plain writer."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from intake_builders import write_valid

from mops_xl import load_intake
from mops_xl.analysis.blocks.statuses import (
    AHEAD,
    AT_RISK,
    NO_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON,
    ON_TRACK,
    OVER,
    UNDER,
)
from mops_xl.analysis.blocks.window import ReportingWindow
from mops_xl.analysis.engine import analyse
from mops_xl.analysis.figures.periods import (
    CHANGE,
    PREVIOUS_PERIOD,
    ROWS_IN,
    TREND_CHANGE,
    TREND_METRIC,
    TREND_WINDOWS,
)
from mops_xl.analysis.figures.targets import (
    ATTAINMENT,
    BLENDED_TARGET,
    CHANNEL_TARGET,
    PRIMARY_TARGET,
    SPEND_STATUS,
    STATUS,
    TARGET_TO_DATE,
    by_primary,
    one_of,
    primary_metrics,
    primary_order,
)

T = pd.Timestamp
CHANNELS = ["Search", "Social", "Email"]
#: Leads has a target on every channel (100 + 200 + 50 = 350), CAC a blended one and one for Search only.
TABLE = {
    ("Leads", "Search"): 100.0,
    ("Leads", "Social"): 200.0,
    ("Leads", "Email"): 50.0,
    ("CAC", None): 90.0,
    ("CAC", "Search"): 120.0,
    ("ROAS", "Social"): 3.0,
    ("Customers", "Search"): 10.0,
}


# --- Targets ----------------------------------------------------------------------------------------------


def test_blended_target_is_the_blank_channel_row() -> None:
    assert BLENDED_TARGET.compute("CAC", TABLE, CHANNELS) == 90.0


def test_blended_volume_target_sums_the_channels_when_every_channel_has_one() -> None:
    assert BLENDED_TARGET.compute("Leads", TABLE, CHANNELS) == 350.0  # 100 + 200 + 50


def test_no_blended_target_when_a_channel_lacks_one_or_the_metric_is_a_ratio() -> None:
    assert BLENDED_TARGET.compute("Customers", TABLE, CHANNELS) is None  # Social and Email have none
    ratio_on_every_channel = {("CPL", ch): 10.0 for ch in CHANNELS}
    assert BLENDED_TARGET.compute("CPL", ratio_on_every_channel, CHANNELS) is None  # a ratio's targets never add


def test_channel_target_is_the_channels_own_row() -> None:
    assert CHANNEL_TARGET.compute(TABLE, "CAC", "Search") == 120.0
    assert math.isnan(CHANNEL_TARGET.compute(TABLE, "CAC", "Email"))  # the blended 90 never counts for a channel


def test_primary_order_and_metrics() -> None:
    assert primary_metrics() == ("ROAS", "CAC", "Leads", "CPL")
    assert primary_order() == (
        "ROAS target, else CAC target, else Expected CAC, else Leads target, else Business ROAS target, "
        "else Business CAC target, else Business CPL target"
    )


@pytest.mark.parametrize(
    ("channel", "expected_cac", "exp"),
    [
        ("Social", 40.0, ("ROAS", 3.0, "ROAS target")),  # a ROAS target comes first
        ("Search", 40.0, ("CAC", 120.0, "CAC target")),  # a CAC target before the Expected CAC
        ("Email", 40.0, ("CAC", 40.0, "Expected CAC")),  # the Expected CAC before a Leads target
        ("Email", math.nan, ("Leads", 50.0, "Leads target")),  # no Expected CAC: the Leads target
        ("Email", None, ("Leads", 50.0, "Leads target")),
        ("Video", None, ("CAC", 90.0, "Business CAC target")),  # none of its own: the business's CAC target
    ],
)
def test_primary_target_takes_the_first_source_the_channel_has(
    channel: str, expected_cac: float | None, exp: tuple[str, float, str] | None
) -> None:
    assert PRIMARY_TARGET.compute(channel, TABLE, expected_cac) == exp


def test_without_any_target_a_channel_is_not_judged() -> None:
    own_only = {k: v for k, v in TABLE.items() if k[1] is not None}
    assert PRIMARY_TARGET.compute("Video", own_only, None) is None
    # the business's ROAS comes before its CAC and CPL
    business = {**own_only, ("CPL", None): 12.0, ("ROAS", None): 4.0}
    assert PRIMARY_TARGET.compute("Video", business, None) == ("ROAS", 4.0, "Business ROAS target")
    assert PRIMARY_TARGET.compute("Video", {("CPL", None): 12.0}, None) == ("CPL", 12.0, "Business CPL target")


def test_target_to_date_prorates_a_volume_only() -> None:
    assert TARGET_TO_DATE.compute("Leads", 310.0, 10, 31) == pytest.approx(100.0)  # 310 × 10 ÷ 31
    assert TARGET_TO_DATE.compute("CAC", 120.0, 10, 31) == 120.0


# --- Attainment and status ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "actual", "target", "exp"),
    [
        ("Leads", 80.0, 100.0, 0.8),  # actual ÷ target
        ("CAC", 150.0, 120.0, 0.8),  # lower is better: target ÷ actual
        ("ROAS", 4.5, 3.0, 1.5),
    ],
)
def test_attainment(metric: str, actual: float, target: float, exp: float) -> None:
    assert ATTAINMENT.compute(metric, actual, target) == pytest.approx(exp)


@pytest.mark.parametrize(
    ("metric", "actual", "target"),
    [("Leads", 80.0, 0.0), ("CAC", 0.0, 120.0), ("Leads", math.nan, 100.0), ("Leads", 80.0, math.nan)],
)
def test_attainment_undefined(metric: str, actual: float, target: float) -> None:
    assert math.isnan(ATTAINMENT.compute(metric, actual, target))


@pytest.mark.parametrize(
    ("att", "exp"),
    [(1.2, AHEAD), (1.19, ON_TRACK), (1.0, ON_TRACK), (0.99, AT_RISK), (0.8, AT_RISK), (0.79, OFF_TRACK)],
)
def test_status_bands(att: float, exp: str) -> None:
    assert STATUS.compute(att, 0.8, 0.2, True, True) == exp  # Underperforming 80 %, High-performer 20 %


def test_status_without_target_or_data() -> None:
    assert STATUS.compute(1.5, 0.8, 0.2, False, True) == NO_TARGET
    assert STATUS.compute(1.5, 0.8, 0.2, True, False) == NO_DATA
    assert STATUS.compute(math.nan, 0.8, 0.2, True, True) == NO_DATA


@pytest.mark.parametrize(
    ("spend", "so_far", "exp"),
    [
        (330.0, 300.0, ON),  # a pace of 1.1 is not above the 1.1 threshold
        (331.0, 300.0, OVER),
        (270.0, 300.0, ON),  # 0.9 is not below 2 − 1.1
        (269.0, 300.0, UNDER),
        (5.0, 0.0, OVER),  # a target to date of 0: anything spent is over
        (0.0, 0.0, ON),
    ],
)
def test_spend_status_is_the_pacing_bands(spend: float, so_far: float, exp: str) -> None:
    assert SPEND_STATUS.compute(1000.0, spend, so_far, 1.1, True) == exp


def test_spend_status_without_target_or_data() -> None:
    assert SPEND_STATUS.compute(None, 331.0, 300.0, 1.1, True) == NO_TARGET
    assert SPEND_STATUS.compute(1000.0, 331.0, 300.0, 1.1, False) == NO_DATA


# --- Periods ----------------------------------------------------------------------------------------------


def test_rows_in_a_window_counts_both_ends() -> None:
    actuals = pd.DataFrame({"Date": [T("2026-10-01"), T("2026-10-02"), T("2026-10-04"), T("2026-10-05")]})
    assert ROWS_IN.compute(actuals, T("2026-10-02"), T("2026-10-04")) == 2


def test_previous_period_needs_actuals_reaching_back_to_its_first_day() -> None:
    window = ReportingWindow(T("2026-10-01"), T("2026-10-31"), T("2026-10-10"))  # previous: Sep 21 to 30
    assert PREVIOUS_PERIOD.compute(pd.DataFrame({"Date": [T("2026-09-21"), T("2026-10-05")]}), window)
    assert not PREVIOUS_PERIOD.compute(pd.DataFrame({"Date": [T("2026-09-22"), T("2026-10-05")]}), window)
    assert not PREVIOUS_PERIOD.compute(pd.DataFrame({"Date": pd.Series([], dtype="datetime64[ns]")}), window)


def test_change_on_the_previous_period() -> None:
    assert CHANGE.compute(120.0, 100.0) == pytest.approx(0.2)
    assert CHANGE.compute(75.0, 100.0) == pytest.approx(-0.25)
    assert math.isnan(CHANGE.compute(120.0, 0.0))
    assert math.isnan(CHANGE.compute(120.0, math.nan))
    assert math.isnan(CHANGE.compute(math.nan, 100.0))


def test_trend_windows() -> None:
    recent, prior = TREND_WINDOWS.compute(T("2026-10-14"), 7)
    assert recent == (T("2026-10-08"), T("2026-10-14"))
    assert prior == (T("2026-10-01"), T("2026-10-07"))


def test_trend_metric_is_the_primary_ratio_else_leads_per_day() -> None:
    sums = pd.DataFrame(
        {"Spend": [300.0, 50.0], "Customers": [3.0, 0.0], "Revenue": [900.0, 0.0], "Leads": [14.0, 7.0]},
        index=["Search", "Social"],
    )
    assert TREND_METRIC.compute(sums, "CAC", 7).iloc[0] == pytest.approx(100.0)  # 300 ÷ 3
    assert math.isnan(TREND_METRIC.compute(sums, "CAC", 7).iloc[1])  # no customers
    assert TREND_METRIC.compute(sums, "ROAS", 7).iloc[0] == pytest.approx(3.0)  # 900 ÷ 300
    assert list(TREND_METRIC.compute(sums, None, 7)) == [2.0, 1.0]  # 14 ÷ 7, 7 ÷ 7


def test_trend_change() -> None:
    assert TREND_CHANGE.compute(110.0, 100.0, 3, 3) == pytest.approx(0.1)
    assert math.isnan(TREND_CHANGE.compute(110.0, 100.0, 3, 0))  # no rows in the prior window
    assert math.isnan(TREND_CHANGE.compute(110.0, 0.0, 3, 3))
    assert math.isnan(TREND_CHANGE.compute(math.nan, 100.0, 3, 3))
    assert math.isnan(TREND_CHANGE.compute(110.0, math.nan, 3, 3))


# --- The Excel side, through a plain writer -------------------------------------------------------------


class _Row:
    """A writer whose cells are named by their figure (e.g. "[Actual]") and whose names are CamelCase."""

    undefined = '"–"'

    def __init__(self, metric: str | None):
        self.metric = metric

    def cell(self, figure: str) -> str:
        return f"[{figure}]"

    def value(self, field: str) -> str:
        return field.title().replace(" ", "").replace("-", "")

    def days(self, which: str) -> str:
        return {"elapsed": "d", "period": "D"}[which]

    def column(self, sheet: str, column: str) -> str:
        return f"{sheet}[{column}]"

    def key(self, sheet: str) -> str:
        return f"{sheet}[key]"

    def channel(self) -> str:
        return "7"

    def window_rows(self) -> str:
        return "Rows"

    def pacing_bands(self, pace: str) -> str:
        return f"BANDS({pace})"


def test_target_to_date_formula_of_a_kpi_and_of_a_channel() -> None:
    assert TARGET_TO_DATE.formula(_Row("Leads")) == 'IF(ISNUMBER([Target]),[Target]*d/D,"–")'
    assert TARGET_TO_DATE.formula(_Row("CAC")) == 'IF(ISNUMBER([Target]),[Target],"–")'
    # a channel's row prorates by its primary metric: only Leads of the primary metrics is a volume
    exp = 'IF(ISNUMBER([Target]),IF([Metric]="Leads",[Target]*d/D,[Target]),"–")'
    assert TARGET_TO_DATE.formula(_Row(None)) == exp


def test_attainment_formula_follows_the_direction() -> None:
    assert ATTAINMENT.formula(_Row("CAC")) == (
        'IF(AND(ISNUMBER([Target to date]),ISNUMBER([Actual])),IF([Actual]>0,[Target to date]/[Actual],"–"),"–")'
    )
    channel = ATTAINMENT.formula(_Row(None))
    # CAC and CPL (a business CPL target judges a channel too) are lower-is-better
    assert 'IF(OR([Metric]="CAC",[Metric]="CPL"),IF([Actual]>0,[Target to date]/[Actual],"–"),' in channel


def test_status_formula_reads_the_thresholds() -> None:
    text = STATUS.formula(_Row("Leads"))
    assert text.startswith('IF(NOT(ISNUMBER([Target])),"No target",')
    assert "[Attainment]>=1+HighPerformerThreshold" in text
    assert "[Attainment]>=UnderperformingThreshold" in text
    assert STATUS.formula(_Row(None)).startswith('IF(NOT([Metric]<>"–"),"No target",')  # a primary metric


def test_primary_metric_formula_tries_the_sources_in_order() -> None:
    text = PRIMARY_TARGET.metric_formula(_Row(None))
    roas = text.index('Targets[Metric],"ROAS",Targets[key],7')
    cac = text.index('Targets[Metric],"CAC",Targets[key],7')
    expected = text.index("ISNUMBER(INDEX(Channels[Expected CAC],MATCH(7,Channels[key],0)))")
    leads = text.index('Targets[Metric],"Leads",Targets[key],7')
    assert roas < cac < expected < leads


def test_by_primary_and_one_of() -> None:
    assert by_primary("M", {"Leads": "L", "ROAS": "R"}, "x") == 'IF(M="ROAS",R,IF(M="Leads",L,x))'
    assert one_of("M", []) == "FALSE"
    assert one_of("M", ["CAC"]) == 'M="CAC"'
    assert one_of("M", ["CAC", "CPL"]) == 'OR(M="CAC",M="CPL")'


def test_change_formula() -> None:
    assert CHANGE.formula(_Row("Leads")) == (
        "IF(AND(ISNUMBER([Actual]),ISNUMBER([Previous period])),"
        'IF([Previous period]<>0,([Actual]-[Previous period])/[Previous period],"–"),"–")'
    )


# --- The engine computes through the definitions ------------------------------------------------------


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory):
    path: Path = write_valid(tmp_path_factory.mktemp("judged") / "valid.xlsx")
    return analyse(load_intake(path))


def test_kpi_table_agrees_with_the_definitions(analysis) -> None:
    for _, k in analysis.kpis.iterrows():
        assert k["Change"] == pytest.approx(CHANGE.compute(k["Actual"], k["Previous period"]), nan_ok=True)


def test_channel_judgement_agrees_with_the_definitions(analysis) -> None:
    # the valid intake: Google Ads has a CAC target of 120; spend 200 for 2 customers is a CAC of 100
    c = analysis.channels.loc["Google Ads"]
    assert (c["Primary metric"], c["Primary target"], c["Primary source"]) == ("CAC", 120.0, "CAC target")
    assert c["Attainment"] == pytest.approx(1.2)  # 120 ÷ 100
    assert c["Status"] == AHEAD  # 1.2 ≥ 1 + the 20 % High-performer threshold
