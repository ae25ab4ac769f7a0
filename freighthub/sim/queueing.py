"""Analytic results for the M/M/c queue (Erlang C), used to check the simulation.

These are textbook formulas, not data: the probability that an arriving job has
to wait in an M/M/c queue (Poisson arrivals at rate ``λ``, exponential service at
rate ``μ`` per server, ``c`` servers, FIFO, infinite waiting room) and the mean
wait in the queue. Time is in hours.

References
----------
A. K. Erlang, "Solution of some problems in the theory of probabilities of
significance in automatic telephone exchanges", Elektroteknikeren 13 (1917).
D. Gross, J. F. Shortle, J. M. Thompson and C. M. Harris, *Fundamentals of Queueing
Theory*, 4th ed., Wiley 2008, chapter 2 (multiserver queues M/M/c).
A. Cobham, "Priority assignment in waiting line problems", Journal of the Operations
Research Society of America 2(1) (1954) 70–76, Eq. 3 (non-pre-emptive priorities, one
server, general service times).
L. V. Green and P. J. Kolesar, "The pointwise stationary approximation for queues with
nonstationary arrivals", Management Science 37(1) (1991) 84–97, doi:10.1287/mnsc.37.1.84;
W. Whitt, "The pointwise stationary approximation for Mt/Mt/s queues is asymptotically
correct as the rates increase", Management Science 37(3) (1991) 307–314.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "cobham_waits_h",
    "erlang_c",
    "mmc_mean_wait_h",
    "mmc_utilisation_share",
    "piecewise_stationary_wait_h",
]


def _check(arrival_rate_per_h: float, service_rate_per_h: float, servers: int) -> float:
    if servers < 1:
        raise ValueError(f"servers = {servers}: must be >= 1")
    if not arrival_rate_per_h > 0:
        raise ValueError(f"arrival_rate_per_h = {arrival_rate_per_h}: must be > 0")
    if not service_rate_per_h > 0:
        raise ValueError(f"service_rate_per_h = {service_rate_per_h}: must be > 0")
    rho = arrival_rate_per_h / (servers * service_rate_per_h)
    if rho >= 1:
        raise ValueError(
            f"utilisation λ/(cμ) = {rho:.4g}: must be < 1 for a steady state "
            "(add servers or lower the arrival rate)"
        )
    return rho


def mmc_utilisation_share(
    arrival_rate_per_h: float, service_rate_per_h: float, servers: int
) -> float:
    """Server utilisation ``ρ = λ / (c μ)`` of an M/M/c queue [0–1].

    Raises
    ------
    ValueError
        If a rate is not positive, ``servers`` < 1 or ``ρ`` >= 1.
    """
    return _check(arrival_rate_per_h, service_rate_per_h, servers)


def erlang_c(arrival_rate_per_h: float, service_rate_per_h: float, servers: int) -> float:
    """Probability that an arriving job waits in an M/M/c queue (Erlang C) [0–1].

    ``C(c, a) = (a^c / c!) / (1 - ρ) / (Σ_{k<c} a^k / k! + (a^c / c!) / (1 - ρ))``
    with offered load ``a = λ/μ`` and ``ρ = a/c``, evaluated with the numerically
    stable Erlang B recursion ``B(k) = a B(k-1) / (k + a B(k-1))``,
    ``C = B / (1 - ρ (1 - B))``.

    Parameters
    ----------
    arrival_rate_per_h
        Poisson arrival rate ``λ`` [1/h].
    service_rate_per_h
        Service rate of one server ``μ`` [1/h] (1 / mean service time).
    servers
        Number of servers ``c`` [count].

    Raises
    ------
    ValueError
        If a rate is not positive, ``servers`` < 1 or ``ρ`` >= 1.

    References
    ----------
    Gross et al. (2008), chapter 2 (M/M/c and the Erlang B and C formulas).
    """
    rho = _check(arrival_rate_per_h, service_rate_per_h, servers)
    load = arrival_rate_per_h / service_rate_per_h
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking / (1.0 - rho * (1.0 - blocking))


def mmc_mean_wait_h(arrival_rate_per_h: float, service_rate_per_h: float, servers: int) -> float:
    """Mean wait in the queue (before service starts) of an M/M/c queue [h].

    ``Wq = C(c, a) / (c μ - λ)``.

    Raises
    ------
    ValueError
        If a rate is not positive, ``servers`` < 1 or ``ρ`` >= 1.

    References
    ----------
    Gross et al. (2008), chapter 2 (M/M/c).
    """
    probability = erlang_c(arrival_rate_per_h, service_rate_per_h, servers)
    return probability / (servers * service_rate_per_h - arrival_rate_per_h)


def cobham_waits_h(
    arrival_rate_per_h: Sequence[float],
    mean_service_h: Sequence[float],
    second_moment_h2: Sequence[float],
) -> NDArray[np.float64]:
    """Mean wait in the queue per class of a non-pre-emptive priority M/G/1 queue [h].

    Classes are given in priority order (index 0 served first); FIFO within a
    class. With ``ρ_i = λ_i E[S_i]``, ``σ_k = Σ_{i≤k} ρ_i`` and the mean residual
    work ``W0 = Σ_i λ_i E[S_i²] / 2``: ``Wq_k = W0 / ((1 - σ_{k-1}) (1 - σ_k))``.

    Parameters
    ----------
    arrival_rate_per_h
        Poisson arrival rate per class ``λ_i`` [1/h], >= 0.
    mean_service_h
        Mean service time per class ``E[S_i]`` [h], >= 0.
    second_moment_h2
        Second moment of the service time per class ``E[S_i²]`` [h²]
        (``2 E[S]²`` exponential, ``E[S]²`` deterministic), >= ``E[S_i]²``.

    Raises
    ------
    ValueError
        If the lengths differ, a value is negative or non-finite, a second moment
        is below the squared mean, or the total load ``Σ ρ_i`` >= 1.

    References
    ----------
    Cobham (1954), Eq. 3; see the module docstring.
    """
    lam = np.asarray(arrival_rate_per_h, dtype=np.float64)
    mean = np.asarray(mean_service_h, dtype=np.float64)
    second = np.asarray(second_moment_h2, dtype=np.float64)
    if not lam.ndim == 1 or not lam.shape == mean.shape == second.shape or lam.size == 0:
        raise ValueError(
            "arrival_rate_per_h, mean_service_h and second_moment_h2: same length >= 1"
        )
    values = np.concatenate((lam, mean, second))
    if not bool(np.all(np.isfinite(values))) or bool(np.any(values < 0)):
        raise ValueError("rates, means and second moments must be finite and >= 0")
    if bool(np.any(second < mean**2 * (1 - 1e-12))):
        raise ValueError("second_moment_h2 must be >= mean_service_h squared")
    load = np.cumsum(lam * mean)
    if load[-1] >= 1:
        raise ValueError(f"total utilisation = {load[-1]:.4g}: must be < 1 for a steady state")
    residual = float(np.sum(lam * second)) / 2
    before = np.concatenate(([0.0], load[:-1]))
    return residual / ((1 - before) * (1 - load))


def piecewise_stationary_wait_h(
    rates_per_h: Sequence[float], servers: int, mean_service_h: float
) -> float:
    """Mean wait in the queue of an M(t)/M/c queue by the pointwise stationary approximation [h].

    The arrival rate is constant within each of equal-length periods (say the hours
    of a day, repeating); the approximation is the arrival-weighted mean of the
    stationary M/M/c waits (Erlang C) at each period's rate:
    ``Σ_p λ_p Wq(λ_p) / Σ_p λ_p``. It is asymptotically exact when the service is
    short against the periods (Whitt 1991) and otherwise an upper bound in the
    cases Green and Kolesar (1991) computed.

    Parameters
    ----------
    rates_per_h
        Arrival rate per period [1/h], >= 0, not all 0.
    servers
        Servers ``c`` [count], >= 1.
    mean_service_h
        Mean (exponential) service time [h], > 0.

    Raises
    ------
    ValueError
        If a rate is negative, all are 0, or a period's utilisation is >= 1 (the
        approximation needs every period stable).

    References
    ----------
    Green and Kolesar (1991); Whitt (1991); see the module docstring.
    """
    rates = np.asarray(rates_per_h, dtype=np.float64)
    if rates.size == 0 or not bool(np.all(np.isfinite(rates))) or bool(np.any(rates < 0)):
        raise ValueError("rates_per_h must be finite and >= 0")
    if not float(rates.sum()) > 0:
        raise ValueError("rates_per_h are all 0: no arrivals to average over")
    if not mean_service_h > 0:
        raise ValueError(f"mean_service_h = {mean_service_h}: must be > 0")
    mu = 1.0 / mean_service_h
    waits = [mmc_mean_wait_h(r, mu, servers) if r > 0 else 0.0 for r in rates.tolist()]
    return float(np.dot(rates, waits) / rates.sum())
