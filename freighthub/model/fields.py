"""Field types shared by every data-file model: the frozen base class, numbers, ids, text.

Each type is defined once here; the loaders in :mod:`freighthub.model` (hubs,
standards, scenarios, variants, sweeps, factor packs, chains, methods, mode choice)
and the report spec import them. Numbers are finite (no ``inf``/``nan``).

Two id types, with different rules on purpose:

:data:`HubId`
    Lowercase words joined by ``-`` only (``wuhan-yangluo``, ``eu-tent-2024-1679``).
    For data that is selected by its file name and cited in reports: hubs,
    standards, profiles, criteria, bands, reference values, factor-pack entries.
:data:`Id`
    Lowercase words joined by ``-``, ``_`` or ``.`` (``rail_1``, ``v2.barge``).
    For the items of a user's own scenario, variant and sweep files (zones, links,
    services, disruptions, axes ...), which are often named after codes.
:data:`MixedCaseId`
    As :data:`Id`, upper or lower case (``TCE-1``). For the ids of a transport
    chain file, which come from a shipper's or carrier's own records and are kept
    as written in the iLEAP export.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from freighthub.model.sourced import Sourced
from freighthub.vocabulary import Confidence, mode_ids

__all__ = [
    "PATTERN_RULES",
    "CountryCode",
    "FieldRule",
    "Finite",
    "Frozen",
    "HubId",
    "Id",
    "Latitude",
    "Longitude",
    "MixedCaseId",
    "ModeId",
    "NonNegativeFloat",
    "NonNegativeInt",
    "PositiveFloat",
    "PositiveInt",
    "Share",
    "SourceBlock",
    "SourcedEntry",
    "SourcedFields",
    "Text",
    "exactly_one",
    "first_repeat",
    "listed_once",
    "size_cap",
]


class Frozen(BaseModel):
    """Base of every data-file model: immutable, and an unknown field is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class SourcedFields(Frozen):
    """A model whose every :class:`~freighthub.model.sourced.Sourced` field must carry
    a source and a confidence label (``give source and confidence (an assumption says
    why)``)."""

    @field_validator("*", mode="after")
    @classmethod
    def _every_value_sourced(cls, value: object) -> object:
        if isinstance(value, Sourced) and not value.is_sourced:
            raise ValueError("give source and confidence (an assumption says why)")
        return value


#: A finite number (no ``inf``/``nan``).
Finite = Annotated[float, Field(allow_inf_nan=False)]
#: A finite number > 0.
PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
#: A finite number >= 0.
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
#: A whole number > 0.
PositiveInt = Annotated[int, Field(gt=0)]
#: A whole number >= 0.
NonNegativeInt = Annotated[int, Field(ge=0)]
#: A share, 0 to 1 inclusive [-].
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
#: Non-empty text.
Text = Annotated[str, Field(min_length=1)]
#: A longitude, -180 to 180 [deg, WGS84].
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
#: A latitude, -90 to 90 [deg, WGS84].
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
#: A country as its ISO 3166-1 alpha-2 code (``CN``, ``DE``).
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


def _registered_mode(mode: str) -> str:
    for registered in mode_ids():
        if registered == mode:
            return registered
    raise ValueError(f"must be one of the modes: {', '.join(mode_ids())}")


#: Id of a registered mode (a row of :data:`freighthub.vocabulary.MODE_FACTS`, read
#: when a file is validated, so a mode added as data is accepted). The value is the
#: registry's own id, so a built-in mode is its :class:`~freighthub.vocabulary.Mode`
#: member (``link.mode is Mode.RAIL`` holds).
ModeId = Annotated[str, AfterValidator(_registered_mode)]


class SourcedEntry(Frozen):
    """An entry of a shipped method or factor file that cites its own ``source`` and
    ``confidence`` label (one citation for the whole entry, where a
    :class:`~freighthub.model.sourced.Sourced` value carries one per value)."""

    source: Text
    confidence: Confidence


class SourceBlock(Frozen):
    """The ``[source]`` block of a shipped data file that cites one document: a factor
    pack (:mod:`freighthub.model.factors_schema`) or a physics file
    (:mod:`freighthub.model.physics`)."""

    document: Text
    url: str | None = None
    licence: Text


#: Pattern of :data:`HubId`: lowercase words joined by ``-``.
HUB_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: Pattern of :data:`Id`: lowercase words joined by ``-``, ``_`` or ``.``.
ID_PATTERN = r"^[a-z0-9]+([-_.][a-z0-9]+)*$"
#: Pattern of :data:`MixedCaseId`: as :data:`ID_PATTERN`, upper or lower case.
MIXED_CASE_ID_PATTERN = r"^[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$"

#: Each id pattern in words, for the one-line error of a mismatch.
PATTERN_RULES: dict[str, str] = {
    HUB_ID_PATTERN: "lower-case letters and digits, words joined by '-'",
    ID_PATTERN: "lower-case letters and digits, words joined by '-', '_' or '.'",
    MIXED_CASE_ID_PATTERN: "letters and digits, words joined by '-', '_' or '.'",
}

#: Id of a hub, standard, criterion or factor-pack entry (``-`` only; see the module).
HubId = Annotated[str, Field(pattern=HUB_ID_PATTERN)]
#: Id of an item of a scenario, variant or sweep file (``-``, ``_`` or ``.``).
Id = Annotated[str, Field(pattern=ID_PATTERN)]
#: Id in a transport chain file (as :data:`Id`, upper or lower case).
MixedCaseId = Annotated[str, Field(pattern=MIXED_CASE_ID_PATTERN)]


class FieldRule(ValueError):
    """A rule that involves several fields, reported on the one it names.

    Raised inside a model validator; the loader turns it into
    ``path: section[i].field = value: rule``.
    """

    NO_VALUE = object()

    def __init__(self, field: str, rule: str, value: object = NO_VALUE) -> None:
        self.field = field
        self.rule = rule
        self.value = value.value if isinstance(value, Sourced) else value
        super().__init__(f"{field}: {rule}")


def exactly_one(obj: BaseModel, names: Iterable[str], what: str) -> None:
    """Check that exactly one of the fields ``names`` of ``obj`` is given (not ``None``).

    Parameters
    ----------
    obj
        The model being validated.
    names
        The alternative fields, in the order the message lists them.
    what
        What the fields choose (``timetable``, ``distance`` ...), for the message.

    Raises
    ------
    FieldRule
        On the second field given (``give only one of ...``) or, if none is given,
        on the first (``give one of ...``).
    """
    names = list(names)
    given = [n for n in names if getattr(obj, n) is not None]
    if len(given) != 1:
        shown = " or ".join(f"{n!r}" for n in names)
        if given:
            raise FieldRule(
                given[1],
                f"{what}: give only one of {shown}, not {' and '.join(given)}",
                getattr(obj, given[1]),
            )
        raise FieldRule(names[0], f"{what}: give one of {shown}")


K = TypeVar("K", bound=Hashable)


def first_repeat(values: Iterable[K]) -> tuple[int, K] | None:
    """Index and value of the first of ``values`` equal to an earlier one (``None`` if
    every value differs): the one check behind every "given twice" rule of the loaders.
    """
    seen: set[K] = set()
    for i, value in enumerate(values):
        if value in seen:
            return i, value
        seen.add(value)
    return None


def listed_once(what: str) -> AfterValidator:
    """The rule of a list field whose entries may not repeat: ``lists <what> twice``.

    Use as ``Annotated[tuple[Mode, ...], listed_once("a mode")]``; ``None`` passes, and
    a default is not checked (as with ``field_validator``).
    """

    def check(value: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError(f"lists {what} twice")
        return value

    return AfterValidator(check)


def size_cap(limit: float, why: str) -> AfterValidator:
    """The rule of a number capped against absurd input: ``must be <= <limit>: <why>``.

    Use as ``Annotated[PositiveFloat, size_cap(MAX_HORIZON_H, "a simulation size cap")]``.
    """

    def check(value: float) -> float:
        if value > limit:
            raise ValueError(f"must be <= {limit:.0f}: {why}")
        return value

    return AfterValidator(check)
