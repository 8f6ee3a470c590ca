"""What the identity API and pages may use: built by ``bootstrap.py``, which nothing in the
service imports (the routers never see the whole service)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request

from services.identity.handlers.crypto import SecretSealer
from services.identity.limits import IdentityLimits
from services.identity.settings import IdentitySettings
from shared.auth import Principal
from shared.clock import Clock
from shared.messaging.uow import UnitOfWorkFactory
from shared.sessions import SessionRevocations
from shared.storage.ports import ObjectStore
from shared.web.security import PrincipalDependency


@dataclass(frozen=True)
class IdentityContext:
    uows: UnitOfWorkFactory
    principal: PrincipalDependency
    maybe_principal: Callable[[Request], Awaitable[Principal | None]]  # None when none is sent
    settings: IdentitySettings  # tokens, links, lock-outs
    clock: Clock
    store: ObjectStore  # registration attachments
    sealer: SecretSealer  # the registration wizard's draft cookie
    limits: IdentityLimits  # sign-in, reset, registration, wrong shared secrets
    revocations: SessionRevocations | None  # ended sessions, checked by every service
