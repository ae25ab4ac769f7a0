"""The package root is the public API: every name resolves, and importing it stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import freighthub
import freighthub.model
import freighthub.sim

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "simpy", "pulp", "dask", "pandas", "pyarrow", "numpy", "pydantic")
FACES = (freighthub, freighthub.model, freighthub.sim)


def _modules_after(code: str) -> set[str]:
    """The modules loaded after running ``code`` in a fresh interpreter."""
    program = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _roots(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.parametrize(
    "code", ["import freighthub", "import freighthub.sim; import freighthub.model"]
)
def test_importing_a_face_loads_no_heavy_library(code: str) -> None:
    loaded = _modules_after(code)
    assert not _roots(loaded) & set(HEAVY), sorted(_roots(loaded) & set(HEAVY))
    assert not any(m.startswith(("freighthub.sim.", "freighthub.model.")) for m in loaded)


def test_a_capability_loads_its_libraries_on_first_use() -> None:
    loaded = _modules_after("import freighthub\nfreighthub.run_scenario")
    assert "freighthub.sim.experiment" in loaded and "scipy" in _roots(loaded)
    assert not {"pulp", "dask"} & _roots(loaded)
    loaded = _modules_after("import freighthub\nfreighthub.optimize_scenario")
    assert "pulp" in _roots(loaded) and "dask" not in _roots(loaded)


@pytest.mark.parametrize("face", FACES, ids=lambda m: m.__name__)
def test_every_public_name_resolves_to_its_definition(face: object) -> None:
    names = face.__all__  # type: ignore[attr-defined]
    assert names and len(names) == len(set(names))
    assert set(names) == set(face._LAZY)  # type: ignore[attr-defined]
    for name in names:
        value = getattr(face, name)
        assert value is not None, name
        assert name in dir(face)
        if hasattr(value, "__module__") and not isinstance(value, str):
            assert value.__module__.startswith("freighthub."), (name, value.__module__)


def test_the_root_names_the_ten_capabilities() -> None:
    capabilities = {
        "load_hubs",
        "find_standard",
        "load_scenario",
        "assess",
        "rank",
        "evaluate_chain_file",
        "run_scenario",
        "compare_scenarios",
        "optimize_scenario",
        "run_sweep",
        "write_report",
    }
    assert capabilities <= set(freighthub.__all__)


@pytest.mark.parametrize("face", FACES, ids=lambda m: m.__name__)
def test_an_unknown_name_is_an_attribute_error(face: object) -> None:
    with pytest.raises(AttributeError, match=r"has no attribute 'no_such_name'"):
        _ = face.no_such_name  # type: ignore[attr-defined]


def test_version_is_the_package_version() -> None:
    from importlib.metadata import version

    assert freighthub.__version__ == version("freighthub")
