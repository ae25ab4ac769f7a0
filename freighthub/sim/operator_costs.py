"""The operators' side of a compiled network: per service, departures, fleet and yearly cost.

Read from the compiled timetable (no simulation): departures per week over the
horizon, the cost of one departure (``cost_cny_per_departure``, which includes the
operator cost components of :mod:`freighthub.model.operator_cost`), the fleet its
rotation needs and the yearly fixed cost; the yearly operator cost is
``cost per departure × departures a year + yearly fixed cost``. The simulation charges
the same costs over its window (``departures`` and ``service_fixed`` cost components).
"""

from __future__ import annotations

from dataclasses import dataclass

from freighthub.sim.network import CompiledNetwork
from freighthub.units import HOURS_PER_WEEK, HOURS_PER_YEAR

__all__ = ["OPERATOR_COST_COMPONENTS", "ServiceOperatorCost", "service_operator_costs"]

#: Simulated cost components (``Summary.cost_cny_by_component``) borne by the service
#: operators; the others (``road``, ``services``, ``handling``) are what shippers pay.
OPERATOR_COST_COMPONENTS = frozenset({"departures", "service_fixed"})


@dataclass(frozen=True)
class ServiceOperatorCost:
    """The operator's figures of one service.

    Attributes
    ----------
    service
        Service id.
    departures_per_week
        Timetabled departures over the horizon, per week [1/week].
    cost_cny_per_departure
        Cost of one departure, full or empty [CNY].
    fleet_vehicles
        Vehicles the rotation needs (None: no ``turnaround_h`` given).
    fixed_cost_cny_per_year
        Yearly fixed cost, own and fleet [CNY/year].
    operator_cost_cny_per_year
        ``cost_cny_per_departure × departures a year + fixed_cost_cny_per_year`` [CNY/year].
    """

    service: str
    departures_per_week: float
    cost_cny_per_departure: float
    fleet_vehicles: int | None
    fixed_cost_cny_per_year: float
    operator_cost_cny_per_year: float


def service_operator_costs(network: CompiledNetwork) -> tuple[ServiceOperatorCost, ...]:
    """The operator's figures of every service of ``network`` (module docstring)."""
    svc = network.services
    out = []
    for k, sid in enumerate(svc.ids):
        per_week = svc.departures_h[k].size * HOURS_PER_WEEK / network.horizon_h
        per_dep = float(svc.cost_cny_per_departure[k])
        fixed = (
            0.0 if svc.fixed_cost_cny_per_year is None else float(svc.fixed_cost_cny_per_year[k])
        )
        fleet = None if svc.fleet_vehicles is None else int(svc.fleet_vehicles[k])
        out.append(
            ServiceOperatorCost(
                service=sid,
                departures_per_week=per_week,
                cost_cny_per_departure=per_dep,
                fleet_vehicles=fleet if fleet is not None and fleet >= 0 else None,
                fixed_cost_cny_per_year=fixed,
                operator_cost_cny_per_year=per_dep * per_week * HOURS_PER_YEAR / HOURS_PER_WEEK
                + fixed,
            )
        )
    return tuple(out)
