"""What the reports API and pages both show: the dashboard's figures and charts, the Site Data
Browser's search and station rows, the event documents. ``api/`` serves them as JSON (and
SVG), ``web/`` renders them; neither imports the other."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel

from services.reports.adapters import svg, views
from services.reports.context import ReportsContext
from services.reports.domain.dashboard import Tally
from services.reports.domain.search import StationQuery, check_band, make_near
from services.reports.handlers import reading
from shared.errors import NotFoundError
from shared.stationrows import blank_contacts, decode_fields

EVENTS_DIR = Path(__file__).resolve().parents[2] / "docs" / "events"


# --- the operations dashboard ---------------------------------------------------------------
class DayCount(BaseModel):
    day: str
    status: str
    uploads: int


class CodeCount(BaseModel):
    code: str
    count: int


class QueueFigures(BaseModel):
    pending: int
    within_standard: int
    late: int


class DashboardView(BaseModel):
    as_of: date
    days: int
    uploads_per_day: list[DayCount]
    processing_seconds: dict[str, float]
    uploads: int
    top_error_codes: list[CodeCount]
    overdue_licences: int
    open_for_eoi: int
    registrations: QueueFigures
    applications: QueueFigures


def day_counts(tally: Tally) -> list[DayCount]:
    return [DayCount(day=day, status=status, uploads=n) for day, status, n in tally.by_day()]


async def dashboard_view(ctx: ReportsContext, days: int | None) -> DashboardView:
    """Every figure of the dashboard."""
    today = ctx.clock.today()
    window = days or ctx.settings.dashboard_days
    figures = await reading.upload_tally(ctx.uows, today, window)
    overdue = await reading.overdue_licences(ctx.uows, today)
    async with ctx.uows() as uow:
        _, eoi = await views.eoi_licences(uow.session, 1, 0)
    registrations, applications = await reading.pending_queues(
        ctx.uows, ctx.settings.registration_standard_days)
    return DashboardView(
        as_of=today, days=window, uploads_per_day=day_counts(figures),
        processing_seconds=figures.percentiles(), uploads=figures.uploads(),
        top_error_codes=[CodeCount(code=c, count=n) for c, n in figures.top_errors()],
        overdue_licences=len(overdue), open_for_eoi=eoi,
        registrations=QueueFigures(**reading.queue_summary(registrations, today)),
        applications=QueueFigures(**reading.queue_summary(applications, today)))


def chart_svg(name: str, tally: Tally) -> str:
    if name == "uploads":
        counts = {(day, status): n for day, status, n in tally.by_day()}
        days = sorted({day for day, _ in counts})
        statuses = sorted({status for _, status in counts})
        series = {st: [counts.get((d, st), 0) for d in days] for st in statuses}
        return svg.stacked_bars_svg(days, series, "Uploads per day by status")
    if name == "errors":
        return svg.horizontal_bars_svg([(c, float(n)) for c, n in tally.top_errors()],
                                       "Most frequent error codes")
    if name == "processing":
        return svg.horizontal_bars_svg(list(tally.percentiles().items()),
                                       "Processing time percentiles", " s")
    raise NotFoundError("RP-CHART-UNKNOWN", "No such chart.",
                        fix="Use uploads, errors or processing.")


# --- the Site Data Browser ------------------------------------------------------------------
class StationView(BaseModel):
    licence_number: str
    licensee_name: str | None
    location: str
    province: str | None
    latitude: float | None
    longitude: float | None
    technology: str | None
    tx_frequency: float | None
    rx_frequency: float | None
    line: int
    last_upload: date | None
    distance_km: float | None = None
    fields: list[str]


async def station_query(
        licence: Annotated[str | None, Query(max_length=20)] = None,
        licensee: Annotated[str | None, Query(max_length=200)] = None,
        location: Annotated[str | None, Query(max_length=63)] = None,
        province: Annotated[str | None, Query(max_length=2)] = None,
        technology: Annotated[str | None, Query(max_length=10)] = None,
        freq_min: Annotated[float | None, Query(ge=0, description="MHz")] = None,
        freq_max: Annotated[float | None, Query(ge=0, description="MHz")] = None,
        lat: Annotated[float | None, Query()] = None,
        lon: Annotated[float | None, Query()] = None,
        radius_km: Annotated[float | None, Query()] = None) -> StationQuery:
    """The search, from the query string (a FastAPI dependency of the API and the page)."""
    check_band(freq_min, freq_max)
    return StationQuery(licence=licence or None, licensee=licensee or None,
                        location=location or None, province=province or None,
                        technology=technology or None, freq_min=freq_min, freq_max=freq_max,
                        near=make_near(lat, lon, radius_km))


def public_fields(item: dict[str, Any]) -> list[str]:
    """A station row's fields with the contact columns blanked."""
    return blank_contacts(decode_fields(item["fields"]))


def station_view(item: dict[str, Any]) -> StationView:
    last = item.get("last_upload_at")
    return StationView(
        licence_number=item["licence_number"], licensee_name=item.get("licensee_name"),
        location=item["location"], province=item["province"], latitude=item["latitude"],
        longitude=item["longitude"], technology=item["technology"],
        tx_frequency=item["tx_frequency"], rx_frequency=item["rx_frequency"],
        line=item["line"], last_upload=last.date() if last else None,
        distance_km=item.get("distance_km"), fields=public_fields(item))


# --- analytics ------------------------------------------------------------------------------
def event_documents() -> dict[str, Path]:
    """Every generated event document by the name it is served under."""
    found = {"asyncapi.json": EVENTS_DIR / "asyncapi.json"}
    for path in sorted((EVENTS_DIR / "schemas").glob("*.json")):
        found[f"schemas/{path.name}"] = path
    return {name: path for name, path in found.items() if path.is_file()}
