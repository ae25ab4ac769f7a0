"""The user guide and API reference build offline without a single warning (``make docs``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_docs_build_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    command = [str(mkdocs) if mkdocs.exists() else shutil.which("mkdocs") or "mkdocs"]
    done = subprocess.run(
        [*command, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    api = tmp_path / "site" / "api"
    reference = (api / "sim" / "index.html").read_text(encoding="utf-8")
    assert "run_scenario" in reference and "to_pandas" in reference
    assert (tmp_path / "site" / "tutorial" / "index.html").exists()
