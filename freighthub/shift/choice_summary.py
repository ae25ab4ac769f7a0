"""What a transport economist asks of a mode-choice step: elasticities, constants, sensitivity.

:func:`mode_choice_summary` turns a :class:`~freighthub.shift.resolve.ChoiceStep` into a
:class:`ModeChoiceSummary`: the cost coefficient and how it was chosen, per OD the
routes' prices, shares, constants (and the rule that chose each), own- and
cross-price elasticities (:mod:`freighthub.shift.elasticity`), the road own-price
elasticity against the literature range of the parameter file's
``elasticity_reference``, and the sensitivity of the headline result (the variant's
road share of TEU) to the cost coefficient (x 0.5 and x 2) and to the intermodal nest
scale (1: multinomial logit). The sensitivity uses the attributes without congestion
feedback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from freighthub.emissions import FactorPack
from freighthub.model.elasticity_reference import load_elasticity_reference
from freighthub.shift.attributes import RouteAttributes, route_attributes
from freighthub.shift.choice import (
    ChoiceParameters,
    calibrated_cost_coefficient,
    choose_route_shares,
)
from freighthub.shift.resolve import ChoiceStep, choice_parameters, segment_values_of_time
from freighthub.sim.network import CompiledNetwork

__all__ = ["ModeChoiceSummary", "ODElasticities", "SensitivityCase", "mode_choice_summary"]


@dataclass(frozen=True)
class ODElasticities:
    """The mode choice of one OD in the variant.

    Attributes
    ----------
    od_id, route_ids, main_mode
        The OD and its routes (main mode of each).
    price_cny_per_teu
        Out-of-pocket price (price + toll - subsidy) [CNY/TEU].
    share
        Predicted share [0-1].
    asc, asc_rule
        Constant of each route [-] and the rule that chose it (a key of
        :data:`freighthub.shift.choice.ASC_RULES`).
    own_price_elasticity
        Elasticity of each route's share to its own price [-].
    cross_price_elasticity
        ``[i][j]``: of route ``i``'s share to route ``j``'s price [-] (diagonal: own).
    road_price_elasticity
        Of the road routes together [-] (NaN without a road route in use).
    inside_range
        Road elasticity, rounded to 2 decimals (the precision of the published
        ranges), inside the reference range (None without a reference or road).
    """

    od_id: str
    route_ids: tuple[str, ...]
    main_mode: tuple[str, ...]
    price_cny_per_teu: tuple[float, ...]
    share: tuple[float, ...]
    asc: tuple[float, ...]
    asc_rule: tuple[str, ...]
    own_price_elasticity: tuple[float, ...]
    cross_price_elasticity: tuple[tuple[float, ...], ...]
    road_price_elasticity: float
    inside_range: bool | None

    def cross_text(self, i: int) -> str:
        """Route ``i``'s cross-price elasticities to the other routes, e.g. ``+0.12, +0.03``."""
        n = len(self.route_ids)
        return ", ".join(f"{self.cross_price_elasticity[i][j]:+.2f}" for j in range(n) if j != i)


@dataclass(frozen=True)
class SensitivityCase:
    """The headline result under other mode-choice parameters.

    Attributes
    ----------
    case
        What changed, e.g. ``"cost coefficient x 0.5"``.
    key
        The case's id: ``as-calibrated``, ``beta-half``, ``beta-double``,
        ``multinomial`` (for translations).
    cost_coefficient_per_cny
        β of the case [1/CNY].
    intermodal_nest_scale
        λ of the intermodal nest [-].
    road_share_base, road_share_variant
        Road share of the demand's TEU (routes of road legs only) [0-1].
    """

    case: str
    cost_coefficient_per_cny: float
    intermodal_nest_scale: float
    key: str
    road_share_base: float
    road_share_variant: float


@dataclass(frozen=True)
class ModeChoiceSummary:
    """Elasticities, constants and sensitivity of a variant's mode choice.

    Attributes
    ----------
    parameters_id
        The mode-choice parameter file.
    cost_coefficient_per_cny
        β used [1/CNY].
    cost_coefficient_rule
        How β was chosen: ``"given"``, ``"target"`` (calibrated to the target
        elasticity) or ``"target-bounded"`` (then moved into the range).
    target_road_price_elasticity
        The target (None if β is given) [-].
    unbounded_cost_coefficient_per_cny
        β the target alone gives (NaN if β is given) [1/CNY].
    road_price_elasticity
        Road own-price elasticity over all ODs, weighted by road volume [-].
    reference_id, range_low, range_high
        The literature range checked against (None/NaN without one) [-].
    ods
        Per OD.
    sensitivity
        The headline road share under the parameters and under the sensitivity cases.
    """

    parameters_id: str
    cost_coefficient_per_cny: float
    cost_coefficient_rule: Literal["given", "target", "target-bounded"]
    target_road_price_elasticity: float | None
    unbounded_cost_coefficient_per_cny: float
    road_price_elasticity: float
    reference_id: str | None
    range_low: float
    range_high: float
    ods: tuple[ODElasticities, ...]
    sensitivity: tuple[SensitivityCase, ...]

    def rule_text(self) -> str:
        """How β was chosen, in English words (the CLI's line)."""
        if self.cost_coefficient_rule == "given":
            return "given in the parameter file"
        text = f"calibrated to a road own-price elasticity of {self.target_road_price_elasticity:g}"
        if self.cost_coefficient_rule == "target-bounded":
            text += (
                f" (which gives {self.unbounded_cost_coefficient_per_cny:.3g}/CNY), then moved to "
                f"keep every OD's road elasticity inside [{self.range_low:g}, {self.range_high:g}]"
            )
        return text

    @property
    def all_inside_range(self) -> bool | None:
        """Every OD's road elasticity inside the range (None without a reference)."""
        flags = [od.inside_range for od in self.ods if od.inside_range is not None]
        return None if self.reference_id is None or not flags else all(flags)


def _road_share(
    attrs: RouteAttributes, shares: dict[str, float], volumes: dict[str, float]
) -> float:
    total = sum(volumes.values())
    if total <= 0:
        return math.nan
    road = sum(
        volumes.get(rid.split("/", 1)[0], 0.0) * shares.get(rid, 0.0)
        for rid, is_road in zip(attrs.route_ids, attrs.road_only, strict=True)
        if is_road
    )
    return road / total


def mode_choice_summary(
    step: ChoiceStep, variant_network: CompiledNetwork, pack: FactorPack
) -> ModeChoiceSummary:
    """Summarise a mode-choice step (see the module docstring)."""
    params = step.parameters
    choice = choice_parameters(params)
    vot = params.value_of_time_cny_per_teu_h.value
    vor = params.value_of_reliability_cny_per_teu_h.value
    by_segment = segment_values_of_time(params)
    base_attrs = route_attributes(
        step.base_network, pack, step.base_levers, vot, vor, None, by_segment
    )
    var_attrs = route_attributes(
        variant_network, pack, step.variant_levers, vot, vor, None, by_segment
    )
    base_net = step.base_network
    base_shares = {
        rid: float(s) for rid, s in zip(base_net.routes.ids, base_net.routes.share, strict=True)
    }
    volumes = {
        od: float(v)
        for od, v in zip(base_net.demand.ids, base_net.demand.teu_per_year, strict=True)
    }
    result = step.result
    beta = result.cost_coefficient_per_cny
    rule: Literal["given", "target", "target-bounded"] = "given"
    free = math.nan
    if choice.target_road_price_elasticity is not None:
        free = calibrated_cost_coefficient(
            base_attrs, base_shares, replace(choice, elasticity_bounds=None), volumes
        )
        rule = "target" if math.isclose(free, beta, rel_tol=1e-9) else "target-bounded"
    reference_id = params.elasticity_reference
    low = high = math.nan
    if reference_id is not None:
        ref, _ = load_elasticity_reference(reference_id)
        low, high = ref.range_low.value, ref.range_high.value
    modes = dict(zip(var_attrs.route_ids, var_attrs.main_mode, strict=True))
    ods = tuple(
        ODElasticities(
            od_id=od.od_id,
            route_ids=od.route_ids,
            main_mode=tuple(modes.get(r, "") for r in od.route_ids),
            price_cny_per_teu=od.price_cny_per_teu,
            share=od.share,
            asc=od.asc,
            asc_rule=od.asc_rule,
            own_price_elasticity=tuple(od.price_elasticity[i][i] for i in range(len(od.route_ids))),
            cross_price_elasticity=od.price_elasticity,
            road_price_elasticity=od.road_price_elasticity,
            inside_range=(
                None
                if reference_id is None or not math.isfinite(od.road_price_elasticity)
                else bool(low <= round(od.road_price_elasticity, 2) <= high)
            ),
        )
        for od in result.ods
    )
    cases: list[tuple[str, ChoiceParameters]] = [
        (
            "as calibrated",
            replace(
                choice,
                cost_coefficient_per_cny=beta,
                target_road_price_elasticity=None,
                elasticity_bounds=None,
            ),
        ),
    ]
    for factor in (0.5, 2.0):
        cases.append(
            (
                f"cost coefficient x {factor:g}",
                replace(cases[0][1], cost_coefficient_per_cny=beta * factor),
            )
        )
    if choice.nested and choice.intermodal_nest_scale != 1.0:
        cases.append(
            (
                "intermodal nest scale 1 (multinomial)",
                replace(cases[0][1], intermodal_nest_scale=1.0),
            )
        )
    sensitivity = []
    base_road = _road_share(base_attrs, base_shares, volumes)
    keys = ("as-calibrated", "beta-half", "beta-double", "multinomial")
    for (name, p), key in zip(cases, keys, strict=False):
        shares = choose_route_shares(base_attrs, base_shares, var_attrs, p, volumes).shares
        assert p.cost_coefficient_per_cny is not None
        sensitivity.append(
            SensitivityCase(
                case=name,
                key=key,
                cost_coefficient_per_cny=p.cost_coefficient_per_cny,
                intermodal_nest_scale=p.intermodal_nest_scale,
                road_share_base=base_road,
                road_share_variant=_road_share(var_attrs, shares, volumes),
            )
        )
    return ModeChoiceSummary(
        parameters_id=params.id,
        cost_coefficient_per_cny=beta,
        cost_coefficient_rule=rule,
        target_road_price_elasticity=choice.target_road_price_elasticity,
        unbounded_cost_coefficient_per_cny=free,
        road_price_elasticity=result.road_price_elasticity,
        reference_id=reference_id,
        range_low=low,
        range_high=high,
        ods=ods,
        sensitivity=tuple(sensitivity),
    )
