"""The one emissions formula: leg and hub-visit emissions, vectorised (ISO 14083 / GLEC v3.0).

:func:`leg_emissions_kg` and :func:`hub_emissions_kg` take the shipment (mass, TEU,
boxes) and use the quantity their intensity is given in; the activity-unit choice
lives only here. Split from :mod:`freighthub.emissions.chain` (chain elements and
totals, which calls them); import them from here or from :mod:`freighthub.emissions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from freighthub.emissions.intensity import (
    EmissionsInputError,
    FactorPack,
    HubIntensity,
    HubIntensityUnit,
    TransportIntensity,
    TransportIntensityUnit,
    _positive,
    hub_intensity,
    transport_intensity,
)
from freighthub.emissions.intensity import (
    distance_adjustment_factor as _daf,
)
from freighthub.units import G_PER_KG
from freighthub.vocabulary import DistanceType, mode_facts

FloatArray = npt.NDArray[np.float64]
ArrayInput = npt.NDArray[Any] | Sequence[float]


# --- the vectorised formula -------------------------------------------------------------


def _array(name: str, value: Any) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(arr) | (arr < 0)
    if np.any(bad):
        first = arr[bad].flat[0] if arr.ndim else arr.item()
        raise EmissionsInputError(f"{name} = {first}: must be a finite number >= 0")
    return arr


def _none_given(names_values: dict[str, Any], what: str) -> None:
    if all(v is None for v in names_values.values()):
        raise EmissionsInputError(f"{what}: give {' or '.join(names_values)}")


def _transport_activity_units(
    intensity: TransportIntensity,
    mass_t: Any,
    teu: Any,
    tonnes_per_teu: float | None,
) -> FloatArray:
    """The leg's activity in the intensity's unit: tonnes (per tkm) or TEU (per TEU-km).

    The quantity the intensity is in is used as given; the other one is converted
    only with an explicit ``tonnes_per_teu``, never by assumption.
    """
    _none_given({"mass_t": mass_t, "teu": teu}, f"leg with intensity {intensity.id!r}")
    wants_teu = intensity.unit is TransportIntensityUnit.GCO2E_PER_TEUKM
    needed, other = ("teu", "mass_t") if wants_teu else ("mass_t", "teu")
    given = {"mass_t": mass_t, "teu": teu}
    if given[needed] is not None:
        return _array(needed, given[needed])
    if tonnes_per_teu is None:
        raise EmissionsInputError(
            f"intensity {intensity.id!r} is {intensity.unit.value} but the leg gives "
            f"{other}, not {needed}: give {needed}, or give tonnes_per_teu (a convention "
            "of the pack's conversions) to convert"
        )
    tpt = _positive("tonnes_per_teu", tonnes_per_teu)
    amount = _array(other, given[other])
    return amount / tpt if wants_teu else amount * tpt


_HUB_QUANTITY = {
    HubIntensityUnit.KGCO2E_PER_T: "mass_t",
    HubIntensityUnit.KGCO2E_PER_TEU: "teu",
    HubIntensityUnit.KGCO2E_PER_CONTAINER: "boxes",
}
_HUB_ACTIVITY_UNIT = {"mass_t": "t", "teu": "TEU", "boxes": "boxes"}


def _hub_activity(
    intensity: HubIntensity,
    mass_t: Any,
    teu: Any,
    boxes: Any,
    tonnes_per_teu: float | None,
) -> tuple[str, FloatArray]:
    """The hub activity: (name of the quantity used, amount in the intensity's unit).

    Tonnes and TEU convert into each other only with an explicit ``tonnes_per_teu``;
    boxes never convert (the 20'/40' mix is not known here).
    """
    given = {"mass_t": mass_t, "teu": teu, "boxes": boxes}
    what = f"hub operation {intensity.id!r}"
    _none_given(given, what)
    needed = _HUB_QUANTITY[intensity.unit]
    if given[needed] is not None:
        return needed, _array(needed, given[needed])
    unit = intensity.unit.value
    other = {"mass_t": "teu", "teu": "mass_t"}.get(needed)
    if other is None or given[other] is None:
        names = " or ".join(k for k, v in given.items() if v is not None)
        raise EmissionsInputError(
            f"hub intensity {intensity.id!r} is {unit}: give {needed}, not {names}"
        )
    if tonnes_per_teu is None:
        raise EmissionsInputError(
            f"hub intensity {intensity.id!r} is {unit} but {other} is given, not {needed}: "
            f"give {needed}, or give tonnes_per_teu to convert"
        )
    tpt = _positive("tonnes_per_teu", tonnes_per_teu)
    amount = _array(other, given[other])
    return other, amount * tpt if needed == "mass_t" else amount / tpt


def _result(arr: FloatArray, scalar: bool) -> Any:
    return float(arr) if scalar else arr


@overload
def leg_emissions_kg(  # type: ignore[overload-overlap]
    pack: FactorPack,
    intensity_id: str,
    mass_t: float | None,
    distance_km: float,
    distance_type: DistanceType | str | None = ...,
    *,
    teu: float | None = ...,
    tonnes_per_teu: float | None = ...,
    distance_adjustment_factor: float | None = ...,
) -> tuple[float, float]: ...


@overload
def leg_emissions_kg(
    pack: FactorPack,
    intensity_id: str,
    mass_t: ArrayInput | float | None,
    distance_km: ArrayInput | float,
    distance_type: DistanceType | str | None = ...,
    *,
    teu: ArrayInput | float | None = ...,
    tonnes_per_teu: float | None = ...,
    distance_adjustment_factor: float | None = ...,
) -> tuple[FloatArray, FloatArray]: ...


def leg_emissions_kg(
    pack: FactorPack,
    intensity_id: str,
    mass_t: Any,
    distance_km: Any,
    distance_type: DistanceType | str | None = None,
    *,
    teu: Any = None,
    tonnes_per_teu: float | None = None,
    distance_adjustment_factor: float | None = None,
) -> tuple[Any, Any]:
    """Emissions of legs with one intensity, vectorised over mass and distance.

    emissions [kg] = activity x distance_km x DAF x intensity / 1000, where activity is
    tonnes for a gCO2e/tkm intensity and TEU for a gCO2e/TEU-km intensity. The caller
    gives the shipment (``mass_t``, ``teu`` or both); the formula takes the quantity its
    intensity is in and converts the other only with an explicit ``tonnes_per_teu``.

    Parameters
    ----------
    pack
        The factor pack.
    intensity_id
        Transport intensity id in the pack (see :func:`~freighthub.emissions.intensity_ids`).
    mass_t
        Freight mass [t] (scalar or array), or ``None``. Never kg.
    distance_km
        Leg distance [km] (scalar or array, broadcast against the mass).
    distance_type
        Type of ``distance_km``: ``shortest_feasible`` (what a network model gives),
        ``great_circle`` or ``actual``; ``None`` (default) for the intensity's mode's
        :attr:`~freighthub.vocabulary.ModeFacts.default_distance_type`. A DAF is
        applied only if it differs from the intensity's basis.
    teu
        Containers carried [TEU] (a 40' box is 2 TEU), or ``None``; at least one of
        ``mass_t`` and ``teu``, broadcast like ``mass_t``.
    tonnes_per_teu
        Convention [t/TEU] to convert the given quantity into the intensity's unit;
        needed only when that quantity is not given, never assumed.
    distance_adjustment_factor
        The user's own DAF [-] where the distance type differs from the basis.

    Returns
    -------
    tuple
        (WTW, TTW) emissions [kgCO2e]: floats for scalar inputs, else arrays of the
        broadcast shape. TTW is NaN where the pack gives no TTW for the intensity.

    Raises
    ------
    UnknownIdentifierError
        If ``intensity_id`` is not in the pack (the message lists the valid ids).
    EmissionsInputError
        For negative or non-finite inputs, neither of ``mass_t`` / ``teu``, the
        intensity's quantity missing without a ``tonnes_per_teu``, or a missing or
        misplaced DAF.

    References
    ----------
    GLEC Framework v3.0 (2023), p.20-22 (TCE emissions, DAF); ISO 14083:2023 §7-§12.
    """
    intensity = transport_intensity(pack, intensity_id)
    if distance_type is None:
        distance_type = mode_facts(intensity.mode).default_distance_type
    daf = _daf(pack, intensity, distance_type, distance_adjustment_factor)
    amount = _transport_activity_units(intensity, mass_t, teu, tonnes_per_teu)
    distance = _array("distance_km", distance_km)
    scalar = amount.ndim == 0 and distance.ndim == 0
    scale = amount * distance * (daf / G_PER_KG)
    wtw = scale * intensity.intensity_wtw
    ttw = (
        np.full_like(wtw, np.nan)
        if intensity.intensity_ttw is None
        else scale * intensity.intensity_ttw
    )
    return _result(wtw, scalar), _result(ttw, scalar)


@overload
def hub_emissions_kg(
    pack: FactorPack,
    hub_category_id: str,
    mass_t: float | None = ...,
    *,
    teu: float | None = ...,
    boxes: float | None = ...,
    tonnes_per_teu: float | None = ...,
) -> tuple[float, float]: ...


@overload
def hub_emissions_kg(
    pack: FactorPack,
    hub_category_id: str,
    mass_t: ArrayInput | float | None = ...,
    *,
    teu: ArrayInput | float | None = ...,
    boxes: ArrayInput | float | None = ...,
    tonnes_per_teu: float | None = ...,
) -> tuple[FloatArray, FloatArray]: ...


def hub_emissions_kg(
    pack: FactorPack,
    hub_category_id: str,
    mass_t: Any = None,
    *,
    teu: Any = None,
    boxes: Any = None,
    tonnes_per_teu: float | None = None,
) -> tuple[Any, Any]:
    """Emissions of hub operations of one category, vectorised over the hub activity.

    emissions [kg] = outbound activity x intensity, the activity in the intensity's
    unit: tonnes, TEU or containers (boxes). The caller gives the shipment (any of
    ``mass_t``, ``teu``, ``boxes``); the formula takes the quantity its intensity is in.

    Parameters
    ----------
    pack
        The factor pack.
    hub_category_id
        Hub intensity id in the pack (see :func:`~freighthub.emissions.hub_category_ids`).
    mass_t
        Outbound freight [t] (scalar or array), or ``None``.
    teu
        Outbound containers [TEU], or ``None``.
    boxes
        Outbound containers [boxes], or ``None``; never converted from TEU.
    tonnes_per_teu
        Convention [t/TEU] to convert between ``mass_t`` and ``teu`` where the
        quantity the intensity is in is not given.

    Returns
    -------
    tuple
        (WTW, TTW) emissions [kgCO2e]; floats for scalar input. TTW is NaN where the
        pack gives only the total (as GLEC3 Table 3 does).

    Raises
    ------
    UnknownIdentifierError
        If ``hub_category_id`` is not in the pack.
    EmissionsInputError
        For negative inputs, no activity, the intensity's quantity missing and not
        convertible, or a missing ``tonnes_per_teu``.

    References
    ----------
    GLEC Framework v3.0 (2023), p.40-41 (hub activity = outbound tonnes), Table 3 p.87.
    """
    intensity = hub_intensity(pack, hub_category_id)
    _, amount = _hub_activity(intensity, mass_t, teu, boxes, tonnes_per_teu)
    scalar = amount.ndim == 0
    wtw = amount * intensity.intensity_wtw
    ttw = (
        np.full_like(wtw, np.nan)
        if intensity.intensity_ttw is None
        else amount * intensity.intensity_ttw
    )
    return _result(wtw, scalar), _result(ttw, scalar)
