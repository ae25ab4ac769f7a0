"""CLI start-up (lazy imports), help texts, one-line option errors, --json purity, widths."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from freighthub.cli import COMMANDS, escape_markup, load_command, main
from freighthub.cli.output import MAX_REPLICATIONS, MAX_SAMPLES, MAX_WORKERS
from freighthub.cli.progress import progress_wanted

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "yangtze-corridor.toml"
MATRIX = ROOT / "docs" / "examples" / "rank-example.csv"

HEAVY = ("scipy", "simpy", "pulp", "pandas", "pyarrow", "dask")


def _modules_after(args: list[str], tmp_path: Path) -> set[str]:
    """The modules imported by ``freighthub ARGS`` in a fresh interpreter."""
    record = tmp_path / "modules.json"
    code = (
        "import json, sys\n"
        "from freighthub.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT)
    return set(json.loads(record.read_text()))


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_heavy_library(args: list[str], tmp_path: Path) -> None:
    loaded = _modules_after(args, tmp_path)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert not any(m.startswith("freighthub.sim") or m == "numpy" for m in loaded)


def test_hubs_list_imports_no_simulation_lp_or_dask(tmp_path: Path) -> None:
    loaded = _modules_after(["hubs", "list", "--json"], tmp_path)
    assert not loaded & {"simpy", "pulp", "dask", "scipy"}
    assert "freighthub.model.hub" in loaded  # it did run


def _help_first_paragraph(name: str) -> str:
    command = load_command(name)
    return " ".join((command.help or "").split("\n\n")[0].split())


@pytest.mark.parametrize("name", list(COMMANDS))
def test_root_help_summary_matches_the_command(name: str) -> None:
    """``freighthub --help`` lists summaries without importing: they must stay true."""
    assert escape_markup(COMMANDS[name].summary) == _help_first_paragraph(name)


def _all_commands() -> list[tuple[list[str], object]]:
    found: list[tuple[list[str], object]] = []
    for name in COMMANDS:
        command = load_command(name)
        subs = getattr(command, "commands", {})
        found.append(([name], command))
        found += [([name, sub], cmd) for sub, cmd in subs.items()]
    return found


def _bracketed(command: object) -> set[str]:
    texts = [getattr(command, "help", None) or ""]
    texts += [getattr(p, "help", None) or "" for p in getattr(command, "params", [])]
    raw = " ".join(t.replace("\\[", "[") for t in texts)
    return set(re.findall(r"\[[^\[\]\s]+\]", raw))


@pytest.mark.parametrize("path", [p for p, _ in _all_commands()], ids=" ".join)
def test_help_keeps_every_bracketed_text(
    path: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    command = dict((tuple(p), c) for p, c in _all_commands())[tuple(path)]
    with pytest.raises(SystemExit) as info:
        main([*path, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for token in _bracketed(command):
        assert token in out, f"{' '.join(path)} --help lost {token}"


def test_score_help_shows_weights_table(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    assert "[weights]" in capsys.readouterr().out


BAD_OPTIONS = [
    (["optimize", str(SCENARIO), "--road-share-max", "1.5"], "--road-share-max", "1.5"),
    (["optimize", str(SCENARIO), "--road-share-max", "x"], "--road-share-max", "x"),
    (["optimize", str(SCENARIO), "--carbon-price", "-1"], "--carbon-price", "-1"),
    (["optimize", str(SCENARIO), "--carbon-price", "inf"], "--carbon-price", "inf"),
    (["optimize", str(SCENARIO), "--value-of-time", "nan"], "--value-of-time", "nan"),
    (["optimize", str(SCENARIO), "--emission-cap", "-5"], "--emission-cap", "-5"),
    (["rank", str(MATRIX), "--types", "benefit", "--seed", "-1"], "--seed", "-1"),
    (["rank", str(MATRIX), "--types", "benefit", "--samples", "1000000000000"], "--samples", ""),
    (["rank", str(MATRIX), "--types", "benefit", "--samples", "0"], "--samples", "0"),
    (["rank", str(MATRIX), "--types", "benefit", "--v", "inf"], "--v", "inf"),
    (["rank", str(MATRIX), "--types", "benefit", "--concentration", "inf"], "--concentration", ""),
    (["score", "--standard", "x", "--samples", "-1"], "--samples", "-1"),
    (["score", "--standard", "x", "--samples", "100000000"], "--samples", "100000000"),
    (["score", "--standard", "x", "--seed", "-3"], "--seed", "-3"),
    (["simulate", str(SCENARIO), "-r", "0"], "--replications", "0"),
    (["simulate", str(SCENARIO), "-r", "99999999"], "--replications", "99999999"),
    (["simulate", str(SCENARIO), "--seed", "-1"], "--seed", "-1"),
    (["simulate", str(SCENARIO), "--workers", "0"], "--workers", "0"),
    (["simulate", str(SCENARIO), "--workers", "100000"], "--workers", "100000"),
    (["compare", str(SCENARIO), str(SCENARIO), "--feedback", "1000000"], "--feedback", ""),
    (["compare", str(SCENARIO), str(SCENARIO), "-r", "abc"], "--replications", "abc"),
    (["sweep", "x.toml", "--workers", "100000"], "--workers", "100000"),
    (["sweep", "x.toml", "--executor", "slurm"], "--executor", "slurm"),
    (["hubs", "list", "--bogus"], "--bogus", ""),
    (["emissions", "--nope"], "--nope", ""),
]


@pytest.mark.parametrize(("args", "option", "value"), BAD_OPTIONS, ids=lambda a: str(a))
def test_bad_option_value_is_one_line_exit_2(
    args: list[str], option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: freighthub ")
    assert option in lines[0] and value in lines[0]
    assert "Traceback" not in err and "╭" not in err


@pytest.mark.parametrize(
    ("args", "cap"),
    [
        (["rank", str(MATRIX), "--types", "benefit", "--samples", "10000000"], MAX_SAMPLES),
        (["simulate", str(SCENARIO), "-r", "10000000"], MAX_REPLICATIONS),
        (["sweep", "x.toml", "--workers", "10000000"], MAX_WORKERS),
    ],
)
def test_caps_name_the_cap_and_why(
    args: list[str], cap: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert re.search(rf"above the cap of {cap:,} \(.+\)", err), err


def _run(args: list[str], columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("TTY_COMPATIBLE", None)
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "freighthub", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_optimize_json_is_one_document_with_every_solver(solver: str) -> None:
    if solver == "highs":
        pytest.importorskip("highspy")
    args = ["optimize", str(SCENARIO), "--value-of-time", "50", "--solver", solver, "--json"]
    done = _run(args)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)  # nothing before or after the document
    assert doc["scenario"] == "yangtze-corridor"


def test_hubs_list_not_on_a_terminal_keeps_whole_ids() -> None:
    done = _run(["hubs", "list"], columns=80)
    assert done.returncode == 0, done.stderr
    ids = [p.stem for p in (ROOT / "hubs").glob("*.toml")]
    assert ids
    for hub_id in ids:
        assert re.search(rf"│ {re.escape(hub_id)} +│", done.stdout), hub_id
    assert "…" not in done.stdout


def _matrix_rows(text: str) -> list[str]:
    block = text.split("Compliance", 1)[1].split("P pass", 1)[0]
    return [line for line in block.splitlines() if "alashankou" in line]


def test_compliance_matrix_marks_at_80_columns_not_on_a_terminal() -> None:
    args = ["score", "--standard", "eu-tent-2024-1679", "--missing", "worst", "--samples", "0"]
    done = _run(args, columns=80)
    assert done.returncode == 0, done.stderr
    (row,) = _matrix_rows(done.stdout)
    assert re.search(r"│ [Pp?F-]!? +│", row), row


def test_compliance_matrix_marks_on_an_80_column_terminal() -> None:
    env_args = ["score", "--standard", "eu-tent-2024-1679", "--missing", "worst", "--samples", "0"]
    env = {**os.environ, "COLUMNS": "80", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "freighthub", *env_args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout)
    assert max(len(line) for line in text.splitlines()) <= 80
    # with 11 criteria the hub column folds the id ("alasha" / "nkou"): match its first line
    block = text.split("Compliance", 1)[1].split("P pass", 1)[0]
    (row,) = [line for line in block.splitlines() if line.strip().startswith("alasha")]
    marks = re.findall(r"(?<= )[Pp?F-]!?(?= )", row)
    assert len(marks) == 11, row  # one mark per criterion of the standard


def test_no_progress_with_json_or_off_a_terminal() -> None:
    assert progress_wanted(json=True) is False
    assert progress_wanted(json=False) is False  # pytest captures: not a terminal


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import freighthub.cli.hubs as hubs_cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(hubs_cli, "load_hubs", interrupted)
    with pytest.raises(SystemExit) as info:
        main(["hubs", "list"])
    assert info.value.code == 130
    assert capsys.readouterr().err.strip() == "interrupted"


def test_no_command_prints_the_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    out = capsys.readouterr().out
    assert "Usage: freighthub" in out
    for name in COMMANDS:
        assert name in out


def test_unknown_command_suggests_one_not_yet_loaded(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["simulat", "x.toml"])
    assert info.value.code == 2
    assert capsys.readouterr().err.strip() == (
        "error: freighthub: No such command 'simulat'. Did you mean 'simulate'?"
    )


def test_json_mode_sends_c_level_output_to_stderr() -> None:
    """What a C library writes to file descriptor 1 (a solver banner) must not reach stdout."""
    code = (
        "import os, sys\n"
        "from freighthub.cli.output import emit_json, json_only_stdout\n"
        "with json_only_stdout():\n"
        "    os.write(1, b'Running a solver banner\\n')\n"
        "    print('a Python print')\n"
        "    emit_json({'ok': True})\n"
        "print('after')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.endswith("after\n")
    assert json.loads(done.stdout.removesuffix("after\n")) == {"ok": True}
    assert "Running a solver banner" in done.stderr
    assert "a Python print" in done.stderr
