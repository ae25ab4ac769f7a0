"""The freighthub exception hierarchy.

Every error a user can cause is a :class:`FreighthubError`. The CLI prints its
message as one line on stderr and exits with code 2; anything else is an internal
error (exit code 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

__all__ = [
    "DataFileError",
    "FreighthubError",
    "InfeasibleError",
    "UnknownIdentifierError",
    "one_by_id",
]


class FreighthubError(Exception):
    """Base class of every error caused by input the user can fix."""


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if value else "''"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class DataFileError(FreighthubError):
    """A data file (hub, standard, factor pack, scenario, chain ...) is invalid.

    The message reads ``path: field = value: rule``, for example
    ``hubs/wuhan-yangluo.toml: rail.handling_track_length_m = -450: must be > 0``.

    Parameters
    ----------
    path
        The file, or folder, that holds the bad input.
    rule
        What the value must satisfy, in words.
    field
        Dotted path of the field inside the file, if the error is about one field.
    value
        The offending value, if there is one.
    """

    _NO_VALUE = object()

    def __init__(
        self,
        path: str | Path,
        rule: str,
        field: str | None = None,
        value: object = _NO_VALUE,
    ) -> None:
        self.path = str(path)
        self.field = field
        self.value = None if value is self._NO_VALUE else value
        self.rule = rule
        location = self.path
        if field is not None:
            location += f": {field}"
            if value is not self._NO_VALUE:
                location += f" = {_show(value)}"
        super().__init__(f"{location}: {rule}")


class UnknownIdentifierError(FreighthubError):
    """An identifier (hub, standard, factor pack, method ...) that does not exist.

    The message lists the valid identifiers so the user can correct a typo.
    """

    def __init__(self, kind: str, identifier: str, valid: Iterable[str]) -> None:
        self.kind = kind
        self.identifier = identifier
        self.valid = sorted(valid)
        shown = ", ".join(self.valid) if self.valid else "(none)"
        super().__init__(f"unknown {kind} {identifier!r}; valid: {shown}")


T = TypeVar("T")


def one_by_id(
    items: Iterable[T],
    identifier: str,
    kind: str,
    key: Callable[[T], str] = attrgetter("id"),
) -> T:
    """The first of ``items`` whose ``key`` (default: its ``id``) is ``identifier``.

    Raises
    ------
    UnknownIdentifierError
        If none is: ``unknown <kind> 'identifier'; valid: ...`` (every key of ``items``).
    """
    items = tuple(items)
    for item in items:
        if key(item) == identifier:
            return item
    raise UnknownIdentifierError(kind, identifier, (key(item) for item in items))


class InfeasibleError(FreighthubError):
    """An optimisation problem has no feasible solution.

    Parameters
    ----------
    message
        What conflicts, in decision terms.
    binding
        Names of the constraints that conflict, with the amount by which each
        would have to be relaxed (in the constraint's own unit).
    """

    def __init__(self, message: str, binding: dict[str, float] | None = None) -> None:
        self.binding = dict(binding or {})
        super().__init__(message)
