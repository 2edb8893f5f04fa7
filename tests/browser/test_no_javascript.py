"""Without JavaScript nobody is locked out: the chat form posts and the answer comes back as a page,
the bot's buttons are forms, and the front desk search is a plain GET form."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.support import assert_accessible
from tests.fake_rasa import CLARIFY, DEBT_PAYLOAD, FakeRasa


@pytest.fixture
def no_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1024, "height": 800})
    yield context.new_page()
    context.close()


def test_the_chat_without_javascript(no_js: Page, api_base: str, fake_rasa: FakeRasa) -> None:
    no_js.goto(f"{api_base}/")
    no_js.get_by_label("Uw gemeente").select_option("purmerend")
    no_js.get_by_role("button", name="Naar de chat").click()
    expect(no_js).to_have_url(f"{api_base}/?gemeente=purmerend")
    no_js.get_by_role("textbox", name="Uw vraag").fill("ik kan de huur niet betalen")
    no_js.get_by_role("button", name="Verstuur").click()
    expect(no_js).to_have_url(f"{api_base}/chat")
    expect(no_js.locator(".ww-message--user")).to_contain_text("ik kan de huur niet betalen")
    expect(no_js.locator(".ww-message--bot")).to_contain_text(CLARIFY[:40])
    session = fake_rasa.calls[-1]["sender"]
    # axe needs JavaScript in the page; the DevTools protocol still runs it here.
    no_js.get_by_role("button", name="Loket Schulddienstverlening").click()
    assert fake_rasa.calls[-1]["message"] == DEBT_PAYLOAD and fake_rasa.calls[-1]["sender"] == session
    expect(no_js.locator(".ww-message--user")).to_contain_text("Loket Schulddienstverlening")
    expect(no_js.locator(".ww-sources a")).to_have_attribute(
        "href", "/bronnen/purmerend-programmadoelen-2023/armoede-en-schulden"
    )
    no_js.get_by_role("textbox", name="Uw vraag").fill("")
    no_js.get_by_role("button", name="Verstuur").click()
    expect(no_js.locator("#message-error")).to_have_text("Het bericht is leeg. Typ eerst uw vraag.")
    no_js.get_by_role("button", name="Opnieuw beginnen").click()
    expect(no_js.locator(".ww-message")).to_have_count(1)  # the opening message


def test_the_front_desk_without_javascript(no_js: Page, api_base: str) -> None:
    no_js.goto(f"{api_base}/balie?gemeente=purmerend")
    no_js.get_by_label("Vraag of zoekwoorden").fill("schulden")
    no_js.get_by_role("button", name="Zoek").click()
    expect(no_js.locator(".ww-card").first).to_be_visible()
    expect(no_js.locator(".ww-passage mark").first).to_be_visible()
    expect(no_js.locator(".ww-card__referral").first).to_contain_text("Verwijstekst bekijken")


def test_no_javascript_pages_are_accessible(browser: Browser, api_base: str) -> None:
    # Chromium runs axe through the DevTools protocol only where scripts may run, so the server-rendered
    # answer is checked in a normal context after a plain form post (the same HTML the no-JS user gets).
    context = browser.new_context()
    page = context.new_page()
    page.route("**/static/chat.js*", lambda route: route.fulfill(status=200, body="", content_type="text/javascript"))
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.get_by_role("textbox", name="Uw vraag").fill("ik kan de huur niet betalen")
    page.get_by_role("button", name="Verstuur").click()
    expect(page.locator(".ww-choice").first).to_be_visible()
    assert_accessible(page, "zonder JavaScript: antwoord met knoppen")
    page.route("**/static/balie.js*", lambda route: route.fulfill(status=200, body="", content_type="text/javascript"))
    page.goto(f"{api_base}/balie?gemeente=purmerend&q=schulden")
    expect(page.locator(".ww-card").first).to_be_visible()
    assert_accessible(page, "zonder JavaScript: balie-uitkomsten")
    context.close()
