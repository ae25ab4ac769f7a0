"""A bad-input corpus generated from the shipped example files.

Each shipped example (scenario, variant, chain, sweep, report spec, standard,
profile, factor pack, mode-choice file, CSV decision matrix, weights, AHP matrix,
hub file) is mutated systematically: every field deleted, numbers set to -1, 0,
1e300, nan, inf and a string, text fields set to an unknown id, ids duplicated,
and the whole file emptied, truncated, made not UTF-8; CSV rows made ragged,
truncated or replaced by a garbage line. Each case runs through the CLI command
that reads the file, in process.

A case is expected to fail with exit code 2 and one line on stderr naming the
file and the field, unless it is listed in ``VALID`` with the reason why the
mutation is still valid input (nothing is accepted by default).

Run ``python tests/corpus/_corpus.py`` for the outcome table (kind x mutation).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import math
import shutil
import signal
import sys
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Text fields whose content is free prose: replacing it with another string is valid.
PROSE = {
    "name",
    "description",
    "source",
    "location_source",
    "notes",
    "note",
    "document",
    "edition",
    "clause",
    "url",
    "licence",
    "title",
    "en",
    "zh",
    "vehicle",
    "region",
    "distance_basis_note",
    "page",
    "table",
    "comment",
    "basis",
    "reason",
    "definition",
    "operator",
    "address",
    "website",
    "text",
    "label",
    "official_name",
    "city",
    "province",
    "country",
}

UNKNOWN = "zz-no-such-id"
NUMBERS: dict[str, Any] = {
    "neg": -1,
    "zero": 0,
    "huge": 1e300,
    "nan": math.nan,
    "inf": math.inf,
    "string": "x",
}


# --- writing TOML ---------------------------------------------------------------------


def dump_toml(data: dict[str, Any]) -> str:
    """TOML text of a (mutated) file: the writer the optimiser's scenario export uses."""
    from freighthub.optimize.export import toml_text

    return toml_text(data)


# --- cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One bad (or explicitly valid) input and how to run it."""

    kind: str
    mutation: str  # delete, neg, zero, huge, nan, inf, string, unknown-id, duplicate-id, ...
    where: str  # dotted field path, or "(file)"
    field: str | None  # a word the message must contain (besides the file name)
    filename: str
    content: bytes
    argv: Callable[[Path, Path], list[str]] = field(compare=False, repr=False)
    siblings: tuple[Path, ...] = ()  # files copied beside the mutated file

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.where}:{self.mutation}"


Path_ = list[str | int]


def _leaves(data: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    """Every field path (only the first item of a list of tables, to bound the corpus)."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield [*path, k], v
            yield from _leaves(v, [*path, k])
    elif isinstance(data, list) and data:
        if isinstance(data[0], dict):
            yield from _leaves(data[0], [*path, 0])
        else:
            yield [*path, 0], data[0]


def _dotted(path: Path_) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + p
    return out


def _named(path: Path_) -> str | None:
    """The field name a message must carry: the last key that is not ``value``."""
    names = [p for p in path if isinstance(p, str) and p != "value"]
    return names[-1] if names else None


def _set(data: Any, path: Path_, value: Any) -> None:
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def _delete(data: Any, path: Path_) -> None:
    for p in path[:-1]:
        data = data[p]
    del data[path[-1]]


def _copy(data: Any) -> Any:
    return copy.deepcopy(data)


def toml_cases(
    kind: str,
    source: Path,
    argv: Callable[[Path, Path], list[str]],
    *,
    prepare: Callable[[dict[str, Any]], None] | None = None,
    siblings: tuple[Path, ...] = (),
) -> list[Case]:
    """Every mutation of the TOML file ``source`` (after ``prepare`` edits its data)."""
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    if prepare is not None:
        prepare(data)
    name = source.name
    cases: list[Case] = []

    def add(mutation: str, path: Path_, new: dict[str, Any], named: str | None) -> None:
        text = dump_toml(new).encode("utf-8")
        cases.append(Case(kind, mutation, _dotted(path), named, name, text, argv, siblings))

    base_text = dump_toml(data).encode("utf-8")
    cases.append(Case(kind, "none", "(file)", None, name, base_text, argv, siblings))
    for path, value in _leaves(data, []):
        last = path[-1]
        if isinstance(last, str):
            new = _copy(data)
            _delete(new, path)
            add("delete", path, new, _named(path))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            for mutation, number in NUMBERS.items():
                new = _copy(data)
                _set(new, path, number)
                add(mutation, path, new, _named(path))
        elif isinstance(value, str) and _named(path) not in PROSE:
            new = _copy(data)
            _set(new, path, UNKNOWN)
            add("unknown-id", path, new, _named(path))
        elif isinstance(value, list) and value and not isinstance(value[0], (dict, list)):
            new = _copy(data)
            _set(new, path, [*value, value[0]])
            add("duplicate-id", path, new, _named(path))
        elif (
            isinstance(value, list)
            and len(value) >= 2
            and isinstance(value[0], dict)
            and "id" in value[0]
            and "id" in value[1]
        ):
            new = _copy(data)
            _set(new, [*path, 1, "id"], value[0]["id"])
            add("duplicate-id", [*path, 1, "id"], new, "id")
    raw = source.read_bytes()
    for mutation, content in file_mutations(raw).items():
        cases.append(Case(kind, mutation, "(file)", None, name, content, argv, siblings))
    return cases


def file_mutations(raw: bytes) -> dict[str, bytes]:
    """Whole-file mutations: empty, truncated, not UTF-8, garbage."""
    return {
        "empty": b"",
        "truncated": raw[: len(raw) // 2],
        "not-utf8": b"\xff\xfe\x00" + raw,
        "garbage": b"\x00\x01garbage }{ ][\n",
    }


def csv_cases(kind: str, source: Path, argv: Callable[[Path, Path], list[str]]) -> list[Case]:
    """Mutations of a CSV decision matrix."""
    lines = source.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    name = source.name
    n = header.count(",")
    muts: dict[str, tuple[str, list[str], str | None]] = {
        "ragged-long": ("row 2", [header, rows[0] + ",99", *rows[1:]], None),
        "ragged-short": ("row 2", [header, rows[0].rsplit(",", 1)[0], *rows[1:]], None),
        "truncated-row": ("last row", [header, *rows[:-1], rows[-1][: len(rows[-1]) // 2]], None),
        "garbage-line": ("row", [header, *rows, "garbage line here"], None),
        "duplicate-id": ("id", [header, *rows, rows[0]], None),
        "unknown-id": ("header", [header.replace(header.split(",")[1], ""), *rows], None),
        "string": (
            "cell",
            [header, rows[0].replace(rows[0].split(",")[1], "x", 1), *rows[1:]],
            None,
        ),
        "nan": (
            "cell",
            [header, rows[0].replace(rows[0].split(",")[1], "nan", 1), *rows[1:]],
            None,
        ),
        "inf": (
            "cell",
            [header, rows[0].replace(rows[0].split(",")[1], "inf", 1), *rows[1:]],
            None,
        ),
        "header-only": ("rows", [header], None),
        "no-criteria": ("header", ["id", *(r.split(",")[0] for r in rows)], None),
        "duplicate-column": (
            "header",
            [header + "," + header.split(",")[1], *(r + ",1" for r in rows)],
            None,
        ),
        "blank-id": ("id", [header, "," + rows[0].split(",", 1)[1], *rows[1:]], None),
    }
    assert n > 1
    cases = [Case(kind, "none", "(file)", None, name, source.read_bytes(), argv)]
    for mutation, (where, new_lines, named) in muts.items():
        text = ("\n".join(new_lines) + "\n").encode("utf-8")
        cases.append(Case(kind, mutation, where, named, name, text, argv))
    for mutation, content in file_mutations(source.read_bytes()).items():
        cases.append(Case(kind, mutation, "(file)", None, name, content, argv))
    return cases


# --- the shipped examples and the commands that read them --------------------------------

SCEN = ROOT / "scenarios"
STD = ROOT / "standards"
CSV = ROOT / "docs" / "examples" / "rank-example.csv"
TYPES = "benefit,cost,benefit,cost"
# Examples of the kinds that ship none (weights, AHP): see tests/corpus/examples/.
EXAMPLES = Path(__file__).resolve().parent / "examples"


def _absolute(data: dict[str, Any], key: str, folder: Path) -> None:
    if key in data:
        value = data[key]
        if isinstance(value, list):
            data[key] = [str((folder / v).resolve()) for v in value]
        else:
            data[key] = str((folder / value).resolve())


def _sourced(value: Any) -> dict[str, Any]:
    return {"value": value, "source": "corpus: not a fact", "confidence": "assumption"}


def _scenario_prepare(data: dict[str, Any]) -> None:
    """Background flows, so that their fields are mutated too (not in the shipped file)."""
    data["background_hub_flows"] = [
        {
            "id": f"{hub}-other",
            "hub": hub,
            "teu_per_year": _sourced(1.0e6),
            "box_40ft_share": _sourced(0.5),
            "moves_per_call": _sourced(1000),
            "seasonality": _sourced([1.0] * 12),
        }
        for hub in ("wuhan-yangluo", "nanjing-longtan")
    ]
    data["background_service_flows"] = [
        {
            "id": "barge-other",
            "service": "yangluo-yangshan-barge",
            "teu_per_year": _sourced(5000.0),
            "box_40ft_share": _sourced(0.5),
            "lot_teu": _sourced(10),
        }
    ]


def _terminal_prepare(data: dict[str, Any]) -> None:
    """A terminal model (#19) on the corridor scenario: shift pattern, arrival profile,
    pools at Guoyuan (the first hub: barge, rail and road boxes), a loading window and
    stochastic travel on the first service, a profile on the first OD. Corpus values,
    not facts."""
    data["shift_patterns"] = [
        {
            "id": "two-shifts",
            "source": "corpus: not a fact",
            "confidence": "assumption",
            "periods": [
                {"start_h": 0.0, "end_h": 6.0, "on_duty_share": 0.5},
                {"start_h": 6.0, "end_h": 22.0, "on_duty_share": 1.0},
                {"start_h": 22.0, "end_h": 168.0, "on_duty_share": 0.5},
            ],
        }
    ]
    data["arrival_profiles"] = [
        {
            "id": "daytime",
            "hour_of_day_weights": [0.5] * 6 + [1.5] * 12 + [0.5] * 6,
            "day_of_week_weights": [1.0] * 5 + [0.5] * 2,
            "source": "corpus: not a fact",
            "confidence": "assumption",
        }
    ]
    guoyuan = data["hub_resources"][0]
    guoyuan["truck_wait_threshold_h"] = _sourced(0.333)
    guoyuan["pools"] = [
        {
            "task": "quay",
            "units": _sourced(2),
            "moves_per_h": _sourced(25.0),
            "service_distribution": "lognormal",
            "service_cv": _sourced(0.5),
            "priority": "service_first",
            "shift_pattern": "two-shifts",
            "mtbf_h": _sourced(200.0),
            "mttr_h": _sourced(4.0),
        },
        {"task": "rail", "units": _sourced(1), "moves_per_h": _sourced(20.0)},
        {
            "task": "yard",
            "units": _sourced(2),
            "service_distribution": "empirical",
            "service_samples_h": _sourced([0.04, 0.05, 0.06]),
        },
        {"task": "gate", "units": _sourced(2), "moves_per_h": _sourced(30.0)},
    ]
    service = data["services"][0]
    service["loading_window_h"] = _sourced(6.0)
    service["travel_time_cv"] = _sourced(0.1)
    data["demand"][0]["arrival_profile"] = "daytime"
    # background trucks (#16/#19) in Guoyuan's gate and yard pools
    data["background_hub_flows"] = [_truck_flow("chongqing-guoyuan", 0.5)]


#: The fields the terminal model adds (the corpus keeps only their mutations).
TERMINAL_FIELDS = (
    "shift_patterns",
    "arrival_profiles",
    "hub_resources[0].pools",
    "hub_resources[0].truck_wait_threshold_h",
    "services[0].loading_window_h",
    "services[0].travel_time_cv",
    "demand[0].arrival_profile",
    "background_hub_flows[0].road_share",
    "background_hub_flows[0].trucks_per_job",
)


def terminal_cases() -> list[Case]:
    """The corridor scenario with a terminal model: every mutation of the terminal
    fields (the rest of the file is the ``scenario`` kind's), and the control case."""
    cases = toml_cases(
        "scenario-terminal",
        SCEN / "yangtze-corridor.toml",
        lambda f, out: ["simulate", str(f), "-r", "1", "--json"],
        prepare=_terminal_prepare,
    )
    cases = [
        c
        for c in cases
        if c.where.startswith(TERMINAL_FIELDS) or (c.where, c.mutation) == ("(file)", "none")
    ]
    return cases + _terminal_rule_cases()


def _terminal_rule_cases() -> list[Case]:
    """The rules across fields that docs/terminal-operations.md lists (one case each)."""
    source = SCEN / "yangtze-corridor.toml"
    base = tomllib.loads(source.read_text(encoding="utf-8"))
    _terminal_prepare(base)

    def pools(data: dict[str, Any]) -> list[dict[str, Any]]:
        return data["hub_resources"][0]["pools"]  # type: ignore[no-any-return]

    def period(data: dict[str, Any]) -> dict[str, Any]:
        return data["shift_patterns"][0]["periods"][1]  # type: ignore[no-any-return]

    edits: list[tuple[str, str, Callable[[dict[str, Any]], None]]] = [
        ("zero-units-yard", "pools[2].units", lambda d: pools(d)[2].update(units=_sourced(0))),
        ("zero-units-rail", "pools[1].units", lambda d: pools(d)[1].update(units=_sourced(0))),
        ("gap-in-week", "periods[1].start_h", lambda d: period(d).update(start_h=7.0)),
        ("never-on-duty", "pools[1].shift_pattern",
         lambda d: (d["shift_patterns"][0]["periods"][1].update(on_duty_share=0.4),
                    [p.update(on_duty_share=0.0) for p in d["shift_patterns"][0]["periods"][::2]],
                    pools(d)[1].update(shift_pattern="two-shifts"))),
        ("empty-samples", "service_samples_h",
         lambda d: pools(d)[2].update(service_samples_h=_sourced([]))),
        ("shape-without-erlang", "service_shape", lambda d: pools(d)[1].update(service_shape=2)),
        ("moves-with-empirical", "moves_per_h",
         lambda d: pools(d)[2].update(moves_per_h=_sourced(20.0))),
        ("window-longer-than-cutoff", "loading_window_h",
         lambda d: d["services"][0].update(loading_window_h=_sourced(13.0))),
        ("gate-pool-and-gate-time", "pools[3].task",
         lambda d: d["hub_resources"][0].update(gate_time_h=_sourced(0.05))),
        ("two-pools-one-task", "pools[1].task", lambda d: pools(d)[1].update(task="quay")),
        ("profile-all-zero", "hour_of_day_weights",
         lambda d: d["arrival_profiles"][0].update(hour_of_day_weights=[0.0] * 24)),
        ("road-share-without-truck-pool", "background_hub_flows[0].road_share",
         lambda d: d.update(background_hub_flows=[_truck_flow("wuhan-yangluo", 0.5)])),
        ("road-share-above-1", "road_share",
         lambda d: d.update(background_hub_flows=[_truck_flow("chongqing-guoyuan", 1.5)])),
        ("trucks-per-job-without-road-share", "trucks_per_job",
         lambda d: d.update(background_hub_flows=[_truck_flow("chongqing-guoyuan", None)])),
    ]  # fmt: skip
    cases: list[Case] = []
    for label, named, edit in edits:
        data = _copy(base)
        edit(data)
        cases.append(
            Case("scenario-terminal", label, "(rule)", named, source.name,
                 dump_toml(data).encode("utf-8"),
                 lambda f, out: ["simulate", str(f), "-r", "1", "--json"])
        )  # fmt: skip
    return cases


def _truck_flow(hub: str, road_share: float | None) -> dict[str, Any]:
    """A background hub flow with trucks (#16/#19): ``road_share`` (``None``: left out)
    and 2 trucks per job. Corpus values, not facts."""
    flow = {
        "id": f"{hub}-other",
        "hub": hub,
        "teu_per_year": _sourced(1.0e5),
        "box_40ft_share": _sourced(0.5),
        "moves_per_call": _sourced(100),
        "trucks_per_job": _sourced(2),
    }
    if road_share is not None:
        flow["road_share"] = _sourced(road_share)
    return flow


def _variant_prepare(data: dict[str, Any]) -> None:
    _absolute(data, "base", SCEN / "variants")


def _sweep_prepare(data: dict[str, Any]) -> None:
    _absolute(data, "base", SCEN / "sweeps")
    data["replications"] = 1  # one replication per cell keeps a valid case quick


def _spec_prepare(data: dict[str, Any]) -> None:
    folder = ROOT / "docs" / "examples" / "reports"
    _absolute(data, "hubs", folder)
    # The simulation, scenario and LP sections run minutes of simulation for a valid
    # case; the corpus keeps the assessment and the map (their own files have corpora).
    # The appraisal and candidate-site sections are left out too: their files' bad
    # inputs are tested in tests/appraisal.
    for section in ("simulation", "scenarios", "optimisation", "appraisal", "candidates"):
        data.pop(section, None)


def all_cases() -> list[Case]:
    """The whole corpus."""
    cases: list[Case] = []
    cases += toml_cases(
        "scenario",
        SCEN / "yangtze-corridor.toml",
        lambda f, out: ["simulate", str(f), "-r", "1", "--json"],
        prepare=_scenario_prepare,
    )
    base = str(SCEN / "yangtze-corridor.toml")
    for variant in ("yangtze-carbon-price.toml", "yangtze-shift-30pct-more-barges.toml"):
        cases += toml_cases(
            "variant",
            SCEN / "variants" / variant,
            lambda f, out: ["compare", base, str(f), "-r", "2", "--json"],
            prepare=_variant_prepare,
        )
    cases += toml_cases(
        "chain",
        SCEN / "chains" / "chongqing-shanghai.toml",
        lambda f, out: ["emissions", str(f), "--json"],
    )
    cases += toml_cases(
        "sweep",
        SCEN / "sweeps" / "yangtze-carbon-price.toml",
        lambda f, out: ["sweep", str(f), "--out", str(out), "--workers", "1", "--json"],
        prepare=_sweep_prepare,
    )
    cases += toml_cases(
        "report-spec",
        ROOT / "docs" / "examples" / "reports" / "yangtze-inland-ports.toml",
        lambda f, out: ["report", str(f), "--format", "json", "--out", str(out)],
        prepare=_spec_prepare,
    )
    cases += toml_cases(
        "standard",
        STD / "unece-agtc.toml",
        lambda f, out: ["standards", "validate", str(f)],
    )
    cases += toml_cases(
        "profile",
        STD / "profiles" / "example-ministry-inland-port.toml",
        lambda f, out: ["standards", "validate", str(f)],
    )
    packs = STD / "emissions"
    cases += toml_cases(
        "factor-pack",
        packs / "glec-v3-2023.toml",
        lambda f, out: ["emissions", "--pack", str(f), "--list-intensities", "--json"],
        siblings=tuple(p for p in packs.glob("*.toml") if p.name != "glec-v3-2023.toml"),
    )
    cases += toml_cases(
        "mode-choice",
        STD / "mode-choice" / "yangtze-container-v1.toml",
        lambda f, out: ["optimize", base, "--mode-choice", str(f), "--json"],
    )
    cases += csv_cases(
        "csv-matrix",
        CSV,
        lambda f, out: [
            "rank",
            str(f),
            "--types",
            TYPES,
            "--weights",
            "4,3,2,1",
            "--missing",
            "worst",
            "--samples",
            "20",
            "--json",
        ],
    )
    cases += _weights_cases()
    cases += _ahp_cases()
    cases += _extra_cases(base)
    cases += toml_cases(
        "hub",
        ROOT / "hubs" / "wuhan-yangluo.toml",
        lambda f, out: ["hubs", "validate", str(f)],
    )
    stats = ROOT / "tests" / "calibrate" / "data"
    cases += toml_cases(
        "statistics",
        stats / "statistics" / "tiny-2023.toml",
        lambda f, out: [
            "validate-model",
            str(stats / "tinyval.toml"),
            "--hubs",
            str(stats / "hubs"),
            "--statistics",
            str(f.parent),
            "--check",
            "--json",
        ],
    )

    cases += questionnaire_cases()
    cases += terminal_cases()
    return cases


def _renamed_sheet(xlsx: bytes) -> bytes:
    """The workbook with its questionnaire sheet renamed (as a respondent might)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx))
    wb["questionnaire"].title = "answers"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import(f: Path, out: Path) -> list[str]:
    return ["hubs", "import", str(f), "--out", str(out)]


def questionnaire_cases() -> list[Case]:
    """Questionnaires (``hubs import``): a shipped hub exported as CSV and as a workbook,
    with every value, source, confidence, unit and field cell broken in turn."""
    import csv as csv_module

    from freighthub.model.hub import load_hub
    from freighthub.questionnaire import hub_rows
    from freighthub.questionnaire.sheets import _csv_bytes, _xlsx_bytes

    rows = hub_rows(load_hub(ROOT / "hubs" / "wuhan-yangluo.toml"))
    raw = _csv_bytes(rows)
    table = list(csv_module.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    col = {name: i for i, name in enumerate(header)}

    def text(lines: list[list[str]]) -> bytes:
        buffer = io.StringIO()
        csv_module.writer(buffer, lineterminator="\r\n").writerows(lines)
        return buffer.getvalue().encode("utf-8")

    name = "wuhan-yangluo-questionnaire.csv"
    cases = [Case("questionnaire-csv", "none", "(file)", None, name, raw, _import)]
    valued = [i for i, r in enumerate(body) if r[col["value"]] and r[col["source"]]]
    for i in valued:
        field = body[i][col["field"]]
        for mutation, column, new in (
            ("string", "value", "about x"),
            ("delete", "source", ""),
            ("unknown-id", "confidence", UNKNOWN),
            ("string", "date", "last year"),
            ("unknown-id", "unit", "furlong"),
        ):
            lines = [list(r) for r in body]
            lines[i][col[column]] = new
            if (
                mutation == "string"
                and column == "value"
                and field.endswith(("loading_gauge", "_class"))
            ):
                continue  # a text attribute: any text is a value (its class is checked below)
            cases.append(
                Case("questionnaire-csv", mutation, f"{field}.{column}", field, name,
                     text([header, *lines]), _import)
            )  # fmt: skip
    first = valued[0]
    field = body[first][col["field"]]
    typo = [list(r) for r in body]
    typo[first][col["field"]] = field + "x"
    cases.append(
        Case("questionnaire-csv", "unknown-id", f"{field}.field", field, name,
             text([header, *typo]), _import)
    )  # fmt: skip
    cases.append(
        Case("questionnaire-csv", "duplicate-id", f"{field}.row", field, name,
             text([header, *body, body[first]]), _import)
    )  # fmt: skip
    cases.append(
        Case("questionnaire-csv", "delete", "id", "field", name, text([header, *body[1:]]), _import)
    )
    cases.append(
        Case("questionnaire-csv", "unknown-id", "header", "header", name,
             text([[*header[:4], "answer", *header[5:]], *body]), _import)
    )  # fmt: skip
    cases.append(
        Case("questionnaire-csv", "ragged-long", "row 2", "extra cell", name,
             text([header, [*body[0], "stray"], *body[1:]]), _import)
    )  # fmt: skip
    for mutation, content in file_mutations(raw).items():
        cases.append(Case("questionnaire-csv", mutation, "(file)", None, name, content, _import))
    xlsx = _xlsx_bytes(rows)
    book = "wuhan-yangluo-questionnaire.xlsx"
    cases.append(Case("questionnaire-xlsx", "none", "(file)", None, book, xlsx, _import))
    for i in valued[:3]:
        field = body[i][col["field"]]
        for mutation, column, new in (("string", "value", "about x"), ("delete", "source", "")):
            changed = dataclasses.replace(rows[i], **{column: new or None})
            cases.append(
                Case("questionnaire-xlsx", mutation, f"{field}.{column}", field, book,
                     _xlsx_bytes([*rows[:i], changed, *rows[i + 1 :]]), _import)
            )  # fmt: skip
    cases.append(
        Case("questionnaire-xlsx", "unknown-id", "sheet", "questionnaire", book,
             _renamed_sheet(xlsx), _import)
    )  # fmt: skip
    for mutation, content in file_mutations(xlsx).items():
        cases.append(Case("questionnaire-xlsx", mutation, "(file)", None, book, content, _import))
    return cases


def _extra_cases(base: str) -> list[Case]:
    """Mutations the systematic ones do not reach (from the issue's findings)."""
    variant = SCEN / "variants" / "yangtze-carbon-price-rail-subsidy.toml"
    data = tomllib.loads(variant.read_text(encoding="utf-8"))
    data["base"] = str(SCEN / "variants" / "yangtze-carbon-price.toml")
    sub = data["policy"]["subsidies"][0]
    del sub["mode"]
    sub["service"] = UNKNOWN
    cases = [
        Case(
            "variant", "unknown-id", "policy.subsidies[0].service", "policy.subsidies[0].service",
            variant.name, dump_toml(data).encode("utf-8"),
            lambda f, out: ["compare", base, str(f), "-r", "2", "--json"],
        ),
    ]  # fmt: skip
    # A mode-choice file whose cost coefficient is huge but below the magnitude cap,
    # through a variant (the logit calibration).
    choice = STD / "mode-choice" / "yangtze-container-v1.toml"
    params = tomllib.loads(choice.read_text(encoding="utf-8"))
    for label, value in (("huge-neg", -1e300), ("large-neg", -1e6), ("large-pos", 1e6)):
        new = copy.deepcopy(params)
        new["cost_coefficient_per_cny"]["value"] = value
        cases.append(
            Case(
                "mode-choice", label, "cost_coefficient_per_cny (via compare)",
                "cost_coefficient_per_cny", choice.name, dump_toml(new).encode("utf-8"),
                lambda f, out: ["compare", base, str(_variant_using(f, base)), "-r", "2", "--json"],
            )
        )  # fmt: skip
    return cases


def _variant_using(choice: Path, base: str) -> Path:
    """Write ``v.toml`` beside ``choice``: a carbon-price variant that uses it."""
    variant = choice.parent / "v.toml"
    text = (SCEN / "variants" / "yangtze-carbon-price.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data.update(id="v", base=base, mode_choice={"parameters": str(choice)})
    variant.write_text(dump_toml(data), encoding="utf-8")
    return variant


def _weights_cases() -> list[Case]:
    """Weights file: the example profile's own weights as a [weights] table."""
    example = EXAMPLES / "weights.toml"
    return toml_cases(
        "weights",
        example,
        lambda f, out: [
            "score",
            "--standard",
            "example-ministry-inland-port",
            "--weights",
            str(f),
            "--missing",
            "worst",
            "--samples",
            "0",
            "--json",
        ],
    )


def _ahp_cases() -> list[Case]:
    """AHP file: a consistent 4 x 4 matrix over the example CSV's criteria."""
    example = EXAMPLES / "ahp.toml"
    return toml_cases(
        "ahp",
        example,
        lambda f, out: [
            "rank",
            str(CSV),
            "--types",
            TYPES,
            "--ahp",
            str(f),
            "--missing",
            "exclude_criterion",
            "--samples",
            "20",
            "--json",
        ],
    )


# --- running ---------------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    hung: bool = False


class _Timeout(Exception):
    pass


def run_case(case: Case, tmp: Path, timeout_s: int = 60) -> Outcome:
    """Write the case's file into ``tmp`` and run its command in process."""
    from freighthub.cli import main

    folder = tmp / "in"
    folder.mkdir(parents=True, exist_ok=True)
    for sibling in case.siblings:
        shutil.copy(sibling, folder / sibling.name)
    path = folder / case.filename
    path.write_bytes(case.content)
    argv = case.argv(path, tmp / "out")
    out, err = io.StringIO(), io.StringIO()

    def alarm(signum: int, frame: Any) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(timeout_s)
    code = 0
    hung = False
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    except _Timeout:
        hung, code = True, -1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return Outcome(code, out.getvalue(), err.getvalue(), hung)


def classify(case: Case, outcome: Outcome, valid: bool) -> str:
    """One word per outcome: ok, hang, internal, silent, weak, multiline, refused-valid."""
    if outcome.hung:
        return "hang"
    if outcome.code not in (0, 2) or "Traceback" in outcome.stderr:
        return "internal"
    if outcome.code == 0:
        return "ok" if valid else "silent"
    if valid:
        return "refused-valid"
    lines = [ln for ln in outcome.stderr.splitlines() if ln.strip()]
    if len(lines) != 1:
        return "multiline"
    line = lines[0]
    if case.filename not in line:
        return "weak"
    if case.field is not None and case.field not in line:
        return "weak"
    return "ok"


def table(results: list[tuple[Case, str]]) -> str:
    """Markdown table: kind x outcome counts, and the mutations with problems."""
    kinds = sorted({c.kind for c, _ in results})
    words = ["ok", "silent", "internal", "hang", "weak", "multiline", "refused-valid"]
    lines = ["| kind | cases | " + " | ".join(words) + " |", "|---" * (len(words) + 2) + "|"]
    for kind in kinds:
        counts = Counter(o for c, o in results if c.kind == kind)
        total = sum(counts.values())
        lines.append(f"| {kind} | {total} | " + " | ".join(str(counts[w]) for w in words) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile

    sys.path.insert(0, str(Path(__file__).parent))
    from test_bad_inputs import NAMED, valid_reason  # type: ignore[import-not-found]

    only = sys.argv[1] if len(sys.argv) > 1 else None
    sys.argv = sys.argv[:1]  # test_bad_inputs reads no arguments
    results: list[tuple[Case, str]] = []
    for case in all_cases():
        if only and not case.id.startswith(only):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            outcome = run_case(case, Path(tmp))
        named = NAMED.get(case.id)
        checked = case if named is None else dataclasses.replace(case, field=named)
        word = classify(checked, outcome, valid_reason(case) is not None)
        results.append((case, word))
        if word != "ok":
            shown = (outcome.stderr.strip().splitlines() or ["(no stderr)"])[-1][:300]
            print(f"{word:13} {case.id}  code={outcome.code}  {shown}", flush=True)
    print(table(results))
