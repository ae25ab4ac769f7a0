"""Export an LP plan as a scenario file that ``freighthub simulate`` runs.

The exported file is the base scenario with each OD's route shares set to the
plan's (id ``<base id>-lp``; every share says it comes from the LP), written
atomically. :func:`scenario_toml` is a small TOML writer for validated scenarios:
scalars and :class:`~freighthub.model.sourced.Sourced` values inline, sections as
tables and arrays of tables.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from pathlib import Path
from typing import Any

from freighthub.atomic import write_text_atomic
from freighthub.model.scenario import LoadedScenario, Scenario
from freighthub.optimize.from_scenario import apply_plan
from freighthub.optimize.results import ModeSplitPlan

__all__ = ["scenario_toml", "toml_text", "write_plan_scenario"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_SOURCED_KEYS = {"value", "source", "confidence"}


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _is_scalar(v: Any) -> bool:
    return isinstance(v, (bool, int, float, str, datetime.date, datetime.time))


def _inline_ok(v: Any) -> bool:
    if _is_scalar(v):
        return True
    if isinstance(v, dict):
        return (set(v) <= _SOURCED_KEYS and "value" in v) or (
            len(v) <= 2 and all(_is_scalar(x) for x in v.values())
        )
    if isinstance(v, list):
        return all(_inline_ok(x) and not _is_table_list([x]) for x in v) or not v
    return False


def _is_table_list(v: Any) -> bool:
    return (
        isinstance(v, list)
        and bool(v)
        and all(isinstance(x, dict) for x in v)
        and not all(_inline_ok(x) for x in v)
    )


def _inline(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_inline(x) for x in v) + "]"
    return _scalar(v)


def _table(data: dict[str, Any], prefix: str, lines: list[str]) -> None:
    later: list[tuple[str, Any]] = []
    for k, v in data.items():
        if _inline_ok(v) and not _is_table_list(v):
            lines.append(f"{_key(k)} = {_inline(v)}")
        else:
            later.append((k, v))
    for k, v in later:
        path = f"{prefix}.{_key(k)}" if prefix else _key(k)
        if isinstance(v, dict):
            lines.append(f"\n[{path}]")
            _table(v, path, lines)
        else:
            for item in v:
                lines.append(f"\n[[{path}]]")
                _table(item, path, lines)


def scenario_toml(scenario: Scenario, header: str = "") -> str:
    """A scenario as TOML text that :func:`~freighthub.model.scenario.load_scenario` reads back."""
    return toml_text(scenario.model_dump(mode="json", by_alias=True, exclude_none=True), header)


def toml_text(data: dict[str, Any], header: str = "") -> str:
    """``data`` as TOML text (``header`` as comment lines); ``tomllib`` reads it back equal."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    _table(data, "", lines)
    return "\n".join(lines) + "\n"


def write_plan_scenario(
    loaded: LoadedScenario, plan: ModeSplitPlan, folder: str | Path, *, overwrite: bool = False
) -> Path:
    """Write the scenario with the plan's route shares as ``<folder>/<id>-lp.toml``.

    Hubs are referenced by id, as in the base scenario: simulate the file with the
    same ``--hubs`` folder.

    Raises
    ------
    ExistingResultError
        If the file exists and ``overwrite`` is false.
    """
    variant = apply_plan(loaded, plan)
    header = (
        f"Scenario {loaded.scenario.id!r} with the route shares of the LP plan of\n"
        f"freighthub optimize ({plan.solver}, carbon price "
        f"{plan.carbon_price_cny_per_tco2e:g} CNY/tCO2e). Base file: {loaded.path}"
    )
    path = Path(folder) / f"{variant.scenario.id}.toml"
    return write_text_atomic(path, scenario_toml(variant.scenario, header), overwrite=overwrite)
