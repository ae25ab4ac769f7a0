"""Calibration and validation against published statistics.

- :mod:`freighthub.calibrate.gravity`: origin-destination matrices fitted to
  published origin and destination totals (doubly constrained gravity model solved
  by iterative proportional fitting, the Furness method). Pure functions.
- :mod:`freighthub.calibrate.demand_fit`: a demand-fit spec file in, a fitted matrix
  file with its residuals and provenance out (``freighthub demand fit``).
- :mod:`freighthub.calibrate.validation`: a simulated scenario compared with the
  published statistics it names (``freighthub validate-model``, the report's
  "Model validation" section).

The package sits above the simulation (it reads simulation results) and below the
report and the CLI. The names load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from freighthub.lazy import lazy_names, lazy_table

if TYPE_CHECKING:
    from freighthub.calibrate.demand_fit import fit_demand_file
    from freighthub.calibrate.gravity import FurnessResult, furness, gravity_seed
    from freighthub.calibrate.validation import ValidationResult, validate_model
    from freighthub.calibrate.validation_checks import Check

__all__ = [
    "Check",
    "FurnessResult",
    "ValidationResult",
    "fit_demand_file",
    "furness",
    "gravity_seed",
    "validate_model",
]

_LAZY = lazy_table(
    {
        "freighthub.calibrate.gravity": ("FurnessResult", "furness", "gravity_seed"),
        "freighthub.calibrate.demand_fit": ("fit_demand_file",),
        "freighthub.calibrate.validation": ("ValidationResult", "validate_model"),
        "freighthub.calibrate.validation_checks": ("Check",),
    }
)

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals(), __all__)
