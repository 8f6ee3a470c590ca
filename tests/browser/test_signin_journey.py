"""Journey: sign in, see the dashboard, sign out; with JavaScript on and off."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.journeys import LICENSEE, OFFICER, accessible, shot, sign_in


def test_a_licensee_signs_in_to_the_dashboard_and_out_again(page: Page) -> None:
    page.goto("/")
    accessible(page, "signin", "1-home")
    page.goto("/identity/signin")
    page.fill("#field-username", LICENSEE[0])
    page.fill("#field-password", "not the password")
    page.locator("main button[type=submit]").click()
    summary = page.locator(".portal-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#field-username']")).to_be_visible()
    accessible(page, "signin", "2-refused")
    sign_in(page, *LICENSEE)
    expect(page.locator("h1")).to_have_text("My dashboard")
    expect(page.locator("main")).to_contain_text("010898101")
    accessible(page, "signin", "3-dashboard")
    page.locator("gcds-header button", has_text="Sign out").click()
    expect(page.locator("main")).to_contain_text("You are signed out.")


def test_an_officer_reaches_the_officer_dashboard(page: Page) -> None:
    sign_in(page, *OFFICER)
    expect(page.locator("h1")).to_have_text("Officer dashboard")
    accessible(page, "officer", "1-dashboard")


def test_signing_in_works_with_javascript_off(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/sitedata/uploads")
    expect(page).to_have_url(re.compile(r"/identity/signin\?next="))
    page.fill("#field-username", LICENSEE[0])
    page.fill("#field-password", LICENSEE[1])
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("My site-data uploads")
    shot(page, "nojs", "1-uploads")  # axe needs scripts; the same page is checked with JS on
