"""Scenario comparison: each variant against its base, paired with common random numbers.

Runs :func:`freighthub.shift.compare.compare_variant` for every variant the spec
lists. Differences are the means of paired replication differences (variant - base)
with their 95 % t-intervals; an interval that excludes zero is marked significant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from freighthub.report.content import (
    BarChart,
    Block,
    Bullets,
    Cell,
    Contribution,
    Heading,
    NotRun,
    Paragraph,
    Param,
    Quantity,
    Section,
    Table,
    Text,
    estimate_cell,
    estimate_mean,
    has_interval,
)
from freighthub.report.inputs import ReportInputs
from freighthub.report.sections.mode_choice import mode_choice_blocks
from freighthub.shift.compare import (
    BaseRuns,
    Comparison,
    Figure,
    MetricDelta,
    Resource,
    compare_variant,
)
from freighthub.sim.run_estimate import RUN_FIGURES, teu_share
from freighthub.units import KG_PER_T
from freighthub.vocabulary import mode_ids

__all__ = ["build_scenarios", "run_comparisons"]

#: One compared figure: its label (``scenarios.figure.<path>``, the figure's dotted path),
#: how to read it, unit, decimals and scale (shown value = value / scale).
_Metric = tuple[str, Figure, str, int, float]


def _metrics() -> tuple[_Metric, ...]:
    """The compared figures; one modal-split row per registered mode (shown if present)."""
    split = tuple((f"modal_split_teu_share.{m}", teu_share(m), "share", 1, 1.0) for m in mode_ids())
    shown = (
        ("throughput_teu", "teu", 0, 1.0),
        ("door_to_door_mean_h", "h", 1, 1.0),
        ("door_to_door_p95_h", "h", 1, 1.0),
        ("emissions_kgco2e_wtw_per_teu", "kgco2e_per_teu", 1, 1.0),
        ("emissions_kgco2e_wtw", "tco2e", 0, KG_PER_T),
        ("cost_cny_per_teu", "cny_per_teu", 0, 1.0),
        ("left_behind_boxes", "boxes", 0, 1.0),
    )
    rows = tuple((name, RUN_FIGURES[name], unit, dec, scale) for name, unit, dec, scale in shown)
    return (*rows[:3], *split, *rows[3:])  # the modal split after the door-to-door times


def _headline(c: Comparison) -> MetricDelta:
    """The figure of the chart and the findings: WTW emissions per TEU."""
    return MetricDelta(
        base=c.base.emissions_kgco2e_wtw_per_teu,
        variant=c.variant.emissions_kgco2e_wtw_per_teu,
        delta=c.delta.emissions_kgco2e_wtw_per_teu,
    )


@dataclass(frozen=True)
class _Run:
    path: Path
    comparison: Comparison


def run_comparisons(inputs: ReportInputs) -> tuple[_Run, ...]:
    """Compare every variant of the spec with its base.

    Raises
    ------
    DataFileError, UnknownIdentifierError
        For an invalid variant chain, scenario, hub or factor pack.
    """
    spec = inputs.spec.scenarios
    assert spec is not None
    base_runs: BaseRuns = {}  # variants of one base share its runs
    return tuple(
        _Run(
            path,
            compare_variant(
                path,
                replications=spec.replications,
                seed=spec.seed,
                hubs_dir=inputs.spec.hubs,
                base_runs=base_runs,
                workers=inputs.workers,
            ),
        )
        for path in spec.variants
    )


def _delta_unit(unit: str) -> str:
    return "share_pp" if unit == "share" else unit


def _significant(m: MetricDelta) -> Text:
    d = m.delta
    if not has_interval(d):
        return Text("value.undefined")
    if d.ci95_low > 0 or d.ci95_high < 0:
        return Text("scenarios.significant")
    return Text("scenarios.not_significant")


def _resource(r: Resource | None) -> Param:
    if r is None:
        return Text("value.undefined")
    return Text(
        f"scenarios.bottleneck_{r.kind}",
        {"id": r.id, "utilisation": Quantity(r.utilisation, "share", 1)},
    )


def build_scenarios(inputs: ReportInputs) -> Contribution | NotRun:
    """The scenario comparison section, or not run without ``[scenarios]``."""
    spec = inputs.spec.scenarios
    if spec is None:
        return NotRun(Text("not_run.no_scenarios"))
    runs = inputs.shared("scenarios", lambda: run_comparisons(inputs))
    first = runs[0].comparison
    blocks: list[Block] = [
        Paragraph(
            Text(
                "scenarios.intro",
                {
                    "n": Quantity(len(runs)),
                    "replications": Quantity(first.replications),
                    "seed": str(first.seed),
                    "pack": first.pack_id,
                },
            )
        )
    ]
    if runs:
        deltas = [_headline(r.comparison).delta for r in runs]
        finite = all(has_interval(d) for d in deltas)
        blocks.append(
            BarChart(
                "scenario-wtw-per-teu",
                Text("scenarios.chart_caption"),
                tuple(r.comparison.variant_id for r in runs),
                tuple(Quantity(d.mean, "kgco2e_per_teu", 1, signed=True) for d in deltas),
                tuple(Quantity(d.ci95_low, "kgco2e_per_teu", 1, signed=True) for d in deltas)
                if finite
                else None,
                tuple(Quantity(d.ci95_high, "kgco2e_per_teu", 1, signed=True) for d in deltas)
                if finite
                else None,
            )
        )
    findings: list[Text] = []
    for run in runs:
        c = run.comparison
        blocks.append(
            Heading(
                f"variant-{c.variant_id}",
                Text("scenarios.variant_heading", {"variant": c.variant_id, "base": c.base_id}),
            )
        )
        if c.mode_choice is not None:
            blocks.extend(mode_choice_blocks(c.variant_id, c.mode_choice))
        if c.changes:
            blocks.append(
                Bullets(tuple(Text("methodology.library_note", {"note": ch}) for ch in c.changes))
            )
        rows = []
        for key, figure, unit, decimals, scale in _metrics():
            m = c.paired(figure)
            if m is None:
                continue
            rows.append(
                (
                    Cell(Text(f"scenarios.figure.{key}")),
                    Cell(estimate_mean(m.base, unit, decimals, scale)),
                    Cell(estimate_mean(m.variant, unit, decimals, scale)),
                    estimate_cell(m.delta, _delta_unit(unit), decimals, scale, signed=True),
                    Cell(_significant(m)),
                )
            )
        blocks.append(
            Table(
                f"comparison-{c.variant_id}",
                Text("scenarios.table_caption", {"variant": c.variant_id, "base": c.base_id}),
                tuple(
                    Text(f"scenarios.col.{k}")
                    for k in ("figure", "base", "variant", "difference", "significance")
                ),
                tuple(rows),
            )
        )
        blocks.append(
            Bullets(
                (
                    Text("scenarios.bottleneck_base", {"resource": _resource(c.bottleneck_base)}),
                    Text(
                        "scenarios.bottleneck_variant",
                        {"resource": _resource(c.bottleneck_variant)},
                    ),
                    *(
                        Text(
                            "scenarios.not_carried",
                            {
                                "service": s.service,
                                "routed": Quantity(s.routed_teu, "teu", 0),
                                "capacity": Quantity(s.capacity_teu, "teu", 0),
                            },
                        )
                        for s in c.not_carried
                    ),
                )
            )
        )
        m = _headline(c)
        findings.append(
            Text(
                "scenarios.finding",
                {
                    "variant": c.variant_id,
                    "delta": Quantity(m.delta.mean, "kgco2e_per_teu", 1, signed=True),
                    "significance": _significant(m),
                },
            )
        )
        for s in c.not_carried:
            findings.append(
                Text(
                    "scenarios.finding_not_carried", {"variant": c.variant_id, "service": s.service}
                )
            )
    files = sorted(
        {
            Path(p).resolve()
            for r in runs
            for p in r.comparison.manifest.inputs_sha256
            if Path(p).is_file()
        }
    )
    return Contribution(
        section=Section("scenarios", Text("section.scenarios.title"), tuple(blocks)),
        findings=tuple(findings),
        method_notes=(Text("scenarios.method"),),
        recommendation=(
            Text("scenarios.bottleneck_base", {"resource": _resource(first.bottleneck_base)}),
        ),
        inputs=tuple(files),
        parameters=(
            ("comparison_seed", first.seed),
            ("comparison_replications", first.replications),
        ),
    )
