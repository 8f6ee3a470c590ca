"""What the home page shows a signed-in licensee: what is due, recent uploads, applications."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from services.gateway.web.apis import ServiceApis

RECENT = 5


@dataclass
class Dashboard:
    accounts: list[dict[str, Any]] = field(default_factory=list)
    active_account: str | None = None
    due: list[dict[str, Any]] | None = None
    as_of: str | None = None
    uploads: list[dict[str, Any]] | None = None
    applications: list[dict[str, Any]] | None = None


def _items(body: Any) -> list[dict[str, Any]] | None:
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        return None
    return list(body["items"])


async def _due(apis: ServiceApis, token: str, accounts: list[str]) -> tuple[list[Any] | None,
                                                                            str | None]:
    """Every licence that must take site data, soonest due first, over the given accounts."""
    reports = await asyncio.gather(*[
        apis.get(f"/api/reports/accounts/{number}/status-report", token, {"limit": 100})
        for number in accounts])
    lines: list[dict[str, Any]] = []
    as_of = None
    answered = False
    for number, report in zip(accounts, reports, strict=True):
        if not isinstance(report, dict):
            continue
        answered = True
        as_of = report.get("as_of")
        for line in _items(report.get("licences")) or []:
            if line.get("must_upload"):
                lines.append({**line, "account_number": number})
    lines.sort(key=lambda line: (not line.get("overdue"), line.get("next_due") or "9999"))
    return (lines if answered or not accounts else None), as_of


async def gather(apis: ServiceApis, token: str) -> Dashboard:
    me, uploads, applications = await asyncio.gather(
        apis.get("/api/identity/me", token),
        apis.get("/api/sitedata/uploads", token, {"limit": RECENT}),
        apis.get("/api/licensing/applications", token, {"limit": RECENT}))
    board = Dashboard(uploads=_items(uploads), applications=_items(applications))
    if isinstance(me, dict):
        board.accounts = list(me.get("accounts") or [])
        board.active_account = me.get("active_account")
    numbers = [a["account_number"] for a in board.accounts
               if not board.active_account or a["account_number"] == board.active_account]
    board.due, board.as_of = await _due(apis, token, numbers[:10])
    return board


async def officer_figures(apis: ServiceApis, token: str) -> dict[str, Any] | None:
    body = await apis.get("/api/reports/operations/dashboard", token)
    return body if isinstance(body, dict) else None
