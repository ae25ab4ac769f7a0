"""Discrete choice of mode and route: multinomial and nested logit, and calibration.

Pure functions on numpy arrays; alternatives are the last axis. Utilities are in
utility units; the generalised cost turns money, time and emissions into one cost.

References
----------
Ben-Akiva, M. and Lerman, S. R. (1985). *Discrete Choice Analysis*. MIT Press,
ch. 5 (multinomial logit) and ch. 10 (nested logit, eq. 10.18-10.20).
Train, K. (2009). *Discrete Choice Methods with Simulation*, 2nd ed., Cambridge
University Press, §2.8 (calibrating alternative-specific constants to market
shares) and §4.2 (nested logit probability, eq. 4.2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from freighthub.errors import FreighthubError

__all__ = [
    "CalibrationError",
    "Nest",
    "calibrate_constants",
    "generalised_cost",
    "logsum",
    "multinomial_logit",
    "nested_logit",
]

FloatArray = NDArray[np.float64]


class CalibrationError(FreighthubError, ValueError):
    """The alternative-specific constants cannot reproduce the target shares."""


def generalised_cost(
    price_cny_per_teu: ArrayLike,
    duration_h: ArrayLike,
    emissions_tco2e_per_teu: ArrayLike,
    value_of_time_cny_per_teu_h: float,
    carbon_price_cny_per_tco2e: float = 0.0,
    reliability_cny_per_teu: ArrayLike = 0.0,
) -> FloatArray:
    """Generalised cost of moving one TEU by an alternative.

    ``GC = price + value_of_time × duration + carbon_price × emissions + reliability``

    Parameters
    ----------
    price_cny_per_teu
        Out-of-pocket price, including tolls, minus subsidies [CNY/TEU].
    duration_h
        Door-to-door time [h].
    emissions_tco2e_per_teu
        Emissions charged by the carbon price, normally WTW [tCO2e/TEU].
    value_of_time_cny_per_teu_h
        Value of time of the cargo [CNY/(TEU·h)], >= 0.
    carbon_price_cny_per_tco2e
        Carbon price [CNY/tCO2e], >= 0.
    reliability_cny_per_teu
        Monetised unreliability (e.g. value of reliability × standard deviation of
        time) [CNY/TEU].

    Returns
    -------
    numpy.ndarray
        Generalised cost [CNY/TEU], broadcast over the inputs.

    Raises
    ------
    ValueError
        If the value of time or the carbon price is negative.
    """
    if value_of_time_cny_per_teu_h < 0:
        raise ValueError(
            f"value_of_time_cny_per_teu_h = {value_of_time_cny_per_teu_h}: must be >= 0"
        )
    if carbon_price_cny_per_tco2e < 0:
        raise ValueError(f"carbon_price_cny_per_tco2e = {carbon_price_cny_per_tco2e}: must be >= 0")
    cost: FloatArray = (
        np.asarray(price_cny_per_teu, dtype=float)
        + value_of_time_cny_per_teu_h * np.asarray(duration_h, dtype=float)
        + carbon_price_cny_per_tco2e * np.asarray(emissions_tco2e_per_teu, dtype=float)
        + np.asarray(reliability_cny_per_teu, dtype=float)
    )
    return cost


def multinomial_logit(utility: ArrayLike) -> FloatArray:
    """Choice probabilities of a multinomial logit.

    ``P_j = exp(V_j) / sum_k exp(V_k)``, computed stably (max subtracted).
    An alternative with utility ``-inf`` is unavailable and gets probability 0.

    Parameters
    ----------
    utility
        Systematic utilities, alternatives on the last axis [-].

    Returns
    -------
    numpy.ndarray
        Probabilities [-], same shape, summing to 1 over the last axis.

    Raises
    ------
    ValueError
        If a utility is NaN or +inf, or if no alternative is available.
    """
    v = np.asarray(utility, dtype=float)
    if np.isnan(v).any() or np.isposinf(v).any():
        raise ValueError("utility: must be finite or -inf (unavailable)")
    top = v.max(axis=-1, keepdims=True)
    if np.isneginf(top).any():
        raise ValueError("utility: every alternative is unavailable (-inf)")
    e = np.exp(v - top)
    out: FloatArray = e / e.sum(axis=-1, keepdims=True)
    return out


@dataclass(frozen=True)
class Nest:
    """A nest of a nested logit.

    Attributes
    ----------
    name
        For messages, e.g. ``"road"`` or ``"intermodal"``.
    members
        Indices of the alternatives in the nest.
    scale
        Nest (dissimilarity) parameter λ in (0, 1]; 1 collapses to the
        multinomial logit.
    """

    name: str
    members: tuple[int, ...]
    scale: float

    def __post_init__(self) -> None:
        if not 0 < self.scale <= 1:
            raise ValueError(f"nest {self.name!r}: scale = {self.scale}: must be in (0, 1]")
        if not self.members:
            raise ValueError(f"nest {self.name!r}: members: must not be empty")


def nested_logit(utility: ArrayLike, nests: Sequence[Nest]) -> FloatArray:
    """Choice probabilities of a two-level nested logit.

    ``P_j = P(j | k) · P(k)``, with ``P(j | k) = exp(V_j/λ_k) / Σ_{i∈k} exp(V_i/λ_k)``,
    inclusive value ``I_k = ln Σ_{i∈k} exp(V_i/λ_k)`` and
    ``P(k) = exp(λ_k I_k) / Σ_m exp(λ_m I_m)`` (Train 2009, eq. 4.2).

    Parameters
    ----------
    utility
        Systematic utilities, alternatives on the last axis [-].
    nests
        A partition of the alternatives: every index in exactly one nest.

    Returns
    -------
    numpy.ndarray
        Probabilities [-], summing to 1 over the last axis.

    Raises
    ------
    ValueError
        If the nests do not partition the alternatives, or a utility is NaN/+inf.
    """
    v = np.asarray(utility, dtype=float)
    if np.isnan(v).any() or np.isposinf(v).any():
        raise ValueError("utility: must be finite or -inf (unavailable)")
    n_alt = v.shape[-1]
    listed = sorted(i for nest in nests for i in nest.members)
    if listed != list(range(n_alt)):
        raise ValueError(
            f"nests: must list each of the {n_alt} alternatives exactly once, got {listed}"
        )
    inclusive = []
    within = np.zeros_like(v)
    for nest in nests:
        idx = list(nest.members)
        scaled = v[..., idx] / nest.scale
        top = scaled.max(axis=-1, keepdims=True)
        safe_top = np.where(np.isneginf(top), 0.0, top)
        e = np.exp(scaled - safe_top)
        total = e.sum(axis=-1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            within[..., idx] = np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)
            inclusive.append(nest.scale * (np.log(total[..., 0]) + safe_top[..., 0]))
    nest_p = multinomial_logit(np.stack(inclusive, axis=-1))
    out = np.zeros_like(v)
    for k, nest in enumerate(nests):
        idx = list(nest.members)
        out[..., idx] = within[..., idx] * nest_p[..., k : k + 1]
    return out


def calibrate_constants(
    utility: ArrayLike,
    target_share: ArrayLike,
    nests: Sequence[Nest] | None = None,
    reference: int = 0,
    tolerance: float = 1e-12,
    max_iterations: int = 10_000,
) -> tuple[FloatArray, float]:
    """Alternative-specific constants that reproduce observed shares exactly.

    Iterates ``ASC_j ← ASC_j + λ_k ln(S_j / P_j)`` (Train 2009, §2.8; the nest scale
    λ_k of the alternative's nest damps the step, λ = 1 for a multinomial logit),
    then shifts all constants so that the reference alternative's is 0. For a
    multinomial logit one step suffices; a nested logit needs a few dozen.

    Parameters
    ----------
    utility
        Utilities without constants, one row per market segment or a single
        vector [-].
    target_share
        Observed shares, same shape, each row summing to 1 [0-1]; an alternative
        with share 0 is treated as unavailable (constant -inf).
    nests
        Nests for a nested logit; ``None`` for a multinomial logit.
    reference
        Index of the alternative whose constant is fixed at 0.
    tolerance
        Largest absolute difference between predicted and target shares accepted.
    max_iterations
        Bound on the iterations.

    Returns
    -------
    tuple
        The constants (same shape as ``utility``) and the residual: the largest
        absolute share difference reached [-].

    Raises
    ------
    ValueError
        If shares are negative, do not sum to 1, or the reference has share 0.
    CalibrationError
        If the iteration does not reach the tolerance (utilities too far apart for
        floating point, e.g. with a huge cost coefficient).
    """
    v = np.asarray(utility, dtype=float)
    s = np.asarray(target_share, dtype=float)
    if s.shape != v.shape:
        raise ValueError(f"target_share: shape {s.shape} must equal utility shape {v.shape}")
    if (s < 0).any() or not np.allclose(s.sum(axis=-1), 1.0, atol=1e-9):
        raise ValueError("target_share: must be >= 0 and sum to 1 over the alternatives")
    if (s[..., reference] <= 0).any():
        raise ValueError(f"reference = {reference}: its target share must be > 0")
    available = s > 0
    asc = np.where(available, 0.0, -np.inf)
    # Damping by the nest scale keeps the update from overshooting: within a nest a
    # constant moves the log-share by 1/λ per unit, so a step of λ·ln(S/P) is a
    # Newton-like step on the own-share (for the multinomial logit, λ = 1).
    damping = np.ones(v.shape[-1])
    for nest in nests or ():
        damping[list(nest.members)] = nest.scale

    def predict(constants: FloatArray) -> FloatArray:
        u = v + constants
        return nested_logit(u, nests) if nests else multinomial_logit(u)

    residual = np.inf
    for _ in range(max_iterations):
        p = predict(asc)
        residual = float(np.abs(p - s).max())
        if residual <= tolerance:
            break
        with np.errstate(divide="ignore"):
            step = np.where(
                available,
                damping * np.log(np.where(available, s, 1.0) / np.maximum(p, 1e-300)),
                0.0,
            )
        asc = asc + step
    else:
        raise CalibrationError(
            f"calibration did not converge: residual {residual:.3g} > tolerance {tolerance:.3g} "
            f"after {max_iterations} iterations"
        )
    asc = asc - asc[..., reference : reference + 1]
    return asc, residual


def logsum(utility: ArrayLike) -> FloatArray:
    """The logsum (expected maximum utility) of a multinomial logit.

    ``ln sum_k exp(V_k)``, computed stably (max added back); an alternative with
    utility ``-inf`` is unavailable and adds nothing. The change of the logsum
    divided by minus the cost coefficient is the change of consumer surplus per
    decision maker [CNY] (Train 2009, §3.5, eq. 3.10; de Jong et al. 2007,
    *Transportation Research Part A* 41(9), 874-889).

    Parameters
    ----------
    utility
        Systematic utilities, alternatives on the last axis [-].

    Returns
    -------
    numpy.ndarray
        The logsum [-], the last axis removed.

    Raises
    ------
    ValueError
        If a utility is NaN or +inf, or if no alternative is available.
    """
    v = np.asarray(utility, dtype=float)
    p = multinomial_logit(v)  # checks the utilities
    # ln sum exp(V) = V_k - ln P_k for any k; the best alternative keeps P_k away from 0
    best = np.argmax(v, axis=-1)[..., None]
    chosen_v = np.take_along_axis(v, best, axis=-1)[..., 0]
    chosen_p = np.take_along_axis(p, best, axis=-1)[..., 0]
    out: FloatArray = chosen_v - np.log(chosen_p)
    return out
