"""The public Site Data Browser: what a search asks for, and the distance rule."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shared.errors import DomainError

EARTH_RADIUS_KM = 6371.0088
MAX_RADIUS_KM = 2000.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float

    def box(self) -> tuple[float, float, float, float]:
        """(lat_min, lat_max, lon_min, lon_max) that contains the circle (a cheap pre-filter)."""
        dlat = math.degrees(self.radius_km / EARTH_RADIUS_KM)
        cos_lat = max(math.cos(math.radians(self.latitude)), 1e-6)
        dlon = min(180.0, dlat / cos_lat)
        return (self.latitude - dlat, self.latitude + dlat,
                self.longitude - dlon, self.longitude + dlon)

    def contains(self, latitude: float | None, longitude: float | None) -> bool:
        if latitude is None or longitude is None:
            return False
        return distance_km(self.latitude, self.longitude, latitude, longitude) <= self.radius_km


@dataclass(frozen=True)
class StationQuery:
    licence: str | None = None
    licensee: str | None = None
    location: str | None = None
    province: str | None = None
    technology: str | None = None
    freq_min: float | None = None
    freq_max: float | None = None
    near: Near | None = None


def _invalid(code: str, message: str, field: str, fix: str) -> DomainError:
    return DomainError(code, message, field=field, fix=fix, status=422)


def make_near(lat: float | None, lon: float | None, radius_km: float | None) -> Near | None:
    given = [v is not None for v in (lat, lon, radius_km)]
    if not any(given):
        return None
    if not all(given) or lat is None or lon is None or radius_km is None:
        raise _invalid("RP-NEAR-INCOMPLETE", "A distance search needs lat, lon and radius_km.",
                       "radius_km", "Give all three, or none.")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _invalid("RP-NEAR-POINT", "The point is not a latitude and longitude.", "lat",
                       "Use decimal degrees: lat -90..90, lon -180..180.")
    if not 0 < radius_km <= MAX_RADIUS_KM:
        raise _invalid("RP-NEAR-RADIUS", f"The radius must be above 0 and at most "
                       f"{MAX_RADIUS_KM:.0f} km.", "radius_km", "Choose a smaller radius.")
    return Near(lat, lon, radius_km)


def check_band(freq_min: float | None, freq_max: float | None) -> None:
    if freq_min is not None and freq_max is not None and freq_min > freq_max:
        raise _invalid("RP-FREQ-RANGE", "The lowest frequency is above the highest.",
                       "freq_min", "Give freq_min <= freq_max, in MHz.")
