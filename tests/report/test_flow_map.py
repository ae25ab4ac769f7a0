"""The simulation section's flows map: the tiny scenario with its hubs on the shipped network."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from freighthub.report import write_report
from freighthub.sim.experiment import run_scenario
from tests.report.test_writer import _same_numbers

DATA = Path(__file__).parent / "data" / "tiny-sim"
# The tiny case's hubs renamed to shipped network hubs at the same places (Chongqing, Wuhan).
RENAME = {"alpha": "chongqing-guoyuan", "beta": "wuhan-yangluo"}
SPEC = """
name = "tiny-flows"
hubs = "hubs"
[title]
en = "Tiny simulation on the network"
[simulation]
scenario = "tiny.toml"
replications = 3
seed = 11
"""


def _case(root: Path) -> Path:
    shutil.copytree(DATA, root)
    for path in root.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        for old, new in RENAME.items():
            text = re.sub(rf"\b{old}\b", new, text)
        path.write_text(text, encoding="utf-8")
    for old, new in RENAME.items():
        (root / "hubs" / f"{old}.toml").rename(root / "hubs" / f"{new}.toml")
    spec = root / "spec.toml"
    spec.write_text(SPEC, encoding="utf-8")
    return spec


class _FlowPaths(HTMLParser):
    """Stroke width per ``data-link`` path inside ``figure#sim-flow-map``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.widths: dict[str, list[float]] = {}
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "figure":
            self.depth += 1 if a.get("id") == "sim-flow-map" or self.depth else 0
        elif self.depth and tag == "svg":
            self.svgs += 1
        elif self.depth and tag == "path" and a.get("data-link"):
            self.widths.setdefault(str(a["data-link"]), []).append(float(a["stroke-width"] or 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure" and self.depth:
            self.depth -= 1


@pytest.fixture(scope="module")
def flow_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("flows")
    spec = _case(root / "case")
    write_report(spec, root / "out", formats="html,json")
    doc = json.loads((root / "out" / "report.json").read_text(encoding="utf-8"))
    return root, doc


def _flow_block(doc: dict[str, Any]) -> dict[str, Any]:
    (section,) = [s for s in doc["sections"] if s["id"] == "simulation"]
    (block,) = [b for b in section["blocks"] if b["type"] == "flow_map"]
    return dict(block)


def test_report_json_records_the_teu_per_link(flow_report: tuple[Path, dict[str, Any]]) -> None:
    root, doc = flow_report
    block = _flow_block(doc)
    assert block["id"] == "sim-flow-map"
    assert "widest" in block["caption"]
    teu = {link["id"]: link["teu"] for link in block["links"]}
    # TEU is conserved along a service's route: every link of the only rail service's
    # path and of the only barge service's path carries that service's mean TEU.
    result = run_scenario(
        root / "case" / "tiny.toml", seed=11, replications=3, hubs_dir=root / "case" / "hubs"
    )
    rail = result.estimates.services["rail-ab"].teu.mean
    barge = result.estimates.services["barge-ab"].teu.mean
    rail_links = [k for k in teu if k.startswith("rail-")]
    river_links = [k for k in teu if k.startswith("yangtze-")]
    assert len(rail_links) >= 2 and len(river_links) >= 2
    assert all(teu[k] == pytest.approx(rail) for k in rail_links)
    assert all(teu[k] == pytest.approx(barge) for k in river_links)
    assert set(teu) == set(rail_links) | set(river_links)  # road links: typed distances
    assert block["svg"].startswith("<svg")


def test_html_draws_one_path_per_link_with_widths_ordered_like_the_teu(
    flow_report: tuple[Path, dict[str, Any]],
) -> None:
    root, doc = flow_report
    teu = {link["id"]: link["teu"] for link in _flow_block(doc)["links"]}
    parser = _FlowPaths()
    parser.feed((root / "out" / "report.html").read_text(encoding="utf-8"))
    assert parser.svgs == 1
    drawn = {k: w for k, w in parser.widths.items() if k in teu}
    assert set(drawn) == set(teu)
    assert all(len(w) == 1 for w in drawn.values())  # one path per link carrying flow
    by_teu = sorted(teu, key=teu.__getitem__)
    widths = [drawn[k][0] for k in by_teu]
    assert widths == sorted(widths)
    assert widths[0] < widths[-1]
    # The documented rule: 1 + 9 * sqrt(TEU / largest TEU) px, rounded to 0.1 px.
    top = max(teu.values())
    for k, (w,) in drawn.items():
        assert w == pytest.approx(1.0 + 9.0 * (teu[k] / top) ** 0.5, abs=0.051)
    others = [w for k, ws in parser.widths.items() if k not in teu for w in ws]
    assert others and all(w < widths[0] for w in others)  # links without flow: thin


def test_page_shows_every_number_of_the_json(flow_report: tuple[Path, dict[str, Any]]) -> None:
    root, _ = flow_report
    _same_numbers(root / "out")  # the map's TEU per link are widths, not shown numbers


def test_chinese_report_has_the_map_with_its_caption(tmp_path: Path) -> None:
    spec = _case(tmp_path / "case")
    write_report(spec, tmp_path / "zh", lang="zh", formats="json")
    block = _flow_block(json.loads((tmp_path / "zh" / "report.json").read_text("utf-8")))
    assert block["caption"].startswith("网络上的仿真流量")
    assert 'id="flow-map-links"' in block["svg"]
