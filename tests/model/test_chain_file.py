"""Chain files: the shipped example, units (kg is not t, 40' = 2 TEU), every error path."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.emissions import EmissionsInputError
from freighthub.errors import DataFileError
from freighthub.model.chain import evaluate_chain_file, example_chain_path, load_chain_file

EXAMPLE = example_chain_path()

HEAD = 'id = "t"\npack = "glec-v3-2023"\n'
RAIL = """
[[element]]
kind = "leg"
id = "rail"
intensity = "rail-electric-container-eu"
distance_km = 100
distance_type = "shortest_feasible"
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "chain.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_example_evaluates() -> None:
    ev = evaluate_chain_file(EXAMPLE)
    e = ev.emissions
    assert ev.pack.id == "glec-v3-2023"
    assert [el.kind for el in e.elements] == ["leg", "hub", "leg", "hub"]
    # 2 x 40' = 4 TEU (GLEC3 Annex Table 4); 2 boxes at the maritime terminal
    assert e.elements[2].teu == pytest.approx(4.0)
    assert e.elements[3].hub_activity == pytest.approx(2.0)
    assert e.total_kgco2e_wtw == pytest.approx(sum(el.kgco2e_wtw for el in e.elements))
    assert e.total_kgco2e_wtw > 0


def test_mass_in_kg_is_divided_by_1000(tmp_path: Path) -> None:
    as_t = evaluate_chain_file(_write(tmp_path, HEAD + "[shipment]\nmass_t = 12\n" + RAIL))
    as_kg = evaluate_chain_file(_write(tmp_path, HEAD + "[shipment]\nmass_kg = 12000\n" + RAIL))
    assert as_kg.emissions.total_kgco2e_wtw == pytest.approx(as_t.emissions.total_kgco2e_wtw)
    # 12 t x 100 km x 6.4 g/tkm = 7.68 kg (GLEC3 Table 5), not 7,680 kg
    assert as_kg.emissions.total_kgco2e_wtw == pytest.approx(7.68)


def test_forty_foot_containers_are_two_teu(tmp_path: Path) -> None:
    text = (
        HEAD
        + '[shipment]\ncontainers = [{ type = "40ft", count = 3 }]\n'
        + RAIL.replace("rail-electric-container-eu", "sea-container-asia-north-europe-dry").replace(
            'kind = "leg"', 'kind = "leg"\nmode = "sea"'
        )
    )
    ev = evaluate_chain_file(_write(tmp_path, text))
    assert ev.emissions.elements[0].teu == pytest.approx(6.0)
    assert ev.emissions.total_kgco2e_wtw == pytest.approx(6 * 100 * 49.9 / 1000)


def test_teu_converted_with_named_convention(tmp_path: Path) -> None:
    text = HEAD + '[shipment]\nteu = 2\ntonnes_per_teu = "average"\n' + RAIL
    ev = evaluate_chain_file(_write(tmp_path, text))
    assert ev.emissions.elements[0].mass_t == pytest.approx(20.0)  # 10 t/TEU, GLEC3 p.21


def test_teu_without_convention_for_tkm_intensity(tmp_path: Path) -> None:
    text = HEAD + "[shipment]\nteu = 2\n" + RAIL
    with pytest.raises(EmissionsInputError, match=r"leg 'rail': .*give tonnes_per_teu"):
        evaluate_chain_file(_write(tmp_path, text))


def test_element_amount_overrides_shipment(tmp_path: Path) -> None:
    text = (
        HEAD
        + "[shipment]\nmass_t = 10\n"
        + RAIL
        + RAIL.replace('id = "rail"', 'id = "r2"\nmass_t = 5')
    )
    ev = evaluate_chain_file(_write(tmp_path, text))
    assert [el.mass_t for el in ev.emissions.elements] == [10.0, 5.0]


def test_energy_based_own_intensity(tmp_path: Path) -> None:
    text = (
        HEAD
        + "[shipment]\nmass_t = 10\n"
        + """
[[intensity]]
id = "rail-cn-own"
mode = "rail"
distance_basis = ["shortest_feasible"]
energy_per_tkm = 0.024
energy_unit = "kwh"
energy_factor = "grid-cn-2023-footprint"
source = "operator's metered traction energy 2025"
confidence = "assumption"
note = "example"
"""
        + RAIL.replace("rail-electric-container-eu", "rail-cn-own")
    )
    ev = evaluate_chain_file(_write(tmp_path, text))
    grid = ev.pack.energy["grid-cn-2023-footprint"].factor_wtw
    assert ev.emissions.total_kgco2e_wtw == pytest.approx(10 * 100 * 0.024 * grid)
    assert ev.emissions.total_kgco2e_ttw == 0.0
    assert ev.custom_intensity_ids == ("rail-cn-own",)


def test_pack_option_overrides_file(tmp_path: Path) -> None:
    p = _write(tmp_path, 'id = "t"\n[shipment]\nmass_t = 1\n' + RAIL)
    with pytest.raises(DataFileError, match=r"pack: no factor pack"):
        evaluate_chain_file(p)
    assert evaluate_chain_file(p, "glec-v3-2023").pack.id == "glec-v3-2023"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            HEAD + "[shipment]\nmass_t = 1\nmass_kg = 1000\n" + RAIL,
            r"shipment\.mass_kg = 1000\.0: give mass_t or mass_kg, not both",
        ),
        (HEAD + "[shipment]\nmass_t = -1\n" + RAIL, r"shipment\.mass_t = -1: must be >= 0"),
        (
            HEAD + '[shipment]\ncontainers = [{ type = "53ft", count = 1 }]\n' + RAIL,
            r"shipment\.containers\[0\]\.type = '53ft': unknown container type; valid: 20ft, 40ft",
        ),
        (
            HEAD + '[shipment]\nteu = 1\ncontainers = [{ type = "40ft", count = 1 }]\n' + RAIL,
            r"shipment\.teu = 1\.0: give teu or containers, not both",
        ),
        (
            HEAD + '[shipment]\nteu = 1\ntonnes_per_teu = "medium"\n' + RAIL,
            r"shipment\.tonnes_per_teu = 'medium': unknown tonnes-per-TEU convention; valid: average",
        ),
        (HEAD + RAIL, r"element\[0\]: gives no amount and \[shipment\] has none"),
        (
            HEAD + "[shipment]\nmass_t = 1\n" + RAIL + RAIL,
            r"element\[1\]\.id = 'rail': element id is used twice",
        ),
        (
            HEAD + "[shipment]\nmass_t = 1\n" + RAIL.replace("shortest_feasible", "crow_flies"),
            r"element\[0\]\.leg\.distance_type = 'crow_flies': must be one of",
        ),
        (
            HEAD + "[shipment]\nmass_t = 1\n" + RAIL.replace('kind = "leg"', 'kind = "ship"'),
            r"element\[0\]",
        ),
        (HEAD + "[shipment]\nmass_t = 1\n", r"element: required field is missing"),
        (
            HEAD
            + "[shipment]\nmass_t = 1\n"
            + '[[intensity]]\nid = "x"\nmode = "rail"\ndistance_basis = ["actual"]\nsource = "s"\nconfidence = "assumption"\n'
            + RAIL,
            r"intensity\[0\]: give exactly one of wtw, energy_per_tkm or energy_per_vkm",
        ),
        (
            HEAD
            + "[shipment]\nmass_t = 1\n"
            + '[[intensity]]\nid = "x"\nmode = "rail"\ndistance_basis = ["actual"]\nsource = "s"\nconfidence = "assumption"\nenergy_per_tkm = 0.02\n'
            + RAIL,
            r"intensity\[0\]\.energy_factor: required with energy use",
        ),
        (
            HEAD
            + "[shipment]\nmass_t = 1\n"
            + '[[intensity]]\nid = "x"\nmode = "rail"\ndistance_basis = ["actual"]\nsource = "s"\nconfidence = "assumption"\nenergy_per_tkm = 0.02\nenergy_unit = "l"\nenergy_factor = "grid-cn-2023-footprint"\n'
            + RAIL,
            r"intensity\[0\]\.energy_unit = 'l': does not match the unit kgco2e_per_kwh",
        ),
        (
            HEAD
            + "[shipment]\nmass_t = 1\n"
            + '[[intensity]]\nid = "x"\nmode = "rail"\ndistance_basis = ["actual"]\nsource = "s"\nconfidence = "assumption"\nenergy_per_tkm = 0.02\nenergy_unit = "kwh"\nenergy_factor = "grid-mars"\n'
            + RAIL,
            r"intensity\[0\]\.energy_factor = 'grid-mars': not an energy factor of pack",
        ),
        (
            HEAD
            + "[shipment]\nmass_t = 1\n"
            + '[[intensity]]\nid = "rail-electric-container-eu"\nmode = "rail"\ndistance_basis = ["actual"]\nsource = "s"\nconfidence = "assumption"\nwtw = 5\n'
            + RAIL,
            r"intensity\[0\]\.id = 'rail-electric-container-eu': is already an intensity of pack",
        ),
        (
            HEAD
            + "[shipment]\nmass_t = 1\n"
            + '[[intensity]]\nid = "x"\nmode = "road"\ndistance_basis = ["actual"]\nsource = "s"\nconfidence = "assumption"\nenergy_per_vkm = 0.3\nenergy_unit = "l"\nenergy_factor = "diesel-eu-per-l"\n'
            + RAIL,
            r"intensity\[0\]\.payload_capacity_t: required with energy_per_vkm",
        ),
    ],
)
def test_chain_file_errors(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(DataFileError, match=match):
        evaluate_chain_file(_write(tmp_path, text))


def test_unknown_intensity_lists_valid_ones(tmp_path: Path) -> None:
    text = (
        HEAD + "[shipment]\nmass_t = 1\n" + RAIL.replace("rail-electric-container-eu", "rail-magic")
    )
    with pytest.raises(
        DataFileError,
        match=r"chain\.toml: element\[0\]\.intensity = 'rail-magic': unknown transport intensity"
        r" .*; valid: .*rail-electric-container-eu",
    ):
        evaluate_chain_file(_write(tmp_path, text))


def test_unknown_pack(tmp_path: Path) -> None:
    text = HEAD.replace("glec-v3-2023", "glec-v2") + "[shipment]\nmass_t = 1\n" + RAIL
    with pytest.raises(
        DataFileError,
        match=r"\.toml: pack = 'glec-v2': unknown factor pack; valid: cn-derived-2026, glec-v3-2023",
    ):
        evaluate_chain_file(_write(tmp_path, text))


def test_missing_chain_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist"):
        load_chain_file(tmp_path / "none.toml")


HUB_OWN = """
[[hub_intensity]]
id = "own-terminal"
category = "inland container terminal"
unit = "kgco2e_per_teu"
energy = [{ amount = 100000, unit = "kwh", energy_factor = "grid-cn-2023-footprint" }, { amount = 5000, unit = "l", energy_factor = "diesel-eu-per-l" }]
hub_activity = 20000
source = "terminal's metered energy 2025 (example)"
confidence = "assumption"
note = "example input"

[[element]]
kind = "hub"
id = "terminal"
hub_category = "own-terminal"
teu = 4
"""


def test_hub_intensity_from_energy_in_chain_file(tmp_path: Path) -> None:
    ev = evaluate_chain_file(_write(tmp_path, HEAD + "[shipment]\nmass_t = 1\n" + HUB_OWN))
    grid = ev.pack.energy["grid-cn-2023-footprint"]
    diesel = ev.pack.energy["diesel-eu-per-l"]
    per_teu_wtw = (100_000 * grid.factor_wtw + 5_000 * diesel.factor_wtw) / 20_000
    per_teu_ttw = 5_000 * diesel.factor_ttw / 20_000  # electricity has no TTW
    hub = ev.emissions.elements[0]
    assert hub.kgco2e_wtw == pytest.approx(4 * per_teu_wtw)
    assert hub.kgco2e_ttw == pytest.approx(4 * per_teu_ttw)
    assert "own-terminal" in ev.custom_intensity_ids


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (("hub_activity = 20000\n", ""), r"hub_intensity\[0\]\.hub_activity: required with energy"),
        (
            ('unit = "kwh", energy_factor = "grid', 'unit = "l", energy_factor = "grid'),
            r"hub_intensity\[0\]\.energy\[0\]\.unit = 'l': does not match",
        ),
        (
            ("hub_activity = 20000\n", "hub_activity = 20000\nwtw = 3\n"),
            r"hub_intensity\[0\]: give exactly one of wtw or energy",
        ),
        (
            ('id = "own-terminal"', 'id = "transshipment-ambient"'),
            r"hub_intensity\[0\]\.id = 'transshipment-ambient': is already a hub intensity",
        ),
    ],
)
def test_hub_intensity_errors(tmp_path: Path, change: tuple[str, str], match: str) -> None:
    text = HEAD + "[shipment]\nmass_t = 1\n" + HUB_OWN.replace(*change)
    with pytest.raises(DataFileError, match=match):
        evaluate_chain_file(_write(tmp_path, text))


def test_empty_container_repositioning_uses_tare(tmp_path: Path) -> None:
    """GLEC3 p.21: a repositioned empty container is freight; its tare is the mass.

    One empty 40' box = 2 TEU x 2 t/TEU (GLEC3 Annex, ISO 14083) = 4 t on a per-tkm leg.
    """
    text = (
        HEAD
        + '[shipment]\ncontainers = [{ type = "40ft", count = 1 }]\ntonnes_per_teu = "empty"\n'
        + RAIL
    )
    ev = evaluate_chain_file(_write(tmp_path, text))
    assert ev.emissions.elements[0].mass_t == pytest.approx(4.0)
    assert ev.emissions.total_kgco2e_wtw == pytest.approx(4 * 100 * 6.4 / 1000)


def test_zero_containers_is_refused(tmp_path: Path) -> None:
    text = HEAD + '[shipment]\ncontainers = [{ type = "40ft", count = 0 }]\n' + RAIL
    with pytest.raises(
        DataFileError, match=r"chain\.toml: shipment\.containers\[0\]\.count = 0: must be > 0"
    ):
        evaluate_chain_file(_write(tmp_path, text))
