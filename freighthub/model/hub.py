"""Hubs: one TOML file per hub in ``hubs/``, loaded into a frozen, validated :class:`Hub`.

A missing value is absent (``None``), never zero. Any value may carry its ``source``
and ``confidence`` (see :mod:`freighthub.model.sourced`). The file format is
documented in ``docs/data-formats.md``.

A hub is ``existing`` (the default), ``planned`` (a candidate site that does not
exist yet) or an ``expansion`` of an existing hub. A candidate gives ``planned_year``
and its planned values under ``[planned.<section>]`` (same fields as the hub's own
sections); a planned hub has only planned values. Scoring reads them through
:meth:`Hub.scored_attribute`, which says which values are plans.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    CountryCode,
    Frozen,
    HubId,
    Latitude,
    Longitude,
    Text,
    listed_once,
)
from freighthub.model.files import files_in, id_is_file_name, read_toml, toml_files_in, validate
from freighthub.model.hub_sections import (
    Energy,
    Handling,
    Names,
    Operations,
    Rail,
    Road,
    Waterway,
)
from freighthub.model.sourced import Sourced, sourced_value_type
from freighthub.model.tent import TentListing
from freighthub.vocabulary import MODE_FACTS, HubType, Mode, mode_facts

__all__ = [
    "Hub",
    "HubStatus",
    "ImportRecord",
    "Plans",
    "attribute_paths",
    "attribute_value_type",
    "check_hub_files",
    "load_hub",
    "load_hubs",
]


class HubStatus(StrEnum):
    """Whether a hub exists, is planned, or is an existing hub with a planned expansion."""

    EXISTING = "existing"
    PLANNED = "planned"
    EXPANSION = "expansion"


def _check_sections_match_modes(sections: BaseModel, modes: tuple[Mode, ...], prefix: str) -> None:
    if getattr(sections, "rail", None) is not None and Mode.RAIL not in modes:
        raise ValueError(f"has a [{prefix}rail] section but 'rail' is not in modes")
    if getattr(sections, "waterway", None) is not None and not any(
        mode_facts(m).waterborne for m in modes
    ):
        water = " nor ".join(repr(str(m)) for m, f in MODE_FACTS.items() if f.waterborne)
        raise ValueError(f"has a [{prefix}waterway] section but neither {water} is in modes")


class Plans(Frozen):
    """Planned values of a candidate hub (``[planned.<section>]``), as they apply from
    the hub's ``planned_year``."""

    rail: Rail | None = None
    waterway: Waterway | None = None
    road: Road | None = None
    handling: Handling | None = None
    operations: Operations | None = None
    energy: Energy | None = None


#: The attribute sections of a hub (and of its plans), by name, in file order: read
#: from :class:`Plans`, whose fields are the sections (a hub repeats them at its top
#: level; ``tests/model`` checks that the two lists agree).
_SECTIONS: dict[str, type[BaseModel]] = {
    name: next(a for a in typing.get_args(info.annotation) if a is not type(None))
    for name, info in Plans.model_fields.items()
}


class ImportRecord(Frozen):
    """Where an imported hub file came from: the questionnaire and who filled it in.

    Attributes
    ----------
    questionnaire
        File name of the questionnaire (no folder).
    sha256
        SHA-256 of the questionnaire file's bytes.
    respondent
        Who filled it in (name, organisation), as the questionnaire says.
    imported
        Date of the import.
    """

    questionnaire: Text
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    respondent: Text | None = None
    imported: dt.date


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
    status, planned_year, planned
        Candidate hubs: ``planned`` or ``expansion``, the year the plan applies
        from and the planned values (see the module docstring).
    imported_from
        Set by ``freighthub hubs import``: the questionnaire the file came from.
    tent
        The hub's TEN-T tier and the facts its requirements depend on
        (:class:`~freighthub.model.tent.TentListing`); ``None`` if not given.
    """

    id: HubId
    names: Names
    country: CountryCode
    lon_deg: Longitude
    lat_deg: Latitude
    hub_types: Annotated[tuple[HubType, ...], Field(min_length=1), listed_once("an entry")]
    modes: Annotated[tuple[Mode, ...], Field(min_length=1), listed_once("an entry")]
    location_source: str | None = None
    description: str | None = None
    rail: Rail | None = None
    waterway: Waterway | None = None
    road: Road | None = None
    handling: Handling | None = None
    operations: Operations | None = None
    energy: Energy | None = None
    status: HubStatus = HubStatus.EXISTING
    planned_year: Annotated[int | None, Field(ge=1900, le=2100, validate_default=True)] = None
    planned: Annotated[Plans | None, Field(validate_default=True)] = None
    imported_from: ImportRecord | None = None
    tent: TentListing | None = None

    @model_validator(mode="after")
    def _sections_match_modes(self) -> Hub:
        _check_sections_match_modes(self, self.modes, "")
        if self.planned is not None:
            _check_sections_match_modes(self.planned, self.modes, "planned.")
        return self

    @field_validator("status")
    @classmethod
    def _planned_has_no_current_values(cls, value: HubStatus, info: ValidationInfo) -> HubStatus:
        if value is HubStatus.PLANNED:
            current = [s for s in _SECTIONS if info.data.get(s) is not None]
            if current:
                raise ValueError(
                    f"a planned hub has no current values: move [{current[0]}] "
                    f"to [planned.{current[0]}]"
                )
        return value

    @field_validator("planned_year")
    @classmethod
    def _year_fits_status(cls, value: int | None, info: ValidationInfo) -> int | None:
        status = info.data.get("status")
        if status is None:
            return value  # the status itself is invalid and reported
        if status is HubStatus.EXISTING and value is not None:
            raise ValueError("status is 'existing': set status = 'planned' or 'expansion'")
        if status is not HubStatus.EXISTING and value is None:
            raise ValueError(f"status {status.value!r} needs planned_year")
        return value

    @field_validator("planned")
    @classmethod
    def _plans_fit_status(cls, value: Plans | None, info: ValidationInfo) -> Plans | None:
        if info.data.get("status") is HubStatus.EXISTING and value is not None:
            raise ValueError(
                "[planned] values need status = 'planned' or 'expansion' (and planned_year)"
            )
        return value

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

    def plan(self, dotted: str) -> Sourced[Any] | None:
        """The planned value at a dotted path (``None``: no plan for it).

        Raises
        ------
        KeyError
            If ``dotted`` is not a path of the hub format.
        """
        self.attribute(dotted)  # checks the path
        section_name, _, field_name = dotted.partition(".")
        section = None if self.planned is None else getattr(self.planned, section_name)
        value = None if section is None else getattr(section, field_name)
        return value if isinstance(value, Sourced) else None

    def plans_apply(self, year: int | None = None) -> bool:
        """Whether the hub's plans apply in the assessment year ``year``.

        They apply to a candidate (planned or expansion) when ``year`` is ``None``
        (no assessment year: the hub as planned) or not before ``planned_year``;
        never to an existing hub.
        """
        if self.status is HubStatus.EXISTING:
            return False
        return year is None or self.planned_year is None or year >= self.planned_year

    def exists_in(self, year: int | None = None) -> bool:
        """False for a planned hub in an assessment year before its ``planned_year`` (the
        site is not built yet, so it has no value to score); True otherwise."""
        return self.status is not HubStatus.PLANNED or self.plans_apply(year)

    def scored_attribute(
        self, dotted: str, year: int | None = None
    ) -> tuple[Sourced[Any] | None, int | None]:
        """The value scoring reads at a dotted path, and its plan year if it is a plan.

        Where the plans apply (:meth:`plans_apply`: no assessment year, or ``year``
        not before ``planned_year``) a candidate gives its planned value where it has
        one; otherwise its current value (an expansion before its planned year: the
        hub as it is; a planned hub before it: nothing, it does not exist yet). An
        existing hub gives its current value.

        Returns
        -------
        tuple
            ``(value, planned_year)``; ``planned_year`` is ``None`` for a current value.

        Raises
        ------
        KeyError
            If ``dotted`` is not a path of the hub format.
        """
        current = self.attribute(dotted)
        if self.status is HubStatus.EXISTING:
            return current, None
        planned = self.plan(dotted)
        if planned is not None and self.plans_apply(year):
            return planned, self.planned_year
        return current, None

    def iter_planned(self) -> Iterable[tuple[str, Sourced[Any]]]:
        """Every planned value as ``(dotted path, value)`` pairs (paths without ``planned.``)."""
        if self.planned is not None:
            yield from _iter_sections(self.planned)

    def iter_sourced(self) -> Iterable[tuple[str, Sourced[Any]]]:
        """Every sourced value in the hub as ``(dotted path, value)`` pairs (plans not included)."""
        yield from _iter_sections(self)


def _iter_sections(owner: BaseModel) -> Iterable[tuple[str, Sourced[Any]]]:
    """The sourced values of the attribute sections of a hub or of its plans."""
    for section_name in _SECTIONS:
        section = getattr(owner, section_name)
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


def attribute_paths() -> list[str]:
    """Every dotted path :meth:`Hub.attribute` accepts (what a criterion may read)."""
    return [
        f"{section}.{name}"
        for section, model in _SECTIONS.items()
        for name in model.model_fields
        if name not in {"equipment", "year"}
    ]


def attribute_value_type(path: str) -> Any:
    """The type of the value at an attribute path (``rail.electrified`` -> ``bool``): the
    ``T`` of its ``Sourced[T]`` field (``int``, ``float``, ``bool``, an enum or ``str``).

    Raises
    ------
    KeyError
        If ``path`` is not one of :func:`attribute_paths`.
    """
    if path not in attribute_paths():
        raise KeyError(path)
    section, _, name = path.partition(".")
    return sourced_value_type(_SECTIONS[section].model_fields[name].annotation)


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
    id_is_file_name(p, hub.id)
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
    hubs, errors = check_hub_files([paths] if isinstance(paths, (str, Path)) else paths)
    if errors:
        raise errors[0]
    return hubs


def check_hub_files(paths: Iterable[str | Path]) -> tuple[dict[str, Hub], list[DataFileError]]:
    """Validate every hub file under ``paths`` and collect all errors, not only the first.

    Returns
    -------
    tuple
        The hubs that loaded (by id) and one :class:`DataFileError` per bad file,
        including duplicate ids and empty folders.
    """
    errors: list[DataFileError] = []
    files = files_in(paths, lambda folder: toml_files_in(folder, "hub"), errors)
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
