"""The terminal model's run with the compiled event loop (issues #19, #20).

:func:`run_compiled` does what :meth:`freighthub.sim.engine_terminal.TerminalRun.run`
does, with the events of pool moves, hub entries, trip arrivals, background jobs and
priority-pool wakes, departures and selections handled by
:mod:`freighthub.sim.terminal_kernel` (numba, imported here, so only when a terminal
run starts), in one call for the run unless it needs room or Python. Road legs towards
another hub and diversions come back here and use the engine; background traffic runs in
the kernel (:mod:`freighthub.sim.terminal_background`) and comes back only to draw the
work of trips' background unloads (scipy); its jobs' pools and the book's records go
through :class:`~freighthub.sim.engine_background.TerminalBackground` (``arrays``,
``unload_work_h``, ``record``). Results are those of the
Python loop (``tests/sim/test_terminal_engine.py`` compares both). The simulation
clock is in hours [h].
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from freighthub.sim import terminal_departures as D
from freighthub.sim import terminal_heap as H
from freighthub.sim import terminal_kernel as K
from freighthub.sim import terminal_state as S
from freighthub.sim.service_times import pool_service_time_h
from freighthub.sim.terminal import TASK_GATE, TASK_YARD
from freighthub.sim.terminal_records import JOB_FIELDS
from freighthub.sim.terminal_state import initial_arrays
from freighthub.sim.terminal_works import truck_outs

# ``tr``: a freighthub.sim.engine_terminal.TerminalRun (not imported: that module imports
# this one when a run starts).
TerminalRun = Any

__all__ = ["run_compiled"]

# Growable arrays of the state and what each holds per row.
_GROW = (
    *((f, S.N_JOBS) for f in JOB_FIELDS), ("jw", S.N_WBUF), ("jn", S.N_WBUF),
    ("hf", S.N_HEAP), ("hi", S.N_HEAP),
    ("y_hub", S.N_YARD), ("y_h", S.N_YARD), ("y_teu", S.N_YARD),
    ("qb_k", S.N_QBUF), ("qb_t", S.N_QBUF), ("qb_s", S.N_QBUF), ("qb_i", S.N_QBUF),
    ("lb_k", S.N_LOTS), ("lb_f", S.N_LOTS),
    ("tail_i", S.N_TAIL), ("tail_t", S.N_TAIL),
    ("held_i", S.N_HELD), ("held_t", S.N_HELD), ("held_next", S.N_HELD),
    ("trip_k", S.N_TRIPS), ("trip_off", S.N_TRIPS), ("trip_box", S.N_TBOX),
    ("dep_due", S.N_DEPS), ("dep_left", S.N_DEPS), ("dep_last", S.N_DEPS),
    ("dep_k", S.N_DEPS), ("dep_j", S.N_DEPS), ("dep_trip", S.N_DEPS), ("dep_bg", S.N_DEPS),
    ("tr_k", S.N_TREC), ("tr_f", S.N_TREC), ("tr_b", S.N_TREC), ("tr_bg", S.N_TREC),
    ("bu_pool", S.N_UNL), ("bu_work", S.N_UNL), ("bu_ref", S.N_UNL), ("bu_k", S.N_UNL),
    ("bu_j", S.N_UNL), ("bu_arr", S.N_UNL), ("bu_teu", S.N_UNL), ("bu_start", S.N_UNL),
)  # fmt: skip

_GROUPS: dict[int, list[str]] = {}
for _name, _counter in _GROW:
    _GROUPS.setdefault(_counter, []).append(_name)


def _grown(a: Any, rows: int) -> Any:
    out = np.empty((rows, *a.shape[1:]), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


def _c(a: Any, dtype: Any) -> Any:
    return np.ascontiguousarray(a, dtype=dtype)


class _Loop:
    def __init__(self, tr: TerminalRun) -> None:
        self.tr = tr
        e = tr.e
        n = e.n
        self.e = e
        self.a = SimpleNamespace(**initial_arrays(tr))
        draws = e.arr.terminal
        self.gate_u = np.asarray(draws.gate_u, dtype=np.float64).ravel()
        self.yard_u = np.asarray(draws.yard_u, dtype=np.float64).reshape(n, 2)
        self.max_units = int(self.a.p_units.max())
        self.s = self.state()
        self.a.n[S.N_MARGIN] = self.max_units + 8
        self.a.n[S.N_UNITS] = self.max_units
        self.a.n[S.N_QFREE] = -1
        self.a.n[S.N_LFREE] = -1
        self.a.n[S.N_WFREE] = -1
        self.drawn = 0  # background unloads whose work is drawn

    # -- state -----------------------------------------------------------------
    def grow(self, extra: int = 0) -> None:
        """Room for ``extra`` more rows than the margin in every growing array."""
        s = self.a
        counts = s.n.tolist()
        need = counts[S.N_MARGIN] + extra
        if counts[S.N_TAIL] and counts[S.N_TAIL] + need > s.tail_t.shape[0]:
            self.road_tail()  # (rather than grow: the tail's boxes have no more events)
            counts[S.N_TAIL] = 0
        new: dict[str, Any] = {}
        for counter, names in _GROUPS.items():
            rows = counts[counter] + need
            size = getattr(s, names[0]).shape[0]
            if rows > size:
                for name in names:
                    new[name] = _grown(getattr(s, name), max(rows, 2 * size))
        if new:
            self.set(**new)

    def state(self) -> Any:
        return S.new_state(self.a.__dict__)

    def set(self, **fields: Any) -> None:
        """Replace arrays of the state (grown ones)."""
        self.a.__dict__.update(fields)
        self.s = self.state()

    def push(self, t: float, kind: int, a: int, b: int = 0) -> None:
        n = self.a.n
        if n[S.N_HEAP] + n[S.N_MARGIN] + 1 > self.a.hf.shape[0]:
            self.grow(1)
        H.push(self.s, t, kind, a, b)

    def unload_work(self) -> None:
        """Draw the work [h] of the trips' background unloads recorded since the last
        call (before the first reaches its pool; TerminalBackground.unload_work_h)."""
        s, bgt = self.a, self.tr.bgt
        u0, u1 = self.drawn, int(s.n[S.N_UNL])
        if u1 > u0 and bgt is not None:
            work = bgt.unload_work_h(s.bu_k[u0:u1], s.bu_j[u0:u1], s.bu_teu[u0:u1])
            s.bu_work[u0:u1] = work
        self.drawn = u1

    def road(self) -> None:
        """A road leg towards another hub (box ``ESC_A`` from ``X_ESC_T``)."""
        e, tr, s = self.e, self.tr, self.a
        i, t = int(s.n[S.ESC_A]), float(s.x[S.X_ESC_T])
        ids, ts, hs = e.road_until_hub(np.asarray([i], dtype=np.int64), np.asarray([t]))
        if not ids.size:
            return
        h = int(hs[0])
        pools = tr.term.pools
        g = tr.pool_of[h][TASK_GATE]
        if g >= 0:
            s.w_gate[i] = pool_service_time_h(pools, g, float(self.gate_u[i]))
        k = int(e.leg_index[e.leg_start[int(e.route[i])] + int(e.pos[i])])  # TerminalRun.service_of
        y = tr.pool_of[tr.origin[k]][TASK_YARD]
        if y >= 0:
            s.w_in[i] = pool_service_time_h(pools, y, float(self.yard_u[i, 0]))
        col = int(s.nvis[i])
        nxt = [py for c, py in truck_outs(tr, int(e.route[i])) if c >= col]
        if nxt:
            s.w_out[i] = pool_service_time_h(pools, nxt[0], float(self.yard_u[i, 1]))
        self.push(float(ts[0]), 1, i, h)

    def road_tail(self) -> None:
        """The road legs to delivery of the boxes in the tail (those with road legs
        only left; no event of the loop reads them again), compiled; the tail is empty."""
        s = self.a
        nt = int(s.n[S.N_TAIL])
        self.e.road_walk(s.tail_i[:nt].copy(), s.tail_t[:nt].copy())  # (finish_by_road)
        s.n[S.N_TAIL] = 0

    def run(self) -> None:
        tr, e = self.tr, self.e
        services = e.net.services
        self.grow(services.n)
        for k in range(services.n):
            D.next_departure(self.s, k, 0)
        if tr.bgt is not None:
            book = tr.bgt.book
            jobs = book.jobs
            pool, work, klass, upool = tr.bgt.arrays()
            self.set(bg_pool=pool, bg_work=work, bg_class=klass, bg_upool=upool,
                     bg_start=book.start_h, bg_service=_c(jobs.service, np.int64),
                     bg_teu=_c(jobs.teu, np.float64), left_bg=book.left_behind_teu)  # fmt: skip
            arrival = _c(jobs.arrival_h, np.float64)
            order = arrival.argsort(kind="stable")  # (sorted already: the heap's order)
            self.set(bs_t=arrival[order], bs_j=order.astype(np.int64))
        n = self.a.n
        while True:
            code = K.run_loop(self.s)
            if code == S.DONE:
                break
            if code == S.GROW:
                self.grow(int(n[S.N_NEED]))
                n = self.a.n
                n[S.N_NEED] = 0
            elif code == S.ROAD:
                self.road()
            elif code == S.DIVERT:
                e.divert_to_road(np.asarray([int(n[S.ESC_A])], dtype=np.int64))
            else:
                self.unload_work()
        self.finish()

    def finish(self) -> None:
        tr, e, s = self.tr, self.e, self.a
        n = s.n
        for h in range(e.net.n_hubs):
            b = int(s.held_head[h])
            while b >= 0:
                e.yard_hold[int(s.held_i[b])] = tr.horizon - float(s.held_t[b])
                b = int(s.held_next[b])
        self.road_tail()
        nr = int(n[S.N_TREC])
        f = s.tr_f[:nr]
        e.trip_cols = {  # (network.trip_arrays of the trips as the Python loop lists them)
            "trip_service": s.tr_k[:nr].copy(),
            "trip_departure_h": f[:, 0].copy(),
            "trip_arrival_h": f[:, 1].copy(),
            "trip_teu": f[:, 2].copy(),
            "trip_mass_t": f[:, 3].copy(),
            "trip_boxes": s.tr_b[:nr].copy(),
            "trip_capacity_teu": f[:, 4].copy(),
        }
        nj, ny = int(n[S.N_JOBS]), int(n[S.N_YARD])
        tr.jobs = tuple(getattr(s, f)[:nj] for f in JOB_FIELDS if f != "j_col")
        box, arrival, start = tr.jobs[3:6]  # (engine_pools.write_visits)
        K.write_visits(box, s.j_col[:nj], arrival, start, e.voff, e.visit_start, e.visit_wait)
        tr.y_hub, tr.y_h, tr.y_teu = s.y_hub[:ny], s.y_h[:ny], s.y_teu[:ny]
        if tr.bgt is not None:
            self.background()

    def background(self) -> None:
        """The background records into the book (as the Python loop leaves them)."""
        s, bgt = self.a, self.tr.bgt
        assert bgt is not None
        self.unload_work()  # (unloads due at or after the horizon too)
        nu = int(s.n[S.N_UNL])
        unloads = tuple(getattr(s, f)[:nu] for f in ("bu_k", "bu_j", "bu_arr", "bu_work"))
        lots = []
        for k in range(s.l_len.size):
            ready, teu = [], []
            b = int(s.l_head[k])
            while b >= 0:
                ready.append(float(s.lb_f[b, 0]))
                teu.append(float(s.lb_f[b, 1]))
                b = int(s.lb_k[b])
            lots.append((np.asarray(ready, dtype=np.float64), np.asarray(teu, dtype=np.float64)))
        bgt.record(s.tr_bg[: int(s.n[S.N_TREC])], (*unloads, s.bu_teu[:nu], s.bu_start[:nu]), lots)


def run_compiled(tr: TerminalRun) -> None:
    """Run ``tr``'s terminal model with the compiled loop; its records as the Python
    loop leaves them (``tr.finish`` builds the result)."""
    _Loop(tr).run()
