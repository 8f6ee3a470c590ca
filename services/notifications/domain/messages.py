"""Which message an event becomes, for whom, in which language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BILINGUAL = "en-fr"


@dataclass(frozen=True)
class Message:
    template: str
    recipient: str
    language: str  # en | fr | en-fr (bilingual when the preference is unknown)
    context: dict[str, Any]


def language_for(preference: str | None) -> str:
    return preference if preference in ("en", "fr") else BILINGUAL


def upload_result(status: str, upload_id: str, filename: str, records: int, error_count: int,
                  recipient: str, preference: str | None, base_url: str) -> Message:
    """Seed 001: the result goes to the e-mail of the account that submitted the upload, with a
    link to the Summary report (Processed) or the Error report (Errors Found)."""
    processed = status == "Processed"
    path = "summary" if processed else "errors"
    return Message(
        template="upload_processed" if processed else "upload_errors",
        recipient=recipient, language=language_for(preference),
        context={"upload_id": upload_id, "filename": filename, "records": records,
                 "error_count": error_count, "status": status,
                 "link": f"{base_url}/sitedata/uploads/{upload_id}/{path}"})
