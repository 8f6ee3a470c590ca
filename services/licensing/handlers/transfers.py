"""Transfers of commercial mobile spectrum (CPC-2-1-23 5.6.4): the officer's concentration
review of a transfer or subordinate application, and the published summary of its decision
(5.6.2 x: public, no sign-in; nothing else of the application is)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from services.licensing.adapters import repository as repo
from services.licensing.adapters import tables as t
from services.licensing.adapters.areas import area_tree
from services.licensing.adapters.transfer_tables import transfer_decisions
from services.licensing.domain import concentration as cc
from services.licensing.domain import conditions
from services.licensing.domain.applications import lifecycle as lc
from services.licensing.domain.applications.framework import Draft
from services.licensing.domain.families.transfer import affiliates_of
from services.licensing.handlers.plugin import DecidedRequest
from services.licensing.handlers.registry import legal_name
from services.licensing.handlers.review import require_staff
from shared.auth import Principal
from shared.db.upsert import upsert
from shared.errors import ConflictError
from shared.messaging.uow import UnitOfWork

FAMILIES = ("transfer", "subordinate")
IN_FORCE = ("Granted", "Suspended")


@dataclass
class ConcentrationReport:
    application_id: str
    number: str | None
    family: str
    kind: str
    commercial_mobile: bool
    licensee: list[tuple[str, str]]    # (account, legal name): the licensee and its affiliates
    transferee: list[tuple[str, str]]  # the transferee (or subordinate licensee) and its own
    rows: list[cc.Row]
    pending: list[tuple[str, str]] = field(default_factory=list)  # (number, family)


def lines_of(draft: Draft) -> list[dict[str, Any]]:
    rows = draft.get("part1", {}).get("licences")
    return [dict(r) for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def kind_of(family: str, draft: Draft) -> str:
    return "subordinate" if family == "subordinate" else str(
        draft.get("part1", {}).get("kind") or "transfer")


async def _holdings(uow: UnitOfWork) -> list[cc.Holding]:
    rows = await uow.session.execute(select(
        t.licences.c.licence_number, t.licences.c.account_number, t.licences.c.service_area,
        t.licences.c.frequency_blocks, t.licences.c.commercial_mobile, t.licences.c.details)
        .where(t.licences.c.kind == "spectrum", t.licences.c.status.in_(IN_FORCE)))
    return [cc.Holding(n, a, area, tuple(blocks or ()), bool(cm),
                       tuple(dict(details or {}).get("excluded_areas", [])))
            for n, a, area, blocks, cm, details in rows]


async def _named(uow: UnitOfWork, lines: list[dict[str, Any]]) -> dict[str, cc.Holding]:
    numbers = {str(x.get("licence_number") or x.get("primary_licence") or "") for x in lines}
    facts = await repo.licence_facts(uow.session, {n for n in numbers if n})
    return {n: cc.Holding(n, f.account_number, f.service_area, f.frequency_blocks,
                          f.commercial_mobile) for n, f in facts.items()}


async def _pending(uow: UnitOfWork, row: Any, accounts: set[str]) -> list[tuple[str, str]]:
    """Other transfers under consideration that involve the applicants' groups (5.6.4.2)."""
    found = await uow.session.execute(select(t.applications.c.number, t.applications.c.family)
                                      .where(t.applications.c.family.in_(FAMILIES),
                                             t.applications.c.status.in_(lc.OPEN),
                                             t.applications.c.id != row.id,
                                             or_(t.applications.c.account_number.in_(accounts),
                                                 t.applications.c.other_account_number.in_(
                                                     accounts))))
    return [(str(n), str(f)) for n, f in found]


async def _named_accounts(uow: UnitOfWork, accounts: list[str]) -> list[tuple[str, str]]:
    return [(a, await legal_name(uow.session, a)) for a in accounts]


async def concentration(uow: UnitOfWork, who: Principal, application_id: str,
                        templates: conditions.ConditionTemplates,
                        extra: tuple[list[str], list[str]] = ([], [])) -> ConcentrationReport:
    """The holdings of both groups in each band and area the application concerns, before and
    after, with everyone's for the shares; ``extra`` adds affiliates the officer found."""
    require_staff(who)
    row = await repo.application_row(uow.session, application_id)
    if row.family not in FAMILIES:
        raise ConflictError("APP-NOT-TRANSFER", "A concentration review is for transfers and "
                            "subordinate licences.", fix="Open a transfer or subordinate "
                            "application.")
    draft = await repo.draft(uow.session, row.id)
    mine = [row.account_number, *affiliates_of(draft.get("part1", {})), *extra[0]]
    theirs = [a for a in [row.other_account_number or "",
                          *affiliates_of(draft.get("part2", {})), *extra[1]] if a]
    groups = cc.Groups(frozenset(mine), frozenset(theirs))
    lines = lines_of(draft)
    named = await _named(uow, lines)
    tree = await area_tree(uow.session)
    rows = cc.review(cc.moves_of(lines, named), await _holdings(uow), groups, templates,
                     lambda held, excluded, area: tree.touches(held, excluded, area))
    return ConcentrationReport(
        row.id, row.number, row.family, kind_of(row.family, draft),
        any(h.commercial_mobile for h in named.values()),
        await _named_accounts(uow, list(dict.fromkeys(mine))),
        await _named_accounts(uow, list(dict.fromkeys(theirs))), rows,
        await _pending(uow, row, set(mine) | set(theirs)))


async def publish_decision(req: DecidedRequest) -> None:
    """A decided transfer or subordinate licence in commercial mobile spectrum gets its public
    summary (5.6.2 x): parties, licences, bands, areas and the decision; nothing else."""
    uow, app = req.uow, req.application
    lines = lines_of(req.draft)
    named = await _named(uow, lines)
    if not any(h.commercial_mobile for h in named.values()) or not app.number:
        return
    templates = conditions.load(req.settings.conditions_file)
    approved = set(req.approved_licences)
    licences = []
    for move in cc.moves_of(lines, named):
        band = templates.band_of_blocks(move.blocks)
        licences.append({"number": move.licence_number, "band": band.name if band else "",
                         "blocks": list(move.blocks), "area": move.area,
                         "approved": move.licence_number in approved})
    await upsert(uow.session, transfer_decisions, {
        "application_id": app.id, "number": app.number, "family": app.family,
        "kind": kind_of(app.family, req.draft), "decision": req.status,
        "decided_on": uow.clock.today(),
        "licensee": await legal_name(uow.session, app.account_number),
        "other_party": await legal_name(uow.session, app.other_account_number or ""),
        "licences": licences, "summary": req.decision.public_summary.strip()},
        ("application_id",))


async def published(session: Any, limit: int, offset: int) -> tuple[list[Any], int]:
    """The published summaries, newest first."""
    total = (await session.execute(select(func.count()).select_from(transfer_decisions))
             ).scalar()
    rows = await session.execute(select(transfer_decisions).order_by(
        transfer_decisions.c.decided_on.desc(), transfer_decisions.c.number.desc())
        .limit(limit).offset(offset))
    return list(rows), int(total or 0)
