"""Service times of terminal pools (issue #19): inverse transforms of a U(0, 1) draw; pure.

The one home of the service-time formulas: :func:`service_times_h` (vectorised, one
distribution), :func:`pool_service_times_h` (vectorised, each job by its pool's
distribution) and :func:`pool_service_time_h` (one move, scalar ``math``; the fast
engine's and the reference's moves). :mod:`freighthub.sim.pools` re-exports them.
Rules: ``docs/terminal-operations.md``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy import special

from freighthub.sim.terminal import PoolArrays

__all__ = ["DISTRIBUTIONS", "pool_service_time_h", "pool_service_times_h", "service_times_h"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Service-time distributions of a pool (``PoolArrays.distribution``).
DISTRIBUTIONS: tuple[str, ...] = (
    "exponential", "deterministic", "erlang", "lognormal", "empirical",
)  # fmt: skip


def service_times_h(
    distribution: str,
    mean_h: float,
    u: FloatArray,
    *,
    shape: int = 1,
    cv: float = math.nan,
    samples_h: FloatArray | None = None,
) -> FloatArray:
    """Service times from U(0, 1) draws by inverse transform.

    Parameters: ``distribution`` (one of :data:`DISTRIBUTIONS`), mean ``mean_h`` [h]
    (> 0; unused by ``empirical``), draws ``u`` [-], Erlang ``shape`` k [-] (>= 1),
    lognormal ``cv`` [-] (> 0), empirical ``samples_h`` [h] (non-empty, >= 0, any order).

    Returns
    -------
    numpy.ndarray
        Exponential ``-m ln(1-u)``; deterministic ``m``; Erlang-k ``m/k P^-1(k, u)``;
        lognormal ``exp(mu + sigma Phi^-1(u))`` with ``sigma^2 = ln(1 + cv^2)``,
        ``mu = ln m - sigma^2/2`` (mean ``m``, coefficient of variation ``cv``);
        empirical ``x[floor(u n)]`` of the sorted samples (index clipped to ``n - 1``),
        which resamples them with equal probability [h].

    Raises
    ------
    ValueError
        On an unknown distribution or an impossible parameter (``mean_h <= 0``,
        ``shape < 1``, ``cv <= 0`` for a lognormal, empty, negative or non-finite
        samples for an empirical distribution).
    """
    u = np.asarray(u, dtype=np.float64)
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f"distribution = {distribution!r}: must be one of {', '.join(DISTRIBUTIONS)}"
        )
    if shape < 1:
        raise ValueError(f"shape = {shape}: must be >= 1")
    if distribution == "empirical":
        if samples_h is None or np.size(samples_h) == 0:
            raise ValueError("samples_h is empty: an empirical distribution needs samples")
        x = np.sort(np.asarray(samples_h, dtype=np.float64).ravel())
        bad = x[~(np.isfinite(x) & (x >= 0))]
        if bad.size:
            raise ValueError(f"samples_h has {bad[0]!r}: every sample must be finite and >= 0")
        index = np.minimum((u * x.size).astype(np.int64), x.size - 1)
        return x[index]
    if not (math.isfinite(mean_h) and mean_h > 0):
        raise ValueError(f"mean_h = {mean_h!r}: must be finite and > 0")
    if distribution == "exponential":
        return -mean_h * np.log1p(-u)
    if distribution == "deterministic":
        return np.full(u.shape, float(mean_h))
    if distribution == "erlang":
        out: FloatArray = mean_h / shape * special.gammaincinv(float(shape), u)
        return out
    if not (math.isfinite(cv) and cv > 0):
        raise ValueError(f"cv = {cv!r}: a lognormal needs a coefficient of variation > 0")
    sigma2 = math.log1p(cv * cv)
    mu = math.log(mean_h) - sigma2 / 2
    times: FloatArray = np.exp(mu + math.sqrt(sigma2) * special.ndtri(u))
    return times


def pool_service_times_h(pools: PoolArrays, pool: IntArray, u: FloatArray) -> FloatArray:
    """Service times of jobs in several pools, each by its pool's distribution [h].

    ``pool`` (pool index per job) and ``u`` (U(0, 1) per job) have the same shape;
    raises ``ValueError`` as :func:`service_times_h` or when the shapes differ. The
    formulas of :func:`service_times_h` with each job's pool's parameters, one
    vectorised pass per distribution (not per pool): the same operations on each
    element, so the same values.
    """
    pool = np.asarray(pool)
    u = np.asarray(u, dtype=np.float64)
    if pool.shape != u.shape:
        raise ValueError(f"pool has shape {pool.shape} and u {u.shape}: must be equal")
    flat_pool, flat_u = pool.ravel(), u.ravel()
    if not flat_pool.size:
        return np.empty(u.shape, dtype=np.float64)
    used = np.flatnonzero(np.bincount(flat_pool, minlength=pools.n))
    for p in used.tolist():  # the parameters' checks (no draws)
        service_times_h(
            pools.distribution[p],
            float(pools.mean_service_h[p]),
            np.zeros(0),
            shape=int(pools.shape[p]),
            cv=float(pools.cv[p]),
            samples_h=pools.samples_h[p],
        )
    kinds = sorted({pools.distribution[p] for p in used.tolist()})
    if len(kinds) == 1:  # (the common case: no masks, no copies)
        return _by_pool(pools, kinds[0], flat_pool, flat_u).reshape(u.shape)
    out = np.empty(u.shape, dtype=np.float64)
    flat_out = out.reshape(-1)
    code = np.asarray([DISTRIBUTIONS.index(d) for d in pools.distribution], dtype=np.int8)
    job_code = code[flat_pool]
    for dist in kinds:
        rows = np.flatnonzero(job_code == DISTRIBUTIONS.index(dist))
        flat_out[rows] = _by_pool(pools, dist, flat_pool[rows], flat_u[rows])
    return out


def _by_pool(pools: PoolArrays, dist: str, pool: IntArray, u: FloatArray) -> FloatArray:
    """Service times of jobs whose pools all have distribution ``dist`` [h]; each
    pool's parameters computed as :func:`service_times_h` computes them (``math``)."""
    mean = [float(m) for m in pools.mean_service_h]
    if dist == "exponential":
        return np.asarray([-m for m in mean])[pool] * np.log1p(-u)
    if dist == "deterministic":
        return np.asarray(mean)[pool]
    if dist == "erlang":
        k = [int(x) for x in pools.shape]
        factor = np.asarray([m / x for m, x in zip(mean, k, strict=True)])
        shape = np.asarray(k, dtype=np.float64)
        return factor[pool] * special.gammaincinv(shape[pool], u)  # type: ignore[no-any-return]
    if dist == "lognormal":
        sigma2 = [math.log1p(float(c) * float(c)) for c in pools.cv]  # (NaN: not read)
        mu = np.asarray([math.log(m) if m > 0 else math.nan for m in mean])
        mu -= np.asarray(sigma2) / 2
        sigma = np.asarray([math.sqrt(x) if x >= 0 else math.nan for x in sigma2])
        x: FloatArray = special.ndtri(u)  # (in place after: exp(mu + sigma x), fewer temporaries)
        x *= sigma[pool]
        x += mu[pool]
        return np.exp(x, out=x)
    out = np.empty(u.shape, dtype=np.float64)  # empirical: each pool's samples
    for p in np.unique(pool).tolist():
        rows = np.flatnonzero(pool == p)
        out[rows] = service_times_h(dist, math.nan, u[rows], samples_h=pools.samples_h[p])
    return out


def pool_service_time_h(pools: PoolArrays, p: int, u: float) -> float:
    """Service time of one move of pool ``p`` from the U(0, 1) draw ``u`` [h].

    The scalar form of :func:`pool_service_times_h` (same formulas, with ``math``), for
    the moves the engines create one at a time; the compiled empirical samples are sorted.
    Raises ``ValueError`` on an unknown distribution.
    """
    dist = pools.distribution[p]
    m = float(pools.mean_service_h[p])
    if dist == "exponential":
        return -m * math.log1p(-u)
    if dist == "deterministic":
        return m
    if dist == "erlang":
        k = float(pools.shape[p])
        return m / k * float(special.gammaincinv(k, u))
    if dist == "lognormal":
        cv = float(pools.cv[p])
        sigma2 = math.log1p(cv * cv)
        mu = math.log(m) - sigma2 / 2.0
        return math.exp(mu + math.sqrt(sigma2) * float(special.ndtri(u)))
    if dist == "empirical":
        samples = pools.samples_h[p]
        n = samples.size
        return float(samples[min(math.floor(u * n), n - 1)])
    raise ValueError(f"pool {pools.ids[p]!r}: unknown service distribution {dist!r}")
