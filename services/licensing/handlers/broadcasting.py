"""The broadcasting-certificate family plugged into the application framework: what approval
does (issue or change a certificate in the registry, keep its record and call signs), plus the
wizard's helpers (pre-filled modification, auxiliary station loaded from the main one)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import delete, select

from services.licensing.adapters import repository as repo
from services.licensing.adapters.broadcasting_tables import (
    broadcasting_call_signs,
    broadcasting_certificates,
)
from services.licensing.domain.applications.framework import Context, DocumentFact
from services.licensing.domain.broadcasting import callsigns as cs
from services.licensing.domain.broadcasting import records
from services.licensing.domain.broadcasting import sections as s
from services.licensing.domain.broadcasting.callsigns import Catalogue
from services.licensing.domain.broadcasting.spec import (
    NAME,
    SIGNS_IN_USE,
    certificate_named,
    facts_of,
    family_spec,
    validate_draft,
)
from services.licensing.domain.dates import fiscal_year_end
from services.licensing.handlers import applications as apps
from services.licensing.handlers.families.common import held_licence
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Families, Family
from services.licensing.handlers.registry import (
    NewLicence,
    change_licence,
    grant_licence,
    new_licence_number,
)
from shared.auth import Principal
from shared.db.upsert import upsert
from shared.errors import ConflictError, DomainError, NotFoundError
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()

DATA = Path(__file__).resolve().parents[1] / "data" / "broadcasting"


def load_catalogue(data_dir: Path = DATA) -> Catalogue:
    lines = (data_dir / "available_call_signs.txt").read_text(encoding="utf-8").splitlines()
    return cs.catalogue_from(
        [line for line in lines if line.strip() and not line.startswith("#")],
        json.loads((data_dir / "stations.json").read_text(encoding="utf-8")),
        json.loads((data_dir / "transmitters.json").read_text(encoding="utf-8")))


def example_draft(data_dir: Path = DATA) -> dict[str, dict[str, Any]]:
    """A complete, valid new FM application (used by the demo, the docs and the tests)."""
    data: dict[str, dict[str, Any]] = json.loads(
        (data_dir / "example_fm.json").read_text(encoding="utf-8"))
    return data


# the files the example application comes with (uploaded beside its sections)
EXAMPLE_DOCUMENTS = (DocumentFact("example-brief", "engineering_brief", "ckqz-brief.pdf"),
                     DocumentFact("example-pat", "antenna_pattern", "ckqz-antenna.pat"))


async def issued_signs(uow: UnitOfWork, except_licence: str | None = None) -> set[str]:
    rows = await uow.session.execute(select(broadcasting_call_signs))
    return {r.call_sign for r in rows if r.licence_number != except_licence}


async def catalogue_now(uow: UnitOfWork, catalogue: Catalogue) -> Catalogue:
    """The shipped catalogue with the signs of the certificates issued since."""
    return catalogue.with_issued(await issued_signs(uow))


def _term(general: dict[str, Any], today: date) -> tuple[date, date]:
    if general.get("duration") in (s.SHORT_TERM, s.TEMPORARY):
        start = max(date.fromisoformat(str(general["start_date"])), today)
        return start, date.fromisoformat(str(general["end_date"]))
    return today, fiscal_year_end(today)


def _details(draft: Any) -> dict[str, Any]:
    facts = facts_of(draft)
    general, params = dict(draft.get("main_general", {})), dict(draft.get("main_parameters", {}))
    return {"call_sign": facts.main_call_sign, "service": facts.service,
            "frequency": float(general["frequency"]), "channel": float(general["channel"]),
            "station_class": params.get("station_class", ""),
            "province": params.get("province", ""),
            "experimental": draft.get("general", {}).get("experimental") == "Yes",
            "duration": draft.get("general", {}).get("duration", ""),
            "auxiliary_call_signs": [sign for sign, role in records.signs_of(draft)
                                     if role != "main"]}


async def _claim_signs(uow: UnitOfWork, draft: Any, licence_number: str,
                       catalogue: Catalogue) -> None:
    """Put the application's call signs in use; refuse one used by another station."""
    taken = await issued_signs(uow, except_licence=licence_number)
    own = {r.call_sign for r in await uow.session.execute(select(broadcasting_call_signs).where(
        broadcasting_call_signs.c.licence_number == licence_number))}
    for sign, _ in records.signs_of(draft):
        if sign in taken or (sign not in own and catalogue.in_use(sign)):
            raise ConflictError("BC-CALL-SIGN-IN-USE", f"Call sign {sign} is already in use.",
                                fix="Deny the application, or ask the applicant for another "
                                "call sign from the list of available ones.")
    await uow.session.execute(delete(broadcasting_call_signs).where(
        broadcasting_call_signs.c.licence_number == licence_number))
    for sign, role in records.signs_of(draft):
        await uow.session.execute(broadcasting_call_signs.insert().values(
            call_sign=sign, licence_number=licence_number, role=role))


def approver(catalogue: Catalogue) -> Any:
    async def approve(req: ApprovalRequest) -> Approval:
        app, draft = req.application, req.draft
        await _still_valid(req, catalogue)
        details = _details(draft)
        service = f"{details['service']} {details['call_sign']}"
        number = str(draft.get("usage", {}).get("certificate_number") or "")
        if facts_of(draft).modification:
            row = await held_licence(req.uow, number, app.account_number)
            await _claim_signs(req.uow, draft, number, catalogue)
            await _keep_record(req, number, details)
            await change_licence(req.uow, number, "modified", service=service,
                                 details={**dict(row.details), **details},
                                 conditions=list(row.conditions) + list(req.decision.conditions))
        else:
            number = await new_licence_number(req.uow.session)
            issued_on, expires_on = _term(dict(draft.get("general", {})), req.today)
            await grant_licence(req.uow, NewLicence(
                number, app.account_number, "broadcasting", "Granted", issued_on, expires_on,
                service=service, service_area=str(
                    draft.get("main_parameters", {}).get("principal_service_area", "")),
                conditions=list(req.decision.conditions), details=details))
            await _claim_signs(req.uow, draft, number, catalogue)
            await _keep_record(req, number, details)
        log.info("broadcasting.certificate.approved", licence=number, application=app.id)
        return Approval([number], outcome={"certificate": number,
                                           "call_sign": details["call_sign"]})
    return approve


async def _still_valid(req: ApprovalRequest, catalogue: Catalogue) -> None:
    """Sections saved while information was requested are checked again before approval."""
    ctx = Context(today=req.today, account_number=req.application.account_number,
                  licences=await repo.licence_facts(req.uow.session,
                                                    certificate_named(req.draft)),
                  documents=await repo.document_facts(req.uow.session, req.application.id))
    issues = validate_draft(req.draft, ctx, await catalogue_now(req.uow, catalogue))
    if issues:
        raise ConflictError("BC-APPLICATION-INVALID", f"The application has {len(issues)} "
                            "error(s) since it was last changed.",
                            fix="Request information from the applicant to correct them.")


async def _keep_record(req: ApprovalRequest, number: str, details: dict[str, Any]) -> None:
    await upsert(req.uow.session, broadcasting_certificates, {
        "licence_number": number, "account_number": req.application.account_number,
        "call_sign": details["call_sign"], "service": details["service"],
        "frequency": details["frequency"], "channel": details["channel"],
        "record": records.record_of(req.draft), "application_id": req.application.id,
        "updated_at": req.uow.clock.now()}, ("licence_number",))


async def certificate(uow: UnitOfWork, who: Principal, number: str) -> Any:
    """A certificate on file, for its holder's profiles and staff."""
    row = (await uow.session.execute(select(broadcasting_certificates).where(
        broadcasting_certificates.c.licence_number == number))).first()
    if row is None or not (who.is_staff or await repo.rights(
            uow.session, who.profile_id, row.account_number)):
        raise NotFoundError("BC-CERTIFICATE-NOT-FOUND",
                            f"There is no broadcasting certificate {number} for this profile.",
                            fix="Check the certificate number (nine digits).")
    return row


async def prefill(uow: UnitOfWork, families: Families, who: Principal, application_id: str,
                  number: str, purpose: str) -> list[str]:
    """Fill a modification's sections from the certificate on file; returns the sections."""
    row = await apps.visible(uow, who, application_id)
    if row.family != NAME:
        raise DomainError("BC-NOT-BROADCASTING", "This is not a broadcasting application.")
    if purpose not in s.PURPOSES or purpose == s.NEW:
        raise DomainError("BC-PURPOSE", "Choose the purpose of the modification.",
                          field="purpose", fix="Use one of: " + ", ".join(
                              p for p in s.PURPOSES if p != s.NEW) + ".")
    held = await certificate(uow, who, number)
    if held.account_number != row.account_number:
        raise DomainError("BC-CERTIFICATE-NOT-YOURS", "This certificate is held by another "
                          "account than the application's.", field="certificate_number")
    sections = records.prefilled(dict(held.record), number, purpose)
    for key, data in sections.items():
        await apps.save_section(uow, families, who, application_id, key, data)
    return sorted(sections)


async def load_from_main(uow: UnitOfWork, families: Families, who: Principal,
                         application_id: str, station_type: str) -> dict[str, Any]:
    """Add an auxiliary station copying the main station ('Load data from Main Station')."""
    row = await apps.visible(uow, who, application_id)
    if row.family != NAME:
        raise DomainError("BC-NOT-BROADCASTING", "This is not a broadcasting application.")
    if station_type not in s.STATION_TYPES:
        raise DomainError("BC-STATION-TYPE", "Choose Alternate, Standby or IBOC.",
                          field="station_type")
    draft = await repo.draft(uow.session, application_id)
    station = records.auxiliary_from_main(draft, station_type)
    existing = draft.get("auxiliary", {}).get("stations")
    rows = [*existing, station] if isinstance(existing, list) else [station]
    await apps.save_section(uow, families, who, application_id, "auxiliary",
                            {**draft.get("auxiliary", {}), "stations": rows})
    return station


async def signs_in_use(uow: UnitOfWork, draft: Any) -> dict[str, Any]:
    """What Validate needs beyond the draft: the call signs issued since the catalogue was
    shipped (a modification's own certificate excepted), so a sign in use is refused at once."""
    own = next(iter(certificate_named(draft)), None)
    return {SIGNS_IN_USE: frozenset(await issued_signs(uow, except_licence=own))}


CATALOGUE = load_catalogue()
FAMILY = Family(family_spec(CATALOGUE), approver(CATALOGUE), facts=signs_in_use)
