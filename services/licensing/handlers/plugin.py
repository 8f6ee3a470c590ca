"""What a family plugs into the application framework (see docs/licensing.md).

A family module under ``handlers/`` exposes ``FAMILY = Family(spec, approve)``:

- ``spec`` (``domain/applications/framework.FamilySpec``): the sections and their checks,
  the cross-section check, the office, whether it is joint;
- ``approve``: ``async def approve(request: ApprovalRequest) -> Approval`` — what approval
  does to the registry, in the decision's transaction (use ``request.uow`` and the helpers of
  ``handlers/registry.py`` and ``handlers/invoices.py``; every registry change emits its event).
  Raise a ``DomainError`` to refuse the approval (nothing is written).

The framework does everything else: drafts, Validate, Submit, numbers, status, the clock,
confidentiality, queues, assignment, information requests, decisions and their events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.licensing.domain.applications.framework import ApplicationRecord, Draft, FamilySpec
from services.licensing.handlers.invoices import Billing
from shared.messaging.uow import UnitOfWork


@dataclass(frozen=True)
class Decision:
    """An officer's decision. ``licence_numbers`` limits an approval to some of the licences
    the application names (partial approval); ``conditions`` are added to what is issued."""

    approve: bool
    reasons: str = ""
    licence_numbers: tuple[str, ...] | None = None
    conditions: tuple[str, ...] = ()
    public_summary: str = ""  # published with a commercial mobile transfer's decision (5.6.2 x)


@dataclass
class ApprovalRequest:
    uow: UnitOfWork
    application: ApplicationRecord
    draft: Draft
    decision: Decision
    billing: Billing
    settings: Any  # LicensingSettings (term lengths and the like)

    @property
    def today(self) -> date:
        return self.uow.clock.today()


@dataclass(frozen=True)
class Approval:
    """What approval did: the licences issued or changed, whether only part was approved,
    and facts to show on the application (e.g. a prospective transfer's verdict)."""

    licence_numbers: list[str]
    partial: bool = False
    outcome: dict[str, Any] = field(default_factory=dict)


Approver = Callable[[ApprovalRequest], Awaitable[Approval]]
FactLoader = Callable[[UnitOfWork, Draft], Awaitable[Mapping[str, Any]]]


@dataclass
class DecidedRequest:
    """A decision just recorded (in its transaction), for a family's ``on_decided``."""

    uow: UnitOfWork
    application: ApplicationRecord
    draft: Draft
    decision: Decision
    status: str  # Approved | Partially approved | Denied
    approved_licences: list[str]  # the licences an approval named (none on a denial)
    settings: Any


def _nothing_on_denial(_: Draft, __: date) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Family:
    """A family plugged into the framework: its spec, what approval does, and (optionally)
    facts to record on a denial (e.g. the breach date after a "does not meet" verdict), and
    facts its checks need from the database (``Context.extra``, e.g. the call signs in use)."""

    spec: FamilySpec
    approve: Approver
    on_denial: Callable[[Draft, date], dict[str, Any]] = _nothing_on_denial
    on_decided: Callable[[DecidedRequest], Awaitable[None]] | None = None  # e.g. publish it
    facts: FactLoader | None = None


class Families:
    """The families the service knows, by name."""

    def __init__(self, families: list[Family]):
        self._by_name = {f.spec.name: f for f in families}

    def get(self, name: str) -> Family | None:
        return self._by_name.get(name)

    def names(self) -> list[str]:
        return sorted(self._by_name)
