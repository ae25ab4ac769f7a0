"""Discounted cash-flow measures of an appraisal: NPV, benefit-cost ratio, IRR, payback.

Pure functions over yearly benefits and costs [CNY/year]. Year ``t`` (0, 1, 2 ...
counted from the discounting base year) is discounted with the factor
``1 / (1 + r)**t`` (end-of-year convention when the base year precedes the first
year of flows; the project file chooses). Residual value is a benefit in the last
year.

References
----------
European Commission, *Guide to Cost-Benefit Analysis of Investment Projects*
(DG REGIO, December 2014), sections 2.9 (discounting) and 2.10 (ENPV, ERR, B/C).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "IrrResult",
    "benefit_cost_ratio",
    "discount_factors",
    "discounted_payback_index",
    "internal_rates_of_return",
    "net_present_value",
]

# The IRR is searched for on (1 + r) in [_LOW_GROWTH, _HIGH_GROWTH]: from -99 % to
# +10,000 % a year, a bracket wide enough for any transport project and narrow
# enough for a grid to find every sign change.
_LOW_GROWTH = 0.01
_HIGH_GROWTH = 101.0
_GRID_POINTS = 4000


@dataclass(frozen=True)
class IrrResult:
    """The internal rates of return of a cash flow.

    Attributes
    ----------
    rates
        Every rate found in (-99 %, +10,000 %) where the NPV is zero, ascending [-].
    reason
        Why there is no unique IRR (empty when there is exactly one), in English.
    kind
        The same as a key for translations: ``"all_zero"``, ``"all_positive"``,
        ``"all_negative"``, ``"no_crossing"``, ``"several"`` (``""`` when unique).
    """

    rates: tuple[float, ...]
    reason: str
    kind: str = ""

    @property
    def unique(self) -> float | None:
        """The IRR if there is exactly one, else ``None``."""
        return self.rates[0] if len(self.rates) == 1 else None


def discount_factors(rate: float, offsets: Sequence[int]) -> list[float]:
    """Discount factor ``(1 + rate)**-t`` for each year offset ``t`` [-].

    Raises
    ------
    ValueError
        If ``rate <= -1`` (the factor is undefined).
    """
    if not (math.isfinite(rate) and rate > -1.0):
        raise ValueError(f"discount rate = {rate!r}: must be a finite number > -1 (-100 %)")
    return [(1.0 + rate) ** -t for t in offsets]


def net_present_value(net: Sequence[float], offsets: Sequence[int], rate: float) -> float:
    """NPV of yearly net flows [CNY] at ``rate`` [-], exactly summed (``math.fsum``)."""
    return math.fsum(n * f for n, f in zip(net, discount_factors(rate, offsets), strict=True))


def benefit_cost_ratio(
    benefits: Sequence[float], costs: Sequence[float], offsets: Sequence[int], rate: float
) -> float | None:
    """Present value of benefits over present value of costs [-]; ``None`` if costs are 0."""
    factors = discount_factors(rate, offsets)
    pv_b = math.fsum(b * f for b, f in zip(benefits, factors, strict=True))
    pv_c = math.fsum(c * f for c, f in zip(costs, factors, strict=True))
    return None if pv_c == 0.0 else pv_b / pv_c


def _npv_at_growth(net: Sequence[float], offsets: Sequence[int], growth: float) -> float:
    return math.fsum(n * growth ** (-t) for n, t in zip(net, offsets, strict=True))


def _bisect(net: Sequence[float], offsets: Sequence[int], lo: float, hi: float) -> float:
    """Root of the NPV in (1 + r) between ``lo`` and ``hi`` (a sign change), to machine precision."""
    f_lo = _npv_at_growth(net, offsets, lo)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        f_mid = _npv_at_growth(net, offsets, mid)
        if f_mid == 0.0:
            return mid
        if (f_mid < 0.0) == (f_lo < 0.0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def internal_rates_of_return(net: Sequence[float], offsets: Sequence[int]) -> IrrResult:
    """Every discount rate at which the NPV of ``net`` is zero.

    The NPV is evaluated on a geometric grid of ``1 + r`` from 0.01 to 101; each sign
    change is narrowed down by bisection to machine precision. Bisection is used
    rather than a Newton step because it cannot jump out of its bracket; it needs
    no library (numpy-financial's ``irr`` returns one root of the polynomial and
    says nothing about the others).

    Returns
    -------
    IrrResult
        No rate when all flows have one sign (or all are zero); several when the
        flows change sign more than once and the NPV crosses zero several times
        (Descartes' rule allows as many roots as sign changes).
    """
    nonzero = [n for n in net if n != 0.0]
    if not nonzero:
        return IrrResult((), "every net flow is zero", "all_zero")
    if all(n > 0 for n in nonzero) or all(n < 0 for n in nonzero):
        sign = "positive" if nonzero[0] > 0 else "negative"
        return IrrResult((), f"every net flow is {sign}: the NPV never crosses zero", f"all_{sign}")
    step = (_HIGH_GROWTH / _LOW_GROWTH) ** (1.0 / _GRID_POINTS)
    grid = [_LOW_GROWTH * step**i for i in range(_GRID_POINTS + 1)]
    values = [_npv_at_growth(net, offsets, g) for g in grid]
    roots: list[float] = []
    for i in range(_GRID_POINTS):
        a, b = values[i], values[i + 1]
        if a == 0.0:
            roots.append(grid[i] - 1.0)
        elif (a < 0.0) != (b < 0.0) and b != 0.0:
            roots.append(_bisect(net, offsets, grid[i], grid[i + 1]) - 1.0)
    if values[-1] == 0.0:
        roots.append(grid[-1] - 1.0)
    if not roots:
        return IrrResult(
            (), "the NPV does not cross zero between -99 % and +10,000 %", "no_crossing"
        )
    if len(roots) > 1:
        shown = ", ".join(f"{r:.4%}" for r in roots)
        return IrrResult(
            tuple(roots),
            f"the net flows change sign more than once and the NPV is zero at {shown}: "
            "no single IRR; decide on the NPV",
            "several",
        )
    return IrrResult((roots[0],), "")


def discounted_payback_index(
    net: Sequence[float], offsets: Sequence[int], rate: float
) -> int | None:
    """Index of the first year from which the cumulative discounted net stays >= 0.

    ``None`` if the cumulative discounted net is negative at the end.
    """
    factors = discount_factors(rate, offsets)
    cumulative: list[float] = []
    total = 0.0
    for n, f in zip(net, factors, strict=True):
        total += n * f
        cumulative.append(total)
    if not cumulative or cumulative[-1] < 0.0:
        return None
    index = len(cumulative) - 1
    while index > 0 and cumulative[index - 1] >= 0.0:
        index -= 1
    return index
