"""What the notifications API and pages may use: built by ``bootstrap.py``, which nothing in
the service imports (the routers never see the whole service)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.messaging.uow import UnitOfWorkFactory
from shared.web.security import PrincipalDependency


@dataclass(frozen=True)
class NotificationsContext:
    uows: UnitOfWorkFactory
    principal: PrincipalDependency
