"""tests/questionnaire on sys.path (for ``_filling``), and a filled-in questionnaire."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from _filling import ANSWERS, PROFILE, fill  # type: ignore[import-not-found]


@pytest.fixture()
def filled(tmp_path: Path) -> Path:
    """A questionnaire of the example profile, filled in for one hub."""
    from freighthub.model.standard import find_standard
    from freighthub.questionnaire import write_template

    template = write_template(find_standard(PROFILE), tmp_path / "template.xlsx")
    return fill(template, tmp_path / "filled.xlsx", ANSWERS)
