"""Literature ranges of freight price elasticities: ``standards/elasticities/<id>.toml``.

A mode-choice parameter file names one (``elasticity_reference``); ``compare`` and the
report show whether the model's road own-price elasticities fall inside it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator

from freighthub.model.fields import Frozen, Id, Text
from freighthub.model.files import (
    data_file_by_id,
    files_by_id,
    id_is_file_name,
    read_toml,
    validate,
)
from freighthub.model.paths import data_dir
from freighthub.model.sourced import Sourced

__all__ = ["ElasticityReference", "load_elasticity_reference"]


class ElasticityReference(Frozen):
    """A published elasticity range (every bound sourced).

    Attributes
    ----------
    range_low, range_high
        The range reported [-], ``range_low <= range_high < 0``.
    most_likely_low, most_likely_high
        The most likely range, if the source gives one [-].
    wider_range_low, wider_range_high
        A second, wider review's range, if any [-].
    """

    id: Id
    name: Text
    description: str | None = None
    range_low: Sourced[float]
    range_high: Sourced[float]
    most_likely_low: Sourced[float] | None = None
    most_likely_high: Sourced[float] | None = None
    wider_range_low: Sourced[float] | None = None
    wider_range_high: Sourced[float] | None = None

    @model_validator(mode="after")
    def _ordered_and_sourced(self) -> ElasticityReference:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Sourced) and not value.is_sourced:
                raise ValueError(f"{name}: give source and confidence")
        if not self.range_low.value <= self.range_high.value < 0:
            raise ValueError(
                f"range_low = {self.range_low.value}, range_high = {self.range_high.value}: "
                "must satisfy range_low <= range_high < 0"
            )
        return self

    def contains(self, elasticity: float) -> bool:
        """True if ``range_low <= elasticity <= range_high``."""
        return self.range_low.value <= elasticity <= self.range_high.value


def load_elasticity_reference(
    id_or_path: str | Path, folder: str | Path | None = None
) -> tuple[ElasticityReference, Path]:
    """Load a literature elasticity range by id (``standards/elasticities/``) or path.

    Raises
    ------
    UnknownIdentifierError
        If no file has the id (the message lists the valid ids).
    DataFileError
        If the file is invalid or its ``id`` differs from the file name.
    """
    d = Path(folder) if folder is not None else data_dir("standards") / "elasticities"
    path = data_file_by_id(id_or_path, files_by_id(d), "elasticity reference")
    ref = validate(ElasticityReference, read_toml(path), path)
    id_is_file_name(path, ref.id)
    return ref, path
