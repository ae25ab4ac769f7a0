"""Hubs: one TOML file per hub in ``hubs/``, loaded into a frozen, validated :class:`Hub`.

A missing value is absent (``None``), never zero. Any value may carry its ``source``
and ``confidence`` (see :mod:`freighthub.model.sourced`). The file format is
documented in ``docs/data-formats.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    Frozen,
    HubId,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Share,
    Text,
)
from freighthub.model.files import read_toml, toml_files_in, validate
from freighthub.model.sourced import Sourced
from freighthub.model.tent import TentListing
from freighthub.units import HOURS_PER_WEEK
from freighthub.vocabulary import HubType, Mode

__all__ = [
    "EcmtClass",
    "Energy",
    "Equipment",
    "EquipmentType",
    "Handling",
    "Hub",
    "Names",
    "Operations",
    "Rail",
    "Road",
    "Waterway",
    "load_hub",
    "load_hubs",
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
        seen: set[EquipmentType] = set()
        for item in value:
            if item.type in seen:
                raise ValueError(f"equipment type {item.type.value!r} is listed twice")
            seen.add(item.type)
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


class Hub(Frozen):
    """A freight hub: identity, location, the modes it serves and its attributes.

    Attributes
    ----------
    lon_deg, lat_deg
        Location [deg, WGS84].
    hub_types
        One or more kinds of hub (a Chinese inland port may also be a national
        logistics hub of the port type).
    modes
        Modes of transport the hub serves.
    tent
        The hub's TEN-T tier and the facts its requirements depend on
        (:class:`~freighthub.model.tent.TentListing`); ``None`` if not given.
    """

    id: HubId
    names: Names
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    lon_deg: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    lat_deg: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    hub_types: Annotated[tuple[HubType, ...], Field(min_length=1)]
    modes: Annotated[tuple[Mode, ...], Field(min_length=1)]
    location_source: str | None = None
    description: str | None = None
    rail: Rail | None = None
    waterway: Waterway | None = None
    road: Road | None = None
    handling: Handling | None = None
    operations: Operations | None = None
    energy: Energy | None = None
    tent: TentListing | None = None

    @field_validator("modes", "hub_types")
    @classmethod
    def _no_repeats(cls, value: tuple[Any, ...]) -> tuple[Any, ...]:
        if len(set(value)) != len(value):
            raise ValueError("lists an entry twice")
        return value

    @model_validator(mode="after")
    def _sections_match_modes(self) -> Hub:
        if self.rail is not None and Mode.RAIL not in self.modes:
            raise ValueError("has a [rail] section but 'rail' is not in modes")
        if self.waterway is not None and not {Mode.INLAND_WATERWAY, Mode.SEA} & set(self.modes):
            raise ValueError(
                "has a [waterway] section but neither 'inland_waterway' nor 'sea' is in modes"
            )
        return self

    @property
    def name_en(self) -> str:
        """English name."""
        return self.names.en

    def attribute(self, dotted: str) -> Sourced[Any] | None:
        """The sourced value at a dotted path such as ``rail.handling_track_length_m``.

        Returns ``None`` where the hub does not give the value.

        Raises
        ------
        KeyError
            If ``dotted`` is not a path of the hub format (a programming or data
            error in a standard, caught by the standard's loader).
        """
        section_name, _, field_name = dotted.partition(".")
        model = _SECTIONS.get(section_name)
        if model is None or field_name not in model.model_fields or field_name == "equipment":
            raise KeyError(dotted)
        section = getattr(self, section_name)
        value = None if section is None else getattr(section, field_name)
        return value if isinstance(value, Sourced) else None

    def iter_sourced(self) -> Iterable[tuple[str, Sourced[Any]]]:
        """Every sourced value in the hub as ``(dotted path, value)`` pairs."""
        for section_name in ("rail", "waterway", "road", "handling", "operations", "energy"):
            section = getattr(self, section_name)
            if section is None:
                continue
            for field_name in type(section).model_fields:
                value = getattr(section, field_name)
                if isinstance(value, Sourced):
                    yield f"{section_name}.{field_name}", value
            if isinstance(section, Handling):
                for i, item in enumerate(section.equipment):
                    yield f"handling.equipment[{i}].count", item.count
                    if item.moves_per_h is not None:
                        yield f"handling.equipment[{i}].moves_per_h", item.moves_per_h


_SECTIONS: dict[str, type[BaseModel]] = {
    "rail": Rail,
    "waterway": Waterway,
    "road": Road,
    "handling": Handling,
    "operations": Operations,
    "energy": Energy,
}


def attribute_paths() -> list[str]:
    """Every dotted path :meth:`Hub.attribute` accepts (what a criterion may read)."""
    return [
        f"{section}.{name}"
        for section, model in _SECTIONS.items()
        for name in model.model_fields
        if name not in {"equipment", "year"}
    ]


def load_hub(path: str | Path) -> Hub:
    """Load and validate one hub file.

    The hub ``id`` must equal the file name without ``.toml``.

    Raises
    ------
    DataFileError
        If the file is missing, empty, not TOML, or breaks a rule of the format.
    """
    p = Path(path)
    hub = validate(Hub, read_toml(p), p)
    if hub.id != p.stem:
        raise DataFileError(p, f"must equal the file name {p.stem!r}", "id", hub.id)
    return hub


def load_hubs(paths: str | Path | Iterable[str | Path]) -> dict[str, Hub]:
    """Load hubs from files and folders (a folder contributes its ``*.toml`` files).

    Returns
    -------
    dict[str, Hub]
        Hubs by id, sorted by id.

    Raises
    ------
    DataFileError
        For the first invalid file, an empty folder, or a hub id given in two files.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for item in paths:
        p = Path(item)
        files.extend(toml_files_in(p, "hub") if p.is_dir() else [p])
    hubs: dict[str, Hub] = {}
    origin: dict[str, Path] = {}
    for f in files:
        hub = load_hub(f)
        if hub.id in hubs:
            raise DataFileError(
                f, f"duplicate hub id, already defined in {origin[hub.id]}", "id", hub.id
            )
        hubs[hub.id] = hub
        origin[hub.id] = f
    return dict(sorted(hubs.items()))


def check_hub_files(paths: Iterable[str | Path]) -> tuple[dict[str, Hub], list[DataFileError]]:
    """Validate every hub file under ``paths`` and collect all errors, not only the first.

    Returns
    -------
    tuple
        The hubs that loaded (by id) and one :class:`DataFileError` per bad file,
        including duplicate ids and empty folders.
    """
    files: list[Path] = []
    errors: list[DataFileError] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            try:
                files.extend(toml_files_in(p, "hub"))
            except DataFileError as exc:
                errors.append(exc)
        else:
            files.append(p)
    hubs: dict[str, Hub] = {}
    origin: dict[str, Path] = {}
    for f in files:
        try:
            hub = load_hub(f)
        except DataFileError as exc:
            errors.append(exc)
            continue
        if hub.id in hubs:
            errors.append(
                DataFileError(
                    f, f"duplicate hub id, already defined in {origin[hub.id]}", "id", hub.id
                )
            )
            continue
        hubs[hub.id] = hub
        origin[hub.id] = f
    return dict(sorted(hubs.items())), errors
