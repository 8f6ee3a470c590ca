"""Browser journeys: the embedded system behind uvicorn on a free loopback port, driven by
Playwright through Debian's Chromium (``/usr/bin/chromium``; ``make test`` installs it).

Nothing is downloaded: the browser is the system's, and every request that leaves loopback
(the web fonts gcds.css imports) is aborted so the tests never touch the network.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from services.gateway.embedded import EmbeddedOptions, EmbeddedSystem, build_app
from shared.testing.servers import free_port, wait_healthy
from tests.browser.journeys import new_context

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class LiveServer:
    """The whole embedded system on http://127.0.0.1:<port>, in a thread of its own."""

    def __init__(self, var_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.system = EmbeddedSystem(EmbeddedOptions(var_dir=var_dir, base_url=self.url))
        config = uvicorn.Config(build_app(self.system), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self, timeout: float = 90.0) -> None:
        self.thread.start()
        if not wait_healthy(self.url, timeout, alive=self.thread.is_alive):
            raise RuntimeError(f"the embedded system did not start on {self.url}")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


# Package scope, not session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and every asyncio test after this package needs that thread free.
@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("browser") / "var")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError("Chromium is missing: run `make test` (it installs Debian's "
                           "chromium) or `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live: LiveServer) -> Iterator[Page]:
    context = new_context(browser, live.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(browser: Browser, live: LiveServer) -> Iterator[Page]:
    context = new_context(browser, live.url, javascript=False)
    yield context.new_page()
    context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)

