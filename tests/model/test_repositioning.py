"""Imports against exports, and empty repositioning generated from their imbalance."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.repositioning import empty_repositioning_demand
from freighthub.model.scenario import load_scenario_with_pack
from freighthub.sim.compiler import compile_network
from freighthub.sim.experiment import run_network
from freighthub.units import HOURS_PER_YEAR

DATA = Path(__file__).resolve().parents[1] / "optimize" / "data"

REVERSE_SERVICE = """
[[services]]
id = "rail-ba"
mode = "rail"
from = "beta"
to = "alpha"
departures_per_week = 7
first_departure_h = 20
train_type = "short-train"
cutoff_h = 4
speed_kmh = 40
circuity_factor = 1.3
intensity_id = "rail-electric-container-eu"
cost_cny_per_teu_km = 0.8
"""

REVERSE_DEMAND = """
[[demand]]
id = "beta-alpha"
from = "beta"
to = "alpha"
reverse_of = "{reverse_of}"
teu_per_year = 1000
box_40ft_share = 0
loaded_share = 0.9
cargo_t_per_teu = 12
tare_t_per_teu = 1.9
arrival_process = "deterministic"

[[demand.routes]]
name = "rail"
share = 1
legs = [{{ service = "rail-ba" }}]
"""


def _scenario(tmp_path: Path, rule: str = "balance", reverse_of: str = "alpha-beta") -> Path:
    text = (DATA / "tiny.toml").read_text()
    text = text.replace(
        'emission_pack = "glec-v3-2023"\n',
        f'emission_pack = "glec-v3-2023"\nempty_repositioning = "{rule}"\n',
        1,
    )
    marker = "[[demand]]\n"
    head, tail = text.split(marker, 1)
    text = head + REVERSE_SERVICE + "\n" + marker + tail
    cut = text.index("[[disruptions]]")
    text = text[:cut] + REVERSE_DEMAND.format(reverse_of=reverse_of) + "\n" + text[cut:]
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    if not (tmp_path / "hubs").exists():
        shutil.copytree(DATA / "hubs", tmp_path / "hubs")
    return path


def test_imbalance_generates_empties_that_balance_the_pair(tmp_path: Path) -> None:
    loaded, _ = load_scenario_with_pack(_scenario(tmp_path), tmp_path / "hubs")
    (empty,) = empty_repositioning_demand(loaded.scenario)
    # alpha -> beta carries 3,000 TEU a year, beta -> alpha 1,000: 2,000 return empty.
    assert empty.id == "beta-alpha-empty"
    assert (empty.from_, empty.to) == ("beta", "alpha")
    assert empty.teu_per_year.value == pytest.approx(2000.0)
    assert empty.loaded_share.value == 0.0
    assert [r.name for r in empty.routes] == ["rail"]
    net = compile_network(loaded)
    teu = dict(zip(net.demand.ids, net.demand.teu_per_year, strict=True))
    # Conservation: every box that arrives at beta from alpha goes back.
    assert teu["alpha-beta"] == pytest.approx(teu["beta-alpha"] + teu["beta-alpha-empty"])
    assert net.demand.loaded_share[net.demand.ids.index("beta-alpha-empty")] == 0.0


def test_empties_are_carried_costed_and_emit(tmp_path: Path) -> None:
    balanced, pack = load_scenario_with_pack(_scenario(tmp_path), tmp_path / "hubs")
    none, _ = load_scenario_with_pack(_scenario(tmp_path, "none"), tmp_path / "hubs")
    assert empty_repositioning_demand(none.scenario) == ()
    net_b, net_n = compile_network(balanced), compile_network(none)
    s_b = run_network(net_b, pack, seed=3, replications=1).summaries[0]
    s_n = run_network(net_n, pack, seed=3, replications=1).summaries[0]
    route = s_b.routes["beta-alpha-empty/rail"]
    window_h = net_b.horizon_h - net_b.warmup_h
    # Deterministic arrivals of 20' boxes: the window's share of 2,000 TEU a year,
    # within a box at either end of the window.
    assert route.arrived_teu == pytest.approx(2000.0 * window_h / HOURS_PER_YEAR, abs=2.0)
    assert s_b.arrived_teu == pytest.approx(s_b.delivered_teu + s_b.in_system_teu)
    assert s_b.cost_cny > s_n.cost_cny
    assert s_b.emissions_kgco2e_wtw > s_n.emissions_kgco2e_wtw
    # An empty box emits on its tare only: less per TEU than the loaded reverse flow.
    loaded_route = s_b.routes["beta-alpha/rail"]
    assert 0 < route.emissions_kgco2e_wtw_per_teu < loaded_route.emissions_kgco2e_wtw_per_teu
    assert math.isfinite(route.emissions_kgco2e_wtw_per_teu)


@pytest.mark.parametrize(
    ("reverse_of", "rule"),
    [
        (
            "nowhere",
            r"demand\[2\]\.reverse_of = 'nowhere': unknown demand; valid: alpha-beta, west-east",
        ),
        (
            "beta-alpha",
            r"demand\[2\]\.reverse_of = 'beta-alpha': must name another demand, not itself",
        ),
        (
            "west-east",
            r"demand\[2\]\.reverse_of = 'west-east': must name a demand from 'alpha' to 'beta'",
        ),
    ],
)
def test_bad_reverse_of(tmp_path: Path, reverse_of: str, rule: str) -> None:
    with pytest.raises(DataFileError, match=rule):
        load_scenario_with_pack(_scenario(tmp_path, reverse_of=reverse_of), tmp_path / "hubs")


def test_bad_rule_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"tiny\.toml: empty_repositioning = 'always'"):
        load_scenario_with_pack(_scenario(tmp_path, "always"), tmp_path / "hubs")
