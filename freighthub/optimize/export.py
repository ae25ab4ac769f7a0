"""Export an LP plan as a scenario file that ``freighthub simulate`` runs.

The exported file is the base scenario with each OD's route shares set to the
plan's (id ``<base id>-lp``; every share says it comes from the LP), written
atomically. :func:`scenario_toml` is a small TOML writer for validated scenarios:
scalars and :class:`~freighthub.model.sourced.Sourced` values inline, sections as
tables and arrays of tables.
"""

from __future__ import annotations

from pathlib import Path

from freighthub.atomic import write_text_atomic
from freighthub.model.scenario import LoadedScenario
from freighthub.model.scenario_schema import Scenario
from freighthub.model.toml_writer import toml_text
from freighthub.optimize.from_scenario import apply_plan
from freighthub.optimize.results import ModeSplitPlan

__all__ = ["scenario_toml", "toml_text", "write_plan_scenario"]


def scenario_toml(scenario: Scenario, header: str = "") -> str:
    """A scenario as TOML text that :func:`~freighthub.model.scenario.load_scenario` reads back."""
    return toml_text(scenario.model_dump(mode="json", by_alias=True, exclude_none=True), header)


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
