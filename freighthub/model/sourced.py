"""A value with its provenance.

In a data file a value is written either plainly (``berth_length_m = 420``) or with
its provenance as an inline table::

    berth_length_m = { value = 420, source = "Operator fact sheet 2023, p. 2", confidence = "secondary" }

Both load into a :class:`Sourced`; a plain value has no source and no confidence.
An optional ``date`` says when the value was observed or published (a TOML date,
``date = 2024-05-01``); the data-age policy (:mod:`freighthub.model.data_age`) flags
an old value as stale.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from freighthub.vocabulary import Confidence

__all__ = ["Sourced", "sourced_value_type"]

T = TypeVar("T")


class Sourced(BaseModel, Generic[T]):
    """A value with optional ``source``, ``confidence`` and ``date`` (observed or published)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: T
    source: str | None = None
    confidence: Confidence | None = None
    date: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _wrap_plain(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return data
        return {"value": data}

    @property
    def is_sourced(self) -> bool:
        """True if both a source and a confidence label are given."""
        return self.source is not None and self.confidence is not None


def sourced_value_type(annotation: Any) -> Any:
    """The value type ``T`` of a field annotated ``Sourced[T]`` (or ``Sourced[T] | None``).

    Raises
    ------
    TypeError
        If the annotation holds no :class:`Sourced` model.
    """
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, Sourced):
            return arg.model_fields["value"].annotation
    raise TypeError(f"{annotation!r} is not a Sourced field")
