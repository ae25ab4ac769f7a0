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
"""

from __future__ import annotations

__all__ = ["erlang_c", "mmc_mean_wait_h", "mmc_utilisation_share"]


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
