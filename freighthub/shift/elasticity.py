"""Point elasticities of logit choice shares, and the cost coefficient that gives a target.

With utility ``V_i = ASC_i + β x_i + ...`` (``x`` a cost entering the utility with
coefficient ``β``, here the price in CNY/TEU, which enters the generalised cost with
weight 1), the elasticity of the share of ``i`` with respect to the cost of ``j`` is,
for a two-level nested logit with nest scale ``λ_m`` of the nest ``m`` holding ``i``
(Ben-Akiva and Lerman 1985, eq. 10.31-10.32; Koppelman and Bhat 2006, §8.3;
the multinomial logit is ``λ = 1``):

- own: ``E_ii = β x_i [(1 - P_i) + (1/λ_m - 1)(1 - P_i|m)]``;
- cross, ``j`` in the same nest: ``E_ij = -β x_j [P_j + (1/λ_m - 1) P_j|m]``;
- cross, ``j`` in another nest: ``E_ij = -β x_j P_j``.

These are *share* (mode-choice) elasticities: total demand of the OD is fixed, so they
measure substitution between routes only.

The elasticity of a *group* of routes (e.g. all road routes of an OD) to a uniform
proportional change of the group's costs is ``Σ_{i∈G} Σ_{j∈G} P_i E_ij / Σ_{i∈G} P_i``,
and over many ODs the volume-weighted mean of it (weights: the group's volume). At the
base, the calibrated constants reproduce the observed shares for *any* ``β``, so every
elasticity is ``β`` times a number fixed by the data: the coefficient that gives a
target elasticity follows in closed form, ``β = ε* / ε(β = 1)``
(:func:`calibrate_cost_coefficient`), and the constants are then calibrated to the
shares with that ``β``.

References
----------
Ben-Akiva, M. and Lerman, S. R. (1985). *Discrete Choice Analysis*. MIT Press,
§5.3 (MNL elasticities) and §10.3 (nested logit elasticities).
Koppelman, F. S. and Bhat, C. (2006). *A Self Instructing Course in Mode Choice
Modeling: Multinomial and Nested Logit Models*. US DOT FTA, §4.4 and §8.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from freighthub.shift.logit import FloatArray, Nest

__all__ = [
    "ElasticityMarket",
    "calibrate_cost_coefficient",
    "cost_elasticities",
    "group_elasticity",
    "mean_group_elasticity",
]


def _nest_of(n_alt: int, nests: Sequence[Nest] | None) -> list[tuple[int, ...]]:
    """Members of the nest of each alternative (all alternatives for a multinomial logit)."""
    if not nests:
        return [tuple(range(n_alt))] * n_alt
    out: list[tuple[int, ...]] = [()] * n_alt
    for nest in nests:
        for i in nest.members:
            out[i] = nest.members
    return out


def cost_elasticities(
    cost_coefficient: float,
    cost: ArrayLike,
    probability: ArrayLike,
    nests: Sequence[Nest] | None = None,
) -> FloatArray:
    """Matrix of point elasticities ``E[i, j] = ∂ln P_i / ∂ln x_j`` (module docstring).

    Parameters
    ----------
    cost_coefficient
        ``β``, the utility per unit of cost [1/CNY].
    cost
        Cost ``x`` of each alternative [CNY/TEU] (one market, a vector).
    probability
        Choice probability of each alternative [0-1], summing to 1.
    nests
        Nests of a nested logit (a partition of the alternatives); ``None`` for a
        multinomial logit.

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` elasticities [-]; rows and columns of an unavailable alternative
        (probability 0) are 0.

    Raises
    ------
    ValueError
        If ``cost`` and ``probability`` differ in shape or are not vectors.
    """
    x = np.asarray(cost, dtype=float)
    p = np.asarray(probability, dtype=float)
    if x.ndim != 1 or x.shape != p.shape:
        raise ValueError(f"cost: shape {x.shape} must be a vector equal to probability {p.shape}")
    n = x.size
    scale = np.ones(n)
    for nest in nests or ():
        scale[list(nest.members)] = nest.scale
    members = _nest_of(n, nests)
    conditional = np.zeros(n)
    for i in range(n):
        total = float(p[list(members[i])].sum())
        conditional[i] = p[i] / total if total > 0 else 0.0
    e = np.zeros((n, n))
    for i in range(n):
        if p[i] <= 0:
            continue
        extra = 1.0 / scale[i] - 1.0
        for j in range(n):
            if p[j] <= 0:
                continue
            if i == j:
                e[i, j] = cost_coefficient * x[i] * ((1 - p[i]) + extra * (1 - conditional[i]))
            elif j in members[i]:
                e[i, j] = -cost_coefficient * x[j] * (p[j] + extra * conditional[j])
            else:
                e[i, j] = -cost_coefficient * x[j] * p[j]
    return e


def group_elasticity(elasticity: ArrayLike, probability: ArrayLike, group: ArrayLike) -> float:
    """Elasticity of a group's total share to a uniform proportional change of its costs.

    ``Σ_{i∈G} Σ_{j∈G} P_i E_ij / Σ_{i∈G} P_i``; NaN if the group has share 0.

    Parameters
    ----------
    elasticity
        ``(n, n)`` matrix of :func:`cost_elasticities` [-].
    probability
        Shares [0-1].
    group
        Boolean mask of the group's alternatives.
    """
    e = np.asarray(elasticity, dtype=float)
    p = np.asarray(probability, dtype=float)
    g = np.asarray(group, dtype=bool)
    share = float(p[g].sum())
    if share <= 0:
        return float("nan")
    return float((p[g] @ e[np.ix_(g, g)]).sum() / share)


@dataclass(frozen=True)
class ElasticityMarket:
    """One OD pair at its base shares, for :func:`calibrate_cost_coefficient`.

    Attributes
    ----------
    cost
        Cost ``x`` of each route [CNY/TEU].
    share
        Base share of each route [0-1] (the calibrated constants reproduce it).
    group
        Boolean mask of the routes of the group (e.g. the road routes).
    volume_teu
        Demand of the OD [TEU per period]; the group's volume weights the mean.
    nests
        Nests of the OD (``None``: multinomial logit).
    """

    cost: FloatArray
    share: FloatArray
    group: np.ndarray
    volume_teu: float
    nests: Sequence[Nest] | None = None


def mean_group_elasticity(cost_coefficient: float, markets: Sequence[ElasticityMarket]) -> float:
    """Group elasticity of each market weighted by the group's volume [-]; NaN if none."""
    num = 0.0
    den = 0.0
    for m in markets:
        weight = m.volume_teu * float(np.asarray(m.share)[m.group].sum())
        if weight <= 0:
            continue
        e = cost_elasticities(cost_coefficient, m.cost, m.share, m.nests)
        num += weight * group_elasticity(e, m.share, m.group)
        den += weight
    return num / den if den > 0 else float("nan")


def _market_unit_elasticity(m: ElasticityMarket) -> float:
    e = cost_elasticities(1.0, m.cost, m.share, m.nests)
    return group_elasticity(e, m.share, m.group)


def calibrate_cost_coefficient(
    target: float,
    markets: Sequence[ElasticityMarket],
    bounds: tuple[float, float] | None = None,
) -> float:
    """The cost coefficient ``β`` whose mean group elasticity at the base shares is ``target``.

    Every elasticity at the base shares is linear in ``β`` (module docstring), so
    ``β = target / mean_group_elasticity(1, markets)``.

    With ``bounds = (low, high)`` (a literature range, ``low <= high < 0``) the rule
    goes on: if that ``β`` puts some market's group elasticity outside the range,
    ``β`` is moved to the nearest value that keeps every market inside it
    (``low / max_m ε_m(1) <= β <= high / min_m ε_m(1)``); if no single ``β`` can, the
    target's ``β`` is kept (the markets outside are reported by the caller).

    Parameters
    ----------
    target
        Target elasticity [-], < 0 (e.g. a road own-price elasticity from the
        literature).
    markets
        The base ODs.
    bounds
        Range every market's elasticity should stay in [-], or ``None``.

    Returns
    -------
    float
        ``β`` [1/cost unit], < 0.

    Raises
    ------
    ValueError
        If ``target`` is not negative, the bounds are not ordered and negative, or no
        market has the group with a positive share and cost (the elasticity does not
        depend on ``β``).
    """
    if not (np.isfinite(target) and target < 0):
        raise ValueError(f"target elasticity = {target!r}: must be < 0")
    unit = mean_group_elasticity(1.0, markets)
    if not (np.isfinite(unit) and unit > 0):
        raise ValueError(
            "markets: no OD has the group with a positive share, a positive cost and an "
            "alternative outside it: the elasticity does not depend on the cost coefficient"
        )
    beta = target / unit
    if bounds is None:
        return beta
    low, high = bounds
    if not low <= high < 0:
        raise ValueError(f"bounds = {bounds!r}: must satisfy low <= high < 0")
    units = [
        u
        for m in markets
        if m.volume_teu > 0 and np.isfinite(u := _market_unit_elasticity(m)) and u > 0
    ]
    steepest, flattest = max(units), min(units)
    most, least = low / steepest, high / flattest  # β in [most, least] keeps all inside
    if most > least:
        return beta
    return float(min(max(beta, most), least))
