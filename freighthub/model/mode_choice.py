"""Mode-choice parameters: ``standards/mode-choice/<id>.toml`` loaded into :class:`ModeChoiceParameters`.

Every parameter is a :class:`~freighthub.model.sourced.Sourced` value and must carry a
source and a confidence label (an assumption says why). The format is documented in
``docs/data-formats.md`` ("Mode-choice parameters").
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.elasticity_reference import load_elasticity_reference
from freighthub.model.fields import Id, NonNegativeFloat, SourcedFields, Text
from freighthub.model.files import (
    data_file_by_id,
    files_by_id,
    id_is_file_name,
    read_toml,
    validate,
)
from freighthub.model.paths import data_dir
from freighthub.model.sourced import Sourced

__all__ = [
    "ModeChoiceParameters",
    "available_mode_choice_parameters",
    "load_mode_choice_parameters",
]

NegativeFloat = Annotated[float, Field(lt=0, allow_inf_nan=False)]
Scale = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class ModeChoiceParameters(SourcedFields):
    """Parameters of the mode/route choice (see ``docs/data-formats.md``).

    Attributes
    ----------
    model
        ``"nested"`` (road nest and intermodal nest) or ``"multinomial"``.
    cost_coefficient_per_cny
        Coefficient of the generalised cost in the utility [1/CNY], < 0.
    target_road_own_price_elasticity
        Instead of ``cost_coefficient_per_cny``: the coefficient is calibrated on the
        base scenario so that the road routes' volume-weighted own-price elasticity
        equals this value [-], < 0 (:mod:`freighthub.shift.elasticity`).
    value_of_time_by_segment
        Value of time of the ODs whose ``[[demand]]`` names a ``segment``
        [CNY/(TEU·h)], each sourced; ODs without a segment use
        ``value_of_time_cny_per_teu_h``. An OD naming a segment not listed here is
        an error when the mode choice runs.
    elasticity_reference
        Id of the literature range the elasticities are checked against
        (``standards/elasticities/<id>.toml``), shown by ``compare`` and the report.
    value_of_time_cny_per_teu_h
        Value of door-to-door time [CNY/(TEU·h)].
    value_of_reliability_cny_per_teu_h
        Value of one hour of standard deviation of door-to-door time [CNY/(TEU·h)].
    intermodal_nest_scale, road_nest_scale
        Nest scales λ in (0, 1].
    """

    id: Id
    name: Text
    description: str | None = None
    model: Literal["nested", "multinomial"] = "nested"
    cost_coefficient_per_cny: Sourced[NegativeFloat] | None = None
    target_road_own_price_elasticity: Sourced[NegativeFloat] | None = None
    elasticity_reference: Id | None = None
    value_of_time_cny_per_teu_h: Sourced[NonNegativeFloat]
    value_of_time_by_segment: dict[Id, Sourced[NonNegativeFloat]] = Field(default_factory=dict)
    value_of_reliability_cny_per_teu_h: Sourced[NonNegativeFloat]
    intermodal_nest_scale: Sourced[Scale]
    road_nest_scale: Sourced[Scale]

    @field_validator("value_of_time_by_segment")
    @classmethod
    def _segments_sourced(cls, value: dict[str, Sourced[float]]) -> dict[str, Sourced[float]]:
        for segment, v in value.items():
            if not v.is_sourced:
                raise ValueError(f"{segment}: give source and confidence (an assumption says why)")
        return value

    @model_validator(mode="after")
    def _one_cost_rule(self) -> ModeChoiceParameters:
        if (self.cost_coefficient_per_cny is None) == (
            self.target_road_own_price_elasticity is None
        ):
            raise ValueError(
                "give exactly one of cost_coefficient_per_cny and target_road_own_price_elasticity"
            )
        return self


def available_mode_choice_parameters(folder: str | Path | None = None) -> dict[str, Path]:
    """Parameter files by id in ``folder`` (default ``standards/mode-choice/``)."""
    d = Path(folder) if folder is not None else data_dir("standards") / "mode-choice"
    return files_by_id(d)


def load_mode_choice_parameters(
    id_or_path: str | Path, folder: str | Path | None = None
) -> tuple[ModeChoiceParameters, Path]:
    """Load mode-choice parameters by id or path.

    Parameters
    ----------
    id_or_path
        An id such as ``yangtze-container-v1`` or the path of a ``.toml`` file.
    folder
        Folder to look ids up in (default ``standards/mode-choice/``).

    Returns
    -------
    tuple
        The parameters and the file they came from.

    Raises
    ------
    UnknownIdentifierError
        If no file has the id (the message lists the valid ids).
    DataFileError
        If the file is invalid, a value is unsourced, or ``id`` differs from the
        file name.
    """
    known = available_mode_choice_parameters(folder)
    path = data_file_by_id(id_or_path, known, "mode-choice parameters")
    params = validate(ModeChoiceParameters, read_toml(path), path)
    id_is_file_name(path, params.id)
    if params.elasticity_reference is not None:
        try:
            load_elasticity_reference(params.elasticity_reference)
        except UnknownIdentifierError as exc:
            raise DataFileError(
                path, str(exc), "elasticity_reference", params.elasticity_reference
            ) from None
    return params, path
