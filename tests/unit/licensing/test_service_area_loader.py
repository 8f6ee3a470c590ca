"""Loading ISED's service-area files: CSV (the table), GeoJSON and KML (the map layers), and
the ``spectrum licensing load-service-areas`` command over a real SQLite database."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from services.licensing.adapters.areas import area_tree
from services.licensing.adapters.registry_tables import service_areas
from services.licensing.adapters.service_area_files import (
    ServiceAreaFileError,
    parse_geometry,
    read_files,
)
from services.licensing.cli import main
from services.licensing.domain.geography import AreaTree
from services.licensing.settings import LicensingSettings
from shared.db.engine import make_engine, make_sessionmaker

# the layout of ISED's table (Sub-tiers lists each area's children), saved as CSV with a BOM
TABLE = (
    "\ufeffService area,Service area name,Province,Full province,Population (2016),Sub-tiers\n"
    "1-001,Canada,,,35151728,\"2-001, 2-006\"\n"
    "2-001,Newfoundland and Labrador,NL,Newfoundland and Labrador,519716,3-001\n"
    "2-006,Eastern Ontario and Outaouais,ON,Ontario,2125468,3-013\n"
    "3-001,St. John's,NL,Newfoundland and Labrador,205955,4-001\n"
    "3-013,Ottawa,ON,Ontario,1323783,4-038\n"
    "4-001,St. John's,NL,Newfoundland and Labrador,205955,5-001\n"
    "4-038,Ottawa,ON,Ontario,1000000,5-140\n"
    "5-001,St. John's,NL,Newfoundland and Labrador,110000,\n"
    "5-140,Ottawa,ON,Ontario,900000,\n"
)
SQUARE = "POLYGON ((-76 45, -75 45, -75 46, -76 46, -76 45))"
KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
<Placemark><name>3-013</name><ExtendedData><SchemaData schemaUrl="#t3">
  <SimpleData name="SA_NAME">Ottawa</SimpleData><SimpleData name="TIER">3</SimpleData>
  <SimpleData name="PARENT">2-006</SimpleData></SchemaData></ExtendedData>
  <MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>
  -76,45,0 -75,45,0 -75,46,0 -76,45,0</coordinates></LinearRing></outerBoundaryIs></Polygon>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>-74,45 -73,45 -73,46 -74,45</coordinates>
  </LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>
</Folder></Document></kml>"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_table_gives_tiers_from_codes_and_parents_from_sub_tiers(tmp_path: Path) -> None:
    loaded = read_files([_write(tmp_path, "areas.csv", TABLE)])
    by_code = {x.area.code: x.area for x in loaded}
    assert len(loaded) == 9
    assert (by_code["5-140"].tier, by_code["5-140"].parent) == (5, "4-038")
    assert (by_code["2-001"].parent, by_code["1-001"].parent) == ("1-001", None)
    assert by_code["3-013"].name == "Ottawa"


def test_semicolons_tier_and_parent_columns_and_wkt_polygons(tmp_path: Path) -> None:
    text = f"code;name;tier;parent;polygon\n3-013;Ottawa;3;2-006;{SQUARE}\n"
    (area,) = read_files([_write(tmp_path, "t3.csv", text)])
    assert (area.area.tier, area.area.parent) == (3, "2-006")
    assert area.geometry == {"type": "Polygon", "coordinates": [
        [[-76.0, 45.0], [-75.0, 45.0], [-75.0, 46.0], [-76.0, 46.0], [-76.0, 45.0]]]}
    multi = parse_geometry("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))", "x")
    assert multi["type"] == "MultiPolygon" and len(multi["coordinates"]) == 2


def test_geojson_and_kml_layers(tmp_path: Path) -> None:
    geojson = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"SERVICE_AREA": "4-038", "SERVICE_AREA_NAME": "Ottawa",
                                          "PARENT_CODE": "3-013"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}
    (from_geojson,) = read_files([_write(tmp_path, "t4.geojson", json.dumps(geojson))])
    assert (from_geojson.area.code, from_geojson.area.tier) == ("4-038", 4)
    (from_kml,) = read_files([_write(tmp_path, "t3.kml", KML)])
    assert (from_kml.area.code, from_kml.area.name, from_kml.area.parent) == (
        "3-013", "Ottawa", "2-006")
    assert from_kml.geometry is not None and from_kml.geometry["type"] == "MultiPolygon"


@pytest.mark.parametrize(("name", "text", "says"), [
    ("a.csv", "code,name\n,Nowhere\n", "no service area code"),
    ("a.csv", "code,name\nTEL-1,Somewhere\n", "no tier for TEL-1"),
    ("a.csv", "code,name,polygon\n3-013,Ottawa,POLYGON((a b))\n", "neither WKT nor GeoJSON"),
    ("a.geojson", "[1, 2]", "not a GeoJSON FeatureCollection"),
    ("a.kml", "<!DOCTYPE kml [<!ENTITY x 'y'>]><kml/>", "DOCTYPE is refused"),
    ("a.kml", "<kml><Placemark>", "cannot be read"),
    ("a.xlsx", "binary", "save the .xlsx table as CSV"),
])
def test_unreadable_files_say_where_and_why(tmp_path: Path, name: str, text: str,
                                            says: str) -> None:
    with pytest.raises(ServiceAreaFileError, match=says):
        read_files([_write(tmp_path, name, text)])


def test_the_command_replaces_the_hierarchy_in_use(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'licensing.db'}"
    settings = LicensingSettings(database_url=url)
    table = _write(tmp_path, "areas.csv", TABLE)
    out, err = io.StringIO(), io.StringIO()
    broken = _write(tmp_path, "broken.csv", TABLE.replace("1323783,4-038", "1323783,"))
    assert main(["load-service-areas", str(broken)], settings, out, err) == 1
    assert "4-038: parent (none) is not in the file" in err.getvalue()
    assert main(["load-service-areas", str(table), "--dry-run"], settings, out, err) == 0
    assert main(["load-service-areas", str(tmp_path / "none.csv")], settings, out, err) == 2
    assert main(["load-service-areas", str(table)], settings, out, err) == 0
    assert "Loaded 9 service areas (tier 1: 1, tier 2: 2, tier 3: 2, tier 4: 2, tier 5: 2" \
        in out.getvalue()
    tree, sources = asyncio.run(_read(url))
    assert "3-001" in tree and "3-024" not in tree  # the file's set, not the shipped sample
    assert tree.within("5-001", "2-001") and sources == {"areas.csv"}


async def _read(url: str) -> tuple[AreaTree, set[str]]:
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as session:
        tree = await area_tree(session)
        sources = set((await session.execute(select(service_areas.c.source))).scalars())
    await engine.dispose()
    return tree, sources


def test_the_spectrum_command_dispatches_to_licensing(tmp_path: Path) -> None:
    from services.cli import main as spectrum

    assert spectrum(["licensing", "load-service-areas", str(tmp_path / "none.csv")]) == 2
