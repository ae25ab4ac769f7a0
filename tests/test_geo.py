"""Geodesic distances on WGS84."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freighthub.geo import geodesic_distance_km, network_distance_km


def test_one_degree_of_longitude_on_the_equator() -> None:
    # On the WGS84 ellipsoid the equator is a circle of radius a = 6378.137 km
    # (WGS84 definition, NIMA TR8350.2), so 1 degree = 2*pi*a/360 km exactly.
    expected_km = 2 * math.pi * 6378.137 / 360
    assert geodesic_distance_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(expected_km, rel=1e-9)


def test_quarter_meridian() -> None:
    # The WGS84 quarter meridian is 10,001.965729 km (Karney 2013, J. Geodesy 87, Table 1
    # lists the meridian distance to the pole for WGS84: 10001965.729 m).
    assert geodesic_distance_km(0.0, 0.0, 0.0, 90.0) == pytest.approx(10001.965729, abs=1e-3)


def test_rejects_latitude_out_of_range() -> None:
    with pytest.raises(ValueError, match="a_lat_deg = 95"):
        geodesic_distance_km(0.0, 95.0, 1.0, 0.0)


def test_circuity_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"circuity_factor = 0\.9: must be >= 1"):
        network_distance_km(100.0, 0.9)


lon = st.floats(-180, 180, allow_nan=False)
lat = st.floats(-89.9, 89.9, allow_nan=False)


@given(lon, lat, lon, lat)
def test_symmetric_and_non_negative(a_lon: float, a_lat: float, b_lon: float, b_lat: float) -> None:
    d_ab = geodesic_distance_km(a_lon, a_lat, b_lon, b_lat)
    d_ba = geodesic_distance_km(b_lon, b_lat, a_lon, a_lat)
    assert d_ab >= 0
    assert d_ab == pytest.approx(d_ba, rel=1e-9, abs=1e-6)
    # no two points on Earth are further apart than half the equator
    assert d_ab <= math.pi * 6378.137 + 1e-6
