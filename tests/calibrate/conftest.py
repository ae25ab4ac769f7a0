"""Fixtures: the tiny test corridor with a ``[validation]`` table and synthetic statistics."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

TINY = Path(__file__).resolve().parents[1] / "sim" / "tiny"

#: The test case folder: ``tinyval.toml`` (tiny with :data:`VALIDATION`), ``hubs/`` and
#: ``statistics/tiny-2023.toml`` (also the statistics kind of the bad-input corpus).
DATA = Path(__file__).resolve().parent / "data"

#: Synthetic statistics of the tiny corridor (not real data): every kind of figure.
TINY_STATISTICS = (DATA / "statistics" / "tiny-2023.toml").read_text(encoding="utf-8")

VALIDATION = """
[validation]
year = 2023
statistics = ["tiny-2023"]
"""

#: Background traffic of the tiny corridor (bg's schema), ``{hub_teu}`` at alpha and
#: 2,000 TEU a year on rail-ab; append before :data:`VALIDATION`.
BACKGROUND = """
[[background_hub_flows]]
id = "alpha-local"
hub = "alpha"
teu_per_year = {hub_teu}
box_40ft_share = 0.5
moves_per_call = 50

[[background_service_flows]]
id = "rail-other"
service = "rail-ab"
teu_per_year = 2000
box_40ft_share = 0.5
lot_teu = 10
"""


#: Builds a case folder: (scenario file, hubs folder, statistics folder).
Case = tuple[Path, Path, Path]


def build_case(
    folder: Path,
    statistics: str = TINY_STATISTICS,
    validation: str = VALIDATION,
    extra: dict[str, str] | None = None,
) -> Case:
    """Write the tiny scenario with ``validation`` (its ``[validation]`` table, "" for
    none) and a statistics folder holding ``tiny-2023.toml`` = ``statistics`` and the
    ``extra`` files (by name) into ``folder``."""
    hubs = folder / "hubs"
    if not hubs.exists():
        shutil.copytree(TINY / "hubs", hubs)
    text = (TINY / "tiny.toml").read_text(encoding="utf-8")
    scenario = folder / "tinyval.toml"
    scenario.write_text(
        text.replace('id = "tiny"', 'id = "tinyval"', 1) + validation, encoding="utf-8"
    )
    stats = folder / "statistics"
    stats.mkdir(exist_ok=True)
    (stats / "tiny-2023.toml").write_text(statistics, encoding="utf-8")
    for name, body in (extra or {}).items():
        (stats / name).write_text(body, encoding="utf-8")
    return scenario, hubs, stats


@pytest.fixture()
def make_case(tmp_path: Path) -> Callable[..., Case]:
    """:func:`build_case` in the test's temporary folder."""
    return partial(build_case, tmp_path)
