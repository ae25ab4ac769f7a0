"""Geodesic distances on the WGS84 ellipsoid.

Coordinates are always ``lon_deg, lat_deg`` in that order (WGS84 degrees).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from pyproj import Geod

from freighthub.units import M_PER_KM

__all__ = [
    "Located",
    "distance_between_km",
    "distance_matrix_km",
    "geodesic_distance_km",
    "network_distance_km",
]


@lru_cache(maxsize=1)
def _wgs84() -> Geod:
    return Geod(ellps="WGS84")


def geodesic_distance_km(
    a_lon_deg: float, a_lat_deg: float, b_lon_deg: float, b_lat_deg: float
) -> float:
    """Shortest distance over the WGS84 ellipsoid between two points.

    Parameters
    ----------
    a_lon_deg, a_lat_deg
        First point [deg, WGS84].
    b_lon_deg, b_lat_deg
        Second point [deg, WGS84].

    Returns
    -------
    float
        Geodesic (great-ellipse) distance [km]; Karney's algorithm via pyproj.

    Raises
    ------
    ValueError
        If a latitude lies outside [-90, 90] or a longitude outside [-180, 360].
    """
    for name, lat in (("a_lat_deg", a_lat_deg), ("b_lat_deg", b_lat_deg)):
        if not -90.0 <= lat <= 90.0:
            raise ValueError(f"{name} = {lat}: must be within [-90, 90]")
    for name, lon in (("a_lon_deg", a_lon_deg), ("b_lon_deg", b_lon_deg)):
        if not -180.0 <= lon <= 360.0:
            raise ValueError(f"{name} = {lon}: must be within [-180, 360]")
    _, _, distance_m = _wgs84().inv(a_lon_deg, a_lat_deg, b_lon_deg, b_lat_deg)
    return float(distance_m) / M_PER_KM


def network_distance_km(geodesic_km: float, circuity_factor: float) -> float:
    """Network distance estimated from a geodesic distance and a circuity factor.

    Parameters
    ----------
    geodesic_km
        Geodesic distance [km].
    circuity_factor
        Ratio of network to geodesic distance [-], at least 1. Its value is data
        (a scenario or factor file with its source), never a default here.

    Returns
    -------
    float
        Estimated network distance [km].

    Raises
    ------
    ValueError
        If ``circuity_factor`` is below 1 or ``geodesic_km`` is negative.
    """
    if geodesic_km < 0:
        raise ValueError(f"geodesic_km = {geodesic_km}: must be >= 0")
    if circuity_factor < 1.0:
        raise ValueError(f"circuity_factor = {circuity_factor}: must be >= 1")
    return geodesic_km * circuity_factor


class Located(Protocol):
    """Anything with a WGS84 position, such as a :class:`freighthub.model.Hub`."""

    @property
    def lon_deg(self) -> float: ...

    @property
    def lat_deg(self) -> float: ...


def distance_between_km(a: Located, b: Located) -> float:
    """Geodesic distance between two located objects (hubs) [km]."""
    return geodesic_distance_km(a.lon_deg, a.lat_deg, b.lon_deg, b.lat_deg)


def distance_matrix_km(points: Sequence[Located]) -> list[list[float]]:
    """Symmetric matrix of geodesic distances between ``points`` [km]."""
    n = len(points)
    matrix = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            matrix[i][j] = matrix[j][i] = distance_between_km(points[i], points[j])
    return matrix
