"""``freighthub appraise`` and project files: JSON shape, result folder, bad input."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from freighthub.appraisal import appraise_file, load_project
from freighthub.cli import main
from freighthub.errors import DataFileError

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "appraisal" / "yangtze-rail-water-terminal.toml"
OPTION_A = Path(__file__).parent / "data" / "rogers-2003-example-3-1-option-a.toml"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_issue_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["appraise", str(OPTION_A), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert {"npv_cny", "bcr", "irr", "discount_rate", "years", "assumptions"} <= set(doc)
    assert {"year", "benefits_cny", "costs_cny", "net_cny", "discount_factor"} <= set(
        doc["years"][0]
    )
    assert doc["discount_rate"] == 0.08
    assert math.fsum(y["net_cny"] * y["discount_factor"] for y in doc["years"]) == pytest.approx(
        doc["npv_cny"], abs=0.005
    )
    assert {s["case"] for s in doc["sensitivity"]} >= {"base", "demand -20%", "demand +20%"}
    assert all(a["source"] and a["confidence"] for a in doc["assumptions"])


def test_rich_output_and_result_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "appraisal"
    code, out, err = run(["appraise", str(EXAMPLE), "--out", str(out_dir)], capsys)
    assert code == 0, err
    assert "NPV" in out and "Sensitivity" in out and "rule of a half" in out
    assert {p.name for p in out_dir.iterdir()} == {
        "appraisal.json",
        "years.csv",
        "sensitivity.csv",
        "manifest.json",
    }
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert str(EXAMPLE) in manifest["inputs_sha256"]
    code, _, err = run(["appraise", str(EXAMPLE), "--out", str(out_dir)], capsys)
    assert code == 2 and "exists" in err
    code, _, err = run(["appraise", str(EXAMPLE), "--out", str(out_dir), "--force"], capsys)
    assert code == 0, err


def test_shipped_example_is_sourced_and_consistent() -> None:
    a = appraise_file(EXAMPLE)
    assert all(x.source and x.confidence != "None" for x in a.assumptions)
    assert a.npv_cny == pytest.approx(a.pv_benefits_cny - a.pv_costs_cny, rel=1e-12)
    assert a.years[-1].cumulative_discounted_net_cny == pytest.approx(a.npv_cny, rel=1e-12)
    # the logsum gain includes the new alternative; the rule of a half cannot
    (check,) = a.surplus_checks
    assert check.logsum_cny_per_teu > check.rule_of_half_cny_per_teu > 0
    # more demand, more benefit; a higher rate, a lower NPV (all benefits come late)
    by_case = {s.case: s for s in a.sensitivity}
    assert by_case["demand +20%"].npv_cny > by_case["base"].npv_cny > by_case["demand -20%"].npv_cny
    assert by_case["discount rate -2.0%"].npv_cny > by_case["discount rate +2.0%"].npv_cny


def test_logsum_equals_rule_of_half_for_a_small_change(tmp_path: Path) -> None:
    text = (
        OPTION_A.read_text().split("[[benefits]]")[0]
        + """
[[benefits]]
id = "surplus"
label = "S"
kind = "shipper_surplus"
from_year = 2004
volume_teu_per_year = { value = 1000, source = "test", confidence = "assumption" }
cost_coefficient_per_cny = { value = -0.002, source = "test", confidence = "assumption" }
[[benefits.alternatives]]
id = "road"
cost_before_cny_per_teu = { value = 1000, source = "test", confidence = "assumption" }
cost_after_cny_per_teu = { value = 1000, source = "test", confidence = "assumption" }
[[benefits.alternatives]]
id = "rail"
cost_before_cny_per_teu = { value = 1200, source = "test", confidence = "assumption" }
cost_after_cny_per_teu = { value = 1199, source = "test", confidence = "assumption" }
"""
    )
    p = tmp_path / "p.toml"
    p.write_text(text)
    (check,) = appraise_file(p, sensitivity=False).surplus_checks
    # second-order agreement: a 1 CNY cut on one alternative
    assert check.logsum_cny_per_teu == pytest.approx(check.rule_of_half_cny_per_teu, rel=1e-3)


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = OPTION_A.read_text()
    assert old in text
    p = tmp_path / "bad.toml"
    p.write_text(text.replace(old, new, 1))
    return p


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("value = 0.08,", "value = -1.0,", "discount_rate = -1.0: must be > -1 (-100 %)"),
        ("value = 0.08,", "value = -1.5,", "discount_rate = -1.5: must be > -1"),
        ("value = 21,", "value = 0,", "appraisal_period_years = 0: must be >= 1 year"),
        (
            "cost_cny = { value = 27_000_000,",
            "cost_cny = { value = 26_000_000,",
            "capex.phasing = 26000000.0: the phasing sums to 26,000,000.00 CNY: must equal",
        ),
        ("first_year = 2003", "first_year = 2003\nopening_year = 2004", "opening_year"),
        (
            ', source = "Rogers (2003) Highway Engineering, Table 3.5, p. 61: discount rate 8 %", confidence = "verified"',
            "",
            "discount_rate = {'value': 0.08}: give source and confidence",
        ),
        (
            "\nyear = 2003\n",
            "\nyear = 2030\n",
            "capex.phasing.0.year = 2030: must lie in the appraisal period",
        ),
        (
            "to_year = 2023",
            "to_year = 2040",
            "benefits.0.to_year = 2040: must lie in the appraisal period",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, message: str
) -> None:
    p = _variant(tmp_path, old, new)
    with pytest.raises(DataFileError, match=re.escape(message)):
        load_project(p)
    code, out, err = run(["appraise", str(p)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and str(p) in err and message in err
    assert out == ""


SHIFT = ROOT / "tests" / "shift" / "data"


def test_benefits_from_a_compare_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(SHIFT / "corridor.toml"), str(SHIFT / "variants" / "more-barges.toml")]
    code, out, err = run(
        [*args, "--hubs", str(SHIFT / "hubs"), "-r", "2", "--seed", "3", "--json"], capsys
    )
    assert code == 0, err
    (tmp_path / "compare.json").write_text(out, encoding="utf-8")
    metrics = json.loads(out)["metrics"]
    text = (
        OPTION_A.read_text().split("[[benefits]]")[0]
        + """
[[benefits]]
id = "more-barges"
label = "More barges (from freighthub compare)"
kind = "compare"
compare_json = "compare.json"
from_year = 2004
volume_teu_per_year = { value = 10000, source = "test", confidence = "assumption" }
value_of_time_cny_per_teu_h = { value = 50, source = "test", confidence = "assumption" }

[carbon_price]
cny_per_tco2e_by_year = { value = [[2003, 100.0]], source = "test", confidence = "assumption" }
"""
    )
    p = tmp_path / "p.toml"
    p.write_text(text, encoding="utf-8")
    a = appraise_file(p)
    d = {
        k: metrics[k]["delta"]["mean"]
        for k in ("cost_cny_per_teu", "door_to_door_mean_h", "emissions_kgco2e_wtw_per_teu")
    }
    expected = -10000 * (
        d["cost_cny_per_teu"]
        + 50 * d["door_to_door_mean_h"]
        + 100 * d["emissions_kgco2e_wtw_per_teu"] / 1000
    )
    assert a.years[1].benefits_cny == pytest.approx(expected, rel=1e-12)
    assert {s.case for s in a.sensitivity} >= {"carbon price -50%", "carbon price +50%"}
    # a compare file that is not one: one line naming the field
    (tmp_path / "compare.json").write_text("{}", encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=re.escape(
            "benefits.0.compare_json = 'compare.json': not a 'freighthub compare --json' result"
        ),
    ):
        load_project(p)


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "every net flow is positive: the NPV never crosses zero"),
        ("zh", "各年净现金流均为正，净现值不会过零"),
    ],
)
def test_irr_note_is_a_code_and_text_in_the_requested_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, note: str
) -> None:
    # no capex: every net flow is a positive benefit, so no rate zeroes the NPV
    p = _variant(tmp_path, "value = 27_000_000,", "value = 0,")
    p.write_text(p.read_text().replace("value = 27_000_000,", "value = 0,"))
    code, out, err = run(["appraise", str(p), "--json", "--lang", lang], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["irr"] is None and doc["irr_rates"] == []
    assert doc["irr_note_code"] == "all_positive"
    assert doc["irr_note"] == note and doc["lang"] == lang
    out_dir = tmp_path / f"out-{lang}"
    code, _, err = run(["appraise", str(p), "--out", str(out_dir), "--lang", lang], capsys)
    assert code == 0, err
    written = json.loads((out_dir / "appraisal.json").read_text(encoding="utf-8"))
    assert (written["irr_note_code"], written["irr_note"]) == ("all_positive", note)


def test_irr_note_with_several_rates_lists_them_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # -100 now, +230 next year, -132 the year after: NPV = 0 at 10 % and 20 %
    # ((1 + r)^2 - 2.3 (1 + r) + 1.32 = 0 has the roots 1.1 and 1.2)
    text = """
id = "two-roots"
name = "Two roots"
price_base_year = { value = 2020, source = "test", confidence = "assumption" }
first_year = 2020
appraisal_period_years = { value = 3, source = "test", confidence = "assumption" }
discount_rate = { value = 0.05, source = "test", confidence = "assumption" }
[capex]
total_cny = { value = 100, source = "test", confidence = "assumption" }
[[capex.phasing]]
year = 2020
cost_cny = { value = 100, source = "test", confidence = "assumption" }
[[costs]]
id = "late"
label = "Late cost"
by_year_cny = { value = [[2022, 132]], source = "test", confidence = "assumption" }
[[benefits]]
id = "b"
label = "B"
kind = "direct"
by_year_cny = { value = [[2021, 230]], source = "test", confidence = "assumption" }
"""
    p = tmp_path / "two.toml"
    p.write_text(text)
    docs = {}
    for lang in ("en", "zh"):
        code, out, err = run(["appraise", str(p), "--json", "--lang", lang], capsys)
        assert code == 0, err
        docs[lang] = json.loads(out)
    en, zh = docs["en"], docs["zh"]
    assert en["irr_rates"] == pytest.approx([0.1, 0.2], abs=1e-9)
    assert en["irr_note_code"] == zh["irr_note_code"] == "several"
    assert en["irr_note"] == (
        "the net flows change sign more than once and the NPV is zero at 10.00%, 20.00%; "
        "decide on the NPV"
    )
    assert zh["irr_note"].startswith("净现金流多次变号") and "10.00" in zh["irr_note"]
    assert "20.00" in zh["irr_note"] and zh["irr_note"] != en["irr_note"]
