"""The issue's round trip through the CLI: template, filled in by a script with openpyxl,
imported, validated, scored and reported; bad input ends in one located line, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from _filling import ANSWERS, PROFILE, fill  # type: ignore[import-not-found]

from freighthub.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    code, out, err = run([*argv, "--json"], capsys)
    assert code == 0, err
    return json.loads(out)


def _report(hubs: Path, langs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON report of ``hubs`` scored on the profile, into ``tmp_path/r`` (``r-zh``)."""
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f'name = "questionnaire"\nhubs = "{hubs}"\ndate = 2026-12-07\n'
        f'[title]\nen = "Questionnaire round trip"\n'
        f'[assessment]\nstandard = "{PROFILE}"\nmissing = "worst"\nsamples = 50\n',
        encoding="utf-8",
    )
    argv = ["report", str(spec), "--format", "json", "--lang", langs]
    code, _, err = run([*argv, "--out", str(tmp_path / "r")], capsys)
    assert code == 0, err


def test_questionnaire_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "q.xlsx"
    code, _, err = run(["hubs", "template", "--profile", PROFILE, "--out", str(template)], capsys)
    assert code == 0, err
    filled = fill(template, tmp_path / "filled.xlsx", ANSWERS)
    hubs = tmp_path / "hubs"
    done = run_json(["hubs", "import", str(filled), "--out", str(hubs)], capsys)
    assert done == {"written": [str(hubs / "yueyang-chenglingji.toml")], "errors": []}
    for other in ("wuhan-yangluo", "nanjing-longtan"):
        shutil.copy(REPO / "hubs" / f"{other}.toml", hubs)

    checked = run_json(
        ["hubs", "validate", str(hubs), "--profile", PROFILE, "--as-of", "2026-12-07"], capsys
    )
    assert checked["valid"] and checked["as_of"] == "2026-12-07"
    yueyang = next(c for c in checked["completeness"] if c["hub"] == "yueyang-chenglingji")
    assert set(yueyang["observed"]) == {
        "waterway.berth_length_m",
        "rail.max_train_length_m",
        "operations.annual_throughput_t",
        "operations.open_access",
    }
    assert "waterway.draught_m" in yueyang["missing"]
    assert yueyang["stale"] == []  # the train length is dated 2022-11-10: 4.1 < 5 years

    scored = run_json(
        ["score", "--standard", PROFILE, "--hubs", str(hubs), "--missing", "worst",
         "--samples", "0"],
        capsys,
    )  # fmt: skip
    assert "yueyang-chenglingji" in json.dumps(scored)

    _report(hubs, "en", tmp_path, capsys)
    (doc_path,) = (tmp_path / "r").rglob("*.json")
    doc = doc_path.read_text(encoding="utf-8")
    assert "Yueyang Chenglingji Port" in doc
    assert "China Transport News via xd56b.com, 2022-11-10" in doc


def test_import_with_bad_cells_prints_one_line_each_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "q.xlsx"
    run(["hubs", "template", "--profile", PROFILE, "--out", str(template)], capsys)
    answers = {**ANSWERS, "waterway.berth_length_m": ("long", "x", "secondary")}
    bad = fill(template, tmp_path / "bad.xlsx", answers)
    code, _, err = run(["hubs", "import", str(bad), "--out", str(tmp_path / "hubs")], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line.startswith(f"error: {bad}: sheet 'questionnaire', row ")
    assert "column E (value): waterway.berth_length_m = 'long': must be a number" in line
    assert not (tmp_path / "hubs").exists()
    answers["rail.max_train_length_m"] = (850, None, "secondary")
    bad = fill(template, tmp_path / "bad2.xlsx", answers)
    code, _out, err = run(["hubs", "import", str(bad), "--out", str(tmp_path / "hubs")], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 3
    assert lines[-1] == "2 problems; nothing was imported"


def test_new_user_mistakes_end_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["hubs", "template", "--profile", "example-ministry-inland-prot", "--out", "q.xlsx"],
        capsys,
    )
    assert code == 2 and "unknown standard 'example-ministry-inland-prot'; valid:" in err
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    code, _, err = run(["hubs", "import", str(empty), "--out", str(tmp_path / "h")], capsys)
    assert (
        code == 2 and err.strip() == f"error: {empty}: not a readable .xlsx workbook (BadZipFile)"
    )
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, _, err = run(
        ["hubs", "template", "--profile", PROFILE, "--out", str(blocker / "q.csv")], capsys
    )
    assert code == 2 and len(err.strip().splitlines()) == 1 and str(blocker) in err
    code, _, err = run(["hubs", "export"], capsys)
    assert code == 2 and "give exactly one of --xlsx FILE or --csv FILE" in err
    code, _, err = run(
        ["hubs", "export", "--csv", str(tmp_path / "x.csv"), "--ids", "nope"], capsys
    )
    assert code == 2 and "unknown hub 'nope'" in err
    code, _, err = run(["hubs", "validate", "--profile", PROFILE, "--as-of", "07/12/2026"], capsys)
    assert code == 2 and "must be a date YYYY-MM-DD" in err


def test_export_cli_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "two.csv"
    code, out, err = run(
        ["hubs", "export", "--csv", str(path), "--ids", "wuhan-yangluo,nanjing-longtan"], capsys
    )
    assert code == 0 and "(2 hub(s))" in out, err
    code, _, err = run(["hubs", "export", "--csv", str(path)], capsys)
    assert code == 2 and "already exists: pass --force" in err
    done = run_json(["hubs", "import", str(path), "--out", str(tmp_path / "h")], capsys)
    assert sorted(Path(p).name for p in done["written"]) == [
        "nanjing-longtan.toml",
        "wuhan-yangluo.toml",
    ]
    for name in ("nanjing-longtan.toml", "wuhan-yangluo.toml"):
        from freighthub.model.hub import load_hub

        a = load_hub(REPO / "hubs" / name).model_dump(exclude={"imported_from"})
        b = load_hub(tmp_path / "h" / name).model_dump(exclude={"imported_from"})
        assert a == b


def test_the_eu_hubs_keep_their_tent_tier_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """hubs export -> hubs import -> hubs show: the Annex II tier and its source survive."""
    from freighthub.model.hub import load_hub

    ids = "duisburg-duisport,hamburg-port,malaszewicze,rotterdam"
    path = tmp_path / "eu.xlsx"
    code, _, err = run(["hubs", "export", "--xlsx", str(path), "--ids", ids], capsys)
    assert code == 0, err
    run_json(["hubs", "import", str(path), "--out", str(tmp_path / "h")], capsys)
    for hub_id in ids.split(","):
        shipped = load_hub(REPO / "hubs" / f"{hub_id}.toml")
        back = load_hub(tmp_path / "h" / f"{hub_id}.toml")
        assert back.tent is not None and back.tent == shipped.tent
    code, out, err = run(["hubs", "show", "malaszewicze", "--hubs", str(tmp_path / "h")], capsys)
    assert code == 0, err
    assert "TEN-T tier: comprehensive (rail comprehensive, waterway comprehensive)" in out
    assert "verified: Regulation (EU) 2024/1679, Annex II" in out


def test_validate_profile_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["hubs", "validate", str(REPO / "hubs"), "--profile", PROFILE, "--as-of", "2026-12-07"],
        capsys,
    )
    assert code == 0, err
    assert "Data the profile example-ministry-inland-port reads" in out
    assert "nanjing-longtan:" in out and "missing: waterway.draught_m" in out
    # a rail hub without [tent] is judged as on the core network; the EU hubs give their tier
    lines = _hub_lines(out)
    assumed = "TEN-T tier not given (rows tent.*, [tent]): core network assumed for "
    assert assumed + "tent2024-rail-axle-load" in lines["alashankou"]
    for hub_id in ("duisburg-duisport", "hamburg-port", "malaszewicze", "rotterdam"):
        assert not [x for x in lines.get(hub_id, []) if x.startswith(assumed)]


def _hub_lines(out: str) -> dict[str, list[str]]:
    """The indented lines under each ``hub-id:`` line of ``hubs validate --profile``."""
    blocks: dict[str, list[str]] = {}
    current: str | None = None
    for line in out.splitlines():
        if line.startswith("  ") and current is not None:
            blocks[current].append(line.strip())
        elif line.endswith(":") and " " not in line:
            current = line[:-1]
            blocks[current] = []
        else:
            current = None
    return blocks


def test_report_marks_candidate_hubs_and_their_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from freighthub.model.hub import Hub, load_hub
    from freighthub.questionnaire import hub_toml

    hubs = tmp_path / "hubs"
    hubs.mkdir()
    data = load_hub(REPO / "hubs" / "wuhan-yangluo.toml").model_dump(exclude_none=True)
    plan = {"value": 1500.0, "source": "port master plan, p. 14", "confidence": "secondary"}
    data.update(
        status="expansion", planned_year=2030, planned={"waterway": {"berth_length_m": plan}}
    )
    (hubs / "wuhan-yangluo.toml").write_text(hub_toml(Hub.model_validate(data)), "utf-8")
    shutil.copy(REPO / "hubs" / "nanjing-longtan.toml", hubs)
    code, out, err = run(["hubs", "show", "wuhan-yangluo", "--hubs", str(hubs)], capsys)
    assert code == 0, err
    assert "status: expansion; planned values apply from 2030" in out
    assert "Planned values (plans for 2030)" in out
    _report(hubs, "en,zh", tmp_path, capsys)
    en = (tmp_path / "r" / "report.json").read_text(encoding="utf-8")
    zh = json.loads((tmp_path / "r-zh" / "report.json").read_text(encoding="utf-8"))
    assert "Candidate hubs" in en
    assert "candidate-table" in en
    assert "plan for 2030: port master plan, p. 14" in en  # sources and the hub profile
    assert "planned.waterway.berth_length_m" in en
    assert "候选枢纽" in json.dumps(zh, ensure_ascii=False)


def test_a_csv_cut_off_mid_row_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A partial copy of a CSV questionnaire would lose every row after the cut."""
    whole = tmp_path / "yangluo.csv"
    code, _, err = run(["hubs", "export", "--csv", str(whole), "--ids", "wuhan-yangluo"], capsys)
    assert code == 0, err
    raw = whole.read_bytes()
    cut = tmp_path / "cut.csv"
    cut.write_bytes(raw[: raw.rindex(b"\r\n", 0, len(raw) // 2) + 6])  # a few bytes into a row
    out = tmp_path / "hubs"
    code, _, err = run(["hubs", "import", str(cut), "--out", str(out)], capsys)
    assert code == 2
    assert "cut.csv" in err and "looks cut off" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    # the same rows ending without a final line break but complete still import
    complete = tmp_path / "complete.csv"
    complete.write_bytes(raw.rstrip(b"\r\n"))
    code, _, err = run(["hubs", "import", str(complete), "--out", str(out)], capsys)
    assert code == 0, err
    assert (out / "wuhan-yangluo.toml").exists()


def test_validate_profile_honours_the_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """hubs validate --profile --year: a planned site before its year is named as not
    built and its plans do not count; from its year they do (as in score --year)."""
    from freighthub.model.hub import Hub, load_hub
    from freighthub.questionnaire import hub_toml

    hubs = tmp_path / "hubs"
    hubs.mkdir()
    data = load_hub(REPO / "hubs" / "wuhan-yangluo.toml").model_dump(exclude_none=True)
    plan = {"value": 1500.0, "source": "port master plan, p. 14", "confidence": "secondary"}
    data.update(
        status="expansion", planned_year=2030, planned={"waterway": {"berth_length_m": plan}}
    )
    (hubs / "wuhan-yangluo.toml").write_text(hub_toml(Hub.model_validate(data)), "utf-8")
    sections = ("rail", "waterway", "road", "handling", "operations", "energy")
    site = {k: v for k, v in data.items() if k not in sections}
    site.update(id="new-site", status="planned")
    (hubs / "new-site.toml").write_text(hub_toml(Hub.model_validate(site)), "utf-8")
    base = ["hubs", "validate", str(hubs), "--profile", PROFILE, "--as-of", "2026-12-07"]
    early = run_json([*base, "--year", "2028"], capsys)
    late = run_json([*base, "--year", "2030"], capsys)
    assert early["assessment_year"] == 2028 and late["assessment_year"] == 2030
    e = {c["hub"]: c for c in early["completeness"]}
    lt = {c["hub"]: c for c in late["completeness"]}
    assert e["wuhan-yangluo"]["planned"] == [] and not e["wuhan-yangluo"]["not_built"]
    assert lt["wuhan-yangluo"]["planned"] == ["waterway.berth_length_m"]
    assert e["new-site"]["not_built"] and not lt["new-site"]["not_built"]
    code, out, err = run([*base, "--year", "2028"], capsys)
    assert code == 0, err
    assert "(assessment year 2028;" in out
    assert "planned site, built from 2030: not scored in 2028" in _hub_lines(out)["new-site"][0]
