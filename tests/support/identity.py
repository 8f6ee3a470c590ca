"""Registration bodies and steps for the identity tests (every type of seed 000)."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

PASSWORD = "Str0ng-Passw0rd!"
_numbers = itertools.count(1)


def user(name: str | None = None, email: str | None = None) -> dict[str, Any]:
    username = name or f"user{next(_numbers)}"
    return {"username": username, "password": PASSWORD, "confirm_password": PASSWORD,
            "name": "Pat Applicant", "phone": "613-555-0100",
            "email": email or f"{username}@example.ca", "language": "en"}


def holder(legal_name: str = "Nouvelle Radio Inc.", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "legal_name": legal_name, "small_business": True,
        "mailing_address": {"street": "1 Main St", "city": "Gatineau", "province": "QC",
                            "postal_code": "J8X 1A1"},
        "contact": {"name": "Pat Applicant", "business_phone": "819-555-0101",
                    "business_email": "office@nouvelle.example.ca"},
        "delivery": "E-mail", "status_email": "status@nouvelle.example.ca",
        "invoices_elsewhere": False}
    body.update(extra)
    return body


LETTER = {"name": "Lee Letters", "email": "letters@example.ca", "phone": "613-555-0199"}


async def attachment(http: httpx.AsyncClient, description: str = "Signed ISED-ISDE3052",
                     name: str = "isde3052.pdf", content: bytes = b"%PDF-1.4 signed form"
                     ) -> str:
    response = await http.post("/api/identity/registrations/attachments",
                               files={"file": (name, content, "application/pdf")},
                               data={"description": description})
    assert response.status_code == 201, response.text
    return str(response.json()["attachment"])


async def register(http: httpx.AsyncClient, body: dict[str, Any],
                   expect: int = 201) -> dict[str, Any]:
    response = await http.post("/api/identity/registrations", json=body)
    assert response.status_code == expect, response.text
    return dict(response.json())


async def bearer(http: httpx.AsyncClient, username: str,
                 password: str = PASSWORD) -> dict[str, str]:
    response = await http.post("/api/identity/token",
                               data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def accounts_of(http: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await http.get("/api/identity/me", headers=headers)
    assert response.status_code == 200, response.text
    return {a["account_number"]: a for a in response.json()["accounts"]}
