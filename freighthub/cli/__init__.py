"""The ``freighthub`` command line: parse, call one library function, render with rich.

Exit codes: 0 success; 2 bad input (one line on stderr naming file, field, value
and rule) or bad usage; 1 internal error. ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from freighthub.cli import compare as compare_cli
from freighthub.cli import demo, hubs
from freighthub.cli import emissions as emissions_cli
from freighthub.cli import optimize as optimize_cli
from freighthub.cli import rank as rank_cli
from freighthub.cli import report as report_cli
from freighthub.cli import simulate as simulate_cli
from freighthub.cli import standards as standards_cli
from freighthub.cli import sweep as sweep_cli
from freighthub.cli.output import err_console
from freighthub.errors import FreighthubError
from freighthub.version import __version__

__all__ = ["app", "main"]

app = typer.Typer(
    name="freighthub",
    help="Intermodal freight hub evaluation and modal-shift simulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(hubs.app, name="hubs")
app.command("demo")(demo.demo)
app.command("emissions")(emissions_cli.emissions)
app.add_typer(standards_cli.app, name="standards")
app.command("score")(standards_cli.score)
app.command("rank")(rank_cli.rank_command)
app.command("report")(report_cli.report)
app.command("simulate")(simulate_cli.simulate)
app.command("sweep")(sweep_cli.sweep)
app.command("optimize")(optimize_cli.optimize)
app.command("compare")(compare_cli.compare)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"freighthub {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    _state["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with freighthub's exit codes."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        app(args=argv, prog_name="freighthub")
    except FreighthubError as exc:
        if debug:
            raise
        err_console.print(f"error: {exc}", markup=False)
        sys.exit(2)
    except KeyboardInterrupt:
        err_console.print("interrupted", markup=False)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        err_console.print(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            markup=False,
        )
        sys.exit(1)
