"""The work of a box's truck moves in the compiled loop (issue #19; clock in hours [h]).

A box's gate and truck-in moves at the hub it enters by road and its truck-out moves
take their work from its own U(0, 1) draws (``TerminalDraws.gate_u``, ``yard_u``)
through their pool's service-time distribution
(:func:`freighthub.sim.service_times.pool_service_times_h`): :func:`first_works` draws
those of every box's first hub at set-up, vectorised; :func:`truck_outs` lists a
route's truck-out moves (the loop draws a later hub's works when a box reaches it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from freighthub.sim.network import LEG_SERVICE
from freighthub.sim.service_times import pool_service_times_h
from freighthub.sim.terminal import TASK_GATE, TASK_YARD

# ``tr``: a freighthub.sim.engine_terminal.TerminalRun (not imported: that module imports
# this one when a run starts).
TerminalRun = Any

__all__ = ["first_works", "truck_outs"]


def first_works(tr: TerminalRun, ids: Any, hub: Any) -> tuple[Any, Any, Any]:
    """Per box, the work [h] of the gate and truck-in moves at its first hub and of its
    route's first truck-out (NaN where there is none)."""
    e, term = tr.e, tr.term
    pools = term.pools
    n = e.n
    pool_of = np.asarray(term.pool_of, dtype=np.int64)
    origin = np.asarray(tr.origin, dtype=np.int64)
    if pools.n == 0:  # no terminal pool: no gate, truck-in or truck-out work (none read)
        return np.empty(0), np.empty(0), np.empty(0)
    k = e.leg_index[e.leg_start[e.route[ids]] + e.pos[ids]]
    draws = e.arr.terminal
    gate_u = np.asarray(draws.gate_u, dtype=np.float64).ravel()
    yard_u = np.asarray(draws.yard_u, dtype=np.float64).reshape(n, 2)
    outs = [truck_outs(tr, r) for r in range(len(tr.n_legs))]
    first_out = np.asarray([o[0][1] if o else -1 for o in outs], dtype=np.int64)
    w = []
    for rows, pool, u in (
        (ids, pool_of[hub, TASK_GATE], gate_u),
        (ids, pool_of[origin[k], TASK_YARD], yard_u[:, 0]),
        (None, first_out[e.route], yard_u[:, 1]),  # (every box)
    ):
        out = np.full(n, np.nan)
        m = pool >= 0
        r = np.flatnonzero(m) if rows is None else rows[m]
        if r.size:
            out[r] = pool_service_times_h(pools, pool[m], u[r])
        w.append(out)
    return w[0], w[1], w[2]


def truck_outs(tr: TerminalRun, r: int) -> list[tuple[int, int]]:
    """Route ``r``'s truck-out moves: (unload column, yard pool), in route order."""
    cache: dict[int, list[tuple[int, int]]] = tr.__dict__.setdefault("_outs", {})
    if r in cache:
        return cache[r]
    e = tr.e
    out: list[tuple[int, int]] = []
    start, n_legs = tr.leg_start[r], tr.n_legs[r]
    for p in range(n_legs - 1):
        if tr.leg_kind[start + p] == LEG_SERVICE and tr.leg_kind[start + p + 1] != LEG_SERVICE:
            c = int(e.plan.unload_col[r, p])
            y = tr.pool_of[int(e.plan.visit_hub[r, c])][TASK_YARD]
            if y >= 0:
                out.append((c, y))
    cache[r] = out
    return out
