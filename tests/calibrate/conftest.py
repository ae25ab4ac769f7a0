"""Fixtures: the tiny test corridor with a ``[validation]`` table and synthetic statistics."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

TINY = Path(__file__).resolve().parents[1] / "sim" / "tiny"

#: Synthetic statistics of the tiny corridor (not real data): every kind of figure.
TINY_STATISTICS = """\
id = "tiny-2023"
year = 2023
description = "Synthetic figures for tests (not real data)"

[[hub_throughput]]
hub = "alpha"
teu = { value = 30000, source = "synthetic test figure", confidence = "assumption" }
t = { value = 200000, source = "synthetic test figure", confidence = "assumption" }

[[service_volume]]
service = "rail-ab"
teu = { value = 10000, source = "synthetic test figure", confidence = "assumption" }
trains = { value = 365, source = "synthetic test figure", confidence = "assumption" }

[[mode_share]]
corridor = true
mode = "road"
share = { value = 0.4, source = "synthetic test figure", confidence = "assumption" }
definition = "share of the corridor's delivered TEU whose main leg is road"

[[mode_share]]
hub = "alpha"
mode = "rail"
share = { value = 0.5, source = "synthetic test figure", confidence = "assumption" }
definition = "rail share of the flows handled at alpha"

[[transit_days]]
from = "west"
to = "east"
days = { value = [2, 4], source = "synthetic test figure", confidence = "assumption" }
"""

VALIDATION = """
[validation]
year = 2023
statistics = ["tiny-2023"]
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
