"""What a train, barge or ship service costs its operator: per departure, per year, and its fleet.

A service's ``[services.operator_cost]`` table (every component optional, each a
sourced value) gives:

- per departure: ``cny_per_km`` (distance-related: maintenance, wear, track access
  charged by train-km) and ``energy_cny_per_km`` (traction energy or fuel) times the
  leg's distance, ``cny_per_h`` (time-related: vehicle hire or capital by the hour) and
  ``crew_cny_per_h`` times its travel time, plus ``dues_cny_per_departure`` (track
  access or port dues per departure);
- per year: ``fixed_cny_per_year`` (the service's own overhead) plus
  ``vehicle_cny_per_year`` for each vehicle (train set, barge) the rotation needs;
- the fleet (rotation): a vehicle makes the round trip out and back (the return
  assumed as long as the outbound trip) and turns round at each end, so
  ``fleet = ceil((2 × travel_time_h + 2 × turnaround_h) / headway_h)`` with
  ``headway_h = 168 / departures per week``: one vehicle leaves every headway.

The per-departure cost adds to ``cost_cny_per_departure`` (both are paid whether
the departure is full or empty); the simulation counts it in its ``departures`` cost
component and the yearly cost in ``service_fixed``; the LP charges a departure's cost
to each departure it uses (``optimize --optimise-departures``) and nets it out of
every "one more departure" decision.

References
----------
The rotation rule is the fleet-sizing identity of scheduled transport (cycle time /
headway), e.g. Vuchic, V. R. (2005). *Urban Transit: Operations, Planning, and
Economics*. Wiley (the fleet size of a line from its cycle time and headway).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from freighthub.model.fields import Frozen, NonNegativeFloat
from freighthub.model.sourced import Sourced

__all__ = [
    "OperatorCost",
    "departure_cost_by_component_cny",
    "fleet_for_departures",
    "fleet_vehicles",
]

#: Per-departure components: field -> what it is multiplied by (``"km"``, ``"h"`` or ``""``).
DEPARTURE_COMPONENTS = {
    "cny_per_km": "km",
    "energy_cny_per_km": "km",
    "cny_per_h": "h",
    "crew_cny_per_h": "h",
    "dues_cny_per_departure": "",
}


class OperatorCost(Frozen):
    """The operator's cost components of a service (module docstring); all optional, >= 0."""

    cny_per_km: Sourced[NonNegativeFloat] | None = None
    energy_cny_per_km: Sourced[NonNegativeFloat] | None = None
    cny_per_h: Sourced[NonNegativeFloat] | None = None
    crew_cny_per_h: Sourced[NonNegativeFloat] | None = None
    dues_cny_per_departure: Sourced[NonNegativeFloat] | None = None
    fixed_cny_per_year: Sourced[NonNegativeFloat] | None = None
    vehicle_cny_per_year: Sourced[NonNegativeFloat] | None = None
    turnaround_h: Sourced[NonNegativeFloat] | None = None


def departure_cost_by_component_cny(
    cost: OperatorCost, distance_km: float, travel_time_h: float
) -> dict[str, float]:
    """Cost of one departure by component [CNY] (only the components given)."""
    out: dict[str, float] = {}
    for name, per in DEPARTURE_COMPONENTS.items():
        value: Sourced[float] | None = getattr(cost, name)
        if value is None:
            continue
        factor = distance_km if per == "km" else travel_time_h if per == "h" else 1.0
        out[name] = value.value * factor
    return out


def fleet_vehicles(travel_time_h: float, turnaround_h: float, headway_h: float) -> int:
    """Vehicles a rotation needs: ``ceil((2 travel + 2 turnaround) / headway)`` [vehicles].

    Parameters
    ----------
    travel_time_h
        One-way travel time [h], > 0.
    turnaround_h
        Time at each end between arrival and the next departure [h], >= 0.
    headway_h
        Time between departures [h], > 0.

    Raises
    ------
    ValueError
        If a time is negative or not finite, or the headway or travel time is not > 0.

    Examples
    --------
    A barge 60 h each way, 12 h at each end, 3 departures a week (headway 56 h):
    round trip 144 h, ``ceil(144 / 56) = 3`` barges.

    >>> fleet_vehicles(60.0, 12.0, 56.0)
    3
    """
    for name, value, low in (
        ("travel_time_h", travel_time_h, 0.0),
        ("headway_h", headway_h, 0.0),
    ):
        if not (math.isfinite(value) and value > low):
            raise ValueError(f"{name} = {value!r}: must be a finite number > 0")
    if not (math.isfinite(turnaround_h) and turnaround_h >= 0):
        raise ValueError(f"turnaround_h = {turnaround_h!r}: must be a finite number >= 0")
    cycle_h = 2.0 * travel_time_h + 2.0 * turnaround_h
    # A cycle of exactly k headways needs k vehicles; guard against 3.0000000001.
    return max(1, math.ceil(cycle_h / headway_h - 1e-9))


def fleet_for_departures(departures_h: ArrayLike, cycle_h: float) -> int:
    """Vehicles a timetable needs when each vehicle is away ``cycle_h`` after departing.

    The most departures that fall in any window ``[d, d + cycle_h)`` starting at a
    departure ``d``: a vehicle that left at ``d`` is not back before ``d + cycle_h``,
    so that many vehicles are needed at once. For an even timetable this is
    :func:`fleet_vehicles`; for an uneven one it sizes the fleet on the busiest
    stretch. 0 for a service without departures.

    Parameters
    ----------
    departures_h
        Sorted departure times [h].
    cycle_h
        Round trip plus turnarounds, ``2 × travel_time_h + 2 × turnaround_h`` [h], > 0.
    """
    if not (math.isfinite(cycle_h) and cycle_h > 0):
        raise ValueError(f"cycle_h = {cycle_h!r}: must be a finite number > 0")
    d = np.asarray(departures_h, dtype=float)
    if d.size == 0:
        return 0
    ends = np.searchsorted(d, d + cycle_h - 1e-9, side="left")
    return int(np.max(ends - np.arange(d.size)))
