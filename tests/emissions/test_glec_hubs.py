"""GLEC v3.0 Table 3 (p.87) hub defaults as stored in the pack (December 2026 fixes)."""

from __future__ import annotations

import pytest

from freighthub.emissions import FactorPack
from freighthub.model.factors import load_factor_pack


@pytest.fixture(scope="module")
def glec() -> FactorPack:
    return load_factor_pack("glec-v3-2023")


def test_terminal_value_is_the_temperature_controlled_column(glec: FactorPack) -> None:
    # 12.6 sits under 'Temperature-controlled' in the PDF's word boxes; GLEC prints no
    # mixed value for maritime container terminals.
    assert "maritime-container-terminal-mixed" not in glec.hubs
    hub = glec.hubs["maritime-container-terminal-temperature-controlled"]
    assert (hub.intensity_wtw, hub.temperature, hub.unit.value) == (
        12.6,
        "temperature_controlled",
        "kgco2e_per_container",
    )
    assert glec.hubs["maritime-container-terminal-ambient"].intensity_wtw == 10.7


@pytest.mark.parametrize(
    ("hub_id", "wtw", "ambient_id", "ambient_wtw"),
    [
        ("warehouse-mixed", 33.0, "warehouse-ambient", 17.5),
        ("liquid-bulk-terminal-mixed", 8.1, "liquid-bulk-terminal-ambient", 3.1),
    ],
)
def test_mixed_hub_values_complete_table_3(
    glec: FactorPack, hub_id: str, wtw: float, ambient_id: str, ambient_wtw: float
) -> None:
    hub = glec.hubs[hub_id]
    assert (hub.intensity_wtw, hub.temperature, hub.unit.value) == (wtw, "mixed", "kgco2e_per_t")
    assert hub.intensity_ttw is None  # GLEC prints totals only
    # mixed (ambient + temperature-controlled) needs more energy than ambient alone
    assert hub.intensity_wtw > glec.hubs[ambient_id].intensity_wtw == ambient_wtw
