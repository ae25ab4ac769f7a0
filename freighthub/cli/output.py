"""Shared CLI plumbing: consoles, the options several commands take, and JSON output.

With ``--json`` a command prints one JSON document on stdout and nothing else.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from freighthub.sim.estimates import Estimate, SimulationWarning

__all__ = [
    "MAX_FEEDBACK_ITERATIONS",
    "MAX_REPLICATIONS",
    "MAX_SAMPLES",
    "MAX_WORKERS",
    "MISSING",
    "SAMPLES_CAP_REASON",
    "WORKERS_CAP_REASON",
    "ForceOption",
    "HubsDirOption",
    "JsonOption",
    "PackOption",
    "ReplicationWorkersOption",
    "ReplicationsOption",
    "ScenarioArgument",
    "SeedOption",
    "StandardsDirOption",
    "at_most",
    "comma_list",
    "emit_json",
    "err_console",
    "finite",
    "interval",
    "json_only_stdout",
    "natural_width",
    "new_table",
    "number",
    "out_console",
    "percent",
    "print_problems",
    "print_warnings",
    "replication_workers",
    "samples_option",
    "solver_option",
    "to_jsonable",
    "verify_option",
    "workers_option",
    "year_option",
]


class _OutConsole(Console):
    """stdout: on a terminal, its width; elsewhere (a pipe, a file) tables are never cut.

    When stdout is not a terminal, a table is printed at its natural width even if
    that is wider than ``COLUMNS`` (default 80), so that ids and values are never cut
    to an ellipsis in files and pipes; other text keeps the usual width.
    """

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if len(objects) == 1 and isinstance(objects[0], Table) and not self.is_terminal:
            width = self.width
            self.width = max(width, natural_width(self, objects[0]))
            try:
                super().print(*objects, **kwargs)
            finally:
                self.width = width
            return
        super().print(*objects, **kwargs)


def natural_width(console: Console, table: Table) -> int:
    """Columns ``table`` takes without wrapping or cutting any cell."""
    return console.measure(table, options=console.options.update_width(10**6)).maximum


out_console: Console = _OutConsole(highlight=False)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

# Tables: text columns (names, ids) left-aligned, numbers right-aligned; a value that
# is not there (None, NaN, inf) shows as MISSING.

#: What a table cell shows for a value that is not there.
MISSING = "–"


def new_table(
    title: str, columns: Iterable[str], left: Collection[str] = (), **options: Any
) -> Table:
    """A rich table with these column headers: those in ``left`` left-aligned, the others
    (numbers) right-aligned; ``options`` go to :class:`rich.table.Table`."""
    from rich.markup import escape

    table = Table(title=title, **options)
    for column in columns:
        table.add_column(escape(column), justify="left" if column in left else "right")
    return table


def number(value: float | None, digits: int = 0, missing: str = MISSING) -> str:
    """``value`` with thousands separators and ``digits`` decimals; ``missing`` if there
    is no finite value."""
    if value is None or not math.isfinite(value):
        return missing
    return f"{value:,.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A share (0-1) as a percentage with ``digits`` decimals; :data:`MISSING` if none."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.{digits}%}"


def interval(estimate: Estimate, digits: int) -> str:
    """An estimate's 95 % confidence interval as ``[low, high]`` (markup escaped); empty
    where it has none (one replication)."""
    from rich.markup import escape

    low, high = estimate.ci95_low, estimate.ci95_high
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return escape(f"[{low:,.{digits}f}, {high:,.{digits}f}]")


# Caps on options whose run time grows with the value: a mistyped 10**12 must end in a
# clear message, not a machine busy for days.
#: Monte Carlo weight samples (rank, score): about 1 s of CPU per 10,000 samples, and
#: the standard error of a rank-acceptability share is below 0.002 at this cap.
MAX_SAMPLES = 100_000
#: Why --samples has a cap.
SAMPLES_CAP_REASON = "more samples cost minutes and change the shares by less than 0.002"
#: Replications of a simulation (simulate, compare, optimize --verify).
MAX_REPLICATIONS = 1_000
#: Worker processes (simulate, sweep).
MAX_WORKERS = 256
#: Congestion-feedback iterations (compare --feedback).
MAX_FEEDBACK_ITERATIONS = 100

N = TypeVar("N", int, float)


def at_most(cap: int, why: str) -> Callable[[Any], Any]:
    """An option callback refusing values above ``cap``, with the reason in the message."""

    def check(value: N | None) -> N | None:
        if value is not None and value > cap:
            raise typer.BadParameter(f"{value}: above the cap of {cap:,} ({why})")
        return value

    return check


def comma_list(text: str) -> list[str]:
    """The items of a comma-separated option value, stripped; empty items dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def finite(value: float | None) -> float | None:
    """An option callback refusing inf (typer's ranges already refuse nan)."""
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value}: must be a finite number")
    return value


ScenarioArgument = Annotated[
    Path,
    typer.Argument(metavar="SCENARIO.toml", help="Scenario file (see docs/data-formats.md)."),
]

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON on stdout and nothing else.")
]

HubsDirOption = Annotated[
    Path | None,
    typer.Option("--hubs", help="Folder of hub files (default: the shipped hubs/)."),
]

PackOption = Annotated[
    str | None,
    typer.Option(
        "--pack", help="Emission factor pack id or file (default: the (base) scenario's)."
    ),
]

SeedOption = Annotated[
    int | None,
    typer.Option("--seed", min=0, help="Random seed, >= 0 (default: the (base) scenario's)."),
]

ReplicationsOption = Annotated[
    int | None,
    typer.Option(
        "--replications",
        "-r",
        min=1,
        callback=at_most(MAX_REPLICATIONS, "each replication simulates the whole horizon"),
        help=f"Replications, 1-{MAX_REPLICATIONS:,} (default: the (base) scenario's).",
    ),
]

StandardsDirOption = Annotated[
    Path | None,
    typer.Option("--standards", help="Folder of standard files (default: the shipped standards/)."),
]


def samples_option(min_samples: int, what: str, note: str = "") -> Any:
    """``--samples N``: ``min_samples`` to :data:`MAX_SAMPLES` Monte Carlo samples; the
    help says ``what`` they are, the range, then ``note``."""
    return typer.Option(
        "--samples",
        min=min_samples,
        callback=at_most(MAX_SAMPLES, SAMPLES_CAP_REASON),
        help=f"{what}, {min_samples}-{MAX_SAMPLES:,}{note}.",
    )


def solver_option(problem: str) -> Any:
    """``--solver cbc|highs`` (default ``cbc``) for the command's ``problem`` (``LP``,
    ``MILP``); the names are :data:`freighthub.optimize.solvers.SOLVERS`."""
    return typer.Option("--solver", metavar="cbc|highs", help=f"{problem} solver (default: cbc).")


def verify_option(what: str) -> Any:
    """``--verify``: simulate ``what`` (the optimised plan) and compare with it."""
    return typer.Option("--verify", help=f"Simulate {what} (with --seed, -r) and compare.")


def year_option(help_text: str) -> Any:
    """``--year YYYY``: an assessment year, 1900 to 2100, with the command's help."""
    return typer.Option("--year", min=1900, max=2100, help=help_text)


#: Why --workers has a cap.
WORKERS_CAP_REASON = "more processes than that only oversubscribe the CPUs"

ForceOption = Annotated[bool, typer.Option("--force", help="Replace existing output.")]


def workers_option(help_text: str) -> Any:
    """``--workers N``: 1 to :data:`MAX_WORKERS` processes, with the command's help."""
    return typer.Option(
        "--workers", min=1, callback=at_most(MAX_WORKERS, WORKERS_CAP_REASON), help=help_text
    )


#: ``--workers`` of the commands that simulate inside a report (``report``, ``demo``):
#: ``None`` means one process per CPU (:func:`replication_workers`).
ReplicationWorkersOption = Annotated[
    int | None,
    workers_option(
        f"Processes for the simulations' replications, 1-{MAX_WORKERS} "
        "(same results; default: CPUs)."
    ),
]


def replication_workers(workers: int | None) -> int:
    """``--workers`` as given, else the number of CPUs."""
    return workers if workers is not None else (os.cpu_count() or 1)


def to_jsonable(obj: Any) -> Any:
    """Convert results (pydantic models, dataclasses, enums, paths) into JSON values."""
    if isinstance(obj, BaseModel):
        return to_jsonable(obj.model_dump(mode="json"))
    if hasattr(obj, "__dataclass_fields__"):  # a field with metadata ``json: False`` left out
        return {
            k: to_jsonable(getattr(obj, k))
            for k, f in obj.__dataclass_fields__.items()
            if f.metadata.get("json", True)
        }
    if isinstance(obj, dict):
        return {str(to_jsonable(k)): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return to_jsonable(obj.item())
    return obj


#: Where :func:`emit_json` writes while :func:`json_only_stdout` is active.
_json_out: list[TextIO] = []


@contextmanager
def json_only_stdout() -> Iterator[None]:
    """Send everything but the JSON document to stderr (for ``--json``).

    C libraries print to file descriptor 1 whatever Python's ``sys.stdout`` is (HiGHS
    prints its banner there even with ``output_flag`` off), so the descriptor itself is
    pointed at stderr while the command runs, and :func:`emit_json` writes to a copy of
    the original stdout. Does nothing when stdout or stderr has no file descriptor
    (captured in tests).
    """
    try:
        out_fd, err_fd = sys.stdout.fileno(), sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(out_fd)
    os.dup2(err_fd, out_fd)
    stream = os.fdopen(os.dup(saved), "w", encoding="utf-8")
    _json_out.append(stream)
    try:
        yield
    finally:
        _json_out.remove(stream)
        stream.close()
        sys.stdout.flush()
        os.dup2(saved, out_fd)
        os.close(saved)


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one JSON document to stdout."""
    out = _json_out[-1] if _json_out else sys.stdout
    out.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2))
    out.write("\n")
    out.flush()


def print_problems(problems: Iterable[object]) -> None:
    """One ``error: <problem>`` line per problem on stderr (a validating command then
    exits :data:`freighthub.cli.EXIT_BAD_INPUT`)."""
    for problem in problems:
        err_console.print(f"error: {problem}", markup=False)


def print_warnings(warnings: Iterable[SimulationWarning], prefix: str = "") -> None:
    """Each simulation warning as one line on stderr (``warning [code]: message``)."""
    from rich.markup import escape

    for w in warnings:
        err_console.print(
            f"[yellow]warning[/yellow] {escape(f'[{w.code}]')}: {escape(prefix + w.message)}"
        )
