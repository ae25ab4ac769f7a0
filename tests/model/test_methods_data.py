"""The shipped method and identifier data files: integrity and loader errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.model.methods import load_ahp_reference, load_container_code_rules
from freighthub.vocabulary import Confidence


def test_saaty_file_integrity() -> None:
    ref = load_ahp_reference()
    assert ref.id == "saaty-ahp"
    assert ref.source.document and ref.source.clause and ref.source.edition
    for table in (ref.max_consistency_ratio, ref.random_index):
        assert table.source and isinstance(table.confidence, Confidence)
    assert sorted(ref.random_index.values) == list(range(1, 11))
    assert ref.random_index.values[1] == ref.random_index.values[2] == 0.0


def test_iso6346_file_integrity(repo_root: Path) -> None:
    rules = load_container_code_rules()
    assert sorted(rules.letter_values) == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    values = list(rules.letter_values.values())
    assert len(set(values)) == 26
    assert all(v % rules.modulus != 0 for v in values)  # multiples of 11 are skipped
    assert set(rules.iso6346_categories) == {"U", "J", "Z"}
    assert not set(rules.iso6346_categories) & set(rules.ilu_fourth_letters)


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "x.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_ahp_reference_errors(tmp_path: Path, repo_root: Path) -> None:
    good = (repo_root / "standards/methods/saaty-ahp.toml").read_text(encoding="utf-8")
    with pytest.raises(DataFileError, match="without gaps"):
        load_ahp_reference(write(tmp_path, good.replace("5 = 1.12\n", "")))
    with pytest.raises(DataFileError, match="must not decrease"):
        load_ahp_reference(write(tmp_path, good.replace("5 = 1.12", "5 = 0.5")))
    with pytest.raises(DataFileError, match=r"max_consistency_ratio.confidence = 'sure'"):
        load_ahp_reference(
            write(tmp_path, good.replace('confidence = "secondary"', 'confidence = "sure"', 1))
        )
    with pytest.raises(DataFileError, match=r"max_consistency_ratio = 1\.5: must be < 1"):
        load_ahp_reference(write(tmp_path, good.replace("value = 0.1", "value = 1.5")))
    with pytest.raises(DataFileError, match="does not exist"):
        load_ahp_reference(tmp_path / "none.toml")


def test_container_rules_errors(tmp_path: Path, repo_root: Path) -> None:
    good = (repo_root / "standards/identifiers/iso-6346-2022.toml").read_text(encoding="utf-8")
    with pytest.raises(DataFileError, match="no value for letter"):
        load_container_code_rules(write(tmp_path, good.replace("Q = 28\n", "")))
    with pytest.raises(DataFileError, match="both ISO 6346 categories and ILU letters"):
        load_container_code_rules(write(tmp_path, good.replace('["A", "B"', '["U", "B"')))
    with pytest.raises(DataFileError, match=r"check_digit\.modulus = 7: must be > 10"):
        load_container_code_rules(write(tmp_path, good.replace("modulus = 11", "modulus = 7")))
