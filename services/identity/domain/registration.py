"""The registration types of seed 000, the fields each one asks for, and the decisions.

Two families: radio licence / spectrum licence / broadcasting certificate holders (reviewed by
a Spectrum Management district office) and equipment certification / terminal registration
(reviewed by the Certification and Engineering Bureau).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import ConflictError

DISTRICT = "district"  # Spectrum Management district offices
CEB = "ceb"  # Certification and Engineering Bureau

PENDING = "pending"
INFO_REQUESTED = "info_requested"
AWAITING_ACCOUNT = "awaiting_account"  # approved; licensing is creating the client account
APPROVED = "approved"
REJECTED = "rejected"
OPEN = (PENDING, INFO_REQUESTED)


@dataclass(frozen=True)
class RegistrationType:
    """What one registration type asks for and what approval gives."""

    kind: str
    title: str
    office: str
    by_secret: bool = False  # account number + shared secret: access at once
    picks_licensee: bool = False  # an agent picks an existing client from a search
    new_account: bool = False  # approval makes licensing create a client account
    relation: str = "owner"  # owner | agent
    small_business: bool = False  # asks the small-business question
    payment_contact: bool = False  # asks whether invoices go to a different contact
    letter_contact: bool = False  # the certification letter contact (equipment)
    attachments: str = "none"  # none | optional | required
    client_kind: str = "licensee"  # what licensing creates: licensee | equipment_applicant
    contact_required: bool = True  # name, phone and e-mail of the user (else optional)

    @property
    def needs_approval(self) -> bool:
        return not self.by_secret

    def steps(self) -> list[str]:
        """The pages of the flow, in order (Back/Next walk them; Review then Submit)."""
        steps = ["type", "user"]
        if self.by_secret or self.picks_licensee:
            steps.append("account")
        if self.new_account:
            steps.append("holder")
        if self.letter_contact:
            steps.append("letter_contact")
        if self.attachments != "none":
            steps.append("attachments")
        return [*steps, "review"]


_L, _E = "licensee", "equipment_applicant"
TYPES: dict[str, RegistrationType] = {t.kind: t for t in (
    RegistrationType("existing_holder", "Existing licence or certificate holder", DISTRICT,
                     by_secret=True),
    RegistrationType("new_holder", "New licence or certificate holder", DISTRICT,
                     new_account=True, small_business=True, payment_contact=True,
                     attachments="optional"),
    RegistrationType("agent_existing_holder",
                     "Agent/Consultant for an existing licence or certificate holder", DISTRICT,
                     picks_licensee=True, relation="agent", attachments="required"),
    RegistrationType("agent_new_holder",
                     "Agent/Consultant for a new licence or certificate holder", DISTRICT,
                     new_account=True, relation="agent", small_business=True,
                     attachments="required"),
    RegistrationType("existing_applicant", "Existing equipment applicant", CEB, by_secret=True,
                     client_kind=_E),
    RegistrationType("new_applicant", "New equipment applicant", CEB, new_account=True,
                     letter_contact=True, attachments="optional", client_kind=_E),
    RegistrationType("new_agent_existing_applicant", "New agent for an existing applicant", CEB,
                     picks_licensee=True, relation="agent", client_kind=_E),
    RegistrationType("new_agent_new_applicant", "New agent for a new applicant", CEB,
                     new_account=True, relation="agent", client_kind=_E),
    RegistrationType("existing_agent", "Existing agent for an applicant", CEB, by_secret=True,
                     relation="agent", client_kind=_E, contact_required=False),
    RegistrationType("certification_body", "Certification body", CEB, by_secret=True,
                     client_kind=_E),
)}

# which staff role works which queue
OFFICE_ROLES: dict[str, frozenset[str]] = {
    DISTRICT: frozenset({"officer-radio", "officer-spectrum", "officer-broadcasting"}),
    CEB: frozenset({"officer-equipment"}),
}
ADMIN = "admin"
DELIVERY = ("Mail", "E-mail")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ACCOUNT = re.compile(r"^\d{6,12}$")


def registration_type(kind: str) -> RegistrationType:
    try:
        return TYPES[kind]
    except KeyError:
        raise ConflictError("ID-REG-KIND-UNKNOWN", f"'{kind}' is not a registration type.",
                            status=422, field="kind",
                            fix="Choose one of: " + ", ".join(TYPES) + ".") from None


def offices_for(roles: frozenset[str]) -> list[str]:
    """The queues a staff member sees: administrators see every queue."""
    if ADMIN in roles:
        return sorted(OFFICE_ROLES)
    return sorted(office for office, wanted in OFFICE_ROLES.items() if roles & wanted)


def is_email(value: object) -> bool:
    return isinstance(value, str) and bool(_EMAIL.match(value))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


Problems = list[tuple[str, str]]


def _need(data: Mapping[str, Any], prefix: str, names: tuple[str, ...],
          problems: Problems) -> None:
    for name in names:
        if _blank(data.get(name)):
            problems.append((f"{prefix}{name}", f"Enter {name.replace('_', ' ')}."))


def _email(data: Mapping[str, Any], path: str, name: str, problems: Problems) -> None:
    if not _blank(data.get(name)) and not is_email(data.get(name)):
        problems.append((f"{path}{name}", "Enter an e-mail address like name@example.ca."))


def user_problems(kind: RegistrationType, user: Mapping[str, Any]) -> Problems:
    """The Web User Information page: user name, password twice, name, phone and e-mail (the
    existing agent's page of the seed asks for none of the last three: optional there)."""
    problems: Problems = []
    _need(user, "", ("username", "password", "confirm_password"), problems)
    if user.get("password") != user.get("confirm_password"):
        problems.append(("confirm_password", "The two passwords are not the same."))
    if kind.contact_required:
        _need(user, "", ("email", "name", "phone"), problems)
    _email(user, "", "email", problems)
    if user.get("language", "en") not in ("en", "fr"):
        problems.append(("language", "Choose English (en) or French (fr)."))
    return problems


def account_problems(kind: RegistrationType, data: Mapping[str, Any]) -> Problems:
    problems: Problems = []
    number = data.get("account_number")
    if kind.by_secret or kind.picks_licensee:
        if _blank(number):
            problems.append(("account_number", "Enter the account number." if kind.by_secret
                             else "Search for the licensee and pick its account number."))
        elif not _ACCOUNT.match(str(number)):
            problems.append(("account_number", "An account number is 6 to 12 digits."))
    if kind.by_secret and _blank(data.get("shared_secret")):
        problems.append(("shared_secret", "Enter the shared secret printed on your invoice."))
    return problems


def holder_problems(kind: RegistrationType, holder: Mapping[str, Any] | None) -> Problems:
    """Licensee / applicant information of the types that make a new client account."""
    if not kind.new_account:
        return []
    if not holder:
        return [("holder", "Fill in the licensee or applicant information.")]
    problems: Problems = []
    _need(holder, "holder.", ("legal_name", "status_email"), problems)
    address = holder.get("mailing_address") or {}
    _need(address, "holder.mailing_address.", ("street", "city", "province", "postal_code"),
          problems)
    contact = holder.get("contact") or {}
    _need(contact, "holder.contact.", ("name", "business_phone", "business_email"), problems)
    _email(contact, "holder.contact.", "business_email", problems)
    _email(holder, "holder.", "status_email", problems)
    if holder.get("delivery") not in DELIVERY:
        problems.append(("holder.delivery", "Choose Mail or E-mail."))
    if kind.small_business and holder.get("small_business") is None:
        problems.append(("holder.small_business", "Say whether it is a small business."))
    if kind.payment_contact:
        problems += _payment_problems(holder)
    return problems


def _payment_problems(holder: Mapping[str, Any]) -> Problems:
    separate = holder.get("invoices_elsewhere")
    if separate is None:
        return [("holder.invoices_elsewhere",
                 "Say whether invoices go to a different address than licences.")]
    if not separate:
        return []
    payment = holder.get("payment_contact") or {}
    problems: Problems = []
    _need(payment, "holder.payment_contact.", ("name", "email", "street", "city"), problems)
    _email(payment, "holder.payment_contact.", "email", problems)
    return problems


def letter_problems(kind: RegistrationType, letter: Mapping[str, Any] | None) -> Problems:
    if not kind.letter_contact:
        return []
    problems: Problems = []
    _need(letter or {}, "letter_contact.", ("name", "email", "phone"), problems)
    _email(letter or {}, "letter_contact.", "email", problems)
    return problems


def attachment_problems(kind: RegistrationType, count: int) -> Problems:
    if kind.attachments == "required" and count == 0:
        return [("attachments", "Add the signed form ISED-ISDE3052 (Retention of an Agent), "
                 "a power of attorney or an authorisation.")]
    if kind.attachments == "none" and count:
        return [("attachments", "This registration type takes no attachments.")]
    return []


def decide(status: str, decision: str) -> str:
    """The status after an officer's decision; only an open registration can be decided."""
    if status not in OPEN:
        raise ConflictError("ID-REG-DECIDED", "This registration was already decided.",
                            fix="Refresh the queue.")
    if decision == "request_info" and status == INFO_REQUESTED:
        raise ConflictError("ID-REG-AWAITING-ANSWER", "The applicant has not answered yet.",
                            fix="Wait for the applicant to resubmit.")
    return {"reject": REJECTED, "request_info": INFO_REQUESTED}.get(decision, APPROVED)


def can_resubmit(status: str) -> None:
    if status != INFO_REQUESTED:
        raise ConflictError("ID-REG-NOT-AWAITING", "This registration is not waiting for more "
                            "information.", fix="Wait for the officer's decision.")
