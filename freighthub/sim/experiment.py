"""Experiments: seeds, replications, warm-up and common random numbers (clock in hours [h]).

One call runs a scenario file end to end: load and check the scenario and its hubs,
compile the network, load the emission factor pack, then for each replication draw
the arrivals (:func:`freighthub.sim.demand.generate_arrivals`), run the fast engine
(:func:`freighthub.sim.engine.run`) and summarise (:func:`freighthub.sim.summary.summarise`).
Replications are combined into means with 95 % t-intervals
(:func:`freighthub.sim.estimates.combine`; :class:`ExperimentResult` and
:class:`Replication` live in :mod:`freighthub.sim.estimates` and are re-exported here).

Common random numbers: replication ``r`` of seed ``s`` draws from streams keyed by
``(s, r, OD id, purpose)``, so a baseline and a variant run with the same seed see
the same arrivals, box sizes and handling draws wherever their inputs agree; only
the change differs. The warm-up (``warmup_h`` of the scenario) is simulated but
excluded from every statistic.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from freighthub.emissions import FactorPack
from freighthub.errors import UnknownIdentifierError
from freighthub.lifeline import exit_with
from freighthub.model.paths import data_dir
from freighthub.model.provenance import Manifest, build_manifest
from freighthub.model.scenario import load_scenario_with_pack
from freighthub.sim.checks import result_warnings
from freighthub.sim.compiler import compile_network
from freighthub.sim.demand import generate_arrivals
from freighthub.sim.estimates import ExperimentResult, Replication, combine
from freighthub.sim.network import CompiledNetwork, Engine
from freighthub.sim.output import check_output_folder, write_outputs
from freighthub.sim.summary import Summary, summarise

__all__ = [
    "ExperimentResult",
    "Progress",
    "Replication",
    "run_network",
    "run_scenario",
    "sample_scenario_path",
]

#: Called after each replication with ``(replications done, replications in total)``.
Progress = Callable[[int, int], None]


def _default_engine() -> Engine:
    from freighthub.sim import engine  # imported here: the engine is the heavy part

    return engine.run


def _replicate(
    network: CompiledNetwork, pack: FactorPack, run: Engine, seed: int, r: int, keep: bool
) -> tuple[int, Summary, Replication | None]:
    arrivals = generate_arrivals(network, seed, r)
    result = run(network, arrivals)
    summary = summarise(network, arrivals, result, pack)
    return r, summary, (Replication(r, arrivals, result, summary) if keep else None)


def run_network(
    network: CompiledNetwork,
    pack: FactorPack,
    *,
    seed: int,
    replications: int,
    engine: Engine | None = None,
    progress: Progress | None = None,
    keep_runs: bool = False,
    manifest: Manifest | None = None,
    workers: int = 1,
) -> ExperimentResult:
    """Run replications of a compiled network.

    Replications are independent (each has its own random streams), so running them in
    ``workers`` processes gives exactly the same summaries as running them one by one.

    Parameters
    ----------
    network
        The compiled network.
    pack
        Emission factor pack with every intensity id of the network.
    seed
        Seed [-], >= 0.
    replications
        Number of replications [-], >= 1.
    engine
        The engine to run (default :func:`freighthub.sim.engine.run`).
    progress
        Called after each replication.
    keep_runs
        Keep arrivals and engine results of every replication (for Parquet output).
    manifest
        Reproducibility manifest to attach (default: one without input files).
    workers
        Processes to run replications in [-]; 1 runs them in this process. The engine
        must then be a module-level function (picklable).

    Raises
    ------
    ValueError
        If ``seed`` < 0, ``replications`` < 1 or ``workers`` < 1.
    """
    if seed < 0:
        raise ValueError(f"seed = {seed}: must be >= 0")
    if replications < 1:
        raise ValueError(f"replications = {replications}: must be >= 1")
    if workers < 1:
        raise ValueError(f"workers = {workers}: must be >= 1")
    run = engine or _default_engine()
    summaries: dict[int, Summary] = {}
    kept: dict[int, Replication] = {}

    def collect(item: tuple[int, Summary, Replication | None]) -> None:
        r, summary, rep = item
        summaries[r] = summary
        if rep is not None:
            kept[r] = rep
        if progress is not None:
            progress(len(summaries), replications)

    if workers == 1 or replications == 1:
        for r in range(replications):
            collect(_replicate(network, pack, run, seed, r, keep_runs))
    else:
        with ProcessPoolExecutor(
            max_workers=min(workers, replications), initializer=exit_with, initargs=(os.getpid(),)
        ) as pool:
            futures = [
                pool.submit(_replicate, network, pack, run, seed, r, keep_runs)
                for r in range(replications)
            ]
            for future in as_completed(futures):
                collect(future.result())
    ordered = [summaries[r] for r in range(replications)]
    estimates = combine(ordered)
    return ExperimentResult(
        network=network,
        pack_id=pack.id,
        seed=seed,
        replications=replications,
        summaries=tuple(ordered),
        estimates=estimates,
        runs=tuple(kept[r] for r in sorted(kept)),
        manifest=manifest or build_manifest([], seed=seed, replications=replications),
        warnings=result_warnings(network, estimates),
    )


def run_scenario(
    path: str | Path,
    *,
    seed: int | None = None,
    replications: int | None = None,
    hubs_dir: str | Path | None = None,
    pack: str | Path | None = None,
    out: str | Path | None = None,
    force: bool = False,
    engine: Engine | None = None,
    progress: Progress | None = None,
    workers: int = 1,
) -> ExperimentResult:
    """Simulate a scenario file: load, compile, replicate, summarise, optionally write.

    Parameters
    ----------
    path
        Scenario TOML file.
    seed, replications
        Override the scenario's ``[experiment]`` values.
    hubs_dir
        Folder of hub files (default: the shipped ``hubs/``).
    pack
        Emission factor pack id or file (default: the scenario's ``emission_pack``).
    out
        Folder to write ``summary.json``, ``manifest.json``, ``journeys.parquet`` and
        ``trips.parquet`` into (atomically); nothing is written when ``None``.
    force
        Replace an existing ``out`` folder.
    engine
        Engine to run (default :func:`freighthub.sim.engine.run`).
    progress
        Called after each replication with ``(done, total)``.
    workers
        Processes to run replications in (identical results for any number).

    Raises
    ------
    DataFileError
        For an invalid scenario or hub file, or a scenario without ``emission_pack``
        when no ``pack`` is given.
    UnknownIdentifierError
        For an unknown factor pack.
    ExistingResultError
        If ``out`` exists and ``force`` is false (checked before simulating).
    """
    if out is not None:
        check_output_folder(out, force=force)
    loaded, factor_pack = load_scenario_with_pack(path, hubs_dir, pack)
    network = compile_network(loaded)
    seed_ = loaded.scenario.experiment.seed if seed is None else seed
    reps = loaded.scenario.experiment.replications if replications is None else replications
    manifest = build_manifest(
        [*loaded.input_files, *factor_pack.files], seed=seed_, replications=reps
    )
    result = run_network(
        network,
        factor_pack,
        seed=seed_,
        replications=reps,
        engine=engine,
        progress=progress,
        keep_runs=out is not None,
        manifest=manifest,
        workers=workers,
    )
    if out is not None:
        write_outputs(result, out, force=force)
    return result


def sample_scenario_path(name: str = "yangtze-corridor") -> Path:
    """Path of a shipped sample scenario in ``data_dir("scenarios")``.

    Parameters
    ----------
    name
        Scenario id: ``"yangtze-corridor"`` (default) or ``"china-europe-rail"``.

    Raises
    ------
    UnknownIdentifierError
        If no scenario of that id is shipped (the message lists the shipped ones).
    """
    folder = data_dir("scenarios")
    path = folder / f"{name}.toml"
    if not path.is_file():
        shipped = [p.stem for p in folder.glob("*.toml")] if folder.is_dir() else []
        raise UnknownIdentifierError("scenario", name, shipped)
    return path
