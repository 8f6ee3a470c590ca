"""The registration types of seed 000: what each asks for and how a decision moves it."""

from __future__ import annotations

import pytest

from services.identity.domain import registration as reg
from shared.errors import ConflictError

USER = {"username": "pat", "password": "Str0ng-Passw0rd!", "confirm_password": "Str0ng-Passw0rd!",
        "name": "Pat", "phone": "613-555-0100", "email": "pat@example.ca"}
HOLDER = {"legal_name": "Radio Inc.", "small_business": False, "status_email": "s@example.ca",
          "mailing_address": {"street": "1 Main", "city": "Ottawa", "province": "ON",
                              "postal_code": "K1A 0A1"},
          "contact": {"name": "Pat", "business_phone": "1", "business_email": "b@example.ca"},
          "delivery": "Mail", "invoices_elsewhere": False}


def fields(problems: reg.Problems) -> set[str]:
    return {name for name, _ in problems}


def test_ten_types_in_two_offices() -> None:
    assert len(reg.TYPES) == 10
    assert {t.office for t in reg.TYPES.values()} == {reg.DISTRICT, reg.CEB}
    immediate = {t.kind for t in reg.TYPES.values() if not t.needs_approval}
    assert immediate == {"existing_holder", "existing_applicant", "existing_agent",
                         "certification_body"}


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(ConflictError) as refused:
        reg.registration_type("astronaut")
    assert refused.value.code == "ID-REG-KIND-UNKNOWN"


def test_existing_agents_need_no_contact_details_not_even_an_email() -> None:
    kind = reg.TYPES["existing_agent"]  # seed 000 asks only for these and the account pair
    bare = {k: USER[k] for k in ("username", "password", "confirm_password")}
    assert reg.user_problems(kind, bare) == []
    assert fields(reg.user_problems(kind, {**bare, "email": "not-an-address"})) == {"email"}
    assert fields(reg.user_problems(reg.TYPES["existing_holder"], bare)) == {
        "email", "name", "phone"}


def test_account_number_and_secret_are_required_for_the_existing_types() -> None:
    kind = reg.TYPES["certification_body"]
    assert fields(reg.account_problems(kind, {})) == {"account_number", "shared_secret"}
    assert fields(reg.account_problems(kind, {"account_number": "12ab",
                                              "shared_secret": "x"})) == {"account_number"}
    assert reg.account_problems(reg.TYPES["agent_existing_holder"],
                                {"account_number": "100000002"}) == []


def test_payment_contact_only_when_invoices_go_elsewhere() -> None:
    kind = reg.TYPES["new_holder"]
    assert reg.holder_problems(kind, HOLDER) == []
    elsewhere = {**HOLDER, "invoices_elsewhere": True}
    assert "holder.payment_contact.email" in fields(reg.holder_problems(kind, elsewhere))
    unasked = {k: v for k, v in HOLDER.items() if k != "invoices_elsewhere"}
    assert fields(reg.holder_problems(kind, unasked)) == {"holder.invoices_elsewhere"}
    # the agent of a new holder is not asked about a payment contact
    assert reg.holder_problems(reg.TYPES["agent_new_holder"], unasked) == []


def test_small_business_is_asked_of_licence_holders_only() -> None:
    no_answer = {**HOLDER, "small_business": None}
    assert fields(reg.holder_problems(reg.TYPES["new_holder"], no_answer)) == {
        "holder.small_business"}
    assert reg.holder_problems(reg.TYPES["new_agent_new_applicant"], no_answer) == []


def test_attachments_required_optional_or_refused() -> None:
    assert fields(reg.attachment_problems(reg.TYPES["agent_existing_holder"], 0)) == {
        "attachments"}
    assert reg.attachment_problems(reg.TYPES["new_holder"], 0) == []
    assert reg.attachment_problems(reg.TYPES["existing_holder"], 1) != []


def test_decisions_move_only_open_registrations() -> None:
    assert reg.decide(reg.PENDING, "approve") == reg.APPROVED
    assert reg.decide(reg.PENDING, "request_info") == reg.INFO_REQUESTED
    assert reg.decide(reg.INFO_REQUESTED, "reject") == reg.REJECTED
    with pytest.raises(ConflictError):
        reg.decide(reg.INFO_REQUESTED, "request_info")
    for final in (reg.APPROVED, reg.REJECTED, reg.AWAITING_ACCOUNT):
        with pytest.raises(ConflictError):
            reg.decide(final, "approve")
    with pytest.raises(ConflictError):
        reg.can_resubmit(reg.PENDING)


def test_each_role_sees_its_queue() -> None:
    assert reg.offices_for(frozenset({"officer-equipment"})) == [reg.CEB]
    assert reg.offices_for(frozenset({"officer-radio"})) == [reg.DISTRICT]
    assert reg.offices_for(frozenset({"admin"})) == [reg.CEB, reg.DISTRICT]
    assert reg.offices_for(frozenset({"officer"})) == []
