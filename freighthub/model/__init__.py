"""Validated, frozen data models and the loaders that build them from TOML and CSV files.

The face of the data layer: one loader per file kind (hubs, standards and profiles,
scenarios, variants, sweeps, emission factor packs, decision matrices, transport
chains). Every loader validates its file and raises a
:class:`~freighthub.errors.DataFileError` naming the file, the field, the value and the
rule. The names load on first use, so importing one module of the package loads no
other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from freighthub.lazy import lazy_names, lazy_table

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

#: Defining module -> its public names.
_LAZY = lazy_table(
    {
        "freighthub.model.hub": ("Hub", "load_hub", "load_hubs"),
        "freighthub.model.sourced": ("Sourced",),
        "freighthub.model.standard": (
            "Standard",
            "find_standard",
            "load_standard",
            "load_standards",
            "load_weights",
        ),
        "freighthub.model.scenario": ("LoadedScenario", "load_scenario", "load_scenario_with_pack"),
        "freighthub.model.variant": ("load_variant_chain",),
        "freighthub.model.sweep": ("load_sweep",),
        "freighthub.emissions.intensity": ("FactorPack",),
        "freighthub.model.factors": ("available_packs", "load_factor_pack"),
        "freighthub.model.decision_matrix": ("load_decision_matrix", "load_pairwise"),
        "freighthub.model.chain": ("ChainEvaluation", "evaluate_chain_file", "load_chain_file"),
    }
)

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)
