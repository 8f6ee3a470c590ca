"""Small site-data files for service tests (the benchmark has its own big-file generator)."""

from __future__ import annotations

import csv
import io

CONTACT = ["Jane Doe", "613-555-0100", "jane.doe@example.ca"]


def station_row(licence: str, location: str, *, lat: str = "45.4215", lon: str = "-75.6972",
                azimuth: str = "120.0", tx: str = "1935.5") -> list[str]:
    """One valid FX / LTE transmit-and-receive row (54 columns)."""
    row = [licence, "REF-1", *CONTACT, location,
           "FX", "LTE", "302-720-12345678", "101", "ON", lat, lon, "O", "30", "T",
           "2024-11-15", f"SITE-{location}", tx, "1855.5",
           "RRU-4478", "RRU-4478", "Ericsson", "Ericsson", "12345A-RRU4478", "12345A-RRU4478",
           "20", "W7D", "46", "100", "NAU", "NAU", "4", "4", "AIR-3246", "AIR-3246",
           "CommScope", "CommScope", "28.5", "28.5", "D", "D", "65.0", "65.0", "7.0", "7.0",
           azimuth, azimuth, "-2", "-2", "17.5", "17.5", "0.5", "0.5"]
    assert len(row) == 54, len(row)
    return row


def special_row(licence: str, keyword: str) -> list[str]:
    return [licence, "", *CONTACT, keyword] + [""] * 48


def to_csv(rows: list[list[str]], header: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow([f"Column {n}" for n in range(1, 55)])
    writer.writerows(rows)
    return buffer.getvalue().encode()


def valid_file(licence: str = "010898101", stations: int = 2) -> bytes:
    rows = []
    for n in range(stations):
        for azimuth in ("120.0", "240.0"):
            rows.append(station_row(licence, f"Site {n}", lat=f"45.{4215 + n}",
                                    azimuth=azimuth))
    return to_csv(rows)


def invalid_file(licence: str = "010898101") -> bytes:
    good = station_row(licence, "Tower A")
    bad = station_row(licence, "Tower B", azimuth="400")
    bad[6] = "fx"
    return to_csv([good, bad])
