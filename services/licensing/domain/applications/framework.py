"""The application framework's plug-in interface, free of any framework.

A *family* (radio, spectrum, transfer, subordinate, broadcasting) is a ``FamilySpec``: its
sections, each with a check that lists the section's errors, an optional cross-section check,
which office's queue it lands in and whether it is joint (a second party fills the sections
marked ``party="other"`` from its own web profile). What approval does to the registry is
supplied beside the spec, in ``handlers/`` (see ``handlers/applications_plugin.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.licensing.domain.geography import AreaTree
from services.licensing.domain.reference import sample_area_tree

Data = Mapping[str, Any]                 # the saved fields of one section
Draft = Mapping[str, Mapping[str, Any]]  # section key -> its saved fields

APPLICANT = "applicant"
OTHER = "other"


@dataclass(frozen=True)
class Issue:
    """One error of a draft, shown under its section by the Validate step."""

    section: str
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class LicenceFact:
    """What a check may know of a licence on file (looked up by the handler)."""

    licence_number: str
    account_number: str
    kind: str
    status: str
    issued_on: date
    expires_on: date
    service: str = ""
    service_area: str = ""
    frequency_blocks: tuple[str, ...] = ()
    commercial_mobile: bool = False
    primary_licence: str | None = None
    excluded_areas: tuple[str, ...] = ()  # divided off the service area (geographic division)


@dataclass(frozen=True)
class AccountFact:
    """The client account an application is made for, to pre-fill the wizard with."""

    account_number: str
    legal_name: str
    email: str = ""
    language: str = "en"
    city: str = ""
    province: str = ""
    contacts: tuple[Mapping[str, str], ...] = ()  # each with a role: administrative, ...

    def contact(self, role: str) -> str:
        """``Name, e-mail`` of the account's contact of that role ('' when none)."""
        found = next((c for c in self.contacts if c.get("role") == role), None)
        if found is None:
            return ""
        email = found.get("business_email") or found.get("email") or ""
        return ", ".join(p for p in (found.get("name", ""), email) if p)


@dataclass(frozen=True)
class DocumentFact:
    """A document uploaded to the application (its file is in the object store)."""

    id: str
    kind: str  # see domain/applications/documents.KINDS
    filename: str
    size: int = 0


@dataclass(frozen=True)
class Context:
    """What checks may consult besides the draft: today, the parties and the licences named."""

    today: date
    account_number: str
    other_account_number: str | None = None
    licences: Mapping[str, LicenceFact] = field(default_factory=dict)
    draft: Draft = field(default_factory=dict)  # the whole draft, for cross-section reads
    documents: tuple[DocumentFact, ...] = ()  # the files uploaded to the application
    areas: AreaTree = field(default_factory=sample_area_tree)  # the service-area hierarchy
    extra: Mapping[str, Any] = field(default_factory=dict)  # a family's own facts (Family.facts)


@dataclass(frozen=True)
class ApplicationRecord:
    """An application as handlers and families see it (without its sections)."""

    id: str
    number: str | None
    family: str
    status: str
    account_number: str
    profile_id: str
    other_account_number: str | None
    other_profile_id: str | None
    office: str
    channel: str


SectionCheck = Callable[["Checks", Context], None]
CrossCheck = Callable[[Draft, Context], list[Issue]]


FIELD_KINDS = ("text", "textarea", "date", "number", "choice", "check", "list", "rows")


@dataclass(frozen=True)
class Field:
    """How the portal's wizard shows one field (optional: a section without fields is edited
    as JSON). ``options`` are a choice's values, a list's values or a table's columns."""

    name: str
    kind: str = "text"
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    check: SectionCheck
    party: str = APPLICANT  # APPLICANT, or OTHER for Part 2 of a joint application
    fields: tuple[Field, ...] = ()


def _no_cross_check(_: Draft, __: Context) -> list[Issue]:
    return []


def _no_licences(_: Draft) -> set[str]:
    return set()


@dataclass(frozen=True)
class FamilySpec:
    """A family of applications: what the framework needs to know of it."""

    name: str                      # radio | spectrum | transfer | subordinate | broadcasting
    title: str
    sections: tuple[Section, ...]
    office: str = "spectrum"       # the officer queue it lands in by default
    joint: bool = False            # a second party completes the OTHER sections
    cross_check: CrossCheck = _no_cross_check
    licences_named: Callable[[Draft], set[str]] = _no_licences  # loaded into Context.licences
    other_account: Callable[[Draft], str | None] = lambda _: None  # joint: the other party
    review_items: Callable[[Draft], tuple[str, ...]] = lambda _: ()  # checklist before approval
    prefill: Callable[[AccountFact], Draft] = lambda _: {}  # sections filled from the account

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def keys(self, party: str | None = None) -> list[str]:
        return [s.key for s in self.sections if party is None or s.party == party]


def validate(spec: FamilySpec, draft: Draft, ctx: Context,
             party: str | None = None) -> list[Issue]:
    """Every error of the draft, section by section (only ``party``'s sections when given)."""
    issues: list[Issue] = []
    for section in spec.sections:
        if party is not None and section.party != party:
            continue
        checks = Checks(section.key, draft.get(section.key) or {})
        try:
            section.check(checks, ctx)
        except (TypeError, ValueError, AttributeError, KeyError):
            checks.error("", "APP-SECTION-MALFORMED", "This section could not be read.")
        issues.extend(checks.issues)
    if party is None and not issues:
        issues.extend(spec.cross_check(draft, ctx))
    return issues


class Checks:
    """Reads one section's fields and records its errors (a helper for section checks)."""

    def __init__(self, section: str, data: Data):
        self.section = section
        self.data = data
        self.issues: list[Issue] = []

    def error(self, field_name: str, code: str, message: str) -> None:
        self.issues.append(Issue(self.section, field_name, code, message))

    def text(self, name: str, *, required: bool = True, max_len: int = 500) -> str:
        value = self.data.get(name)
        text = str(value).strip() if value is not None else ""
        if required and not text:
            self.error(name, "APP-REQUIRED", "This field is required.")
        elif len(text) > max_len:
            self.error(name, "APP-TOO-LONG", f"At most {max_len} characters.")
        return text

    def choice(self, name: str, options: tuple[str, ...], *, required: bool = True) -> str:
        value = self.text(name, required=required)
        if value and value not in options:
            self.error(name, "APP-CHOICE", "Choose one of: " + ", ".join(options) + ".")
            return ""
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.text(name, required=required)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(name, "APP-DATE", "Enter a date as YYYY-MM-DD.")
            return None

    def number(self, name: str, *, required: bool = True, low: float | None = None,
               high: float | None = None) -> float | None:
        value = self.text(name, required=required)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.error(name, "APP-NUMBER", "Enter a number.")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(name, "APP-RANGE", f"Enter a number from {low} to {high}.")
            return None
        return number

    def certified(self, name: str) -> bool:
        if self.data.get(name) is not True:
            self.error(name, "APP-CERTIFY", "This certification must be given.")
            return False
        return True

    def rows(self, name: str, *, required: bool = True) -> list[Mapping[str, Any]]:
        value = self.data.get(name)
        if not isinstance(value, list) or not value:
            if required:
                self.error(name, "APP-REQUIRED", "Add at least one row.")
            return []
        if not all(isinstance(row, Mapping) for row in value):
            self.error(name, "APP-ROWS", "Each row must be a set of fields.")
            return []
        return value

    def sub(self, name: str, index: int, row: Data) -> Checks:
        """Checks over one row of a table field; its errors name ``name[index].field``."""
        return _RowChecks(self, f"{name}[{index}].", row)


class _RowChecks(Checks):
    def __init__(self, parent: Checks, prefix: str, row: Data):
        super().__init__(parent.section, row)
        self.issues = parent.issues
        self.prefix = prefix

    def error(self, field_name: str, code: str, message: str) -> None:
        self.issues.append(Issue(self.section, self.prefix + field_name, code, message))
