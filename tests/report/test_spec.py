"""Report specs: loading, path resolution and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from freighthub.errors import DataFileError
from freighthub.report.spec import load_report_spec


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_resolve_against_the_spec_folder(tmp_path: Path) -> None:
    path = _spec(
        tmp_path,
        'name = "a"\nhubs = "data/hubs"\n[title]\nen = "A"\n'
        '[assessment]\nstandard = "x"\nstandards_dir = "std"\n',
    )
    (tmp_path / "data" / "hubs").mkdir(parents=True)
    (tmp_path / "std").mkdir()
    spec, resolved = load_report_spec(path)
    assert resolved == path.resolve()
    assert spec.hubs == tmp_path.resolve() / "data" / "hubs"
    assert spec.assessment is not None
    assert spec.assessment.standards_dir == tmp_path.resolve() / "std"


def test_a_missing_folder_is_named_by_its_field(tmp_path: Path) -> None:
    path = _spec(tmp_path, 'name = "a"\nhubs = "nowhere"\n[title]\nen = "A"\n')
    with pytest.raises(DataFileError, match=r"\.toml: hubs = 'nowhere': does not exist \("):
        load_report_spec(path)


def test_shipped_example_specs_load(repo_root: Path) -> None:
    examples = sorted((repo_root / "docs" / "examples" / "reports").glob("*.toml"))
    assert examples
    for path in examples:
        spec, _ = load_report_spec(path)
        assert spec.hubs is None or spec.hubs.is_dir(), path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'name = "a"\nhubz = "x"\n[title]\nen = "A"\n',
            r"spec.toml: hubz = 'x': unknown field; did you mean 'hubs'\?",
        ),
        ('name = "Bad Name"\n[title]\nen = "A"\n', r"name = 'Bad Name': must match the pattern"),
        ('name = "a"\n', r"title: required field is missing"),
        (
            'name = "a"\n[title]\nen = "A"\n[assessment]\nstandard = "s"\nmethods = ["wsm", "wsm"]\n',
            r"assessment.methods = .*: lists a method twice",
        ),
        (
            'name = "a"\n[title]\nen = "A"\n[[map.corridors]]\nfrom = "a"\nto = "b"\nmode = "ship"\n',
            r"map.corridors\[0\].mode = 'ship': must be one of",
        ),
        (
            'name = "a"\nhub_ids = ["x", "x"]\n[title]\nen = "A"\n',
            r"hub_ids = .*: lists a hub twice",
        ),
        (
            'name = "a"\n[title]\nen = "A"\n[assessment]\nstandard = "s"\nsamples = 0\n',
            r"assessment.samples = 0: must be > 0",
        ),
    ],
)
def test_bad_specs_give_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        load_report_spec(_spec(tmp_path, text))


def test_missing_spec_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nope.toml: .*does not exist"):
        load_report_spec(tmp_path / "nope.toml")
