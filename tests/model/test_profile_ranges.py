"""A profile's own plausible ranges (``[ranges.<criterion-id>]``): loading, validation,
and their use when missing values are sampled (issue #17)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from freighthub.assessment import assess
from freighthub.errors import DataFileError
from freighthub.model.hub import Hub
from freighthub.model.methods import load_ranking_uncertainty
from freighthub.model.profile_ranges import with_profile_ranges
from freighthub.model.standard import Standard, load_standard, load_standards

REPO = Path(__file__).resolve().parents[2]
PROFILE = REPO / "standards" / "profiles" / "example-ministry-inland-port.toml"
POLICY = REPO / "standards" / "methods" / "ranking-uncertainty.toml"
RANGE = (
    "\n[ranges.agtcp-berth-length]\nmin = 100\nmax = 2000\n"
    'source = "assumption: test range of inland container quays"\nconfidence = "assumption"\n'
)


def _profile(tmp_path: Path, extra: str, name: str = "test-profile") -> Path:
    text = PROFILE.read_text(encoding="utf-8").replace(
        'id = "example-ministry-inland-port"', f'id = "{name}"'
    )
    path = tmp_path / f"{name}.toml"
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_a_profile_loads_its_ranges(tmp_path: Path) -> None:
    profile = load_standard(_profile(tmp_path, RANGE))
    item = profile.ranges["agtcp-berth-length"]
    assert (item.min, item.max) == (100.0, 2000.0)
    assert item.source.startswith("assumption:")
    assert load_standard(PROFILE).ranges == {}  # the shipped profile gives none
    assert all(not s.ranges for s in load_standards().values())


@pytest.mark.parametrize(
    ("extra", "match"),
    [
        (
            RANGE.replace("agtcp-berth-length", "agtcp-berth-lenght"),
            r"ranges = 'agtcp-berth-lenght': not a criterion of this profile; criteria: agn-draught",
        ),
        (
            RANGE.replace("agtcp-berth-length", "tent2024-terminal-open-access"),
            r"ranges.tent2024-terminal-open-access.min = 100.0: criterion "
            r"tent2024-terminal-open-access has rule boolean: a plausible range needs rule "
            r"minimum, maximum or graded",
        ),
        (
            RANGE.replace("max = 2000", "max = 50"),
            r"ranges.agtcp-berth-length = .*: min 100 must be < max 50",
        ),
        (
            RANGE.replace('source = "assumption: test range of inland container quays"\n', ""),
            r"ranges.agtcp-berth-length.source: required field is missing",
        ),
        (
            RANGE.replace('confidence = "assumption"', 'confidence = "likely"'),
            r"ranges.agtcp-berth-length.confidence = 'likely'",
        ),
    ],
)
def test_bad_ranges_are_refused_in_one_line(tmp_path: Path, extra: str, match: str) -> None:
    path = _profile(tmp_path, extra)
    with pytest.raises(DataFileError, match=match) as info:
        load_standard(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_a_standard_cannot_give_ranges(tmp_path: Path) -> None:
    source = REPO / "standards" / "unece-agtc-iww-protocol-1997.toml"
    folder = tmp_path / "standards"
    folder.mkdir()
    path = folder / source.name
    path.write_text(source.read_text(encoding="utf-8") + RANGE, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"ranges.agtcp-berth-length: plausible ranges belong"):
        load_standard(path)


def _hubs() -> list[Hub]:
    """Two inland ports: one gives its quay length, the other does not (imputed)."""

    def hub(hub_id: str, draught_m: float, berth_m: float | None) -> Hub:
        src: dict[str, Any] = {"source": "test", "confidence": "secondary"}
        waterway: dict[str, Any] = {"draught_m": {"value": draught_m, **src}}
        if berth_m is not None:
            waterway["berth_length_m"] = {"value": berth_m, **src}
        return Hub.model_validate(
            {
                "id": hub_id,
                "names": {"en": hub_id, "zh": hub_id},
                "country": "CN",
                "lon_deg": 114.0,
                "lat_deg": 30.0,
                "hub_types": ["inland_port"],
                "modes": ["road", "inland_waterway"],
                "waterway": waterway,
            }
        )

    return [hub("deep", 5.0, None), hub("long", 3.0, 900.0)]


def _scores(profile: Standard, policy_path: Path | None = None) -> dict[str, float]:
    policy = None if policy_path is None else load_ranking_uncertainty(policy_path)
    a = assess(_hubs(), profile, missing="worst", n_samples=0, uncertainty=policy)
    assert a.ranking is not None and a.robust is not None
    assert ("deep", "agtcp-berth-length") in a.robust.imputed
    return {alt.id: alt.score for alt in a.ranking.alternatives}


def test_a_profile_range_acts_as_the_same_range_in_the_policy(tmp_path: Path) -> None:
    """The imputed quay length takes the worst end of the plausible range: 0 m without a
    range (a benefit's range reaches 0), 100 m with the profile's range. The profile's
    range gives exactly the scores of the same range in a policy file, and other scores
    than no range at all."""
    shipped = load_standard(PROFILE)
    own = load_standard(_profile(tmp_path, RANGE))
    policy = tmp_path / "policy.toml"
    shutil.copy(POLICY, policy)
    with policy.open("a", encoding="utf-8") as f:
        f.write(RANGE)
    with_range = _scores(own)
    assert with_range == pytest.approx(_scores(shipped, policy))
    assert with_range != pytest.approx(_scores(shipped))
    merged = with_profile_ranges(load_ranking_uncertainty(), own)
    assert merged.ranges["agtcp-berth-length"] == (100.0, 2000.0)
    assert "ranges of profile test-profile: agtcp-berth-length" in merged.source


def test_a_range_given_twice_differently_is_refused(tmp_path: Path) -> None:
    own = load_standard(_profile(tmp_path, RANGE))
    policy = tmp_path / "policy.toml"
    shutil.copy(POLICY, policy)
    with policy.open("a", encoding="utf-8") as f:
        f.write(RANGE.replace("max = 2000", "max = 1500"))
    with pytest.raises(
        DataFileError,
        match=r"test-profile.toml: ranges.agtcp-berth-length = '100 to 2000': the "
        r"ranking-uncertainty policy \(policy.toml .*\) gives 100 to 1500: give the range in "
        "one place",
    ):
        assess(_hubs(), own, uncertainty=load_ranking_uncertainty(policy), n_samples=0)
    same = tmp_path / "same.toml"
    shutil.copy(POLICY, same)
    with same.open("a", encoding="utf-8") as f:
        f.write(RANGE)
    assert _scores(own, same) == pytest.approx(_scores(own))  # the same range twice is fine


def test_standards_show_and_validate_a_profile_with_ranges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from freighthub.cli import main

    folder = tmp_path / "standards"
    shutil.copytree(REPO / "standards", folder)
    _profile(folder / "profiles", RANGE)

    def run(argv: list[str]) -> str:
        try:
            main(argv)
        except SystemExit as exc:
            assert exc.code in (0, None)
        return capsys.readouterr().out

    out = run(["standards", "show", "test-profile", "--standards", str(folder)])
    assert "plausible range of agtcp-berth-length: 100 to 2000 (assumption: assumption:" in out
    data = json.loads(
        run(["standards", "show", "test-profile", "--standards", str(folder), "--json"])
    )
    assert data["ranges"]["agtcp-berth-length"]["max"] == 2000
    assert "valid" in run(["standards", "validate", str(folder)])
