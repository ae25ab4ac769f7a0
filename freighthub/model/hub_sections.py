"""The attribute sections of a hub file: rail, waterway, road, handling, operations, energy.

Split from :mod:`freighthub.model.hub`, which re-exports every name. Each field is a
:class:`~freighthub.model.sourced.Sourced` value whose name carries its unit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from freighthub.model.fields import (
    Frozen,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Share,
    Text,
    first_repeat,
)
from freighthub.model.sourced import Sourced
from freighthub.units import HOURS_PER_WEEK

__all__ = [
    "CnWaterwayClass",
    "EcmtClass",
    "Energy",
    "Equipment",
    "EquipmentType",
    "Handling",
    "Names",
    "Operations",
    "Rail",
    "Road",
    "Waterway",
]

HoursPerWeek = Annotated[float, Field(gt=0, le=HOURS_PER_WEEK, allow_inf_nan=False)]


class EcmtClass(StrEnum):
    """Inland waterway class of ECMT Resolution No. 92/2 (1992)."""

    I = "I"  # noqa: E741 - the official class name
    II = "II"
    III = "III"
    IV = "IV"
    VA = "Va"
    VB = "Vb"
    VIA = "VIa"
    VIB = "VIb"
    VIC = "VIc"
    VII = "VII"


class CnWaterwayClass(StrEnum):
    """Inland waterway grade of GB 50139 (Navigation standard of inland waterway), I-VII."""

    I = "I"  # noqa: E741 - the official class name
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"
    VII = "VII"


class EquipmentType(StrEnum):
    """Container handling equipment."""

    STS_CRANE = "sts_crane"
    RAIL_MOUNTED_GANTRY = "rail_mounted_gantry"
    RUBBER_TYRED_GANTRY = "rubber_tyred_gantry"
    MOBILE_HARBOUR_CRANE = "mobile_harbour_crane"
    REACH_STACKER = "reach_stacker"
    STRADDLE_CARRIER = "straddle_carrier"
    EMPTY_CONTAINER_HANDLER = "empty_container_handler"


class Names(Frozen):
    """Hub names: English is required, Chinese where the hub has one."""

    en: Text
    zh: Text | None = None


class Rail(Frozen):
    """Rail side of the hub and its access line."""

    handling_track_length_m: Sourced[PositiveFloat] | None = None
    handling_tracks: Sourced[PositiveInt] | None = None
    electrified: Sourced[bool] | None = None
    axle_load_t: Sourced[PositiveFloat] | None = None
    loading_gauge: Sourced[Text] | None = None
    line_speed_kmh: Sourced[PositiveFloat] | None = None
    max_train_length_m: Sourced[PositiveFloat] | None = None
    wagons_handled_per_day: Sourced[NonNegativeFloat] | None = None


class Waterway(Frozen):
    """Waterway side: the fairway class and the berths."""

    ecmt_class: Sourced[EcmtClass] | None = None
    cn_waterway_class: Sourced[CnWaterwayClass] | None = None
    berth_length_m: Sourced[PositiveFloat] | None = None
    berths: Sourced[PositiveInt] | None = None
    draught_m: Sourced[PositiveFloat] | None = None
    bridge_clearance_m: Sourced[PositiveFloat] | None = None


class Road(Frozen):
    """Road side: gate, truck parking, charging for heavy-duty vehicles."""

    gate_lanes: Sourced[PositiveInt] | None = None
    truck_parking_places: Sourced[NonNegativeInt] | None = None
    hdv_charging: Sourced[bool] | None = None
    hdv_charging_distance_km: Sourced[NonNegativeFloat] | None = None


class Equipment(Frozen):
    """One kind of handling equipment at the hub."""

    type: EquipmentType
    count: Sourced[PositiveInt]
    moves_per_h: Sourced[PositiveFloat] | None = None


class Handling(Frozen):
    """Handling equipment and yard."""

    equipment: tuple[Equipment, ...] = ()
    yard_capacity_teu: Sourced[PositiveFloat] | None = None
    area_ha: Sourced[PositiveFloat] | None = None

    @field_validator("equipment")
    @classmethod
    def _one_entry_per_type(cls, value: tuple[Equipment, ...]) -> tuple[Equipment, ...]:
        if (repeat := first_repeat(item.type for item in value)) is not None:
            raise ValueError(f"equipment type {repeat[1].value!r} is listed twice")
        return value


class Operations(Frozen):
    """Operating figures."""

    opening_hours_per_week: Sourced[HoursPerWeek] | None = None
    annual_throughput_teu: Sourced[NonNegativeFloat] | None = None
    annual_throughput_t: Sourced[NonNegativeFloat] | None = None
    annual_non_bulk_throughput_t: Sourced[NonNegativeFloat] | None = None
    mean_dwell_days: Sourced[NonNegativeFloat] | None = None
    mean_truck_wait_min: Sourced[NonNegativeFloat] | None = None
    open_access: Sourced[bool] | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None


class Energy(Frozen):
    """Energy supply and electrification of handling."""

    shore_power: Sourced[bool] | None = None
    electric_handling_share: Sourced[Share] | None = None
