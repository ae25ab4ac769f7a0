"""Transport networks: TOML files in ``networks/``, loaded into a frozen, validated :class:`Network`.

A network file declares nodes that are not hubs (junctions, locks, border crossings),
links by mode between nodes, and published reference distances the network must
reproduce. Hub ids are node ids: every hub of ``hubs/`` is a node of kind ``hub``
and a link may name it without declaring it. Links are undirected. Every link length
carries its ``source`` and ``confidence``; a length that could not be sourced is
marked ``assumption`` and its source says how it was estimated. The format is
documented in ``docs/data-formats.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    CountryCode,
    Frozen,
    HubId,
    Latitude,
    Longitude,
    ModeId,
    PositiveFloat,
    PositiveInt,
    SourcedFields,
    Text,
)
from freighthub.model.files import read_toml, toml_files_in, validate
from freighthub.model.hub import Hub
from freighthub.model.hub_sections import CnWaterwayClass, EcmtClass
from freighthub.model.sourced import Sourced
from freighthub.vocabulary import Mode, mode_facts

__all__ = [
    "Link",
    "Network",
    "NetworkFile",
    "Node",
    "NodeKind",
    "ReferenceDistance",
    "ZoneAccess",
    "check_network_files",
    "load_network",
    "load_shipped_network",
]

_Share = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class NodeKind(StrEnum):
    """Kind of network node. ``hub`` nodes come from ``hubs/`` and ``zone`` nodes from a
    scenario's ``[[zones]]`` (:mod:`freighthub.network.zones`), never from a network file."""

    HUB = "hub"
    JUNCTION = "junction"
    LOCK = "lock"
    BORDER_CROSSING = "border_crossing"
    ZONE = "zone"


class NodeEntry(Frozen):
    """``[[node]]``: a junction, lock or border crossing that is not a hub."""

    id: HubId
    kind: NodeKind
    name: Text
    name_zh: Text | None = None
    country: CountryCode
    lon_deg: Longitude
    lat_deg: Latitude
    location_source: Text
    description: str | None = None

    @field_validator("kind")
    @classmethod
    def _not_hub(cls, value: NodeKind) -> NodeKind:
        if value in (NodeKind.HUB, NodeKind.ZONE):
            raise ValueError(
                "hub nodes come from hubs/ and zone nodes from a scenario's [[zones]]; "
                "use junction, lock or border_crossing"
            )
        return value


class _Between(SourcedFields):
    """An entry of one mode between two nodes (``from`` and ``to``), with an id."""

    id: HubId
    mode: ModeId
    from_: Annotated[HubId, Field(alias="from")]
    to: HubId


class LinkEntry(_Between):
    """``[[link]]``: an undirected link of one mode between two nodes."""

    length_km: Sourced[PositiveFloat]
    name: str | None = None
    cn_waterway_class: Sourced[CnWaterwayClass] | None = None
    ecmt_class: Sourced[EcmtClass] | None = None
    controlling_depth_m: Sourced[PositiveFloat] | None = None
    electrified: Sourced[bool] | None = None
    gauge_mm: Sourced[PositiveInt] | None = None
    waypoints: tuple[tuple[Longitude, Latitude], ...] = ()
    description: str | None = None

    def problem(self) -> tuple[str, object, str] | None:
        """The first field that does not fit the link's mode, as ``(field, value, rule)``."""
        if self.from_ == self.to:
            return "to", self.to, "from and to are the same node"
        water = ("cn_waterway_class", "ecmt_class", "controlling_depth_m")
        rail = ("electrified", "gauge_mm")
        waterborne, is_rail = mode_facts(self.mode).waterborne, self.mode == Mode.RAIL
        for names, fit, what in ((water, waterborne, "waterway"), (rail, is_rail, "rail")):
            for name in names:
                value = getattr(self, name)
                if value is not None and not fit:
                    return name, value.value, f"a {what} field on a {self.mode} link"
        return None


class ReferenceEntry(_Between):
    """``[[reference]]``: a published distance the network must reproduce."""

    via: tuple[HubId, ...] = ()
    distance_km: Sourced[PositiveFloat]
    tolerance_share: _Share
    tolerance_reason: Text


class ZoneAccessEntry(SourcedFields):
    """``[zone_access]``: how a scenario's zones join the road network.

    A zone (a shipper district of a scenario) becomes a node with a road access link to
    every node that has a road link within ``max_geodesic_km`` of it; an access link's
    length is the geodesic distance times ``circuity_factor``. A zone farther than that
    from every road node is not joined (no road network near it).
    """

    circuity_factor: Sourced[Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)]]
    max_geodesic_km: Sourced[PositiveFloat]
    description: str | None = None


class NetworkFile(Frozen):
    """One network file, validated."""

    id: HubId
    description: str | None = None
    zone_access: ZoneAccessEntry | None = None
    node: tuple[NodeEntry, ...] = ()
    link: tuple[LinkEntry, ...] = ()
    reference: tuple[ReferenceEntry, ...] = ()


@dataclass(frozen=True)
class Node:
    """A network node: a hub, junction, lock or border crossing.

    Attributes
    ----------
    lon_deg, lat_deg
        Position [deg, WGS84].
    modes
        The modes a hub serves (from its hub file); empty for other nodes. A chain of
        modes may change mode only at a hub that serves both.
    """

    id: str
    kind: NodeKind
    name: str
    country: str
    lon_deg: float
    lat_deg: float
    modes: tuple[Mode, ...] = ()


@dataclass(frozen=True)
class _Ends:
    """Something of one mode between two nodes: its id, mode id and end node ids."""

    id: str
    mode: str
    from_node: str
    to_node: str


@dataclass(frozen=True)
class Link(_Ends):
    """An undirected link of one mode; ``length_km`` [km] with its source and confidence.

    ``file`` is the network file that defines it (for error messages and reports).
    """

    length_km: Sourced[float]
    entry: LinkEntry
    file: Path

    @property
    def source(self) -> str:
        """The length's source text."""
        return self.length_km.source or ""


@dataclass(frozen=True)
class ReferenceDistance(_Ends):
    """A published distance between two nodes by one mode [km], with its tolerance [-].

    ``via`` names nodes the published route passes (such as its border crossing), so
    that the check routes the published route and not a shorter one.
    """

    distance_km: Sourced[float]
    tolerance_share: float
    tolerance_reason: str
    file: Path
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class ZoneAccess:
    """The rule that joins a scenario's zones to the road network (``[zone_access]``).

    ``circuity_factor`` [-] times the geodesic distance to a road node within
    ``max_geodesic_km`` [km] is an access link's length; ``file`` is the network file
    that states it.
    """

    circuity_factor: Sourced[float]
    max_geodesic_km: Sourced[float]
    file: Path


@dataclass(frozen=True)
class Network:
    """Nodes and links of every network file in a folder, with the hubs as nodes.

    ``zone_access`` is the rule for joining a scenario's zones (None: zones are not
    routed on the network).
    """

    nodes: Mapping[str, Node]
    links: Mapping[str, Link]
    references: tuple[ReferenceDistance, ...]
    files: tuple[Path, ...]
    zone_access: ZoneAccess | None = None

    def links_of(self, mode: str) -> list[Link]:
        """The links of one mode (a mode id), in file order."""
        return [link for link in self.links.values() if link.mode == mode]

    def node(self, node_id: str) -> Node:
        """The node ``node_id``.

        Raises
        ------
        UnknownIdentifierError
            If no node has that id.
        """
        from freighthub.errors import UnknownIdentifierError

        if node_id not in self.nodes:
            raise UnknownIdentifierError("network node", node_id, self.nodes)
        return self.nodes[node_id]


def _hub_nodes(hubs: Mapping[str, Hub]) -> dict[str, Node]:
    return {
        h.id: Node(h.id, NodeKind.HUB, h.names.en, h.country, h.lon_deg, h.lat_deg, h.modes)
        for h in hubs.values()
    }


def _files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for item in paths:
        p = Path(item)
        files.extend(toml_files_in(p, "network") if p.is_dir() else [p])
    return files


def _assemble(
    parsed: list[tuple[Path, NetworkFile]], hubs: Mapping[str, Hub], errors: list[DataFileError]
) -> Network:
    nodes = _hub_nodes(hubs)
    node_origin: dict[str, Path] = {}
    for path, data in parsed:
        for i, node_entry in enumerate(data.node):
            if node_entry.id in nodes:
                known = node_origin.get(node_entry.id)
                where = "hubs/" if known is None else str(known)
                errors.append(
                    DataFileError(
                        path,
                        f"duplicate node id, already in {where}",
                        f"node[{i}].id",
                        node_entry.id,
                    )
                )
                continue
            nodes[node_entry.id] = Node(
                node_entry.id,
                node_entry.kind,
                node_entry.name,
                node_entry.country,
                node_entry.lon_deg,
                node_entry.lat_deg,
            )
            node_origin[node_entry.id] = path
    links: dict[str, Link] = {}
    link_origin: dict[str, Path] = {}
    references: list[ReferenceDistance] = []
    for path, data in parsed:
        for i, entry in enumerate(data.link):
            bad = _unknown_end(path, f"link[{i}]", entry.from_, entry.to, nodes)
            problem = entry.problem()
            if bad is None and problem is not None:
                bad = DataFileError(path, problem[2], f"link[{i}].{problem[0]}", problem[1])
            if bad is not None:
                errors.append(bad)
                continue
            if entry.id in links:
                errors.append(
                    DataFileError(
                        path,
                        f"duplicate link id, already defined in {link_origin[entry.id]}",
                        f"link[{i}].id",
                        entry.id,
                    )
                )
                continue
            links[entry.id] = Link(
                entry.id, entry.mode, entry.from_, entry.to, entry.length_km, entry, path
            )
            link_origin[entry.id] = path
        for i, ref in enumerate(data.reference):
            bad = _unknown_end(path, f"reference[{i}]", ref.from_, ref.to, nodes)
            for j, node in enumerate(ref.via):
                if bad is None and node not in nodes:
                    bad = DataFileError(path, "unknown node", f"reference[{i}].via[{j}]", node)
            if bad is not None:
                errors.append(bad)
                continue
            references.append(
                ReferenceDistance(
                    ref.id,
                    ref.mode,
                    ref.from_,
                    ref.to,
                    ref.distance_km,
                    ref.tolerance_share,
                    ref.tolerance_reason,
                    path,
                    ref.via,
                )
            )
    zone_access: ZoneAccess | None = None
    for path, data in parsed:
        if data.zone_access is None:
            continue
        if zone_access is not None:
            errors.append(
                DataFileError(
                    path,
                    f"zone_access is already given in {zone_access.file}; give it in one file",
                    "zone_access",
                    data.zone_access.circuity_factor.value,
                )
            )
            continue
        za = data.zone_access
        zone_access = ZoneAccess(
            Sourced[float](**za.circuity_factor.model_dump()),
            Sourced[float](**za.max_geodesic_km.model_dump()),
            path,
        )
    linked = {n for link in links.values() for n in (link.from_node, link.to_node)}
    for node_id, path in node_origin.items():
        if node_id not in linked:
            index = next(i for i, e in enumerate(_entries(parsed, path)) if e.id == node_id)
            errors.append(
                DataFileError(path, "node has no link (disconnected)", f"node[{index}].id", node_id)
            )
    return Network(
        nodes=dict(sorted(nodes.items())),
        links=links,
        references=tuple(references),
        files=tuple(p for p, _ in parsed),
        zone_access=zone_access,
    )


def _entries(parsed: list[tuple[Path, NetworkFile]], path: Path) -> tuple[NodeEntry, ...]:
    return next(data.node for p, data in parsed if p == path)


def _unknown_end(
    path: Path, where: str, a: str, b: str, nodes: Mapping[str, Node]
) -> DataFileError | None:
    for field, value in (("from", a), ("to", b)):
        if value not in nodes:
            return DataFileError(
                path,
                "unknown node: neither a hub id (hubs/) nor a [[node]] of a network file",
                f"{where}.{field}",
                value,
            )
    return None


def load_network(paths: str | Path | Iterable[str | Path], hubs: Mapping[str, Hub]) -> Network:
    """Load every network file under ``paths`` into one :class:`Network`.

    Parameters
    ----------
    paths
        Network files or folders (a folder contributes its ``*.toml`` files).
    hubs
        The hubs, by id: each is a node of kind ``hub``.

    Raises
    ------
    DataFileError
        For the first problem: an invalid file, a link or reference to an unknown
        node, a duplicate node or link id, a zero or negative length, a declared
        node without any link.
    """
    _, errors, network = _check(paths, hubs)
    if errors:
        raise errors[0]
    assert network is not None
    return network


def check_network_files(
    paths: str | Path | Iterable[str | Path], hubs: Mapping[str, Hub]
) -> tuple[Network | None, list[DataFileError]]:
    """Validate every network file under ``paths`` and collect all errors, not only the first."""
    _, errors, network = _check(paths, hubs)
    return network, errors


def _check(
    paths: str | Path | Iterable[str | Path], hubs: Mapping[str, Hub]
) -> tuple[list[Path], list[DataFileError], Network | None]:
    errors: list[DataFileError] = []
    try:
        files = _files(paths)
    except DataFileError as exc:
        return [], [exc], None
    parsed: list[tuple[Path, NetworkFile]] = []
    for f in files:
        try:
            parsed.append((f, validate(NetworkFile, read_toml(f), f)))
        except DataFileError as exc:
            errors.append(exc)
    network = _assemble(parsed, hubs, errors)
    return files, errors, network


def load_shipped_network(
    networks_dir: str | Path | None = None, hubs_dir: str | Path | None = None
) -> Network:
    """Load the network of ``networks_dir`` (default: the shipped ``networks/``) with its hubs.

    Raises
    ------
    DataFileError
        As :func:`load_network`, or for an invalid hub file.
    """
    from freighthub.model.hub import load_hubs
    from freighthub.model.paths import data_dir

    hubs = load_hubs(hubs_dir or data_dir("hubs"))
    return load_network(networks_dir or data_dir("networks"), hubs)
