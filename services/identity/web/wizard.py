"""The registration wizard's draft: the values of every page, kept between Back and Next in an
encrypted, HttpOnly cookie (the password never sits in a hidden field), and how the flat form
fields map onto the registration the API takes."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken
from starlette.requests import Request
from starlette.responses import Response

from services.identity.domain import registration as reg
from services.identity.handlers.crypto import SecretSealer
from services.identity.handlers.registration import Submission

DRAFT_COOKIE = "sms_registration"
DRAFT_PATH = "/identity"
USER_FIELDS = ("username", "password", "confirm_password", "name", "phone", "other_phone",
               "email", "language")
ACCOUNT_FIELDS = ("account_number", "shared_secret")
HOLDER_FIELDS: dict[str, tuple[str, ...]] = {
    "legal_name": ("legal_name",), "small_business": ("small_business",),
    "street": ("mailing_address", "street"), "city": ("mailing_address", "city"),
    "province": ("mailing_address", "province"),
    "postal_code": ("mailing_address", "postal_code"),
    "contact_name": ("contact", "name"), "business_phone": ("contact", "business_phone"),
    "business_email": ("contact", "business_email"), "delivery": ("delivery",),
    "status_email": ("status_email",), "invoices_elsewhere": ("invoices_elsewhere",),
    "payment_name": ("payment_contact", "name"), "payment_email": ("payment_contact", "email"),
    "payment_phone": ("payment_contact", "phone"),
    "payment_street": ("payment_contact", "street"),
    "payment_city": ("payment_contact", "city"),
    "payment_province": ("payment_contact", "province"),
    "payment_postal_code": ("payment_contact", "postal_code"),
}
LETTER_FIELDS = {"letter_name": "name", "letter_title": "title", "letter_email": "email",
                 "letter_phone": "phone"}
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "user": USER_FIELDS, "account": ACCOUNT_FIELDS, "holder": tuple(HOLDER_FIELDS),
    "letter_contact": tuple(LETTER_FIELDS)}
# the domain's field names (holder.mailing_address.city) back to the form's (city)
FORM_NAME = {"holder." + ".".join(path): name for name, path in HOLDER_FIELDS.items()}
FORM_NAME.update({f"letter_contact.{v}": k for k, v in LETTER_FIELDS.items()})
FORM_NAME["holder"] = "legal_name"


def load(request: Request, sealer: SecretSealer) -> dict[str, Any]:
    sealed = request.cookies.get(DRAFT_COOKIE)
    if not sealed:
        return {}
    try:
        value = json.loads(sealer.open(sealed))
    except (InvalidToken, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def save(response: Response, sealer: SecretSealer, draft: dict[str, Any], secure: bool) -> None:
    response.set_cookie(DRAFT_COOKIE, sealer.seal(json.dumps(draft)), max_age=3600,
                        httponly=True, samesite="lax", secure=secure, path=DRAFT_PATH)


def clear(response: Response) -> None:
    response.delete_cookie(DRAFT_COOKIE, path=DRAFT_PATH)


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def holder_of(values: dict[str, Any]) -> dict[str, Any]:
    holder: dict[str, Any] = {}
    for name, path in HOLDER_FIELDS.items():
        value: Any = values.get(name, "")
        if name in ("small_business", "invoices_elsewhere"):
            value = _flag(value)
        target = holder
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    return holder


def submission(draft: dict[str, Any]) -> Submission:
    kind = reg.registration_type(str(draft.get("kind", "")))
    user = {k: str(draft.get(k, "")) for k in USER_FIELDS}
    user["language"] = user["language"] or "en"
    return Submission(
        kind=kind.kind, user=user, account_number=draft.get("account_number") or None,
        shared_secret=draft.get("shared_secret") or None,
        holder=holder_of(draft) if kind.new_account else None,
        letter_contact={v: str(draft.get(k, "")) for k, v in LETTER_FIELDS.items()}
        if kind.letter_contact else None,
        attachments=[a["claim"] for a in draft.get("attachments", [])])


def step_problems(kind: reg.RegistrationType, step: str,
                  draft: dict[str, Any]) -> reg.Problems:
    """The rules of one page (Next checks only the page being left)."""
    sub = submission(draft)
    if step == "user":
        return reg.user_problems(kind, sub.user)
    if step == "account":
        return reg.account_problems(kind, draft)
    if step == "holder":
        return reg.holder_problems(kind, sub.holder)
    if step == "letter_contact":
        return reg.letter_problems(kind, sub.letter_contact)
    if step == "attachments":
        return reg.attachment_problems(kind, len(sub.attachments))
    return []


def form_field(domain_field: str | None) -> str | None:
    if domain_field is None:
        return None
    return FORM_NAME.get(domain_field, domain_field)
