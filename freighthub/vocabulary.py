"""The shared vocabulary: transport modes, hub types and confidence labels.

This module sits at the bottom of the import graph: every layer may use it and it
imports nothing from freighthub.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Confidence", "HubType", "Mode"]


class Mode(StrEnum):
    """Mode of transport of a leg, a link or a service."""

    ROAD = "road"
    RAIL = "rail"
    INLAND_WATERWAY = "inland_waterway"
    SEA = "sea"
    AIR = "air"


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


class Confidence(StrEnum):
    """How far a value can be trusted.

    ``verified``: read in the primary document (standard, law, operator's own
    publication). ``secondary``: read in a secondary source that fits other
    sources. ``uncertain``: a single weak source; shown flagged in reports.
    ``assumption``: no source; the value is the project's assumption and the data
    file says why.
    """

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNCERTAIN = "uncertain"
    ASSUMPTION = "assumption"
