"""The simulation section's flows map (issue #14): mean TEU per network link as line widths.

Drawn by :func:`freighthub.network.flowmap.flow_map_svg`, the drawing of
``freighthub network map --flows``, fed from the in-memory result through
:func:`freighthub.sim.flows.result_link_flows` (the TEU that ``flows.geojson`` records
per service and road link, added up per network link they run on). A scenario none of
whose services or road links runs on the shipped network gets a sentence instead, so
its report keeps its structure.
"""

from __future__ import annotations

from freighthub.network.flowmap import flow_map_svg
from freighthub.report.content import Block, FlowMap, Paragraph, Quantity, Text
from freighthub.report.svg import WIDTH
from freighthub.sim.estimates import ExperimentResult
from freighthub.sim.flows import result_link_flows, shipped_network_or_none
from freighthub.vocabulary import Mode, mode_ids

__all__ = ["flow_map_blocks"]

_MODES = (Mode.INLAND_WATERWAY, Mode.RAIL, Mode.ROAD)


def flow_map_blocks(result: ExperimentResult) -> list[Block]:
    """The flows map, a sentence where no flow runs on the network, or nothing when the
    shipped network cannot be loaded."""
    network = shipped_network_or_none()
    if network is None:
        return []
    flows = result_link_flows(result, network)
    carried = {k: v for k, v in flows.teu_by_link.items() if v > 0}
    if not carried:
        return [Paragraph(Text("simulation.flow_map_none"))]
    links = [network.links[k] for k in carried if k in network.links]
    present = {link.mode for link in links}
    modes = _MODES + tuple(m for m in mode_ids() if m not in _MODES and m in present)
    svg = flow_map_svg(
        network,
        flows,
        modes=modes,
        width_px=WIDTH,
        title=result.network.scenario_id,
        id_prefix="flow-map-",
    )
    return [
        FlowMap(
            "sim-flow-map",
            Text("simulation.flow_map_caption", {"teu": Quantity(max(carried.values()), "teu", 0)}),
            svg,
            tuple(sorted(carried.items())),
        )
    ]
