"""Solver choice: CBC as shipped with PuLP by default, or HiGHS.

``solver="highs"`` uses the HiGHS Python API (``highspy``, a dependency; gives
duals), else the ``highs`` executable (``HiGHS_CMD``, no duals). The plan records
which one ran. A *direct* choice (``make_solver(..., direct=True)``, HiGHS and a pure
LP only) builds the LP as sparse arrays and hands them to ``highspy`` without PuLP
(:mod:`~freighthub.optimize._arrays`); PuLP stays the path of CBC, of the MILPs and
the reference.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import pulp

from freighthub.errors import FreighthubError, UnknownIdentifierError
from freighthub.optimize._arrays import DirectHighs, highs_version

__all__ = [
    "SOLVERS",
    "SolverChoice",
    "SolverError",
    "SolverUnavailableError",
    "available_solvers",
    "make_solver",
]

#: Solver names ``solve_mode_split`` accepts.
SOLVERS: tuple[str, ...] = ("cbc", "highs")


class SolverUnavailableError(FreighthubError):
    """The requested solver is not installed."""


class SolverError(FreighthubError):
    """The solver stopped without an answer (time limit, numerical trouble).

    Defined here, beside the solver choice, so that :mod:`~freighthub.optimize.lp`
    and :mod:`~freighthub.optimize.diagnose` both import it from below instead of
    from each other.
    """


@dataclass(frozen=True)
class SolverChoice:
    """A ready solver object and what it is.

    ``solver`` is a PuLP solver, or with ``direct`` the
    :class:`~freighthub.optimize._arrays.DirectHighs` options of the array path.
    """

    solver: Any
    description: str
    gives_duals: bool
    name: str
    direct: bool = False


def _candidates(name: str, time_limit_s: float | None, mip: bool) -> list[tuple[Any, str, bool]]:
    kwargs: dict[str, Any] = {"msg": False, "timeLimit": time_limit_s}
    if mip:  # a MIP answer is optimal only when proven so: no relative gap allowed
        kwargs["gapRel"] = 0.0
    if name == "cbc":
        with warnings.catch_warnings():
            # PuLP 3.3 announces that PULP_CBC_CMD (the bundled CBC) goes in PuLP 4.0;
            # COIN_CMD (a CBC on PATH) is the fallback then.
            warnings.simplefilter("ignore", DeprecationWarning)
            bundled = pulp.PULP_CBC_CMD(mip=mip, **kwargs)
        return [
            (bundled, "PULP_CBC_CMD", True),
            (pulp.COIN_CMD(mip=mip, **kwargs), "COIN_CMD", True),
        ]
    return [
        (pulp.HiGHS(mip=mip, **kwargs), "HiGHS (highspy)", True),
        (pulp.HiGHS_CMD(mip=mip, **kwargs), "HiGHS_CMD", False),
    ]


def available_solvers() -> list[str]:
    """Names in :data:`SOLVERS` that are installed, e.g. ``["cbc"]``."""
    out = []
    for name in SOLVERS:
        if any(bool(s.available()) for s, _, _ in _candidates(name, None, False)):
            out.append(name)
    return out


def make_solver(
    name: str, *, time_limit_s: float | None = None, mip: bool = True, direct: bool = False
) -> SolverChoice:
    """A solver for ``name``.

    Parameters
    ----------
    name
        ``"cbc"`` or ``"highs"``.
    time_limit_s
        Time limit [s], or ``None``.
    mip
        Whether integer variables are kept integer.
    direct
        For ``"highs"`` and ``mip=False``: the array path straight into ``highspy``
        (falls back to PuLP's HiGHS without ``highspy``); ignored otherwise.

    Raises
    ------
    UnknownIdentifierError
        If ``name`` is not in :data:`SOLVERS`.
    SolverUnavailableError
        If the solver is not installed.
    """
    if name not in SOLVERS:
        raise UnknownIdentifierError("solver", name, SOLVERS)
    if direct and name == "highs" and not mip:
        version = highs_version()
        if version is not None:
            return SolverChoice(
                DirectHighs(time_limit_s),
                f"highs (HiGHS {version} via highspy, direct sparse arrays)",
                True,
                name,
                direct=True,
            )
    for solver, what, duals in _candidates(name, time_limit_s, mip):
        if solver.available():
            return SolverChoice(solver, f"{name} ({what}, PuLP {pulp.__version__})", duals, name)
    raise SolverUnavailableError(
        f"solver {name!r} is not installed (neither the highspy package nor a 'highs' "
        f"executable on PATH); installed: {', '.join(available_solvers()) or '(none)'}"
    )
