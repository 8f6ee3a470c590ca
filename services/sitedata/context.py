"""What the sitedata API and pages may use: built by ``bootstrap.py``, which nothing in the
service imports. The checker and the applier stay with the service (its background jobs): a
page records an upload and the database wakes them."""

from __future__ import annotations

from dataclasses import dataclass

from services.sitedata.handlers.ends import UploadEnds
from shared.clock import Clock
from shared.messaging.uow import UnitOfWorkFactory
from shared.storage.ports import ObjectStore
from shared.web.security import PrincipalDependency


@dataclass(frozen=True)
class SitedataContext:
    uows: UnitOfWorkFactory
    principal: PrincipalDependency
    store: ObjectStore  # the uploaded files
    clock: Clock
    ends: UploadEnds  # an API client waiting for its upload to end
