"""Per-route plans and per-box inputs shared by both simulation engines (clock in hours [h]).

:class:`RoutePlan` derives, once per network, where each route's handling visits sit;
:func:`handling_rows_h` turns the uniform draws of :class:`~freighthub.sim.network.Arrivals`
into handling times; :func:`road_departure_h` applies road closures. The fast engine
(:mod:`freighthub.sim.engine`) and the reference (:mod:`freighthub.sim.reference`) both use
them, so they see bit-identical inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from freighthub.sim.arrays import SERVICE_DISTRIBUTIONS, FloatArray, HubArrays, Int32Array, IntArray
from freighthub.sim.network import (
    LEG_SERVICE,
    VISIT_LOAD,
    Arrivals,
    CompiledNetwork,
    visit_offsets,
)

__all__ = ["RoutePlan", "handling_rows_h", "handling_time_h", "leg_offsets", "road_departure_h"]


@dataclass(frozen=True)
class RoutePlan:
    """Per route and leg position, the handling-visit columns (derived from RouteArrays).

    Attributes
    ----------
    n_legs
        Number of legs per route.
    load_col, unload_col
        Shape ``(n_routes, max_legs)``: column of the load (unload) visit of the
        service leg at that position in the per-container visit arrays, -1 if the
        leg has none.
    visit_hub
        Shape ``(n_routes, max_visits)``: hub of each visit column, -1 if unused.
    later_service
        Shape ``(n_routes, max_legs + 1)``: a service leg at this position or later.
    road_only
        Per route: no service leg at all.
    first_service_leg
        Per route: position of the first service leg (0 for road-only routes).
    """

    n_legs: IntArray
    load_col: IntArray
    unload_col: IntArray
    visit_hub: IntArray
    later_service: npt.NDArray[np.bool_]
    road_only: npt.NDArray[np.bool_]
    first_service_leg: IntArray

    @classmethod
    def of(cls, network: CompiledNetwork) -> RoutePlan:
        """Derive the plan from ``network.routes``.

        Raises
        ------
        ValueError
            If a service leg does not have exactly one load and one unload visit,
            or a visit sits at a hub other than the service's end.
        """
        routes = network.routes
        services = network.services
        n = routes.n
        max_legs = routes.max_legs
        max_visits = routes.max_visits
        load = np.full((n, max_legs), -1, dtype=np.int64)
        unload = np.full((n, max_legs), -1, dtype=np.int64)
        hub = np.full((n, max_visits), -1, dtype=np.int64)
        for r in range(n):
            v0, v1 = int(routes.visit_start[r]), int(routes.visit_start[r + 1])
            for col, v in enumerate(range(v0, v1)):
                p = int(routes.visit_leg[v])
                target = load if routes.visit_kind[v] == VISIT_LOAD else unload
                target[r, p] = col
                hub[r, col] = int(routes.visit_hub[v])
            l0, l1 = int(routes.leg_start[r]), int(routes.leg_start[r + 1])
            for p, g in enumerate(range(l0, l1)):
                if routes.leg_kind[g] != LEG_SERVICE:
                    continue
                k = int(routes.leg_index[g])
                if load[r, p] < 0 or unload[r, p] < 0:
                    raise ValueError(
                        f"route {routes.ids[r]!r}: service leg {p} needs one load and one "
                        "unload visit"
                    )
                if (
                    hub[r, load[r, p]] != services.origin[k]
                    or hub[r, unload[r, p]] != services.destination[k]
                ):
                    raise ValueError(
                        f"route {routes.ids[r]!r}: the visits of service leg {p} are not at "
                        f"the ends of service {services.ids[k]!r}"
                    )
        later = np.zeros((n, max_legs + 1), dtype=np.bool_)
        later[:, :max_legs] = np.flip(np.cumsum(np.flip(load >= 0, axis=1), axis=1) > 0, axis=1)
        n_legs = np.diff(routes.leg_start).astype(np.int64)
        first = np.argmax(load >= 0, axis=1).astype(np.int64) if max_legs else np.zeros(n, np.int64)
        return cls(n_legs, load, unload, hub, later, ~later[:, 0], first)


def leg_offsets(network: CompiledNetwork, route: IntArray | Int32Array) -> IntArray:
    """Where each box's leg rows start (:attr:`~freighthub.sim.network.EngineResult.leg_offset`):
    ``(n + 1,)`` int64 offsets for the *assigned* routes ``route``.

    A box gets its route's legs, or its road alternative's if that has more and the
    network diverts to road (``yard_full_policy`` ``"divert_road"``: a diverted box's
    road legs are written from row 0). Both engines use this one layout.
    """
    routes = network.routes
    rows = np.diff(routes.leg_start).astype(np.int64)
    if network.yard_full_policy == "divert_road":
        alt = routes.road_alternative
        rows = np.where(alt >= 0, np.maximum(rows, rows[np.maximum(alt, 0)]), rows)
    return visit_offsets(rows, route)


def road_departure_h(network: CompiledNetwork, link: IntArray, time_h: FloatArray) -> FloatArray:
    """When trucks that want to start on ``link`` at ``time_h`` can leave [h].

    A truck that would start inside a closure ``[start_h, end_h)`` of its link waits
    until the closure ends (repeatedly, for back-to-back closures).

    Parameters
    ----------
    network
        The compiled network (its ``road_closures``).
    link
        Road link index per truck.
    time_h
        Wanted start per truck [h].

    Returns
    -------
    numpy.ndarray
        Actual start per truck [h].
    """
    closures = network.road_closures
    out = np.array(time_h, dtype=np.float64, copy=True)
    if closures.link.size == 0 or out.size == 0:
        return out
    changed = True
    while changed:
        changed = False
        for c in range(closures.link.size):
            mask = (link == closures.link[c]) & (out >= closures.start_h[c])
            mask &= out < closures.end_h[c]
            if mask.any():
                out[mask] = closures.end_h[c]
                changed = True
    return out


def handling_rows_h(
    network: CompiledNetwork, arrivals: Arrivals, plan: RoutePlan, offset: IntArray
) -> FloatArray:
    """Handling time of every visit of every container's assigned route [h], as visit
    rows laid out by ``offset`` (:func:`~freighthub.sim.network.visit_offsets` of the
    assigned routes; ``Arrivals.visit_offset``). Both engines use this one function, so
    they see bit-identical handling times; no ``(n, max_visits)`` matrix is built.

    Raises
    ------
    ValueError
        If the arrivals' draws are laid out for other routes than the network's.
    """
    visits = (plan.visit_hub >= 0).sum(axis=1)
    if not np.array_equal(arrivals.visits_per_route, visits):
        raise ValueError(
            f"arrivals.visits_per_route {arrivals.visits_per_route.tolist()[:8]} does not "
            f"match the network's routes {visits.tolist()[:8]}"
        )
    from freighthub.sim.engine_boxes import scale_rows, visit_hubs  # (numba: runs import it)

    u = arrivals.visit_handling_u
    hubs, routes = network.hubs, network.routes
    route, starts = arrivals.route, routes.visit_start.astype(np.int64)
    out = np.empty(u.shape[0], dtype=np.float64)  # (no temporaries of its size: memory)
    # Fast path when every hub uses the exponential distribution: the same formula as
    # handling_time_h, -mean[hub] * log1p(-u), without its per-distribution masks: the
    # log in place, then each row times its hub's -mean (a product of the same two
    # floats, bit for bit).
    if all(d == "exponential" for d in hubs.service_distribution):
        np.log1p(np.negative(u, out=out), out=out)
        scale_rows(out, route, offset, starts, routes.visit_hub, -hubs.handling_time_h)
        return out
    for a in range(0, route.size, _CHUNK):  # (in chunks of boxes: bounded temporaries)
        b = min(a + _CHUNK, route.size)
        rows = slice(int(offset[a]), int(offset[b]))
        hub = visit_hubs(route[a:b], offset[a : b + 1] - offset[a], starts, routes.visit_hub)
        out[rows] = handling_time_h(hubs, hub, u[rows])
    return out


_CHUNK = 1 << 16  # boxes per chunk of handling_rows_h's general path


def handling_time_h(hubs: HubArrays, hub: IntArray, u: FloatArray) -> FloatArray:
    """Handling times from uniform draws by inverse transform (vectorised).

    Parameters
    ----------
    hubs
        The hub arrays.
    hub
        Hub index of each move.
    u
        U(0, 1) draws, same shape as ``hub``.

    Returns
    -------
    numpy.ndarray
        Handling time of each move [h]: exponential ``-mean * ln(1 - u)``,
        deterministic ``mean``, Erlang-k ``mean / k * P^-1(k, u)`` with ``P^-1`` the
        inverse regularised lower incomplete gamma function.
    """
    mean = hubs.handling_time_h[hub]
    codes = np.array(
        [SERVICE_DISTRIBUTIONS.index(d) for d in hubs.service_distribution], dtype=np.int64
    )[hub]
    out = np.empty(np.shape(u), dtype=np.float64)
    exp_mask = codes == 0
    out[exp_mask] = -mean[exp_mask] * np.log1p(-u[exp_mask])
    det_mask = codes == 1
    out[det_mask] = mean[det_mask]
    erl_mask = codes == 2
    if np.any(erl_mask):
        k = hubs.service_shape[hub][erl_mask].astype(np.float64)
        out[erl_mask] = mean[erl_mask] / k * special.gammaincinv(k, u[erl_mask])
    return out
