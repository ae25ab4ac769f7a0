"""``freighthub demand fit``: a demand-fit spec in, a fitted OD matrix file out.

:func:`fit_demand` fits the spec's matrix (:func:`freighthub.calibrate.gravity.furness`);
:func:`write_demand_fit` writes it, atomically and never over an existing file
without ``force``, as TOML: the method, the iterations and residuals, the tool
version and the SHA-256 of the spec, then one ``[[flows]]`` row per origin-destination
pair (``from``, ``to``, ``teu_per_year``) ready to be copied into a scenario's
``[[demand]]``. A fit that did not converge writes nothing
(:class:`FitNotConvergedError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from freighthub.atomic import check_output, write_text_atomic
from freighthub.calibrate.gravity import FurnessResult, furness, gravity_seed
from freighthub.errors import FreighthubError
from freighthub.model.demand_spec import DemandSpec, load_demand_spec
from freighthub.model.provenance import build_manifest
from freighthub.optimize.export import toml_text

__all__ = [
    "DemandFit",
    "FitNotConvergedError",
    "fit_demand",
    "fit_demand_file",
    "write_demand_fit",
]


class FitNotConvergedError(FreighthubError):
    """The fit did not meet its totals within ``max_iterations`` (CLI exit code 3).

    Attributes
    ----------
    fit
        The last iterate, with its residuals.
    """

    def __init__(self, path: str | Path, fit: DemandFit) -> None:
        self.fit = fit
        r = fit.result
        super().__init__(
            f"{path}: the fit did not converge in max_iterations = {r.iterations}: largest"
            f" residual {r.max_abs_residual:.6g} TEU/year ({r.max_rel_residual:.3g} relative,"
            f" tolerance_rel = {fit.spec.tolerance_rel:g}); nothing written. Check that"
            " the totals can be met on the seed's non-zero cells, or raise max_iterations"
        )


@dataclass(frozen=True)
class DemandFit:
    """A spec and its fitted matrix.

    Attributes
    ----------
    spec
        The spec.
    path
        The spec file.
    result
        The fit (matrix [TEU/year], factors, residuals, iterations).
    """

    spec: DemandSpec
    path: Path
    result: FurnessResult

    def residual_rows(self) -> list[dict[str, Any]]:
        """Per origin and destination: target, fitted, absolute and relative residual."""
        rows: list[dict[str, Any]] = []
        r = self.result
        for side, ends, res in (
            ("origin", self.spec.origins, r.row_residuals),
            ("destination", self.spec.destinations, r.column_residuals),
        ):
            for end, e in zip(ends, res, strict=True):
                target = end.teu.value
                rows.append(
                    {
                        "side": side,
                        "id": end.id,
                        "target_teu": target,
                        "fitted_teu": target + float(e),
                        "residual_teu": float(e),
                        "residual_rel": float(e) / target if target > 0 else 0.0,
                    }
                )
        return rows

    def to_json(self) -> dict[str, Any]:
        """The fit as JSON: method, convergence, residuals and the matrix."""
        r = self.result
        return {
            "spec": str(self.path),
            "id": self.spec.id,
            "method": self.spec.method,
            "converged": r.converged,
            "iterations": r.iterations,
            "max_abs_residual_teu": r.max_abs_residual,
            "max_rel_residual": r.max_rel_residual,
            "residuals": self.residual_rows(),
            "origins": [o.id for o in self.spec.origins],
            "destinations": [d.id for d in self.spec.destinations],
            "teu_per_year": r.matrix.tolist(),
        }


def fit_demand(spec: DemandSpec, path: str | Path) -> DemandFit:
    """Fit the matrix of a loaded spec (whether or not it converges).

    Parameters
    ----------
    spec
        The spec.
    path
        Its file (kept for messages and the output's provenance).
    """
    if spec.deterrence is not None:
        seed = gravity_seed(spec.matrix, spec.deterrence.function, spec.deterrence.parameter.value)
    else:
        seed = np.asarray(spec.matrix, dtype=np.float64)
    result = furness(
        seed,
        [o.teu.value for o in spec.origins],
        [d.teu.value for d in spec.destinations],
        tolerance_rel=spec.tolerance_rel,
        max_iterations=spec.max_iterations,
    )
    return DemandFit(spec=spec, path=Path(path), result=result)


def _document(fit: DemandFit) -> dict[str, Any]:
    manifest = build_manifest([fit.path])
    r = fit.result
    return {
        "id": fit.spec.id,
        "method": fit.spec.method,
        "tool_version": manifest.tool_version,
        "inputs_sha256": manifest.inputs_sha256,
        "converged": r.converged,
        "iterations": r.iterations,
        "tolerance_rel": fit.spec.tolerance_rel,
        "max_abs_residual_teu": r.max_abs_residual,
        "max_rel_residual": r.max_rel_residual,
        "origins": [o.id for o in fit.spec.origins],
        "destinations": [d.id for d in fit.spec.destinations],
        "residuals": fit.residual_rows(),
        "flows": [
            {"from": o.id, "to": d.id, "teu_per_year": float(r.matrix[i, j])}
            for i, o in enumerate(fit.spec.origins)
            for j, d in enumerate(fit.spec.destinations)
        ],
    }


def write_demand_fit(fit: DemandFit, out: str | Path, *, force: bool = False) -> Path:
    """Write a converged fit as TOML, atomically.

    Raises
    ------
    FitNotConvergedError
        If the fit did not converge (nothing is written).
    ExistingResultError
        If ``out`` exists and ``force`` is false.
    """
    if not fit.result.converged:
        raise FitNotConvergedError(fit.path, fit)
    header = (
        f"OD matrix fitted by freighthub demand fit from {fit.path.name} [TEU/year].\n"
        "Refit with: freighthub demand fit SPEC.toml --out FILE --force\n"
    )
    return write_text_atomic(out, toml_text(_document(fit), header), overwrite=force)


def fit_demand_file(spec_path: str | Path, out: str | Path, *, force: bool = False) -> DemandFit:
    """Load a spec, fit it and write the result (the ``demand fit`` command).

    Raises
    ------
    DataFileError
        For an invalid spec (:func:`freighthub.model.demand_spec.load_demand_spec`).
    ExistingResultError
        If ``out`` exists and ``force`` is false (checked before fitting).
    FitNotConvergedError
        If the fit does not converge (nothing is written).
    """
    check_output(out, folder=False, overwrite=force)
    spec = load_demand_spec(spec_path)
    fit = fit_demand(spec, spec_path)
    write_demand_fit(fit, out, force=force)
    return fit
