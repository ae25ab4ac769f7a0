"""The case of issue #17 as a profile and hubs: a hub without throughput and an assumed yard."""

from __future__ import annotations

from pathlib import Path

from freighthub.model.hub import Hub
from freighthub.model.standard import Standard, check_standard_files
from tests.test_assessment import hub, src

_CRITERION = """
[[criteria]]
id = "{id}"
name = {{ en = "{id}" }}
unit = "{unit}"
attribute = "{attribute}"
rule = "minimum"
threshold = {threshold}
direction = "benefit"
weight = {weight}
confidence = "assumption"
note = "assumption: a test threshold"
source = {{ document = "test profile", clause = "-", edition = "test" }}
"""


def container_port_standard(folder: Path) -> Standard:
    """Throughput, yard capacity and rail handling track, as the analyst's own profile."""
    text = (
        '[standard]\nid = "test-container-port"\ntitle = { en = "test" }\n'
        'document = "test"\nedition = "test"\nlicence = "test"\n'
    )
    for cid, attribute, unit, threshold, weight in (
        ("throughput", "operations.annual_throughput_teu", "TEU/year", 500000, 0.3),
        ("yard", "handling.yard_capacity_teu", "TEU", 30000, 0.4),
        ("rail-track", "rail.handling_track_length_m", "m", 800, 0.3),
    ):
        text += _CRITERION.format(
            id=cid, attribute=attribute, unit=unit, threshold=threshold, weight=weight
        )
    path = folder / "test-container-port.toml"
    path.write_text(text, encoding="utf-8")
    found, errors = check_standard_files([path], catalogue={})
    assert not errors, errors
    return found["test-container-port"]


def issue_hubs() -> list[Hub]:
    """Longtan gives no throughput and no rail figure, only an assumed yard capacity;
    Yueyang measured all three; Wuhu and Jiujiang measured some."""
    t, m = ["inland_port"], ["road", "rail", "inland_waterway"]
    return [
        hub(
            "longtan",
            t,
            m,
            handling={"yard_capacity_teu": src(65200, "assumption")},
        ),
        hub(
            "yueyang",
            t,
            m,
            operations={"annual_throughput_teu": src(1_000_000)},
            handling={"yard_capacity_teu": src(40000)},
            rail={"handling_track_length_m": src(1700)},
        ),
        hub(
            "wuhu",
            t,
            m,
            operations={"annual_throughput_teu": src(1_250_200)},
        ),
        hub(
            "jiujiang",
            t,
            m,
            operations={"annual_throughput_teu": src(600_000)},
            handling={"yard_capacity_teu": src(30000)},
        ),
    ]
