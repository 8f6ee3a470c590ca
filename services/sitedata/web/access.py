"""Which uploads a web profile may see in the pages (the same rule as the API)."""

from __future__ import annotations

from typing import Any

from services.sitedata.adapters import repository as repo
from services.sitedata.context import SitedataContext
from shared.auth import Principal
from shared.errors import NotFoundError


async def own_upload(ctx: SitedataContext, upload_id: str, principal: Principal) -> Any:
    """The upload, when this profile made it (staff see every upload)."""
    async with ctx.uows.reading() as db:
        row = await repo.get_upload(db, upload_id)
    if row is None or (row.profile_id != principal.profile_id and not principal.is_staff):
        raise NotFoundError("SD-UPLOAD-NOT-FOUND", "No such upload for this web profile.")
    return row
