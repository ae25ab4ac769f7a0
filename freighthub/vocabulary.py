"""The shared vocabulary: transport modes and their facts, hub types, confidence labels.

This module sits at the bottom of the import graph: every layer may use it and it
imports nothing from freighthub.

A mode's nature lives in one table, :data:`MODE_FACTS` (one :class:`ModeFacts` row
per mode id): whether it runs on a timetable, whether it is waterborne, its default
emissions distance type, its chart colour and its iLEAP name. Code never lists modes
itself; it asks :func:`mode_facts`, :func:`mode_ids` or :func:`scheduled_modes`, so a
new mode is one row here plus its labels in ``report/i18n/{en,zh}.toml``
(``tests/test_vocabulary.py`` checks every row). The table is read when it is used,
so a row added at run time (a test's dummy mode) is seen everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "MODE_FACTS",
    "Confidence",
    "DistanceType",
    "HubType",
    "Mode",
    "ModeFacts",
    "NetworkTier",
    "is_flagged",
    "mode_facts",
    "mode_ids",
    "mode_names",
    "scheduled_modes",
    "weakest_confidence",
]


class Mode(StrEnum):
    """Mode of transport of a leg, a link or a service (the built-in rows of
    :data:`MODE_FACTS`)."""

    ROAD = "road"
    RAIL = "rail"
    INLAND_WATERWAY = "inland_waterway"
    SEA = "sea"
    AIR = "air"


class DistanceType(StrEnum):
    """Type of a distance (GLEC3 p.21-22; ISO 14083 §3.1.27, §3.3.4).

    ``actual``: the distance the vehicle drove; ``shortest_feasible`` (SFD): the
    shortest distance on the network the mode can use, GLEC's preferred default;
    ``great_circle`` (GCD): the geodesic distance between origin and destination.
    """

    ACTUAL = "actual"
    SHORTEST_FEASIBLE = "shortest_feasible"
    GREAT_CIRCLE = "great_circle"


@dataclass(frozen=True)
class ModeFacts:
    """What the code needs to know about a mode of transport.

    Attributes
    ----------
    id
        Mode id (``Mode`` value for the built-in modes), used in data files and keys.
    scheduled
        True if the mode runs timetabled container services (``[[services]]`` of a
        scenario: trains, barges, ships); false for road (trucks on demand) and air
        (no container services).
    waterborne
        True for vessels on inland waterways or at sea.
    default_distance_type
        Distance type of a leg distance when the caller does not say (the
        simulation's, mode choice's and optimiser's legs, a chain's ``Leg`` without
        one): the shortest feasible distance, GLEC's preferred default (GLEC
        Framework v3.0, 2023, p.21-22). Read by
        :func:`freighthub.emissions.formula.leg_emissions_kg`. A network route's
        distance is a shortest path, so shortest feasible whatever the mode
        (:mod:`freighthub.model.chain`).
    colour
        Colour of the mode in charts and maps (``#rrggbb``); a presentation choice.
    ileap_mode
        Transport mode name in iLEAP TOC/TCE data (iLEAP Technical Specifications,
        ``toc.json`` ``mode``).
    aliases
        Short names accepted for the mode on the command line besides its id
        (``iww`` for ``inland_waterway``); see :func:`mode_names`.
    great_circle_needs_daf
        True if the mode's routes run far longer than the straight line (a river's
        bends, a railway's detours): a great-circle leg distance is never taken at
        face value, even where the intensity accepts great-circle legs (GLEC3 p.43
        does for inland waterways); the leg needs a distance adjustment factor or is
        refused (issue #14: the README's barge leg was 40 % short). Read by
        :func:`freighthub.emissions.intensity.distance_adjustment_factor`.
    """

    id: str
    scheduled: bool
    waterborne: bool
    default_distance_type: DistanceType
    colour: str
    ileap_mode: str
    aliases: tuple[str, ...] = ()
    great_circle_needs_daf: bool = False

    @property
    def label_key(self) -> str:
        """Translation key of the mode's name (``mode.<id>`` in ``report/i18n``)."""
        return f"mode.{self.id}"


_SFD = DistanceType.SHORTEST_FEASIBLE

#: The registry of modes: mode id -> facts, one row per mode, in display order.
MODE_FACTS: dict[str, ModeFacts] = {
    f.id: f
    for f in (
        ModeFacts(Mode.ROAD, False, False, _SFD, "#d95f02", "Road"),
        ModeFacts(Mode.RAIL, True, False, _SFD, "#1b7f5f", "Rail", great_circle_needs_daf=True),
        ModeFacts(
            Mode.INLAND_WATERWAY,
            True,
            True,
            _SFD,
            "#2c6fbb",
            "InlandWaterway",
            aliases=("iww",),
            great_circle_needs_daf=True,
        ),
        ModeFacts(Mode.SEA, True, True, _SFD, "#08306b", "Sea"),
        # Air is not scheduled here: ISO containers do not fly (air cargo moves in
        # unit load devices), so a scenario has no air services.
        ModeFacts(Mode.AIR, False, False, _SFD, "#7b3294", "Air"),
    )
}


def mode_ids() -> tuple[str, ...]:
    """Every registered mode id, in registry order."""
    return tuple(MODE_FACTS)


def mode_names() -> dict[str, str]:
    """Every name a user may give for a mode (its id and its aliases) -> the mode id."""
    return {name: m for m, f in MODE_FACTS.items() for name in (m, *f.aliases)}


def scheduled_modes() -> tuple[str, ...]:
    """The ids of the modes that run timetabled services, in registry order."""
    return tuple(m for m, f in MODE_FACTS.items() if f.scheduled)


def mode_facts(mode: str) -> ModeFacts:
    """The facts of a mode.

    Raises
    ------
    ValueError
        If ``mode`` is not registered (the message lists the registered ids).
    """
    try:
        return MODE_FACTS[mode]
    except KeyError:
        raise ValueError(f"mode = {mode!r}: unknown mode; valid: {', '.join(MODE_FACTS)}") from None


class HubType(StrEnum):
    """Kind of hub.

    The six ``cn_nlh_*`` values are the types of China's national logistics hubs
    (国家物流枢纽) in the NDRC/MOT plan of December 2018: land port (陆港型), port
    (港口型), airport (空港型), production service (生产服务型), trade service
    (商贸服务型) and land border crossing (陆上边境口岸型).
    """

    RAIL_ROAD_TERMINAL = "rail_road_terminal"
    INLAND_PORT = "inland_port"
    SEAPORT = "seaport"
    DRY_PORT = "dry_port"
    LOGISTICS_PARK = "logistics_park"
    CN_NLH_LAND_PORT = "cn_nlh_land_port"
    CN_NLH_PORT = "cn_nlh_port"
    CN_NLH_AIRPORT = "cn_nlh_airport"
    CN_NLH_PRODUCTION_SERVICE = "cn_nlh_production_service"
    CN_NLH_TRADE_SERVICE = "cn_nlh_trade_service"
    CN_NLH_LAND_BORDER = "cn_nlh_land_border"


class NetworkTier(StrEnum):
    """Tier of a transport network a hub or line belongs to.

    The three tiers of the trans-European transport network under Regulation (EU)
    2024/1679 (Art. 6: core network by 31 Dec 2030, extended core by 31 Dec 2040,
    comprehensive by 31 Dec 2050). A criterion's deadline and threshold may depend
    on the tier (see :class:`freighthub.scoring.criteria.Stage`).
    """

    CORE = "core"
    EXTENDED_CORE = "extended_core"
    COMPREHENSIVE = "comprehensive"


class Confidence(StrEnum):
    """How far a value can be trusted, most trusted first.

    ``verified``: read in the primary document (standard, law, operator's own
    publication). ``secondary``: read in a secondary source that fits other
    sources. ``uncertain``: a single weak source; shown flagged in reports.
    ``assumption``: no source; the value is the project's assumption and the data
    file says why.

    The members are declared in order of trust; :attr:`rank` gives the position
    (0 = ``verified``) and :attr:`flagged` the one flagging rule (see
    :func:`is_flagged` for a value without a label).
    """

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNCERTAIN = "uncertain"
    ASSUMPTION = "assumption"

    @property
    def rank(self) -> int:
        """Position in the order of trust: 0 for ``verified``, 3 for ``assumption``."""
        return list(Confidence).index(self)

    @property
    def flagged(self) -> bool:
        """True for ``uncertain`` and ``assumption``: reports and the CLI flag the value."""
        return self.rank >= Confidence.UNCERTAIN.rank


def is_flagged(confidence: Confidence | None) -> bool:
    """The one flagging rule for a sourced value.

    A value is flagged when its confidence is ``uncertain`` or ``assumption``, **or
    when it has no confidence label at all**: nobody vouches for an unlabelled
    value, so it must not look more trustworthy than an assumption. (Every
    criterion, factor and reference value must carry a label; only hub values and
    scenario disruptions may omit it.)
    """
    return confidence is None or confidence.flagged


def weakest_confidence(labels: Iterable[Confidence | None]) -> Confidence | None:
    """The least trustworthy of several labels; ``None`` if any is missing or none given."""
    worst: Confidence | None = None
    for label in labels:
        if label is None:
            return None
        if worst is None or label.rank > worst.rank:
            worst = label
    return worst
