"""What the licensing API takes and returns (what the pages show too is in ``queries.py``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class NewApplicationIn(BaseModel):
    family: str = Field(max_length=20)
    # not given: the account the web profile acts for (its active account, or its only one)
    account_number: str | None = Field(default=None, max_length=20)
    channel: str = Field(default="online", max_length=10)


class Created(BaseModel):
    id: str
    status: str


class Submitted(BaseModel):
    id: str
    number: str
    status: str


class TextIn(BaseModel):
    text: str = Field(max_length=10000)


class QuestionIn(BaseModel):
    question: str = Field(max_length=10000)


class AssignIn(BaseModel):
    officer: str = Field(default="", max_length=64)


class ChecklistIn(BaseModel):
    items: dict[str, str]


class DecisionIn(BaseModel):
    approve: bool
    reasons: str = Field(default="", max_length=10000)
    licence_numbers: list[str] | None = None
    conditions: list[str] = []
    public_summary: str = Field(default="", max_length=5000)  # commercial mobile transfers


class FamilyView(BaseModel):
    name: str
    title: str
    joint: bool
    office: str
    service_standard_days: int
    sections: list[dict[str, str]]


class LicenceView(BaseModel):
    licence_number: str
    account_number: str
    kind: str
    status: str
    service: str
    issued_on: date
    expires_on: date
    site_data_required: bool
    site_data_from: date | None
    service_area: str
    frequency_blocks: list[str]
    commercial_mobile: bool
    primary_licence: str | None
    conditions: list[str]
    published_for_eoi: bool
    status_reason: str
    excluded_areas: list[str] = []  # divided off service_area: the licence holds the rest


class AccountView(BaseModel):
    account_number: str
    legal_name: str
    email: str
    language: str
    city: str
    province: str
    office: str
    licence_delivery: str
    invoice_delivery: str
    payment_email: str | None
    small_business: bool
    # when the shared secret in force was issued, and (staff only) who re-issued it
    secret_issued_at: datetime | None = None
    secret_issued_by: str | None = None


class StatusIn(BaseModel):
    status: str = Field(max_length=20)
    reason: str = Field(max_length=5000)


class ReturnIn(BaseModel):
    reason: str = Field(default="", max_length=5000)


class ConditionsIn(BaseModel):
    conditions: list[str]
    reason: str = Field(max_length=5000)


class RenewIn(BaseModel):
    years: int = Field(default=10, ge=1, le=20)
    conditions: list[str] | None = None
    refuse_reason: str = Field(default="", max_length=5000)


class RenewalsIn(BaseModel):
    fiscal_year: int = Field(ge=2000, le=2100)


class ContactsIn(BaseModel):
    email: str | None = Field(default=None, max_length=254)
    contacts: list[dict[str, str]] | None = None
    payment_email: str | None = Field(default=None, max_length=254)
    licence_delivery: str | None = Field(default=None, max_length=10)
    invoice_delivery: str | None = Field(default=None, max_length=10)


class ProspectiveView(BaseModel):
    id: str
    number: str | None
    account_number: str
    other_account_number: str | None
    breach_after: str
    in_breach_if_still_party: bool


class ServiceAreaView(BaseModel):
    code: str
    name: str
    tier: int
    parent: str | None


class ServiceAreaDetail(ServiceAreaView):
    lineage: list[str]  # the areas containing it, nearest first, up to Canada
    children: list[str]
    geometry: dict[str, Any] | None  # GeoJSON polygon when the loaded file gave one
