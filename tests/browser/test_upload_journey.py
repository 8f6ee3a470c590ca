"""Journey: upload a valid and an invalid site-data file; see both results and the error
report; switch language in the middle of the flow."""

from __future__ import annotations

import re

from playwright.sync_api import FilePayload, Page, expect

from tests.browser.journeys import LICENSEE, accessible, sign_in
from tests.support.sitedata_files import invalid_file, valid_file


def _upload(page: Page, name: str, content: bytes, submit: str = "Upload") -> None:
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": content}
    # the GC Design System uploader's input (in its shadow root), or the native fallback
    # without JavaScript
    page.set_input_files("input[type=file][name=file]", files=[payload])
    page.locator("main button[type=submit]", has_text=submit).click()
    expect(page).to_have_url(re.compile(r"/sitedata/uploads/[0-9a-f-]+"))


def test_a_valid_and_an_invalid_file_show_their_results_and_the_error_report(
        page: Page) -> None:
    sign_in(page, *LICENSEE)
    page.goto("/sitedata/upload")
    expect(page.locator("main")).to_contain_text("This upload is for account 100000001.")
    # the GC Design System uploader is in charge: its native fallback is gone
    expect(page.locator("gcds-file-uploader#field-file")).to_have_count(1)
    expect(page.locator("[data-portal-uploader-fallback]")).to_have_count(0)
    accessible(page, "upload", "1-form")
    _upload(page, "good-stations.csv", valid_file(stations=3))
    status = page.locator("#upload-status")
    expect(status).to_have_text("Processed", timeout=30_000)
    accessible(page, "upload", "2-valid-summary")
    page.get_by_role("link", name="Printable receipt (print it or save it as PDF)").click()
    expect(page.locator("h1")).to_have_text("Site data upload receipt")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()
    accessible(page, "upload", "2-receipt")
    page.go_back()
    page.get_by_role("link", name="View stations").click()
    expect(page.locator("main table")).to_contain_text("Site 2")
    accessible(page, "upload", "3-stations")

    page.goto("/sitedata/upload")
    _upload(page, "broken-stations.csv", invalid_file())
    expect(page.locator("#upload-status")).to_have_text("Errors Found", timeout=30_000)
    accessible(page, "upload", "4-invalid-summary")
    page.get_by_role("link", name="See the error report").click()
    expect(page.locator("#error-report")).to_contain_text("400")
    accessible(page, "upload", "5-error-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error report (CSV)").click()
    assert download.value.suggested_filename.startswith("errors-")

    page.goto("/sitedata/uploads")
    expect(page.locator("main table")).to_contain_text("good-stations.csv")
    expect(page.locator("main table")).to_contain_text("broken-stations.csv")
    accessible(page, "upload", "6-list")


def test_switching_to_french_mid_flow_keeps_the_page_and_the_upload_goes_on(
        page: Page) -> None:
    sign_in(page, *LICENSEE)
    page.goto("/sitedata/upload")
    expect(page.locator("h1")).to_have_text("Upload site data")
    page.locator("gcds-lang-toggle a").click()
    expect(page).to_have_url(re.compile(r"/sitedata/upload\?lang=fr$"))
    expect(page.locator("h1")).to_have_text("Téléverser des données de site")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    accessible(page, "language", "1-upload-fr")
    _upload(page, "stations-fr.csv", valid_file(), submit="Téléverser")
    expect(page.locator("#upload-status")).to_have_text("Traité", timeout=30_000)
    expect(page.locator("main")).to_contain_text("octets")
    accessible(page, "language", "2-summary-fr")
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Mon tableau de bord")
    page.locator("gcds-lang-toggle a").click()
    expect(page.locator("h1")).to_have_text("My dashboard")


def test_uploading_works_with_javascript_off(page_without_js: Page) -> None:
    page = page_without_js
    sign_in(page, *LICENSEE)
    page.goto("/sitedata/upload")
    _upload(page, "no-script.csv", valid_file())
    expect(page.locator("main")).to_contain_text("Your file was received.")
    for _ in range(60):
        if "Processed" in (page.locator("#upload-status").text_content() or ""):
            break
        page.wait_for_timeout(500)
        page.reload()
    expect(page.locator("#upload-status")).to_have_text("Processed")
