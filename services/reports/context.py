"""What the reports API and pages may use: built by ``bootstrap.py``, which nothing in the
service imports. The consumers and the dashboard's stream worker stay with the service."""

from __future__ import annotations

from dataclasses import dataclass

from services.reports.settings import ReportsSettings
from shared.clock import Clock
from shared.messaging.uow import UnitOfWorkFactory
from shared.web.security import PrincipalDependency


@dataclass(frozen=True)
class ReportsContext:
    uows: UnitOfWorkFactory
    principal: PrincipalDependency
    clock: Clock
    settings: ReportsSettings  # windows, standards and export limits
