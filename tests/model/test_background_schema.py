"""Background flows in a scenario: a valid block loads; every bad input is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.background_schema import MAX_BACKGROUND_TEU_PER_YEAR
from freighthub.model.scenario import load_scenario
from freighthub.model.scenario_schema import MAX_TEU_PER_YEAR

TINY = Path(__file__).resolve().parents[1] / "sim" / "tiny"
TEXT = (TINY / "tiny.toml").read_text(encoding="utf-8")

HUB_FLOW = """
[[background_hub_flows]]
id = "alpha-other"
hub = "alpha"
teu_per_year = { value = 30000000, source = "test", confidence = "assumption" }
box_40ft_share = 0.5
moves_per_call = 1000
"""
SERVICE_FLOW = """
[[background_service_flows]]
id = "rail-other"
service = "rail-ab"
teu_per_year = 2000
box_40ft_share = 0.5
lot_teu = 10
"""


def _load(tmp_path: Path, extra: str) -> object:
    path = tmp_path / "tiny.toml"
    path.write_text(TEXT + extra, encoding="utf-8")
    return load_scenario(path, TINY / "hubs")


def test_background_flows_load_above_the_traced_cap(tmp_path: Path) -> None:
    # Real hubs handle more than one traced OD may carry: 3e7 TEU > MAX_TEU_PER_YEAR.
    assert MAX_TEU_PER_YEAR < 30_000_000 <= MAX_BACKGROUND_TEU_PER_YEAR
    loaded = _load(tmp_path, HUB_FLOW + SERVICE_FLOW)
    s = loaded.scenario  # type: ignore[attr-defined]
    assert s.background_hub_flows[0].teu_per_year.value == 30_000_000
    assert s.background_hub_flows[0].moves_per_year == pytest.approx(20_000_000)
    assert s.background_service_flows[0].lot_teu.value == 10
    paths = [p for p, _ in s.iter_sourced()]
    assert "background_hub_flows[0].teu_per_year" in paths


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        (HUB_FLOW.replace('hub = "alpha"', 'hub = "gamma"'),
         r"background_hub_flows\[0\]\.hub = 'gamma': unknown hub of this scenario; valid: alpha, beta"),
        (SERVICE_FLOW.replace('"rail-ab"', '"ship-x"'),
         r"background_service_flows\[0\]\.service = 'ship-x': unknown service; valid: barge-ab, rail-ab"),
        (HUB_FLOW.replace("value = 30000000", "value = -5"),
         r"background_hub_flows\[0\]\.teu_per_year = -5: must be >= 0"),
        (SERVICE_FLOW.replace("teu_per_year = 2000", "teu_per_year = nan"),
         r"background_service_flows\[0\]\.teu_per_year = nan: .*finite"),
        (HUB_FLOW.replace("value = 30000000", "value = 200000000"),
         r"background_hub_flows\[0\]\.teu_per_year = 200000000: must be <= 100000000: a background size cap"),
        (HUB_FLOW.replace("moves_per_call = 1000", "moves_per_call = 1"),
         r"background_hub_flows\[0\]\.moves_per_call = 1: gives 20000000 jobs a year: must give <= 1000000"),
        (SERVICE_FLOW.replace("lot_teu = 10", "lot_teu = 0"),
         r"background_service_flows\[0\]\.lot_teu = 0: must be > 0"),
        (HUB_FLOW + "seasonality = [1, 1, 1]\n",
         r"background_hub_flows\[0\]\.seasonality = \[1, 1, 1\]: must have at least 12 item"),
        (HUB_FLOW + "seasonality = [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
         r"background_hub_flows\[0\]\.seasonality = .*must have mean 1 \(within 0\.01\), got 1\.08333"),
        (HUB_FLOW + HUB_FLOW.replace('hub = "alpha"', 'hub = "beta"'),
         r"background_hub_flows\[1\]\.id = 'alpha-other': duplicate background flow id"),
        (HUB_FLOW + SERVICE_FLOW.replace('id = "rail-other"', 'id = "alpha-other"'),
         r"background_service_flows\[0\]\.id = 'alpha-other': duplicate background flow id"),
        (SERVICE_FLOW + SERVICE_FLOW.replace('id = "rail-other"', 'id = "rail-more"'),
         r"background_service_flows\[1\]\.service = 'rail-ab': a service takes one background flow"),
        (HUB_FLOW + "cranes_per_call = 1001\n",
         r"background_hub_flows\[0\]\.cranes_per_call = 1001: must be <= moves_per_call = 1000"),
        (HUB_FLOW.replace("value = 30000000", "value = 3000000") + "cranes_per_call = 800\n",
         r"background_hub_flows\[0\]\.moves_per_call = 1000: gives 1600000 jobs a year"),
        (HUB_FLOW.replace("box_40ft_share = 0.5", "box_40ft_share = 1.5"),
         r"background_hub_flows\[0\]\.box_40ft_share = 1\.5: must be <= 1"),
        # background trucks (#16/#19): the tiny scenario has no gate or yard pool
        (HUB_FLOW + "road_share = 0.1\n",
         r"background_hub_flows\[0\]\.road_share = 0\.1: hub 'alpha' has no gate or yard pool"),
        (HUB_FLOW + "road_share = -0.1\n",
         r"background_hub_flows\[0\]\.road_share = -0\.1: must be >= 0"),
        (HUB_FLOW + "trucks_per_job = 4\n",
         r"background_hub_flows\[0\]\.trucks_per_job = 4: needs road_share"),
        (HUB_FLOW + "road_share = 0.5\ntrucks_per_job = 0\n",
         r"background_hub_flows\[0\]\.trucks_per_job = 0: must be > 0"),
        (HUB_FLOW + "road_share = 0.9\n",
         r"background_hub_flows\[0\]\.road_share = 0\.9: gives 18000000 jobs a year: must give"
         r" <= 5000000"),
    ],
)  # fmt: skip
def test_bad_background_is_one_line(tmp_path: Path, extra: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match) as info:
        _load(tmp_path, extra)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(tmp_path / "tiny.toml"))
