"""The two distributions the A/B tests read: the standard normal (the z-test) and the chi-square (the SRM check).

They come from the standard library: ``math.erfc`` and :class:`statistics.NormalDist`, which start in no time,
where ``scipy.special`` takes about 0.1 s to import and ``scipy.stats`` most of a second (issue 29). They agree
with ``scipy.stats`` to about 1e-14 relative (``tests/test_start_up.py`` checks it on random values). The chi-square
with 1 or 2 degrees of freedom (an experiment of two or three variants) has a closed form; with more, its tail
is read from ``scipy.special.chdtrc``, imported only then.
"""

from __future__ import annotations

import math
from statistics import NormalDist

_STANDARD_NORMAL = NormalDist()


def two_sided_p(z: float) -> float:
    """The two-sided p-value of a standard normal z: 2 × Φ(−|z|) = erfc(|z| ÷ √2).

    Args:
        z: The z statistic (NaN stays NaN).

    Returns:
        The p-value in [0, 1]: 1 for z = 0, 0 for an infinite z.
    """
    return math.erfc(abs(z) / math.sqrt(2))


def normal_quantile(p: float) -> float:
    """Φ⁻¹(p), the standard normal's quantile (what ``scipy.special.ndtri`` computes), as Excel's ``NORM.S.INV``.

    Args:
        p: A probability.

    Returns:
        z with Φ(z) = p: −inf for 0, +inf for 1, NaN for NaN or outside [0, 1].
    """
    if not 0.0 <= p <= 1.0:  # NaN fails every comparison
        return math.nan
    if p in (0.0, 1.0):
        return math.inf if p else -math.inf
    return _STANDARD_NORMAL.inv_cdf(p)


def chi_square_upper_tail(degrees: int, statistic: float) -> float:
    """P(χ² > statistic) with ``degrees`` degrees of freedom.

    With 1 degree of freedom χ² is a squared standard normal, so the tail is erfc(√(x ÷ 2)); with 2 it is an
    exponential of mean 2, e^(−x ÷ 2). With more, ``scipy.special.chdtrc``.

    Args:
        degrees: Degrees of freedom (at least 1).
        statistic: The χ² statistic (at least 0; +inf gives 0).

    Returns:
        The upper tail probability.
    """
    if degrees == 1:
        return math.erfc(math.sqrt(statistic / 2))
    if degrees == 2:
        return math.exp(-statistic / 2)
    from scipy import special  # here, not at the top: only an experiment of four or more variants needs it

    return float(special.chdtrc(degrees, statistic))
