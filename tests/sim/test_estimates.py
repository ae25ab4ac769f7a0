"""Typed estimates over replications: shape, units, reading by attribute, JSON derived."""

from __future__ import annotations

import dataclasses
import json
import math
import typing
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim.compiler import compile_network
from freighthub.sim.estimates import (
    Estimate,
    ExperimentResult,
    HubEstimate,
    RouteEstimate,
    ServiceEstimate,
    SummaryEstimate,
    combine,
    estimate,
    estimates_by_path,
    figure_unit,
)
from freighthub.sim.experiment import run_network
from freighthub.sim.figures import (
    HubFigures,
    RouteFigures,
    ServiceFigures,
    SummaryFigures,
    field_unit,
    inner_figures,
)
from freighthub.sim.output import headline, write_outputs
from freighthub.sim.summary import HubSummary, RouteSummary, ServiceSummary, Summary, flatten

TINY = Path(__file__).resolve().parent / "tiny"
PACK = load_factor_pack("glec-v3-2023")


@pytest.fixture(scope="module")
def result() -> ExperimentResult:
    network = compile_network(load_scenario(TINY / "tiny.toml", TINY / "hubs"))
    return run_network(network, PACK, seed=5, replications=3, keep_runs=True)


@pytest.mark.parametrize(
    ("summary", "estimates"),
    [
        (HubSummary, HubEstimate),
        (ServiceSummary, ServiceEstimate),
        (RouteSummary, RouteEstimate),
    ],
)
def test_summary_and_estimate_are_one_figures_class(summary: Any, estimates: Any) -> None:
    # One declaration of each figures group: a renamed field renames it in both
    # (and breaks every reader in mypy), never a report at run time.
    assert typing.get_origin(summary) is typing.get_origin(estimates)
    assert typing.get_args(summary) == (float,) and typing.get_args(estimates) == (Estimate,)


@pytest.mark.parametrize(
    "figures", [SummaryFigures, HubFigures, ServiceFigures, RouteFigures], ids=lambda c: c.__name__
)
def test_every_figure_has_a_unit(figures: type) -> None:
    for f in dataclasses.fields(figures):
        if inner_figures(figures, f.name) is None and f.name != "emissions_ttw_complete":
            assert field_unit(f), f.name


def test_summary_and_estimate_roots_hold_the_same_figures() -> None:
    names = [f.name for f in dataclasses.fields(SummaryFigures)]
    assert [f.name for f in dataclasses.fields(Summary)] == names
    assert [f.name for f in dataclasses.fields(SummaryEstimate)] == names


def test_combine_reads_by_attribute(result: ExperimentResult) -> None:
    est = result.estimates
    assert isinstance(est, SummaryEstimate)
    teu = [s.throughput_teu for s in result.summaries]
    assert est.throughput_teu.mean == pytest.approx(float(np.mean(teu)))
    assert est.throughput_teu.n == 3
    assert est.throughput_teu.unit == "teu"
    assert est.throughput_teu.ci95_low <= est.throughput_teu.mean <= est.throughput_teu.ci95_high
    hub_id = next(iter(result.summaries[0].hubs))
    util = [s.hubs[hub_id].utilisation for s in result.summaries]
    assert est.hubs[hub_id].utilisation.mean == pytest.approx(float(np.mean(util)))
    assert est.hubs[hub_id].utilisation.unit == "share"
    assert est.hubs[hub_id].moves.unit == "count"
    for sid, s in est.services.items():
        assert s.utilisation.unit == "share"
        assert s.teu.mean == pytest.approx(np.mean([x.services[sid].teu for x in result.summaries]))
    shares = est.modal_split_teu_share
    assert math.fsum(e.mean for e in shares.values()) == pytest.approx(1.0)
    assert est.emissions_ttw_complete == all(s.emissions_ttw_complete for s in result.summaries)


def test_tree_holds_every_flat_figure(result: ExperimentResult) -> None:
    # The typed tree carries the same figures as the flat dotted view it replaced.
    flat = [flatten(s) for s in result.summaries]
    by_path = estimates_by_path(result.estimates)
    assert list(by_path) == list(flat[0])
    for path, e in by_path.items():
        expected = estimate([f[path] for f in flat])
        np.testing.assert_equal(
            (e.mean, e.ci95_low, e.ci95_high, e.n),
            (expected.mean, expected.ci95_low, expected.ci95_high, expected.n),
        )
        assert e.unit == figure_unit(path)


def test_key_missing_in_a_later_replication_counts_as_no_value(
    result: ExperimentResult,
) -> None:
    first = result.summaries[0]
    legs = dict(first.emissions_kgco2e_wtw_by_leg)
    leg = next(iter(legs))
    second = dataclasses.replace(
        first, emissions_kgco2e_wtw_by_leg={k: v for k, v in legs.items() if k != leg}
    )
    est = combine([first, second])
    assert est.emissions_kgco2e_wtw_by_leg[leg] == estimate([legs[leg]], "kgco2e")
    assert est.emissions_kgco2e_wtw_by_leg[leg].n == 1
    assert est.throughput_teu.n == 2


def test_combine_needs_a_replication() -> None:
    with pytest.raises(ValueError, match="summaries is empty: need at least one replication"):
        combine([])


@pytest.mark.parametrize(
    ("path", "unit"),
    [
        ("throughput_teu", "teu"),
        ("modal_split_teu_share.rail", "share"),
        ("hubs.alpha.utilisation", "share"),
        ("hubs.alpha.mean_wait_h", "h"),
        ("services.s1.capacity_teu", "teu"),
        ("emissions_kgco2e_wtw_by_leg.road:x", "kgco2e"),
        ("hubs.alpha.no_such_figure", ""),
        ("no_such_figure", ""),
        ("emissions_ttw_complete", ""),
    ],
)
def test_figure_unit(path: str, unit: str) -> None:
    assert figure_unit(path) == unit


def _estimate_of(est: SummaryEstimate, name: str) -> Estimate:
    value = getattr(est, name)
    assert isinstance(value, Estimate), name
    return value


def test_cli_json_is_derived_from_the_tree(result: ExperimentResult) -> None:
    est = result.estimates
    doc = headline(result)
    figure_names = {f.name for f in dataclasses.fields(SummaryEstimate)}
    ci_keys = [k for k in doc if k.endswith("_ci95") and k[: -len("_ci95")] in figure_names]
    assert len(ci_keys) >= 10
    for key in ci_keys:
        name = key[: -len("_ci95")]
        if isinstance(doc[name], dict):  # a by-mode group
            for mode, value in doc[name].items():
                assert value == pytest.approx(getattr(est, name)[mode].mean)
            continue
        e = _estimate_of(est, name)
        assert doc[name] == pytest.approx(e.mean)
        assert doc[key] == pytest.approx([e.ci95_low, e.ci95_high])
    assert doc["door_to_door_h"]["p95"] == pytest.approx(est.door_to_door_p95_h.mean)
    hub_fields = {f.name for f in dataclasses.fields(HubFigures)}
    assert list(doc["hubs"]) == list(est.hubs)
    for hub_id, figures in doc["hubs"].items():
        for key, value in figures.items():
            name = key.removesuffix("_ci95")
            assert name in hub_fields
            if key == name:
                assert value == pytest.approx(getattr(est.hubs[hub_id], name).mean)
    service_fields = {f.name for f in dataclasses.fields(ServiceFigures)}
    assert list(doc["services"]) == list(est.services)
    for figures in doc["services"].values():
        assert {k.removesuffix("_ci95") for k in figures} <= service_fields


def test_summary_json_lists_every_estimate_leaf(result: ExperimentResult, tmp_path: Path) -> None:
    write_outputs(result, tmp_path / "out")
    doc = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    leaves = estimates_by_path(result.estimates)
    assert list(doc["estimates"]) == list(leaves)
    for path, e in leaves.items():
        written = doc["estimates"][path]
        assert set(written) == {"mean", "ci95_low", "ci95_high", "n"}
        assert written["n"] == e.n
        if math.isfinite(e.mean):
            assert written["mean"] == pytest.approx(e.mean)


def test_figures_read_by_name_are_figures_of_the_tree() -> None:
    # Compare's paired figures and sweep rows stay flat (built from `flatten` rows);
    # the names their readers use must still be figures, so a renamed Summary field
    # fails here and not at report time.
    from freighthub.report.sections.scenarios import _metrics
    from freighthub.sim.estimates import PER_TEU
    from freighthub.sweep.summary import HEADLINE

    names = (
        [m[0] for m in _metrics()] + list(HEADLINE) + [n for pair in PER_TEU.values() for n in pair]
    )
    for name in names:
        if name in PER_TEU:
            continue
        assert figure_unit(name), name
