"""Benchmark: the national year with and without the terminal model (issue 19, ``make bench``).

Runs :mod:`sim_national` with ``--terminal`` (three interleaved pairs of the year with
and without the terminal model, medians compared); see that module for what is
measured. Target: the year with pools by task, shifts, breakdowns, loading windows and
stochastic travel at every hub within 2x of the year without them.

What the two years do (counted on 8 Dec 2026, 5 M boxes, seed 1): without the terminal
model 5.97 M moves (2.99 M loads, 2.98 M unloads, each hub's one FIFO pool) and 0.29 M
heap events (a load waits for its departure and an unload ending on the road goes to
the road tail, neither an event); with it 14.27 M moves (2.39x: the same loads and
unloads plus 2.77 M gate, 2.77 M truck-in and 2.76 M truck-out moves), every one in a
priority pool with shifts and breakdowns, 22.8 M heap events (14.2 M wakes, 8.5 M job
ends). At 2.39x the moves, the 2x target asks for less CPU per move than the year
without the model (0.23 us per move at 1.40 s; within 2x means at most 0.196 us), with
1.6 heap events per move against 0.05. Measured after session 9's changes (CPU, medians
of 3 interleaved at load 6.5): 1.27 s and 7.90 s, 0.21 and 0.55 us per move; the
terminal year 8.63 s before them (8f4fa81) against 7.91 s (9 interleaved runs, load 3-4).
"""

from __future__ import annotations

import sim_national

if __name__ == "__main__":
    sim_national.main(
        ["--terminal", "--repeats", "1", "--terminal-repeats", "3", "--reference-days", "2"]
    )
