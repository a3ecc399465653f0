"""Attribution: which channels drive conversions, under seven models, always reconciling to the totals.

Journeys come from the Touchpoints sheet (one row per touch) or the Paths sheet (paths already aggregated);
both become one table of distinct paths with their conversions, conversion value and non-converting
journeys. Heuristic models count every touch; the Markov chain collapses consecutive repeats (A > A > B is
A > B), as the reference package ``channelattribution`` does. See docs/metrics.md, "Attribution".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mops_xl.analysis.blocks.wording import count, day, days, percent, threshold

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


@dataclass(frozen=True)
class LateTouches:
    """The Touchpoints dated after Report as of: left out of attribution, as Actuals rows after it are.

    Args:
        touches: How many touches.
        journeys: How many journeys they belong to (a journey that began by Report as of keeps its earlier touches).
        first: The first of their days.
        last: The last of their days.
        as_of: Report as of.
    """

    touches: int
    journeys: int
    first: pd.Timestamp
    last: pd.Timestamp
    as_of: pd.Timestamp

    def note(self) -> str:
        """The sentence that says so, e.g. "74 touches of 38 journeys dated after Report as of (11–18 Sep 2026) are
        left out of attribution, as Actuals rows after it are: the journeys count up to 10 Sep 2026"."""
        return (
            f"{count(self.touches, 'touch', 'touches')} of {count(self.journeys, 'journey')} dated after Report as "
            f"of ({days(self.first, self.last)}) {'is' if self.touches == 1 else 'are'} left out of attribution, "
            f"as Actuals rows after it are: the journeys count up to {day(self.as_of)}"
        )


def after_as_of(touches: pd.DataFrame, as_of: pd.Timestamp | None) -> tuple[pd.DataFrame, LateTouches | None]:
    """Split off the touches dated after Report as of (a touch on Report as of, at any hour, counts).

    Args:
        touches: The Touchpoints table (Journey ID, Timestamp …).
        as_of: Report as of (None: keep every touch).

    Returns:
        The touches up to Report as of, and what was left out (None when nothing was).
    """
    if as_of is None or touches.empty:
        return touches, None
    late = touches["Timestamp"] >= as_of.normalize() + pd.Timedelta(days=1)
    if not late.any():
        return touches, None
    dates = touches.loc[late, "Timestamp"].dt.normalize()
    left_out = LateTouches(
        int(late.sum()), int(touches.loc[late, "Journey ID"].nunique()), dates.min(), dates.max(), as_of.normalize()
    )
    return touches[~late], left_out


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
        first: From Touchpoints only: the earliest kept touch (the journeys' date range starts there); None
            from Paths, which carry no dates.
        last: From Touchpoints only: the latest kept touch.
        late: From Touchpoints only: the touches dated after Report as of, left out like Actuals rows after it
            (:class:`LateTouches`); None when there are none.
    """

    paths: pd.DataFrame
    source: str = ""
    touches: pd.DataFrame | None = None
    dropped_touches: int = 0
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    late: LateTouches | None = None

    @property
    def total_conversions(self) -> float:
        """Σ conversions."""
        return float(self.paths["conversions"].sum()) if len(self.paths) else 0.0

    @property
    def total_value(self) -> float:
        """Σ conversion value."""
        return float(self.paths["value"].sum()) if len(self.paths) else 0.0


def journeys_from_touchpoints(
    touches: pd.DataFrame, lookback_days: float = 30, as_of: pd.Timestamp | None = None
) -> Journeys:
    """Leave out the touches after Report as of, order each journey's touches by time, drop those older than the
    lookback window, aggregate.

    Vectorised: one sort, one group-by to build each journey's path, one to count distinct paths.

    Args:
        touches: The Touchpoints table (Journey ID, Timestamp, Channel, Converted, Conversion value).
        lookback_days: Touches more than this many days before the journey's last touch are dropped.
        as_of: Report as of: later touches are left out (:func:`after_as_of`), like Actuals rows after it; a
            journey's conversion on a later touch is not counted. None keeps every touch.

    Returns:
        The :class:`Journeys`.
    """
    touches, late = after_as_of(touches, as_of)
    if touches.empty:
        return Journeys(_empty(), "Touchpoints", _empty_touches(), late=late)
    t = touches[["Journey ID", "Timestamp", "Channel", "Converted", "Conversion value"]].sort_values(
        ["Journey ID", "Timestamp"], kind="stable"
    )
    age = (t.groupby("Journey ID")["Timestamp"].transform("max") - t["Timestamp"]).dt.total_seconds() / 86400
    kept = t[age <= lookback_days].assign(age=age[age <= lookback_days])
    kept = kept.assign(
        Converted=kept["Converted"].fillna(False).astype(bool), value=kept["Conversion value"].fillna(0.0).astype(float)
    )
    grouped = kept.groupby("Journey ID", sort=False)
    converted = grouped["Converted"].max()
    per = pd.DataFrame(
        {
            "path": _paths_of(kept, converted.index),
            "converted": converted,
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
    first, last = (kept["Timestamp"].min(), kept["Timestamp"].max()) if len(kept) else (None, None)
    return Journeys(paths, "Touchpoints", touch_frame, int(len(t) - len(kept)), first, last, late)


def _paths_of(touches: pd.DataFrame, journeys: pd.Index) -> pd.Series:
    """Each journey's path: its touches' channels in row order (as ``groupby(...)["Channel"].agg(tuple)`` gives
    them, in plain Python: a few thousand touches).

    Args:
        touches: The touches (Journey ID, Channel), in order.
        journeys: The journeys, in the order wanted.

    Returns:
        Journey ID → tuple of channels, indexed by ``journeys``.
    """
    channels: dict[Any, list[Any]] = {}
    for journey, channel in zip(touches["Journey ID"].to_numpy(), touches["Channel"].to_numpy(), strict=True):
        channels.setdefault(journey, []).append(channel)
    return pd.Series([tuple(channels[j]) for j in journeys], index=journeys, dtype=object)


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

#: The marker a model's cells show when it cannot run on the data (Time decay on Paths: no touch times).
CANNOT_RUN = "Cannot run"
#: Journeys' conversions ÷ Actuals' customers in the window (and value ÷ revenue) outside these bounds: the
#: journeys are no fair sample of Actuals, and the plan should not trust attributed efficiency.
COVERAGE_LOW, COVERAGE_HIGH = 0.5, 2.0


@dataclass
class Attribution:
    """Credit per channel under every model.

    Args:
        conversions: Channel × model credited conversions (NaN for a model the data cannot support).
        value: Channel × model credited conversion value.
        removal_effects: The Markov removal effect per channel.
        source: Where the journeys came from ("Touchpoints", "Paths" or "").
        notes: Plain sentences (e.g. why Time decay is empty).
        cannot_run: Model → why it cannot run on this data (e.g. Time decay on Paths); its columns are NaN.
        actual_conversions: Channel × model: Actuals' customers in the window split by each model's shares
            (:func:`on_actuals`); what attributed CAC is computed from. Empty until the engine sets it.
        actual_value: Channel × model: Actuals' revenue in the window split by each model's value shares.
    """

    conversions: pd.DataFrame
    value: pd.DataFrame
    removal_effects: dict[str, float]
    source: str
    notes: list[str] = field(default_factory=list)
    cannot_run: dict[str, str] = field(default_factory=dict)
    actual_conversions: pd.DataFrame = field(default_factory=pd.DataFrame)
    actual_value: pd.DataFrame = field(default_factory=pd.DataFrame)

    def runnable(self, model: str) -> bool:
        """Whether a model could run on the journeys.

        Args:
            model: One of :data:`MODELS`.

        Returns:
            False for a model of :attr:`cannot_run`.
        """
        return model not in self.cannot_run


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
    conv_of: dict[str, list[float]] = {}  # model → its credit per channel (the frames are built once, below)
    value_of: dict[str, list[float]] = {}
    notes: list[str] = []
    cannot: dict[str, str] = {}
    for model in MODELS:
        if model == "Markov":
            c, v, effects = markov_credit(journeys)
        elif model == "Shapley":
            c, v = shapley_credit(journeys)
        else:
            result = heuristic_credit(journeys, model, half_life_days, endpoint_share)
            if result is None:
                conv_of[model], value_of[model] = [math.nan] * len(channels), [math.nan] * len(channels)
                cannot[model] = "needs touch times: the Paths sheet has none (use Touchpoints)"
                notes.append(f"{model} {cannot[model]}")
                continue
            c, v = result
        conv_of[model] = [float(c.get(ch, 0.0)) for ch in channels]
        value_of[model] = [float(v.get(ch, 0.0)) for ch in channels]
    index = pd.Index(channels, name="Channel")
    conv = pd.DataFrame(conv_of, index=index, columns=list(MODELS), dtype="float64")
    value = pd.DataFrame(value_of, index=index, columns=list(MODELS), dtype="float64")
    if journeys.late is not None:
        notes.append(journeys.late.note())
    if journeys.dropped_touches:
        notes.append(
            f"{count(journeys.dropped_touches, 'touch', 'touches')} older than the lookback window "
            f"{'was' if journeys.dropped_touches == 1 else 'were'} left out"
        )
    return Attribution(conv, value, effects if channels else {}, journeys.source, notes, cannot)


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


def channels_affected_by_model(a: Attribution, threshold: float = 0.01, top: int = 3) -> dict[str, list[str]]:
    """For each model, the channels whose share of the credit it moves most away from the average of the models
    that can run: each model's own list, largest move first; a model that cannot run gets none.

    Args:
        a: The attribution.
        threshold: Ignore moves smaller than this share of all conversions (1 point).
        top: At most this many channels per model.

    Returns:
        Model → channels, each as "name (+4 pts)".
    """
    totals = a.conversions.sum(axis=0)
    shares = a.conversions.div(totals.where(totals > 0), axis=1)
    mean = shares[[m for m in shares.columns if a.runnable(m)]].mean(axis=1)
    out = {}
    for model in shares.columns:
        diff = (shares[model] - mean).dropna()
        diff = diff[diff.abs() >= threshold]
        diff = diff.reindex(diff.abs().sort_values(ascending=False, kind="stable").index)[:top]
        out[model] = [f"{ch} ({d * 100:+.0f} pts)" for ch, d in diff.items()]
    return out


@dataclass(frozen=True)
class AttributionCoverage:
    """How much of Actuals the journeys cover: their conversions and value against Actuals' customers and
    revenue in the reporting window (docs/metrics.md, "Attribution coverage").

    Args:
        source: "Touchpoints" or "Paths".
        journey_conversions: Σ conversions of the journeys (all of them: the attribution's total).
        journey_value: Σ their conversion value.
        customers: Actuals' customers in the window (NaN when not tracked).
        revenue: Actuals' revenue in the window (NaN when not tracked).
        first: The journeys' first touch (Touchpoints); None for Paths, which carry no dates.
        last: The journeys' last touch (Touchpoints); None for Paths.
        late: The touches after Report as of that were left out (Touchpoints); None when none were.
    """

    source: str
    journey_conversions: float
    journey_value: float
    customers: float
    revenue: float
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    late: LateTouches | None = None

    @property
    def conversions_coverage(self) -> float:
        """Journeys' conversions ÷ Actuals' customers (NaN without customers)."""
        return _ratio(self.journey_conversions, self.customers)

    @property
    def value_coverage(self) -> float:
        """Journeys' value ÷ Actuals' revenue (NaN without revenue)."""
        return _ratio(self.journey_value, self.revenue)

    @property
    def reliable(self) -> bool:
        """The flag the reallocation plan reads: True when the journeys' conversions are between
        :data:`COVERAGE_LOW` and :data:`COVERAGE_HIGH` of Actuals' customers, and their value within the same
        bounds of Actuals' revenue where revenue is tracked and positive. Otherwise attributed CAC and ROAS
        rest on journeys that do not represent Actuals, and the plan should use the channels' own figures."""
        conv, value = self.conversions_coverage, self.value_coverage
        if math.isnan(conv) or not COVERAGE_LOW <= conv <= COVERAGE_HIGH:
            return False
        return math.isnan(value) or COVERAGE_LOW <= value <= COVERAGE_HIGH

    @property
    def journeys_text(self) -> str:
        """Which journeys are counted: the Touchpoints' date range (and the touches after Report as of left out), or
        all Paths (said so)."""
        if self.source == "Paths":
            return "Paths (no dates: all path conversions count)"
        late = f"; {count(self.late.touches, 'touch', 'touches')} after Report as of left out" if self.late else ""
        if self.first is None or self.last is None:
            return f"Touchpoints (no touches{late})"
        return f"Touchpoints, {days(self.first, self.last)}{late}"

    def warning(self) -> str | None:
        """The warning when the coverage is outside the bounds, else None.

        Returns:
            A sentence, or None when :attr:`reliable`.
        """
        if self.reliable:
            return None
        parts = []
        for label, cov in (("customers", self.conversions_coverage), ("revenue", self.value_coverage)):
            parts.append(f"{percent(cov)} of Actuals' {label}" if not math.isnan(cov) else f"Actuals' {label}: none")
        return (
            f"The journeys ({self.journeys_text}) hold {' and '.join(parts)} in the window, "
            f"outside {threshold(COVERAGE_LOW)} to {threshold(COVERAGE_HIGH)}: the journeys do not represent Actuals, "
            "so "
            "attributed CAC and ROAS are unreliable and the reallocation plan uses the channels' own figures"
        )


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole and not math.isnan(whole) and whole > 0 else math.nan


def coverage_of(journeys: Journeys, customers: float, revenue: float) -> AttributionCoverage:
    """The journeys' coverage of Actuals.

    Args:
        journeys: The journeys.
        customers: Actuals' customers in the window (NaN when not tracked).
        revenue: Actuals' revenue in the window (NaN when not tracked).

    Returns:
        The :class:`AttributionCoverage`.
    """
    return AttributionCoverage(
        journeys.source,
        journeys.total_conversions,
        journeys.total_value,
        float(customers),
        float(revenue),
        journeys.first,
        journeys.last,
        journeys.late,
    )


def on_actuals(credit: pd.DataFrame, total: float) -> pd.DataFrame:
    """Apply each model's channel shares to an Actuals total: channel credit ÷ the model's total credit × the
    Actuals total, so every model that can run sums to Actuals (customers or revenue in the window).

    Args:
        credit: Channel × model credit from the journeys (conversions or value; NaN for a model that cannot run).
        total: Actuals' customers (or revenue) in the window; NaN when not tracked.

    Returns:
        The same shape: the Actuals total split by each model's shares (0 where a model credits nothing;
        NaN for a model that cannot run or when the total is not tracked).
    """
    out = credit.astype("float64").copy()
    for model, column in credit.items():
        whole = column.sum(min_count=1)
        if pd.isna(whole):  # a model that cannot run
            out[model] = math.nan
        elif whole <= 0:  # no credit at all: no channel gets a share
            out[model] = 0.0
        else:
            out[model] = column / whole * (math.nan if pd.isna(total) else total)
    return out
