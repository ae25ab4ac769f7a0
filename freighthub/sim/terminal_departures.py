"""Departures of the compiled terminal loop: the yard queues and selections (issue #20).

The rules of :meth:`freighthub.sim.engine_terminal.TerminalRun.select` over the state's
arrays (:mod:`freighthub.sim.terminal_state`): each service's boxes waiting in the yard
(a linked FIFO of slots, in the order they were queued), a departure's selection FIFO by
ready time (a tie by queueing order) up to its capacity among the boxes ready by its
cut-off, the boxes left behind, the trips' boxes and records, and the next departure of
a timetable. :mod:`freighthub.sim.terminal_kernel` calls these; with background lots
:mod:`freighthub.sim.terminal_background` fills around them.
Times in hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from freighthub.sim.terminal_heap import DEPART_EVENT, SELECT_EVENT, push
from freighthub.sim.terminal_state import (
    N_DEPS,
    N_HEAP,
    N_HELD,
    N_JOBS,
    N_LOTS,
    N_QBUF,
    N_QFREE,
    N_QSEQ,
    N_TAIL,
    N_TBOX,
    N_TREC,
    N_TRIPS,
    N_UNL,
    N_WBUF,
    N_YARD,
    X_HORIZON,
)

__all__ = [
    "departure_need",
    "keep",
    "link_slot",
    "new_trip",
    "next_departure",
    "queue",
    "record_trip",
    "room",
    "select",
    "sorted_queue",
    "take_queue",
]


@njit(cache=True)
def link_slot(
    n: Any, free_at: int, end_at: int, nxt: Any, head: Any, tail: Any, length: Any, k: int
) -> int:
    """A slot at the tail of linked queue ``k``, returned: the first free slot
    (``n[free_at]``, chained through ``nxt``) or else the next unused one
    (``n[end_at]``). The box queues and the background lots both use it."""
    b = n[free_at]
    if b >= 0:
        n[free_at] = nxt[b]
    else:
        b = n[end_at]
        n[end_at] = b + 1
    nxt[b] = -1
    if tail[k] >= 0:
        nxt[tail[k]] = b
    else:
        head[k] = b
    tail[k] = b
    length[k] += 1
    return int(b)


@njit(cache=True)
def _append(s: Any, k: int, t: float, seq: int, i: int) -> None:
    """Box ``i`` (ready at ``t``, queued as ``seq``) at the tail of ``k``'s queue."""
    b = link_slot(s.n, N_QFREE, N_QBUF, s.qb_k, s.q_head, s.q_tail, s.q_len, k)
    s.qb_t[b], s.qb_s[b], s.qb_i[b] = t, seq, i


@njit(cache=True)
def queue(s: Any, k: int, t: float, i: int) -> None:
    """Box ``i`` waits for a departure of ``k`` from ``t`` (a free slot, at the tail)."""
    s.n[N_QSEQ] += 1
    _append(s, k, t, s.n[N_QSEQ], i)


@njit(cache=True)
def keep(s: Any, k: int, t: Any, seq: Any, ids: Any) -> None:
    """Boxes not taken by a departure back into ``k``'s queue, in the given order."""
    for q in range(t.size):
        _append(s, k, t[q], seq[q], ids[q])


@njit(cache=True)
def take_queue(s: Any, k: int, t: Any, seq: Any, ids: Any) -> None:
    """Move the boxes waiting for ``k`` (``q_len[k]`` of them, in order) into ``t``
    (ready [h]), ``seq`` and ``ids``; their slots become free."""
    n = s.n
    b = s.q_head[k]
    q = 0
    while b >= 0:
        t[q], seq[q], ids[q] = s.qb_t[b], s.qb_s[b], s.qb_i[b]
        q += 1
        nxt = s.qb_k[b]
        s.qb_k[b] = n[N_QFREE]
        n[N_QFREE] = b
        b = nxt
    s.q_head[k], s.q_tail[k], s.q_len[k] = -1, -1, 0


@njit(cache=True)
def sorted_queue(s: Any, k: int) -> tuple[Any, Any, Any]:
    """Take ``k``'s queue sorted by (ready time, queueing order): (ready [h], seq, ids).

    The queue holds what a departure left (sorted) before what came after (queued in
    order), so at equal ready times the queue's order is the queueing order and a
    stable sort by ready time is the order by (ready, seq) of the Python loop."""
    m = s.q_len[k]
    t = np.empty(m)
    seq = np.empty(m, dtype=np.int64)
    ids = np.empty(m, dtype=np.int64)
    take_queue(s, k, t, seq, ids)
    order = np.argsort(t, kind="mergesort")
    return t[order], seq[order], ids[order]


@njit(cache=True)
def new_trip(s: Any, ids: Any) -> Any:  # int
    """A trip slot holding boxes ``ids`` (in load order); its index."""
    n = s.n
    m = n[N_TRIPS]
    n[N_TRIPS] = m + 1
    o = s.trip_off[m]
    s.trip_box[o : o + ids.size] = ids
    s.trip_off[m + 1] = o + ids.size
    n[N_TBOX] = o + ids.size
    return m


@njit(cache=True)
def select(s: Any, k: int, due_h: float, capacity: float) -> Any:  # int
    """The boxes a departure of ``k`` due at ``due_h`` takes (FIFO by ready time, ready
    by its cut-off, up to ``capacity`` [TEU]) as a new trip slot; the ready ones not
    taken count a departure left behind; the rest stay queued."""
    t, seq, ids = sorted_queue(s, k)
    cutoff = s.cutoff[k]
    eligible = 0
    while eligible < t.size and t[eligible] + cutoff <= due_h:
        eligible += 1
    n_load = 0
    teu = 0.0
    while n_load < eligible:
        teu += s.teu[ids[n_load]]
        if teu > capacity:
            break
        n_load += 1
    for q in range(n_load, eligible):
        s.left_behind[ids[q]] += 1
    keep(s, k, t[n_load:], seq[n_load:], ids[n_load:])
    return new_trip(s, ids[:n_load])


@njit(cache=True)
def record_trip(s: Any, k: int, t: float, arrival: float, teu: float, mass: float,
                boxes: int, capacity: float) -> None:  # fmt: skip
    """The engine's record of a trip (arrival NaN at or after the horizon)."""
    r = s.n[N_TREC]
    s.n[N_TREC] = r + 1
    s.tr_k[r], s.tr_b[r] = k, boxes
    f = s.tr_f
    f[r, 0], f[r, 2], f[r, 3], f[r, 4] = t, teu, mass, capacity
    f[r, 1] = arrival if arrival < s.x[X_HORIZON] else math.nan


@njit(cache=True)
def next_departure(s: Any, k: int, j: int) -> None:
    """Schedule departure ``j`` of ``k`` (its selection under a window), as
    ``TerminalRun.next_departure``."""
    o = s.tt_off[k]
    if j < s.tt_off[k + 1] - o:
        t = s.tt_h[o + j]
        if t < s.x[X_HORIZON]:
            if s.window[k] > 0:
                push(s, t - s.window[k], SELECT_EVENT, k, j)
            else:
                push(s, t, DEPART_EVENT, ~k, j)


@njit(cache=True)
def room(s: Any) -> Any:  # int
    """The fewest free rows of the growing arrays."""
    n = s.n
    return min(
        s.j_pool.size - n[N_JOBS],
        s.jw.size - n[N_WBUF],
        s.hf.shape[0] - n[N_HEAP],
        s.y_h.size - n[N_YARD],
        s.qb_t.size - n[N_QBUF],
        s.lb_k.size - n[N_LOTS],
        s.bu_k.size - n[N_UNL],
        s.tail_t.size - n[N_TAIL],
        s.held_t.size - n[N_HELD],
        s.trip_k.size - n[N_TRIPS],
        s.trip_off.size - n[N_TRIPS],
        s.trip_box.size - n[N_TBOX],
        s.dep_due.size - n[N_DEPS],
        s.tr_k.size - n[N_TREC],
    )


@njit(cache=True)
def departure_need(s: Any, kind: int, a: int) -> Any:  # int
    """Rows a selection or departure may add: every box queued for its service and
    every box held at its hub becomes at most one job and two events."""
    if kind == SELECT_EVENT:
        k = a
    elif a < 0:
        k = ~a
    else:
        k = s.dep_k[a]
    return 2 * (s.q_len[k] + s.held_n[s.origin[k]]) + 16
