"""Dry run: validate a file and say what applying it would change, without applying it."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from services.sitedata.adapters import repository as repo
from services.sitedata.adapters import views
from services.sitedata.adapters.rows import bridge_check
from services.sitedata.api import schemas as s
from services.sitedata.domain.upload import Mode, plan_apply
from services.sitedata.domain.validation import Finding, Outcome, ParsedRow, validate
from services.sitedata.handlers.checking import licence_checker
from services.sitedata.handlers.intake import NewUpload, StoredFile, choose_account
from shared.messaging.uow import UnitOfWorkFactory
from shared.storage.ports import ObjectStore

_L, _M, _F = 11, 12, 5


def _finding(f: Finding) -> s.FindingView:
    return s.FindingView(line=f.line, column=f.column, column_name=f.column_name, value=f.value,
                         code=f.code, message=f.message)


async def _run(uows: UnitOfWorkFactory, store: ObjectStore, new: NewUpload,
               file: StoredFile) -> tuple[Outcome, dict[str, set[str]]]:
    _, allowed = await choose_account(uows, new.principal, new.account)
    today = uows.clock.today()
    check = bridge_check(licence_checker(uows, allowed, today), asyncio.get_running_loop())
    keys: dict[str, set[str]] = defaultdict(set)

    def on_row(row: ParsedRow) -> None:
        if row.special is None:
            f = row.fields
            keys[row.licence].add(views.station_key(f[_F], _num(f[_L]), _num(f[_M])))

    outcome = await asyncio.to_thread(validate, store.iter_chunks(file.stored.key),
                                      filename=file.filename, today=today,
                                      licence_check=check, on_row=on_row)
    return outcome, keys


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


async def preview(uows: UnitOfWorkFactory, store: ObjectStore, new: NewUpload,
                  file: StoredFile) -> s.PreviewView:
    try:
        outcome, in_file = await _run(uows, store, new, file)
    finally:
        await store.delete(file.stored.key)
    specials = {lic: tally.special for lic, tally in outcome.licences.items()}
    async with uows() as uow:
        accounts = {r.account_number for lic in specials
                    if (r := await repo.licence_record(uow.session, lic)) is not None}
        plan = plan_apply(new.mode if isinstance(new.mode, Mode) else Mode(new.mode), specials,
                          await repo.licences_of_accounts(uow.session, sorted(accounts)))
        affected = sorted(set(specials) | plan.clear)
        on_file = await views.stations_on_file(uow.session, affected)
    licences = []
    for lic in affected:
        before = on_file.get(lic, set())
        after = before if lic in plan.keep else (set() if lic in plan.clear else set(before))
        after = after | in_file.get(lic, set())
        licences.append(s.PreviewLicence(
            licence_number=lic, special=specials.get(lic), stations_on_file=len(before),
            stations_in_file=len(in_file.get(lic, set())), added=len(after - before),
            removed=len(before - after), unchanged=len(before & after)))
    return s.PreviewView(valid=outcome.valid, records=outcome.records,
                         error_count=outcome.error_count,
                         errors=[_finding(f) for f in outcome.errors[:1000]],
                         warnings=[_finding(f) for f in outcome.warnings],
                         licences=licences)
