"""The terminal model's run with the compiled event loop (issues #19, #20).

:func:`run_compiled` does what :meth:`freighthub.sim.engine_terminal.TerminalRun.run`
does, with the events of pool moves, hub entries, trip arrivals, background jobs and
priority-pool wakes, departures and selections handled by
:mod:`freighthub.sim.terminal_kernel` (numba, imported here, so only when a terminal
run starts), in one call for the run unless it needs room or Python. Road legs towards
another hub and diversions come back here and use the engine; with background traffic
departures come back too and use the background interface
(:class:`~freighthub.sim.engine_background.TerminalBackground`:
``call``, ``started``, ``trip``) as the Python loop does. Results are those of the
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
from freighthub.sim.terminal_state import initial_arrays, truck_outs

# ``tr``: a freighthub.sim.engine_terminal.TerminalRun (not imported: that module imports
# this one when a run starts).
TerminalRun = Any

__all__ = ["run_compiled"]

_BG = 3  # (terminal_heap.BG)
# Growable arrays of the state and what each holds per row.
_GROW = (
    ("ji", N_J := S.N_JOBS), ("jt", N_J), ("jw", N_J), ("jn", N_J),
    ("hf", S.N_HEAP), ("hi", S.N_HEAP),
    ("y_hub", S.N_YARD), ("y_h", S.N_YARD), ("y_teu", S.N_YARD),
    ("qb_k", S.N_QBUF), ("qb_t", S.N_QBUF), ("qb_s", S.N_QBUF), ("qb_i", S.N_QBUF),
    ("bb_ref", S.N_BGBUF), ("bb_t", S.N_BGBUF),
    ("tail_i", S.N_TAIL), ("tail_t", S.N_TAIL),
    ("held_i", S.N_HELD), ("held_t", S.N_HELD), ("held_next", S.N_HELD),
    ("trip_k", S.N_TRIPS), ("trip_off", S.N_TRIPS), ("trip_box", S.N_TBOX),
    ("dep_due", S.N_DEPS), ("dep_left", S.N_DEPS), ("dep_last", S.N_DEPS),
    ("dep_k", S.N_DEPS), ("dep_j", S.N_DEPS), ("dep_trip", S.N_DEPS), ("dep_bg", S.N_DEPS),
    ("tr_k", S.N_TREC), ("tr_f", S.N_TREC), ("tr_b", S.N_TREC),
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
        self.unloads = 0

    # -- state -----------------------------------------------------------------
    def grow(self, extra: int = 0) -> None:
        """Room for ``extra`` more rows than the margin in every growing array."""
        s = self.a
        counts = s.n.tolist()
        need = counts[S.N_MARGIN] + extra
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

    def flush(self) -> None:
        """The buffered background starts to the background interface."""
        s = self.a
        nb = int(s.n[S.N_BGBUF])
        if nb:
            bgt = self.tr.bgt
            assert bgt is not None
            ref, times = s.bb_ref[:nb].tolist(), s.bb_t[:nb].tolist()
            for r, (start, end) in zip(ref, times, strict=True):
                bgt.started(r, start, end)
            s.n[S.N_BGBUF] = 0

    # -- departures with background traffic (Python: its fill and trips) -----------
    def select(self, k: int, due_h: float, capacity: float) -> tuple[int, float]:
        """TerminalRun.select with background lots: a trip slot and the background TEU."""
        bgt, s = self.tr.bgt, self.s
        assert bgt is not None
        if not bgt.book.lots[k]:
            return D.select(s, k, due_h, capacity), 0.0
        ready, seq, ids = D.sorted_queue(s, k)
        eligible = int((ready + float(self.a.cutoff[k])).searchsorted(due_h, "right"))
        n_load, bg_teu = bgt.book.fill(k, due_h, capacity, ready, self.a.teu[ids])
        if eligible > n_load:
            self.a.left_behind[ids[n_load:eligible]] += 1
        D.keep(s, k, ready[n_load:], seq[n_load:], ids[n_load:])
        return D.new_trip(s, ids[:n_load]), bg_teu

    def departure(self, code: int, a: int, j: int, now: float) -> None:
        """A selection or departure of a run with background traffic."""
        s, tt = self.a, self.a.tt_off
        if code == S.SELECT:
            D.next_departure(self.s, a, j + 1)
            o = int(tt[a]) + j
            m, bg_teu = self.select(a, float(s.tt_h[o]), float(s.tt_cap[o]))
            K.window_loads(self.s, a, j, now, m, bg_teu)
            return
        if a < 0:
            k = ~a
            D.next_departure(self.s, k, j + 1)
            m, bg_teu = self.select(k, now, float(s.tt_cap[int(tt[k]) + j]))
        else:
            k, j, m, bg_teu = (
                int(s.dep_k[a]),
                int(s.dep_j[a]),
                int(s.dep_trip[a]),
                float(s.dep_bg[a]),
            )
        arrival = K.depart(self.s, k, j, now, m)
        assert self.tr.bgt is not None
        unload = self.tr.bgt.trip(k, j, arrival, bg_teu)
        if unload is not None:  # after the trip's boxes at the same instant
            row, pool, work = unload
            u = self.unloads
            self.unloads += 1
            s = self.room(u, ("bu_pool", "bu_work", "bu_ref"))
            s.bu_pool[u], s.bu_work[u], s.bu_ref[u] = pool, work, ~row
            self.push(arrival, _BG, ~u)

    def room(self, index: int, fields: tuple[str, ...]) -> Any:
        """The state, with its arrays ``fields`` (of one length) doubled if ``index`` is
        past their end."""
        s = self.a
        size = getattr(s, fields[0]).size
        if index >= size:
            self.set(**{f: _grown(getattr(s, f), 2 * size) for f in fields})
        return self.a

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

    def run(self) -> None:
        tr, e = self.tr, self.e
        services = e.net.services
        self.grow(services.n)
        for k in range(services.n):
            D.next_departure(self.s, k, 0)
        if tr.bgt is not None:
            jobs = tr.bgt.book.jobs
            calls = [tr.bgt.call(j) for j in range(jobs.n)]
            self.set(
                bg_pool=np.asarray([c[0] for c in calls] or [0], dtype=np.int64),
                bg_work=np.asarray([c[1] for c in calls] or [0.0], dtype=np.float64),
                bg_class=np.asarray([tr.bgt.job_class(j) for j in range(jobs.n)] or [0]),
            )
            self.grow(jobs.n)
            refs = np.arange(jobs.n, dtype=np.int64)
            H.push_many(self.s, _c(jobs.arrival_h, np.float64), _BG, refs, np.zeros_like(refs))
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
                self.flush()
                now = float(self.a.x[S.X_NOW])
                self.departure(code, int(n[S.ESC_A]), int(n[S.ESC_B]), now)
        self.flush()
        self.finish()

    def finish(self) -> None:
        tr, e, s = self.tr, self.e, self.a
        n = s.n
        for h in range(e.net.n_hubs):
            b = int(s.held_head[h])
            while b >= 0:
                e.yard_hold[int(s.held_i[b])] = tr.horizon - float(s.held_t[b])
                b = int(s.held_next[b])
        nt = int(n[S.N_TAIL])
        if nt:
            e.finish_by_road(s.tail_i[:nt].copy(), s.tail_t[:nt].copy())
        nr = int(n[S.N_TREC])
        f = s.tr_f[:nr].tolist()
        e.trips.extend(
            (k, *f[r][:4], b, f[r][4])
            for r, (k, b) in enumerate(zip(s.tr_k[:nr].tolist(), s.tr_b[:nr].tolist(), strict=True))
        )
        nj, ny = int(n[S.N_JOBS]), int(n[S.N_YARD])
        ji, jt = s.ji[:nj], s.jt[:nj]
        K.write_visits(ji, jt, e.visit_start, e.visit_wait)  # (engine_pools.write_visits)
        out: Any = tr  # the records as numpy arrays (job_columns reads any buffer)
        out.j_int, out.j_t = np.ascontiguousarray(ji).ravel(), np.ascontiguousarray(jt).ravel()
        out.y_hub, out.y_h, out.y_teu = s.y_hub[:ny], s.y_h[:ny], s.y_teu[:ny]


def run_compiled(tr: TerminalRun) -> None:
    """Run ``tr``'s terminal model with the compiled loop; its records as the Python
    loop leaves them (``tr.finish`` builds the result)."""
    _Loop(tr).run()
