"""What approving a spectrum licence application (FCFS) does: one licence per spectrum row."""

from __future__ import annotations

from sqlalchemy import select

from services.licensing.adapters import tables as t
from services.licensing.adapters.areas import area_tree
from services.licensing.domain import conditions
from services.licensing.domain.blocks import overlaps, parse_block, show
from services.licensing.domain.dates import term_end
from services.licensing.domain.families import spectrum
from services.licensing.domain.geography import AreaTree
from services.licensing.handlers.invoices import issue_issuance
from services.licensing.handlers.plugin import Approval, ApprovalRequest, Family
from services.licensing.handlers.registry import NewLicence, grant_licence, new_licence_number
from shared.errors import ConflictError
from shared.messaging.uow import UnitOfWork


async def _first_come(uow: UnitOfWork, areas: AreaTree, block: tuple[float, float],
                      area: str) -> None:
    """First come, first served: refuse spectrum already granted in any part of the area
    (a licence for an area containing it, or for an area inside it, not divided off)."""
    nearby = {*areas.lineage(area), *areas.descendants(area)}
    rows = await uow.session.execute(select(
        t.licences.c.licence_number, t.licences.c.frequency_blocks, t.licences.c.service_area,
        t.licences.c.details).where(
        t.licences.c.kind == "spectrum", t.licences.c.status.in_(("Granted", "Suspended")),
        t.licences.c.service_area.in_(sorted(nearby))))
    for number, blocks, held, details in rows:
        excluded = dict(details or {}).get("excluded_areas", [])
        if any(b is not None and overlaps(block, b) for b in map(parse_block, blocks or [])) \
                and areas.touches(held, excluded, area):
            raise ConflictError("SPC-FCFS-TAKEN", f"{show(block)} in {areas.label(area)} is "
                                f"already licensed (licence {number}, "
                                f"{areas.describe(held, excluded)}).", fix="Deny the "
                                "application or ask the applicant for other spectrum.")


async def approve(req: ApprovalRequest) -> Approval:
    app, today = req.application, req.today
    service = req.draft["service"]
    templates = conditions.load(req.settings.conditions_file)
    language = str(req.draft.get("applicant", {}).get("language") or "en")
    numbers: list[str] = []
    areas = await area_tree(req.uow.session)
    for row in req.draft["spectrum"]["spectra"]:
        block = parse_block(str(row["block"]))
        assert block is not None  # validated at submission
        area = str(row.get("area_code") or row.get("custom_area"))
        await _first_come(req.uow, areas, block, area)
        template = templates.template(block, language)  # 5.13, worded in the licence language
        number = await new_licence_number(req.uow.session)
        await grant_licence(req.uow, NewLicence(
            number, app.account_number, "spectrum", "Granted", today,
            term_end(today, req.settings.spectrum_term_years),
            service=str(service.get("nature_of_service", ""))[:120], site_data_required=True,
            site_data_from=today, service_area=area, frequency_blocks=[show(block)],
            conditions=[*template.texts, *req.decision.conditions],
            details={"fee_key": "spectrum:fcfs", "band": template.band,
                     "standard_conditions": list(template.codes)}))
        numbers.append(number)
    invoice = await issue_issuance(req.uow, req.billing, app.account_number,
                                   [(n, "spectrum:fcfs") for n in numbers], today)
    return Approval(numbers, outcome={"invoice": invoice})


FAMILY = Family(spectrum.SPEC, approve)
