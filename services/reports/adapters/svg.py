"""Server-side SVG: the offline map of Canada with station points, and dashboard charts.

The map needs no tile server and no internet: the outline is ``canada.json`` (GeoJSON), shipped with
the project (a hand-simplified outline, about 50 km accurate).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

OUTLINE = Path(__file__).with_name("canada.json")
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -142.0, -52.0, 41.0, 84.0
SCALE = 10.0
STATUS_COLOURS = {"Processed": "#26374a", "Errors Found": "#d3080c"}
PALETTE = ("#26374a", "#d3080c", "#2b8000", "#ff9900", "#6f2da8", "#0b8ea5")


@lru_cache(maxsize=1)
def outline() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(OUTLINE.read_text())
    return data


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular, with longitudes shrunk by cos(60°) so Canada keeps its look."""
    x = (lon - LON_MIN) * math.cos(math.radians(60)) * SCALE
    y = (LAT_MAX - lat) * SCALE
    return round(x, 1), round(y, 1)


def _path(coords: Sequence[Sequence[float]], close: bool) -> str:
    points = [project(lon, lat) for lon, lat in coords]
    body = " ".join(f"{x},{y}" for x, y in points)
    return f"M{body}{' Z' if close else ''}"


def map_svg(points: Sequence[tuple[float, float, str]], title: str = "Stations") -> str:
    """Canada with one dot per (latitude, longitude, label); points outside are left off."""
    width, _ = project(LON_MAX, LAT_MIN)
    _, height = project(LON_MIN, LAT_MIN)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<rect width="{width}" height="{height}" fill="#eaf2f8"/>']
    for feature in outline()["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            parts.append(f'<path d="{_path(geometry["coordinates"][0], True)}" fill="#ffffff" '
                         'stroke="#7a7a7a" stroke-width="1.5"/>')
        else:
            parts.append(f'<path d="{_path(geometry["coordinates"], False)}" fill="none" '
                         'stroke="#b0b0b0" stroke-width="1" stroke-dasharray="4 3"/>')
    for lat, lon, label in points:
        if not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
            continue
        x, y = project(lon, lat)
        parts.append(f'<circle class="station" cx="{x}" cy="{y}" r="4" fill="#d3080c" '
                     f'fill-opacity="0.7"><title>{escape(label)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def _frame(width: int, height: int, title: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="11">'
            f'<title>{escape(title)}</title>']


def stacked_bars_svg(days: Sequence[str], series: Mapping[str, Sequence[int]],
                     title: str) -> str:
    """One bar per day, stacked by status, with a legend."""
    width, height, left, bottom = 640, 260, 40, 40
    top = max((sum(values[i] for values in series.values()) for i in range(len(days))),
              default=0) or 1
    slot = (width - left - 10) / max(len(days), 1)
    parts = _frame(width, height, title)
    parts.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width}" '
                 f'y2="{height - bottom}" stroke="#333"/>'
                 f'<text x="4" y="14">{top}</text><text x="4" y="{height - bottom}">0</text>')
    for i, day in enumerate(days):
        base = float(height - bottom)
        for n, (status, values) in enumerate(sorted(series.items())):
            h = (height - bottom - 20) * values[i] / top
            base -= h
            colour = STATUS_COLOURS.get(status, PALETTE[n % len(PALETTE)])
            parts.append(f'<rect x="{left + i * slot + 2:.1f}" y="{base:.1f}" '
                         f'width="{max(slot - 4, 1):.1f}" height="{h:.1f}" fill="{colour}">'
                         f'<title>{escape(day)} {escape(status)}: {values[i]}</title></rect>')
        parts.append(f'<text x="{left + i * slot + slot / 2:.1f}" y="{height - bottom + 14}" '
                     f'text-anchor="middle">{escape(day[5:])}</text>')
    for n, status in enumerate(sorted(series)):
        colour = STATUS_COLOURS.get(status, PALETTE[n % len(PALETTE)])
        parts.append(f'<rect x="{left + n * 130}" y="{height - 14}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{left + n * 130 + 14}" y="{height - 5}">'
                     f'{escape(status)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars_svg(items: Sequence[tuple[str, float]], title: str, unit: str = "") -> str:
    """Labelled horizontal bars (error codes by count, percentiles by seconds)."""
    row, label_w, width = 22, 150, 640
    height = row * max(len(items), 1) + 10
    top = max((value for _, value in items), default=0) or 1
    parts = _frame(width, height, title)
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        w = (width - label_w - 80) * value / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
                     f'{escape(label)}</text><rect x="{label_w}" y="{y}" width="{w:.1f}" '
                     f'height="{row - 6}" fill="#26374a"/><text x="{label_w + w + 6:.1f}" '
                     f'y="{y + 14}">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
