"""A new scheduled mode is one row of data: a dummy mode added to the registry runs.

The fixture adds a row to :data:`freighthub.vocabulary.MODE_FACTS` (no code change);
the test scenario's barge service is switched to that mode and simulated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from freighthub.errors import DataFileError
from freighthub.model.factors import load_factor_pack
from freighthub.model.scenario import load_scenario
from freighthub.sim import engine, reference
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.experiment import run_network
from freighthub.sim.flows import flows_geojson, shipped_network_or_none
from freighthub.sim.network import mode_code, mode_codes
from freighthub.sim.summary import summarise
from freighthub.vocabulary import MODE_FACTS, DistanceType, ModeFacts, scheduled_modes

TINY = Path(__file__).parent / "tiny"
DUMMY = "dummy_hover"


@pytest.fixture
def dummy_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    row = ModeFacts(DUMMY, True, True, DistanceType.SHORTEST_FEASIBLE, "#123456", "Dummy")
    monkeypatch.setitem(MODE_FACTS, DUMMY, row)
    yield DUMMY


def _scenario(folder: Path) -> Path:
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    # the barge service and the low-water disruption of its mode
    barge = 'mode = "inland_waterway"'
    assert text.count(barge) == 2
    text = text.replace(barge, f'mode = "{DUMMY}"')
    text = text.replace('vessel_class = "small-barge"', "capacity_teu = 60")
    path = folder / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unregistered_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        DataFileError, match=rf"services\[1\]\.mode = '{DUMMY}': must be one of the scheduled modes"
    ):
        load_scenario(_scenario(tmp_path), TINY / "hubs")


def test_dummy_scheduled_mode_runs_on_its_timetable(dummy_mode: str, tmp_path: Path) -> None:
    assert dummy_mode in scheduled_modes() and mode_codes()[-1] == dummy_mode
    loaded = load_scenario(_scenario(tmp_path), TINY / "hubs")
    network = compile_network(loaded)
    k = network.services.ids.index("barge-ab")
    assert network.services.mode[k] == mode_code(dummy_mode)
    # weekly_departure_h = [20, 92]: two departures a week on the timetable
    dep = network.services.departures_h[k]
    np.testing.assert_array_equal(dep[:4], [20.0, 92.0, 188.0, 260.0])
    # the disruption of the mode (h 600-900, capacity x 0.5) reaches its service
    cap = network.services.capacity_teu[k]
    low = (dep >= 600) & (dep < 900)
    assert low.any() and np.all(cap[low] == 30.0) and np.all(cap[~low] == 60.0)
    arrivals = generate_arrivals(network, 3)
    fast = engine.run(network, arrivals)
    mine = fast.trip_service == k
    np.testing.assert_array_equal(fast.trip_departure_h[mine], dep[: mine.sum()])
    assert fast.trip_teu[mine].sum() > 0  # it carries boxes
    assert np.all(fast.trip_teu[mine] <= fast.trip_capacity_teu[mine])
    slow = reference.run(network, arrivals)
    np.testing.assert_array_equal(fast.trip_teu, slow.trip_teu)
    np.testing.assert_array_equal(fast.route, slow.route)
    # the figures by mode name it
    summary = summarise(network, arrivals, fast, load_factor_pack("glec-v3-2023"))
    assert summary.throughput_teu_by_mode[DUMMY] > 0


def test_flow_map_draws_the_dummy_mode_service(dummy_mode: str, tmp_path: Path) -> None:
    """The flow map looks a service's mode up by its registry id (a data-only mode must
    not fail there); with no path of that mode on the network it is a straight line."""
    network = dataclasses.replace(
        compile_network(load_scenario(_scenario(tmp_path), TINY / "hubs")),
        horizon_h=24 * 14.0,
        warmup_h=0.0,
    )
    result = run_network(network, load_factor_pack("glec-v3-2023"), seed=3, replications=1)
    shipped = shipped_network_or_none()
    assert shipped is not None
    features = flows_geojson(result, shipped)["features"]
    barge = [f for f in features if f["properties"].get("id") == "barge-ab"]
    assert len(barge) == 1
    assert barge[0]["properties"]["geometry_basis"].startswith("straight line")
