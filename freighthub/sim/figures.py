"""What the simulation measures: every figure declared once, with its unit.

Each group of figures (a hub's, a service's, a route's, a terminal pool's, the whole
run's) is one generic frozen dataclass over the type of a figure ``F``:

- ``F = float``: one replication, computed by :func:`freighthub.sim.summary.summarise`
  (:class:`~freighthub.sim.summary.Summary`, ``HubSummary = HubFigures[float]``, ...);
- ``F =`` :class:`~freighthub.sim.estimates.Estimate`: the mean and 95 % interval
  over replications (:class:`~freighthub.sim.estimates.SummaryEstimate`,
  ``HubEstimate = HubFigures[Estimate]``, ...), built from the replications by one
  generic walk (:func:`freighthub.sim.estimates.estimate_figures`).

So a new figure is one field here (and the line that computes it); readers take
figures by attribute and a renamed one fails in mypy. Each figure's unit is the
``unit`` of its field's metadata (``teu``, ``t``, ``boxes``, ``count``, ``h``,
``share`` (0-1), ``cny``, ``kgco2e``, ``tkm``, ``per_h``, ``cny_per_teu``,
``kgco2e_per_teu``); a field holding figures by key (mode, hub, service, leg,
route, pool) holds figures of one unit or one figures group per key. A count is an
``int`` in a replication :func:`~freighthub.sim.summary.summarise` computes (typed
``F = float``, which accepts an ``int``). Statistics cover the statistics
window ``[warmup_h, horizon_h)`` (clock in hours [h]).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any, Generic, TypeVar, Union, get_args, get_origin, get_type_hints

__all__ = [
    "HubFigures",
    "PoolFigures",
    "RouteFigures",
    "ServiceFigures",
    "SummaryFigures",
    "TerminalFigures",
    "TerminalHubFigures",
    "TerminalRouteFigures",
    "field_types",
    "field_unit",
    "figures_by_path",
    "figures_class",
    "inner_figures",
]

#: The type of one figure: ``float`` (one replication) or ``Estimate`` (over many).
F = TypeVar("F")

# The field metadata of each unit (the vocabulary of ``Estimate.unit``).
_TEU = {"unit": "teu"}
_T = {"unit": "t"}
_BOXES = {"unit": "boxes"}
_COUNT = {"unit": "count"}
_H = {"unit": "h"}
_SHARE = {"unit": "share"}
_CNY = {"unit": "cny"}
_KGCO2E = {"unit": "kgco2e"}
_TKM = {"unit": "tkm"}
_PER_H = {"unit": "per_h"}
_CNY_PER_TEU = {"unit": "cny_per_teu"}
_KGCO2E_PER_TEU = {"unit": "kgco2e_per_teu"}


@dataclass(frozen=True)
class HubFigures(Generic[F]):
    """Figures of one hub in the statistics window.

    Attributes
    ----------
    handled_teu
        ``traced_teu + background_teu`` [TEU].
    traced_teu, handled_t
        TEU and gross tonnes of traced boxes passing through the hub (one passage per
        container visit of the hub, a transshipment counting once) [TEU], [t].
    background_teu, background_moves
        Background TEU and moves handled (:mod:`freighthub.sim.background`: calls,
        lot loads and unloads that arrived at the pool in the window and started)
        [TEU], [moves]; 0 without background traffic.
    moves
        Handling moves of traced boxes (loads and unloads) [-].
    mean_wait_h, p95_wait_h
        Queueing wait of traced boxes before a handling move [h] (behind background
        jobs too).
    background_mean_wait_h
        Mean queueing wait of a background job (a call or lot) [h]; NaN without any.
    mean_yard_hold_h
        Mean time boxes starting at this hub were held outside a full yard [h].
    utilisation
        Busy time of the handling pool (traced and background) / (servers x window)
        [0-1].
    emissions_kgco2e_wtw, emissions_kgco2e_ttw
        Hub-operation emissions [kgCO2e]; TTW counts only categories that give TTW.
    """

    handled_teu: F = field(metadata=_TEU)
    handled_t: F = field(metadata=_T)
    moves: F = field(metadata=_COUNT)
    mean_wait_h: F = field(metadata=_H)
    p95_wait_h: F = field(metadata=_H)
    mean_yard_hold_h: F = field(metadata=_H)
    utilisation: F = field(metadata=_SHARE)
    emissions_kgco2e_wtw: F = field(metadata=_KGCO2E)
    emissions_kgco2e_ttw: F = field(metadata=_KGCO2E)
    traced_teu: F = field(metadata=_TEU)
    background_teu: F = field(metadata=_TEU)
    background_moves: F = field(metadata=_COUNT)
    background_mean_wait_h: F = field(metadata=_H)


@dataclass(frozen=True)
class ServiceFigures(Generic[F]):
    """Figures of one timetabled service in the statistics window.

    Attributes
    ----------
    departures
        Departures in the window, including empty and cancelled ones [-].
    empty_departures
        Departures in the window that ran (capacity > 0) and carried nothing, traced
        or background [-].
    teu, capacity_teu
        TEU carried (traced and background) and offered [TEU].
    routed_teu
        TEU that arrived in the window on routes (as assigned) using the service
        [TEU]: more than ``capacity_teu`` is demand the service cannot carry.
    utilisation
        ``teu / capacity_teu`` [0-1]; NaN when no capacity was offered.
    background_teu
        Background TEU carried (:mod:`freighthub.sim.background`) [TEU]; 0 without
        background traffic.
    """

    departures: F = field(metadata=_COUNT)
    empty_departures: F = field(metadata=_COUNT)
    teu: F = field(metadata=_TEU)
    capacity_teu: F = field(metadata=_TEU)
    routed_teu: F = field(metadata=_TEU)
    utilisation: F = field(metadata=_SHARE)
    background_teu: F = field(metadata=_TEU)


@dataclass(frozen=True)
class RouteFigures(Generic[F]):
    """Figures of one route in the statistics window (see :mod:`freighthub.sim.routes`).

    Attributes
    ----------
    arrived_teu, delivered_teu
        TEU that arrived in the window on this route, and those of them delivered
        before the horizon [TEU].
    delivered_boxes
        Boxes delivered [-] (the weights of the summary's door-to-door mean, which is
        a mean per box).
    left_behind_boxes, left_behind_repeatedly_boxes
        Boxes that arrived in the window and found at least one departure full, and
        those that found two or more full (persistently left behind) [-].
    door_to_door_mean_h, door_to_door_p95_h
        Mean and 95th percentile of the door-to-door time of the delivered boxes [h];
        NaN when none was delivered.
    cost_cny, price_cny_per_teu
        Cost allocated to the route's counted boxes [CNY] and per arrived TEU
        [CNY/TEU].
    emissions_kgco2e_wtw, emissions_kgco2e_wtw_per_teu
        WTW emissions of their legs and hub passages [kgCO2e] and per arrived TEU
        [kgCO2e/TEU].
    on_time_share
        Share of the delivered TEU delivered within the demand's
        ``promised_door_to_door_h`` [0-1]; NaN when the demand gives no promise or
        nothing was delivered (never invented).
    """

    arrived_teu: F = field(metadata=_TEU)
    delivered_teu: F = field(metadata=_TEU)
    delivered_boxes: F = field(metadata=_BOXES)
    left_behind_boxes: F = field(metadata=_BOXES)
    left_behind_repeatedly_boxes: F = field(metadata=_BOXES)
    door_to_door_mean_h: F = field(metadata=_H)
    door_to_door_p95_h: F = field(metadata=_H)
    cost_cny: F = field(metadata=_CNY)
    price_cny_per_teu: F = field(metadata=_CNY_PER_TEU)
    emissions_kgco2e_wtw: F = field(metadata=_KGCO2E)
    emissions_kgco2e_wtw_per_teu: F = field(metadata=_KGCO2E_PER_TEU)
    on_time_share: F = field(metadata=_SHARE)


@dataclass(frozen=True)
class PoolFigures(Generic[F]):
    """One terminal pool over the statistics window (:mod:`freighthub.sim.terminal_stats`).

    Attributes
    ----------
    units
        Units (servers, lanes) of the pool [count].
    jobs
        Jobs that reached the pool in the window [count].
    throughput_per_h
        Arrival rate ``lambda``: ``jobs / window`` [1/h].
    utilisation
        Busy time in the window / (units x window) [0-1].
    mean_waiting
        Time-average number of jobs waiting ``L_q`` [jobs].
    mean_in_system
        Time-average number of jobs waiting or in service ``L`` [jobs].
    mean_wait_h, p50_wait_h, p95_wait_h
        Waits (start - arrival) of the jobs that reached the pool in the window and
        started before the horizon [h]; NaN without any.
    """

    units: F = field(metadata=_COUNT)
    jobs: F = field(metadata=_COUNT)
    throughput_per_h: F = field(metadata=_PER_H)
    utilisation: F = field(metadata=_SHARE)
    mean_waiting: F = field(metadata=_COUNT)
    mean_in_system: F = field(metadata=_COUNT)
    mean_wait_h: F = field(metadata=_H)
    p50_wait_h: F = field(metadata=_H)
    p95_wait_h: F = field(metadata=_H)


@dataclass(frozen=True)
class TerminalHubFigures(Generic[F]):
    """One hub's trucks and yard over the statistics window.

    Attributes
    ----------
    trucks
        Trucks (boxes entering the hub by road through a gate or yard pool) whose
        first move reached its pool in the window [count].
    truck_wait_mean_h, truck_wait_p95_h
        Their waiting at the gate and yard pools (queueing, not service) [h].
    truck_wait_above_threshold_share
        Share of them waiting longer than the hub's ``truck_wait_threshold_h`` [0-1];
        NaN when the hub has no threshold or no truck.
    truck_turnaround_mean_h, truck_turnaround_p95_h
        Gate arrival to the end of the truck-in move [h].
    yard_mean_teu, yard_p95_teu, yard_max_teu
        Yard occupancy over the window: time-weighted mean, p95 of the time-weighted
        distribution, maximum [TEU] (the yard is empty at ``t = 0``).
    """

    trucks: F = field(metadata=_COUNT)
    truck_wait_mean_h: F = field(metadata=_H)
    truck_wait_p95_h: F = field(metadata=_H)
    truck_wait_above_threshold_share: F = field(metadata=_SHARE)
    truck_turnaround_mean_h: F = field(metadata=_H)
    truck_turnaround_p95_h: F = field(metadata=_H)
    yard_mean_teu: F = field(metadata=_TEU)
    yard_p95_teu: F = field(metadata=_TEU)
    yard_max_teu: F = field(metadata=_TEU)


@dataclass(frozen=True)
class TerminalRouteFigures(Generic[F]):
    """The terminal time of one route's boxes that arrived in the statistics window.

    Attributes
    ----------
    boxes
        Boxes with at least one pool move, every move started before the horizon [boxes].
    terminal_wait_mean_h, terminal_wait_p95_h
        A box's queueing before all its pool moves (gate, yard, loads, unloads), summed
        [h]; NaN on a route without pool moves.
    truck_wait_mean_h
        Mean truck waiting where it enters by road [h].
    """

    boxes: F = field(metadata=_BOXES)
    terminal_wait_mean_h: F = field(metadata=_H)
    terminal_wait_p95_h: F = field(metadata=_H)
    truck_wait_mean_h: F = field(metadata=_H)


@dataclass(frozen=True)
class TerminalFigures(Generic[F]):
    """Terminal figures: per pool id (``<hub id>/<task>``, see
    :func:`~freighthub.sim.terminal_stats.pool_layout`), per hub id and per route id."""

    pools: dict[str, PoolFigures[F]]
    hubs: dict[str, TerminalHubFigures[F]]
    routes: dict[str, TerminalRouteFigures[F]] = field(default_factory=dict)


@dataclass(frozen=True)
class SummaryFigures(Generic[F]):
    """The figures of the whole network (all over the statistics window).

    Attributes
    ----------
    arrived_teu, delivered_teu, in_system_teu
        TEU that arrived in the window, were delivered before the horizon, and were
        still in the network at the horizon; ``arrived = delivered + in_system``.
    arrived_boxes, delivered_boxes, diverted_boxes, left_behind_boxes
        Boxes; diverted boxes took their road alternative (and are counted in
        delivered or in system); left-behind boxes missed at least one full
        departure.
    throughput_teu, throughput_t
        Delivered TEU and gross tonnes (cargo plus tare) [TEU], [t].
    throughput_teu_by_mode, throughput_t_by_mode
        Delivered TEU and t by the main mode of the route travelled.
    modal_split_teu_share
        Share of delivered TEU by main mode [0-1], summing to 1.
    tkm_by_mode, modal_split_tkm_share
        Freight tonne-km of each mode's legs [tkm] and its shares [0-1]; freight
        mass as in :func:`~freighthub.sim.legs.freight_mass_t` (cargo, or tare for empty boxes).
    door_to_door_mean_h, door_to_door_p50_h, door_to_door_p95_h
        Arrival at the origin to delivery at the destination [h].
    door_to_door_mean_h_by_mode
        Mean door-to-door time by main mode [h].
    hubs, services
        Per hub id and per service id.
    cost_cny, cost_cny_by_component
        Cost [CNY]; components ``road``, ``services`` (per TEU), ``departures``
        (fixed per departure in the window: per-departure cost and the operator's
        per-departure components), ``handling``, and ``service_fixed`` (the
        operators' yearly fixed and fleet cost prorated to the window; only where a
        service declares it). ``departures`` and ``service_fixed`` are operator costs.
    cost_unallocated_cny
        The part of ``cost_cny`` no counted box rode: the fixed cost of the departures
        in the window of services that carried none, and ``service_fixed`` [CNY].
    routes
        Per route id (``"<od id>/<route name>"``), every route of the network: TEU,
        door-to-door times, price and emissions per TEU, share on time
        (:mod:`freighthub.sim.routes`).
    emissions_kgco2e_wtw, emissions_kgco2e_ttw
        Total emissions of legs and hub passages [kgCO2e].
    emissions_ttw_complete
        False if some intensity gives only WTW (its TTW is then left out).
    emissions_kgco2e_wtw_by_mode, emissions_kgco2e_ttw_by_mode
        Leg emissions by the leg's mode (hub emissions under ``hub``).
    emissions_kgco2e_wtw_by_leg, emissions_kgco2e_ttw_by_leg
        Leg emissions by service id or road link id.
    legs_without_intensity_tkm
        Tonne-km of legs whose link or service names no intensity id (possible only
        in networks built without a scenario file); their emissions are left out.
    terminal
        Pools, trucks and yards of the terminal model
        (:mod:`freighthub.sim.terminal_stats`); ``None`` without one.
    """

    arrived_teu: F = field(metadata=_TEU)
    delivered_teu: F = field(metadata=_TEU)
    in_system_teu: F = field(metadata=_TEU)
    arrived_boxes: F = field(metadata=_BOXES)
    delivered_boxes: F = field(metadata=_BOXES)
    diverted_boxes: F = field(metadata=_BOXES)
    left_behind_boxes: F = field(metadata=_BOXES)
    throughput_teu: F = field(metadata=_TEU)
    throughput_t: F = field(metadata=_T)
    throughput_teu_by_mode: dict[str, F] = field(metadata=_TEU)
    throughput_t_by_mode: dict[str, F] = field(metadata=_T)
    modal_split_teu_share: dict[str, F] = field(metadata=_SHARE)
    tkm_by_mode: dict[str, F] = field(metadata=_TKM)
    modal_split_tkm_share: dict[str, F] = field(metadata=_SHARE)
    door_to_door_mean_h: F = field(metadata=_H)
    door_to_door_p50_h: F = field(metadata=_H)
    door_to_door_p95_h: F = field(metadata=_H)
    door_to_door_mean_h_by_mode: dict[str, F] = field(metadata=_H)
    hubs: dict[str, HubFigures[F]]
    services: dict[str, ServiceFigures[F]]
    cost_cny: F = field(metadata=_CNY)
    cost_cny_by_component: dict[str, F] = field(metadata=_CNY)
    cost_unallocated_cny: F = field(metadata=_CNY)
    routes: dict[str, RouteFigures[F]]
    emissions_kgco2e_wtw: F = field(metadata=_KGCO2E)
    emissions_kgco2e_ttw: F = field(metadata=_KGCO2E)
    emissions_ttw_complete: bool
    emissions_kgco2e_wtw_by_mode: dict[str, F] = field(metadata=_KGCO2E)
    emissions_kgco2e_ttw_by_mode: dict[str, F] = field(metadata=_KGCO2E)
    emissions_kgco2e_wtw_by_leg: dict[str, F] = field(metadata=_KGCO2E)
    emissions_kgco2e_ttw_by_leg: dict[str, F] = field(metadata=_KGCO2E)
    legs_without_intensity_tkm: F = field(metadata=_TKM)
    terminal: TerminalFigures[F] | None = None


def field_unit(f: Field[Any]) -> str:
    """The unit of a figure field (``""`` for a field of figures groups or a flag)."""
    return str(f.metadata.get("unit", ""))


def figures_class(kind: Any) -> type | None:
    """The figures class a field type names (``HubFigures[F]`` -> ``HubFigures``), else ``None``."""
    cls = get_origin(kind) or kind
    return cls if isinstance(cls, type) and is_dataclass(cls) else None


@cache
def _field_types(cls: type) -> dict[str, Any]:
    """The resolved field types of a figures class (once per class)."""
    return get_type_hints(cls)


def inner_figures(cls: type, name: str) -> tuple[type, int] | None:
    """The figures class inside field ``name`` of ``cls`` and the dotted-path parts it takes.

    ``(HubFigures, 2)`` for ``hubs`` (``hubs.<id>.<figure>``), ``(TerminalFigures, 1)``
    for the optional ``terminal``; ``None`` for a field of figures or a flag.
    """
    kind = _field_types(cls)[name]
    origin = get_origin(kind)
    if origin is dict:
        inner = figures_class(get_args(kind)[1])
        return None if inner is None else (inner, 2)
    if origin in (Union, types.UnionType):
        inner = next(a for a in get_args(kind) if a is not type(None))
        nested = figures_class(inner)
        return None if nested is None else (nested, 1)
    nested = figures_class(kind)
    return None if nested is None else (nested, 1)


def figures_by_path(tree: Any, is_figure: Callable[[Any], bool]) -> dict[str, Any]:
    """Every figure of a figures tree by dotted path (``hubs.<id>.utilisation``).

    In field order, a mapping in its keys' order; what ``is_figure`` tells is a figure
    is a leaf, anything else neither a figures class nor a mapping (a flag, ``None``)
    is left out. :func:`freighthub.sim.summary.flatten` (numbers) and
    :func:`freighthub.sim.estimates.estimates_by_path` (estimates) are this walk.
    """
    out: dict[str, Any] = {}

    def walk(node: Any, prefix: str) -> None:
        if is_figure(node):
            out[prefix.rstrip(".")] = node
        elif is_dataclass(node) and not isinstance(node, type):
            for f in fields(node):
                walk(getattr(node, f.name), f"{prefix}{f.name}.")
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{prefix}{k}.")

    walk(tree, "")
    return out


def field_types(cls: type) -> dict[str, Any]:
    """The field types of a figures class by field name (``F`` stands for one figure)."""
    return _field_types(cls)
