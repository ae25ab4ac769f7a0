"""Names of a package that load on first use (PEP 562), the one mechanism for it.

A package lists ``{public name: defining module}`` and delegates its module-level
``__getattr__`` and ``__dir__`` here, so that importing the package imports none of
the defining modules (and none of their heavy libraries) until a name is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_attribute", "lazy_dir"]


def lazy_attribute(
    package: str, table: Mapping[str, str], namespace: MutableMapping[str, Any], name: str
) -> Any:
    """The value of ``package.name`` from its defining module in ``table``.

    The value is stored in ``namespace`` (the package's globals), so later look-ups do
    not come back here.

    Raises
    ------
    AttributeError
        If ``name`` is not in ``table``.
    """
    module = table.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    namespace[name] = value
    return value


def lazy_dir(namespace: Iterable[str], public: Iterable[str]) -> list[str]:
    """The names of a package: what it holds and what it can load."""
    return sorted(set(namespace) | set(public))
