"""The main job on the shipped data, as run by ``freighthub demo`` and ``make demo``.

It validates every shipped data file, shows the hubs and the distances between
them, computes the emissions of the example transport chain, and writes the
standard assessment report of the Yangtze corridor in English and Chinese: hub
compliance and ranking with its stability, the simulation of the corridor, the
comparison of policy variants with their base, and the optimal mode split. The
report's summary of findings is returned for the console.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from freighthub.errors import DataFileError
from freighthub.geo import distance_matrix_km
from freighthub.model.chain import ChainEvaluation, evaluate_chain_file, example_chain_path
from freighthub.model.factors import available_packs, load_factor_pack
from freighthub.model.hub import Hub, check_hub_files
from freighthub.model.mode_choice import (
    available_mode_choice_parameters,
    load_mode_choice_parameters,
)
from freighthub.model.network import check_network_files
from freighthub.model.paths import data_dir
from freighthub.model.scenario import load_scenario
from freighthub.model.standard import check_standard_files
from freighthub.model.sweep import load_sweep
from freighthub.model.variant import load_variant_chain
from freighthub.report.spec import load_report_spec
from freighthub.report.writer import ReportFiles, parse_formats, write_reports

__all__ = ["DEMO_SPEC", "DemoResult", "ShippedData", "run_demo", "validate_shipped_data"]

#: The report spec the demo writes (relative to the checkout).
DEMO_SPEC = Path("docs") / "examples" / "reports" / "yangtze-inland-ports.toml"


@dataclass(frozen=True)
class ShippedData:
    """What :func:`validate_shipped_data` checked, by kind: ids or file names."""

    hubs: dict[str, Hub]
    checked: dict[str, list[str]]


@dataclass(frozen=True)
class DemoResult:
    """What the demo computed and wrote.

    Attributes
    ----------
    data
        The validated shipped data.
    distance_matrix_km
        Geodesic distances between the hubs, in the order of ``data.hubs`` [km].
    chain
        Emissions of the example transport chain (WTW and TTW per element).
    reports
        The reports written, by language.
    findings
        The report's summary of findings, one sentence each (English).
    """

    data: ShippedData
    distance_matrix_km: list[list[float]]
    chain: ChainEvaluation
    reports: dict[str, ReportFiles]
    findings: list[str]


def _toml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def validate_shipped_data(root: Path | None = None) -> ShippedData:
    """Load and validate every shipped data file.

    Hubs, standards and profiles, transport networks, emission factor packs, mode-choice parameters,
    scenarios, scenario variants, sweeps, transport chains and report specs.

    Parameters
    ----------
    root
        The checkout (default: the folder that holds the shipped ``hubs/``).

    Raises
    ------
    DataFileError
        For the first invalid file (hubs and standards: every bad file is checked
        first, the first error is raised).
    """
    base = root if root is not None else data_dir("hubs").parent
    hubs, hub_errors = check_hub_files([base / "hubs"])
    if hub_errors:
        raise hub_errors[0]
    standards, standard_errors = check_standard_files([base / "standards"])
    if standard_errors:
        raise standard_errors[0]
    network, network_errors = check_network_files([base / "networks"], hubs)
    if network_errors or network is None:
        raise network_errors[0]
    checked: dict[str, list[str]] = {
        "hubs": list(hubs),
        "standards": list(standards),
        "networks": [p.stem for p in network.files],
    }
    packs = available_packs(base / "standards" / "emissions")
    for pack_id in packs:
        load_factor_pack(pack_id, base / "standards" / "emissions")
    checked["emission factor packs"] = list(packs)
    choice = available_mode_choice_parameters(base / "standards" / "mode-choice")
    for choice_id in choice:
        load_mode_choice_parameters(choice_id, base / "standards" / "mode-choice")
    checked["mode-choice parameters"] = list(choice)
    scenarios = base / "scenarios"
    for kind, folder, load in (
        ("scenarios", scenarios, lambda p: load_scenario(p, base / "hubs")),
        ("scenario variants", scenarios / "variants", load_variant_chain),
        ("sweeps", scenarios / "sweeps", load_sweep),
        ("transport chains", scenarios / "chains", evaluate_chain_file),
        ("report specs", base / "docs" / "examples" / "reports", load_report_spec),
    ):
        files = _toml_files(folder)
        for path in files:
            load(path)
        checked[kind] = [p.name for p in files]
    return ShippedData(hubs=hubs, checked=checked)


def _findings(report: ReportFiles) -> list[str]:
    doc = json.loads(report.files["json"].read_text(encoding="utf-8"))
    summary = next(s for s in doc["sections"] if s["id"] == "summary")
    lines: list[str] = []
    for block in summary["blocks"]:
        if block["type"] == "bullets":
            lines.extend(i if isinstance(i, str) else i["text"] for i in block["items"])
    return lines


def run_demo(
    reports_dir: Path | None = None,
    *,
    languages: Sequence[str] = ("en", "zh"),
    formats: str = "html,pdf,json",
    force: bool = False,
    workers: int = 1,
) -> DemoResult:
    """Run the main job on the shipped data.

    Parameters
    ----------
    reports_dir
        Folder the reports are written to (default ``reports/``): ``demo`` for
        English, ``demo-zh`` for Chinese.
    languages
        Report languages.
    formats
        Report formats; ``json`` is always added (the findings are read from it).
    force
        Replace existing demo reports.
    workers
        Processes the simulations run their replications in (same reports for any
        number).

    Raises
    ------
    DataFileError
        If any shipped data file is invalid.
    ExistingResultError
        If a demo report exists and ``force`` is false.
    """
    data = validate_shipped_data()
    root = data_dir("hubs").parent
    spec = root / DEMO_SPEC
    if not spec.is_file():
        raise DataFileError(spec, "the demo report spec is missing")
    folder = reports_dir if reports_dir is not None else data_dir("reports")
    outs: dict[str, str | Path | None] = {
        lang: folder / ("demo" if i == 0 else f"demo-{lang}") for i, lang in enumerate(languages)
    }
    wanted = (*parse_formats(formats), "json")  # the findings read the JSON
    reports = write_reports(spec, outs, formats=wanted, force=force, workers=workers)
    return DemoResult(
        data=data,
        distance_matrix_km=distance_matrix_km(list(data.hubs.values())),
        chain=evaluate_chain_file(example_chain_path()),
        reports=reports,
        findings=_findings(reports[languages[0]]),
    )
