"""Every link a mail carries: the portal page it opens (through the gateway, ``base`` is the
public base URL). A page that needs a session sends a signed-out reader to sign in and then
back to the same page, so each link works from a mail client.

One function per page, so the pages and the mails cannot drift apart unnoticed: the e-mail
link test (tests/e2e/test_notifications_links.py) follows each one against the running app.
"""

from __future__ import annotations

from urllib.parse import quote


def signin(base: str) -> str:
    return f"{base}/identity/signin"


def register(base: str) -> str:
    """Where a holder registers a Web Profile with its account number and shared secret."""
    return f"{base}/identity/register"


def registration(base: str, registration_id: str) -> str:
    return f"{base}/identity/registrations/{quote(registration_id)}"


def application(base: str, application_id: str) -> str:
    return f"{base}/licensing/applications/{quote(application_id)}"


def account(base: str, account_number: str) -> str:
    """The account's page: its licences (licence documents, expiry reminders)."""
    return f"{base}/licensing/accounts/{quote(account_number)}"


def upload_summary(base: str, upload_id: str) -> str:
    """The Summary report, the official receipt of a processed upload (seed 001)."""
    return f"{base}/sitedata/uploads/{quote(upload_id)}"


def error_report(base: str, upload_id: str) -> str:
    return f"{base}/sitedata/uploads/{quote(upload_id)}/errors"


def upload_form(base: str, account_number: str) -> str:
    """The upload form, for the account the reminder is about."""
    return f"{base}/sitedata/upload?account={quote(account_number)}"
