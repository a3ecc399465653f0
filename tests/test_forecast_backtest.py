"""The forecast's back-test (benchmarks/forecast_backtest.py): the figures the forecast room states about itself
match the benchmark's latest results, and, run again on generated histories (slow), the P10–P90 band holds the
outcome 70–90 % of the time and the chances of target score a Brier score below 0.20."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from mops_xl.analysis.forecast import measured
from mops_xl.analysis.forecast.forecasters import SIMULATION

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _backtest_module():
    spec = importlib.util.spec_from_file_location("forecast_backtest", BENCHMARKS / "forecast_backtest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_stated_figures_are_the_benchmarks():
    result = json.loads((BENCHMARKS / "results" / "forecast_backtest.json").read_text(encoding="utf-8"))
    scores = result["scores"][SIMULATION.name]
    got = (measured.COVERAGE, measured.HISTORIES, measured.CUTS, measured.FIGURES, measured.BRIER, measured.MASE)
    exp = (
        round(scores["coverage"], 3),
        result["cases"],
        result["cuts"],
        scores["figures"],
        scores["brier"]["score"],
        scores["mase"],
    )
    assert got == exp
    falling_back = frozenset(kpi for kpi, value in measured.MASE.items() if not value < 1)
    got_fallback = measured.FALLBACK_KPIS
    assert got_fallback == frozenset(result["fallback"]) == falling_back


def test_the_aims_hold_in_the_stated_figures():
    assert 0.70 <= measured.COVERAGE <= 0.90
    assert measured.BRIER < 0.20


@pytest.mark.slow
def test_the_backtest_on_generated_histories():
    backtest = _backtest_module()
    result = backtest.run(generated=16, samples=False)
    scores = result["scores"][SIMULATION.name]
    assert 0.70 <= scores["coverage"] <= 0.90, scores
    assert scores["brier"]["score"] < 0.20
