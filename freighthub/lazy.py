"""Names of a package that load on first use (PEP 562), the one mechanism for it.

A package lists ``{defining module: its public names}`` and takes its module-level
``__getattr__`` and ``__dir__`` from :func:`lazy_names`, so that importing the package
imports none of the defining modules (and none of their heavy libraries) until a name
is used::

    _LAZY = lazy_table({"freighthub.sim.experiment": ("run_scenario",)})
    __getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names", "lazy_table"]


def lazy_table(modules: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """``{public name: defining module}`` from ``{module: names}``."""
    return {name: module for module, names in modules.items() for name in names}


def lazy_names(
    package: str,
    table: Mapping[str, str],
    namespace: MutableMapping[str, Any],
    public: Iterable[str],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` over ``table``.

    ``__getattr__(name)`` imports the defining module, stores the value in
    ``namespace`` (the package's globals, so later look-ups do not come back) and
    returns it; an unknown name raises ``AttributeError``. ``__dir__()`` lists what the
    package holds and what it can load.
    """
    names = tuple(public)

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(names))

    return __getattr__, __dir__
