"""Background traffic in the compiled terminal loop (issue #20; rules in
:mod:`freighthub.sim.background`).

What :class:`freighthub.sim.engine_background.TerminalBackground` and
:class:`~freighthub.sim.engine_background.BackgroundBook` do for the Python loop, over the
state's arrays (:mod:`freighthub.sim.terminal_state`): a background job's start, a lot
waiting for its service's departures (a linked FIFO of slots per service, in the order
the lots' load moves started), a departure's fill FIFO by ready time from traced boxes
and lots (:func:`~freighthub.sim.engine_background.fill_departure`: a traced box first at
a tie, a lot there loads the whole TEU that still fit), and a trip's background unload
(its work is drawn in Python, with scipy, before it reaches its pool). Lot TEU are whole
numbers (``lot_teu`` is an integer), so their sums are exact in any order. Times in
hours [h].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from freighthub.sim.terminal_departures import keep, link_slot, new_trip, select, sorted_queue
from freighthub.sim.terminal_heap import BG, push
from freighthub.sim.terminal_state import N_LFREE, N_LOTS, N_TREC, N_UNL

__all__ = ["fill_select", "started", "trip"]


@njit(cache=True)
def _append(s: Any, k: int, t: float, teu: float) -> None:
    """A lot (ready at ``t``, ``teu``) at the tail of service ``k``'s lots."""
    b = link_slot(s.n, N_LFREE, N_LOTS, s.lb_k, s.l_head, s.l_tail, s.l_len, k)
    s.lb_f[b, 0], s.lb_f[b, 1] = t, teu


@njit(cache=True)
def _sorted_lots(s: Any, k: int) -> tuple[Any, Any]:
    """Take ``k``'s lots sorted by ready time (stable: at a tie in the order they
    waited, as the Python book's chunks): (ready [h], TEU); their slots become free."""
    m = s.l_len[k]
    t = np.empty(m)
    teu = np.empty(m)
    n = s.n
    b = s.l_head[k]
    q = 0
    while b >= 0:
        t[q], teu[q] = s.lb_f[b, 0], s.lb_f[b, 1]
        q += 1
        nxt = s.lb_k[b]
        s.lb_k[b] = n[N_LFREE]
        n[N_LFREE] = b
        b = nxt
    s.l_head[k], s.l_tail[k], s.l_len[k] = -1, -1, 0
    order = np.argsort(t, kind="mergesort")
    return t[order], teu[order]


@njit(cache=True)
def started(s: Any, ref: int, start: float, end: float) -> None:
    """TerminalBackground.started: background job ``ref`` (or unload ``~ref``) started;
    a lot's load ends at ``end``, when the lot is ready for its service."""
    if ref < 0:
        s.bu_start[~ref] = start
        return
    s.bg_start[ref] = start
    k = s.bg_service[ref]
    if k >= 0:
        _append(s, k, end, s.bg_teu[ref])


@njit(cache=True)
def fill_select(s: Any, k: int, due_h: float, capacity: float) -> tuple[int, float]:
    """TerminalRun.select with background lots: the trip slot of the traced boxes loaded
    and the background TEU loaded by departure ``due_h`` of ``k`` (``BackgroundBook.fill``)."""
    if s.l_len[k] == 0:
        return select(s, k, due_h, capacity), 0.0
    t, seq, ids = sorted_queue(s, k)
    lt, lteu = _sorted_lots(s, k)
    cutoff = s.cutoff[k]
    nb = 0
    while nb < t.size and t[nb] + cutoff <= due_h:
        nb += 1
    nl = 0
    while nl < lt.size and lt[nl] + cutoff <= due_h:
        nl += 1
    a, b, cum, partial = 0, 0, 0.0, False  # boxes and lots loaded, TEU loaded
    while a < nb or b < nl:
        box = b >= nl or (a < nb and t[a] <= lt[b])
        w = s.teu[ids[a]] if box else lteu[b]
        if cum + w > capacity:
            partial = not box
            break
        cum += w
        if box:
            a += 1
        else:
            b += 1
    loaded = 0.0
    for q in range(b):
        loaded += lteu[q]
    if partial:
        x = math.floor(capacity - cum)
        if x > 0:
            lteu[b] -= x
            loaded += x
    left = 0.0
    for q in range(b, nl):
        left += lteu[q]
    s.left_bg[k] += left
    for q in range(a, nb):
        s.left_behind[ids[q]] += 1
    keep(s, k, t[a:], seq[a:], ids[a:])
    for q in range(b, lt.size):
        _append(s, k, lt[q], lteu[q])
    return new_trip(s, ids[:a]), loaded


@njit(cache=True)
def trip(s: Any, k: int, j: int, arrival: float, teu: float) -> None:
    """TerminalBackground.trip: the trip just recorded carries ``teu`` of background; if
    any, its unload job reaches the destination's pool at ``arrival`` (work drawn later)."""
    s.tr_bg[s.n[N_TREC] - 1] = teu
    if teu <= 0:
        return
    u = s.n[N_UNL]
    s.n[N_UNL] = u + 1
    s.bu_k[u], s.bu_j[u], s.bu_arr[u], s.bu_teu[u] = k, j, arrival, teu
    s.bu_pool[u], s.bu_work[u], s.bu_ref[u], s.bu_start[u] = s.bg_upool[k], np.nan, ~u, np.nan
    push(s, arrival, BG, ~u, 0)
