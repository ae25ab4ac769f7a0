"""A hub's place in the trans-European transport network: the ``[tent]`` section of a hub file.

Regulation (EU) 2024/1679 sets its requirements by network tier (core by 2030,
extended core by 2040, comprehensive by 2050; Art. 6) and exempts some parts of the
network from them (Art. 14(1)(d): rail access connections to terminals). The
section records the tier of the hub (its listing in Annex II) and, where they
differ, of the rail line and waterway its attributes describe, plus the facts that
exemptions and tier conditions name. A hub without the section has unknown tiers:
staged criteria then assume the core network (the strictest reading) and say so.
"""

from __future__ import annotations

from typing import Literal

from freighthub.model.fields import Frozen
from freighthub.model.fields import Text as NonEmpty
from freighthub.vocabulary import Confidence, NetworkTier

__all__ = ["HUB_FACTS", "HubFact", "TentListing"]

#: The hub facts a criterion's exemption or stage condition may name.
HubFact = Literal["rail_access_connection", "rail_art15_3_line"]
HUB_FACTS: tuple[str, ...] = ("rail_access_connection", "rail_art15_3_line")


class TentListing(Frozen):
    """The ``[tent]`` section of a hub file.

    Attributes
    ----------
    tier
        The hub's TEN-T tier (its listing in Annex II of Reg. (EU) 2024/1679).
    rail_tier, waterway_tier
        Tier of the rail line / waterway the hub's ``[rail]`` / ``[waterway]``
        attributes describe, where it differs from ``tier`` (default: ``tier``).
    rail_access_connection
        True if the ``[rail]`` attributes describe the terminal's rail access
        connection (Art. 14(1)(d)), which the line requirements of Arts 15-16
        (electrification, 22.5 t axle load, 740 m trains, 100 km/h) do not cover.
    rail_art15_3_line
        True if the rail line is one of the comprehensive-network lines of Art.
        15(3) (linking a terminal or port to the closest crossing with the core or
        extended core freight network, re-routing lines, or more than 10 freight
        trains a day), on which 22.5 t and 740 m apply; False if not; absent if
        unknown (the requirement is then applied).
    source, confidence
        Where the listing comes from (Annex II, a national list ...).
    """

    tier: NetworkTier
    rail_tier: NetworkTier | None = None
    waterway_tier: NetworkTier | None = None
    rail_access_connection: bool | None = None
    rail_art15_3_line: bool | None = None
    source: NonEmpty
    confidence: Confidence

    def tiers(self) -> dict[str, NetworkTier]:
        """The tier per network: ``node`` (the hub), ``rail`` and ``waterway``."""
        return {
            "node": self.tier,
            "rail": self.rail_tier or self.tier,
            "waterway": self.waterway_tier or self.tier,
        }

    def facts(self) -> dict[str, bool]:
        """The hub facts the file states (unknown facts are left out)."""
        out: dict[str, bool] = {}
        for name in HUB_FACTS:
            value = getattr(self, name)
            if value is not None:
                out[name] = bool(value)
        return out
