"""Route shares from a logit on generalised cost, calibrated to the base split.

Per OD pair the alternatives are its routes. Utility ``V = ASC + β × GC`` with ``β``
the cost coefficient [1/CNY] and ``GC`` the generalised cost of
:func:`freighthub.shift.attributes.route_attributes`. The nested logit puts road-only
routes in a road nest and the other routes (rail, barge, with road pre- and
on-carriage) in an intermodal nest; an OD with routes in one nest only uses the
multinomial logit.

The alternative-specific constants are calibrated per OD with
:func:`freighthub.shift.logit.calibrate_constants` so that the base network, under
the base's levers, reproduces the base route shares exactly (the residual is
reported). A route the variant adds borrows the mean constant of the OD's base
routes of the same main mode (else of the same nest, else 0, with a warning). A base
route with share 0 stays unavailable.

References
----------
Train, K. (2009). *Discrete Choice Methods with Simulation*, 2nd ed., §2.8 and §4.2.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from freighthub.shift.attributes import RouteAttributes
from freighthub.shift.logit import Nest, calibrate_constants, multinomial_logit, nested_logit

__all__ = ["ChoiceParameters", "ChoiceResult", "ODChoice", "choose_route_shares"]


@dataclass(frozen=True)
class ChoiceParameters:
    """Parameters of the choice as plain numbers (see ``standards/mode-choice/``).

    Attributes
    ----------
    cost_coefficient_per_cny
        β [1/CNY], < 0.
    nested
        Nested logit (road nest, intermodal nest) if true, else multinomial.
    intermodal_nest_scale, road_nest_scale
        Nest scales λ in (0, 1].
    """

    cost_coefficient_per_cny: float
    nested: bool = True
    intermodal_nest_scale: float = 1.0
    road_nest_scale: float = 1.0

    def __post_init__(self) -> None:
        if not self.cost_coefficient_per_cny < 0:
            raise ValueError(
                f"cost_coefficient_per_cny = {self.cost_coefficient_per_cny}: must be < 0"
            )


@dataclass(frozen=True)
class ODChoice:
    """The choice of one OD pair.

    Attributes
    ----------
    od_id
        The OD (demand) id.
    route_ids
        The variant's routes of the OD.
    base_share
        Share of each route in the base (NaN for a route the base does not have).
    asc
        Alternative-specific constant of each route [-] (-inf: unavailable).
    generalised_cost_cny_per_teu
        Generalised cost in the variant [CNY/TEU].
    share
        Predicted share in the variant [0-1].
    calibration_residual
        Largest absolute difference between the base shares and the shares the
        calibrated model predicts for the base [-].
    """

    od_id: str
    route_ids: tuple[str, ...]
    base_share: tuple[float, ...]
    asc: tuple[float, ...]
    generalised_cost_cny_per_teu: tuple[float, ...]
    share: tuple[float, ...]
    calibration_residual: float


@dataclass(frozen=True)
class ChoiceResult:
    """Predicted route shares of a variant.

    Attributes
    ----------
    shares
        Share per route id (``"<od id>/<route name>"``) [0-1]; each OD sums to 1.
    ods
        Details per OD pair.
    calibration_residual
        Largest calibration residual over the OD pairs [-].
    """

    shares: dict[str, float]
    ods: tuple[ODChoice, ...]
    calibration_residual: float


def _od_of(route_id: str) -> str:
    return route_id.split("/", 1)[0]


def _nests(road_only: np.ndarray, params: ChoiceParameters) -> list[Nest] | None:
    road = tuple(int(i) for i in np.flatnonzero(road_only))
    inter = tuple(int(i) for i in np.flatnonzero(~road_only))
    if not params.nested or not road or not inter:
        return None
    return [
        Nest("road", road, params.road_nest_scale),
        Nest("intermodal", inter, params.intermodal_nest_scale),
    ]


def _probabilities(utility: np.ndarray, nests: list[Nest] | None) -> np.ndarray:
    return nested_logit(utility, nests) if nests else multinomial_logit(utility)


def choose_route_shares(
    base: RouteAttributes,
    base_shares: Mapping[str, float],
    variant: RouteAttributes,
    params: ChoiceParameters,
) -> ChoiceResult:
    """Calibrate constants on the base, then predict the variant's route shares.

    Parameters
    ----------
    base
        Attributes of the base network's routes (under the base's levers).
    base_shares
        Observed base share per route id [0-1].
    variant
        Attributes of the variant network's routes (under the variant's levers).
    params
        Choice parameters.

    Returns
    -------
    ChoiceResult
        Shares per route of the variant; an OD the base does not have keeps equal
        shares (with a warning).

    Raises
    ------
    ValueError
        If the calibration does not converge.
    """
    beta = params.cost_coefficient_per_cny
    base_index = {rid: i for i, rid in enumerate(base.route_ids)}
    od_ids = list(dict.fromkeys(_od_of(rid) for rid in variant.route_ids))
    shares: dict[str, float] = {}
    ods: list[ODChoice] = []
    worst = 0.0
    for od_id in od_ids:
        v_rows = [i for i, rid in enumerate(variant.route_ids) if _od_of(rid) == od_id]
        b_rows = [i for i, rid in enumerate(base.route_ids) if _od_of(rid) == od_id]
        v_ids = tuple(variant.route_ids[i] for i in v_rows)
        gc_v = variant.generalised_cost_cny_per_teu[v_rows]
        if not b_rows:
            warnings.warn(
                f"demand {od_id!r} is not in the base: its routes get equal shares",
                stacklevel=2,
            )
            for rid in v_ids:
                shares[rid] = 1.0 / len(v_ids)
            continue
        target = np.array([max(base_shares.get(base.route_ids[i], 0.0), 0.0) for i in b_rows])
        target = target / target.sum()
        b_road = base.road_only[b_rows]
        b_nests = _nests(b_road, params)
        utility_b = beta * base.generalised_cost_cny_per_teu[b_rows]
        reference = int(np.argmax(target))
        asc_b, residual = calibrate_constants(utility_b, target, b_nests, reference=reference)
        worst = max(worst, residual)
        asc_by_id = {base.route_ids[i]: float(a) for i, a in zip(b_rows, asc_b, strict=True)}
        asc_v = np.empty(len(v_rows))
        for j, i in enumerate(v_rows):
            rid = variant.route_ids[i]
            if rid in asc_by_id:
                asc_v[j] = asc_by_id[rid]
                continue
            asc_v[j] = _borrowed_asc(base, b_rows, asc_b, variant, i, od_id)
        v_nests = _nests(variant.road_only[v_rows], params)
        p = _probabilities(asc_v + beta * gc_v, v_nests)
        for rid, s in zip(v_ids, p, strict=True):
            shares[rid] = float(s)
        ods.append(
            ODChoice(
                od_id=od_id,
                route_ids=v_ids,
                base_share=tuple(
                    float(base_shares.get(rid, math.nan)) if rid in base_index else math.nan
                    for rid in v_ids
                ),
                asc=tuple(float(a) for a in asc_v),
                generalised_cost_cny_per_teu=tuple(float(g) for g in gc_v),
                share=tuple(float(s) for s in p),
                calibration_residual=residual,
            )
        )
    return ChoiceResult(shares=shares, ods=tuple(ods), calibration_residual=worst)


def _borrowed_asc(
    base: RouteAttributes,
    b_rows: list[int],
    asc_b: np.ndarray,
    variant: RouteAttributes,
    i: int,
    od_id: str,
) -> float:
    finite = [(b, float(a)) for b, a in zip(b_rows, asc_b, strict=True) if np.isfinite(a)]
    same_mode = [a for b, a in finite if base.main_mode[b] == variant.main_mode[i]]
    if same_mode:
        return float(np.mean(same_mode))
    same_nest = [a for b, a in finite if base.road_only[b] == variant.road_only[i]]
    if same_nest:
        return float(np.mean(same_nest))
    warnings.warn(
        f"route {variant.route_ids[i]!r} of demand {od_id!r} has no base route of its mode "
        "or nest to take a constant from: constant 0 used",
        stacklevel=3,
    )
    return 0.0
