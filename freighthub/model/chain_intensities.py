"""A chain file's own intensities: checked, computed from energy use, added to the pack.

A chain file may define transport intensities (``[[intensity]]``: a WTW value, energy
per tkm or energy per vehicle-km with payload, load factor and empty running) and hub
intensities (``[[hub_intensity]]``: a WTW value or energy per hub activity); the
energy factors come from the factor pack. Part of :mod:`freighthub.model.chain`.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from freighthub.emissions.energy import (
    custom_hub_intensity,
    custom_transport_intensity,
    hub_intensity_from_energy,
    intensity_from_energy_per_tkm,
    vehicle_intensity_from_energy,
    with_intensities,
)
from freighthub.emissions.intensity import (
    EmissionsInputError,
    EmptyRunningConvention,
    EnergyFactor,
    FactorPack,
    HubIntensity,
    Provenance,
    TransportIntensity,
    TransportIntensityUnit,
)
from freighthub.errors import DataFileError
from freighthub.model.chain_schema import ChainFile, HubIntensityEntry, IntensityEntry

__all__ = ["check_hub_intensity_entry", "check_intensity_entry", "with_chain_intensities"]


def with_chain_intensities(chain: ChainFile, pack: FactorPack, path: Path) -> FactorPack:
    """The pack with the chain file's own transport and hub intensities added.

    Raises
    ------
    DataFileError
        For an unknown energy factor or one whose unit does not match, an energy
        calculation that cannot be done, or an intensity id already in the pack.
    """
    custom = [
        _custom_intensity(e, pack, path, f"intensity[{i}]") for i, e in enumerate(chain.intensity)
    ]
    _refuse_pack_ids(path, [t.id for t in custom], pack.transport, pack.id, "intensity")
    hubs = [
        _custom_hub(e, pack, path, f"hub_intensity[{i}]") for i, e in enumerate(chain.hub_intensity)
    ]
    _refuse_pack_ids(path, [h.id for h in hubs], pack.hubs, pack.id, "hub_intensity")
    return with_intensities(pack, custom, hubs)


def check_hub_intensity_entry(e: HubIntensityEntry, path: Path, where: str) -> None:
    """Refuse a hub intensity that gives both or neither of wtw and energy, or mixes their fields."""
    if (e.wtw is None) == (e.energy is None):
        raise DataFileError(path, "give exactly one of wtw or energy", where)
    if e.energy is not None and e.hub_activity is None:
        raise DataFileError(path, "required with energy", f"{where}.hub_activity")
    if e.wtw is not None and e.hub_activity is not None:
        raise DataFileError(
            path, "only used with energy; remove it", f"{where}.hub_activity", e.hub_activity
        )
    if e.energy is not None and e.ttw is not None:
        raise DataFileError(
            path, "ttw is computed from the energy factors; remove it", f"{where}.ttw", e.ttw
        )
    if e.wtw is not None and e.ttw is not None and e.ttw > e.wtw:
        raise DataFileError(path, f"exceeds wtw = {e.wtw:g}", f"{where}.ttw", e.ttw)


_ENERGY_UNITS = {"kgco2e_per_l": "l", "kgco2e_per_kg": "kg", "kgco2e_per_kwh": "kwh"}
_VEHICLE_FIELDS = (
    "energy_per_vkm",
    "payload_capacity_t",
    "load_factor_share",
    "empty_running_share",
    "empty_running_convention",
)


def check_intensity_entry(e: IntensityEntry, path: Path, where: str) -> None:
    """Refuse a transport intensity that does not give exactly one way with its fields."""
    ways = [
        name
        for name, given in (
            ("wtw", e.wtw is not None),
            ("energy_per_tkm", e.energy_per_tkm is not None),
            ("energy_per_vkm", e.energy_per_vkm is not None),
        )
        if given
    ]
    if len(ways) != 1:
        raise DataFileError(
            path,
            "give exactly one of wtw, energy_per_tkm or energy_per_vkm"
            + (f" (got {', '.join(ways)})" if ways else ""),
            where,
        )
    if ways[0] == "wtw":
        if e.ttw is not None and e.wtw is not None and e.ttw > e.wtw:
            raise DataFileError(path, f"exceeds wtw = {e.wtw:g}", f"{where}.ttw", e.ttw)
        return
    if e.ttw is not None:
        raise DataFileError(
            path, "ttw is computed from the energy factor; remove it", f"{where}.ttw", e.ttw
        )
    for name in ("energy_factor", "energy_unit"):
        if getattr(e, name) is None:
            raise DataFileError(path, "required with energy use", f"{where}.{name}")
    if ways[0] == "energy_per_vkm":
        for name in _VEHICLE_FIELDS:
            if getattr(e, name) is None:
                raise DataFileError(path, "required with energy_per_vkm", f"{where}.{name}")


def _custom_intensity(
    e: IntensityEntry, pack: FactorPack, path: Path, where: str
) -> TransportIntensity:
    provenance = Provenance(e.source, e.confidence, e.note)
    if e.wtw is not None:
        return custom_transport_intensity(e.id, e.mode, e.wtw, e.ttw, e.distance_basis, provenance)
    factor = _energy_factor(pack, e.energy_factor or "", e.energy_unit, path, where)
    try:
        if e.energy_per_tkm is not None:
            wtw, ttw = intensity_from_energy_per_tkm(e.energy_per_tkm, factor)
        else:
            wtw, ttw = vehicle_intensity_from_energy(
                e.energy_per_vkm or 0.0,
                factor,
                e.payload_capacity_t or 0.0,
                e.load_factor_share or 0.0,
                e.empty_running_share or 0.0,
                e.empty_running_convention or EmptyRunningConvention.NOT_STATED,
            )
    except EmissionsInputError as exc:
        raise DataFileError(path, str(exc), where) from None
    return custom_transport_intensity(
        e.id,
        e.mode,
        wtw,
        ttw,
        e.distance_basis,
        provenance,
        unit=TransportIntensityUnit.GCO2E_PER_TKM,
        energy_carrier=factor.carrier,
    )


def _energy_factor(
    pack: FactorPack, factor_id: str, unit: str | None, path: Path, where: str
) -> EnergyFactor:
    if factor_id not in pack.energy:
        raise DataFileError(
            path,
            f"not an energy factor of pack {pack.id!r}; valid: {', '.join(sorted(pack.energy))}",
            f"{where}.energy_factor",
            factor_id,
        )
    factor = pack.energy[factor_id]
    if _ENERGY_UNITS.get(factor.unit) != unit:
        raise DataFileError(
            path,
            f"does not match the unit {factor.unit} of energy factor {factor_id!r}",
            f"{where}.energy_unit" if where.startswith("intensity") else f"{where}.unit",
            unit,
        )
    return factor


def _custom_hub(e: HubIntensityEntry, pack: FactorPack, path: Path, where: str) -> HubIntensity:
    provenance = Provenance(e.source, e.confidence, e.note)
    if e.wtw is not None:
        return custom_hub_intensity(
            e.id, e.category, e.unit, e.wtw, e.ttw, provenance, temperature=e.temperature
        )
    used = [
        (
            use.amount,
            _energy_factor(pack, use.energy_factor, use.unit, path, f"{where}.energy[{j}]"),
        )
        for j, use in enumerate(e.energy or ())
    ]
    wtw, ttw = hub_intensity_from_energy(used, e.hub_activity or 0.0)
    return custom_hub_intensity(
        e.id, e.category, e.unit, wtw, ttw, provenance, temperature=e.temperature
    )


def _refuse_pack_ids(
    path: Path, ids: list[str], pack_ids: Collection[str], pack_id: str, table: str
) -> None:
    """Refuse a chain file's own intensity whose id the pack already has."""
    what = {"intensity": "an intensity", "hub_intensity": "a hub intensity"}[table]
    for i, identifier in enumerate(ids):
        if identifier in pack_ids:
            raise DataFileError(
                path,
                f"is already {what} of pack {pack_id!r}; choose another id",
                f"{table}[{i}].id",
                identifier,
            )
