"""The words around the conversation follow its language beyond the chat itself: the widget's own bar on the
host page (button, "Chatbot", "Sluiten"), the privacy page, the accessibility statement and the source pages.
Text that exists only in Dutch says so and is marked lang="nl"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.host_site import HostSite
from tests.browser.support import open_widget


@pytest.fixture
def fresh(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


def ask(where: Page, text: str) -> None:
    before = where.locator(".ww-message--bot").count()
    where.locator("#message").fill(text)
    where.locator("#message").press("Enter")
    expect(where.locator(".ww-message--bot")).to_have_count(before + 1)


def test_the_widgets_bar_on_the_host_page_follows_the_conversation(fresh: Page, host_site: HostSite) -> None:
    fresh.goto(f"{host_site.url}/index.html")
    fresh.evaluate("sessionStorage.clear()")
    fresh.reload()
    frame = open_widget(fresh)
    panel = fresh.get_by_role("region", name="Chatbot van de gemeente Purmerend")
    expect(panel.get_by_role("button", name="Chat sluiten")).to_have_text("Sluiten")
    frame.locator("#message").fill("I cannot pay my rent")
    frame.locator("#message").press("Enter")
    expect(frame.locator("html")).to_have_attribute("lang", "en")
    panel = fresh.get_by_role("region", name="Chatbot of the municipality of Purmerend")
    expect(panel.locator(".wegwijzer-panel__title")).to_have_text("Chatbot")
    close = panel.get_by_role("button", name="Close the chat")
    expect(close).to_have_text("Close")
    expect(fresh.locator(".wegwijzer-widget")).to_have_attribute("lang", "en")
    expect(fresh.locator("iframe.wegwijzer-frame")).to_have_attribute(
        "title", "Chatbot of the municipality of Purmerend"
    )
    close.click()
    expect(fresh.get_by_role("button", name="Chat with the chatbot")).to_be_visible()
    fresh.reload()  # another page of the site: the conversation and its language go on
    expect(fresh.get_by_role("button", name="Chat with the chatbot")).to_be_visible()
    fresh.get_by_role("button", name="Chat with the chatbot").click()
    frame = fresh.frame_locator("iframe.wegwijzer-frame")
    frame.locator("#message").fill("لا أستطيع دفع الإيجار")
    frame.locator("#message").press("Enter")
    expect(fresh.locator(".wegwijzer-widget")).to_have_attribute("lang", "ar")
    expect(fresh.locator(".wegwijzer-panel__bar")).to_have_attribute("dir", "rtl")
    expect(fresh.get_by_role("button", name="إغلاق المحادثة")).to_have_text("إغلاق")


def test_privacy_and_the_statement_in_the_conversations_language(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "I cannot pay my rent")
    privacy = fresh.locator(".ww-privacy-line a")
    expect(privacy).to_have_attribute("href", "/privacy?gemeente=purmerend&lang=en")
    privacy.click()
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.locator(".ww-only-dutch")).to_have_text("This text is only available in Dutch.")
    expect(fresh.locator("main [lang='nl']").first).to_contain_text("Wat doen we met uw vraag?")
    footer = fresh.locator("footer")
    expect(footer.get_by_role("link", name="Accessibility")).to_have_attribute("href", "/toegankelijkheid?lang=en")
    expect(footer.get_by_role("link", name="Chat")).to_have_attribute("href", "/?gemeente=purmerend&lang=en")
    footer.get_by_role("link", name="Accessibility").click()
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.locator(".ww-only-dutch")).to_be_visible()
    fresh.goto(f"{api_base}/privacy?gemeente=purmerend")  # Dutch: no notice, no marked part
    expect(fresh.locator("html")).to_have_attribute("lang", "nl")
    expect(fresh.locator(".ww-only-dutch")).to_have_count(0)


def test_a_source_page_in_the_conversations_language(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "I cannot pay my rent")
    source = fresh.locator(".ww-message--bot").last.locator(".ww-sources a")
    expect(source).to_have_attribute("href", "/bronnen/purmerend-programmadoelen-2023/armoede-en-schulden?lang=en")
    source.click()
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.locator(".ww-source-kind")).to_contain_text("From: Programmadoelen sociaal domein 2023")
    expect(fresh.locator(".ww-source-kind")).to_contain_text("municipality of Purmerend")
    expect(fresh.get_by_role("heading", level=1)).to_have_attribute("lang", "nl")
    expect(fresh.locator(".ww-source-passage")).to_have_attribute("lang", "nl")
    fresh.get_by_role("link", name="Read the whole text").click()
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.locator(".ww-source-kind")).to_have_text("Text of the municipality of Purmerend")
    expect(fresh.locator("#armoede-en-schulden")).to_have_attribute("lang", "nl")
