"""Warnings about a simulated network: what a planner should look at before trusting it.

The library never prints: :func:`result_warnings` returns typed records
(:class:`~freighthub.sim.estimates.SimulationWarning`, held by
:attr:`~freighthub.sim.estimates.ExperimentResult.warnings`) that the CLI renders
(text on stderr, ``warnings`` in ``--json``). Figures are means over replications.
Each rule is exact, not a threshold:

- ``service_unused``: no route uses the service; its departures run empty.
- ``empty_departures``: a service some route uses ran departures (capacity > 0) in the
  statistics window without a box: how many and what share.
- ``cannot_carry``: more TEU arrived on routes using a service than its departures in
  the window offered (``routed_teu > capacity_teu``): demand it cannot carry.
- ``nothing_delivered``: boxes arrived on a route and none was delivered by the
  horizon: all are still in the network.
- ``left_behind``: boxes of a route that found two or more departures full
  (persistently left behind).
"""

from __future__ import annotations

import math

from freighthub.sim.estimates import WARNING_CODES, SimulationWarning, SummaryEstimate
from freighthub.sim.network import LEG_SERVICE, CompiledNetwork

__all__ = ["result_warnings"]


def _used_services(network: CompiledNetwork) -> set[int]:
    r = network.routes
    return {int(r.leg_index[g]) for g in range(r.leg_kind.size) if r.leg_kind[g] == LEG_SERVICE}


def result_warnings(
    network: CompiledNetwork, estimates: SummaryEstimate
) -> tuple[SimulationWarning, ...]:
    """Warnings about a simulated network (see the module docstring), by code then subject.

    Parameters
    ----------
    network
        The compiled network that was simulated.
    estimates
        Its figures over replications.
    """
    found: dict[str, list[SimulationWarning]] = {code: [] for code in WARNING_CODES}
    used = _used_services(network)
    for k, sid in enumerate(network.services.ids):
        s = estimates.services.get(sid)
        if s is None:
            continue
        empty, departures = s.empty_departures.mean, s.departures.mean
        if k not in used:
            found["service_unused"].append(
                SimulationWarning(
                    "service_unused",
                    f"service {sid}: no route uses it; its {empty:,.0f} departures in the "
                    "statistics window run empty",
                    sid,
                    {"empty_departures": empty},
                )
            )
            continue
        if empty > 0:
            share = empty / departures if departures > 0 else math.nan
            found["empty_departures"].append(
                SimulationWarning(
                    "empty_departures",
                    f"service {sid}: {empty:,.1f} of {departures:,.1f} departures in the "
                    f"statistics window ran empty ({share:.1%})",
                    sid,
                    {"empty_departures": empty, "departures": departures, "share": share},
                )
            )
        routed, offered = s.routed_teu.mean, s.capacity_teu.mean
        if routed > offered:
            found["cannot_carry"].append(
                SimulationWarning(
                    "cannot_carry",
                    f"service {sid}: {routed:,.0f} TEU arrived on routes using it but its "
                    f"departures offered {offered:,.0f} TEU: demand it cannot carry",
                    sid,
                    {"routed_teu": routed, "capacity_teu": offered},
                )
            )
    for rid, e in estimates.routes.items():
        arrived = e.arrived_teu.mean
        if arrived > 0 and not e.delivered_teu.mean > 0:
            found["nothing_delivered"].append(
                SimulationWarning(
                    "nothing_delivered",
                    f"route {rid}: {arrived:,.0f} TEU arrived and none was delivered by the "
                    "horizon",
                    rid,
                    {"arrived_teu": arrived},
                )
            )
        left = e.left_behind_repeatedly_boxes.mean
        if left > 0:
            found["left_behind"].append(
                SimulationWarning(
                    "left_behind",
                    f"route {rid}: {left:,.0f} boxes found two or more departures full "
                    f"({e.left_behind_boxes.mean:,.0f} at least one; "
                    f"{e.delivered_boxes.mean:,.0f} delivered)",
                    rid,
                    {
                        "left_behind_repeatedly_boxes": left,
                        "left_behind_boxes": e.left_behind_boxes.mean,
                        "delivered_boxes": e.delivered_boxes.mean,
                    },
                )
            )
    return tuple(w for code in WARNING_CODES for w in found[code])
