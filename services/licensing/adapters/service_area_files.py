"""Reading ISED's published service-area files (Service Areas for Competitive Licensing).

Supported (docs/licensing.md, "Service areas"):

- **CSV** (the service-areas table saved as CSV, UTF-8 with or without BOM; comma, semicolon
  or tab): a code column (``Service area``, ``Service area number``, ``code``...), a name
  column (``Service area name``, ``name``...), optionally ``tier`` (else read from the code,
  ``3-013`` is tier 3), ``parent`` (else from a parent's ``Sub-tiers`` list of codes) and a
  polygon column (WKT ``POLYGON``/``MULTIPOLYGON`` or GeoJSON text), lon/lat WGS84;
- **GeoJSON** (the map layers converted with ``ogr2ogr -f GeoJSON``): a FeatureCollection whose
  properties carry the same columns and whose geometry is the polygon;
- **KML** (the Google Earth layers as published): each Placemark's name or ExtendedData
  carries the columns; its Polygon/MultiGeometry is the polygon.

Several files may be given at once (one per tier, as the KML layers come).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.licensing.domain.geography import ServiceArea, tier_of_code

ALIASES = {
    "code": ("code", "servicearea", "serviceareanumber", "serviceareacode", "sanumber",
             "sacode", "tiercode", "number", "numero", "numerodezonedeservice"),
    "name": ("name", "serviceareaname", "saname", "tiername", "nom", "nomdelazonedeservice"),
    "tier": ("tier", "level", "niveau"),
    "parent": ("parent", "parentcode", "parentservicearea", "parentarea"),
    "subtiers": ("subtiers", "children", "sousniveaux"),
    "geometry": ("polygon", "geometry", "wkt", "geojson", "geom", "shape"),
}
_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"


class ServiceAreaFileError(ValueError):
    """A file that cannot be read as service areas (the message says where and why)."""


@dataclass(frozen=True)
class LoadedArea:
    area: ServiceArea
    geometry: dict[str, Any] | None = None


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's values under our names (code, name, tier, parent, subtiers, geometry)."""
    by_key = {_key(str(k)): v for k, v in record.items() if k is not None}
    found: dict[str, Any] = {}
    for ours, names in ALIASES.items():
        value = next((by_key[n] for n in names if by_key.get(n) not in (None, "")), None)
        if value is not None:
            found[ours] = value
    return found


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[,;\s]+", text) if c.strip()]


def area_of(record: Mapping[str, Any], where: str) -> tuple[LoadedArea, list[str]]:
    """One area from one record, and the codes it names as its sub-tiers."""
    values = _columns(record)
    code = str(values.get("code", "")).strip().upper()
    if not code:
        raise ServiceAreaFileError(f"{where}: no service area code")
    tier_text = str(values.get("tier", "")).strip()
    tier = int(float(tier_text)) if re.fullmatch(r"\d+(\.0)?", tier_text) else tier_of_code(code)
    if tier is None:
        raise ServiceAreaFileError(f"{where}: no tier for {code} (add a tier column)")
    parent = str(values.get("parent", "")).strip().upper() or None
    geometry = values.get("geometry")
    shape = parse_geometry(geometry, where) if geometry not in (None, "") else None
    area = ServiceArea(code, str(values.get("name", "")).strip(), tier, parent)
    return LoadedArea(area, shape), _codes(str(values.get("subtiers", "")))


def parse_geometry(value: Any, where: str) -> dict[str, Any]:
    """A GeoJSON Polygon/MultiPolygon from a GeoJSON object or text, or WKT."""
    if isinstance(value, Mapping):
        shape = dict(value)
    else:
        text = str(value).strip()
        shape = json.loads(text) if text.startswith("{") else _wkt(text, where)
    if shape.get("type") not in ("Polygon", "MultiPolygon") or not shape.get("coordinates"):
        raise ServiceAreaFileError(f"{where}: the polygon is not a Polygon or MultiPolygon")
    return shape


def _ring(text: str) -> list[list[float]]:
    points = [p.split() for p in text.split(",") if p.strip()]
    return [[float(p[0]), float(p[1])] for p in points]


def _wkt(text: str, where: str) -> dict[str, Any]:
    match = re.fullmatch(r"(MULTIPOLYGON|POLYGON)\s*(\(.*\))", text.strip(), re.I | re.S)
    if not match or not re.fullmatch(rf"[\s(),]*(?:{_NUMBER}[\s(),]*)*", match.group(2)):
        raise ServiceAreaFileError(f"{where}: the polygon is neither WKT nor GeoJSON")
    polygons = [[_ring(ring) for ring in re.findall(r"\(([^()]*)\)", part)]
                for part in re.findall(r"\((\s*\([^()]*\)(?:\s*,\s*\([^()]*\))*\s*)\)",
                                       match.group(2))]
    if match.group(1).upper() == "POLYGON":
        return {"type": "Polygon", "coordinates": polygons[0] if polygons else []}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _csv_records(text: str) -> Iterable[tuple[dict[str, Any], str]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, row in enumerate(csv.DictReader(io.StringIO(text), dialect=dialect), start=2):
        if any((v or "").strip() for v in row.values() if isinstance(v, str)):
            yield row, f"line {number}"


def _geojson_records(text: str) -> Iterable[tuple[dict[str, Any], str]]:
    data = json.loads(text)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ServiceAreaFileError("not a GeoJSON FeatureCollection")
    for index, feature in enumerate(features):
        properties = dict(feature.get("properties") or {})
        if feature.get("geometry"):
            properties["geometry"] = feature["geometry"]
        yield properties, f"feature {index + 1}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_records(text: str) -> Iterable[tuple[dict[str, Any], str]]:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # no entity expansion, ever
        raise ServiceAreaFileError("a KML file with a DOCTYPE is refused")
    root = ET.fromstring(text)
    marks = [e for e in root.iter() if _local(e.tag) == "Placemark"]
    for index, mark in enumerate(marks):
        record: dict[str, Any] = {}
        title = ""
        for element in mark.iter():
            tag = _local(element.tag)
            if tag == "name" and element.text and not title:
                title = element.text.strip()
            elif tag in ("Data", "SimpleData") and element.get("name"):
                value = element.text if tag == "SimpleData" else next(
                    (c.text for c in element if _local(c.tag) == "value"), None)
                record[str(element.get("name"))] = (value or "").strip()
        if title:  # the Placemark's own name: the code when it looks like one, else the name
            fallback = "code" if tier_of_code(title) and "code" not in _columns(record) \
                else "name"
            if fallback not in _columns(record):
                record[fallback] = title
        polygons = [[_kml_ring(r) for r in p.iter() if _local(r.tag) == "coordinates"]
                    for p in mark.iter() if _local(p.tag) == "Polygon"]
        if polygons:
            record["geometry"] = ({"type": "Polygon", "coordinates": polygons[0]}
                                  if len(polygons) == 1 else
                                  {"type": "MultiPolygon", "coordinates": polygons})
        yield record, f"placemark {index + 1}"


def _kml_ring(element: ET.Element) -> list[list[float]]:
    points = [p.split(",") for p in (element.text or "").split()]
    return [[float(p[0]), float(p[1])] for p in points if len(p) >= 2]


def records(path: Path) -> Iterable[tuple[dict[str, Any], str]]:
    text = path.read_text(encoding="utf-8-sig")
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _geojson_records(text)
    if suffix == ".kml":
        return _kml_records(text)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_records(text)
    raise ServiceAreaFileError(f"{path.name}: use a .csv, .geojson or .kml file (save the "
                               ".xlsx table as CSV; convert a .TAB or .shp layer with ogr2ogr)")


def read_files(paths: list[Path]) -> list[LoadedArea]:
    """Every area of the files, with parents filled in from sub-tier lists where missing."""
    loaded: list[LoadedArea] = []
    parent_of: dict[str, str] = {}
    for path in paths:
        try:
            for record, where in records(path):
                area, children = area_of(record, f"{path.name}, {where}")
                loaded.append(area)
                parent_of.update({child: area.area.code for child in children})
        except (ET.ParseError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ServiceAreaFileError(f"{path.name}: cannot be read ({exc})") from None
        except (TypeError, ValueError, IndexError) as exc:
            if isinstance(exc, ServiceAreaFileError):
                raise
            raise ServiceAreaFileError(f"{path.name}: {exc}") from None
    return [_with_parent(item, parent_of) for item in loaded]


def _with_parent(item: LoadedArea, parent_of: dict[str, str]) -> LoadedArea:
    area = item.area
    if area.parent or area.tier == 1:
        return item
    parent = parent_of.get(area.code) or ("1-001" if area.tier == 2 else None)
    return LoadedArea(ServiceArea(area.code, area.name, area.tier, parent), item.geometry)
