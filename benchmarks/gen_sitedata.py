"""Generator of valid, realistic site-data files (54 columns A..BB), for the benchmarks and for
tests. Deterministic for a given seed.

    .venv/bin/python -m benchmarks.gen_sitedata OUT.csv --rows 164000 [--shape quoted]

Files come in the shapes people's tools write (``SHAPES``): quoted only where needed (Python's
csv module, Excel), every field quoted (LibreOffice and many exports), LF or CRLF line ends,
UTF-8 with a BOM (Excel's "CSV UTF-8"), Windows-1252 (Excel's plain "CSV"). Place names carry
French accents, as Canadian station locations do.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import random
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from services.sitedata.domain.validation import COLUMNS, column_spec

TODAY = date(2026, 11, 5)
HEADER: list[str] = [c.name for c in column_spec()]
_TECHS = (("LTE", 45), ("5GNR", 25), ("5GDSS", 8), ("HSPA", 6), ("GSM", 3), ("CDMA", 2),
          ("WI-FI", 5), ("WIMAX", 2), ("OTHER", 4))
_PCI = {"LTE": 503, "5GNR": 1007, "5GDSS": 1007}
_PROVINCES = (("ON", 43.0, 49.0, -95.0, -75.0), ("QC", 45.0, 52.0, -79.0, -60.0),
              ("BC", 48.5, 58.0, -130.0, -115.0), ("AB", 49.0, 59.0, -119.0, -110.0),
              ("MB", 49.0, 56.0, -101.0, -95.0), ("SK", 49.0, 57.0, -109.0, -102.0),
              ("NS", 43.5, 47.0, -66.0, -60.0), ("NB", 45.0, 48.0, -69.0, -64.0),
              ("NL", 46.6, 55.0, -60.0, -52.7), ("PE", 46.0, 47.0, -64.4, -62.0),
              ("YT", 60.0, 68.0, -141.0, -124.0), ("NT", 60.0, 68.0, -124.0, -102.0),
              ("NU", 60.0, 73.0, -102.0, -61.0))
_PLACES = ("KANATA NORTH", "ORLEANS", "LAVAL CENTRE", "SURREY NEWTON", "RED DEER EAST",
           "BRANDON", "MONCTON WEST", "WHITEHORSE", "IQALUIT", "SAINT-JEROME", "LEVIS",
           "SHERBROOKE NORD", "BARRIE", "PETERBOROUGH", "KAMLOOPS", "NANAIMO", "TRURO")
# accented places, one row in ten (only where the generator is asked for them: see rows())
_ACCENTED = ("LÉVIS", "MONTRÉAL-NORD", "TROIS-RIVIÈRES", "SAINT-JÉRÔME", "CHÂTEAUGUAY",
             "RIVIÈRE-DU-LOUP", "SEPT-ÎLES", "BEAUPRÉ")
_STREETS = ("MAIN ST", "RUE PRINCIPALE", "KING ST W", "HWY 17", "CONCESSION 4", "MARCH RD")
_CONTACTS = ("Marie-Claude Tremblay", "Rajinder Singh", "Olivia Chen", "Jean-Francois Roy",
             "Aaliyah Thompson", "Gabriel Lavoie")
_VENDORS = (("NOKIA", "AHEGB", "AEQE"), ("ERICSSON", "RRU 4478 B66", "AIR 6449 B77D"),
            ("SAMSUNG", "RT4423-48A", "MT6413-77A"), ("HUAWEI", "RRU5909", "AAU5613"))
_ANTENNAS = (("COMMSCOPE", "FFVV-65B-R3"), ("RFS", "APXVAARR24_43-U-NA20"),
             ("ERICSSON", "AIR 3268"), ("AMPHENOL", "4NPX4-6565R-T"))


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _num(value: float, places: int = 1) -> str:
    text = f"{value:.{places}f}"
    return "0" if float(text) == 0 else text


class Licence:
    """One licence's shared values: contact columns and the station counter."""

    def __init__(self, rng: random.Random, number: str) -> None:
        self.number = number
        name = rng.choice(_CONTACTS)
        self.contact = name
        area = rng.choice(("613", "416", "514", "604", "403"))
        self.phone = f"{area}-555-{rng.randint(0, 9999):04d}"
        if rng.random() < 0.1:
            self.phone += f"x{rng.randint(10, 999)}"
        first, last = name.lower().replace("-", "").split(" ", 1)
        self.email = f"{first[0]}{last}@{rng.choice(('rogers.ca', 'telus.ca', 'bell.ca'))}"
        if rng.random() < 0.03:
            self.email += ",spectrum.ops@example.ca"
        self.reference = f"UPL-{rng.randint(2024, 2026)}-{rng.randint(1, 9999):04d}"
        self.stations = 0


def station_rows(rng: random.Random, lic: Licence, today: date = TODAY) -> list[list[str]]:
    """The rows of one new station of a licence: one per sector and channel."""
    lic.stations += 1
    province, lat0, lat1, lon0, lon1 = rng.choice(_PROVINCES)
    place = f"{rng.choice(_PLACES)} {lic.stations}"
    if rng.random() < 0.2:
        place = f"{place} {rng.choice(_STREETS)}"
    if rng.random() < 0.02:
        place = place.replace(" ", ", ", 1)  # a comma: the writer quotes the field
    fixed = rng.random() < 0.97
    tech = _pick(rng, _TECHS) if fixed else ""
    site = rng.choices(("O", "I", "U"), (85, 10, 5))[0] if fixed else ""
    base = {
        "A": lic.number, "B": lic.reference if rng.random() < 0.15 else "", "C": lic.contact,
        "D": lic.phone, "E": lic.email, "F": place, "G": "FX" if fixed else "TC", "H": tech,
        "K": province, "L": _num(rng.uniform(lat0, lat1), 4), "M": _num(rng.uniform(lon0, lon1), 4),
        "N": site, "P": rng.choice("TRPSFMO"),
        "Q": (today - timedelta(days=rng.randint(0, 3650))).isoformat(),
        "R": f"SR-{province}-{rng.randint(1, 999999):06d}",
    }
    structure = rng.uniform(10, 90) if site == "O" or (site == "I" and rng.random() < 0.5) else 0.0
    base["O"] = _num(structure) if structure else ""
    sectors = rng.choice((1, 2, 3, 3, 3, 4))
    start = rng.uniform(1.0, 119.0)
    station = _station_values(rng, base, structure)
    rows = []
    for channel in range(rng.choice((1, 1, 2))):
        tx = _num(rng.uniform(600, 3900), 1)
        rx = _num(float(tx) - rng.choice((45.0, 80.0, 400.0)), 1)
        for sector in range(sectors):
            row = dict(station, S=tx, T=rx)
            if "I" in row:
                row["I"] = f"{row['I']}{sector + 1}{channel}"
            azimuth = _num((start + sector * 360.0 / sectors) % 358.9 + 1.0)
            row["AU"] = row["AV"] = azimuth if row["AO"] == "D" else ""
            rows.append([row.get(letter, "") for letter in COLUMNS])
    return rows


def _station_values(rng: random.Random, row: dict[str, str], structure: float) -> dict[str, str]:
    """Everything the rows of one station share: all but the azimuths and the channel."""
    tech, site, fixed = row["H"], row["N"], row["G"] == "FX"
    if tech in _PCI or tech in {"HSPA", "GSM", "CDMA"}:
        row["I"] = f"302{rng.choice(('220', '610', '720'))}-{rng.randint(1, 99999):05d}-"
    if tech in _PCI:
        row["J"] = str(rng.randint(0, _PCI[tech]))
    if site == "U":
        height = rng.uniform(-30, -1)
    elif structure:
        height = rng.uniform(structure * 0.5, structure + 4.5)
    else:
        height = rng.uniform(2, 40)
    directional = rng.random() < 0.92
    gear = rng.choice(_VENDORS) + rng.choice(_ANTENNAS)
    for side in ("tx", "rx"):
        _side(rng, row, side, fixed, directional, height, gear)
    row.update({"AA": rng.choice(("5000", "10000", "15000", "20000", "40000", "50000")),
                "AB": rng.choice(("G7W", "D7W", "W7D", "G7WDT")),
                "AD": str(rng.randint(40, 95))})
    return row


_SIDE = {"tx": ("S", "U", "W", "Y", "AE", "AG", "AI", "AK", "AM", "AO", "AQ", "AS", "AU",
                "AW", "AY", "BA"),
         "rx": ("T", "V", "X", "Z", "AF", "AH", "AJ", "AL", "AN", "AP", "AR", "AT", "AV",
                "AX", "AZ", "BB")}


def _side(rng: random.Random, row: dict[str, str], side: str, fixed: bool,
          directional: bool, height: float, gear: tuple[str, ...]) -> None:
    vendor, radio, antenna_model, maker, model = gear
    s = dict(zip(("freq", "radio", "maker", "cert", "type", "count", "model", "amaker", "height",
                  "pattern", "hbw", "vbw", "azimuth", "tilt", "gain", "loss"), _SIDE[side],
                 strict=True))
    row[s["radio"]] = radio
    if fixed:
        row[s["maker"]], row[s["cert"]] = vendor, f"{rng.randint(100, 27000)}A-{radio[:5]}".strip()
        row[s["type"]], row[s["amaker"]] = rng.choice(("AAS", "NAC", "NAU")), maker
    row[s["count"]] = rng.choice(("2", "4", "8", "32", "64"))
    row[s["model"]], row[s["height"]] = model if fixed else antenna_model, _num(height)
    row[s["pattern"]] = "D" if directional else "N"
    if directional:
        row[s["hbw"]] = rng.choice(("65", "33", "90", "45.5"))
        row[s["vbw"]] = str(rng.randint(4, 12))
        row[s["tilt"]] = str(rng.randint(-8, 2))
    row[s["gain"]], row[s["loss"]] = _num(rng.uniform(12, 19)), _num(rng.uniform(0.2, 3))
    if side == "tx":
        row["AC"] = _num(rng.uniform(20, 60))


def rows(count: int, seed: int = 1, today: date = TODAY,
         licences: Sequence[str] = ()) -> Iterator[list[str]]:
    """``count`` valid data rows: licences of about 4,000 rows each, a few special ones; or,
    with ``licences``, those licences only (station rows, in turn, about as many each)."""
    rng = random.Random(seed)
    made, lic, turn = 0, None, 0
    while made < count:
        if licences:
            share = (turn + 1) * count // len(licences)
            if lic is None or (made >= share and turn + 1 < len(licences)):
                turn += lic is not None
                lic = Licence(rng, licences[turn])
        elif lic is None or (lic.stations > 800 and rng.random() < 0.01):
            lic = Licence(rng, f"0{rng.randint(10_000_000, 99_999_999)}")
            if rng.random() < 0.1 and made + 1 < count:
                yield special_row(lic.number, rng.choice(("NOSTATIONS", "NOCHANGE")), lic)
                made, lic = made + 1, None
                continue
        for row in station_rows(rng, lic, today)[: count - made]:
            yield row
            made += 1


def special_row(licence: str, keyword: str, lic: Licence | None = None) -> list[str]:
    """A NOSTATIONS / NOCHANGE row: A..F filled in, G..BB empty."""
    contact = ("Olivia Chen", "613-555-0199", "olivia.chen@example.ca")
    if lic is not None:
        contact = (lic.contact, lic.phone, lic.email)
    return [licence, "", *contact, keyword, *([""] * 48)]


def sample_row(seed: int = 7, **columns: str) -> list[str]:
    """One valid FX / LTE / outdoor station row with both sides directional; keyword
    arguments (column letters) replace values: ``sample_row(H="lte")``."""
    rng = random.Random(seed)
    row = dict(zip(COLUMNS, station_rows(rng, Licence(rng, "010898101"))[0], strict=True))
    row.update({"G": "FX", "H": "LTE", "I": "302720-51234-101", "J": "245", "N": "O",
                "O": "45.0", "AM": "40.5", "AN": "40.5", "AO": "D", "AP": "D", "AQ": "65",
                "AR": "65", "AS": "7", "AT": "7", "AU": "120", "AV": "120", "AW": "-3",
                "AX": "-3", "W": "NOKIA", "X": "NOKIA", "Y": "661W-AHEGB", "Z": "661W-AHEGB",
                "AE": "AAS", "AF": "AAS", "AK": "COMMSCOPE", "AL": "COMMSCOPE"})
    row.update(columns)
    return [row[letter] for letter in COLUMNS]


def to_csv(records: Sequence[Sequence[str]], header: bool = True) -> bytes:
    """Records as CSV bytes (UTF-8, CRLF, minimal quoting), with the header first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if header:
        writer.writerow(HEADER)
    writer.writerows(records)
    return out.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Shape:
    """How a tool writes the file."""

    quoting: int = csv.QUOTE_MINIMAL
    newline: str = "\r\n"
    encoding: str = "utf-8"


SHAPES = {
    "minimal": Shape(),  # quoted where needed, CRLF: Python's csv module, Excel
    "quoted": Shape(quoting=csv.QUOTE_ALL),  # every field quoted: LibreOffice and many exports
    "lf": Shape(newline="\n"),  # LF line ends (Unix tools)
    "bom": Shape(encoding="utf-8-sig"),  # Excel's "CSV UTF-8": a byte-order mark first
    "cp1252": Shape(encoding="cp1252"),  # Excel's plain "CSV": Windows-1252
    # text in quotes, numbers and empty cells bare: LibreOffice's "quote all text cells",
    # pandas' QUOTE_NONNUMERIC (see text_quoted)
    "text": Shape(quoting=csv.QUOTE_NONNUMERIC),
}
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def text_quoted(row: Sequence[str], newline: str) -> str:
    """A row with its text values in quotes (a quote doubled) and its numbers bare."""
    return ",".join(v if not v or _NUMBER.fullmatch(v) else '"' + v.replace('"', '""') + '"'
                    for v in row) + newline


def formatted(rows: Iterable[Sequence[str]], shape: Shape | str) -> str:
    """Rows as the shape's tool writes them (text, not yet encoded)."""
    form = SHAPES[shape] if isinstance(shape, str) else shape
    if form.quoting == csv.QUOTE_NONNUMERIC:
        return "".join(text_quoted(row, form.newline) for row in rows)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=form.quoting, lineterminator=form.newline).writerows(rows)  # type: ignore[arg-type]
    return buffer.getvalue()


def accented(row: list[str]) -> list[str]:
    """One station in ten gets a French place name (the same for all its rows)."""
    place = row[5]
    if zlib.crc32(place.encode()) % 10 == 0 and place not in ("NOSTATIONS", "NOCHANGE"):
        word = _ACCENTED[zlib.crc32(place.encode()) // 10 % len(_ACCENTED)]
        row = [*row[:5], word + place[place.find(" "):] if " " in place else word, *row[6:]]
    return row


@dataclass
class Written:
    path: Path
    rows: int
    per_licence: dict[str, int]
    size: int


def write_file(path: Path, count: int, seed: int = 1, today: date = TODAY, *,
               shape: Shape | str = "minimal", licences: Sequence[str] = (),
               max_bytes: int | None = None, accents: bool = False) -> Written:
    """Write a valid file of at most ``count`` data rows (plus the header), streaming; it
    stops early rather than pass ``max_bytes``."""
    form = SHAPES[shape] if isinstance(shape, str) else shape
    path.parent.mkdir(parents=True, exist_ok=True)
    written = Written(path, 0, {}, 0)
    with path.open("wb") as out:
        for n, row in enumerate(itertools.chain([HEADER], rows(count, seed, today, licences))):
            text = formatted([accented(row) if accents and n else row], form)
            data = text.encode(form.encoding if n == 0 else form.encoding.replace("-sig", ""))
            if max_bytes is not None and written.size + len(data) > max_bytes:
                break
            out.write(data)
            written.size += len(data)
            if n:
                written.rows += 1
                written.per_licence[row[0]] = written.per_licence.get(row[0], 0) + 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a valid site-data CSV file.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=164_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="minimal")
    parser.add_argument("--licence", action="append", default=[],
                        help="only these licences (repeat); default: random numbers")
    args = parser.parse_args(argv)
    write_file(args.out, args.rows, args.seed, shape=args.shape, licences=args.licence,
               accents=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
