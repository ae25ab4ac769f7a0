"""Terminal operations (issue #19): the compiled contract between scenario and engines.

CHANGES (additive only; helpers working on the engines poll this header)
-------------------------------------------------------------------------
- v1: TASKS, MOVE_KINDS, MOVE_CLASSES, PRIORITIES, PoolArrays, ShiftPatterns,
  TerminalArrays (``CompiledNetwork.terminal``), TerminalDraws (``Arrivals.terminal``),
  TerminalRecords (``EngineResult.terminal``). All optional: ``None`` everywhere
  means a scenario without a terminal model, which runs exactly as before.

The simulation clock is in hours [h]; ``t = 0`` is the start of the scenario. Hours
of the week are ``t mod 168`` (the scenario's week starts at ``t = 0``).

What the engines do with these arrays is written in ``docs/terminal-operations.md``
(the rules both :mod:`freighthub.sim.engine` and :mod:`freighthub.sim.reference`
implement, box for box).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "MOVE_CLASSES",
    "MOVE_KINDS",
    "PRIORITIES",
    "TASKS",
    "PoolArrays",
    "ShiftPatterns",
    "TerminalArrays",
    "TerminalDraws",
    "TerminalRecords",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: What an equipment pool does. ``quay``: load and unload moves of inland-waterway
#: and sea services; ``rail``: those of rail services; ``yard``: a truck's move
#: (truck to stack on arrival by road, stack to truck on leaving by road);
#: ``gate``: a truck's gate transaction. Index = task code.
TASKS: tuple[str, ...] = ("quay", "rail", "yard", "gate")
TASK_QUAY, TASK_RAIL, TASK_YARD, TASK_GATE = range(4)

#: The kinds of move a pool serves (``TerminalRecords.job_kind``). Index = kind code.
MOVE_KINDS: tuple[str, ...] = (
    "load", "unload", "truck_in", "truck_out", "gate", "background",
)  # fmt: skip
KIND_LOAD, KIND_UNLOAD, KIND_TRUCK_IN, KIND_TRUCK_OUT, KIND_GATE, KIND_BACKGROUND = range(6)

#: Priority classes: ``service`` (work on a train or vessel: unloads, transshipment
#: loads, loads in a loading window, background calls, lots and unloads) and
#: ``truck`` (work for a truck: gate, truck-in and truck-out yard moves, the load
#: move of a box that arrived by road when its service has no loading window).
MOVE_CLASSES: tuple[str, ...] = ("service", "truck")
CLASS_SERVICE, CLASS_TRUCK = range(2)

#: Pool disciplines, non-pre-emptive. Index = ``PoolArrays.priority`` code.
PRIORITIES: tuple[str, ...] = ("fifo", "service_first", "truck_first")


@dataclass(frozen=True)
class PoolArrays:
    """Equipment pools by task, one entry per pool (index = pool index).

    Attributes
    ----------
    ids
        ``"<hub id>/<task>"`` per pool.
    hub
        Hub index of each pool.
    task
        Task code (index into :data:`TASKS`).
    units
        Units in the pool [count], >= 1 (a pool with 0 units is refused at load).
    mean_service_h
        Mean time of one move on one unit [h] (``1 / moves_per_h``; for an empirical
        distribution, the sample mean).
    distribution
        Per pool: ``exponential``, ``deterministic``, ``erlang``, ``lognormal`` or
        ``empirical``.
    shape
        Erlang shape k [-] (1 otherwise).
    cv
        Coefficient of variation of a lognormal service time [-] (NaN otherwise).
    samples_h
        Per pool, the sorted empirical service times [h] (empty otherwise).
    priority
        Discipline code (index into :data:`PRIORITIES`).
    shift
        Index of the pool's shift pattern in :class:`ShiftPatterns`, or -1 (always
        on duty).
    mtbf_h, mttr_h
        Mean time between failures and to repair, per unit [h]; ``inf`` and 0 when
        the pool has no breakdowns.
    """

    ids: tuple[str, ...]
    hub: IntArray
    task: IntArray
    units: IntArray
    mean_service_h: FloatArray
    distribution: tuple[str, ...]
    shape: IntArray
    cv: FloatArray
    samples_h: tuple[FloatArray, ...]
    priority: IntArray
    shift: IntArray
    mtbf_h: FloatArray
    mttr_h: FloatArray

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class ShiftPatterns:
    """Weekly patterns of units on duty.

    Pattern ``s`` has periods starting at ``start_h[s]`` (hours of the week, sorted,
    the first 0, each running to the next start or to 168) with the share of the
    pool's units on duty ``on_duty_share[s]`` (0-1). A pool of ``c`` units has
    ``floor(share * c + 0.5)`` units on duty in a period: units ``0 .. m-1``.
    """

    ids: tuple[str, ...]
    start_h: tuple[FloatArray, ...]
    on_duty_share: tuple[FloatArray, ...]


@dataclass(frozen=True)
class TerminalArrays:
    """The terminal model of a scenario (``CompiledNetwork.terminal``).

    Attributes
    ----------
    pools, shifts
        See their classes.
    pool_of
        Shape ``(n_hubs, len(TASKS))``: pool index serving each task at each hub,
        or -1: for ``quay`` and ``rail`` the hub's general handling pool
        (``HubArrays.servers`` ...), for ``yard`` no yard move, for ``gate`` the
        hub's existing gate (``HubArrays.gate_lanes``, ``gate_time_h``).
    loading_window_h
        Per service, the loading window before each departure [h]; 0 = the load
        move happens when the box reaches the hub (the rule without a terminal
        model). At most the service's ``cutoff_h``.
    travel_time_cv
        Per service, coefficient of variation of a departure's travel time
        (lognormal factor with mean 1) [-]; 0 = fixed.
    truck_wait_threshold_h
        Per hub, the truck-waiting threshold whose exceedance share is reported
        [h]; NaN when none is given.
    """

    pools: PoolArrays
    shifts: ShiftPatterns
    pool_of: IntArray
    loading_window_h: FloatArray
    travel_time_cv: FloatArray
    truck_wait_threshold_h: FloatArray


@dataclass(frozen=True)
class TerminalDraws:
    """One replication's random draws for the terminal model (``Arrivals.terminal``).

    The engines draw nothing themselves; both read these.

    Attributes
    ----------
    gate_u
        U(0, 1) per container for its gate move [-].
    yard_u
        Shape ``(n, 2)``: U(0, 1) per container for its truck-in and truck-out yard
        moves [-].
    down_start_h, down_end_h
        Per pool, per unit: the sorted, disjoint intervals in which the unit is not
        available (off duty by its shift pattern or broken down), over
        ``[0, horizon_h]`` and beyond (the last interval may end after the horizon).
    travel_extra_h
        Per service, one value per departure (aligned with
        ``ServiceArrays.departures_h[k]``): added to the travel time [h] (0 when the
        service's travel time is fixed).
    """

    gate_u: FloatArray
    yard_u: FloatArray
    down_start_h: tuple[tuple[FloatArray, ...], ...]
    down_end_h: tuple[tuple[FloatArray, ...], ...]
    travel_extra_h: tuple[FloatArray, ...]


@dataclass(frozen=True)
class TerminalRecords:
    """Every move a run served in a terminal pool or a hub's general pool, and the yard.

    Recorded only when ``CompiledNetwork.terminal`` is set. Pool index ``p <
    PoolArrays.n`` is a terminal pool; ``PoolArrays.n + h`` is hub ``h``'s general
    handling pool; ``PoolArrays.n + n_hubs + h`` its existing gate. Jobs are sorted by
    (pool, arrival, start) so both engines give equal arrays.

    Attributes
    ----------
    job_pool, job_kind, job_class
        Pool index, kind code (:data:`MOVE_KINDS`), class code (:data:`MOVE_CLASSES`).
        The fast engine gives them (and ``yard_hub``) as compact integers (int32, int8,
        int8; memory); compare values, not dtypes.
    job_box
        Container row of a traced move, -1 for background.
    job_arrival_h, job_start_h, job_end_h
        When the job reached the pool, started and ended [h] (start and end NaN
        when not started before the horizon).
    yard_hub, yard_h, yard_delta_teu
        Every change of a hub's yard occupancy: hub index, time [h], change [TEU],
        sorted by (hub, time, delta).
    truck_wait_h, truck_turnaround_h
        Per container: its truck's waiting (queueing, not service) at the gate and
        yard pools of the hub where it enters by road, and its turnaround (gate
        arrival to the end of its truck-in move) [h]; NaN where it has none.
    """

    job_pool: IntArray
    job_kind: IntArray
    job_class: IntArray
    job_box: IntArray
    job_arrival_h: FloatArray
    job_start_h: FloatArray
    job_end_h: FloatArray
    yard_hub: IntArray
    yard_h: FloatArray
    yard_delta_teu: FloatArray
    truck_wait_h: FloatArray
    truck_turnaround_h: FloatArray
