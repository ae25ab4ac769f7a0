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
from freighthub.shift.elasticity import (
    ElasticityMarket,
    calibrate_cost_coefficient,
    cost_elasticities,
    group_elasticity,
)
from freighthub.shift.logit import Nest, calibrate_constants, multinomial_logit, nested_logit

__all__ = [
    "ASC_RULES",
    "ChoiceParameters",
    "ChoiceResult",
    "ODChoice",
    "choose_route_shares",
    "out_of_pocket_price_cny_per_teu",
]

#: How a route's constant was chosen, by rule id: words shown by ``compare``.
ASC_RULES = {
    "calibrated": "calibrated to the base share",
    "same-mode": "mean constant of the OD's base routes of the same main mode",
    "same-nest": "mean constant of the OD's base routes of the same nest",
    "zero": "0 (no base route of its mode or nest)",
    "equal-shares": "OD not in the base: equal shares",
}


@dataclass(frozen=True)
class ChoiceParameters:
    """Parameters of the choice as plain numbers (see ``standards/mode-choice/``).

    Attributes
    ----------
    cost_coefficient_per_cny
        β [1/CNY], < 0; ``None`` if ``target_road_price_elasticity`` is given.
    nested
        Nested logit (road nest, intermodal nest) if true, else multinomial.
    intermodal_nest_scale, road_nest_scale
        Nest scales λ in (0, 1].
    target_road_price_elasticity
        If given (< 0; instead of β), β is calibrated on the base so that the road routes'
        volume-weighted own-price elasticity equals it [-].
    elasticity_bounds
        With a target: the literature range ``(low, high)`` every OD's road
        elasticity is kept in where one β can (see
        :func:`freighthub.shift.elasticity.calibrate_cost_coefficient`).
    """

    cost_coefficient_per_cny: float | None
    nested: bool = True
    intermodal_nest_scale: float = 1.0
    road_nest_scale: float = 1.0
    target_road_price_elasticity: float | None = None
    elasticity_bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        beta, t = self.cost_coefficient_per_cny, self.target_road_price_elasticity
        if (beta is None) == (t is None):
            raise ValueError(
                "give exactly one of cost_coefficient_per_cny and target_road_price_elasticity"
            )
        if beta is not None and not beta < 0:
            raise ValueError(f"cost_coefficient_per_cny = {beta}: must be < 0")
        if t is not None and not (math.isfinite(t) and t < 0):
            raise ValueError(f"target_road_price_elasticity = {t}: must be < 0")


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
    asc_rule
        How each route's constant was chosen (a key of :data:`ASC_RULES`).
    price_cny_per_teu
        Out-of-pocket price of each route in the variant (price + toll - subsidy)
        [CNY/TEU].
    price_elasticity
        ``E[i][j]``: elasticity of route ``i``'s share to route ``j``'s price at the
        variant's shares [-] (own on the diagonal).
    road_price_elasticity
        Own-price elasticity of the OD's road routes taken together [-] (NaN if
        the OD has no road route with a share).
    """

    od_id: str
    route_ids: tuple[str, ...]
    base_share: tuple[float, ...]
    asc: tuple[float, ...]
    generalised_cost_cny_per_teu: tuple[float, ...]
    share: tuple[float, ...]
    calibration_residual: float
    asc_rule: tuple[str, ...] = ()
    price_cny_per_teu: tuple[float, ...] = ()
    price_elasticity: tuple[tuple[float, ...], ...] = ()
    road_price_elasticity: float = math.nan


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
    cost_coefficient_per_cny
        β used [1/CNY] (given, or calibrated to the target elasticity).
    road_price_elasticity
        Road own-price elasticity over all ODs, weighted by the road volume of the
        variant [-] (NaN without volumes or road routes).
    """

    shares: dict[str, float]
    ods: tuple[ODChoice, ...]
    calibration_residual: float
    cost_coefficient_per_cny: float = math.nan
    road_price_elasticity: float = math.nan


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


def out_of_pocket_price_cny_per_teu(attrs: RouteAttributes) -> np.ndarray:
    """Price + toll - subsidy of every route [CNY/TEU]: the price of price elasticities."""
    out: np.ndarray = attrs.price_cny_per_teu + attrs.toll_cny_per_teu - attrs.subsidy_cny_per_teu
    return out


def _rows(attrs: RouteAttributes, od_id: str) -> list[int]:
    return [i for i, rid in enumerate(attrs.route_ids) if _od_of(rid) == od_id]


def _target_shares(
    base: RouteAttributes, rows: list[int], shares: Mapping[str, float]
) -> np.ndarray:
    target = np.array([max(shares.get(base.route_ids[i], 0.0), 0.0) for i in rows])
    out: np.ndarray = target / target.sum()
    return out


def calibrated_cost_coefficient(
    base: RouteAttributes,
    base_shares: Mapping[str, float],
    params: ChoiceParameters,
    od_volume_teu: Mapping[str, float] | None = None,
) -> float:
    """β of ``params``, or the β that gives its target road own-price elasticity on the base.

    The markets are the base's ODs at their base shares, the group their road routes,
    the cost the out-of-pocket price, the weights the OD volumes (1 each if not
    given) times the road share.

    Raises
    ------
    ValueError
        If a target is given but no OD has both road and non-road routes in use.
    """
    target = params.target_road_price_elasticity
    if target is None:
        assert params.cost_coefficient_per_cny is not None  # checked by ChoiceParameters
        return params.cost_coefficient_per_cny
    price = out_of_pocket_price_cny_per_teu(base)
    markets = []
    for od_id in dict.fromkeys(_od_of(rid) for rid in base.route_ids):
        rows = _rows(base, od_id)
        share = _target_shares(base, rows, base_shares)
        markets.append(
            ElasticityMarket(
                cost=price[rows],
                share=share,
                group=np.asarray(base.road_only[rows], dtype=bool),
                volume_teu=1.0 if od_volume_teu is None else float(od_volume_teu.get(od_id, 0.0)),
                nests=_nests(base.road_only[rows], params),
            )
        )
    return calibrate_cost_coefficient(target, markets, params.elasticity_bounds)


def choose_route_shares(
    base: RouteAttributes,
    base_shares: Mapping[str, float],
    variant: RouteAttributes,
    params: ChoiceParameters,
    od_volume_teu: Mapping[str, float] | None = None,
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
    od_volume_teu
        Demand per OD id [TEU per period]: weights of the road elasticity over ODs
        (its calibration and the reported mean); ``None`` weights every OD equally.

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
    beta = calibrated_cost_coefficient(base, base_shares, params, od_volume_teu)
    base_index = {rid: i for i, rid in enumerate(base.route_ids)}
    od_ids = list(dict.fromkeys(_od_of(rid) for rid in variant.route_ids))
    variant_price = out_of_pocket_price_cny_per_teu(variant)
    shares: dict[str, float] = {}
    ods: list[ODChoice] = []
    worst = 0.0
    weighted: list[tuple[float, float]] = []
    for od_id in od_ids:
        v_rows = _rows(variant, od_id)
        b_rows = _rows(base, od_id)
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
        target = _target_shares(base, b_rows, base_shares)
        b_road = base.road_only[b_rows]
        b_nests = _nests(b_road, params)
        utility_b = beta * base.generalised_cost_cny_per_teu[b_rows]
        reference = int(np.argmax(target))
        asc_b, residual = calibrate_constants(utility_b, target, b_nests, reference=reference)
        worst = max(worst, residual)
        asc_by_id = {base.route_ids[i]: float(a) for i, a in zip(b_rows, asc_b, strict=True)}
        asc_v = np.empty(len(v_rows))
        rules: list[str] = []
        for j, i in enumerate(v_rows):
            rid = variant.route_ids[i]
            if rid in asc_by_id:
                asc_v[j] = asc_by_id[rid]
                rules.append("calibrated")
                continue
            asc_v[j], rule = _borrowed_asc(base, b_rows, asc_b, variant, i, od_id)
            rules.append(rule)
        v_road = np.asarray(variant.road_only[v_rows], dtype=bool)
        v_nests = _nests(v_road, params)
        p = _probabilities(asc_v + beta * gc_v, v_nests)
        price_v = variant_price[v_rows]
        e = cost_elasticities(beta, price_v, p, v_nests)
        road_e = group_elasticity(e, p, v_road)
        if math.isfinite(road_e):
            volume = 1.0 if od_volume_teu is None else float(od_volume_teu.get(od_id, 0.0))
            weighted.append((volume * float(p[v_road].sum()), road_e))
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
                asc_rule=tuple(rules),
                price_cny_per_teu=tuple(float(x) for x in price_v),
                price_elasticity=tuple(tuple(float(x) for x in row) for row in e),
                road_price_elasticity=road_e,
            )
        )
    total_weight = sum(w for w, _ in weighted)
    mean_road = sum(w * e for w, e in weighted) / total_weight if total_weight > 0 else math.nan
    return ChoiceResult(
        shares=shares,
        ods=tuple(ods),
        calibration_residual=worst,
        cost_coefficient_per_cny=beta,
        road_price_elasticity=mean_road,
    )


def _borrowed_asc(
    base: RouteAttributes,
    b_rows: list[int],
    asc_b: np.ndarray,
    variant: RouteAttributes,
    i: int,
    od_id: str,
) -> tuple[float, str]:
    finite = [(b, float(a)) for b, a in zip(b_rows, asc_b, strict=True) if np.isfinite(a)]
    same_mode = [a for b, a in finite if base.main_mode[b] == variant.main_mode[i]]
    if same_mode:
        return float(np.mean(same_mode)), "same-mode"
    same_nest = [a for b, a in finite if base.road_only[b] == variant.road_only[i]]
    if same_nest:
        return float(np.mean(same_nest)), "same-nest"
    warnings.warn(
        f"route {variant.route_ids[i]!r} of demand {od_id!r} has no base route of its mode "
        "or nest to take a constant from: constant 0 used",
        stacklevel=3,
    )
    return 0.0, "zero"
