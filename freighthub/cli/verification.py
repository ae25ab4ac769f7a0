"""How the CLI shows an optimised plan run through the simulation (``--verify``).

``optimize`` and ``select`` both verify their plan with
:func:`freighthub.optimize.verify.verify_plan`; this module prints the result the same
way for both: a heading, optionally the LP-vs-simulation tables per service and hub,
then the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from freighthub.cli.output import new_table, number, out_console, percent

if TYPE_CHECKING:
    from freighthub.optimize.verify import Verification

__all__ = ["render_verification"]


def render_verification(v: Verification, *, tables: bool) -> None:
    """The heading (seed, replications), with ``tables`` the services and hubs of the
    LP against the simulation (per week), then one line per finding."""
    per_week = ", per week" if tables else ""
    out_console.print(
        f"[bold]Verification in the simulation[/bold] (seed {v.seed}, {v.replications} "
        f"replication(s){per_week})"
    )
    if tables:
        svc = new_table(
            "Services: LP vs simulation",
            ("service", "LP TEU", "sim TEU", "LP utilisation", "sim utilisation"),
            left={"service"},
        )
        for s in v.services:
            svc.add_row(
                escape(s.service),
                number(s.lp_teu, 1),
                number(s.sim_teu, 1),
                percent(s.lp_utilisation_share),
                percent(s.sim_utilisation_share),
            )
        out_console.print(svc)
        hubs = new_table(
            "Hubs: LP vs simulation",
            ("hub", "LP utilisation", "sim utilisation", "mean wait h", "p95 wait h"),
            left={"hub"},
        )
        for h in v.hubs:
            hubs.add_row(
                escape(h.hub),
                percent(h.lp_utilisation_share),
                percent(h.sim_utilisation_share),
                number(h.sim_mean_wait_h, 2),
                number(h.sim_p95_wait_h, 2),
            )
        out_console.print(hubs)
    for finding in v.findings:
        out_console.print(f"- {escape(finding)}")
