"""Journeys: an existing holder registers with its shared secret; an officer approves a
pending registration (an agent's for an existing applicant)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.journeys import OFFICER, accessible, new_context, sign_in
from tests.support.identity import PASSWORD


def _next(page: Page, label: str = "Next") -> None:
    page.get_by_role("button", name=label, exact=True).click()


def _start(page: Page, kind: str, username: str, journey: str) -> None:
    page.goto("/identity/register")
    accessible(page, journey, "1-type")
    _next(page)  # nothing chosen: the page again, with its error
    expect(page.locator(".portal-error-summary")).to_be_visible()
    accessible(page, journey, "1-type-error")
    page.check(f"input[name=kind][value={kind}]")
    _next(page)
    expect(page).to_have_url(re.compile(r"/identity/register/user$"))
    page.fill("#field-username", username)
    page.fill("#field-password", PASSWORD)
    page.fill("#field-confirm_password", PASSWORD)
    page.fill("#field-name", "Robin Browser")
    page.fill("#field-phone", "613-555-0142")
    page.fill("#field-email", f"{username}@example.ca")
    accessible(page, journey, "2-user")
    _next(page)
    expect(page).to_have_url(re.compile(r"/identity/register/account$"))


def test_an_existing_holder_registers_with_the_shared_secret(page: Page) -> None:
    _start(page, "existing_holder", "browser.holder", "register")
    page.fill("#field-account_number", "100000002")
    page.fill("#field-shared_secret", "DEMO-2026-SMS2")
    accessible(page, "register", "3-account")
    _next(page)
    expect(page).to_have_url(re.compile(r"/identity/register/review$"))
    expect(page.locator("main")).not_to_contain_text("DEMO-2026-SMS2")
    accessible(page, "register", "4-review")
    _next(page, "Submit")
    expect(page).to_have_url(re.compile(r"/identity/register-done\?status=approved"))
    accessible(page, "register", "5-done")
    sign_in(page, "browser.holder", PASSWORD)
    expect(page.locator("main")).to_contain_text("100000002")


def test_an_officer_approves_a_pending_registration(page: Page, browser: Browser,
                                                     live: LiveServer) -> None:
    _start(page, "new_agent_existing_applicant", "browser.agent", "approve")
    page.fill("#field-name", "Prairie")
    page.get_by_role("button", name="Search").click()
    page.check("input[name=account_number][value='100000002']")
    accessible(page, "approve", "3-account")
    _next(page)
    _next(page, "Submit")
    expect(page).to_have_url(re.compile(r"/identity/register-done\?status=pending"))

    officer = new_context(browser, live.url).new_page()
    sign_in(officer, *OFFICER)
    officer.goto("/identity/officer/queue")
    accessible(officer, "approve", "4-queue")
    officer.locator("main tr", has_text="browser.agent").locator(
        "a[href^='/identity/officer/registrations/']").first.click()
    expect(officer.locator("main")).to_contain_text("100000002")
    accessible(officer, "approve", "5-registration")
    officer.check("input[name=decision][value=approve]")
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer).to_have_url(re.compile(r"/identity/officer/queue"))
    accessible(officer, "approve", "6-decided")
    officer.context.close()
