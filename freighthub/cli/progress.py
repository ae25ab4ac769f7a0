"""Progress bars on stderr for commands that can run for more than a few seconds.

Shown only when both stdout and stderr are terminals and ``--json`` is off, so that
pipes, files, CI logs and JSON consumers never see them. The library reports
progress through ``progress=`` callbacks and never imports rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from freighthub.cli.output import err_console, out_console

__all__ = ["progress_wanted", "replication_bar", "working"]


def progress_wanted(json: bool) -> bool:
    """Whether to show progress: not with ``--json``, only if stdout and stderr are terminals."""
    return not json and out_console.is_terminal and err_console.is_terminal


@contextmanager
def replication_bar(
    verb: str, label: str, *, enabled: bool
) -> Iterator[Callable[[int, int], None] | None]:
    """A bar counting replications; yields the ``progress(done, total)`` callback or None."""
    if not enabled:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{escape(verb)}[/bold] {{task.description}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(escape(label), total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


@contextmanager
def working(verb: str, label: str, *, enabled: bool) -> Iterator[None]:
    """A spinner with the elapsed time, for steps that report no progress of their own."""
    if not enabled:
        yield
        return
    with Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{escape(verb)}[/bold] {{task.description}}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        bar.add_task(escape(label), total=None)
        yield
