"""Optimisation: the LP's cheapest mode split, its binding capacities and targets.

Runs :func:`freighthub.optimize.run.optimize_scenario` (one-week LP period). Solve
times are left out: they differ from run to run and the report is reproducible.
"""

from __future__ import annotations

from freighthub.model.scenario import load_scenario
from freighthub.optimize.problem import PERIOD_NAMES, ModeSplitProblem, ResourceKind
from freighthub.optimize.results import DecisionTerm, ResourceUsage, TargetUsage
from freighthub.optimize.run import ScenarioOptimization, optimize_scenario
from freighthub.report.content import (
    Block,
    Bullets,
    Cell,
    Contribution,
    Heading,
    KeyFigures,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    Table,
    Text,
    listed,
    quantity_or_undefined,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.values import value_of_time, value_of_time_source
from freighthub.vocabulary import Mode

__all__ = ["build_optimisation", "run_optimisation"]


def run_optimisation(inputs: ReportInputs) -> ScenarioOptimization:
    """Solve the spec's mode-split LP.

    Raises
    ------
    DataFileError, UnknownIdentifierError
        For bad scenario, hub, pack or mode-choice files.
    InfeasibleError
        If the targets or caps cannot be met (names the conflicting constraints).
    """
    spec = inputs.spec.optimisation
    assert spec is not None
    return optimize_scenario(
        spec.scenario,
        carbon_price_cny_per_tco2e=spec.carbon_price_cny_per_tco2e,
        road_share_max=spec.road_share_max,
        emission_cap_tco2e_per_week=spec.emission_cap_tco2e_per_week,
        solver=spec.solver,
        value_of_time_cny_per_teu_h=spec.value_of_time_cny_per_teu_h,
        mode_choice=spec.mode_choice,
        hubs_dir=inputs.spec.hubs,
        departures_optimised=spec.optimise_departures,
    )


def build_optimisation(inputs: ReportInputs) -> Contribution | NotRun:
    """The optimisation section, or not run without ``[optimisation]``."""
    spec = inputs.spec.optimisation
    if spec is None:
        return NotRun(Text("not_run.no_optimisation"))
    result = inputs.shared("optimisation", lambda: run_optimisation(inputs))
    plan = result.plan
    services = _services(inputs, result)
    modes = sorted(plan.volume_teu_by_mode, key=str)
    blocks: list[Block] = [
        Paragraph(
            Text(
                "optimisation.intro",
                {
                    "scenario": result.scenario_id,
                    "solver": plan.solver,
                    "period": Quantity(plan.period_h, "h", 0),
                    "carbon": Quantity(plan.carbon_price_cny_per_tco2e, "cny_per_tco2e", 2),
                    "vot": value_of_time(result.value_of_time_cny_per_teu_h),
                },
            )
        ),
        KeyFigures(
            (
                (Text("optimisation.kf.objective"), Quantity(plan.objective_cny, "cny", 0)),
                (Text("optimisation.kf.wtw"), Quantity(plan.emissions_tco2e_wtw, "tco2e", 0)),
                (
                    Text("optimisation.kf.road_share"),
                    Quantity(plan.teu_km_share_by_mode.get(Mode.ROAD, 0.0), "share", 1),
                ),
            )
        ),
        Table(
            "opt-modes",
            Text("optimisation.modes_caption"),
            (
                Text("optimisation.col.mode"),
                Text("optimisation.col.teu"),
                Text("optimisation.col.teu_km_share"),
            ),
            tuple(
                (
                    Cell(Text(f"mode.{m}")),
                    Cell(Quantity(plan.volume_teu_by_mode[m], "teu", 0)),
                    Cell(Quantity(plan.teu_km_share_by_mode.get(m, 0.0), "share", 1)),
                )
                for m in modes
            ),
        ),
        Table(
            "opt-costs",
            Text("optimisation.costs_caption"),
            (Text("optimisation.col.component"), Text("optimisation.col.cost")),
            tuple(
                (Cell(Text(f"optimisation.cost.{name}")), Cell(Quantity(value, "cny", 0)))
                for name, value in _cost_rows(result)
            ),
        ),
        *_departures(result, services),
        Heading("bottlenecks", Text("optimisation.bottlenecks_heading")),
    ]
    binding = [r for r in plan.resources if r.binding]
    kinds = {r.resource: r for r in plan.resources}
    if binding:
        blocks.append(
            Table(
                "opt-bottlenecks",
                Text("optimisation.bottlenecks_caption"),
                tuple(
                    Text(f"optimisation.col.{k}") for k in ("resource", "capacity", "used", "dual")
                ),
                tuple(
                    (
                        Cell(_resource_label(r.kind, r.resource, r.label, services)),
                        Cell(Quantity(r.capacity, _unit_key(r.unit), 0)),
                        Cell(Quantity(r.used, _unit_key(r.unit), 0)),
                        Cell(quantity_or_undefined(r.dual_cny_per_unit, _per_unit(r.unit), 2)),
                    )
                    for r in binding
                ),
            )
        )
    else:
        blocks.append(Paragraph(Text("optimisation.no_binding")))
    if plan.targets:
        blocks.append(
            Table(
                "opt-targets",
                Text("optimisation.targets_caption"),
                tuple(Text(f"optimisation.col.{k}") for k in ("target", "binding", "dual")),
                tuple(
                    (
                        Cell(_target_label(t, result.problem)),
                        Cell(Text("value.yes" if t.binding else "value.no")),
                        Cell(quantity_or_undefined(t.dual_cny_per_unit, "cny", 0)),
                    )
                    for t in plan.targets
                ),
            )
        )
    if plan.decisions:
        blocks.append(Heading("decisions", Text("optimisation.decisions_heading")))
        blocks.append(
            Bullets(tuple(_decision(d, plan.period_h, kinds, services) for d in plan.decisions))
        )
    findings = [
        Text(
            "optimisation.finding",
            {
                "scenario": result.scenario_id,
                "road": Quantity(plan.teu_km_share_by_mode.get(Mode.ROAD, 0.0), "share", 1),
                "wtw": Quantity(plan.emissions_tco2e_wtw, "tco2e", 0),
                "binding": Quantity(len(binding)),
            },
        )
    ]
    if plan.decisions:
        findings.append(_decision(plan.decisions[0], plan.period_h, kinds, services))
    return Contribution(
        section=Section("optimisation", Text("section.optimisation.title"), tuple(blocks)),
        findings=tuple(findings),
        method_notes=(Text("optimisation.method"),),
        recommendation=(
            findings[0],
            *(Text("optimisation.recommend_decision", {"decision": d}) for d in findings[1:]),
        ),
        sources=(
            value_of_time_source(
                result.scenario_id,
                result.value_of_time_cny_per_teu_h,
                result.value_of_time_source,
            ),
        ),
        inputs=(result.scenario_path.resolve(),),
        parameters=(
            ("lp_solver", plan.solver),
            ("carbon_price_cny_per_tco2e", str(plan.carbon_price_cny_per_tco2e)),
            *((("optimise_departures", "true"),) if spec.optimise_departures else ()),
        ),
    )


def _cost_rows(result: ScenarioOptimization) -> tuple[tuple[str, float], ...]:
    """The objective's components; the operators' cost where services declare one:
    inside the objective with optimised departures, beside it with a fixed timetable."""
    plan = result.plan
    parts = (
        ("price", plan.price_cost_cny),
        ("time", plan.time_cost_cny),
        ("carbon", plan.carbon_cost_cny),
    )
    if result.problem.departures_optimised:
        return (
            *parts,
            ("operators_run", plan.operator_cost_cny),
            ("objective", plan.objective_cny),
        )
    operators = (("operators", plan.operator_cost_cny),) if plan.operator_cost_cny else ()
    return (*parts, ("objective", plan.objective_cny), *operators)


def _departures(result: ScenarioOptimization, services: dict[str, _Service]) -> tuple[Block, ...]:
    """With optimised departures: per costed service, departures run of the timetable's and
    the fleet they need."""
    plan, problem = result.plan, result.problem
    if not plan.departures_by_resource:
        return ()
    rows = []
    for rid, n in sorted(plan.departures_by_resource.items()):
        res = problem.resource(rid)
        fleet = plan.fleet_by_resource.get(rid)
        rows.append(
            (
                Cell(_resource_label(res.kind, rid, res.label, services)),
                Cell(Quantity(n)),
                Cell(Quantity(res.steps_offered)),
                Cell(quantity_or_undefined(fleet)),
                Cell(Quantity(res.running_cost_cny(n, problem.period_h), "cny", 0)),
            )
        )
    return (
        Table(
            "opt-departures",
            Text("optimisation.departures_caption"),
            tuple(
                Text(f"optimisation.col.{k}")
                for k in ("service", "departures", "timetable", "fleet", "operator_cost")
            ),
            tuple(rows),
        ),
    )


def _unit_key(unit: str) -> str:
    """The translation-file unit key of an LP resource unit (``TEU`` -> ``teu``)."""
    return unit.lower() if unit.lower() in {"teu", "t", "h", "km", "moves"} else unit


def _per_unit(unit: str) -> str:
    """Unit of a shadow price: CNY per unit of the resource."""
    return {"teu": "cny_per_teu", "moves": "cny_per_move"}.get(unit.lower(), "cny")


_STEP_NAMES = frozenset({"departure", "server"})
_Service = tuple[str, str, str]  # mode, from, to


def _services(inputs: ReportInputs, result: ScenarioOptimization) -> dict[str, _Service]:
    """Mode, origin and destination of each service of the optimised scenario."""
    loaded = load_scenario(result.scenario_path, inputs.spec.hubs)
    return {s.id: (s.mode, s.from_, s.to) for s in loaded.scenario.services}


def _period(period_h: float) -> Param:
    name = PERIOD_NAMES.get(float(period_h))
    return Quantity(period_h, "h", 0) if name is None else Text(f"optimisation.period.{name}")


def _resource_label(
    kind: ResourceKind, resource: str, label: str, services: dict[str, _Service]
) -> Param:
    """A capacity's name composed from its kind and id; the LP's label otherwise."""
    _, _, subject = resource.partition(":")
    if kind is ResourceKind.SERVICE and subject in services:
        mode, origin, destination = services[subject]
        return Text(
            "optimisation.resource.service",
            {
                "mode": Text(f"mode.{mode}"),
                "from": origin,
                "to": destination,
                "service": subject,
            },
        )
    if kind in {ResourceKind.HANDLING, ResourceKind.YARD} and subject:
        return Text(f"optimisation.resource.{kind.value}", {"hub": subject})
    return label


def _modes(modes: tuple[str, ...]) -> Param:
    """Mode names joined with the language's list separator."""
    return listed([Text(f"mode.{mode}") for mode in modes])


def _target_label(t: TargetUsage, problem: ModeSplitProblem) -> Param:
    """A mode-share target or emission cap composed from the LP problem's fields."""
    for target in problem.targets:
        if target.id == t.constraint and target.modes:
            bound = "max" if t.limit == target.max_share else "min"
            return Text(
                f"optimisation.target.share_{bound}",
                {"modes": _modes(target.modes), "limit": Quantity(t.limit, "share", 1)},
            )
    for cap in problem.emission_caps:
        if cap.id == t.constraint:
            return Text(
                "optimisation.target.emission_cap",
                {"limit": Quantity(t.limit, "tco2e", 1), "period": _period(problem.period_h)},
            )
    return t.description


def _decision(
    d: DecisionTerm,
    period_h: float,
    usages: dict[str, ResourceUsage],
    services: dict[str, _Service],
) -> Text:
    """One binding capacity stated as a decision, from the term's amounts."""
    usage = usages.get(d.resource)
    resource = (
        d.label if usage is None else _resource_label(usage.kind, d.resource, d.label, services)
    )
    step_name: Param = (
        Text(f"optimisation.step.{d.step_name}") if d.step_name in _STEP_NAMES else d.step_name
    )
    step = Quantity(d.step, _unit_key(d.unit), 0)
    period = _period(period_h)
    if d.step_name == d.unit:
        what = Text(
            "optimisation.decision.more_capacity",
            {"step": step, "period": period, "resource": resource},
        )
    else:
        what = Text(
            "optimisation.decision.more_steps",
            {"step_name": step_name, "period": period, "resource": resource, "step": step},
        )
    saves = d.saving_cny_per_year >= 0
    cuts = d.emissions_change_tco2e_wtw_per_year <= 0
    key = ("saves" if saves else "costs") + ("_cuts" if cuts else "_adds")
    sentence = Text(
        f"optimisation.decision.{key}",
        {
            "what": what,
            "money": Quantity(abs(d.saving_cny_per_year), "cny", 0),
            "tco2e": Quantity(abs(d.emissions_change_tco2e_wtw_per_year), "tco2e", 1),
        },
    )
    if d.step_cost_cny <= 0 and d.net_saving_cny_per_year == d.saving_cny_per_year:
        return sentence
    net = d.net_saving_cny_per_year
    return Text(
        "optimisation.decision.net_saving" if net >= 0 else "optimisation.decision.net_cost",
        {"sentence": sentence, "net": Quantity(abs(net), "cny", 0), "step_name": step_name},
    )
