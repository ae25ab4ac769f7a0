"""The event heap of the compiled terminal loop (:mod:`freighthub.sim.terminal_kernel`).

Events are ordered by (time, phase, creation time, sequence number), a total order, so
the compiled heap pops them in the order of the Python heap of
:class:`freighthub.sim.engine_terminal.TerminalRun` (any valid heap of a total order pops
the same events in the same order). Event kinds and their phase at an instant are those
of ``engine_terminal`` (checked by a test). Rows live in the state's ``hf`` (the key:
time, phase, creation time, sequence; phase and sequence as exact float64 integers) and
``hi`` (kind, a, b) arrays. The heap is 4-ary (half the levels of a binary heap; a node's
four children's keys are 128 contiguous bytes) and pops bottom-up (Floyd).

A wake due at the current instant (a priority pool with a free unit when a job reaches
it: most jobs) does not go on the heap: its key is (now, WAKE_PHASE, now, sequence), so the wakes
of an instant come in sequence order, and they wait in a FIFO beside the heap (the
state's ``wq``) that :func:`top` merges with it by key: the same order, without a push
and a pop through the heap's levels each.
"""

from __future__ import annotations

import math
from typing import Any

from numba import njit

from freighthub.sim.terminal_state import (
    N_BS,
    N_ENT,
    N_HEAP,
    N_SEQ,
    N_WQH,
    N_WQT,
    X_HORIZON,
    X_NOW,
)

__all__ = [
    "BG",
    "DEPART_EVENT",
    "ENTER",
    "JOB_DONE",
    "SELECT_EVENT",
    "TRIP",
    "WAKE",
    "phase",
    "pop",
    "pop_wake",
    "push",
    "push_raw",
    "top",
]

# Event kinds, in engine_terminal's order (its _JOB_DONE ... _WAKE).
JOB_DONE, ENTER, TRIP, BG, SELECT_EVENT, DEPART_EVENT, WAKE = range(7)
WAKE_PHASE = 2  # a wake's phase (:func:`phase`): after an instant's other events


@njit(cache=True, inline="always")
def _less(hf: Any, a: int, b: int) -> Any:  # bool
    for c in range(3):
        if hf[a, c] != hf[b, c]:
            return hf[a, c] < hf[b, c]
    return hf[a, 3] < hf[b, 3]


@njit(cache=True, inline="always")
def _move(hf: Any, hi: Any, src: int, dst: int) -> None:
    for c in range(4):
        hf[dst, c] = hf[src, c]
    for c in range(3):
        hi[dst, c] = hi[src, c]


@njit(cache=True)
def push_raw(s: Any, t: float, phase: int, created: float, kind: int, a: int, b: int) -> None:
    n = s.n
    n[N_SEQ] += 1
    seq = float(n[N_SEQ])
    ph = float(phase)
    k = n[N_HEAP]
    n[N_HEAP] = k + 1
    hf, hi = s.hf, s.hi
    while k > 0:  # sift the hole up while the new event comes before the parent
        p = (k - 1) >> 2
        if t != hf[p, 0]:
            first = t < hf[p, 0]
        elif ph != hf[p, 1]:
            first = ph < hf[p, 1]
        elif created != hf[p, 2]:
            first = created < hf[p, 2]
        else:
            first = seq < hf[p, 3]
        if not first:
            break
        _move(hf, hi, p, k)
        k = p
    hf[k, 0], hf[k, 1], hf[k, 2], hf[k, 3] = t, ph, created, seq
    hi[k, 0], hi[k, 1], hi[k, 2] = kind, a, b


@njit(cache=True)
def pop(s: Any) -> None:
    """Remove the heap's root (read it first)."""
    n = s.n
    last = n[N_HEAP] - 1
    n[N_HEAP] = last
    hf, hi = s.hf, s.hi
    if last == 0:
        return
    # The hole sinks from the root to a leaf along the earliest children, then the last
    # event (row ``last``) rises from there to its place (usually a level or two).
    k = 0
    while True:
        c = 4 * k + 1
        if c >= last:
            break
        best = c
        t_best = hf[c, 0]
        for d in range(c + 1, min(c + 4, last)):
            t = hf[d, 0]
            first = t < t_best if t != t_best else _less(hf, d, best)
            best = d if first else best  # (selects, not branches: the times are random)
            t_best = t if first else t_best
        _move(hf, hi, best, k)
        k = best
    while k > 0:
        p = (k - 1) >> 2
        if not _less(hf, last, p):
            break
        _move(hf, hi, p, k)
        k = p
    _move(hf, hi, last, k)


@njit(cache=True, inline="always")
def _before_wake(hf: Any, now: float, seq: int) -> Any:  # bool
    """Whether the heap's root comes before the wake (now, WAKE_PHASE, now, ``seq``)."""
    if hf[0, 0] != now:
        return hf[0, 0] < now
    if hf[0, 1] != WAKE_PHASE:
        return hf[0, 1] < WAKE_PHASE
    if hf[0, 2] != now:
        return hf[0, 2] < now
    return hf[0, 3] < seq


@njit(cache=True)
def phase(kind: int) -> int:
    if kind == SELECT_EVENT or kind == DEPART_EVENT:  # noqa: SIM109 (numba)
        return 1
    if kind == WAKE:
        return WAKE_PHASE
    return 0


@njit(cache=True)
def push(s: Any, t: float, kind: int, a: int, b: int) -> None:
    """An event of ``kind`` at ``t``, created now (``TerminalRun.at``)."""
    now = s.x[X_NOW]
    if kind == WAKE and t == now:  # (the FIFO of the instant's wakes, while it has room)
        n = s.n
        k = n[N_WQT]
        if k < s.wq.shape[0]:
            n[N_SEQ] += 1
            s.wq[k, 0], s.wq[k, 1] = a, n[N_SEQ]
            n[N_WQT] = k + 1
            return
    push_raw(s, t, phase(kind), now, kind, a, b)


@njit(cache=True)
def pop_wake(s: Any) -> int:
    """Remove the first wake of the instant's FIFO; its pool."""
    n = s.n
    k = n[N_WQH]
    p = s.wq[k, 0]
    if k + 1 == n[N_WQT]:  # (empty: start again at the front)
        n[N_WQH], n[N_WQT] = 0, 0
    else:
        n[N_WQH] = k + 1
    return p  # type: ignore[no-any-return]


# Sources of the next event (top).
HEAP, ENTRIES, BACKGROUND, NONE, WAKES = range(5)


@njit(cache=True)
def top(s: Any) -> tuple[int, float]:
    """The source of the next event and its time: the heap, the stream of first hub
    entries (``ent_*``), the stream of background jobs' arrivals (``bs_*``) or the wakes
    due now (``WAKES``); ``NONE`` at or after the horizon. An entry goes first at a tie
    (the Python loop's merge), then a background arrival (its heap event was created at
    -inf, before every other event's of phase 0), then the heap; a wake due now goes
    after every event of the instant of a lower key (phase 0 and 1, or created before)."""
    n = s.n
    t_ent = s.ent_t[n[N_ENT]] if n[N_ENT] < s.ent_t.size else math.inf
    t_bg = s.bs_t[n[N_BS]] if n[N_BS] < s.bs_t.size else math.inf
    t, source = (s.hf[0, 0] if n[N_HEAP] > 0 else math.inf), HEAP
    k = n[N_WQH]
    if k < n[N_WQT]:  # (wakes due now: their key is (now, WAKE_PHASE, now, sequence))
        now = s.x[X_NOW]
        if (
            t_ent > now
            and t_bg > now
            and not (n[N_HEAP] > 0 and _before_wake(s.hf, now, s.wq[k, 1]))
        ):
            return WAKES, now
    if t_bg <= t:
        t, source = t_bg, BACKGROUND
    if t < t_ent:
        return (source if t < s.x[X_HORIZON] else NONE), t
    return (ENTRIES if t_ent < s.x[X_HORIZON] else NONE), t_ent
