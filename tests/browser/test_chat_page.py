"""The resident's chat page in Chromium: a conversation with a clarification button, sources as links,
sessionStorage across pages, start again, strict CSP, and axe in every state."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import Console
from tests.browser.support import assert_accessible, csp_violations
from tests.fake_rasa import ANSWER, CLARIFY, DEBT_PAYLOAD, FakeRasa


def ask(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")


def test_a_conversation_with_a_clarification_button_and_sources(
    page: Page, api_base: str, fake_rasa: FakeRasa, console: Console
) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    log = page.locator("#transcript")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("[data-opening]")).to_contain_text("Ik ben een chatbot, geen mens.")
    expect(page.get_by_role("link", name="Lees wat we met uw vraag doen")).to_have_attribute(
        "href", "/privacy?gemeente=purmerend"
    )
    assert_accessible(page, "chat: leeg")

    ask(page, "ik kan de huur niet betalen")
    expect(log.locator(".ww-message--bot")).to_contain_text(CLARIFY[:40])
    sent = fake_rasa.calls[-1]
    assert sent["message"] == "ik kan de huur niet betalen"
    assert sent["metadata"] == {"role": "inwoner", "gemeente": "purmerend"}
    choice = log.get_by_role("button", name="Loket Schulddienstverlening")
    expect(choice).to_be_visible()
    assert_accessible(page, "chat: verduidelijkingsknoppen")

    choice.click()
    expect(log.locator(".ww-message--user").last.locator(".ww-message__text")).to_have_text(
        "Loket Schulddienstverlening"
    )
    expect(log.locator(".ww-message--bot").last).to_contain_text(ANSWER.split("\n")[0])
    assert fake_rasa.calls[-1]["message"] == DEBT_PAYLOAD
    assert fake_rasa.calls[-1]["sender"] == sent["sender"], "one session for the whole conversation"
    source = log.locator(".ww-sources a").last
    expect(source).to_have_text("Uit: Programmadoelen sociaal domein 2023, over armoede en schulden")
    expect(source).to_have_attribute("href", "/bronnen/purmerend-programmadoelen-2023/armoede-en-schulden")
    assert_accessible(page, "chat: antwoord met bron")
    assert csp_violations(console.messages) == [] and console.errors() == []


def test_the_conversation_survives_other_pages_and_start_again_clears_it(page: Page, api_base: str) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    ask(page, "ik heb een vraag over schulden")
    expect(page.locator(".ww-message--bot")).to_have_count(1)
    page.get_by_role("link", name="Lees wat we met uw vraag doen").click()
    expect(page).to_have_url(f"{api_base}/privacy?gemeente=purmerend")
    page.go_back()
    expect(page.locator(".ww-message--user")).to_contain_text("ik heb een vraag over schulden")
    page.goto(f"{api_base}/?gemeente=purmerend")
    expect(page.locator(".ww-message--bot")).to_have_count(1)
    page.get_by_role("button", name="Opnieuw beginnen").click()
    expect(page.locator(".ww-message")).to_have_count(1)
    expect(page.locator("#chat-status")).to_have_text("Het gesprek is gewist. U kunt een nieuwe vraag stellen.")
    expect(page.locator("#message")).to_be_focused()
    page.reload()
    expect(page.locator(".ww-message")).to_have_count(1)


def test_an_empty_question_is_not_sent(page: Page, api_base: str, fake_rasa: FakeRasa) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    before = len(fake_rasa.calls)
    page.locator("#message").press("Enter")
    expect(page.locator("#chat-status")).to_have_text("Typ eerst uw vraag.")
    assert len(fake_rasa.calls) == before


def test_when_rasa_fails_the_page_still_shows_the_general_contact(page: Page, api_base: str) -> None:
    # The API itself answers degraded; here the browser loses the API and says so plainly.
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.route("**/api/chat", lambda route: route.abort())
    ask(page, "hallo")
    expect(page.locator(".ww-message--error")).to_contain_text("De chatbot is nu niet bereikbaar.")


def test_other_pages_are_accessible(page: Page, api_base: str, console: Console) -> None:
    for path, state in [
        ("/", "kies gemeente"),
        ("/?gemeente=onbekend", "onbekende gemeente"),
        ("/privacy", "privacy"),
        ("/bronnen/purmerend-programmadoelen-2023", "brontekst"),
        ("/widget/frame?gemeente=purmerend&color=%2300529b", "widget-frame los"),
    ]:
        page.goto(f"{api_base}{path}")
        assert_accessible(page, state)
    assert csp_violations(console.messages) == []
