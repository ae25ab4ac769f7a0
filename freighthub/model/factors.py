"""Emission factor packs: TOML files in ``standards/emissions/`` loaded into a :class:`FactorPack`.

A pack file (``kind = "factor_pack"``) holds transport and hub intensities and distance
adjustment factors, and names the files it ``includes``: fuel and grid factors
(``kind = "energy_factors"``) and conversions (``kind = "conversions"``). Every entry
carries its ``source`` and ``confidence``; the file's ``[source]`` block gives the
document, edition, URL and licence note. The format is documented in
``docs/data-formats.md``. Users select a shipped pack by id (``glec-v3-2023``) or give
the path of their own file in the same format.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from freighthub.emissions.intensity import (
    ContainerType,
    DistanceAdjustment,
    EnergyFactor,
    FactorPack,
    HubIntensity,
    Provenance,
    TeuConvention,
    TransportIntensity,
)
from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.factors_corridor import CorridorBreakdown, check_corridor, traction_shares
from freighthub.model.factors_schema import (
    _ROUNDING_ABS,
    _ROUNDING_REL,
    ContainerTypeEntry,
    EnergyEntry,
    HubEntry,
    PackFile,
    TeuConventionEntry,
    TransportEntry,
    _check,
)
from freighthub.model.files import id_is_file_name, read_toml, validate
from freighthub.model.paths import data_dir
from freighthub.units import G_PER_KG

__all__ = [
    "CorridorBreakdown",
    "PackFile",
    "available_packs",
    "corridor_breakdown",
    "default_pack_dir",
    "derived_intensity",
    "load_factor_pack",
    "load_pack_file",
]


def default_pack_dir() -> Path:
    """The folder of the shipped packs: ``standards/emissions/`` (see :func:`data_dir`)."""
    return data_dir("standards") / "emissions"


def load_pack_file(path: str | Path) -> PackFile:
    """Load and validate one file of a factor pack (pack, energy factors or conversions).

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, breaks the format, or its ``id`` is not its
        file name.
    """
    p = Path(path)
    pack_file = validate(PackFile, read_toml(p), p)
    _check(pack_file, p)
    id_is_file_name(p, pack_file.id)
    return pack_file


def available_packs(folder: str | Path | None = None) -> dict[str, Path]:
    """The factor packs (``kind = "factor_pack"``) in ``folder``, by id.

    Raises
    ------
    DataFileError
        If a file in the folder is invalid.
    """
    d = Path(folder) if folder is not None else default_pack_dir()
    if not d.is_dir():
        return {}
    packs: dict[str, Path] = {}
    for f in sorted(d.glob("*.toml")):
        if read_toml(f).get("kind") == "factor_pack":
            packs[f.stem] = f
    return packs


def _is_path(id_or_path: str | Path) -> bool:
    text = str(id_or_path)
    return isinstance(id_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text


def _resolve(id_or_path: str | Path, folder: str | Path | None) -> Path:
    if _is_path(id_or_path):
        return Path(id_or_path)
    packs = available_packs(folder)
    if str(id_or_path) not in packs:
        raise UnknownIdentifierError("factor pack", str(id_or_path), packs)
    return packs[str(id_or_path)]


def load_factor_pack(id_or_path: str | Path, folder: str | Path | None = None) -> FactorPack:
    """Load a factor pack by id (from ``folder``, default ``standards/emissions/``) or path.

    The pack's ``includes`` are looked up beside the pack file first, then in the
    default folder.

    Parameters
    ----------
    id_or_path
        A pack id such as ``glec-v3-2023``, or the path of a pack file.
    folder
        Folder to look ids up in.

    Returns
    -------
    FactorPack
        Every intensity, DAF, energy factor and conversion of the pack and its includes.

    Raises
    ------
    UnknownIdentifierError
        If no pack has the id (the message lists the available packs).
    DataFileError
        If a file is invalid, an include is missing or of the wrong kind, or two files
        define the same id.

    References
    ----------
    Smart Freight Centre, GLEC Framework v3.0 (2023), Modules 1-2 and 5.
    """
    path = _resolve(id_or_path, folder)
    main = load_pack_file(path)
    if main.kind != "factor_pack":
        raise DataFileError(path, "must be 'factor_pack' to be used as a pack", "kind", main.kind)
    parts = _pack_parts(path, main, ())
    return _build(main, parts)


def corridor_breakdown(
    id_or_path: str | Path, intensity_id: str, folder: str | Path | None = None
) -> CorridorBreakdown:
    """The sections, value and all-electric / all-diesel bounds of a corridor intensity.

    Raises
    ------
    UnknownIdentifierError
        If the pack does not exist or has no ``corridor_mix`` entry ``intensity_id``.
    DataFileError
        As :func:`load_factor_pack`.
    """
    pack = load_factor_pack(id_or_path, folder)
    path = _resolve(id_or_path, folder)
    parts = _pack_parts(path, load_pack_file(path), ())
    shares = traction_shares(parts)
    corridors = {
        e.id: (p, i, e)
        for p, part in parts
        for i, e in enumerate(part.transport)
        if e.derivation is not None and e.derivation.method == "corridor_mix"
    }
    if intensity_id not in corridors:
        raise UnknownIdentifierError("corridor intensity", intensity_id, corridors)
    p, i, entry = corridors[intensity_id]
    return check_corridor(entry, i, shares, pack.transport, p)


def _pack_parts(path: Path, main: PackFile, chain: tuple[str, ...]) -> list[tuple[Path, PackFile]]:
    """The files of a pack: its base pack's files (``extends``), itself, its includes."""
    parts: list[tuple[Path, PackFile]] = []
    if main.extends is not None:
        if main.extends in (*chain, main.id):
            raise DataFileError(path, "a pack may not extend itself", "extends", main.extends)
        candidates = [
            path.parent / f"{main.extends}.toml",
            default_pack_dir() / f"{main.extends}.toml",
        ]
        base_path = next((c for c in candidates if c.is_file()), None)
        if base_path is None:
            raise DataFileError(
                path,
                f"no factor pack with this id beside the pack or in {default_pack_dir()}",
                "extends",
                main.extends,
            )
        base = load_pack_file(base_path)
        if base.kind != "factor_pack":
            raise DataFileError(
                base_path, "must be 'factor_pack' to be extended", "kind", base.kind
            )
        parts.extend(_pack_parts(base_path, base, (*chain, main.id)))
    parts.append((path, main))
    seen = {p.resolve() for p, _ in parts}
    for i, include in enumerate(main.includes):
        candidates = [path.parent / f"{include}.toml", default_pack_dir() / f"{include}.toml"]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise DataFileError(
                path,
                f"no file {include}.toml beside the pack or in {default_pack_dir()}",
                f"includes[{i}]",
                include,
            )
        part = load_pack_file(found)
        if part.kind == "factor_pack":
            raise DataFileError(
                found, "an included file may not be a factor pack", "kind", part.kind
            )
        if found.resolve() not in seen:
            seen.add(found.resolve())
            parts.append((found, part))
    return parts


def _merge(
    target: dict[str, Any],
    entries: Mapping[str, Any],
    section: str,
    path: Path,
    origin: dict[str, Path],
) -> None:
    for key, value in entries.items():
        if key in target:
            raise DataFileError(
                path, f"duplicate id, already defined in {origin[key]}", f"{section}.id", key
            )
        target[key] = value
        origin[key] = path


def _build(main: PackFile, parts: list[tuple[Path, PackFile]]) -> FactorPack:
    transport: dict[str, TransportIntensity] = {}
    hubs: dict[str, HubIntensity] = {}
    energy: dict[str, EnergyFactor] = {}
    teu: dict[str, TeuConvention] = {}
    containers: dict[str, ContainerType] = {}
    dafs: list[DistanceAdjustment] = []
    origins: dict[str, dict[str, Path]] = {}
    for path, part in parts:
        sections: tuple[tuple[str, dict[str, Any], Mapping[str, Any]], ...] = (
            ("transport", transport, {e.id: _transport(e) for e in part.transport}),
            ("hub", hubs, {e.id: _hub(e) for e in part.hub}),
            ("energy", energy, {e.id: _energy(e) for e in part.energy}),
            ("tonnes_per_teu", teu, {e.id: _teu(e) for e in part.tonnes_per_teu}),
            ("container_type", containers, {e.id: _container(e) for e in part.container_type}),
        )
        for section, target, entries in sections:
            _merge(target, entries, section, path, origins.setdefault(section, {}))
        dafs.extend(
            DistanceAdjustment(
                d.mode, d.leg_distance_type, d.intensity_distance_type, d.factor, d.provenance()
            )
            for d in part.distance_adjustment
        )
    shares = traction_shares(parts)
    for path, part in parts:
        for i, entry in enumerate(part.transport):
            if entry.derivation is not None and entry.derivation.method == "corridor_mix":
                check_corridor(entry, i, shares, transport, path)
            else:
                _check_derivation(entry, i, energy, path)
    return FactorPack(
        id=main.id,
        title=main.title,
        edition=main.edition,
        licence=main.source.licence,
        transport=dict(sorted(transport.items())),
        hubs=dict(sorted(hubs.items())),
        distance_adjustments=tuple(dafs),
        energy=dict(sorted(energy.items())),
        teu_conventions=teu,
        container_types=containers,
        files=tuple(str(p) for p, _ in parts),
    )


def derived_intensity(energy_per_activity: float, factor_kg_per_unit: float) -> float:
    """A derived intensity [g per activity unit] = energy per activity x factor x 1000 g/kg."""
    return energy_per_activity * factor_kg_per_unit * G_PER_KG


def _check_derivation(
    entry: TransportEntry, index: int, energy: Mapping[str, EnergyFactor], path: Path
) -> None:
    """Check an entry's energy factor exists; recompute a derived intensity from its inputs
    and refuse a stated value that differs."""
    if entry.energy_factor_id is None:
        return
    if entry.energy_factor_id not in energy:
        raise DataFileError(
            path,
            "names no [[energy]] factor of the pack or its includes",
            f"transport[{index}].energy_factor_id",
            entry.energy_factor_id,
        )
    if entry.derivation is None:
        return
    factor = energy[entry.energy_factor_id]
    per_activity = entry.energy_per_activity or 0.0
    for name, stated, kg in (
        ("wtw", entry.wtw, factor.factor_wtw),
        ("ttw", entry.ttw, factor.factor_ttw),
    ):
        if stated is None:
            continue
        expected = derived_intensity(per_activity, kg)
        if abs(stated - expected) > max(_ROUNDING_ABS, _ROUNDING_REL * expected):
            raise DataFileError(
                path,
                f"differs from energy_per_activity x {entry.energy_factor_id} {name} x 1000 "
                f"= {expected:.4g} beyond rounding",
                f"transport[{index}].{name}",
                stated,
            )


def _transport(e: TransportEntry) -> TransportIntensity:
    note = "; ".join(
        x
        for x in (
            e.note,
            f"distance basis ({e.distance_basis_confidence.value}): {e.distance_basis_note}"
            if e.distance_basis_note
            else None,
        )
        if x
    )
    return TransportIntensity(
        id=e.id,
        mode=e.mode,
        vehicle=e.vehicle,
        region=e.region,
        energy_carrier=e.energy_carrier,
        unit=e.unit,
        intensity_wtw=e.wtw,
        intensity_ttw=e.ttw,
        distance_basis=e.distance_basis,
        provenance=Provenance(e.source, e.confidence, note or None),
        load_factor_share=e.load_factor_share,
        empty_running_share=e.empty_running_share,
        empty_running_convention=e.empty_running_convention,
        energy_factor_id=e.energy_factor_id,
        energy_per_activity=e.energy_per_activity,
        derivation=None if e.derivation is None else e.derivation.formula,
    )


def _hub(e: HubEntry) -> HubIntensity:
    return HubIntensity(
        id=e.id,
        category=e.category,
        temperature=e.temperature,
        unit=e.unit,
        intensity_wtw=e.wtw,
        intensity_ttw=e.ttw,
        provenance=e.provenance(),
    )


def _energy(e: EnergyEntry) -> EnergyFactor:
    return EnergyFactor(
        id=e.id,
        carrier=e.carrier,
        region=e.region,
        unit=e.unit,
        factor_wtw=e.wtw,
        factor_ttw=e.ttw,
        scope=e.scope,
        provenance=e.provenance(),
        year=e.year,
    )


def _teu(e: TeuConventionEntry) -> TeuConvention:
    return TeuConvention(e.id, e.tonnes_per_teu, e.provenance())


def _container(e: ContainerTypeEntry) -> ContainerType:
    return ContainerType(e.id, e.teu_per_container, e.provenance())
