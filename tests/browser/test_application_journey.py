"""Journey: start a broadcasting application, save it, come back to it later, attach its
engineering brief and antenna pattern file, submit it."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from services.licensing.handlers.broadcasting import example_draft
from tests.browser.conftest import LiveServer
from tests.browser.journeys import LICENSEE, accessible, new_context, sign_in

BASE = "/licensing/broadcasting"
PDF = b"%PDF-1.4\n%%EOF\n"


def test_start_save_resume_and_submit_a_broadcasting_application(
        page: Page, browser: Browser, live: LiveServer) -> None:
    sign_in(page, *LICENSEE)
    page.goto(f"{BASE}/new")
    accessible(page, "application", "1-new")
    expect(page.locator("#field-account_number")).to_be_checked()  # the account acted for
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{BASE}/[^/]+/general$"))
    general = page.url
    app_id = general.split("/")[-2]
    page.select_option("#field-experimental", "No")
    page.select_option("#field-duration", "Standard term")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("main")).to_contain_text("Your work is saved.")
    accessible(page, "application", "2-saved")

    # later, in a new browser session: sign in again and resume where it was left
    page.context.close()
    resumed = new_context(browser, live.url).new_page()
    sign_in(resumed, *LICENSEE)
    resumed.goto(general.replace(live.url, ""))
    expect(resumed.locator("#field-duration")).to_have_value("Standard term")
    accessible(resumed, "application", "3-resumed")
    # the long technical sections are filled through the API (the same draft the demo uses),
    # with the session cookie, so with the CSRF token as the portal's own scripts would send
    csrf = next(c["value"] for c in resumed.context.cookies() if c["name"] == "sms_csrf")
    for section, data in example_draft().items():
        answer = resumed.request.put(f"/api/licensing/applications/{app_id}/sections/{section}",
                                     data=data, headers={"X-CSRF-Token": csrf})
        assert answer.status == 204, answer.text()
    resumed.goto(f"{BASE}/{app_id}/summary")
    for kind, name, content in (("engineering_brief", "brief.pdf", PDF),
                                ("antenna_pattern", "ckqz.pat", b"JMPC-4\n0 1.000\n")):
        resumed.select_option("#field-document_kind", kind)
        resumed.set_input_files("#field-document_file", files=[
            {"name": name, "mimeType": "application/octet-stream", "buffer": content}])
        resumed.get_by_role("button", name="Add the document").click()
        expect(resumed.locator("main")).to_contain_text("The document was added.")
    expect(resumed.locator("#documents")).to_contain_text("ckqz.pat")
    accessible(resumed, "application", "4-summary")
    resumed.get_by_role("button", name="Submit to ISED").click()
    expect(resumed.locator("main")).to_contain_text("The application is submitted.")
    accessible(resumed, "application", "5-submitted")
    resumed.context.close()
