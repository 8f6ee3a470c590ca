"""Documents of an application (engineering brief, antenna pattern, attestation, letter of
intent, power of attorney, maps...): which kinds there are, which file formats each takes, how
a format is recognised from the file's first bytes, and the checks a section uses to require
one. Pure: the files themselves live in the object store (handlers/documents.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.licensing.domain.applications.framework import Checks, Context, DocumentFact
from shared.errors import DomainError

ENGINEERING_BRIEF = "engineering_brief"
ANTENNA_PATTERN = "antenna_pattern"
ATTESTATION = "attestation"
LETTER_OF_INTENT = "letter_of_intent"
POWER_OF_ATTORNEY = "power_of_attorney"
MAP = "map"
ANTENNA_DIAGRAM = "antenna_diagram"
OTHER = "other"
MISSING = "APP-DOCUMENT-MISSING"  # the code of every "upload this document" error
HEAD_BYTES = 4096  # enough of the start of a file to recognise its format


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    content_type: str
    signatures: tuple[bytes, ...] = ()  # the file starts with one of these; () = text

    def matches(self, head: bytes) -> bool:
        if self.signatures:
            return any(head.startswith(s) for s in self.signatures)
        if self.name == "kml":
            return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower() in (b"<?xml", b"<kml ",
                                                                        b"<kml>")
        return _is_text(head)


def _is_text(head: bytes) -> bool:
    """Plain text (an antenna pattern file, a CSV): no NUL byte, few control characters."""
    if b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


PDF = Format("pdf", (".pdf",), "application/pdf", (b"%PDF-",))
PNG = Format("png", (".png",), "image/png", (b"\x89PNG\r\n\x1a\n",))
JPEG = Format("jpeg", (".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",))
TIFF = Format("tiff", (".tif", ".tiff"), "image/tiff", (b"II*\x00", b"MM\x00*"))
KML = Format("kml", (".kml",), "application/vnd.google-earth.kml+xml")
KMZ = Format("kmz", (".kmz",), "application/vnd.google-earth.kmz", (b"PK\x03\x04",))
TEXT = Format("text", (".pat", ".txt", ".csv", ".ant"), "text/plain")
FORMATS = (PDF, PNG, JPEG, TIFF, KML, KMZ, TEXT)
IMAGES = (PDF, PNG, JPEG, TIFF)

# what each kind of document may be (RSP-101 3.3, seed 002, CPC-2-1-23 Annexes A, C, D)
KINDS: dict[str, tuple[Format, ...]] = {
    ENGINEERING_BRIEF: (PDF,),
    ANTENNA_PATTERN: (TEXT, PDF),
    ATTESTATION: IMAGES,
    LETTER_OF_INTENT: (PDF,),
    POWER_OF_ATTORNEY: IMAGES,
    MAP: (*IMAGES, KML, KMZ),
    ANTENNA_DIAGRAM: IMAGES,
    OTHER: FORMATS,
}


def format_of(filename: str) -> Format | None:
    """The format a file name says (by its extension), or None for one we do not take."""
    name = filename.strip().lower()
    return next((f for f in FORMATS if name.endswith(f.extensions)), None)


def check_name(filename: str) -> Format:
    """Refuse, before any byte is stored, a file whose extension no document kind takes."""
    found = format_of(filename)
    if found is None:
        raise DomainError("APP-DOCUMENT-TYPE", "This type of file is not accepted.",
                          field="file", status=415, fix="Send a PDF, an image (PNG, JPEG, "
                          "TIFF), a map (KML, KMZ) or an antenna pattern (PAT, TXT, CSV).")
    return found


def check_head(found: Format, head: bytes) -> None:
    """The file's first bytes must be what its extension says (a renamed file is refused)."""
    if not found.matches(head):
        raise DomainError("APP-DOCUMENT-CONTENT", f"The file is not a valid "
                          f"{found.name.upper()} file.", field="file", status=415,
                          fix="Send the document itself, saved in the format its name says.")


def check_kind(kind: str, found: Format | None = None) -> None:
    """A known kind, and (once the format is known) a format that kind takes."""
    formats = KINDS.get(kind)
    if formats is None:
        raise DomainError("APP-DOCUMENT-KIND", "Choose what the document is.", field="kind",
                          status=422, fix="One of: " + ", ".join(KINDS) + ".")
    if found is not None and found not in formats:
        raise DomainError("APP-DOCUMENT-TYPE", f"A {kind.replace('_', ' ')} is not accepted "
                          f"as {found.name.upper()}.", field="file", status=415,
                          fix="Send it as " + " or ".join(f.name.upper() for f in formats) + ".")


def kinds_of(documents: Iterable[DocumentFact]) -> set[str]:
    return {d.kind for d in documents}


def has(ctx: Context, kind: str) -> bool:
    return kind in kinds_of(ctx.documents)


def require(c: Checks, ctx: Context, kind: str, field: str, code: str, message: str) -> bool:
    """An error under ``field`` when no document of ``kind`` is uploaded to the application."""
    if has(ctx, kind):
        return True
    c.error(field, code, message)
    return False


def map_enclosed(c: Checks, ctx: Context, field: str = "map_enclosed") -> None:
    """Annexes A, C and D ask "Map enclosed: Yes/No": a Yes needs the map uploaded."""
    if c.data.get(field) is True:
        require(c, ctx, MAP, field, MISSING, "Upload the map (Documents of the application).")
