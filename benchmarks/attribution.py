"""Benchmark: attribute 1,000,000 touchpoint rows with every model (seconds, not minutes).

    python benchmarks/attribution.py [rows]

Generates seeded journeys (already read: a DataFrame, as the reader returns it), then times the path
aggregation and each model. Prints one line per stage and the total; not a test (timings live here).
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from mops_xl.analysis.figures.attribution import attribute, journeys_from_touchpoints


def touchpoints(rows: int, seed: int = 1) -> pd.DataFrame:
    """Seeded Touchpoints rows: journeys of 1-6 touches over 8 channels, ~5 % converting."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 7, size=rows // 3)
    lengths = lengths[np.cumsum(lengths) <= rows]
    journey = np.repeat(np.arange(len(lengths)), lengths)
    n = len(journey)
    start = pd.Timestamp("2026-07-01") + pd.to_timedelta(rng.integers(0, 80, size=len(lengths)), unit="D")
    offsets = pd.to_timedelta(rng.integers(0, 20 * 24, size=n), unit="h")
    channels = np.array(["Search", "Social", "Email", "Display", "Video", "Affiliate", "Direct", "Events"])
    last = np.r_[journey[1:] != journey[:-1], True]
    converted = last & (rng.random(n) < 0.05)
    return pd.DataFrame(
        {
            "Journey ID": journey.astype(str),
            "Timestamp": np.asarray(start)[journey] + offsets,
            "Channel": channels[rng.integers(0, len(channels), size=n)],
            "Converted": converted,
            "Conversion value": np.where(converted, rng.uniform(20, 400, size=n).round(2), 0.0),
        }
    )


def main(rows: int) -> None:
    frame = touchpoints(rows)
    t0 = time.perf_counter()
    journeys = journeys_from_touchpoints(frame, 30)
    t1 = time.perf_counter()
    result = attribute(journeys)
    t2 = time.perf_counter()
    print(
        f"rows: {len(frame):,}  distinct paths: {len(journeys.paths):,}  conversions: {journeys.total_conversions:,.0f}"
    )
    print(f"aggregate journeys: {t1 - t0:6.2f} s")
    print(f"all seven models:   {t2 - t1:6.2f} s")
    print(f"total:              {t2 - t0:6.2f} s")
    assert abs(result.conversions["Markov"].sum() - journeys.total_conversions) < 1e-6 * journeys.total_conversions


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
