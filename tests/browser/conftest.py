"""Fixtures of the browser tests: Chromium, the API (with a scripted stand-in for Rasa), a host site."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from connectors.api.launch import running_api
from tests.browser.host_site import HostSite
from tests.browser.support import AXE, CHROMIUM, CHROMIUM_ARGS
from tests.fake_rasa import FakeRasa


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium ontbreekt ({CHROMIUM}); 'bash scripts/setup.sh' installeert Debian's chromium")
    if not AXE.is_file():
        pytest.skip(f"axe-core ontbreekt ({AXE}); 'npm ci' in connectors/web installeert het")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def fake_rasa() -> Iterator[FakeRasa]:
    with FakeRasa() as fake:
        yield fake


@pytest.fixture(scope="session")
def api_base(fake_rasa: FakeRasa, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API under test. Override this fixture (or set the stack's URL) to test another deployment."""
    log = tmp_path_factory.mktemp("api") / "api.log"
    env = {
        "WEGWIJZER_RASA_URL": fake_rasa.url,
        "WEGWIJZER_ACTION_URL": fake_rasa.url,
        "WEGWIJZER_WIDGET_HOSTS": "http://localhost:*",  # the host site (by default only the gemeente's own)
    }
    with running_api(env, log=log) as base:
        yield base


@pytest.fixture(scope="session")
def host_site(api_base: str) -> Iterator[HostSite]:
    with HostSite(api_base) as site:
        yield site


@pytest.fixture(scope="session")
def host_site_left(api_base: str) -> Iterator[HostSite]:
    with HostSite(api_base, position="left") as site:
        yield site


class Console:
    """Everything the page wrote to its console, to find CSP violations and script errors."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def errors(self) -> list[str]:
        return [m for m in self.messages if m.startswith("error")]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield ctx
    ctx.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(context: BrowserContext, console: Console) -> Iterator[Page]:
    tab = context.new_page()
    tab.on("console", lambda m: console.messages.append(f"{m.type}: {m.text}"))
    tab.on("pageerror", lambda e: console.messages.append(f"error: {e}"))
    yield tab
