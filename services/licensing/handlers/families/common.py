"""Helpers the families' approvals share."""

from __future__ import annotations

from typing import Any

from services.licensing.handlers.registry import licence_row
from shared.errors import ConflictError
from shared.messaging.uow import UnitOfWork


def chosen(rows: list[dict[str, Any]], key: str,
           approved: tuple[str, ...] | None) -> tuple[list[dict[str, Any]], bool]:
    """The rows the officer approved (all when no subset is given), and whether it is partial."""
    if approved is None:
        return rows, False
    picked = [r for r in rows if str(r.get(key)) in approved]
    if not picked:
        raise ConflictError("APP-APPROVE-NONE", "None of the licences chosen is in the "
                            "application.", fix="Choose licences the application names, or deny.")
    return picked, len(picked) < len(rows)


async def held_licence(uow: UnitOfWork, number: str, account: str) -> Any:
    """The licence, still granted to ``account`` at the time of the decision."""
    row = await licence_row(uow.session, number)
    if row.account_number != account or row.status != "Granted":
        raise ConflictError("APP-LICENCE-CHANGED", f"Licence {number} is no longer granted to "
                            f"account {account}.", fix="Deny the application, or ask the "
                            "applicants to amend it.")
    return row
