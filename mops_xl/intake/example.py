"""Realistic intake data generated from a compact, readable spec (the samples, the example, benchmarks).

A spec is a dict (usually read from TOML, see ``samples/source/*.toml`` and ``mops_xl/intake/example.toml``)
whose Business, Settings and small table sheets are given as they are, while Actuals, Touchpoints and Paths
are generated day by day from per-channel funnel parameters with a seeded random generator: the same spec
always gives the same data.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from typing import Any

import numpy as np

from mops_xl.intake.schema import ASSESSMENT

#: Spec keys copied through to the table sheet of the same name.
_TABLES = {
    "budget": "Budget",
    "targets": "Targets",
    "stack": "Stack",
    "integrations": "Integrations",
    "campaigns": "Campaigns",
    "experiments": "Experiments",
    "team": "Team",
    "cadence": "Cadence",
}


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def daily_actuals(channel: str, days: list[dt.date], gen: dict[str, Any], rng: np.random.Generator) -> list[dict]:
    """Generate Actuals rows for one channel from its funnel parameters.

    Args:
        channel: The channel name.
        days: The dates to generate.
        gen: Parameters: ``spend`` (per day), ``cpm`` (paid) or ``impressions`` (per day, organic), ``ctr``,
            ``click_to_lead``, ``lead_to_mql``, ``mql_to_sql``, ``sql_to_customer``, ``revenue_per_customer``,
            optional ``growth`` (relative change per 30 days), ``weekend`` (weekend activity factor), ``noise``
            (day-to-day spread), ``campaigns`` (list of ``[name, share]``), ``split_rows`` (ad-set rows per
            campaign and day, which the reader sums), ``from`` / ``until`` (active dates), ``changes`` (list of
            ``[date, factor]`` applied to spend from that date).
        rng: The random generator.

    Returns:
        Row dicts with the Actuals columns; counts respect Leads ≥ MQLs ≥ SQLs ≥ Customers in every row.
    """
    campaigns = gen.get("campaigns") or [[None, 1.0]]
    split = int(gen.get("split_rows", 1))
    first, last = gen.get("from", days[0]), gen.get("until", days[-1])
    rows = []
    for day in days:
        if not first <= day <= last:
            continue
        level = (1 + gen.get("growth", 0.0)) ** ((day - days[0]).days / 30)
        if day.weekday() >= 5:
            level *= gen.get("weekend", 1.0)
        for since, factor in gen.get("changes", []):
            if day >= since:
                level *= factor
        for name, share in campaigns:
            for _ in range(split):
                scale = level * share / split * rng.lognormal(0, gen.get("noise", 0.15))
                rows.append(_funnel_row(day, channel, name, gen, scale, rng))
    return rows


def _funnel_row(
    day: dt.date, channel: str, campaign: str | None, gen: dict[str, Any], scale: float, rng: np.random.Generator
) -> dict[str, Any]:
    spend = round(gen.get("spend", 0.0) * scale, 2)
    if gen.get("cpm"):
        impressions = int(spend / gen["cpm"] * 1000)
    else:
        impressions = int(rng.poisson(gen.get("impressions", 0) * scale))
    clicks = int(rng.binomial(impressions, gen.get("ctr", 0.0)))
    leads = int(rng.binomial(clicks, gen.get("click_to_lead", 0.0)))
    mqls = int(rng.binomial(leads, gen.get("lead_to_mql", 0.0)))
    sqls = int(rng.binomial(mqls, gen.get("mql_to_sql", 0.0)))
    customers = int(rng.binomial(sqls, gen.get("sql_to_customer", 0.0)))
    per_customer = gen.get("revenue_per_customer", 0.0)
    revenue = round(sum(per_customer * rng.uniform(0.6, 1.4) for _ in range(customers)), 2)
    return {
        "Date": day,
        "Channel": channel,
        "Campaign": campaign,
        "Spend": spend,
        "Impressions": impressions,
        "Clicks": clicks,
        "Leads": leads,
        "MQLs": mqls,
        "SQLs": sqls,
        "Customers": customers,
        "Revenue": revenue,
    }


def _journey_paths(spec: dict[str, Any], rng: np.random.Generator) -> list[tuple[list[str], bool, float]]:
    names = [c for c, _ in spec["channels"]]
    weights = np.array([w for _, w in spec["channels"]], dtype=float)
    weights /= weights.sum()
    out = []
    for _ in range(int(spec["journeys"])):
        touches = int(rng.integers(1, int(spec.get("max_touches", 5)) + 1))
        path = [names[i] for i in rng.choice(len(names), size=touches, p=weights)]
        boost = sum(spec.get("lift", {}).get(ch, 0.0) for ch in set(path))
        converted = bool(rng.random() < min(spec["conversion_rate"] * (1 + boost) * (0.7 + 0.15 * touches), 0.95))
        value = round(spec.get("value", 0.0) * rng.uniform(0.5, 1.5), 2) if converted else 0.0
        out.append((path, converted, value))
    return out


def touchpoints(spec: dict[str, Any], rng: np.random.Generator) -> list[dict[str, Any]]:
    """Generate Touchpoints rows: journeys of 1..max_touches touches, converting on the last touch.

    Args:
        spec: ``journeys`` (count), ``channels`` (list of ``[name, weight]``), ``conversion_rate``, ``value``,
            ``start`` / ``end`` (dates), optional ``max_touches``, ``lift`` (channel → extra conversion odds).
        rng: The random generator.

    Returns:
        Row dicts with the Touchpoints columns, ordered by journey and time.
    """
    span = (spec["end"] - spec["start"]).days
    rows = []
    for j, (path, converted, value) in enumerate(_journey_paths(spec, rng), start=1):
        start = dt.datetime.combine(spec["start"], dt.time(8)) + dt.timedelta(days=int(rng.integers(0, span + 1)))
        when = start
        for k, channel in enumerate(path):
            last = k == len(path) - 1
            rows.append(
                {
                    "Journey ID": f"J{j:05d}",
                    "Timestamp": when,
                    "Channel": channel,
                    "Converted": converted if last else False,
                    "Conversion value": value if last else 0.0,
                }
            )
            when += dt.timedelta(hours=int(rng.integers(2, 72)))
    return rows


def paths(spec: dict[str, Any], rng: np.random.Generator) -> list[dict[str, Any]]:
    """Generate Paths rows: the same journeys as :func:`touchpoints`, aggregated by path.

    Args:
        spec: As for :func:`touchpoints` (dates unused).
        rng: The random generator.

    Returns:
        Row dicts with the Paths columns, most frequent path first.
    """
    agg: dict[str, list[float]] = {}
    for path, converted, value in _journey_paths(spec, rng):
        key = " > ".join(path)
        cell = agg.setdefault(key, [0, 0.0, 0])
        if converted:
            cell[0] += 1
            cell[1] += value
        else:
            cell[2] += 1
    ordered = sorted(agg.items(), key=lambda kv: (-(kv[1][0] + kv[1][2]), kv[0]))
    return [
        {"Path": k, "Conversions": c, "Conversion value": round(v, 2), "Non-converting journeys": n}
        for k, (c, v, n) in ordered
    ]


def intake_data(spec: dict[str, Any]) -> dict[str, Any]:
    """Build the intake data (for :func:`mops_xl.write_intake`) described by a spec.

    Args:
        spec: The parsed spec: ``seed``, ``business``, ``settings``, ``actuals`` (``start``, ``end``),
            ``channels`` (each with its Channels columns and a ``generate`` table), table lists (``budget``,
            ``targets``, ``stack``, ``integrations``, ``campaigns``, ``experiments``, ``team``, ``cadence``),
            ``assessment`` (capability → answer), ``touchpoints`` or ``paths`` (journey parameters),
            ``extra_actuals`` (rows appended as they are).

    Returns:
        Sheet name → fields or rows.
    """
    rng = np.random.default_rng(spec.get("seed", 0))
    days = _days(spec["actuals"]["start"], spec["actuals"]["end"])
    data: dict[str, Any] = {"Business": dict(spec["business"]), "Settings": dict(spec.get("settings", {}))}
    channels, actuals = [], []
    for ch in spec["channels"]:
        channels.append({k: v for k, v in ch.items() if k != "generate"})
        if "generate" in ch:
            actuals.extend(daily_actuals(ch["Channel"], days, ch["generate"], rng))
    actuals.extend(spec.get("extra_actuals", []))
    actuals.sort(key=lambda r: (r["Date"], r["Channel"], r.get("Campaign") or ""))
    data["Channels"], data["Actuals"] = channels, actuals
    for key, sheet in _TABLES.items():
        if key in spec:
            data[sheet] = [dict(r) for r in spec[key]]
    if "assessment" in spec:
        answers = spec["assessment"]
        data["Assessment"] = [
            {"Capability": cap, "Module": module, "In place": answers.get(cap), "Evidence": None}
            for cap, module, *_ in ASSESSMENT.prefill
        ]
    if "touchpoints" in spec:
        data["Touchpoints"] = touchpoints(spec["touchpoints"], rng)
    if "paths" in spec:
        data["Paths"] = paths(spec["paths"], rng)
    return data


def example_data() -> dict[str, Any]:
    """The filled example that `mops-xl init --example` writes (spec: ``mops_xl/intake/example.toml``).

    Returns:
        Sheet name → fields or rows.
    """
    text = resources.files("mops_xl.intake").joinpath("example.toml").read_text(encoding="utf-8")
    return intake_data(tomllib.loads(text))
