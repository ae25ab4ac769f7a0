"""``freighthub emissions``: emissions of a transport chain per ISO 14083 / GLEC v3.0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from freighthub.atomic import write_text_atomic
from freighthub.cli.output import (
    ForceOption,
    JsonOption,
    emit_json,
    number,
    out_console,
    to_jsonable,
)
from freighthub.emissions.ileap import chain_to_ileap
from freighthub.emissions.intensity import (
    FactorPack,
    HubIntensity,
    TransportIntensity,
    intensity_ids,
)
from freighthub.model.chain import ChainEvaluation, evaluate_chain_file
from freighthub.model.factors import load_factor_pack
from freighthub.units import unit_by_key

__all__ = ["emissions", "evaluation_json", "render_evaluation"]


def _num(value: float | None, digits: int = 2) -> str:
    return number(value, digits, missing="n/a")


def evaluation_json(ev: ChainEvaluation) -> dict[str, Any]:
    """The ``--json`` document of a chain evaluation (totals, elements, intensities, pack)."""
    e = ev.emissions
    doc: dict[str, Any] = to_jsonable(
        {
            "chain_id": ev.chain_id,
            "pack_id": ev.pack.id,
            "pack_edition": ev.pack.edition,
            "total_kgco2e_wtw": e.total_kgco2e_wtw,
            "total_kgco2e_ttw": e.total_kgco2e_ttw,
            "total_kgco2e_wtt": e.total_kgco2e_wtt,
            "ttw_unknown": list(e.ttw_unknown),
            "known_kgco2e_ttw": e.known_kgco2e_ttw,
            "transport_activity_tkm": e.transport_activity_tkm,
            "transport_activity_teukm": e.transport_activity_teukm,
            "intensity_gco2e_per_tkm_wtw": e.intensity_gco2e_per_tkm_wtw,
            "intensity_gco2e_per_tkm_ttw": e.intensity_gco2e_per_tkm_ttw,
            "intensity_gco2e_per_teukm_wtw": e.intensity_gco2e_per_teukm_wtw,
            "intensity_gco2e_per_teukm_ttw": e.intensity_gco2e_per_teukm_ttw,
            "elements": [
                {
                    "kind": el.kind,
                    "id": el.id,
                    "kgco2e_wtw": el.kgco2e_wtw,
                    "kgco2e_ttw": el.kgco2e_ttw,
                    "kgco2e_wtt": el.kgco2e_wtt,
                    "intensity_id": el.intensity_id,
                    "intensity_unit": el.intensity_unit,
                    "intensity_wtw": el.intensity_wtw,
                    "intensity_ttw": el.intensity_ttw,
                    "mode": el.mode,
                    "distance_km": el.distance_km,
                    "distance_type": el.distance_type,
                    "distance_adjustment_factor": el.distance_adjustment_factor,
                    "mass_t": el.mass_t,
                    "teu": el.teu,
                    "transport_activity_tkm": el.transport_activity_tkm,
                    "hub_activity": el.hub_activity,
                    "hub_activity_unit": el.hub_activity_unit,
                    "source": _source(ev.pack, el.kind, el.intensity_id),
                }
                for el in e.elements
            ],
            "licence": ev.pack.licence,
        }
    )
    return doc


def _source(pack: FactorPack, kind: str, intensity_id: str) -> dict[str, str | None]:
    item = pack.transport[intensity_id] if kind == "leg" else pack.hubs[intensity_id]
    return {
        "source": item.provenance.source,
        "confidence": item.provenance.confidence.value,
        "note": item.provenance.note,
    }


def render_evaluation(ev: ChainEvaluation) -> None:
    """Print a chain evaluation: a table per element and total, intensities and sources."""
    e = ev.emissions
    table = Table(title=f"Emissions of chain {ev.chain_id} (pack {ev.pack.id})")
    for col, right in (
        ("element", False),
        ("intensity", False),
        ("activity", True),
        ("kgCO2e WTW", True),
        ("kgCO2e TTW", True),
    ):
        table.add_column(col, justify="right" if right else "left")
    used: dict[str, tuple[str, str]] = {}
    for el in e.elements:
        if el.kind == "leg":
            activity = (
                f"{_num(el.transport_activity_tkm, 0)} tkm"
                if el.transport_activity_tkm is not None
                else f"{_num(el.transport_activity_teukm, 0)} TEU-km"
            )
            if el.distance_adjustment_factor not in (None, 1.0):
                activity += f" x DAF {el.distance_adjustment_factor:g}"
        else:
            activity = f"{_num(el.hub_activity, 1)} {el.hub_activity_unit}"
        used[el.intensity_id] = (el.kind, el.intensity_unit)
        table.add_row(
            f"{el.kind}: {el.id}",
            el.intensity_id,
            activity,
            _num(el.kgco2e_wtw),
            _num(el.kgco2e_ttw),
        )
    table.add_section()
    table.add_row("total", "", "", _num(e.total_kgco2e_wtw), _num(e.total_kgco2e_ttw))
    out_console.print(table)
    out_console.print(
        f"chain intensity: {_num(e.intensity_gco2e_per_tkm_wtw)} gCO2e/tkm WTW, "
        f"{_num(e.intensity_gco2e_per_tkm_ttw)} TTW"
        + (
            f"; {_num(e.intensity_gco2e_per_teukm_wtw)} gCO2e/TEU-km WTW"
            if e.intensity_gco2e_per_teukm_wtw is not None
            else ""
        )
    )
    if e.ttw_unknown:
        out_console.print(
            "TTW n/a: the pack gives only WTW for "
            + ", ".join(e.ttw_unknown)
            + f" (not zero); TTW of the other elements: {_num(e.known_kgco2e_ttw)} kg."
        )
    sources = Table(title="Intensities used")
    for col in ("id", "WTW", "TTW", "unit", "confidence", "source"):
        sources.add_column(col)
    for intensity_id, (kind, unit) in used.items():
        item = ev.pack.transport[intensity_id] if kind == "leg" else ev.pack.hubs[intensity_id]
        sources.add_row(
            intensity_id,
            _num(item.intensity_wtw, 1),
            _num(item.intensity_ttw, 1),
            unit_by_key(unit).symbol,
            item.provenance.confidence.value,
            item.provenance.source,
        )
    out_console.print(sources)
    out_console.print(f"licence: {ev.pack.licence}", style="dim")


def _list(pack: FactorPack, json_out: bool) -> None:
    modes = sorted({str(t.mode) for t in pack.transport.values()})
    data = {
        "pack_id": pack.id,
        "transport": {m: intensity_ids(pack, m) for m in modes},
        "hubs": sorted(pack.hubs),
        "energy_factors": sorted(pack.energy),
    }
    if json_out:
        emit_json(data)
        return
    table = Table(title=f"Factor pack {pack.id}")
    table.add_column("id", no_wrap=True)
    for col in ("WTW", "TTW", "unit", "conf."):
        table.add_column(col, justify="right" if col in {"WTW", "TTW"} else "left")
    rows: list[TransportIntensity | HubIntensity] = [*pack.transport.values(), *pack.hubs.values()]
    for item in rows:
        table.add_row(
            item.id,
            _num(item.intensity_wtw, 1),
            _num(item.intensity_ttw, 1),
            unit_by_key(item.unit.value).symbol,
            item.provenance.confidence.value[:5],
        )
    out_console.print(table)


def emissions(
    chain: Annotated[
        Path | None,
        typer.Argument(
            metavar="CHAIN.toml", help="Transport chain file (see docs/data-formats.md)."
        ),
    ] = None,
    pack: Annotated[
        str | None,
        typer.Option(
            "--pack", help="Factor pack id (e.g. glec-v3-2023) or path; overrides the file."
        ),
    ] = None,
    ileap: Annotated[
        Path | None,
        typer.Option(
            "--ileap", help="Also write the footprint in the iLEAP data-model shape (JSON)."
        ),
    ] = None,
    force: ForceOption = False,
    list_intensities: Annotated[
        bool,
        typer.Option("--list-intensities", help="List the ids of the pack given with --pack."),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Emissions of a transport chain per ISO 14083 / GLEC v3.0, WTW and TTW per element."""
    if list_intensities:
        if pack is None:
            raise typer.BadParameter("--list-intensities needs --pack ID", param_hint="--pack")
        _list(load_factor_pack(pack), json)
        return
    if chain is None:
        raise typer.BadParameter("give a chain file CHAIN.toml", param_hint="CHAIN.toml")
    ev = evaluate_chain_file(chain, pack)
    if ileap is not None:
        doc = chain_to_ileap(ev.emissions, ev.pack, ev.chain_id)
        write_text_atomic(ileap, json_dumps(doc), overwrite=force)
    if json:
        emit_json(evaluation_json(ev))
        return
    render_evaluation(ev)
    if ileap is not None:
        out_console.print(f"iLEAP-shaped footprint written to {ileap}")


def json_dumps(doc: dict[str, Any]) -> str:
    """JSON text of an export document (UTF-8, indented, non-finite numbers as null)."""
    return json.dumps(to_jsonable(doc), ensure_ascii=False, indent=2) + "\n"
