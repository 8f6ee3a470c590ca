"""Documents: which file types each kind takes, recognising a format from its first bytes,
and streaming into the object store (nothing kept when refused)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from services.licensing.domain.applications import documents as d
from services.licensing.handlers import documents as h
from shared.errors import DomainError
from shared.ids import Uuid7Source
from shared.storage.local import LocalObjectStore

PDF = b"%PDF-1.7\n" + b"x" * 10_000
UPLOADER = h.Uploader("app-1", "applicant", "profile-1")


@pytest.mark.parametrize(("name", "head", "format_name"), [
    ("brief.PDF", b"%PDF-1.4", "pdf"),
    ("site.png", b"\x89PNG\r\n\x1a\n....", "png"),
    ("site.jpeg", b"\xff\xd8\xff\xe0", "jpeg"),
    ("scan.tif", b"II*\x00rest", "tiff"),
    ("area.kml", b"\xef\xbb\xbf  <?xml version='1.0'?><kml>", "kml"),
    ("area.kmz", b"PK\x03\x04", "kmz"),
    ("pattern.pat", b"JMPC-4 pattern\r\n0\t1.000\n", "text"),
])
def test_a_format_is_its_extension_and_its_first_bytes(name: str, head: bytes,
                                                       format_name: str) -> None:
    found = d.check_name(name)
    assert found.name == format_name
    d.check_head(found, head)


@pytest.mark.parametrize(("name", "head"), [
    ("brief.pdf", b"\x89PNG\r\n\x1a\n"),      # a PNG renamed .pdf
    ("pattern.pat", b"MZ\x90\x00\x03\x00"),    # a program renamed .pat
    ("area.kml", b"PK\x03\x04"),               # a KMZ renamed .kml
])
def test_a_renamed_file_is_refused(name: str, head: bytes) -> None:
    with pytest.raises(DomainError) as refused:
        d.check_head(d.check_name(name), head)
    assert refused.value.code == "APP-DOCUMENT-CONTENT" and refused.value.status == 415


def test_kinds_take_their_own_formats() -> None:
    with pytest.raises(DomainError) as unknown:
        d.check_name("letter.docx")
    assert unknown.value.code == "APP-DOCUMENT-TYPE"
    d.check_kind("map", d.KMZ)
    d.check_kind("antenna_pattern", d.TEXT)
    for kind, fmt in (("engineering_brief", d.PNG), ("power_of_attorney", d.TEXT),
                      ("letter_of_intent", d.KML)):
        with pytest.raises(DomainError) as refused:
            d.check_kind(kind, fmt)
        assert refused.value.code == "APP-DOCUMENT-TYPE"
    with pytest.raises(DomainError) as kind:
        d.check_kind("selfie")
    assert kind.value.code == "APP-DOCUMENT-KIND"


async def chunks_of(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def store_in(tmp_path: Path) -> tuple[LocalObjectStore, SimpleNamespace]:
    return LocalObjectStore(tmp_path / "objects"), SimpleNamespace(ids=Uuid7Source())


def kept(tmp_path: Path) -> list[Path]:
    root = tmp_path / "objects" / "licensing"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("chunk", [1, 100, 4096, 65536])
async def test_a_file_streams_in_whatever_the_chunks(tmp_path: Path, chunk: int) -> None:
    objects, uows = store_in(tmp_path)
    stored = await h.store(uows, objects, UPLOADER, "brief.pdf",  # type: ignore[arg-type]
                           chunks_of(PDF, chunk), max_bytes=1_000_000)
    assert stored.stored.size == len(PDF) and stored.format == d.PDF
    assert await objects.get_bytes(stored.key) == PDF
    assert stored.key.startswith("licensing/applications/app-1/")


@pytest.mark.parametrize(("name", "data", "code"), [
    ("brief.pdf", b"\x89PNG\r\n\x1a\n" + b"x" * 9000, "APP-DOCUMENT-CONTENT"),
    ("brief.pdf", b"", "APP-DOCUMENT-EMPTY"),
    ("brief.pdf", PDF * 20, "APP-DOCUMENT-TOO-LARGE"),
    ("../../etc/setup.exe", b"MZ", "APP-DOCUMENT-TYPE"),
])
async def test_nothing_refused_is_kept(tmp_path: Path, name: str, data: bytes,
                                       code: str) -> None:
    objects, uows = store_in(tmp_path)
    with pytest.raises(DomainError) as refused:
        await h.store(uows, objects, UPLOADER, name, chunks_of(data, 1000),  # type: ignore[arg-type]
                      max_bytes=100_000)
    assert refused.value.code == code
    assert kept(tmp_path) == []


def test_a_download_name_is_safe() -> None:
    assert h.safe_name("..\\..\\Signed POA (final).pdf") == "Signed_POA_final_.pdf"
    assert h.safe_name("") == "document"
