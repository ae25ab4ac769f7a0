"""The schema of transport chain files: shipment, legs, hub operations, own intensities.

Split from :mod:`freighthub.model.chain` (which resolves and evaluates a chain and
re-exports these types).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from freighthub.emissions.intensity import EmptyRunningConvention, HubIntensityUnit
from freighthub.model.fields import (
    Frozen,
    MixedCaseId,
    ModeId,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    SourcedEntry,
    Text,
)
from freighthub.vocabulary import DistanceType

#: Unit of an amount of energy (litres, kilograms, kilowatt-hours): the energy
#: factor's ``kgco2e_per_<unit>`` names the same unit.
EnergyUnit = Literal["l", "kg", "kwh"]


class ContainerCount(Frozen):
    """Containers of one type: ``{ type = "40ft", count = 2 }``."""

    type: Text
    count: PositiveInt


class _Amounts(Frozen):
    mass_t: NonNegativeFloat | None = None
    mass_kg: NonNegativeFloat | None = None
    teu: NonNegativeFloat | None = None
    containers: tuple[ContainerCount, ...] | None = None
    tonnes_per_teu: PositiveFloat | Text | None = None

    def gives_amount(self) -> bool:
        return any(v is not None for v in (self.mass_t, self.mass_kg, self.teu, self.containers))


class Shipment(_Amounts):
    """``[shipment]``: the freight carried through the whole chain (defaults)."""


class RouteEntry(Frozen):
    """``route = { from = "chongqing-guoyuan", to = "shanghai-waigaoqiao" }``: a network route.

    The leg's distance is the shortest path of the leg's ``mode`` between the two
    nodes on the network of ``networks/`` (hub ids are node ids).
    """

    from_: Annotated[Text, Field(alias="from")]
    to: Text

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class LegEntry(_Amounts):
    """``[[element]]`` with ``kind = "leg"``: ``distance_km`` and ``distance_type``, or ``route``."""

    kind: Literal["leg"]
    id: MixedCaseId
    intensity: Text
    mode: ModeId | None = None
    distance_km: NonNegativeFloat | None = None
    distance_type: DistanceType | None = None
    route: RouteEntry | None = None
    distance_adjustment_factor: PositiveFloat | None = None
    description: str | None = None


class HubEntry(_Amounts):
    """``[[element]]`` with ``kind = "hub"``."""

    kind: Literal["hub"]
    id: MixedCaseId
    hub_category: Text
    boxes: NonNegativeFloat | None = None
    description: str | None = None

    def gives_amount(self) -> bool:
        return super().gives_amount() or self.boxes is not None


class IntensityEntry(SourcedEntry):
    """``[[intensity]]``: the user's own transport intensity.

    Either ``wtw`` (and ``ttw``) directly [gCO2e/tkm], or ``energy_per_tkm``, or a
    vehicle round trip (``energy_per_vkm``, ``payload_capacity_t``,
    ``load_factor_share``, ``empty_running_share``, ``empty_running_convention``),
    each with ``energy_factor`` (an id of the pack's energy factors) and
    ``energy_unit`` (``l``, ``kg`` or ``kwh``, must match the factor).
    """

    id: MixedCaseId
    mode: ModeId
    distance_basis: Annotated[tuple[DistanceType, ...], Field(min_length=1)]
    note: str | None = None
    wtw: NonNegativeFloat | None = None
    ttw: NonNegativeFloat | None = None
    energy_factor: Text | None = None
    energy_unit: EnergyUnit | None = None
    energy_per_tkm: NonNegativeFloat | None = None
    energy_per_vkm: NonNegativeFloat | None = None
    payload_capacity_t: PositiveFloat | None = None
    load_factor_share: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = None
    empty_running_share: NonNegativeFloat | None = None
    empty_running_convention: EmptyRunningConvention | None = None


class EnergyUse(Frozen):
    """Energy used in a period: ``{ amount = 120000, unit = "kwh", energy_factor = "..." }``."""

    amount: NonNegativeFloat
    unit: EnergyUnit
    energy_factor: Text


class HubIntensityEntry(SourcedEntry):
    """``[[hub_intensity]]``: the user's own hub intensity [``unit``].

    Either ``wtw`` (and ``ttw``) directly, or ``energy`` used in a period with the
    ``hub_activity`` (outbound t, TEU or boxes, as ``unit`` says) of the same period.
    """

    id: MixedCaseId
    category: Text
    unit: HubIntensityUnit
    temperature: Literal["ambient", "mixed", "temperature_controlled"] = "ambient"
    note: str | None = None
    wtw: NonNegativeFloat | None = None
    ttw: NonNegativeFloat | None = None
    energy: tuple[EnergyUse, ...] | None = None
    hub_activity: PositiveFloat | None = None


class ChainFile(Frozen):
    """A transport chain file, validated."""

    id: MixedCaseId
    description: str | None = None
    pack: Text | None = None
    shipment: Shipment | None = None
    intensity: tuple[IntensityEntry, ...] = ()
    hub_intensity: tuple[HubIntensityEntry, ...] = ()
    element: Annotated[
        tuple[Annotated[LegEntry | HubEntry, Field(discriminator="kind")], ...],
        Field(min_length=1),
    ]
