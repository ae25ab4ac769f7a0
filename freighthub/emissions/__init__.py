"""Emissions accounting per ISO 14083:2023 and the GLEC Framework v3.0 (pure calculations).

The one emissions formula of freighthub lives here. The simulation and the optimiser
call :func:`leg_emissions_kg` for every leg and :func:`hub_emissions_kg` for every hub
visit; :func:`chain_emissions` computes a whole transport chain. Factor packs are
loaded by :func:`freighthub.model.factors.load_factor_pack`.
"""

from freighthub.emissions.chain import (
    ChainEmissions,
    ElementEmissions,
    HubOperation,
    Leg,
    chain_emissions,
    element_emissions,
)
from freighthub.emissions.formula import hub_emissions_kg, leg_emissions_kg
from freighthub.emissions.intensity import (
    EmissionsInputError,
    FactorPack,
    HubIntensity,
    TransportIntensity,
    hub_category_ids,
    hub_intensity,
    intensity_ids,
    transport_intensity,
)
from freighthub.vocabulary import DistanceType

__all__ = [
    "ChainEmissions",
    "DistanceType",
    "ElementEmissions",
    "EmissionsInputError",
    "FactorPack",
    "HubIntensity",
    "HubOperation",
    "Leg",
    "TransportIntensity",
    "chain_emissions",
    "element_emissions",
    "hub_category_ids",
    "hub_emissions_kg",
    "hub_intensity",
    "intensity_ids",
    "leg_emissions_kg",
    "transport_intensity",
]
