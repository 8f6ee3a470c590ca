"""Which message an event becomes, for whom, in which language.

Status updates (registration, password, invitations, applications, upload results) always go by
e-mail, whatever the account's preferred delivery method (seed 000: that preference applies to
licences and invoices only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.notifications.domain import links

BILINGUAL = "en-fr"


@dataclass(frozen=True)
class Message:
    template: str
    recipient: str
    language: str  # en | fr | en-fr (bilingual when the preference is unknown)
    context: dict[str, Any] = field(default_factory=dict)


def language_for(preference: str | None) -> str:
    return preference if preference in ("en", "fr") else BILINGUAL


def when(moment: datetime) -> str:
    """A moment as people read it in a mail (UTC, to the minute)."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def upload_result(status: str, upload_id: str, filename: str, records: int, error_count: int,
                  recipient: str, preference: str | None, base_url: str) -> Message:
    """Seed 001: the result goes to the e-mail of the account that submitted the upload, with a
    link to the Summary report (Processed) or the Error report (Errors Found)."""
    processed = status == "Processed"
    link = (links.upload_summary(base_url, upload_id) if processed
            else links.error_report(base_url, upload_id))
    return Message(
        template="upload_processed" if processed else "upload_errors",
        recipient=recipient, language=language_for(preference),
        context={"upload_id": upload_id, "filename": filename, "records": records,
                 "error_count": error_count, "status": status, "link": link})


# --- registration and web profile -------------------------------------------------------------
def registration_received(*, username: str, email: str, language: str,
                          needs_approval: bool, base_url: str) -> Message:
    return Message("registration_received", email, language_for(language),
                   {"username": username, "needs_approval": needs_approval,
                    "link": links.signin(base_url)})


def registration_approved(*, email: str, language: str, account_number: str | None,
                          base_url: str) -> Message:
    return Message("registration_approved", email, language_for(language),
                   {"account_number": account_number or "",
                    "link": links.signin(base_url)})


def registration_rejected(*, email: str, language: str, reason: str) -> Message:
    return Message("registration_rejected", email, language_for(language), {"reason": reason})


def registration_info_requested(*, registration_id: str, email: str, language: str,
                                question: str, base_url: str) -> Message:
    return Message("registration_info_requested", email, language_for(language),
                   {"question": question,
                    "link": links.registration(base_url, registration_id)})


def password_reset(*, email: str, language: str, reset_url: str,
                   expires_at: datetime) -> Message:
    return Message("password_reset", email, language_for(language),
                   {"link": reset_url, "expires_at": when(expires_at)})


def subuser_invited(*, email: str, language: str, account_number: str, rights: list[str],
                    invite_url: str, expires_at: datetime) -> Message:
    return Message("subuser_invited", email, language_for(language),
                   {"account_number": account_number, "rights": ", ".join(rights),
                    "link": invite_url, "expires_at": when(expires_at)})


# --- applications -----------------------------------------------------------------------------
def application_submitted(*, application_id: str, number: str, family: str, email: str,
                          language: str, submitted_at: datetime, service_standard_days: int,
                          base_url: str) -> Message:
    return Message("application_submitted", email, language_for(language),
                   {"number": number, "family": family, "submitted_at": when(submitted_at),
                    "service_standard_days": service_standard_days,
                    "link": links.application(base_url, application_id)})


def application_info_requested(*, application_id: str, number: str, email: str, language: str,
                               question: str, base_url: str) -> Message:
    return Message("application_info_requested", email, language_for(language),
                   {"number": number, "question": question,
                    "link": links.application(base_url, application_id)})


def application_decided(*, application_id: str, number: str, email: str, language: str,
                        decision: str, reasons: str, licence_numbers: list[str],
                        base_url: str) -> Message:
    """``approved`` and ``partially_approved`` use the approval mail (saying which); ``denied``
    the denial mail with the reasons."""
    template = "application_denied" if decision == "denied" else "application_approved"
    return Message(template, email, language_for(language),
                   {"number": number, "partial": decision == "partially_approved",
                    "reasons": reasons, "licence_numbers": ", ".join(licence_numbers),
                    "link": links.application(base_url, application_id)})
