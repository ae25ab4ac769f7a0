"""The one fold of variant steps that a variant chain and a sweep cell go through."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.scenario import load_scenario_with_pack
from freighthub.model.variant import Policy, load_variant_chain
from freighthub.shift.resolve import apply_variants, resolve_scenario, unique_paths

DATA = Path(__file__).parent / "data"
HUBS = DATA / "hubs"


def write(folder: Path, name: str, body: str, base: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f'id = "{name}"\nname = "{name}"\nbase = "{base}"\n{body}', "utf-8")
    return path


@pytest.fixture
def chain_end(tmp_path: Path) -> Path:
    shutil.copy(DATA / "corridor.toml", tmp_path / "corridor.toml")
    write(
        tmp_path,
        "first",
        '[[change_demand]]\nid = "west-east"\nteu_per_year = 30000\n',
        "corridor.toml",
    )
    body = '[mode_choice]\nparameters = "yangtze-container-v1"\n[policy]\ncarbon_price_cny_per_tco2e = 200\n'
    return write(tmp_path, "second", body, "first.toml")


def test_each_step_builds_on_the_one_before(chain_end: Path) -> None:
    chain = load_variant_chain(chain_end)
    loaded, pack = load_scenario_with_pack(chain.scenario_path, HUBS)
    steps = list(apply_variants(loaded, Policy(), chain.variants, pack, hubs_dir=HUBS))
    assert [s.loaded.scenario.id for s in steps] == ["first", "second"]
    # the second step kept the first one's demand and added its carbon price
    assert steps[1].loaded.scenario.demand[0].teu_per_year.value == 30000
    assert steps[0].policy.is_empty and not steps[1].policy.is_empty
    assert steps[0].choice is None and steps[1].choice is not None
    # resolve_scenario is this fold over the chain
    resolved = resolve_scenario(chain_end, hubs_dir=HUBS)
    assert resolved.loaded.scenario == steps[-1].loaded.scenario
    assert resolved.changes == tuple(c for s in steps for c in (*s.changes, *s.share_changes))


def test_the_steps_before_a_failing_variant_are_kept(chain_end: Path) -> None:
    chain = load_variant_chain(chain_end)
    loaded, pack = load_scenario_with_pack(chain.scenario_path, HUBS)
    bad = write(chain_end.parent, "bad", 'remove_services = ["ferry"]\n', "corridor.toml")
    ((_, bad_variant),) = load_variant_chain(bad).variants
    made = []
    with pytest.raises(DataFileError, match=r"remove_services\[0\] = 'ferry'"):
        for step in apply_variants(
            loaded, Policy(), [chain.variants[0], (bad, bad_variant)], pack, hubs_dir=HUBS
        ):
            made.append(step)
    assert [s.loaded.scenario.id for s in made] == ["first"]


def test_unique_paths_keeps_the_first_of_each_file(tmp_path: Path) -> None:
    a = tmp_path / "a.toml"
    a.write_text("", "utf-8")
    again = tmp_path / "sub" / ".." / "a.toml"
    (tmp_path / "sub").mkdir()
    b = tmp_path / "b.toml"
    b.write_text("", "utf-8")
    assert unique_paths([a, again, b, a]) == [a, b]
