"""What approving a spectrum licence application (FCFS) does: one licence per spectrum row."""

from __future__ import annotations

from sqlalchemy import select

from services.licensing.adapters import tables as t
from services.licensing.domain import conditions
from services.licensing.domain.blocks import overlaps, parse_block, show
from services.licensing.domain.dates import term_end
from services.licensing.domain.families import spectrum
from services.licensing.handlers.invoices import issue_issuance
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Family
from services.licensing.handlers.registry import NewLicence, grant_licence, new_licence_number
from shared.errors import ConflictError
from shared.messaging.uow import UnitOfWork


async def _first_come(uow: UnitOfWork, block: tuple[float, float], area: str) -> None:
    """First come, first served: refuse spectrum already granted in the same area."""
    rows = await uow.session.execute(select(t.licences.c.licence_number,
                                            t.licences.c.frequency_blocks).where(
        t.licences.c.kind == "spectrum", t.licences.c.status.in_(("Granted", "Suspended")),
        t.licences.c.service_area == area))
    for number, blocks in rows:
        if any(b is not None and overlaps(block, b) for b in map(parse_block, blocks or [])):
            raise ConflictError("SPC-FCFS-TAKEN", f"{show(block)} in {area} is already "
                                f"licensed (licence {number}).", fix="Deny the application "
                                "or ask the applicant for other spectrum.")


async def approve(req: ApprovalRequest) -> Approval:
    app, today = req.application, req.today
    service = req.draft["service"]
    commercial = service.get("commercial") is True
    templates = conditions.load(req.settings.conditions_file)
    language = str(req.draft.get("applicant", {}).get("language") or "en")
    numbers: list[str] = []
    for row in req.draft["spectrum"]["spectra"]:
        block = parse_block(str(row["block"]))
        assert block is not None  # validated at submission
        area = str(row.get("area_code") or row.get("custom_area"))
        await _first_come(req.uow, block, area)
        template = templates.template(block, language)  # 5.13, worded in the licence language
        number = await new_licence_number(req.uow.session)
        await grant_licence(req.uow, NewLicence(
            number, app.account_number, "spectrum", "Granted", today,
            term_end(today, req.settings.spectrum_term_years),
            service=str(service.get("nature_of_service", ""))[:120], site_data_required=True,
            site_data_from=today, service_area=area, frequency_blocks=[show(block)],
            commercial_mobile=commercial,
            conditions=[*template.texts, *req.decision.conditions],
            details={"fee_key": "spectrum:fcfs", "band": template.band,
                     "standard_conditions": list(template.codes)}))
        numbers.append(number)
    invoice = await issue_issuance(req.uow, req.billing, app.account_number,
                                   [(n, "spectrum:fcfs") for n in numbers], today)
    return Approval(numbers, outcome={"invoice": invoice})


FAMILY = Family(spectrum.SPEC, approve)
