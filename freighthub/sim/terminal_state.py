"""The state of the compiled terminal loop (:mod:`freighthub.sim.terminal_kernel`).

One run's state is the arrays of :data:`SPEC` held by reference in a numba StructRef
(:class:`KernelState`): compiled functions pass it as one pointer, and its type is the
same in every run (one signature, cached). :func:`new_state` builds it (compiled,
cached). The counters and scalars of ``n`` and ``x`` are named here. The simulation
clock is in hours [h]. Imported only when a terminal run starts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import from_dtype, njit
from numba.core import types
from numba.experimental import structref

from freighthub.sim.kernel_cache import prepare_cache
from freighthub.sim.terminal_borrow import unowned
from freighthub.sim.terminal_records import record_arrays
from freighthub.sim.terminal_works import first_works

# ``tr``: a freighthub.sim.engine_terminal.TerminalRun (not imported: that module imports
# this one when a run starts).
TerminalRun = Any

__all__ = ["FIELDS", "SPEC", "KernelState", "initial_arrays", "new_state"]

# Before any function below is compiled or loaded (every module of the loop imports this
# one): drop stale cached code; a loop missing from the cache is compiled in a child.
prepare_cache()

# Integer counters and escape values in ``n`` (index names).
(N_HEAP, N_SEQ, N_JOBS, N_QSEQ, N_YARD, N_TAIL, N_ENT, N_QBUF, N_LOTS, N_HELD,
 ESC_A, ESC_B, N_MARGIN, N_QFREE, N_TRIPS, N_TBOX, N_DEPS, N_TREC, N_NEED,
 N_UNITS, N_LFREE, N_UNL, N_BS, N_WBUF, N_WFREE, N_WQH, N_WQT) = range(27)  # fmt: skip
# Float scalars in ``x``.
X_NOW, X_HORIZON, X_ESC_T = range(3)
# Return codes of terminal_kernel.run_loop.
DONE, GROW, UNLOAD_WORK, ROAD, DIVERT = range(5)

#: Each array of the state: numpy type code and dimensions (C order). What they hold:
#: n, x counters and scalars; hf (time, phase, creation time, seq) and hi (kind, a, b)
#: the event heap; j_pool, j_arr (arrival [h]) and (last) j_kind, j_class, j_box,
#: j_col (visit column or -1), j_start, j_end [h]: the job records, in the dtypes of
#: TerminalRecords; jw work [h], jn (next slot, job, departure or background ref)
#: per waiting slot (a priority pool's queued job; free slots from n[N_WFREE]);
#: p_* per pool (units, priority, calendar, first unit, wake [h], class queues' head and
#: tail slots); u_* per unit (free [h], the available_h cache lo, a, nd [h], offsets of
#: its down intervals d_s, d_e [h]); fh_t, fh_u the free heaps of FIFO pools without
#: calendars; per box: route, pos, teu, handling [h], the works [h] of its gate,
#: truck-in and truck-out moves, truck waits [h], tracking, visits done, ready times
#: [h], yard hold [h]; routes, legs, services and hubs; ent_* the first hub entries;
#: y_* yard changes; tail_* boxes left with road legs only; qb_* the boxes waiting
#: for a departure (a linked FIFO per service from q_head to q_tail, qb_k the next slot,
#: free slots from n[N_QFREE]); lb_k, lb_f the background lots waiting for a departure
#: (the same per service from l_head to l_tail: next slot; ready [h], TEU; free slots
#: from n[N_LFREE]); held_* held boxes (a FIFO per hub);
#: dep_* windowed departures; trip_* trips' boxes; bg_*, bu_* background jobs and
#: trip unloads (pool, work [h], ref); flags [divert, background traffic, no records];
#: leg_dep, left_behind the engine's; mass_t, boxes per box; tt_* per
#: departure (``tt_off`` per service): time, capacity [TEU], trip time [h]; cutoff per
#: service [h]; dep_k, dep_j, dep_trip, dep_bg a windowed departure's service, timetable
#: index, trip slot and background TEU; tr_k, tr_f (departure, arrival or NaN [h], TEU,
#: mass [t], capacity [TEU]), tr_b the trips' records; held_n boxes held per hub;
#: v_start, v_wait the engine's visit starts and waits [h] (written by the kernel when
#: the run keeps no records, flags[2]); bg_start (the book's start_h), bg_service,
#: bg_teu per background job; bg_upool per service the pool of its trips' background
#: unloads; bu_k, bu_j, bu_arr [h], bu_teu, bu_start [h] per unload (its work bu_work NaN
#: until Python draws it, code UNLOAD_WORK); tr_bg the trips' background TEU; left_bg
#: (the book's left_behind_teu) per service [TEU]; bs_t [h], bs_j the background jobs'
#: arrivals in order (a stream merged with the heap, as ent_*); voff (n + 1): box i's
#: visit column c is row voff[i] + c of handling, v_start, v_wait (engine.Records);
#: wq (pool, sequence number) the wakes due at the current instant, in order, from
#: n[N_WQH] to n[N_WQT] (terminal_heap: a FIFO beside the heap); loff (n + 1): box i's
#: leg p is row loff[i] + p of leg_dep (engine.Records).
SPEC: dict[str, str] = {
    "n": "i81", "x": "f81", "hf": "f82", "hi": "i82", "j_pool": "i41", "j_arr": "f81",
    "jw": "f81", "jn": "i82", "p_units": "i81", "p_prio": "i81", "p_cal": "b11",
    "p_uoff": "i81", "p_wake": "f81", "p_qh": "i82", "p_qt": "i82", "u_free": "f81",
    "u_lo": "f81", "u_a": "f81", "u_nd": "f81", "u_doff": "i81", "d_s": "f81",
    "d_e": "f81", "fh_t": "f81", "fh_u": "i81", "route": "i41", "pos": "i21", "teu": "i11",
    "handling": "f81", "w_gate": "f81", "w_in": "f81", "w_out": "f81", "truck_wait": "f81",
    "turnaround": "f81", "entry_h": "f81", "entry_wait": "f81", "tracked": "b11",
    "nvis": "i21", "entry_hub": "i81", "ready_yard": "f81", "first_ready": "f81",
    "yard_hold": "f81", "leg_start": "i81", "n_legs": "i81", "leg_kind": "i81",
    "leg_index": "i81", "vpool": "i82", "later": "b12", "visit_hub": "i82",
    "road_alt": "i81", "origin": "i81", "dest": "i81", "window": "f81", "occupancy": "f81",
    "yard_cap": "f81", "has_gate": "b11", "gate_time_h": "f81", "pool_of": "i82",
    "ent_t": "f81", "ent_i": "i41", "ent_h": "i41", "y_hub": "i41", "y_h": "f81",
    "y_teu": "f81", "tail_i": "i81", "tail_t": "f81", "qb_k": "i81", "qb_t": "f81",
    "qb_s": "i81", "qb_i": "i81", "lb_k": "i81", "lb_f": "f82", "held_i": "i81",
    "held_t": "f81", "held_next": "i81", "held_head": "i81", "held_tail": "i81",
    "dep_due": "f81", "dep_left": "i81", "dep_last": "f81", "trip_off": "i81",
    "trip_box": "i81", "trip_k": "i81", "bg_pool": "i81", "bg_work": "f81",
    "bu_pool": "i81", "bu_work": "f81", "bu_ref": "i81", "flags": "b11", "q_head": "i81",
    "q_tail": "i81", "q_len": "i81", "bg_class": "i81", "leg_dep": "f81",
    "left_behind": "i41", "mass_t": "f81", "boxes": "i11", "tt_off": "i81", "tt_h": "f81",
    "tt_cap": "f81", "tt_trip": "f81", "cutoff": "f81", "dep_k": "i81", "dep_j": "i81",
    "dep_trip": "i81", "dep_bg": "f81", "tr_k": "i81", "tr_f": "f82", "tr_b": "i81",
    "held_n": "i81", "v_start": "f81", "v_wait": "f81", "bg_start": "f81",
    "bg_service": "i81", "bg_teu": "f81", "bg_upool": "i81", "l_head": "i81", "l_tail": "i81",
    "l_len": "i81", "bu_k": "i81", "bu_j": "i81", "bu_arr": "f81", "bu_teu": "f81",
    "bu_start": "f81", "tr_bg": "f81", "left_bg": "f81", "bs_t": "f81", "bs_j": "i81", "voff": "i81",
    "j_kind": "i11", "j_class": "i11", "j_box": "i81", "j_col": "i21", "j_start": "f81",
    "j_end": "f81", "wq": "i82", "loff": "i81",
}  # fmt: skip
FIELDS: tuple[str, ...] = tuple(SPEC)


@structref.register
class _StateType(types.StructRef):
    def preprocess_fields(self, fields: Any) -> Any:
        return tuple((name, types.unliteral(typ)) for name, typ in fields)  # type: ignore[no-untyped-call]


class KernelState(structref.StructRefProxy):
    """One run's state (the arrays of :data:`SPEC`, by reference)."""


structref.define_proxy(KernelState, _StateType, list(FIELDS))  # type: ignore[no-untyped-call]
_STATE = _StateType(  # type: ignore[no-untyped-call]
    [(f, types.Array(from_dtype(np.dtype(c[:2])), int(c[2]), "C")) for f, c in SPEC.items()]
)


def new_state(arrays: dict[str, Any]) -> Any:
    """The state of ``arrays`` (every field of :data:`SPEC`, of its type and layout)."""
    values = []
    for f, c in SPEC.items():
        a = arrays[f]
        if a.dtype != np.dtype(c[:2]) or a.ndim != int(c[2]) or not a.flags.c_contiguous:
            raise TypeError(f"{f}: {a.dtype} {a.ndim}-d: must be C-ordered {c[:2]} {c[2]}-d")
        values.append(a)
    state = _new(tuple(values))
    state.arrays = values  # (the state's views own nothing: these keep the data alive)
    return state


@njit(cache=True)
def _new(a: Any) -> Any:
    s: Any = structref.new(_STATE)  # type: ignore[call-arg]
    s.n = unowned(a[0])
    s.x = unowned(a[1])
    s.hf = unowned(a[2])
    s.hi = unowned(a[3])
    s.j_pool = unowned(a[4])
    s.j_arr = unowned(a[5])
    s.jw = unowned(a[6])
    s.jn = unowned(a[7])
    s.p_units = unowned(a[8])
    s.p_prio = unowned(a[9])
    s.p_cal = unowned(a[10])
    s.p_uoff = unowned(a[11])
    s.p_wake = unowned(a[12])
    s.p_qh = unowned(a[13])
    s.p_qt = unowned(a[14])
    s.u_free = unowned(a[15])
    s.u_lo = unowned(a[16])
    s.u_a = unowned(a[17])
    s.u_nd = unowned(a[18])
    s.u_doff = unowned(a[19])
    s.d_s = unowned(a[20])
    s.d_e = unowned(a[21])
    s.fh_t = unowned(a[22])
    s.fh_u = unowned(a[23])
    s.route = unowned(a[24])
    s.pos = unowned(a[25])
    s.teu = unowned(a[26])
    s.handling = unowned(a[27])
    s.w_gate = unowned(a[28])
    s.w_in = unowned(a[29])
    s.w_out = unowned(a[30])
    s.truck_wait = unowned(a[31])
    s.turnaround = unowned(a[32])
    s.entry_h = unowned(a[33])
    s.entry_wait = unowned(a[34])
    s.tracked = unowned(a[35])
    s.nvis = unowned(a[36])
    s.entry_hub = unowned(a[37])
    s.ready_yard = unowned(a[38])
    s.first_ready = unowned(a[39])
    s.yard_hold = unowned(a[40])
    s.leg_start = unowned(a[41])
    s.n_legs = unowned(a[42])
    s.leg_kind = unowned(a[43])
    s.leg_index = unowned(a[44])
    s.vpool = unowned(a[45])
    s.later = unowned(a[46])
    s.visit_hub = unowned(a[47])
    s.road_alt = unowned(a[48])
    s.origin = unowned(a[49])
    s.dest = unowned(a[50])
    s.window = unowned(a[51])
    s.occupancy = unowned(a[52])
    s.yard_cap = unowned(a[53])
    s.has_gate = unowned(a[54])
    s.gate_time_h = unowned(a[55])
    s.pool_of = unowned(a[56])
    s.ent_t = unowned(a[57])
    s.ent_i = unowned(a[58])
    s.ent_h = unowned(a[59])
    s.y_hub = unowned(a[60])
    s.y_h = unowned(a[61])
    s.y_teu = unowned(a[62])
    s.tail_i = unowned(a[63])
    s.tail_t = unowned(a[64])
    s.qb_k = unowned(a[65])
    s.qb_t = unowned(a[66])
    s.qb_s = unowned(a[67])
    s.qb_i = unowned(a[68])
    s.lb_k = unowned(a[69])
    s.lb_f = unowned(a[70])
    s.held_i = unowned(a[71])
    s.held_t = unowned(a[72])
    s.held_next = unowned(a[73])
    s.held_head = unowned(a[74])
    s.held_tail = unowned(a[75])
    s.dep_due = unowned(a[76])
    s.dep_left = unowned(a[77])
    s.dep_last = unowned(a[78])
    s.trip_off = unowned(a[79])
    s.trip_box = unowned(a[80])
    s.trip_k = unowned(a[81])
    s.bg_pool = unowned(a[82])
    s.bg_work = unowned(a[83])
    s.bu_pool = unowned(a[84])
    s.bu_work = unowned(a[85])
    s.bu_ref = unowned(a[86])
    s.flags = unowned(a[87])
    s.q_head = unowned(a[88])
    s.q_tail = unowned(a[89])
    s.q_len = unowned(a[90])
    s.bg_class = unowned(a[91])  # background jobs' class (truck jobs: truck)
    s.leg_dep = unowned(a[92])
    s.left_behind = unowned(a[93])
    s.mass_t = unowned(a[94])
    s.boxes = unowned(a[95])
    s.tt_off = unowned(a[96])
    s.tt_h = unowned(a[97])
    s.tt_cap = unowned(a[98])
    s.tt_trip = unowned(a[99])
    s.cutoff = unowned(a[100])
    s.dep_k = unowned(a[101])
    s.dep_j = unowned(a[102])
    s.dep_trip = unowned(a[103])
    s.dep_bg = unowned(a[104])
    s.tr_k = unowned(a[105])
    s.tr_f = unowned(a[106])
    s.tr_b = unowned(a[107])
    s.held_n = unowned(a[108])
    s.v_start = unowned(a[109])
    s.v_wait = unowned(a[110])
    s.bg_start = unowned(a[111])
    s.bg_service = unowned(a[112])
    s.bg_teu = unowned(a[113])
    s.bg_upool = unowned(a[114])
    s.l_head = unowned(a[115])
    s.l_tail = unowned(a[116])
    s.l_len = unowned(a[117])
    s.bu_k = unowned(a[118])
    s.bu_j = unowned(a[119])
    s.bu_arr = unowned(a[120])
    s.bu_teu = unowned(a[121])
    s.bu_start = unowned(a[122])
    s.tr_bg = unowned(a[123])
    s.left_bg = unowned(a[124])
    s.bs_t = unowned(a[125])
    s.bs_j = unowned(a[126])
    s.voff = unowned(a[127])
    s.j_kind = unowned(a[128])
    s.j_class = unowned(a[129])
    s.j_box = unowned(a[130])
    s.j_col = unowned(a[131])
    s.j_start = unowned(a[132])
    s.j_end = unowned(a[133])
    s.wq = unowned(a[134])
    s.loff = unowned(a[135])
    return s


def initial_arrays(tr: TerminalRun) -> dict[str, Any]:
    """The state's arrays at the start of ``tr``'s run (boxes at their first hubs)."""
    e = tr.e
    n = e.n
    ent_t, ent_i, ent_h = e.first_entries()  # (compiled road legs, by time then box)
    w_gate, w_in, w_out = first_works(tr, ent_i, ent_h)
    pools = tr.pools
    n_pools = len(pools)
    units = np.asarray([p.units for p in pools], dtype=np.int64)
    uoff = np.concatenate([[0], np.cumsum(units)]).astype(np.int64)
    ds: list[float] = []
    de: list[float] = []
    doff = [0]
    for p in pools:
        for i in range(p.units):
            ds.extend(p._ds[i])
            de.extend(p._de[i])
            doff.append(len(ds))
    n_units = int(uoff[-1])
    has_down = np.diff(np.asarray(doff)) > 0
    hubs_n = e.net.n_hubs
    plan = e.plan
    plain = bool(getattr(tr, "plain", False))  # no records (terminal_plain)
    n_bg = tr.bgt.book.jobs.n if tr.bgt is not None else 0  # (a job row each, kept)
    cap = 1024 if plain else max(1024, 4 * n + n_bg)
    f8, i8 = np.float64, np.int64
    handling = e.handling
    if not (handling.flags.c_contiguous and handling.dtype == f8):
        handling = _c(handling, f8)
    m = 0 if plain else n  # (the engine's arrays are checked by new_state, not copied)
    services = e.net.services
    count = np.asarray([d.size for d in services.departures_h], dtype=i8)
    flat = _flat(services.departures_h)
    trip_h = np.repeat(services.travel_time_h.astype(f8), count)
    if services.queue_wait_h:
        trip_h = trip_h + _flat(services.queue_wait_h)
    trip_h = trip_h + _flat(tr.extra)
    n_deps = int(count.sum())  # departures in the timetables (an upper bound of trips)
    n_win = int(count[np.asarray(tr.window) > 0].sum())
    return dict(
        n=np.zeros(32, dtype=i8),
        x=np.asarray([-math.inf, tr.horizon, 0.0]),
        hf=np.empty((1024, 4)),
        hi=np.empty((1024, 3), dtype=i8),
        **record_arrays(cap, cap // 2),  # (the job and yard records)
        jw=np.empty(1024),  # (waiting slots of priority pools, not job rows)
        jn=np.empty((1024, 3), dtype=i8),
        p_units=units,
        p_prio=np.asarray([p.priority for p in pools], dtype=i8),
        p_cal=np.asarray([p.calendar for p in pools], dtype=np.bool_),
        p_uoff=uoff,
        p_wake=np.full(n_pools, math.inf),
        p_qh=np.full((n_pools, 2), -1, dtype=i8),
        p_qt=np.full((n_pools, 2), -1, dtype=i8),
        u_free=np.full(n_units, -math.inf),
        u_lo=np.where(has_down, math.inf, -math.inf),
        u_a=np.full(n_units, -math.inf),
        u_nd=np.where(has_down, -math.inf, math.inf),
        u_doff=np.asarray(doff, dtype=i8),
        d_s=np.asarray(ds, dtype=f8),
        d_e=np.asarray(de, dtype=f8),
        fh_t=np.full(n_units, -math.inf),
        fh_u=np.concatenate([np.arange(u, dtype=i8) for u in units.tolist()] or [np.zeros(0, i8)]),
        route=e.route,
        pos=e.pos,
        teu=_c(e.teu, np.int8),  # (the inputs' TEU and boxes per row: int8, no copy)
        handling=handling,
        w_gate=w_gate,
        w_in=w_in,
        w_out=w_out,
        truck_wait=tr.truck_wait,
        turnaround=tr.turnaround,
        entry_h=np.full(0 if plain else n, math.nan),
        entry_wait=np.zeros(m),  # (m: no records, no truck waits tracked)
        tracked=np.zeros(m, dtype=np.bool_),
        nvis=e.nvis,
        entry_hub=np.zeros(m, dtype=i8),
        ready_yard=tr.ready_yard,
        first_ready=tr.first_ready,
        yard_hold=e.yard_hold,
        leg_start=_c(e.leg_start, i8),
        n_legs=_c(plan.n_legs, i8),
        leg_kind=_c(e.leg_kind, i8),
        leg_index=_c(e.leg_index, i8),
        vpool=_c(tr.visit_pool, i8),
        later=_c(plan.later_service, np.bool_),
        visit_hub=_c(plan.visit_hub, i8),
        road_alt=_c(e.road_alt, i8),
        origin=_c(tr.origin, i8),
        dest=_c(tr.dest, i8),
        window=_c(tr.window, f8),
        occupancy=np.zeros(hubs_n),
        yard_cap=_c(tr.yard_cap, f8),
        has_gate=_c(tr.has_gate, np.bool_),
        gate_time_h=_c(tr.gate_time_h, f8),
        pool_of=_c(tr.pool_of, i8).reshape(hubs_n, -1),
        ent_t=ent_t,
        ent_i=ent_i,
        ent_h=ent_h,
        tail_i=np.empty(min(n, 1 << 16) + 16, dtype=i8),  # (walked when full: _Loop.grow)
        tail_t=np.empty(min(n, 1 << 16) + 16),
        qb_k=np.empty(1024, dtype=i8),
        qb_t=np.empty(1024),
        qb_s=np.empty(1024, dtype=i8),
        qb_i=np.empty(1024, dtype=i8),
        lb_k=np.empty(1024, dtype=i8),
        lb_f=np.empty((1024, 2)),
        held_i=np.empty(1024, dtype=i8),
        held_t=np.empty(1024),
        held_next=np.empty(1024, dtype=i8),
        held_head=np.full(hubs_n, -1, dtype=i8),
        held_tail=np.full(hubs_n, -1, dtype=i8),
        dep_due=np.empty(n_win + 16),
        dep_left=np.empty(n_win + 16, dtype=i8),
        dep_last=np.empty(n_win + 16),
        trip_off=np.zeros(n_deps + 16, dtype=i8),
        trip_box=np.empty(n + 16, dtype=i8),  # (a box's legs load ~once each)
        trip_k=np.empty(n_deps + 16, dtype=i8),
        bg_pool=np.zeros(1, dtype=i8),
        bg_work=np.zeros(1),
        bu_pool=np.empty(16, dtype=i8),
        bu_work=np.empty(16),
        bu_ref=np.empty(16, dtype=i8),
        flags=np.asarray([e.divert, tr.bgt is not None, plain], dtype=np.bool_),
        q_head=np.full(len(tr.dest), -1, dtype=i8),
        q_tail=np.full(len(tr.dest), -1, dtype=i8),
        q_len=np.zeros(len(tr.dest), dtype=i8),
        bg_class=np.zeros(1, dtype=i8),
        leg_dep=e.leg_dep,
        left_behind=e.left_behind,
        mass_t=_c(e.arr.mass_t, f8),
        boxes=_c(e.arr.boxes, np.int8),
        tt_off=np.concatenate([[0], np.cumsum(count)]).astype(i8),
        tt_h=flat,
        tt_cap=_flat(services.capacity_teu),
        tt_trip=trip_h,
        cutoff=_c(services.cutoff_h, f8),
        dep_k=np.empty(n_win + 16, dtype=i8),
        dep_j=np.empty(n_win + 16, dtype=i8),
        dep_trip=np.empty(n_win + 16, dtype=i8),
        dep_bg=np.empty(n_win + 16),
        tr_k=np.empty(n_deps + 16, dtype=i8),
        tr_f=np.empty((n_deps + 16, 5)),
        tr_b=np.empty(n_deps + 16, dtype=i8),
        held_n=np.zeros(hubs_n, dtype=i8),
        v_start=e.visit_start,
        v_wait=e.visit_wait,
        bg_start=np.zeros(1),  # (the background's: terminal_loop sets them)
        bg_service=np.zeros(1, dtype=i8),
        bg_teu=np.zeros(1),
        bg_upool=np.zeros(services.n, dtype=i8),
        l_head=np.full(services.n, -1, dtype=i8),
        l_tail=np.full(services.n, -1, dtype=i8),
        l_len=np.zeros(services.n, dtype=i8),
        bu_k=np.empty(16, dtype=i8),
        bu_j=np.empty(16, dtype=i8),
        bu_arr=np.empty(16),
        bu_teu=np.empty(16),
        bu_start=np.empty(16),
        tr_bg=np.empty(n_deps + 16),
        left_bg=np.zeros(services.n),
        bs_t=np.zeros(0),
        bs_j=np.zeros(0, dtype=i8),
        voff=e.voff,
        wq=np.zeros((n_pools + 16, 2), dtype=i8),  # (wakes due now: terminal_heap.push)
        loff=e.loff,
    )


def _flat(per_service: Any) -> Any:
    """Per-service arrays (or lists) as one float64 array, services in order."""
    parts = [np.asarray(x, dtype=np.float64) for x in per_service]
    return np.concatenate(parts) if parts else np.zeros(0)


def _c(a: Any, dtype: Any) -> Any:
    return np.ascontiguousarray(a, dtype=dtype)
