"""The report's inputs: the hubs it covers, and the names of the others a scenario names."""

from __future__ import annotations

from pathlib import Path

from freighthub.report.inputs import gather_inputs
from freighthub.report.spec import load_report_spec


def test_a_hub_the_report_does_not_cover_keeps_its_name(spec_file: Path) -> None:
    # a simulated scenario may name ports the report does not score (the demo's baseline
    # has ten, the report five): tables show their names, not their ids
    text = spec_file.read_text(encoding="utf-8")
    spec_file.write_text(
        text.replace('hubs = "hubs"\n', 'hubs = "hubs"\nhub_ids = ["alpha-port"]\n')
    )
    spec, path = load_report_spec(spec_file)
    inputs = gather_inputs(spec, path)
    assert list(inputs.hubs) == ["alpha-port"]
    beta = inputs.hub("beta-terminal")
    assert beta is not None and beta.names.en == "Beta Terminal"
    assert inputs.hub("alpha-port") is inputs.hubs["alpha-port"]
    assert inputs.hub("nowhere") is None
