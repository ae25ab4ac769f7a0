"""The mode-split LP takes a mode added as data: modes are registry ids, not enum members.

A row added to :data:`freighthub.vocabulary.MODE_FACTS` (no code change) carries the
tiny scenario's barge service; the LP is built and solved, and its figures by mode
name the new mode.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.optimize.from_scenario import problem_from_network
from freighthub.optimize.lp import solve_mode_split
from freighthub.sim.compiler import compile_network
from freighthub.vocabulary import MODE_FACTS, DistanceType, ModeFacts

TINY = Path(__file__).parents[1] / "sim" / "tiny"
HOVER = "hover_barge"


def test_lp_with_a_mode_known_only_as_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    facts = ModeFacts(HOVER, True, True, DistanceType.SHORTEST_FEASIBLE, "#654321", "Hover")
    monkeypatch.setitem(MODE_FACTS, HOVER, facts)
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    text = text.replace('mode = "inland_waterway"', f'mode = "{HOVER}"')
    text = text.replace('vessel_class = "small-barge"', "capacity_teu = 60")
    (tmp_path / "tiny.toml").write_text(text, encoding="utf-8")
    network = compile_network(load_scenario(tmp_path / "tiny.toml", TINY / "hubs"))
    problem = problem_from_network(
        network, load_factor_pack("glec-v3-2023"), value_of_time_cny_per_teu_h=10.0
    )
    hover_routes = [r for r in problem.routes if HOVER in r.distance_km_by_mode]
    assert hover_routes and all(r.distance_km_by_mode[HOVER] > 0 for r in hover_routes)
    plan = solve_mode_split(problem)
    assert set(plan.teu_km_by_mode) <= {*MODE_FACTS}
    assert HOVER in plan.teu_km_by_mode
    assert sum(plan.teu_km_share_by_mode.values()) == pytest.approx(1.0)
