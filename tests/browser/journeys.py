"""Steps the browser journeys share: sign in, screenshots, the axe-core check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LICENSEE = ("demo.licensee", "Demo-Licensee-2026!")
TIMEOUT_MS = 45_000  # generous: CI shares two cores with the whole suite
expect.set_options(timeout=TIMEOUT_MS)
OFFICER = ("demo.officer", "Demo-Officer-2026!")


def shot(page: Page, journey: str, step: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{journey}-{step}.png"), full_page=True)


# axe reports a repeated id only "for review" (duplicate-id-aria has reviewOnFail) and the
# other duplicate-id rules are off: a repeated id breaks labels and the error summary's links,
# so any finding of these rules fails the run
RUN = """async () => {
  const found = await axe.run(document, {resultTypes: ['violations', 'incomplete'],
    rules: {'duplicate-id': {enabled: true}, 'duplicate-id-active': {enabled: true}}});
  return found.violations.concat(
    found.incomplete.filter(v => v.id.startsWith('duplicate-id')));
}"""


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now, and every id the
    page repeats."""
    if not AXE.exists():
        raise RuntimeError("axe-core is missing: run `make install` (npm ci).")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP allows none inline
    violations: list[dict[str, Any]] = page.evaluate(RUN)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in violations if v.get("impact") in ("serious", "critical")
            or v["id"].startswith("duplicate-id")]


def accessible(page: Page, journey: str, step: str) -> None:
    """Screenshot the page, then require no serious or critical axe violation, and nothing
    refused by the page's Content-Security-Policy."""
    page.wait_for_load_state("networkidle")
    shot(page, journey, step)
    refused = page.evaluate("window.__cspViolations || []")  # before axe: it fetches CSS itself
    assert refused == [], f"{journey}/{step}: CSP refused {refused}"
    assert serious_violations(page) == [], f"{journey}/{step}: {page.url}"
    page.evaluate("window.__cspViolations = []")  # what axe itself was refused


def sign_in(page: Page, username: str, password: str, *, french: bool = False) -> None:
    page.goto("/identity/signin" + ("?lang=fr" if french else ""))
    page.fill("#field-username", username)
    page.fill("#field-password", password)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/identity/signin"))


def _local_only(route: Route) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


# every Content-Security-Policy refusal of a page, for ``accessible`` to check (an init
# script runs before the page's own and is not subject to its policy)
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def new_context(browser: Browser, base_url: str, *, javascript: bool = True,
                locale: str = "en-CA") -> BrowserContext:
    """A fresh browser profile that reaches loopback only."""
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript,
                                  locale=locale, accept_downloads=True)
    context.route("**/*", _local_only)
    context.add_init_script(CSP_WATCH)
    context.set_default_timeout(TIMEOUT_MS)
    return context
