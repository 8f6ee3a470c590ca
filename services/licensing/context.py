"""What the licensing API and pages may use: built by ``bootstrap.py``, which nothing in the
service imports (the routers never see the whole service). The expiry job and the consumers
stay with the service."""

from __future__ import annotations

from dataclasses import dataclass

from services.licensing.adapters.secrets import SecretBox
from services.licensing.handlers.invoices import Billing
from services.licensing.handlers.plugin import Families
from services.licensing.settings import LicensingSettings
from shared.clock import Clock
from shared.messaging.uow import UnitOfWorkFactory
from shared.storage.ports import ObjectStore
from shared.web.security import PrincipalDependency


@dataclass(frozen=True)
class LicensingContext:
    uows: UnitOfWorkFactory
    principal: PrincipalDependency
    settings: LicensingSettings  # service standards, renewals, conditions, document sizes
    clock: Clock
    store: ObjectStore  # application documents
    families: Families  # the application families (radio, spectrum, ..., broadcasting)
    billing: Billing  # fees and invoices of a decision
    box: SecretBox  # sealed shared secrets of accounts (a re-issued one)
