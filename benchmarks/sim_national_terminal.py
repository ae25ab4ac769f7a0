"""Benchmark: the national year with and without the terminal model (issue 19, ``make bench``).

Runs :mod:`sim_national` with ``--terminal`` (three interleaved pairs of the year with
and without the terminal model, medians compared); see that module for what is
measured. Target: the year with pools by task, shifts, breakdowns, loading windows and
stochastic travel at every hub within 2x of the year without them.
"""

from __future__ import annotations

import sim_national

if __name__ == "__main__":
    sim_national.main(
        ["--terminal", "--repeats", "1", "--terminal-repeats", "3", "--reference-days", "2"]
    )
