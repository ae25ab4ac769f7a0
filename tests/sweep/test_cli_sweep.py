"""``freighthub sweep``: JSON output, table, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from freighthub.cli import main

ONE_CELL = '[[cells]]\nid = "base"\n'
WITH_BAD_CELL = (
    ONE_CELL + '[[cells]]\nid = "bad"\n[[cells.change_services]]\nid = "nope"\ncapacity_teu = 10\n'
)


def _run(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_json_result(
    write_sweep: Callable[..., Path],
    hubs_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_sweep(ONE_CELL, reps=2)
    out = tmp_path / "out"
    code = _run(
        ["sweep", str(path), "--workers", "1", "--out", str(out), "--hubs", str(hubs_dir), "--json"]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["ok"] is True
    assert (doc["tasks_total"], doc["tasks_run"], doc["tasks_skipped"]) == (2, 2, 0)
    cell = doc["summary"]["cells"][0]
    assert cell["id"] == "base"
    assert cell["replications"] == 2
    assert cell["estimates"]["throughput_teu"]["n"] == 2
    assert (out / "results" / "cell=base" / "rep-0001.parquet").is_file()
    # cost and kgCO2e per TEU as in simulate and compare, and per route
    est = cell["estimates"]
    assert est["cost_cny"]["unit"] == "cny" and est["cost_cny"]["mean"] > 0
    assert est["cost_cny_per_teu"]["unit"] == "cny_per_teu"
    assert est["emissions_kgco2e_wtw_per_teu"]["unit"] == "kgco2e_per_teu"
    assert est["routes.west-east/rail.price_cny_per_teu"]["unit"] == "cny_per_teu"
    assert est["routes.west-east/rail.price_cny_per_teu"]["mean"] > 0
    assert est["routes.west-east/rail.on_time_share"]["mean"] is None  # no promise


def test_table_in_kgco2e_with_cost_and_routes(
    write_sweep: Callable[..., Path],
    hubs_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    path = write_sweep(ONE_CELL, reps=1)
    code = _run(
        [
            "sweep",
            str(path),
            "--workers",
            "1",
            "--out",
            str(tmp_path / "o"),
            "--hubs",
            str(hubs_dir),
        ]
    )
    text = capsys.readouterr().out
    assert code == 0
    assert "emissions WTW [kgCO2e]" in text and "tCO2e" not in text
    assert "cost per TEU [CNY/TEU]" in text and "cost [CNY]" in text
    assert "Per cell and route" in text and "west-east/rail" in text


def test_failed_tasks_give_exit_code_3_and_are_listed(
    write_sweep: Callable[..., Path],
    hubs_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_sweep(WITH_BAD_CELL, reps=1)
    code = _run(
        [
            "sweep",
            str(path),
            "--workers",
            "1",
            "--out",
            str(tmp_path / "o"),
            "--hubs",
            str(hubs_dir),
        ]
    )
    text = capsys.readouterr().out
    assert code == 3
    failed = [line for line in text.splitlines() if line.startswith("failed: cell bad")]
    assert len(failed) == 1  # one line, however long the temporary path
    assert "replication 0" in failed[0]
    assert "unknown service" in failed[0]
    assert "valid: barge-ab, rail-ab" in failed[0]
    assert "base (n = 1)" in text


def test_bad_sweep_file_exits_2_with_one_line(
    write_sweep: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_sweep('[[cells]]\nid = "a"\nbase = "x.toml"\n')
    code = _run(["sweep", str(path), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "cells[0].base = 'x.toml'" in err


@pytest.mark.parametrize(
    ("extra", "match"),
    [(["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --executor dask"),
     (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "not both")],
)  # fmt: skip
def test_executor_usage_errors_exit_2(
    write_sweep: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    match: str,
) -> None:
    path = write_sweep(ONE_CELL)
    code = _run(["sweep", str(path), "--out", str(tmp_path / "o"), *extra])
    assert code == 2
    assert match in capsys.readouterr().err
