"""Attribution: which channels drive conversions, under seven models, always reconciling to the totals.

Journeys come from the Touchpoints sheet (one row per touch) or the Paths sheet (paths already aggregated);
both become one table of distinct paths with their conversions, conversion value and non-converting
journeys. Heuristic models count every touch; the Markov chain collapses consecutive repeats (A > A > B is
A > B), as the reference package ``channelattribution`` does. See docs/metrics.md, "Attribution".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MODELS = ("First touch", "Last touch", "Linear", "Time decay", "Position based", "Markov", "Shapley")
SETTING_NAMES = {
    "first touch": "First touch",
    "last touch": "Last touch",
    "linear": "Linear",
    "time decay": "Time decay",
    "position based": "Position based",
    "markov": "Markov",
    "shapley": "Shapley",
}


@dataclass
class Journeys:
    """Distinct journeys, aggregated.

    Args:
        paths: One row per distinct path: ``path`` (tuple of channels, repeats kept), ``conversions``,
            ``value`` and ``nulls`` (non-converting journeys).
        source: "Touchpoints", "Paths" or "" (no journey data).
        touches: From Touchpoints only: one row per kept touch of a converting journey (``journey``,
            ``channel``, ``age`` in days before the journey's last touch, ``conversions``, ``value``) — what
            the time-decay model needs; None from Paths.
        dropped_touches: Touches older than the lookback window that were left out.
    """

    paths: pd.DataFrame
    source: str = ""
    touches: pd.DataFrame | None = None
    dropped_touches: int = 0

    @property
    def total_conversions(self) -> float:
        """Σ conversions."""
        return float(self.paths["conversions"].sum()) if len(self.paths) else 0.0

    @property
    def total_value(self) -> float:
        """Σ conversion value."""
        return float(self.paths["value"].sum()) if len(self.paths) else 0.0


def journeys_from_touchpoints(touches: pd.DataFrame, lookback_days: float = 30) -> Journeys:
    """Order each journey's touches by time, drop those older than the lookback window, aggregate.

    Vectorised: one sort, one group-by to build each journey's path, one to count distinct paths.

    Args:
        touches: The Touchpoints table (Journey ID, Timestamp, Channel, Converted, Conversion value).
        lookback_days: Touches more than this many days before the journey's last touch are dropped.

    Returns:
        The :class:`Journeys`.
    """
    if touches.empty:
        return Journeys(_empty(), "Touchpoints", _empty_touches())
    t = touches[["Journey ID", "Timestamp", "Channel", "Converted", "Conversion value"]].sort_values(
        ["Journey ID", "Timestamp"], kind="stable"
    )
    age = (t.groupby("Journey ID")["Timestamp"].transform("max") - t["Timestamp"]).dt.total_seconds() / 86400
    kept = t[age <= lookback_days].assign(age=age[age <= lookback_days])
    kept = kept.assign(
        Converted=kept["Converted"].fillna(False).astype(bool), value=kept["Conversion value"].fillna(0.0).astype(float)
    )
    grouped = kept.groupby("Journey ID", sort=False)
    per = pd.DataFrame(
        {
            "path": grouped["Channel"].agg(tuple),
            "converted": grouped["Converted"].max(),
            "value": grouped["value"].sum(),
        }
    )
    per["conversions"] = per["converted"].astype(float)
    per["nulls"] = 1.0 - per["conversions"]
    per["value"] = per["value"].where(per["converted"], 0.0)
    paths = per.groupby("path", sort=False)[["conversions", "value", "nulls"]].sum().reset_index()
    converting = per[per["converted"]]
    touch = kept[kept["Journey ID"].isin(converting.index)]
    touch_frame = pd.DataFrame(
        {
            "journey": touch["Journey ID"].to_numpy(),
            "channel": touch["Channel"].to_numpy(),
            "age": touch["age"].to_numpy(),
            "conversions": touch["Journey ID"].map(converting["conversions"]).to_numpy(),
            "value": touch["Journey ID"].map(converting["value"]).to_numpy(),
        }
    )
    return Journeys(paths, "Touchpoints", touch_frame, int(len(t) - len(kept)))


def journeys_from_paths(rows: pd.DataFrame) -> Journeys:
    """Read analytics-tool paths ("A > B > C" with conversions, value and non-converting journeys).

    Args:
        rows: The Paths table.

    Returns:
        The :class:`Journeys` (no touch times: the time-decay model is undefined).
    """
    if rows.empty:
        return Journeys(_empty(), "Paths")
    paths = pd.DataFrame(
        {
            "path": rows["Path"].map(lambda p: tuple(c.strip() for c in str(p).split(">") if c.strip())),
            "conversions": rows["Conversions"].fillna(0).astype(float),
            "value": rows["Conversion value"].fillna(0).astype(float),
            "nulls": rows["Non-converting journeys"].fillna(0).astype(float),
        }
    )
    paths = paths[paths["path"].map(len) > 0].groupby("path", sort=False).sum().reset_index()
    return Journeys(paths, "Paths")


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"path": [], "conversions": [], "value": [], "nulls": []})


def _empty_touches() -> pd.DataFrame:
    return pd.DataFrame({"journey": [], "channel": [], "age": [], "conversions": [], "value": []})


# --- heuristic models --------------------------------------------------------------------------------------


def _spread(journeys: Journeys, weights_of) -> tuple[dict[str, float], dict[str, float]]:
    """Credit each converting path's conversions and value to its touches by the weights a model gives."""
    conv: dict[str, float] = {}
    value: dict[str, float] = {}
    for rec in journeys.paths.itertuples(index=False):
        if rec.conversions <= 0 and rec.value <= 0:
            continue
        weights = weights_of(rec)
        total = sum(weights)
        for channel, w in zip(rec.path, weights, strict=False):
            conv[channel] = conv.get(channel, 0.0) + rec.conversions * w / total
            value[channel] = value.get(channel, 0.0) + rec.value * w / total
    return conv, value


def position_weights(n: int, first: float = 0.4, last: float = 0.4) -> list[float]:
    """Position-based weights: ``first`` to the first touch, ``last`` to the last, the rest spread between.

    Args:
        n: Touches in the path.
        first: Share of the first touch.
        last: Share of the last touch.

    Returns:
        The weights (one touch takes all; two split first : last).
    """
    if n == 1:
        return [1.0]
    if n == 2:
        return [first, last]
    middle = (1 - first - last) / (n - 2)
    return [first] + [middle] * (n - 2) + [last]


def heuristic_credit(
    journeys: Journeys, model: str, half_life_days: float = 7, endpoint_share: float = 0.4
) -> tuple[dict, dict] | None:
    """Credit by one of the rule-based models.

    Args:
        journeys: The journeys.
        model: First touch, Last touch, Linear, Time decay or Position based.
        half_life_days: For Time decay: a touch this many days before the conversion weighs half.
        endpoint_share: For Position based: the share of the first and of the last touch each.

    Returns:
        ``(conversions, value)`` per channel, or None for Time decay without touch times (Paths).
    """
    rules = {
        "First touch": lambda r: [1.0] + [0.0] * (len(r.path) - 1),
        "Last touch": lambda r: [0.0] * (len(r.path) - 1) + [1.0],
        "Linear": lambda r: [1.0] * len(r.path),
        "Position based": lambda r: position_weights(len(r.path), endpoint_share, endpoint_share),
    }
    if model == "Time decay":
        return _time_decay(journeys, half_life_days)
    return _spread(journeys, rules[model])


def _time_decay(journeys: Journeys, half_life_days: float) -> tuple[dict, dict] | None:
    """Each touch of a converting journey weighs 2^(−age ÷ half-life); vectorised over the touches."""
    touches = journeys.touches
    if touches is None:
        return None
    if touches.empty:
        return {}, {}
    weight = np.power(0.5, touches["age"].to_numpy(dtype=float) / half_life_days)
    share = weight / pd.Series(weight).groupby(touches["journey"].to_numpy()).transform("sum").to_numpy()
    credit = (
        pd.DataFrame(
            {
                "channel": touches["channel"],
                "conversions": share * touches["conversions"],
                "value": share * touches["value"],
            }
        )
        .groupby("channel")[["conversions", "value"]]
        .sum()
    )
    return credit["conversions"].to_dict(), credit["value"].to_dict()


# --- Markov chain ------------------------------------------------------------------------------------------


def _collapse(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for i, c in enumerate(path) if i == 0 or c != path[i - 1])


def markov_credit(journeys: Journeys) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """First-order Markov removal effects, solved exactly from the absorbing chain (no simulation), in one
    matrix inverse: O(n³) for n distinct channels (see ``MAX_JOURNEY_CHANNELS`` in the schema).

    Transitions are weighted by each path's conversions + non-conversions; the last channel goes to
    (conversion) with the conversions and to (null) with the non-converting journeys. Removing channel k
    sends every transition into k to (null); RE_k = 1 − P(conversion | k removed) ÷ P(conversion), and
    credit_k = RE_k ÷ Σ RE × total conversions. Value is credited the same way through the expected value
    of a conversion given its last channel.

    Args:
        journeys: The journeys.

    Returns:
        ``(conversions, value, removal_effects)`` per channel.
    """
    channels = sorted({c for p in journeys.paths["path"] for c in p})
    if not channels or journeys.total_conversions <= 0:
        return {c: 0.0 for c in channels}, {c: 0.0 for c in channels}, {c: 0.0 for c in channels}
    idx = {c: i + 1 for i, c in enumerate(channels)}  # 0 = start
    n = len(channels) + 1
    counts = np.zeros((n, n))
    to_conv, to_null, conv_value = np.zeros(n), np.zeros(n), np.zeros(n)
    for rec in journeys.paths.itertuples(index=False):
        path = _collapse(rec.path)
        weight = rec.conversions + rec.nulls
        states = [0] + [idx[c] for c in path]
        for a, b in zip(states, states[1:], strict=False):
            counts[a, b] += weight
        to_conv[states[-1]] += rec.conversions
        to_null[states[-1]] += rec.nulls
        conv_value[states[-1]] += rec.value
    out = counts.sum(axis=1) + to_conv + to_null
    out[out == 0] = 1.0
    Q, r_conv = counts / out[:, None], to_conv / out
    mean_value = np.divide(conv_value, to_conv, out=np.zeros(n), where=to_conv > 0)

    # One inverse instead of a solve per removed channel (n solves of an n x n system made 3,000 channels run for
    # half an hour). N[i, j] = expected visits to j from i; h = P(conversion | at i), g = expected value from i.
    # A path that converts either never visits k or visits it a first time (probability reach_k / N[k, k]) and
    # converts from there (h_k): so P(conversion | k removed) = P(conversion) - reach_k / N[k, k] * h_k.
    visits = np.linalg.inv(np.eye(n) - Q)
    h, g = visits @ r_conv, visits @ (r_conv * mean_value)
    p_all, v_all = float(h[0]), float(g[0])
    first_visit = visits[0] / np.diag(visits)
    effects, value_effects = {}, {}
    for c in channels:
        k = idx[c]
        effects[c] = max(first_visit[k] * h[k] / p_all, 0.0) if p_all > 0 else 0.0
        value_effects[c] = max(first_visit[k] * g[k] / v_all, 0.0) if v_all > 0 else 0.0
    conv = _share(effects, journeys.total_conversions)
    value = _share(value_effects, journeys.total_value)
    return conv, value, effects


def _share(weights: dict[str, float], total: float) -> dict[str, float]:
    s = sum(weights.values())
    return {k: (w / s * total if s > 0 else 0.0) for k, w in weights.items()}


# --- Shapley -----------------------------------------------------------------------------------------------


def shapley_credit(journeys: Journeys) -> tuple[dict[str, float], dict[str, float]]:
    """Shapley values of the game whose coalition worth is the conversions of the journeys whose channel set
    it covers. The closed form: each path's conversions (and value) split equally among its distinct
    channels (each path is a unanimity game on its channel set).

    Args:
        journeys: The journeys.

    Returns:
        ``(conversions, value)`` per channel.
    """
    conv: dict[str, float] = {}
    value: dict[str, float] = {}
    for rec in journeys.paths.itertuples(index=False):
        distinct = sorted(set(rec.path))
        for c in distinct:
            conv[c] = conv.get(c, 0.0) + rec.conversions / len(distinct)
            value[c] = value.get(c, 0.0) + rec.value / len(distinct)
    return conv, value


# --- all models ----------------------------------------------------------------------------------------------


@dataclass
class Attribution:
    """Credit per channel under every model.

    Args:
        conversions: Channel × model credited conversions (NaN for a model the data cannot support).
        value: Channel × model credited conversion value.
        removal_effects: The Markov removal effect per channel.
        source: Where the journeys came from ("Touchpoints", "Paths" or "").
        notes: Plain sentences (e.g. why Time decay is empty).
    """

    conversions: pd.DataFrame
    value: pd.DataFrame
    removal_effects: dict[str, float]
    source: str
    notes: list[str] = field(default_factory=list)


def attribute(journeys: Journeys, half_life_days: float = 7, endpoint_share: float = 0.4) -> Attribution:
    """Run every model of :data:`MODELS`.

    Args:
        journeys: The journeys.
        half_life_days: The Time-decay half-life setting.
        endpoint_share: The Position-based endpoint share setting.

    Returns:
        The :class:`Attribution`; each model's column sums to the total conversions (and value).
    """
    channels = sorted({c for p in journeys.paths["path"] for c in p})
    conv = pd.DataFrame(0.0, index=pd.Index(channels, name="Channel"), columns=list(MODELS))
    value = conv.copy()
    notes = []
    for model in MODELS:
        if model == "Markov":
            c, v, effects = markov_credit(journeys)
        elif model == "Shapley":
            c, v = shapley_credit(journeys)
        else:
            result = heuristic_credit(journeys, model, half_life_days, endpoint_share)
            if result is None:
                conv[model], value[model] = math.nan, math.nan
                notes.append("Time decay needs touch times: the Paths sheet has none (use Touchpoints)")
                continue
            c, v = result
        conv[model] = pd.Series(c, dtype="float64").reindex(channels, fill_value=0.0)
        value[model] = pd.Series(v, dtype="float64").reindex(channels, fill_value=0.0)
    if journeys.dropped_touches:
        notes.append(f"{journeys.dropped_touches} touch(es) older than the lookback window were left out")
    return Attribution(conv, value, effects if channels else {}, journeys.source, notes)


def moving_channels(a: Attribution, threshold: float = 0.05) -> dict[str, float]:
    """Channels whose share of the credit moves most between models (the "channels affected" by the choice).

    Args:
        a: The attribution.
        threshold: The spread (max − min share of all conversions across the models) that flags a channel.

    Returns:
        Channel → spread, for the flagged channels, largest first.
    """
    totals = a.conversions.sum(axis=0)
    shares = a.conversions.div(totals.where(totals > 0), axis=1)
    spread = (shares.max(axis=1) - shares.min(axis=1)).fillna(0.0)
    flagged = spread[spread >= threshold].sort_values(ascending=False)
    return {str(k): float(v) for k, v in flagged.items()}


def channels_affected_by_model(a: Attribution, threshold: float = 0.03, top: int = 2) -> dict[str, list[str]]:
    """For each model, the channels whose share of the credit it moves most away from the models' average.

    Args:
        a: The attribution.
        threshold: Ignore moves smaller than this share of all conversions.
        top: At most this many channels per model.

    Returns:
        Model → channels, each as "name (+4 pts)".
    """
    totals = a.conversions.sum(axis=0)
    shares = a.conversions.div(totals.where(totals > 0), axis=1)
    mean = shares.mean(axis=1)
    out = {}
    for model in shares.columns:
        diff = (shares[model] - mean).dropna()
        diff = diff[diff.abs() >= threshold].reindex(diff.abs().sort_values(ascending=False).index).dropna()[:top]
        out[model] = [f"{ch} ({d * 100:+.0f} pts)" for ch, d in diff.items()]
    return out
