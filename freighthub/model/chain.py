"""Transport chain files: a TOML file describing one shipment's legs and hub operations.

The file is validated here and turned into the pure :class:`~freighthub.emissions.Leg`
and :class:`~freighthub.emissions.HubOperation` elements; :func:`evaluate_chain_file`
then computes the chain's emissions with a factor pack. The format is documented in
``docs/data-formats.md`` and the README; ``scenarios/chains/chongqing-shanghai.toml``
is a copyable example.

Masses are given as ``mass_t`` or ``mass_kg`` (divided by 1000, never read as tonnes),
containers as ``containers = [{ type = "40ft", count = 2 }]`` (a 40' box is 2 TEU by the
pack's conversions) or ``teu``. A ``[shipment]`` block gives the defaults; an element
that gives any amount replaces all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from freighthub.emissions.chain import (
    ChainEmissions,
    ElementEmissions,
    HubOperation,
    Leg,
    chain_emissions,
)
from freighthub.emissions.intensity import EmissionsInputError, FactorPack
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.frames import data_frame, record
from freighthub.model.chain_intensities import (
    check_hub_intensity_entry,
    check_intensity_entry,
    with_chain_intensities,
)
from freighthub.model.chain_schema import ChainFile, HubEntry, LegEntry, Shipment, _Amounts
from freighthub.model.factors import load_factor_pack
from freighthub.model.files import read_toml, unique_ids, unknown_in_file, validate
from freighthub.model.network import Network, load_shipped_network
from freighthub.model.paths import data_dir
from freighthub.network.routing import NoRouteError, Route, shortest_route
from freighthub.units import KG_PER_T
from freighthub.vocabulary import DistanceType

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ChainEvaluation",
    "build_chain",
    "evaluate_chain_file",
    "example_chain_path",
    "load_chain_file",
]


@dataclass(frozen=True)
class ChainEvaluation:
    """A chain file evaluated with a factor pack.

    Attributes
    ----------
    path
        The chain file.
    chain_id, description
        From the file.
    pack
        The factor pack used, with the file's own intensities added.
    custom_intensity_ids
        Ids of the transport and hub intensities the chain file defines itself.
    emissions
        Per element and total, WTW and TTW [kgCO2e].
    """

    path: Path
    chain_id: str
    description: str | None
    pack: FactorPack
    custom_intensity_ids: tuple[str, ...]
    emissions: ChainEmissions

    def to_pandas(self) -> pd.DataFrame:
        """The emissions, one row per element in chain order: the columns of
        :class:`~freighthub.emissions.chain.ElementEmissions` (enums as their values).

        Built here rather than on ``ChainEmissions`` so that the pure emissions package
        stays free of pandas.
        """
        columns = [f.name for f in fields(ElementEmissions)]
        return data_frame((record(e) for e in self.emissions.elements), columns)


def example_chain_path() -> Path:
    """The shipped example chain: ``scenarios/chains/chongqing-shanghai.toml``.

    Two 40' containers, Chongqing plant -> truck -> Guoyuan port -> Yangtze container
    vessel -> Shanghai Waigaoqiao terminal, with the ``glec-v3-2023`` pack.
    """
    return data_dir("scenarios") / "chains" / "chongqing-shanghai.toml"


def load_chain_file(path: str | Path) -> ChainFile:
    """Load and validate a chain file (without resolving ids against a pack).

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, or breaks the format (element ids must be
        unique).
    """
    p = Path(path)
    chain = validate(ChainFile, read_toml(p), p)
    elements = ((f"element[{i}].id", e.id) for i, e in enumerate(chain.element))
    unique_ids(p, elements, rule="element id is used twice")
    for i, element in enumerate(chain.element):
        if isinstance(element, LegEntry):
            _check_leg_distance(element, p, f"element[{i}]")
    for i, entry in enumerate(chain.intensity):
        check_intensity_entry(entry, p, f"intensity[{i}]")
    for i, hub in enumerate(chain.hub_intensity):
        check_hub_intensity_entry(hub, p, f"hub_intensity[{i}]")
    return chain


#: Distance types a network route may be declared as: the network's shortest path is
#: the shortest feasible distance (GLEC3 p.21), or the actual one where the user knows
#: the vessel or train took it. Never great-circle.
ROUTE_DISTANCE_TYPES = (DistanceType.SHORTEST_FEASIBLE, DistanceType.ACTUAL)


def _check_leg_distance(leg: LegEntry, path: Path, where: str) -> None:
    if leg.route is None:
        if leg.distance_km is None:
            raise DataFileError(path, "give distance_km (with distance_type) or route", where)
        if leg.distance_type is None:
            raise DataFileError(path, "required with distance_km", f"{where}.distance_type")
        return
    if leg.distance_km is not None:
        raise DataFileError(
            path,
            "give distance_km or route, not both (the route's distance comes from the network)",
            f"{where}.distance_km",
            leg.distance_km,
        )
    if leg.mode is None:
        raise DataFileError(
            path, "required with route (the network mode to route on)", f"{where}.mode"
        )
    if leg.distance_type is not None and leg.distance_type not in ROUTE_DISTANCE_TYPES:
        raise DataFileError(
            path,
            "a network route is a shortest_feasible or actual distance, never great_circle",
            f"{where}.distance_type",
            leg.distance_type.value,
        )


@dataclass(frozen=True)
class _LegDistance:
    distance_km: float
    distance_type: DistanceType


def _leg_distance(
    leg: LegEntry, network: Network | None, path: Path, where: str
) -> tuple[_LegDistance, Route | None]:
    if leg.route is None:
        assert leg.distance_km is not None and leg.distance_type is not None
        return _LegDistance(leg.distance_km, leg.distance_type), None
    assert leg.mode is not None
    if network is None:
        network = load_shipped_network()
    a, b = leg.route.from_, leg.route.to
    for field_name, node in (("from", a), ("to", b)):
        if node not in network.nodes:
            raise DataFileError(
                path,
                "not a node of the network (a hub id or a [[node]] of networks/)",
                f"{where}.route.{field_name}",
                node,
            )
    try:
        route = shortest_route(network, a, b, leg.mode)
    except NoRouteError as exc:
        raise DataFileError(path, str(exc), f"{where}.route", f"{a} -> {b}") from None
    return _LegDistance(
        route.distance_km, leg.distance_type or DistanceType.SHORTEST_FEASIBLE
    ), route


@dataclass(frozen=True)
class _Resolved:
    mass_t: float | None
    teu: float | None
    boxes: float | None
    tonnes_per_teu: float | None


def _resolve(
    amounts: _Amounts, pack: FactorPack, path: Path, where: str, boxes: float | None = None
) -> _Resolved:
    if amounts.mass_t is not None and amounts.mass_kg is not None:
        raise DataFileError(
            path, "give mass_t or mass_kg, not both", f"{where}.mass_kg", amounts.mass_kg
        )
    mass_t = amounts.mass_t
    if amounts.mass_kg is not None:
        mass_t = amounts.mass_kg / KG_PER_T
    teu = amounts.teu
    if amounts.containers is not None:
        if teu is not None:
            raise DataFileError(path, "give teu or containers, not both", f"{where}.teu", teu)
        teu = 0.0
        box_count = 0.0
        for i, c in enumerate(amounts.containers):
            ctype = pack.container_types.get(c.type)
            if ctype is None:
                raise DataFileError(
                    path,
                    f"unknown container type; valid: {', '.join(sorted(pack.container_types)) or '(none in pack)'}",
                    f"{where}.containers[{i}].type",
                    c.type,
                )
            teu += c.count * ctype.teu_per_container
            box_count += c.count
        if boxes is None:
            boxes = box_count
    tpt: float | None = None
    if isinstance(amounts.tonnes_per_teu, str):
        conv = pack.teu_conventions.get(amounts.tonnes_per_teu)
        if conv is None:
            raise DataFileError(
                path,
                f"unknown tonnes-per-TEU convention; valid: {', '.join(sorted(pack.teu_conventions)) or '(none in pack)'} or a number",
                f"{where}.tonnes_per_teu",
                amounts.tonnes_per_teu,
            )
        tpt = conv.tonnes_per_teu
    elif amounts.tonnes_per_teu is not None:
        tpt = float(amounts.tonnes_per_teu)
    return _Resolved(mass_t, teu, boxes, tpt)


def build_chain(
    chain: ChainFile,
    pack: FactorPack,
    path: str | Path = "<chain>",
    network: Network | None = None,
) -> tuple[FactorPack, list[Leg | HubOperation]]:
    """Resolve a chain file against a pack: its own intensities, amounts and conventions.

    Returns
    -------
    tuple
        The pack with the file's intensities added, and the chain's elements.

    Raises
    ------
    DataFileError
        For an unknown container type, convention or energy factor, conflicting
        amounts, an element without any amount, or an intensity id already in the pack.
    """
    p = Path(path)
    full = with_chain_intensities(chain, pack, p)
    default = _resolve(chain.shipment or Shipment(), full, p, "shipment")
    elements: list[Leg | HubOperation] = []
    for i, entry in enumerate(chain.element):
        where = f"element[{i}]"
        own_boxes = entry.boxes if isinstance(entry, HubEntry) else None
        if entry.gives_amount():
            amounts = _resolve(entry, full, p, where, own_boxes)
            if amounts.tonnes_per_teu is None:
                amounts = _Resolved(
                    amounts.mass_t, amounts.teu, amounts.boxes, default.tonnes_per_teu
                )
        else:
            amounts = default
        if amounts.mass_t is None and amounts.teu is None and amounts.boxes is None:
            raise DataFileError(
                p,
                "gives no amount and [shipment] has none: give mass_t, mass_kg, teu or containers",
                where,
            )
        if isinstance(entry, LegEntry):
            distance, _ = _leg_distance(entry, network, p, where)
            elements.append(
                Leg(
                    id=entry.id,
                    intensity_id=entry.intensity,
                    distance_km=distance.distance_km,
                    distance_type=distance.distance_type,
                    mass_t=amounts.mass_t,
                    teu=amounts.teu,
                    tonnes_per_teu=amounts.tonnes_per_teu,
                    distance_adjustment_factor=entry.distance_adjustment_factor,
                    mode=entry.mode,
                )
            )
        else:
            elements.append(
                HubOperation(
                    id=entry.id,
                    hub_category_id=entry.hub_category,
                    mass_t=amounts.mass_t,
                    teu=amounts.teu,
                    boxes=amounts.boxes,
                    tonnes_per_teu=amounts.tonnes_per_teu,
                )
            )
    return full, elements


def _naming(chain: ChainFile, identifier: str) -> str:
    """The field of the first element that names ``identifier``."""
    for i, e in enumerate(chain.element):
        if isinstance(e, LegEntry) and e.intensity == identifier:
            return f"element[{i}].intensity"
        if isinstance(e, HubEntry) and e.hub_category == identifier:
            return f"element[{i}].hub_category"
    return "element"


def evaluate_chain_file(
    path: str | Path,
    pack: str | Path | None = None,
    pack_folder: str | Path | None = None,
    network: Network | None = None,
) -> ChainEvaluation:
    """Load a chain file and compute its emissions per element and in total.

    Parameters
    ----------
    path
        The chain file (TOML).
    pack
        Factor pack id or path; overrides the file's ``pack``. If neither is given,
        the error says so (no pack is assumed silently).
    pack_folder
        Folder to look pack ids up in (default ``standards/emissions/``).
    network
        The network that ``route`` legs are routed on (default: the shipped
        ``networks/`` with ``hubs/``, loaded only if a leg names a route).

    Returns
    -------
    ChainEvaluation
        The pack used and the emissions, WTW and TTW [kgCO2e].

    Raises
    ------
    DataFileError
        If the chain file or the pack is invalid, or no pack is named.
    UnknownIdentifierError
        If the pack, an intensity or a hub category does not exist.
    EmissionsInputError
        If an element cannot be computed (e.g. a DAF is needed and not available).

    References
    ----------
    ISO 14083:2023 §6.3, §12; GLEC Framework v3.0 (2023), ch. 1.
    """
    p = Path(path)
    chain = load_chain_file(p)
    pack_ref = pack if pack is not None else chain.pack
    if pack_ref is None:
        raise DataFileError(
            p,
            'no factor pack: set pack = "glec-v3-2023" in the file or give one with the command',
            "pack",
        )
    try:
        base = load_factor_pack(pack_ref, pack_folder)
    except UnknownIdentifierError as exc:
        if pack is not None:
            raise
        raise unknown_in_file(exc, p, "pack") from None
    try:
        full, elements = build_chain(chain, base, p, network)
        emissions = chain_emissions(full, elements)
    except UnknownIdentifierError as exc:
        raise unknown_in_file(exc, p, _naming(chain, exc.identifier)) from None
    except EmissionsInputError as exc:
        raise EmissionsInputError(f"{p}: {exc}") from None
    return ChainEvaluation(
        path=p,
        chain_id=chain.id,
        description=chain.description,
        pack=full,
        custom_intensity_ids=(
            *(e.id for e in chain.intensity),
            *(h.id for h in chain.hub_intensity),
        ),
        emissions=emissions,
    )
