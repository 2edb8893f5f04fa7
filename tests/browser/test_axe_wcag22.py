"""axe-core with WCAG 2.0, 2.1 and 2.2 A/AA rules: zero violations of any impact on the resident's pages
in every state, at a desk (1280 px) and on a phone (360 px), in light and dark mode.

The callback form with errors and sent, and the /beheer queue, are checked the same way in
test_callback_pages.py (they need the API with a callback queue of its own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.host_site import HostSite
from tests.browser.support import assert_no_violations, open_widget

SIZES = {"desktop": {"width": 1280, "height": 900}, "360px": {"width": 360, "height": 740}}


@pytest.fixture(params=["desktop", "360px"])
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    context = browser.new_context(viewport=SIZES[request.param], locale="nl-NL")
    yield request.param, context.new_page()
    context.close()


def ask(page: Page, text: str) -> None:
    before = page.locator(".ww-message--bot").count()
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")
    expect(page.locator(".ww-message--bot")).to_have_count(before + 1)


CHAT_STATES: dict[str, Callable[[Page], None]] = {
    "chat leeg": lambda page: None,
    "verduidelijking (knoppen)": lambda page: ask(page, "ik kan de huur niet betalen"),
    "antwoord nl met bron": lambda page: (
        ask(page, "ik kan de huur niet betalen"),
        page.get_by_role("button", name="Loket Schulddienstverlening").click(),
        expect(page.locator(".ww-sources a")).to_be_visible(),
    ),
    "antwoord simpeler (open)": lambda page: (
        ask(page, "ik kan de huur niet betalen"),
        page.get_by_role("button", name="Loket Schulddienstverlening").click(),
        page.locator(".ww-message--bot").last.locator("summary", has_text="Zeg het simpeler").click(),
        expect(page.locator(".ww-simpler__text")).to_be_visible(),
    ),
    "antwoord en": lambda page: ask(page, "I cannot pay my rent"),
    "antwoord ar": lambda page: ask(page, "لا أستطيع دفع الإيجار"),
    "crisis": lambda page: ask(page, "ik wil niet meer leven"),
}


@pytest.mark.parametrize("state", list(CHAT_STATES))
def test_the_chat(sized: tuple[str, Page], api_base: str, state: str) -> None:
    size, page = sized
    page.goto(f"{api_base}/?gemeente=purmerend")
    CHAT_STATES[state](page)
    assert_no_violations(page, f"{state}, {size}")


@pytest.mark.parametrize(
    "path",
    [
        "/privacy?gemeente=purmerend",
        "/privacy?gemeente=purmerend&lang=en",
        "/toegankelijkheid",
        "/toegankelijkheid?lang=ar",
        "/terugbellen?gemeente=purmerend",
        "/bronnen/purmerend-programmadoelen-2023",
        "/bronnen/purmerend-programmadoelen-2023/armoede-en-schulden",
        "/bronnen/purmerend-programmadoelen-2023/armoede-en-schulden?lang=ar",
        "/bronnen/purmerend-programmadoelen-2023?lang=en",
        "/balie?gemeente=purmerend&q=schulden",
        "/",
    ],
)
def test_the_other_pages(sized: tuple[str, Page], api_base: str, path: str) -> None:
    size, page = sized
    page.goto(f"{api_base}{path}")
    if path.startswith("/balie"):
        expect(page.locator(".ww-card").first).to_be_visible()
    assert_no_violations(page, f"{path}, {size}")


def test_the_widget_closed_and_open(sized: tuple[str, Page], host_site: HostSite) -> None:
    size, page = sized
    page.goto(f"{host_site.url}/index.html")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    launcher = page.get_by_role("button", name="Chat met de chatbot")
    expect(launcher).to_be_visible()
    assert_no_violations(page, f"widget dicht, {size}")
    frame = open_widget(page)
    frame.locator("#message").fill("ik kan de huur niet betalen")
    frame.locator("#message").press("Enter")
    expect(frame.locator(".ww-choice").first).to_be_visible()
    assert_no_violations(page, f"widget open, {size}")
    frame.get_by_role("button", name="Loket Schulddienstverlening").click()
    frame.locator(".ww-message--bot").last.locator("summary", has_text="Zeg het simpeler").click()
    expect(frame.locator(".ww-simpler__text")).to_be_visible()
    assert_no_violations(page, f"widget open, antwoord simpeler, {size}")


@pytest.mark.parametrize("state", ["chat leeg", "antwoord nl met bron", "antwoord simpeler (open)", "antwoord ar"])
def test_dark_mode(browser: Browser, api_base: str, state: str) -> None:
    context = browser.new_context(viewport=SIZES["360px"], color_scheme="dark")
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    CHAT_STATES[state](page)
    assert_no_violations(page, f"donker: {state}")
    page.goto(f"{api_base}/balie?gemeente=purmerend&q=schulden")
    expect(page.locator(".ww-card").first).to_be_visible()
    assert_no_violations(page, f"donker: balie, {state}")
    context.close()


def test_the_check_finds_a_real_problem(page: Page, api_base: str) -> None:
    """So that 'zero violations' means something: grey text on white and an unnamed field are found."""
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.evaluate(
        "() => { const p = document.createElement('p'); p.textContent = 'Bijna onleesbaar'; p.className = 'ww-grey';"
        " document.querySelector('main').append(p, document.createElement('input'));"
        " document.querySelector('.ww-grey').style.color = '#bbbbbb'; }"
    )
    with pytest.raises(AssertionError) as found:
        assert_no_violations(page, "controle: kapotte pagina (moet fouten geven)")
    assert "color-contrast" in str(found.value) and '"label"' in str(found.value)
