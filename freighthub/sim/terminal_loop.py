"""The terminal model's run with the compiled event loop (issues #19, #20).

:func:`run_compiled` does what :meth:`freighthub.sim.engine_terminal.TerminalRun.run`
does, with the events of pool moves, hub entries, trip arrivals, background jobs and
priority-pool wakes handled by :mod:`freighthub.sim.terminal_kernel` (numba, imported
here, so only when a terminal run starts). Departures and their selections, road legs
towards another hub and diversions come back here and use the engine and the
background interface (:class:`~freighthub.sim.engine_background.TerminalBackground`:
``call``, ``started``, ``trip``) as the Python loop does. Results are those of the
Python loop (``tests/sim/test_terminal_engine.py`` compares both). The simulation
clock is in hours [h].
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np

from freighthub.sim import terminal_heap as H
from freighthub.sim import terminal_kernel as K
from freighthub.sim import terminal_state as S
from freighthub.sim.engine_pools import write_visits
from freighthub.sim.service_times import pool_service_time_h
from freighthub.sim.terminal import TASK_GATE, TASK_YARD
from freighthub.sim.terminal_state import initial_arrays, truck_outs

# ``tr``: a freighthub.sim.engine_terminal.TerminalRun (not imported: that module imports
# this one when a run starts).
TerminalRun = Any

__all__ = ["run_compiled"]

_SELECT, _DEPART, _TRIP, _BG = 4, 5, 2, 3
# Growable arrays of the state and what each holds per row.
_GROW = (
    ("ji", N_J := S.N_JOBS), ("jt", N_J), ("jw", N_J), ("jn", N_J),
    ("hf", S.N_HEAP), ("hi", S.N_HEAP),
    ("y_hub", S.N_YARD), ("y_h", S.N_YARD), ("y_teu", S.N_YARD),
    ("qb_k", S.N_QBUF), ("qb_t", S.N_QBUF), ("qb_s", S.N_QBUF), ("qb_i", S.N_QBUF),
    ("bb_ref", S.N_BGBUF), ("bb_t", S.N_BGBUF),
    ("tail_i", S.N_TAIL), ("tail_t", S.N_TAIL),
    ("held_i", S.N_HELD), ("held_t", S.N_HELD), ("held_next", S.N_HELD),
)  # fmt: skip

_GROUPS: dict[int, list[str]] = {}
for _name, _counter in _GROW:
    _GROUPS.setdefault(_counter, []).append(_name)


def _grown(a: Any, rows: int) -> Any:
    out = np.empty((rows, *a.shape[1:]), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


class _Growing:
    """A compact array that grows by doubling (a state field)."""

    def __init__(self, dtype: Any) -> None:
        self.a = np.empty(16, dtype=dtype)
        self.size = 0

    def extend(self, values: Any) -> bool:
        """Append; True if the array was replaced."""
        m = self.size + len(values)
        grew = m > self.a.size
        if grew:
            self.a = _grown(self.a, max(m, 2 * self.a.size))
        self.a[self.size : m] = values
        self.size = m
        return grew


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
        services = e.net.services
        self.s = self.state()
        self.a.n[S.N_MARGIN] = self.max_units + 8
        self.a.n[S.N_QFREE] = -1
        self.deps: list[list[Any]] = []  # [service, boxes, timetable index, bg TEU]
        self.n_deps = 0
        self.trips = _Growing(np.int64)
        self.trips.extend([0])
        self.trip_n = 0
        self.unloads = 0
        self.queue: list[list[tuple[Any, Any, Any]]] = [[] for _ in range(services.n)]
        self.cutoff = services.cutoff_h
        self.timetable = [d.tolist() for d in services.departures_h]

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

    # -- Python events -------------------------------------------------------------
    def next_departure(self, k: int, j: int) -> None:
        tr = self.tr
        if j < len(self.timetable[k]) and (t := self.timetable[k][j]) < tr.horizon:
            if tr.window[k] > 0:
                self.push(t - tr.window[k], _SELECT, k, j)
            else:
                self.push(t, _DEPART, ~k, j)

    def select(self, k: int, due_h: float, capacity: float) -> tuple[Any, float]:
        """TerminalRun.select over the queue's chunks."""
        e, tr = self.e, self.tr
        chunks = self.queue[k]
        m = int(self.a.q_len[k])
        if m:  # the boxes queued since the last departure of k
            new = np.empty(m), np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
            K.take_queue(self.s, k, *new)
            chunks.append(new)
        if chunks:
            ready = np.concatenate([c[0] for c in chunks])
            seq = np.concatenate([c[1] for c in chunks])
            ids = np.concatenate([c[2] for c in chunks])
            order = np.lexsort((seq, ready))
            ready, seq, ids = ready[order], seq[order], ids[order]
        else:
            ready, seq, ids = np.empty(0), np.empty(0, np.int64), np.empty(0, np.int64)
        teu = self.a.teu[ids]
        eligible = int((ready + float(self.cutoff[k])).searchsorted(due_h, "right"))
        bg_teu = 0.0
        if tr.bgt is not None and tr.bgt.book.lots[k]:
            n_load, bg_teu = tr.bgt.book.fill(k, due_h, capacity, ready, teu)
        else:
            n_load = int(teu[:eligible].cumsum().searchsorted(capacity, "right"))
        if eligible > n_load:
            e.left_behind[ids[n_load:eligible]] += 1
        self.queue[k] = [(ready[n_load:], seq[n_load:], ids[n_load:])] if ids.size > n_load else []
        return ids[:n_load], bg_teu

    def room(self, index: int, fields: tuple[str, ...]) -> Any:
        """The state, with its arrays ``fields`` (of one length) doubled if ``index`` is
        past their end."""
        s = self.a
        size = getattr(s, fields[0]).size
        if index >= size:
            self.set(**{f: _grown(getattr(s, f), 2 * size) for f in fields})
        return self.a

    def window_select(self, k: int, j: int, now: float) -> None:
        services = self.e.net.services
        due = float(services.departures_h[k][j])
        cap = float(services.capacity_teu[k][j])
        loaded, bg_teu = self.select(k, due, cap)
        d = self.n_deps
        self.n_deps += 1
        s = self.room(d, ("dep_due", "dep_left", "dep_last"))
        s.dep_due[d], s.dep_left[d], s.dep_last[d] = due, loaded.size, -math.inf
        self.deps.append([k, loaded, j, bg_teu])
        if not loaded.size:
            self.push(due, _DEPART, d)
            return
        self.grow(loaded.size)
        K.load_jobs(self.s, loaded, now, d)

    def depart(self, k: int, j: int, t: float, ids: Any, bg_teu: float) -> None:
        """TerminalRun.depart."""
        e, tr = self.e, self.tr
        h = tr.origin[k]
        load_teu = 0.0
        s = self.a
        if ids.size:
            e.leg_dep[ids, e.pos[ids]] = t
            load_teu = float(e.teu[ids].sum())
            s.occupancy[h] -= load_teu
            self.grow(ids.size)
            s = self.a
            y = int(s.n[S.N_YARD])
            s.y_hub[y : y + ids.size] = h
            s.y_h[y : y + ids.size] = t
            s.y_teu[y : y + ids.size] = -s.teu[ids]
            s.n[S.N_YARD] = y + ids.size
        if s.held_head[h] >= 0:
            self.grow(int(s.n[S.N_HELD]))
            K.readmit(self.s, h, t)
        trip_h = tr.travel[k] + (tr.qwait[k][j] if tr.qwait else 0.0) + tr.extra[k][j]
        arrival = t + trip_h
        mass = float(e.arr.mass_t[ids].sum()) if ids.size else 0.0
        boxes = int(e.arr.boxes[ids].sum()) if ids.size else 0
        cap = float(e.net.services.capacity_teu[k][j])
        shown = arrival if arrival < tr.horizon else math.nan
        e.trips.append((k, t, shown, load_teu, mass, boxes, cap))
        if ids.size and arrival < tr.horizon:
            m = self.trip_n
            self.trip_n += 1
            off = self.trips.size - 1
            self.trips_box_extend(ids)
            self.trips.extend([int(self.trips.a[off]) + ids.size])
            if m >= self.a.trip_k.size or self.a.trip_off is not self.trips.a:
                kk = self.a.trip_k
                self.set(trip_off=self.trips.a, trip_k=_grown(kk, max(m + 1, 2 * kk.size)))
            self.a.trip_k[m] = k
            self.a.n[S.N_MARGIN] = max(int(self.a.n[S.N_MARGIN]), ids.size + self.max_units + 8)
            self.push(arrival, _TRIP, m)
        unload = tr.bgt.trip(k, j, arrival, bg_teu) if tr.bgt is not None else None
        if unload is not None:
            row, pool, work = unload
            u = self.unloads
            self.unloads += 1
            s = self.room(u, ("bu_pool", "bu_work", "bu_ref"))
            s.bu_pool[u], s.bu_work[u], s.bu_ref[u] = pool, work, ~row
            self.push(arrival, _BG, ~u)

    def trips_box_extend(self, ids: Any) -> None:
        s = self.a
        start = int(self.trips.a[self.trips.size - 1])
        box = s.trip_box
        if start + ids.size > box.size:
            box = _grown(box, max(start + ids.size, 2 * box.size))
            self.set(trip_box=box)
        box[start : start + ids.size] = ids

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
        y = tr.pool_of[tr.origin[tr.service_of(i)]][TASK_YARD]
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
        for k in range(services.n):
            self.next_departure(k, 0)
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
        while True:
            code = K.run_loop(self.s)
            if code == S.DONE:
                break
            if code == S.GROW:
                self.grow()
            elif code == S.ROAD:
                self.road()
            elif code == S.DIVERT:
                e.divert_to_road(np.asarray([int(self.a.n[S.ESC_A])], dtype=np.int64))
            else:
                self.flush()
                a, b, now = int(self.a.n[S.ESC_A]), int(self.a.n[S.ESC_B]), float(self.a.x[S.X_NOW])
                if code == S.SELECT:
                    self.next_departure(a, b + 1)
                    self.window_select(a, b, now)
                elif a < 0:
                    k = ~a
                    self.next_departure(k, b + 1)
                    cap = float(services.capacity_teu[k][b])
                    self.depart(k, b, now, *self.select(k, now, cap))
                else:
                    k, loaded, j, bg_teu = self.deps[a]
                    self.depart(k, j, now, loaded, bg_teu)
                    self.deps[a][1] = None
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
        nj, ny = int(n[S.N_JOBS]), int(n[S.N_YARD])
        ji, jt = s.ji[:nj], s.jt[:nj]
        write_visits(e, ji[:, 5], ji[:, 3], jt[:, 0], jt[:, 1])
        out: Any = tr  # the records as numpy arrays (job_columns reads any buffer)
        out.j_int, out.j_t = np.ascontiguousarray(ji).ravel(), np.ascontiguousarray(jt).ravel()
        out.y_hub, out.y_h, out.y_teu = s.y_hub[:ny], s.y_h[:ny], s.y_teu[:ny]


def run_compiled(tr: TerminalRun) -> None:
    """Run ``tr``'s terminal model with the compiled loop; its records as the Python
    loop leaves them (``tr.finish`` builds the result)."""
    _Loop(tr).run()
