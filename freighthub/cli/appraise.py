"""``freighthub appraise``: cost-benefit appraisal of a project file (NPV, BCR, IRR)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from freighthub.cli.output import (
    MISSING,
    ForceOption,
    JsonOption,
    emit_json,
    new_table,
    number,
    out_console,
    percent,
)


def appraise(
    project: Annotated[
        Path,
        typer.Argument(metavar="PROJECT.toml", help="Project file (see README, 'Appraisal')."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Write appraisal.json, years.csv, sensitivity.csv and manifest.json to DIR.",
        ),
    ] = None,
    force: ForceOption = False,
    json: JsonOption = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help="Language of the IRR note (irr_note; irr_note_code is the same in every "
            "language): en or zh, as for 'freighthub report'.",
        ),
    ] = "en",
) -> None:
    """Cost-benefit appraisal of a project: NPV, BCR, IRR, payback, yearly and sensitivity tables."""
    from functools import partial

    from freighthub.appraisal.appraise import appraise_file
    from freighthub.appraisal.output import appraisal_document, write_appraisal
    from freighthub.report.i18n import translations
    from freighthub.report.sections.appraisal import irr_note

    translations(lang)  # an unknown language: one line, exit 2, before any work
    if out is not None:
        from freighthub.atomic import check_output

        check_output(out, folder=True, overwrite=force)
    result = appraise_file(project)
    note = partial(irr_note, lang=lang)
    written = (
        write_appraisal(result, out, force=force, irr_note=note, lang=lang)
        if out is not None
        else None
    )
    if json:
        emit_json(appraisal_document(result, irr_note=note, lang=lang))
        return
    a = result
    out_console.print(
        f"[bold]{escape(a.project_name)}[/bold] ({escape(a.project_id)}): constant "
        f"{a.price_base_year} prices, discount rate {a.discount_rate:.2%}, discounted to "
        f"{a.discount_base_year}"
    )
    years = new_table(
        "Year by year [CNY]",
        ("year", "capex", "operating", "benefits", "net", "discount factor", "discounted net",
         "cumulative"),
    )  # fmt: skip
    for r in a.years:
        years.add_row(
            str(r.year),
            number(r.capex_cny),
            number(r.operating_costs_cny),
            number(r.benefits_cny),
            number(r.net_cny),
            f"{r.discount_factor:.4f}",
            number(r.discounted_net_cny),
            number(r.cumulative_discounted_net_cny),
        )
    out_console.print(years)
    irr = percent(a.irr, 2) if a.irr is not None else f"none ({note(a)})"
    out_console.print(
        f"PV benefits {number(a.pv_benefits_cny)} CNY, PV costs {number(a.pv_costs_cny)} CNY: "
        f"[bold]NPV {number(a.npv_cny)} CNY[/bold], BCR {number(a.bcr, 3)}, IRR {escape(irr)}, "
        f"discounted payback {a.payback_year if a.payback_year is not None else 'never'}"
    )
    for c in a.surplus_checks:
        diff = MISSING if c.difference_share is None else f"{c.difference_share:+.1%}"
        out_console.print(
            f"shipper surplus {escape(c.benefit)}: logsum {c.logsum_cny_per_teu:,.2f} CNY/TEU, "
            f"rule of a half {c.rule_of_half_cny_per_teu:,.2f} CNY/TEU ({diff}); {escape(c.note)}"
        )
    sens = new_table("Sensitivity", ("case", "NPV CNY", "BCR", "IRR"), left={"case"})
    for s in a.sensitivity:
        sens.add_row(escape(s.case), number(s.npv_cny), number(s.bcr, 3), percent(s.irr, 2))
    out_console.print(sens)
    assumptions = Table(title="Parameters, sources and confidence")
    for col in ("parameter", "value", "confidence", "source"):
        assumptions.add_column(col, overflow="fold")
    for x in a.assumptions:
        assumptions.add_row(
            escape(x.parameter), escape(str(x.value))[:60], x.confidence, escape(x.source[:160])
        )
    out_console.print(assumptions)
    if written is not None:
        out_console.print(f"results written to {escape(str(written))}")
