"""The reports pages: the status report inside the web profile, the public browser with its
offline map, licences and analytics, and the officer's dashboard with charts."""

from __future__ import annotations

import httpx

from services.gateway.embedded import EmbeddedSystem
from tests.support.portal import signin

LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")
OFFICER = ("demo.officer", "Demo-Officer-2026!")


async def test_the_status_report_page_is_inside_the_web_profile(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    anonymous = await client.get("/reports/status/100000001")
    assert anonymous.status_code in (302, 303) and "/identity/signin" in anonymous.headers[
        "location"]
    await signin(client, *LICENSEE)
    mine = await client.get("/reports/status")  # its only account's table, at once
    assert "Account 100000001 (" in mine.text and "010898101" in mine.text
    page = await client.get("/reports/status/100000001")
    assert page.status_code == 200
    assert "010898101" in page.text and "Northern Demo Wireless Inc." in page.text
    assert "status-report.csv" in page.text
    french = await client.get("/reports/status/100000001?lang=fr")
    assert "Rapport d'état" in french.text or "Rapport d&#39;état" in french.text
    other = await client.get("/reports/status/100000002")
    assert other.status_code == 404
    download = await client.get("/api/reports/accounts/100000001/status-report.csv")
    assert download.status_code == 200 and "010898101" in download.text


async def test_public_pages_need_no_sign_in(client: httpx.AsyncClient,
                                            system: EmbeddedSystem) -> None:
    browser = await client.get("/reports/browser", params={"province": "ON"})
    assert browser.status_code == 200 and "<svg" in browser.text
    assert "Site Data Browser" in browser.text
    bad = await client.get("/reports/browser", params={"lat": "45"})
    assert bad.status_code == 422 and "lat, lon and radius_km" in bad.text
    licences = await client.get("/reports/licences")
    assert "010898199" in licences.text and "Prairie Demo Telecom Ltd." in licences.text
    analytics = await client.get("/reports/analytics")
    assert "asyncapi.json" in analytics.text and "snapshots/stations.parquet" in analytics.text


async def test_the_dashboard_page_is_for_officers_with_charts(
        client: httpx.AsyncClient, system: EmbeddedSystem) -> None:
    await signin(client, *LICENSEE)
    assert (await client.get("/reports")).status_code == 403
    client.cookies.clear()
    await signin(client, *OFFICER)
    page = await client.get("/reports")
    assert page.status_code == 200
    assert "ISED operations dashboard" in page.text and page.text.count("<svg") >= 2
    assert "010898101" in page.text  # never uploaded: overdue
