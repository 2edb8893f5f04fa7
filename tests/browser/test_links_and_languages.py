"""An answer as a resident reads it in Chromium: phone numbers and addresses are links (chat, widget,
no-JavaScript page, front desk), each reply says its language and direction, the words around the
conversation follow the conversation's language, and sources are named in words with a link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.host_site import HostSite
from tests.browser.support import widget_in_a_new_browser
from tests.fake_rasa import FakeRasa

GEMEENTE_PHONE = "tel:+31299452452"


def ask(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")


@pytest.fixture
def fresh(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def test_a_phone_number_in_an_answer_is_a_tel_link_read_digit_by_digit(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "ik kan de huur niet betalen")
    fresh.get_by_role("button", name="Loket Schulddienstverlening").click()
    answer = fresh.locator(".ww-message--bot").last
    phone = answer.locator(f':scope > .ww-message__text a[href="{GEMEENTE_PHONE}"]')  # the answer, not its A2 version
    expect(phone).to_have_text("(0299) 452 452")
    expect(phone).to_have_attribute("aria-label", "(0299) 452 452, 0 2 9 9, 4 5 2, 4 5 2")
    expect(fresh.get_by_role("link", name="(0299) 452 452, 0 2 9 9, 4 5 2, 4 5 2").first).to_be_visible()


def test_crisis_numbers_are_links(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "ik wil niet meer leven")
    crisis = fresh.locator(".ww-message--crisis")
    expect(crisis.locator('a[href="tel:113"]')).to_have_text(["113", "113"])  # "met 113 ..." and "Bel 113"
    expect(crisis.locator('a[href="tel:08000113"]')).to_have_attribute("aria-label", "0800-0113, 0 8 0 0, 0 1 1 3")


def test_an_english_conversation_shows_english_labels(fresh: Page, api_base: str, fake_rasa: FakeRasa) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    expect(fresh.locator("html")).to_have_attribute("lang", "nl")
    ask(fresh, "I cannot pay my rent")
    reply = fresh.locator(".ww-message--bot").last
    expect(reply.locator(".ww-message__text")).to_have_attribute("lang", "en")
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.locator(".ww-message--user .ww-message__who")).to_have_text("You")
    expect(reply.locator(".ww-message__who")).to_have_text("Chatbot")
    expect(reply.locator(".ww-sources__title")).to_have_text("Sources")
    expect(
        reply.get_by_role("link", name="From: Programmadoelen sociaal domein 2023, about armoede en schulden")
    ).to_be_visible()
    expect(fresh.get_by_role("button", name="Send")).to_be_visible()
    expect(fresh.get_by_role("button", name="Start again")).to_be_visible()
    expect(fresh.get_by_role("heading", level=1)).to_have_text("Where can you go in Purmerend?")
    expect(fresh.get_by_role("textbox", name="Your question")).to_be_visible()
    expect(reply.get_by_role("button", name="Copy answer")).to_be_visible()
    # The next message asks the assistant for the conversation's language.
    ask(fresh, "ok")
    expect(fresh.locator(".ww-message--bot")).to_have_count(2)
    assert fake_rasa.calls[-1]["metadata"]["lang"] == "en"
    # Another page and back: still English.
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    expect(fresh.get_by_role("button", name="Send")).to_be_visible()


def test_an_arabic_reply_is_right_to_left(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "لا أستطيع دفع الإيجار")
    text = fresh.locator(".ww-message--bot").last.locator(".ww-message__text")
    expect(text).to_have_attribute("lang", "ar")
    expect(text).to_have_attribute("dir", "rtl")
    expect(fresh.locator("html")).to_have_attribute("dir", "rtl")
    expect(fresh.locator(".ww-message--user .ww-message__who")).to_have_text("أنت")
    phone = text.locator(f'a[href="{GEMEENTE_PHONE}"]')
    expect(phone).to_have_attribute("dir", "ltr")
    assert (
        fresh.evaluate(
            "getComputedStyle(document.querySelector('.ww-message--bot:last-child .ww-message__text')).direction"
        )
        == "rtl"
    )


def test_the_language_choice_in_the_header_sets_the_conversation_language(
    fresh: Page, api_base: str, fake_rasa: FakeRasa
) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    languages = fresh.get_by_role("navigation", name="Taal")
    expect(languages.get_by_role("link")).to_have_count(6)
    languages.get_by_role("link", name="Türkçe").click()
    expect(fresh.locator("html")).to_have_attribute("lang", "tr")
    expect(fresh.get_by_role("button", name="Gönder")).to_be_visible()
    expect(fresh.locator("[data-opening]")).to_contain_text("Merhaba")
    ask(fresh, "merhaba")
    expect(fresh.locator(".ww-message--bot")).to_have_count(1)
    assert fake_rasa.calls[-1]["metadata"]["lang"] == "tr"
    fresh.get_by_role("navigation", name="Dil").get_by_role("link", name="Nederlands").click()
    expect(fresh.get_by_role("button", name="Verstuur")).to_be_visible()


def test_sources_are_named_in_words_with_a_clean_page_of_their_own(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "ik kan de huur niet betalen")
    fresh.get_by_role("button", name="Loket Schulddienstverlening").click()
    answer = fresh.locator(".ww-message--bot").last
    source = answer.locator(".ww-sources a")
    expect(source).to_have_text("Uit: Programmadoelen sociaal domein 2023, over armoede en schulden")
    expect(source).to_have_attribute("href", "/bronnen/purmerend-programmadoelen-2023/armoede-en-schulden")
    expect(answer).not_to_contain_text(" > ")
    source.click()
    expect(fresh.get_by_role("heading", level=1)).to_have_text("Armoede en schulden")
    expect(fresh.locator(".ww-source-kind")).to_contain_text("Uit: Programmadoelen sociaal domein 2023")
    fresh.get_by_role("link", name="Lees de hele tekst").click()
    expect(fresh.locator("main")).not_to_contain_text("PDF Opties")
    expect(fresh.locator("#armoede-en-schulden")).to_be_visible()


def test_copy_the_answer(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/?gemeente=purmerend")
    ask(fresh, "ik kan de huur niet betalen")
    fresh.get_by_role("button", name="Loket Schulddienstverlening").click()
    expect(fresh.locator(".ww-sources a")).to_be_visible()
    fresh.locator(".ww-message--bot").last.get_by_role("button", name="Kopieer antwoord").click()
    expect(fresh.locator("#chat-status")).to_have_text("Het antwoord is gekopieerd.")
    copied = str(fresh.evaluate("navigator.clipboard.readText()"))
    assert copied.startswith("U kunt terecht bij Loket Schulddienstverlening.")
    assert "Uit: Programmadoelen sociaal domein 2023, over armoede en schulden (http" in copied


def test_links_in_the_widget_and_without_javascript(browser: Browser, api_base: str, host_site: HostSite) -> None:
    context, frame = widget_in_a_new_browser(browser, host_site.url)
    frame.locator("#message").fill("hallo")
    frame.locator("#message").press("Enter")
    expect(frame.locator(f'.ww-message--bot a[href="{GEMEENTE_PHONE}"]')).to_have_attribute(
        "aria-label", "(0299) 452 452, 0 2 9 9, 4 5 2, 4 5 2"
    )
    context.close()
    no_js = browser.new_context(java_script_enabled=False).new_page()
    no_js.goto(f"{api_base}/?gemeente=purmerend")
    no_js.get_by_role("textbox", name="Uw vraag").fill("hallo")
    no_js.get_by_role("button", name="Verstuur").click()
    expect(no_js.locator(f'.ww-message--bot a[href="{GEMEENTE_PHONE}"]')).to_have_text("(0299) 452 452")
    no_js.get_by_role("textbox", name="Uw vraag").fill("I cannot pay my rent")
    no_js.get_by_role("button", name="Verstuur").click()
    expect(no_js.locator("html")).to_have_attribute("lang", "en")
    expect(no_js.get_by_role("button", name="Send")).to_be_visible()
    no_js.context.close()


def test_the_front_desk_cards_link_the_phone_number(fresh: Page, api_base: str) -> None:
    fresh.goto(f"{api_base}/balie?gemeente=purmerend&q=schulden")
    expect(fresh.locator(f'.ww-card a[href="{GEMEENTE_PHONE}"]').first).to_have_attribute(
        "aria-label", "(0299) 452 452, 0 2 9 9, 4 5 2, 4 5 2"
    )
    fresh.locator("#q").fill("ik kan de huur niet betalen")
    expect(fresh.locator(f'.ww-card a[href="{GEMEENTE_PHONE}"]').first).to_be_visible()
