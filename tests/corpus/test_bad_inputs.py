"""Every case of the bad-input corpus (``_corpus.py``) through the CLI, in process.

A case must exit with code 2 and print one line on stderr, without a traceback,
naming the file and the field; or, if ``VALID`` lists it with its reason, exit 0.
Nothing is valid by default: a mutation that loads must be listed here.

The valid cases of scenarios, variants, sweeps and report specs run simulations
(seconds each); they run with ``FREIGHTHUB_CORPUS=full`` (``make corpus``) and are
skipped otherwise, so the default run stays within about a minute.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from _corpus import Case, all_cases, classify, run_case  # type: ignore[import-not-found]

#: Mutations that are valid input, as (pattern over the case id, reason).
VALID: list[tuple[str, str]] = [
    (r".*:\(file\):none", "the unmutated shipped example (the control case)"),
    (
        r"(scenario|variant|hub):.*\.(source|confidence):delete",
        "a value's source and confidence are optional by design in scenarios, variants and"
        " hub files: a plain value loads and is flagged as unsourced in reports",
    ),
    (
        r"(?!scenario:disruptions\[0\]\.description)"
        r".*(^|[.:])(description|zh|url|date|example|distance_basis_note|sample_size):delete"
        r"|hub:location_source:delete"
        r"|standard:standard\.note:delete|profile:standard\.note:delete"
        r"|factor-pack:distance_adjustment\[0\]\.note:delete"
        r"|scenario:vessel_classes\[0\]\.name:delete|sweep:axes\[0\]\.name:delete",
        "optional descriptive fields",
    ),
    (
        r"chain:id:unknown-id|chain:element\[0\]\.id:unknown-id"
        r"|scenario:(demand|disruptions)\[0\]\.id:unknown-id"
        r"|sweep:axes\[0\]\.id:unknown-id|sweep:axes\[0\]\.levels\[0\]\.id:unknown-id"
        r"|standard:criteria\[0\]\.id:unknown-id"
        r"|factor-pack:(transport|hub)\[0\]\.id:unknown-id",
        "renaming an item's own id defines a new id that nothing else refers to (a chain's"
        " id need not equal its file name)",
    ),
    (
        r"scenario:services\[0\]\.(locks|draught_limit):delete",
        "optional: a barge service without a lock queue or a draught limit",
    ),
    (
        r"factor-pack:transport\[0\]\.(energy_factor_id|energy_per_activity):delete",
        "optional: the energy behind a default intensity is given where the source prints it",
    ),
    # statistics (the tiny corridor's synthetic file, through validate-model --check)
    (
        r"statistics:(hub_throughput|service_volume|mode_share|transit_days"
        r"|hub_throughput\[0\]\.t|service_volume\[0\]\.(teu|trains)):delete",
        "a statistics file holds any subset of the kinds of figure; a hub's tonnes are"
        " optional; a volume needs TEU or departures, not both",
    ),
    (
        r"statistics:mode_share\[0\]\.share\.value:zero"
        r"|statistics:transit_days\[0\]\.days\.value\[0\]:zero",
        "a mode may carry none of a subject's TEU; a published transit range may start at 0 days",
    ),
    # scenario
    (
        r"scenario:(warmup_h|yard_full_policy|experiment|experiment\.seed|"
        r"experiment\.replications|disruptions|hub_resources\[0\]\.service_distribution|"
        r"hub_resources\[0\]\.handling_intensity_id|services\[0\]\.first_departure_h):delete",
        "optional: documented defaults (warm-up 0, hold, seed 0, 1 replication, no"
        " disruptions, exponential service, no handling emissions, departures from 0 h)",
    ),
    (
        r"scenario:(warmup_h|experiment\.seed|services\[0\]\.first_departure_h|"
        r"disruptions\[0\]\.start_h):zero",
        "0 is a valid start, seed or warm-up",
    ),
    (
        r"scenario:(hub_resources\[0\]\.handling_cost_cny_per_move|"
        r"road_links\[0\]\.cost_cny_per_vehicle_km|services\[0\]\.cost_cny_per_teu_km|"
        r"services\[0\]\.cutoff_h)\.value:zero",
        "a free move, a free road or sea leg, or no cut-off are valid (costs >= 0)",
    ),
    (
        r"scenario:services\[0\]\.(cost_cny_per_teu_km|operator_cost"
        r"|operator_cost\.(energy_cny_per_km|crew_cny_per_h)):delete",
        "a service needs a price or an operator cost, not both (operator_cost alone is"
        " enough), and every operator-cost component is optional",
    ),
    (
        r"scenario:services\[0\]\.operator_cost\.(energy_cny_per_km|crew_cny_per_h)"
        r"\.value:zero",
        "a running-cost component of 0 is valid (costs >= 0)",
    ),
    (
        r"scenario:demand\[0\]\.(box_40ft_share|loaded_share|cargo_t_per_teu)\.value:zero",
        "all 20' boxes, all empties, or empty boxes are valid demand",
    ),
    (
        r"scenario:disruptions\[0\]\.capacity_factor\.value:zero",
        "capacity factor 0 is a full closure",
    ),
    (
        r"scenario:(background_hub_flows|background_service_flows"
        r"|background_hub_flows\[0\]\.seasonality):delete",
        "optional: a scenario without background traffic, a flow without seasonality",
    ),
    (
        r"scenario:background_(hub|service)_flows\[0\]\.id:unknown-id",
        "renaming a background flow's own id defines a new id that nothing refers to",
    ),
    (
        r"scenario:background_(hub|service)_flows\[0\]\.(teu_per_year|box_40ft_share)"
        r"\.value:zero",
        "0 TEU a year switches a background flow off; all-20' background is valid",
    ),
    # scenario with a terminal model (#19)
    (
        r"scenario-terminal:.*\.(source|confidence):delete",
        "a value's, pattern's or profile's source and confidence are optional as in every"
        " scenario: it loads and is flagged as unsourced in reports",
    ),
    (
        r"scenario-terminal:(hub_resources\[0\]\.(truck_wait_threshold_h|pools"
        r"|pools\[0\]\.(priority|shift_pattern))|services\[0\]\.(loading_window_h"
        r"|travel_time_cv)|demand\[0\]\.arrival_profile):delete",
        "optional: no threshold, no pools (the general pool), FIFO, always on duty, no"
        " loading window, fixed travel time, arrivals without a profile",
    ),
    (
        r"scenario-terminal:(services\[0\]\.(loading_window_h|travel_time_cv)\.value"
        r"|shift_patterns\[0\]\.periods\[0\]\.(start_h|on_duty_share)"
        r"|arrival_profiles\[0\]\.(hour_of_day|day_of_week)_weights\[0\]):zero",
        "no window, fixed travel, the week starts at 0 h, no units on duty at night, no"
        " trucks in one hour or on one day are valid",
    ),
    (
        r"scenario-terminal:background_hub_flows\[0\]\.(trucks_per_job:delete"
        r"|road_share\.value:zero)",
        "optional: one truck per job; a road share of 0 switches a flow's trucks off",
    ),
    # variant
    (
        r"variant:(policy|policy\.carbon_price_cny_per_tco2e|shift|change_services):delete",
        "the variant still changes something else (mode choice, or the other list)",
    ),
    (
        r"variant:(policy\.carbon_price_cny_per_tco2e|shift\[0\]\.road_share)\.value:zero",
        "a zero carbon price or a zero shift is a valid policy test (the base case)",
    ),
    # chain
    (
        r"chain:(shipment\.mass_t|shipment\.tonnes_per_teu|element\[0\]\.mode):delete",
        "optional: the amount comes from the containers, the GLEC average t/TEU is the"
        " documented default, the mode comes from the intensity",
    ),
    (
        r"chain:(shipment\.mass_t|element\[0\]\.distance_km):zero",
        "empty boxes (0 t of cargo) and a zero-length move are valid; they emit per box/0",
    ),
    # sweep
    (r"sweep:seed:zero", "0 is a valid seed"),
    # report spec
    (
        r"report-spec:(hubs|hub_ids|assessment|assessment\.methods|assessment\.missing|"
        r"assessment\.seed|assessment\.samples|map|map\.corridors):delete",
        "optional sections and documented defaults (shipped hubs, every hub, topsis, ...)",
    ),
    (r"report-spec:assessment\.seed:zero", "0 is a valid seed"),
    (
        r"report-spec:(organisation|organisation\.en|author):delete|report-spec:author:unknown-id",
        "title-page text: optional, free text (a name, not an id)",
    ),
    # standard, profile
    (
        r"standard:(criteria|criteria\[0\]\.modes|criteria\[0\]\.partial):delete",
        "a standard may hold no criteria yet; modes default to all; partial is optional",
    ),
    (
        r"standard:criteria\[0\]\.partial\.threshold:(neg|zero)",
        "a partial band below a minimum threshold may start anywhere below it",
    ),
    # factor pack
    (
        r"factor-pack:(transport|hub|distance_adjustment|transport\[0\]\.wtt|"
        r"transport\[0\]\.load_factor_share|transport\[0\]\.empty_running_share|"
        r"transport\[0\]\.empty_running_convention):delete",
        "optional parts of a pack (a pack may hold only some tables; the WTT split and the"
        " load factors are informational); without its includes the pack's energy_factor_id"
        " references break, so deleting includes is refused",
    ),
    (
        r"factor-pack:(transport\[0\]\.empty_running_share|hub\[0\]\.wtw):zero",
        "no empty running, or a hub category with zero emissions, are valid data",
    ),
    (
        r"factor-pack:(transport\[0\]\.energy_carrier|hub\[0\]\.category):unknown-id",
        "free descriptive labels, not references",
    ),
    # mode choice
    (r"mode-choice:model:delete", "optional: multinomial logit by default"),
    (
        r"mode-choice:cost_coefficient_per_cny\.value:neg",
        "-1 per CNY is a valid (steep) coefficient",
    ),
    (
        r"mode-choice:value_of_(time|reliability)_cny_per_teu_h\.value:zero",
        "a shipper indifferent to time or reliability is a valid sensitivity case",
    ),
    # weights, hubs
    (r"weights:weights\.[a-z0-9-]+:zero", "weight 0 ignores a criterion (documented)"),
    (r"hub:(lon|lat)_deg:(neg|zero)", "-1 and 0 degrees are real coordinates"),
    (
        r"hub:(waterway|waterway\.[a-z_]+|road|road\.gate_lanes|handling|handling\.[a-z_]+|"
        r"handling\.equipment\[0\]\.moves_per_h|operations|operations\.[a-z_]+):delete",
        "hub facts are optional: missing data is reported as missing, never guessed",
    ),
    (r"hub:operations\.annual_throughput_teu\.value:zero", "a new terminal handles 0 TEU"),
    # questionnaires
    (
        r"questionnaire-xlsx:\(file\):not-utf8",
        "a workbook is a zip archive, read from its end: bytes put before it leave the"
        " workbook intact and readable (as in a self-extracting archive)",
    ),
]

#: Cases whose message names the field that actually breaks, not the mutated one.
NAMED: dict[str, str] = {
    "scenario:zones:delete": "road_links[0].from",
    # a zone moved to 0 or -1 degrees lies far from every road node of networks/, so its
    # network-routed road link cannot be measured (the coordinates themselves are valid)
    "scenario:zones[0].lon_deg:neg": "road_links[0].from",
    "scenario:zones[0].lon_deg:zero": "road_links[0].from",
    "scenario:zones[0].lat_deg:neg": "road_links[0].from",
    "scenario:zones[0].lat_deg:zero": "road_links[0].from",
    "scenario:vessel_classes:delete": "services[0].vessel_class",
    "scenario:road_links:delete": "demand[0].routes[0].legs[0].road",
    "scenario:services:delete": "demand[0].routes[0].legs[1].service",
    "chain:shipment.containers:delete": "waigaoqiao-terminal",
    "variant:change_services[0].departures_per_week:delete": "change_services[0]",
    "scenario-terminal:shift_patterns:delete": "pools[0].shift_pattern",
    "scenario-terminal:arrival_profiles:delete": "demand[0].arrival_profile",
}

#: Kinds whose valid cases run simulations (skipped unless FREIGHTHUB_CORPUS=full).
SIMULATING = {"scenario", "scenario-terminal", "variant", "sweep", "report-spec"}
FULL = os.environ.get("FREIGHTHUB_CORPUS") == "full"


def valid_reason(case: Case) -> str | None:
    """The reason the case is valid input, or None."""
    for pattern, reason in VALID:
        if re.fullmatch(pattern, case.id):
            return reason
    return None


CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    valid = valid_reason(case) is not None
    if valid and case.kind in SIMULATING and case.mutation != "none" and not FULL:
        pytest.skip("a valid case that simulates: run with FREIGHTHUB_CORPUS=full")
    named = NAMED.get(case.id)
    checked = case if named is None else dataclasses.replace(case, field=named)
    outcome = run_case(case, tmp_path)
    word = classify(checked, outcome, valid)
    assert word == "ok", f"{word}: exit {outcome.code}; stderr: {outcome.stderr.strip()!r}"


def test_every_kind_is_covered() -> None:
    kinds = {c.kind for c in CASES}
    assert kinds == {
        "scenario", "variant", "chain", "sweep", "report-spec", "standard", "profile",
        "factor-pack", "mode-choice", "csv-matrix", "weights", "ahp", "hub", "statistics",
        "questionnaire-csv", "questionnaire-xlsx", "scenario-terminal",
    }  # fmt: skip
    mutations = {c.mutation for c in CASES}
    for m in ("delete", "neg", "zero", "huge", "nan", "inf", "string", "unknown-id",
              "duplicate-id", "empty", "truncated", "not-utf8", "ragged-long"):  # fmt: skip
        assert m in mutations


def test_every_valid_pattern_is_used() -> None:
    """A stale entry would accept a future case silently."""
    unused = [p for p, _ in VALID if not any(re.fullmatch(p, c.id) for c in CASES)]
    assert unused == []
