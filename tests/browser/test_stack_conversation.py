"""Full conversations through the real stack (action server, Rasa, this API), on the page and in the
widget on a host page. The stack is started by `wegwijzer.stack` on free ports; without it (or without
a trained Rasa model) these tests are skipped and say why. The UI-only tests elsewhere in this folder use a
scripted stand-in for Rasa (tests/fake_rasa.py) where they need a fixed bot answer to check the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.host_site import HostSite
from tests.browser.support import assert_accessible, open_widget


@pytest.fixture(scope="module")
def stack_base(stack) -> str:  # type: ignore[no-untyped-def]
    """The API of the session's stack (tests/conftest.py): one running assistant for all tests."""
    return f"http://127.0.0.1:{stack.ports.api}"


@pytest.fixture
def stack_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


def answer_of(page: Page, send: Any) -> dict[str, Any]:
    with page.expect_response(lambda r: r.url.endswith("/api/chat")) as response:
        send()
    data: dict[str, Any] = response.value.json()
    assert data["degraded"] is False, f"the stack answered with the fallback: {data}"
    return data


def test_a_conversation_on_the_page(stack_page: Page, stack_base: str) -> None:
    page = stack_page
    page.goto(f"{stack_base}/?gemeente=purmerend")
    box = page.locator("#message")
    box.fill("ik heb schulden en weet niet waar ik moet beginnen")
    data = answer_of(page, lambda: box.press("Enter"))
    expect(page.locator(".ww-message--bot").last).to_contain_text("Schulddienstverlening")
    assert "Schulddienstverlening" in " ".join(r["text"] for r in data["replies"])
    box.fill("hoe bereik ik ze?")
    answer_of(page, lambda: box.press("Enter"))
    expect(page.locator(".ww-message--bot").last).to_contain_text("(0299) 452 452")
    assert_accessible(page, "stack: gesprek op de pagina")


def test_a_button_from_the_bot_continues_the_conversation(stack_page: Page, stack_base: str) -> None:
    page = stack_page
    page.goto(f"{stack_base}/?gemeente=purmerend")
    box = page.locator("#message")
    box.fill("ik wil iemand spreken")
    data = answer_of(page, lambda: box.press("Enter"))
    buttons = [b for r in data["replies"] for b in r["buttons"] if not b.get("url")]  # a link opens a page
    assert buttons, f"no button in {data}"
    yes = next((b for b in buttons if b["payload"] == "/affirm"), buttons[0])
    button = page.locator(".ww-message--bot").last.get_by_role("button", name=yes["title"])
    answer_of(page, button.click)
    expect(page.locator(".ww-message--user").last).to_have_text(f"U{yes['title']}")
    assert_accessible(page, "stack: na een knop")


def test_a_conversation_in_the_widget(stack_page: Page, stack_base: str) -> None:
    with HostSite(stack_base) as host:
        page = stack_page
        page.goto(f"{host.url}/index.html")
        frame = open_widget(page)
        frame.locator("#message").fill("ik zorg voor mijn moeder en ben op")
        frame.locator("#message").press("Enter")
        expect(frame.locator(".ww-message--bot").last).to_contain_text("Mantelzorg")
        page.get_by_role("link", name="Naar een andere pagina van de site").click()
        expect(page.frame_locator("iframe.wegwijzer-frame").locator(".ww-message--user")).to_have_count(1)


def test_say_it_simpler_through_the_real_stack(stack_page: Page, stack_base: str) -> None:
    """The A2 version comes from the action server through the real Rasa (its custom message), with the
    model as trained: no intent and no retraining for it."""
    from wegwijzer.knowledge import load_knowledge

    a2 = load_knowledge().simple["purmerend-schulddienstverlening"].summary["nl"]
    page = stack_page
    page.goto(f"{stack_base}/?gemeente=purmerend")
    box = page.locator("#message")
    box.fill("ik heb schulden en weet niet waar ik moet beginnen")
    data = answer_of(page, lambda: box.press("Enter"))
    assert data["simpler"] and any(a2 in (r["simple"] or "") for r in data["replies"]), data["replies"]
    answer = page.locator(".ww-message--bot").last
    answer.locator("summary", has_text="Zeg het simpeler").click()
    expect(answer.locator(".ww-simpler__text")).to_contain_text(a2)
    expect(answer.locator('.ww-simpler__text a[href="tel:+31299452452"]')).to_be_visible()
