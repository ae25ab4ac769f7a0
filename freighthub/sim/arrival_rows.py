"""Rows of :class:`~freighthub.sim.network.Arrivals`: its ragged handling draws and a
subset of its boxes.

``Arrivals.visit_handling_u`` holds one U(0, 1) draw per handling visit of each box's
assigned route, as visit rows laid out by
:func:`~freighthub.sim.network.visit_offsets` (the layout of the engines' visit
results): box ``i``'s visit ``k`` is row ``visit_offset[i] + k``. Only the visits a route
has are stored (issue #20: a ``(n, max_visits)`` matrix held 32 bytes a box on the
national network, of which 1.2 columns were used). :func:`visit_draws` builds the rows
from such a matrix (hand-made arrivals in tests); :func:`take` keeps some boxes of an
``Arrivals`` with their rows (a window of the same boxes);
:func:`draw_visit_handling_u` draws them (:func:`freighthub.sim.demand.generate_arrivals`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from freighthub.sim.arrays import FloatArray, Int32Array, IntArray
from freighthub.sim.network import Arrivals, CompiledNetwork, visit_offsets, visit_rows
from freighthub.sim.streams import stream

__all__ = ["draw_visit_handling_u", "take", "visit_draws"]

#: The fields of :class:`Arrivals` with one row per box.
_PER_BOX = ("time_h", "od", "route", "boxes", "teu", "mass_t", "loaded")


def visit_draws(
    matrix: FloatArray, visits_per_route: IntArray, route: IntArray | Int32Array
) -> FloatArray:
    """``Arrivals.visit_handling_u`` from a ``(n, >= max_visits)`` matrix of draws.

    Parameters
    ----------
    matrix
        Row ``i``, column ``k``: the draw of box ``i``'s visit ``k`` [-] (columns past a
        route's visits are dropped).
    visits_per_route
        Handling visits of each route [-] (``Arrivals.visits_per_route``).
    route
        Assigned route of each box (``Arrivals.route``).
    """
    return visit_rows(matrix, visit_offsets(visits_per_route, route))


def take(arrivals: Arrivals, rows: npt.NDArray[np.bool_] | IntArray) -> Arrivals:
    """The boxes ``rows`` (a boolean mask or indices, in the order given) of
    ``arrivals``, each with its draws: its visit rows and, with a terminal model, its
    gate and yard draws. The background jobs are kept as they are (they are not boxes).
    """
    idx = np.flatnonzero(rows) if rows.dtype == np.bool_ else np.asarray(rows, dtype=np.int64)
    offset = arrivals.visit_offset
    counts = np.diff(offset)[idx]
    start = np.zeros(idx.size + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    source = np.repeat(offset[idx] - start[:-1], counts) + np.arange(start[-1], dtype=np.int64)
    term = arrivals.terminal
    if term is not None:
        term = dataclasses.replace(term, gate_u=term.gate_u[idx], yard_u=term.yard_u[idx])
    per_box: dict[str, Any] = {name: getattr(arrivals, name)[idx] for name in _PER_BOX}
    return Arrivals(
        **per_box,
        visit_handling_u=arrivals.visit_handling_u[source],
        visits_per_route=arrivals.visits_per_route,
        background=arrivals.background,
        terminal=term,
    )


def draw_visit_handling_u(
    network: CompiledNetwork,
    seed: int,
    replication: int,
    route: Int32Array,
    by_od: IntArray,
    counts: Sequence[int],
) -> FloatArray:
    """``Arrivals.visit_handling_u`` of one replication, drawn per OD pair and visit.

    Visit ``k`` of an OD's boxes draws from the OD's ``"handling"`` stream ``k``
    (:func:`~freighthub.sim.streams.stream`): one value for each of the OD's boxes, in
    arrival order, and the boxes whose route has a visit ``k`` keep theirs. So a box's
    draws are those of the ``(n, max_visits)`` matrix that was drawn before (issue #20),
    without building it; a stream not needed by any of the OD's boxes is not drawn.

    Parameters
    ----------
    network
        The compiled network (OD ids, each route's visits).
    seed, replication
        As for :func:`~freighthub.sim.demand.generate_arrivals` [-].
    route
        Assigned route of each box, in time order (``Arrivals.route``).
    by_od
        Place in time order of each box, the boxes grouped by OD (in OD index order),
        each OD's in arrival order.
    counts
        Boxes of each OD [-].
    """
    offset = visit_offsets(np.diff(network.routes.visit_start), route)
    out = np.empty(int(offset[-1]), dtype=np.float64)
    end = 0
    for od, n in enumerate(counts):
        place = by_od[end : end + n]
        end += n
        first = offset[place]
        visits = offset[place + 1] - first
        for k in range(int(visits.max(initial=0))):
            u = stream(seed, replication, network.demand.ids[od], "handling", k).random(n)
            keep = visits > k
            out[first[keep] + k] = u[keep]
    return out
