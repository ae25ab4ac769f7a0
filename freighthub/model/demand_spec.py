"""Demand-fit specs: the input of ``freighthub demand fit``, loaded and validated.

A spec names published origin and destination totals [TEU/year] and a seed: either a
distance matrix with a deterrence function (doubly constrained gravity model) or a
base-year matrix (Furness growth factors). Format::

    id = "yangtze-2023-od"
    max_iterations = 200          # optional, default 1000
    tolerance_rel = 1e-6          # optional, default 1e-9

    [deterrence]                  # with distance_km; or give seed_teu instead
    function = "power"            # or "exponential"
    parameter = { value = 2, source = "...", confidence = "assumption" }  # gamma [-] or beta [1/km]

    [[origins]]
    id = "chongqing"
    teu = { value = 500000, source = "...", confidence = "secondary" }

    [[destinations]]
    id = "shanghai"
    teu = { value = 400000, source = "...", confidence = "secondary" }

    distance_km = [[1500.0, ...], ...]   # one row per origin, one column per destination

The fit itself is :func:`freighthub.calibrate.gravity.furness`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from freighthub.errors import DataFileError
from freighthub.model.fields import (
    FieldRule,
    Frozen,
    HubId,
    Id,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    Text,
    exactly_one,
    first_repeat,
)
from freighthub.model.files import read_toml, validate
from freighthub.model.sourced import Sourced

__all__ = ["DemandSpec", "Deterrence", "TripEnd", "load_demand_spec"]

#: Most zones on either side of a fitted matrix (a software limit: the output file
#: lists every cell, so a larger matrix belongs in a matrix format, not TOML).
MAX_ZONES = 2000

Row = Annotated[tuple[NonNegativeFloat, ...], Field(min_length=1)]


class Deterrence(Frozen):
    """The deterrence function ``f(d)`` of a gravity seed and its parameter."""

    function: Literal["exponential", "power"]
    parameter: Sourced[NonNegativeFloat]


class TripEnd(Frozen):
    """A published origin or destination total [TEU/year]."""

    id: Id
    teu: Sourced[NonNegativeFloat]


class DemandSpec(Frozen):
    """A demand-fit spec (see the module docstring)."""

    id: HubId
    description: Text | None = None
    max_iterations: PositiveInt = 1000
    tolerance_rel: PositiveFloat = 1e-9
    deterrence: Deterrence | None = None
    distance_km: Annotated[tuple[Row, ...], Field(min_length=1)] | None = None
    seed_teu: Annotated[tuple[Row, ...], Field(min_length=1)] | None = None
    origins: Annotated[tuple[TripEnd, ...], Field(min_length=1, max_length=MAX_ZONES)]
    destinations: Annotated[tuple[TripEnd, ...], Field(min_length=1, max_length=MAX_ZONES)]

    @model_validator(mode="after")
    def _consistent(self) -> DemandSpec:
        exactly_one(self, ("distance_km", "seed_teu"), "seed")
        if self.distance_km is not None and self.deterrence is None:
            raise FieldRule("deterrence", "distance_km needs a [deterrence] table")
        if self.seed_teu is not None and self.deterrence is not None:
            raise FieldRule("deterrence", "is used only with distance_km, not with seed_teu")
        for side, ends in (("origins", self.origins), ("destinations", self.destinations)):
            if (repeat := first_repeat(end.id for end in ends)) is not None:
                raise FieldRule(f"{side}[{repeat[0]}].id", "duplicate id", repeat[1])
        name = "distance_km" if self.distance_km is not None else "seed_teu"
        matrix = self.matrix
        if len(matrix) != len(self.origins):
            raise FieldRule(
                name, f"has {len(matrix)} rows: must have one per origin ({len(self.origins)})"
            )
        for i, row in enumerate(matrix):
            if len(row) != len(self.destinations):
                raise FieldRule(
                    f"{name}[{i}]",
                    f"has {len(row)} values: must have one per destination"
                    f" ({len(self.destinations)})",
                )
        return self

    @property
    def matrix(self) -> tuple[tuple[float, ...], ...]:
        """The distance matrix [km] or the seed matrix [TEU/year], whichever is given."""
        m = self.distance_km if self.distance_km is not None else self.seed_teu
        assert m is not None
        return m

    @property
    def method(self) -> str:
        """The fit in words, for the output file."""
        if self.deterrence is None:
            return "Furness iterative proportional fitting of the base-year matrix seed_teu"
        d = self.deterrence
        f = "exp(-beta d), beta [1/km]" if d.function == "exponential" else "d^-gamma, gamma [-]"
        return (
            "doubly constrained gravity model, Furness iterative proportional fitting;"
            f" deterrence {d.function} {f} = {d.parameter.value:g}"
        )


def load_demand_spec(path: str | Path) -> DemandSpec:
    """Load and validate a demand-fit spec.

    Raises
    ------
    DataFileError
        For a missing or invalid file, a matrix whose shape does not match the
        origins and destinations, duplicate ids, a zero distance with the power
        deterrence, or origin and destination totals whose sums differ.
    """
    p = Path(path)
    spec = validate(DemandSpec, read_toml(p), p)
    if spec.deterrence is not None and spec.deterrence.function == "power":
        for i, row in enumerate(spec.matrix):
            for j, d in enumerate(row):
                if d <= 0:
                    raise DataFileError(
                        p, "must be > 0 with the power deterrence d^-gamma",
                        f"distance_km[{i}][{j}]", d,
                    )  # fmt: skip
    rows = sum(o.teu.value for o in spec.origins)
    cols = sum(d.teu.value for d in spec.destinations)
    if abs(rows - cols) > spec.tolerance_rel * max(rows, cols):
        raise DataFileError(
            p,
            f"origins sum to {rows:g} TEU but destinations to {cols:g}: a doubly"
            " constrained fit needs equal sums (within tolerance_rel)",
            "destinations",
        )
    return spec
