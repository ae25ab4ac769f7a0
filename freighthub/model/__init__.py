"""Validated, frozen data models and the loaders that build them from TOML and CSV files.

The face of the data layer: one loader per file kind (hubs, standards and profiles,
scenarios, variants, sweeps, emission factor packs, decision matrices, transport
chains). Every loader validates its file and raises a
:class:`~freighthub.errors.DataFileError` naming the file, the field, the value and the
rule. The names load on first use, so importing one module of the package loads no
other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from freighthub.lazy import lazy_attribute, lazy_dir

if TYPE_CHECKING:
    from freighthub.emissions.intensity import FactorPack
    from freighthub.model.chain import ChainEvaluation, evaluate_chain_file, load_chain_file
    from freighthub.model.decision_matrix import load_decision_matrix, load_pairwise
    from freighthub.model.factors import available_packs, load_factor_pack
    from freighthub.model.hub import Hub, load_hub, load_hubs
    from freighthub.model.scenario import LoadedScenario, load_scenario, load_scenario_with_pack
    from freighthub.model.sourced import Sourced
    from freighthub.model.standard import (
        Standard,
        find_standard,
        load_standard,
        load_standards,
        load_weights,
    )
    from freighthub.model.sweep import load_sweep
    from freighthub.model.variant import load_variant_chain

__all__ = [
    "ChainEvaluation",
    "FactorPack",
    "Hub",
    "LoadedScenario",
    "Sourced",
    "Standard",
    "available_packs",
    "evaluate_chain_file",
    "find_standard",
    "load_chain_file",
    "load_decision_matrix",
    "load_factor_pack",
    "load_hub",
    "load_hubs",
    "load_pairwise",
    "load_scenario",
    "load_scenario_with_pack",
    "load_standard",
    "load_standards",
    "load_sweep",
    "load_variant_chain",
    "load_weights",
]

#: Public name -> module that defines it.
_LAZY = {
    "Hub": "freighthub.model.hub",
    "load_hub": "freighthub.model.hub",
    "load_hubs": "freighthub.model.hub",
    "Sourced": "freighthub.model.sourced",
    "Standard": "freighthub.model.standard",
    "find_standard": "freighthub.model.standard",
    "load_standard": "freighthub.model.standard",
    "load_standards": "freighthub.model.standard",
    "load_weights": "freighthub.model.standard",
    "LoadedScenario": "freighthub.model.scenario",
    "load_scenario": "freighthub.model.scenario",
    "load_scenario_with_pack": "freighthub.model.scenario",
    "load_variant_chain": "freighthub.model.variant",
    "load_sweep": "freighthub.model.sweep",
    "FactorPack": "freighthub.emissions.intensity",
    "available_packs": "freighthub.model.factors",
    "load_factor_pack": "freighthub.model.factors",
    "load_decision_matrix": "freighthub.model.decision_matrix",
    "load_pairwise": "freighthub.model.decision_matrix",
    "ChainEvaluation": "freighthub.model.chain",
    "evaluate_chain_file": "freighthub.model.chain",
    "load_chain_file": "freighthub.model.chain",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, globals(), name)


def __dir__() -> list[str]:
    return lazy_dir(globals(), __all__)
