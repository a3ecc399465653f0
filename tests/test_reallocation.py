"""The guard rails of the plan's moves, worked by hand. (The plan itself and its moves: tests/test_period_plan.py,
tests/test_plan_samples.py.)"""

from __future__ import annotations

import math

import pandas as pd

from mops_xl.analysis.decisions.reallocation import GuardRails, room_in, room_out


def _channel(**kw: object) -> pd.Series:
    base = {
        "Budget for period": 10000.0,
        "Spend": 6000.0,
        "Minimum spend": math.nan,
        "Maximum spend": math.nan,
        "Funnel stage": "Decision",
        "Role": "Capture demand",
    }
    return pd.Series({**base, **kw})


def test_guard_rails() -> None:
    rails = GuardRails(max_shift=0.2)
    # at most 20 % of the 10,000 budget, never more than the 4,000 unspent: 2,000
    assert room_out(_channel(), rails) == 2000
    assert room_out(_channel(Spend=9500.0), rails) == 500  # only 500 unspent
    assert room_out(_channel(**{"Minimum spend": 9000.0}), rails) == 1000  # never below its minimum
    assert room_out(_channel(**{"Funnel stage": "Retention"}), rails) == 0  # brand/retention, no minimum
    assert room_out(_channel(Role="Brand awareness", **{"Minimum spend": 5000.0}), rails) == 2000
    assert room_in(_channel(**{"Maximum spend": 10500.0})) == 500
    assert room_in(_channel(**{"Maximum spend": 9000.0})) == 0
    assert room_in(_channel()) == math.inf
