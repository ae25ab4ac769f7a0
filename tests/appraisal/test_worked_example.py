"""A published worked appraisal example, reproduced.

Rogers, M. (2003). *Highway Engineering*. Blackwell Publishing, Oxford, chapter 3,
Example 3.1 and Table 3.5 ("Comparison of two options using payback analysis"),
p. 61 (read at issuhub.com/view/index?id=4685&pageIndex=77): option A costs 27 GBP m
at year 0 and earns 5 GBP m a year for 20 years, option B 50 and 10; at 8 % the
series present worth factor (P/A, 8 %, 20) is published as 9.818 and the present
worths as 22.09 and 48.18 GBP m.

Tolerance: the book prints GBP m to two decimals (the P/A factor to three), so the
NPV is asserted to that printed precision (half a unit of the last digit, GBP 5,000)
and the P/A factor to 0.0005. The same chapter's larger example (section 3.3.6:
NPV GBP 38,862,479, B/C 2.476, IRR 28.1 %) could not be used: the pages with its
inputs (the table of yearly costs and benefits) were not found in any stored copy.
The book publishes no B/C ratio or IRR for Example 3.1; those are checked against
their definitions (B/C = PVB / PVC; the NPV at the IRR is zero) instead.

Searched (2026-12-07) for a published example with complete yearly inputs and a
printed NPV, B/C and IRR, none found in a stored copy: Rogers section 3.3.6 (its
pages 54-55 with the yearly table are still missing; p. 56 prints PVB 65,188,612,
PVC 26,326,133, NPV 38,862,479, B/C 2.476, IRR 28.1 %); USDOT BCA guidance for
discretionary grants; ATAP T2 step 10 and worked example W1 1.2; Waka Kotahi MBCM;
ADB Guidelines for the Economic Analysis of Projects (2017) and the ERD course
"Sample EIRR Calculation 1" (its cost rows cut off); NSW Treasury TPP07-5 and
TPP17-03; Victoria DTF technical guidelines (2013); HM Treasury Green Book;
Gittinger (1982); FAO Forestry Paper 106; USDA NRCS technical note UT200-7-1. The
stored copies hold the first pages of these documents only.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from freighthub.appraisal import appraise_file
from freighthub.appraisal.cashflow import net_present_value

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("option", "published_npv_gbp_m"), [("option-a", 22.09), ("option-b", 48.18)]
)
def test_rogers_2003_example_3_1_present_worth(option: str, published_npv_gbp_m: float) -> None:
    a = appraise_file(DATA / f"rogers-2003-example-3-1-{option}.toml")
    assert a.npv_cny / 1e6 == pytest.approx(published_npv_gbp_m, abs=0.005)
    # the series present worth factor the book uses: sum of the 20 discount factors
    factor = math.fsum(r.discount_factor for r in a.years[1:])
    assert factor == pytest.approx(9.818, abs=0.0005)
    # the year-by-year discounted net adds up to the NPV, to the cent
    assert round(math.fsum(r.discounted_net_cny for r in a.years), 2) == round(a.npv_cny, 2)
    assert a.years[-1].cumulative_discounted_net_cny == pytest.approx(a.npv_cny, abs=0.005)
    # B/C by its definition; the IRR zeroes the NPV
    assert a.bcr == pytest.approx(a.pv_benefits_cny / a.pv_costs_cny, rel=1e-15)
    assert a.irr is not None and a.irr > 0.08
    net = [r.net_cny for r in a.years]
    assert abs(net_present_value(net, list(range(len(net))), a.irr)) < 1e-3
    # an operating year: benefits only, no cost
    row = a.years[1]
    assert row.costs_cny == 0.0
    assert row.net_cny == pytest.approx(row.benefits_cny)
