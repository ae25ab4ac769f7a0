"""Waits at locks and gauge-change border crossings for a scenario's services.

Each departure of a service that names locks (``locks = [...]``) or a crossing
(``border_crossing``, with ``border_direction`` where the crossing has a queue per
direction) waits in that queue among the other traffic of the physics file
(:mod:`freighthub.model.physics`); the queue mechanics are
:func:`freighthub.sim.waterway.queue_waits_h`:

- a lock: ``lanes x vessels_per_lockage`` servers, exponential lockage cycles (M/M/c);
  its ``initial_queue_vessels`` wait at time 0; a maintenance ``closure`` of the
  scenario's year (its ``[validation] year``; a scenario without a year represents no
  dated year, so no dated closure applies) takes the closed lanes' servers out of
  service for its period, so vessels wait until the remaining lanes can take them;
- a crossing: ``tracks`` servers, deterministic handling (M/D/c), one queue shared by
  both directions or one per direction.

The physics file's other traffic is the published total, which includes the scenario's
own vessels or trains: each service's queue takes ``total - its own departures per hour``
as the Poisson stream beside its departures, so the queue carries the published total
(:func:`other_traffic_per_h`; a service that alone exceeds the total is refused).

Draws come from a generator seeded by the scenario, service and queue ids, so a
compiled network is the same every time and both engines see the same waits. The
simulation clock is in hours from 1 January 00:00 of a 365-day year.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from freighthub.model.physics import Lock, load_physics
from freighthub.model.scenario_schema import Scenario
from freighthub.sim.arrays import FloatArray
from freighthub.sim.waterway import border_service_h, lock_servers, queue_waits_h
from freighthub.units import HOURS_PER_DAY

__all__ = ["lock_down_intervals_h", "other_traffic_per_h", "service_queue_waits_h"]


def other_traffic_per_h(total_per_h: float, departures: int, horizon_h: float, what: str) -> float:
    """The other traffic beside a service's own departures [per h]: the published total
    less the service's rate, ``departures / horizon_h``.

    Raises
    ------
    ValueError
        If the service alone runs more often than the published total.
    """
    own = departures / horizon_h
    if own > total_per_h:
        raise ValueError(
            f"{what}: the service's {own:.3g} departures/h exceed the published total "
            f"{total_per_h:.3g}/h that includes them"
        )
    return total_per_h - own


def lock_down_intervals_h(lock: Lock, year: int | None) -> list[list[tuple[float, float]]]:
    """Closed periods [h] of each server of ``lock`` in ``year`` (none without a year).

    Closing ``n`` of ``L`` lanes leaves ``lock_servers(L - n, vessels_per_lockage)``
    servers; the others are down for the closure.
    """
    servers = lock_servers(lock.lanes, lock.vessels_per_lockage)
    down: list[list[tuple[float, float]]] = [[] for _ in range(servers)]
    for c in lock.closure:
        if c.year != year:
            continue
        left = lock.lanes - c.lanes_closed
        open_servers = lock_servers(left, lock.vessels_per_lockage) if left > 0 else 0
        start = c.start_h()
        for k in range(open_servers, servers):
            down[k].append((start, start + c.duration_days * HOURS_PER_DAY))
    return down


def service_queue_waits_h(s: Scenario, deps: Sequence[FloatArray]) -> tuple[FloatArray, ...]:
    """Each departure's wait at the locks or border crossing its service names [h]."""
    physics = load_physics()
    locks = {lock.id: lock for lock in physics.lock}
    borders = {b.id: b for b in physics.border_crossing}
    year = s.validation.year if s.validation is not None else None
    waits: list[FloatArray] = []
    for svc, dep in zip(s.services, deps, strict=True):
        total = np.zeros_like(dep)
        for lock_id in svc.locks:
            lock = locks[lock_id]
            total += queue_waits_h(
                dep,
                background_per_h=other_traffic_per_h(
                    lock.background_vessels_per_h, dep.size, s.horizon_h, f"lock {lock_id}"
                ),
                servers=lock_servers(lock.lanes, lock.vessels_per_lockage),
                service_h=lock.lockage_cycle_h,
                deterministic=False,
                horizon_h=s.horizon_h,
                rng=np.random.default_rng(zlib.crc32(f"{s.id}/{svc.id}/{lock_id}".encode())),
                down_h=lock_down_intervals_h(lock, year),
                initial_queue=lock.initial_queue_vessels,
            )
        if svc.border_crossing is not None:
            queue = borders[svc.border_crossing].queue(svc.border_direction)
            total += queue_waits_h(
                dep,
                background_per_h=other_traffic_per_h(
                    queue.background_trains_per_day / HOURS_PER_DAY,
                    dep.size,
                    s.horizon_h,
                    f"border crossing {svc.border_crossing}",
                ),
                servers=queue.tracks,
                service_h=border_service_h(queue.trains_per_day_per_track),
                deterministic=True,
                horizon_h=s.horizon_h,
                rng=np.random.default_rng(
                    zlib.crc32(f"{s.id}/{svc.id}/{svc.border_crossing}".encode())
                ),
            )
        waits.append(total)
    return tuple(waits)
