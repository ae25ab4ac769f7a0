"""Reference tests of the MCDA methods against published worked examples.

Each test names the publication and the table the numbers come from and where they
were read (the papers themselves were not all at hand; the values were read in
public test suites that transcribe them, named in each test).
"""

from __future__ import annotations

import numpy as np

from freighthub.scoring.mcda import DecisionMatrix, promethee_ii, rank, topsis, vikor_indices

# Not used: the TOPSIS closeness 0.500 / 0.617 / 0.500 quoted for the Opricovic & Tzeng
# (2004) example in pymcdm's tests comes from min-max normalisation (pymcdm's default),
# not from the vector normalisation implemented here, so it is no reference for us.

# ----------------------------------------------------------------------------- TOPSIS


def test_topsis_tzeng_huang_2011() -> None:
    """Tzeng, G.-H., Huang, J.-J. (2011). *Multiple Attribute Decision Making: Methods
    and Applications*. CRC Press, TOPSIS example (4 alternatives x 3 benefit criteria,
    w = 0.3, 0.4, 0.3). Closeness 0.5037, 0.6581, 0.7482, 0.3340 as transcribed in
    scikit-criteria tests/agg/test_topsis.py::test_TOPSIS_tzeng2011multiple.
    Tolerance 1e-4: the book prints four decimals.
    """
    m = DecisionMatrix(
        ("A1", "A2", "A3", "A4"),
        ("durability", "capacity", "reliability"),
        np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float),
        (True, True, True),
    )
    np.testing.assert_allclose(
        topsis(m, [0.3, 0.4, 0.3]), [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4
    )
    assert [a.id for a in rank(m, [0.3, 0.4, 0.3], "topsis").alternatives] == [
        "A3",
        "A2",
        "A1",
        "A4",
    ]


def mountain() -> DecisionMatrix:
    """Opricovic & Tzeng (2004), EJOR 156(2), 445-455, sect. 4 (Table 1): three
    alternatives, risk (cost) 1, 2, 5 and altitude (benefit) 3000, 3750, 4500 m,
    equal weights.
    """
    return DecisionMatrix(
        ("A1", "A2", "A3"),
        ("risk", "altitude_m"),
        np.array([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]),
        (False, True),
    )


# ----------------------------------------------------------------------------- VIKOR


def test_vikor_opricovic_tzeng_2004() -> None:
    """Opricovic & Tzeng (2004), VIKOR results of the example (Tables 2-3):
    S = 0.5, 0.375, 0.5; R = 0.5, 0.25, 0.5; Q = 1, 0, 1 (v = 0.5), as transcribed in
    scikit-criteria tests/agg/test_vikor.py::test_VIKOR_opricovic2004compromise.
    Exact values; tolerance only for floating point.
    """
    s, r, q = vikor_indices(mountain(), [0.5, 0.5], v=0.5)
    np.testing.assert_allclose(s, [0.5, 0.375, 0.5], atol=1e-12)
    np.testing.assert_allclose(r, [0.5, 0.25, 0.5], atol=1e-12)
    np.testing.assert_allclose(q, [1.0, 0.0, 1.0], atol=1e-12)


def hydro() -> DecisionMatrix:
    """Opricovic & Tzeng (2007). Extended VIKOR method in comparison with outranking
    methods. EJOR 178(2), 514-529: six hydropower alternatives on eight criteria.
    """
    return DecisionMatrix(
        ("A1", "A2", "A3", "A4", "A5", "A6"),
        (
            "profit",
            "cost",
            "energy_gwh",
            "peak_energy_gwh",
            "homes_relocated",
            "reservoir_area_ha",
            "villages_displaced",
            "environmental_grade",
        ),
        np.array(
            [
                [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
                [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
                [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
                [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
                [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
                [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
            ]
        ),
        (True, False, True, True, False, False, False, True),
    )


def test_vikor_opricovic_tzeng_2007_equal_weights() -> None:
    """Opricovic & Tzeng (2007), equal weights: S, R, Q printed to three decimals,
    as transcribed in scikit-criteria tests/agg/test_vikor.py (W == 1). Tolerance
    1e-3: three printed decimals plus rounding of intermediate values.
    """
    s, r, q = vikor_indices(hydro(), [1] * 8)
    np.testing.assert_allclose(s, [0.692, 0.7, 0.29, 0.423, 0.28, 0.346], atol=1e-3)
    np.testing.assert_allclose(r, [0.125, 0.125, 0.121, 0.125, 0.067, 0.125], atol=1e-3)
    np.testing.assert_allclose(q, [0.991, 1.0, 0.473, 0.670, 0.0, 0.578], atol=1e-3)


def test_vikor_opricovic_tzeng_2007_environment_weights() -> None:
    """Same source, weights 1,1,1,1,3.2,3.2,3.2,3.2 (W == 4 in scikit-criteria):
    Q ranks A3 first, then A5, A6, A4, A1, A2.
    """
    w = [1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2]
    s, r, q = vikor_indices(hydro(), w)
    np.testing.assert_allclose(s, [0.678, 0.857, 0.138, 0.513, 0.222, 0.167], atol=1e-3)
    np.testing.assert_allclose(r, [0.129, 0.190, 0.057, 0.139, 0.042, 0.060], atol=1e-3)
    np.testing.assert_allclose(q, [0.668, 1.0, 0.051, 0.588, 0.058, 0.078], atol=1e-3)
    ranking = rank(hydro(), w, "vikor")
    assert [a.id for a in ranking.alternatives] == ["A3", "A5", "A6", "A4", "A1", "A2"]


# ----------------------------------------------------------------------------- PROMETHEE


def test_promethee_ii_zhao_peng_li_2013() -> None:
    """Zhao, H., Peng, Y., Li, W. (2013). Revised PROMETHEE II for improving
    efficiency in emergency response. Procedia Computer Science 17, 181-188:
    three alternatives, three benefit criteria, w = 0.5, 0.3, 0.2, usual criterion;
    net flows 0.1, -0.3, 0.2 as transcribed in pymcdm tests/test_methods.py
    ::TestPROMETHEE_II (checked by hand here: pi(a1, a2) = 0.8, pi(a1, a3) = 0.3,
    pi(a2, a3) = 0.5). Exact values.
    """
    m = DecisionMatrix(
        ("a1", "a2", "a3"),
        ("g1", "g2", "g3"),
        np.array([[4, 3, 2], [3, 2, 4], [5, 1, 3]], dtype=float),
        (True, True, True),
    )
    np.testing.assert_allclose(promethee_ii(m, [0.5, 0.3, 0.2]), [0.1, -0.3, 0.2], atol=1e-12)
