"""Report blocks for a variant's mode choice: elasticities against the literature, sensitivity.

Part of the scenario comparison (:mod:`freighthub.report.sections.scenarios`): for a
variant with ``[mode_choice]`` it shows the cost coefficient and how it was chosen,
the road own-price elasticity against the parameter file's literature range, per OD
the routes' own- and cross-price elasticities and the rule behind each constant, and
the sensitivity of the road share to the mode-choice parameters
(:class:`freighthub.shift.choice_summary.ModeChoiceSummary`).
"""

from __future__ import annotations

import math

from freighthub.report.content import Block, Cell, Heading, Paragraph, Quantity, Table, Text
from freighthub.shift.choice_summary import ModeChoiceSummary

__all__ = ["mode_choice_blocks"]


def _e(value: float) -> Quantity | Text:
    return Quantity(value, "", 2) if math.isfinite(value) else Text("value.undefined")


def _rule(m: ModeChoiceSummary) -> Text:
    return Text(
        f"scenarios.mode_choice.rule.{m.cost_coefficient_rule}",
        {
            "target": _e(m.target_road_price_elasticity or math.nan),
            "free": f"{m.unbounded_cost_coefficient_per_cny:.3g}",
        },
    )


def mode_choice_blocks(variant_id: str, m: ModeChoiceSummary) -> list[Block]:
    """Heading, summary, range check, elasticity table and sensitivity table."""
    blocks: list[Block] = [
        Heading(
            f"mode-choice-{variant_id}",
            Text("scenarios.mode_choice.heading", {"variant": variant_id}),
        ),
        Paragraph(
            Text(
                "scenarios.mode_choice.summary",
                {
                    "parameters": m.parameters_id,
                    "beta": f"{m.cost_coefficient_per_cny:.3g}",
                    "rule": _rule(m),
                    "elasticity": _e(m.road_price_elasticity),
                },
            )
        ),
    ]
    if m.reference_id is None:
        blocks.append(Paragraph(Text("scenarios.mode_choice.no_range")))
    else:
        blocks.append(
            Paragraph(
                Text(
                    "scenarios.mode_choice.range",
                    {
                        "reference": m.reference_id,
                        "low": _e(m.range_low),
                        "high": _e(m.range_high),
                        "inside": Text(
                            "scenarios.mode_choice." + ("yes" if m.all_inside_range else "no")
                        ),
                    },
                )
            )
        )
    rows = []
    for od in m.ods:
        flag: Text | str = (
            ""
            if od.inside_range is None
            else Text("scenarios.mode_choice." + ("inside" if od.inside_range else "outside"))
        )
        rows.append(
            (
                Cell(od.od_id),
                Cell(""),
                Cell(""),
                Cell(_e(od.road_price_elasticity), detail=flag or None),
                Cell(""),
                Cell(""),
            )
        )
        for i, rid in enumerate(od.route_ids):
            cross = od.cross_text(i)
            rows.append(
                (
                    Cell(f"{rid.split('/', 1)[1]} ({od.main_mode[i]})"),
                    Cell(Quantity(od.price_cny_per_teu[i], "", 0)),
                    Cell(Quantity(od.share[i], "share", 1)),
                    Cell(_e(od.own_price_elasticity[i])),
                    Cell(cross),
                    Cell(
                        f"{od.asc[i]:.2f}",
                        detail=Text(f"scenarios.mode_choice.rule.{od.asc_rule[i]}"),
                    ),
                )
            )
    blocks.append(
        Table(
            f"mode-choice-elasticities-{variant_id}",
            Text("scenarios.mode_choice.table_caption"),
            tuple(
                Text(f"scenarios.mode_choice.col.{k}")
                for k in ("route", "price", "share", "own", "cross", "constant")
            ),
            tuple(rows),
        )
    )
    blocks.append(
        Table(
            f"mode-choice-sensitivity-{variant_id}",
            Text("scenarios.mode_choice.sensitivity_caption"),
            tuple(
                Text(f"scenarios.mode_choice.col.{k}")
                for k in ("case", "beta", "nest", "base", "variant")
            ),
            tuple(
                (
                    Cell(Text(f"scenarios.mode_choice.case.{case.key}")),
                    Cell(f"{case.cost_coefficient_per_cny:.3g}"),
                    Cell(Quantity(case.intermodal_nest_scale, "", 2)),
                    Cell(Quantity(case.road_share_base, "share", 1)),
                    Cell(Quantity(case.road_share_variant, "share", 1)),
                )
                for case in m.sensitivity
            ),
        )
    )
    return blocks
