"""``freighthub rank``: rank the alternatives of any decision matrix a user brings."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from freighthub.cli.output import (
    JsonOption,
    comma_list,
    emit_json,
    finite,
    new_table,
    out_console,
    samples_option,
)
from freighthub.errors import UnknownIdentifierError
from freighthub.model.decision_matrix import ahp_weights_from_file, load_decision_matrix
from freighthub.scoring.mcda import (
    METHODS,
    MISSING_POLICIES,
    RANK_METHOD,
    DecisionMatrixError,
    MethodSpec,
)
from freighthub.scoring.stability import Stability, rank_stability
from freighthub.scoring.weights import AhpResult

__all__ = ["rank_command"]


def _numbers(option: str, text: str, n: int, criteria: tuple[str, ...]) -> list[float | None]:
    parts = comma_list(text)
    if len(parts) == 1 and n > 1:
        parts = parts * n
    if len(parts) != n:
        raise DecisionMatrixError(
            f"{option}: {len(parts)} value(s) for {n} criteria ({', '.join(criteria)})"
        )
    out: list[float | None] = []
    for part in parts:
        if part in {"-", ""}:
            out.append(None)
            continue
        try:
            out.append(float(part))
        except ValueError:
            raise DecisionMatrixError(f"{option} = {part!r}: must be a number") from None
    return out


#: How ``--param`` reads a value of each type a parameter's annotation allows.
_WORDS = {bool: "true or false", int: "an integer", float: "a number", str: "text"}
_BOOLEANS = {"true": True, "false": False}
_NONE = "-"


def _value_types(hint: Any) -> tuple[set[Any], set[Any]]:
    """The scalar types a parameter's annotation allows, and those of a sequence's items."""
    scalars: set[Any] = set()
    items: set[Any] = set()
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    for arg in typing.get_args(hint) if union else (hint,):
        origin = typing.get_origin(arg)
        if isinstance(origin, type) and issubclass(origin, Sequence) and origin is not str:
            inner = typing.get_args(arg)
            items |= _value_types(inner[0])[0] if inner else {str}
        elif arg is None or arg is type(None):
            scalars.add(None)
        elif arg in _WORDS:
            scalars.add(arg)
    return scalars, items


def _scalar(text: str, allowed: set[Any]) -> Any:
    """``text`` as the first type of ``allowed`` it reads as; ValueError if none."""
    word = text.strip()
    if None in allowed and word == _NONE:
        return None
    if bool in allowed and word.lower() in _BOOLEANS:
        return _BOOLEANS[word.lower()]
    if int in allowed:
        try:
            return int(word)
        except ValueError:
            pass
    if float in allowed:
        try:
            number = float(word)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
    if str in allowed and word:
        return word
    raise ValueError(word)


def _expected(scalars: set[Any], items: set[Any]) -> str:
    """What ``--param`` accepts, in words: ``a number, - for none or a list of them``."""

    def words(allowed: set[Any]) -> list[str]:
        return [w for t, w in _WORDS.items() if t in allowed] + (
            [f"{_NONE} for none"] if None in allowed else []
        )

    said = words(scalars)
    if items:
        listed = "them" if items <= scalars else " or ".join(words(items))
        said.append(f"a comma-separated list of {listed} (one per criterion)")
    return ", ".join(said[:-1]) + " or " + said[-1] if len(said) > 1 else "".join(said)


def _param_value(spec: MethodSpec, name: str, text: str) -> Any:
    """A ``--param NAME=VALUE`` value read as the type the method's signature gives it.

    The annotation of the keyword-only parameter decides (its default's type if the
    annotation cannot be resolved): a number, an integer, true/false, text, ``-`` for
    None, or a comma-separated list where it allows a sequence (one value per
    criterion).
    """
    try:
        hint = typing.get_type_hints(spec.score).get(name)
    except (NameError, TypeError):
        hint = None
    scalars, items = _value_types(hint)
    if not scalars and not items:
        default = spec.defaults[name]
        scalars = {None if default is None else type(default)}
    try:
        if items and "," in text:
            return [_scalar(part, items) for part in text.split(",")]
        return _scalar(text, scalars)
    except ValueError:
        raise DecisionMatrixError(
            f"--param {name} = {text!r}: must be {_expected(scalars, items)}"
        ) from None


def _generic_params(method: str, given: list[str]) -> dict[str, Any]:
    """``--param NAME=VALUE`` options, checked against the method's registry row."""
    spec = METHODS.get(method)
    out: dict[str, Any] = {}
    for item in given:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise DecisionMatrixError(f"--param {item!r}: must be NAME=VALUE")
        if spec is None or name not in spec.defaults:
            valid = () if spec is None else spec.parameters
            raise UnknownIdentifierError(f"--param of --method {method}", name, valid)
        if name in out:
            raise DecisionMatrixError(f"--param {name}: given twice")
        out[name] = _param_value(spec, name, text)
    return out


def _method_params(
    method: str,
    n: int,
    criteria: tuple[str, ...],
    v: float | None,
    preference: str | None,
    p: str | None,
    q: str | None,
    normalization: str | None,
    param: list[str] | None = None,
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    given = {
        "--v": v,
        "--preference": preference,
        "--p": p,
        "--q": q,
        "--normalization": normalization,
    }
    spec = METHODS.get(method)
    allowed = set() if spec is None else {f"--{name}" for name in spec.parameters}
    for option, value in given.items():
        if value is not None and option not in allowed:
            raise DecisionMatrixError(f"{option} does not apply to --method {method}")
    if v is not None:
        params["v"] = v
    if normalization is not None:
        params["normalization"] = normalization
    if preference is not None:
        kinds = comma_list(preference)
        params["preference"] = kinds[0] if len(kinds) == 1 else kinds
    if p is not None:
        params["p"] = _numbers("--p", p, n, criteria)
    if q is not None:
        params["q"] = _numbers("--q", q, n, criteria)
    generic = _generic_params(method, param or [])
    for name in generic.keys() & params.keys():
        raise DecisionMatrixError(f"--param {name}: given twice (also as --{name})")
    return params | generic


def _weights(
    criteria: tuple[str, ...],
    weights: str | None,
    ahp: Path | None,
    entropy: bool,
    force: bool,
) -> tuple[Any, str, AhpResult | None]:
    chosen = [
        name for name, on in (("--weights", weights), ("--ahp", ahp), ("--entropy", entropy)) if on
    ]
    if len(chosen) != 1:
        raise DecisionMatrixError(
            "weights: give exactly one of --weights w1,w2,... | --ahp FILE | --entropy"
            + (f" (got {', '.join(chosen)})" if chosen else "")
        )
    if weights is not None:
        values = _numbers("--weights", weights, len(criteria), criteria)
        if len(comma_list(weights)) != len(criteria):
            raise DecisionMatrixError(
                f"--weights: {len(comma_list(weights))} weight(s) for {len(criteria)} criteria "
                f"({', '.join(criteria)})"
            )
        if any(x is None for x in values):
            raise DecisionMatrixError("--weights: every criterion needs a number")
        return [float(x) for x in values if x is not None], "direct", None
    if ahp is not None:
        names, result = ahp_weights_from_file(ahp, force=force)
        if set(names) != set(criteria):
            raise DecisionMatrixError(
                f"{ahp}: criteria {', '.join(names)} do not match the matrix columns "
                f"{', '.join(criteria)}"
            )
        return dict(zip(names, result.weights, strict=True)), "ahp", result
    return "entropy", "entropy", None


def _json(stability: Stability, weights_method: str, ahp: AhpResult | None) -> dict[str, Any]:
    ranking = stability.ranking
    first = dict(zip(stability.alternatives, stability.first_rank_probability, strict=True))
    out: dict[str, Any] = {
        "method": ranking.method,
        "score_name": ranking.score_name,
        "higher_is_better": ranking.higher_is_better,
        "alternatives": [
            {"id": a.id, "score": a.score, "rank": a.rank, "first_rank_probability": first[a.id]}
            for a in ranking.alternatives
        ],
        "weights": ranking.weights_by_criterion,
        "weights_method": weights_method,
        "parameters": ranking.parameters,
        "missing_treatment": ranking.missing_treatment,
        "stability": {
            "n_samples": stability.n_samples,
            "seed": stability.seed,
            "concentration": stability.concentration,
            "perturbation": stability.perturbation,
            "rank_acceptability": dict(
                zip(stability.alternatives, stability.rank_acceptability, strict=True)
            ),
            "first_rank_probability": first,
            "rank_reversal": stability.rank_reversal,
        },
    }
    if ahp is not None:
        out["ahp"] = ahp
    return out


def _render(stability: Stability, weights_method: str, ahp: AhpResult | None) -> None:
    ranking = stability.ranking
    direction = "higher is better" if ranking.higher_is_better else "lower is better"
    table = new_table(
        f"Ranking by {ranking.method} ({ranking.score_name}, {direction})",
        ("rank", "id", "score", "P(rank 1)"),
        left={"id"},
    )
    first = dict(zip(stability.alternatives, stability.first_rank_probability, strict=True))
    for a in ranking.alternatives:
        table.add_row(str(a.rank), a.id, f"{a.score:.4f}", f"{first[a.id]:.3f}")
    out_console.print(table)

    w = Table(title=f"Weights ({weights_method})")
    w.add_column("criterion")
    w.add_column("weight", justify="right")
    for name, value in ranking.weights_by_criterion.items():
        w.add_row(name, f"{value:.4f}")
    out_console.print(w)
    if ahp is not None:
        cr = "n/a (n <= 2)" if ahp.consistency_ratio is None else f"{ahp.consistency_ratio:.3f}"
        note = " [bold red]FORCED: above the threshold[/bold red]" if ahp.forced else ""
        out_console.print(
            f"AHP: lambda_max {ahp.lambda_max:.4f}, CI {ahp.consistency_index:.4f}, "
            f"RI {ahp.random_index:.2f}, CR {cr} (threshold {ahp.threshold}){note}"
        )
    treatment = ranking.missing_treatment
    cells = ", ".join(f"{a}/{c}" for a, c in treatment.filled_cells)
    out_console.print(
        f"Missing data: {treatment.description}" + (f" [{cells}]" if cells else ""), markup=False
    )

    n = len(stability.alternatives)
    acc = Table(title="Rank acceptability (share of weight samples)")
    acc.add_column("id")
    for r in range(1, n + 1):
        acc.add_column(f"rank {r}", justify="right")
    for name, row in zip(stability.alternatives, stability.rank_acceptability, strict=True):
        acc.add_row(name, *(f"{x:.3f}" for x in row))
    out_console.print(acc)
    out_console.print(stability.perturbation, markup=False)
    for entry in stability.rank_reversal:
        if entry.order_changed:
            pairs = "; ".join(f"{a} vs {b}" for a, b in entry.changed_pairs)
            out_console.print(
                f"rank reversal: removing {entry.removed} changes {pairs}", markup=False
            )
    if not stability.any_rank_reversal:
        out_console.print(
            "rank reversal: none (removing any one alternative keeps the order of the others)"
        )


def rank_command(
    matrix: Annotated[
        Path,
        typer.Argument(
            metavar="MATRIX.csv", help="CSV: an 'id' column and one column per criterion."
        ),
    ],
    types: Annotated[
        str,
        typer.Option(
            "--types", help="benefit or cost for each criterion, comma-separated, in column order."
        ),
    ],
    method: Annotated[
        str, typer.Option("--method", help=f"Ranking method: {' | '.join(METHODS)}.")
    ] = RANK_METHOD,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Direct weights w1,w2,... (normalised to sum 1)."),
    ] = None,
    ahp: Annotated[
        Path | None, typer.Option("--ahp", help="AHP pairwise-comparison matrix (TOML).")
    ] = None,
    entropy: Annotated[
        bool, typer.Option("--entropy", help="Entropy weights from the matrix.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Accept AHP judgements with CR above Saaty's threshold.")
    ] = False,
    missing: Annotated[
        str | None,
        typer.Option("--missing", help=f"Missing values: {' | '.join(MISSING_POLICIES)}."),
    ] = None,
    samples: Annotated[
        int, samples_option(1, "Monte Carlo weight samples for rank acceptability")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed, >= 0.")] = 0,
    concentration: Annotated[
        float,
        typer.Option(
            "--concentration",
            callback=finite,
            help="Dirichlet concentration of the weight perturbation (> 0).",
        ),
    ] = 100.0,
    v: Annotated[
        float | None,
        typer.Option("--v", callback=finite, help="VIKOR: weight of group utility, 0-1."),
    ] = None,
    preference: Annotated[
        str | None,
        typer.Option(
            "--preference",
            help="PROMETHEE II: usual | linear | v_shape (one, or one per criterion).",
        ),
    ] = None,
    p: Annotated[
        str | None,
        typer.Option("--p", help="PROMETHEE II preference thresholds (criterion units)."),
    ] = None,
    q: Annotated[
        str | None,
        typer.Option("--q", help="PROMETHEE II indifference thresholds (criterion units)."),
    ] = None,
    normalization: Annotated[
        str | None, typer.Option("--normalization", help="Weighted sum: minmax | max.")
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            metavar="NAME=VALUE",
            help="Any parameter of the method, repeatable ("
            + "; ".join(
                f"{m}: {', '.join(s.parameters)}" for m, s in METHODS.items() if s.parameters
            )
            + "); a list as v1,v2,... (one per criterion), - for none.",
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Rank the alternatives of a decision matrix, with rank acceptability and rank reversal."""
    dm = load_decision_matrix(matrix, comma_list(types))
    w, weights_method, ahp_result = _weights(dm.criteria, weights, ahp, entropy, force)
    params = _method_params(
        method, len(dm.criteria), dm.criteria, v, preference, p, q, normalization, param
    )
    stability = rank_stability(
        dm,
        w,
        method,
        n_samples=samples,
        seed=seed,
        missing=missing,
        concentration=concentration,
        **params,
    )
    if json:
        emit_json(_json(stability, weights_method, ahp_result))
        return
    _render(stability, weights_method, ahp_result)
