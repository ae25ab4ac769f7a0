"""The ``freighthub`` command line: parse, call one library function, render with rich.

Exit codes: 0 success; 2 bad input (one line on stderr naming file, field, value
and rule) or bad usage; 1 internal error. ``--debug`` shows the traceback.

Commands load lazily: :data:`COMMANDS` names the module of each command, and only
the module of the command that runs is imported, so that ``freighthub --version``
and ``freighthub --help`` start without SciPy, the simulation or the LP.
"""

from __future__ import annotations

import re
import sys
from contextlib import AbstractContextManager, nullcontext
from difflib import get_close_matches
from importlib import import_module
from typing import Annotated, Any, NamedTuple

import typer
from typer import _click as click
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperCommand, TyperGroup
from typer.main import get_command_from_info, get_group
from typer.models import CommandInfo

from freighthub.errors import FreighthubError  # light: no pydantic, no numpy

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_INTERRUPTED",
    "CommandEntry",
    "app",
    "escape_markup",
    "load_command",
    "main",
    "usage_error_line",
]


#: Exit code after Ctrl-C (128 + SIGINT, the shell's convention).
EXIT_INTERRUPTED = 130

#: Exit code for bad input: a :class:`~freighthub.errors.FreighthubError`, or a
#: validating command that found problems (:func:`freighthub.cli.output.print_problems`).
EXIT_BAD_INPUT = 2


class CommandEntry(NamedTuple):
    """Where a command lives, and the one-line help ``freighthub --help`` shows for it."""

    module: str
    attribute: str  # a typer.Typer (a command group) or a command function
    summary: str  # the first paragraph of the command's help (tested to match)


#: Every command, in the order ``freighthub --help`` lists them.
COMMANDS: dict[str, CommandEntry] = {
    "demo": CommandEntry(
        "freighthub.cli.demo",
        "demo",
        "Validate the shipped data, score, simulate, compare, optimise and write the report.",
    ),
    "emissions": CommandEntry(
        "freighthub.cli.emissions",
        "emissions",
        "Emissions of a transport chain per ISO 14083 / GLEC v3.0, WTW and TTW per element.",
    ),
    "score": CommandEntry(
        "freighthub.cli.standards",
        "score",
        "Score hubs against a standard: compliance, coverage, consensus ranking and its stability.",
    ),
    "rank": CommandEntry(
        "freighthub.cli.rank",
        "rank_command",
        "Rank the alternatives of a decision matrix, with rank acceptability and rank reversal.",
    ),
    "report": CommandEntry(
        "freighthub.cli.report",
        "report",
        "Write a standardised assessment report to reports/<name>/.",
    ),
    "simulate": CommandEntry(
        "freighthub.cli.simulate",
        "simulate",
        "Simulate container flows of a scenario: throughput, waits, modal split, cost, emissions.",
    ),
    "sweep": CommandEntry(
        "freighthub.cli.sweep",
        "sweep",
        "Run every cell x replication of a sweep; resume where an earlier run stopped.",
    ),
    "optimize": CommandEntry(
        "freighthub.cli.optimize",
        "optimize",
        "Optimal mode split: minimum generalised cost + carbon cost under capacities and targets.",
    ),
    "compare": CommandEntry(
        "freighthub.cli.compare",
        "compare",
        "Deltas (variant - base) with 95 % CIs, the bottleneck, and demand the network "
        "cannot carry.",
    ),
    "hubs": CommandEntry(
        "freighthub.cli.hubs",
        "app",
        "Hub data: list, show, validate, distances; questionnaire template, import, export.",
    ),
    "network": CommandEntry(
        "freighthub.cli.network",
        "app",
        "Transport network: route, show, validate, export.",
    ),
    "standards": CommandEntry(
        "freighthub.cli.standards",
        "app",
        "Codified standards and profiles: list, show, validate.",
    ),
    "validate-model": CommandEntry(
        "freighthub.cli.validate_model",
        "validate_model_command",
        "Compare a scenario's simulation with the published statistics it names.",
    ),
    "demand": CommandEntry(
        "freighthub.cli.demand",
        "app",
        "Demand inference: fit an OD matrix to published origin and destination totals.",
    ),
    "appraise": CommandEntry(
        "freighthub.cli.appraise",
        "appraise",
        "Cost-benefit appraisal of a project: NPV, BCR, IRR, payback, yearly and sensitivity "
        "tables.",
    ),
    "select": CommandEntry(
        "freighthub.cli.select",
        "select",
        "Budgeted hub and service selection (MILP): which candidates to fund, and what each "
        "brings.",
    ),
}

# A rich markup tag as rich.markup parses one: ``[bold]``, ``[/]``, ``[weights]``.
_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")


def escape_markup(text: str) -> str:
    """Escape what rich would read as markup (``[weights]``) so help shows it as typed."""
    return _TAG.sub(r"\1\1\\\2", text)


def _escape_help(command: click.Command) -> None:
    """Help texts are plain text: escape ``[...]`` in them (rich would eat it as markup)."""
    if command.help:
        command.help = escape_markup(command.help)
    if command.short_help:
        command.short_help = escape_markup(command.short_help)
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = escape_markup(text)  # type: ignore[attr-defined]
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            _escape_help(sub)


def load_command(name: str, markup_mode: Any = "rich") -> click.Command:
    """Import the module of command ``name`` and build its click command."""
    entry = COMMANDS[name]
    target = getattr(import_module(entry.module), entry.attribute)
    command: click.Command
    if isinstance(target, typer.Typer):
        command = get_group(target)
    else:
        command = get_command_from_info(
            CommandInfo(name=name, callback=target),
            pretty_exceptions_short=True,
            rich_markup_mode=markup_mode,
        )
    command.name = name
    _escape_help(command)
    return command


class LazyGroup(TyperGroup):
    """The root group: a command's module is imported only when that command runs.

    ``freighthub --help`` lists the commands from :data:`COMMANDS` without importing
    them.
    """

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        if self._listing:  # the root help needs only the name and the summary
            return TyperCommand(cmd_name, help=escape_markup(COMMANDS[cmd_name].summary))
        command = load_command(cmd_name, self.rich_markup_mode)
        self.commands[cmd_name] = command
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:  # suggest from every command, loaded or not
            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in exc.message:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="freighthub",
    help="Intermodal freight hub evaluation and modal-shift simulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        from freighthub.version import __version__

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


def usage_error_line(exc: click.ClickException) -> str:
    """One line for a bad option or argument: the command, the option, the value, the rule."""
    message = exc.format_message()
    errors = getattr(exc.__cause__, "errors", None)  # typer checks types with pydantic
    if isinstance(exc, typer.BadParameter) and callable(errors) and errors():
        first = errors()[0]
        hint = exc.param.get_error_hint() if exc.param is not None else ""
        rule = str(first.get("msg", "")).replace("Input should be", "must be")
        message = f"Invalid value for {hint or 'a parameter'}: {first.get('input')!s}: {rule}"
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path}: " if ctx is not None and ctx.command_path else ""
    return "error: " + " ".join(f"{where}{message}".split())


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with freighthub's exit codes."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        with _json_mode(argv):
            code = app(args=argv, prog_name="freighthub", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        text = exc.format_message()  # empty when typer printed the help itself
        if text:
            sys.stdout.write(text + "\n")
        sys.exit(exc.exit_code)
    except click.ClickException as exc:  # bad usage: unknown option, bad value, ...
        _err(usage_error_line(exc))
        sys.exit(exc.exit_code)
    except typer.Abort:
        _err("aborted")
        sys.exit(1)
    except FreighthubError as exc:
        if debug:
            raise
        _err(f"error: {exc}")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if debug:
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        sys.exit(1)
    if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into Exit(130)
        _err("interrupted")
    sys.exit(code if isinstance(code, int) else 0)


def _json_mode(argv: list[str] | None) -> AbstractContextManager[None]:
    """With ``--json``, nothing but the JSON document reaches stdout (see json_only_stdout)."""
    if "--json" not in (sys.argv[1:] if argv is None else argv):
        return nullcontext()
    from freighthub.cli.output import json_only_stdout

    return json_only_stdout()


def _err(line: str) -> None:
    from freighthub.cli.output import err_console

    err_console.print(line, markup=False)
