"""'Zeg het simpeler' in Chromium: on an answer in the chat, in the widget on a host page and without
JavaScript, the same answer in A2 (from content) opens in place, with its tel: links, language and sources.
The scripted stand-in for Rasa sends the simpler version as the action server does (tests/fake_rasa.py)."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.host_site import HostSite
from tests.browser.support import widget_in_a_new_browser

PHONE = 'a[href="tel:+31299452452"]'
A2 = "Hebt u schulden of zorgen over geld? Dit loket helpt u."


def choose_the_debt_desk(where: Page | Locator) -> None:
    where.locator("#message").fill("ik kan de huur niet betalen")
    where.locator("#message").press("Enter")
    where.get_by_role("button", name="Loket Schulddienstverlening").click()


def assert_the_simpler_version_opens(answer: Locator) -> None:
    toggle = answer.locator("summary", has_text="Zeg het simpeler")
    expect(toggle).to_be_visible()
    simpler = answer.locator(".ww-simpler__text")
    expect(simpler).to_be_hidden()
    expect(answer.locator(".ww-message__text").filter(has_text="U kunt terecht bij").first).to_be_visible()
    toggle.click()
    expect(simpler).to_be_visible()
    expect(simpler).to_contain_text(A2)
    expect(simpler).not_to_contain_text("Heeft dit u geholpen?")  # the question stays with its buttons
    expect(answer.get_by_role("button", name="Ja, dit helpt")).to_be_visible()
    expect(simpler.locator(".ww-message__text")).to_have_attribute("lang", "nl")
    expect(simpler.locator(PHONE)).to_have_attribute("aria-label", "(0299) 452 452, 0 2 9 9, 4 5 2, 4 5 2")
    expect(answer.locator(".ww-sources a")).to_have_text(
        "Uit: Programmadoelen sociaal domein 2023, over armoede en schulden"
    )
    toggle.click()  # and back
    expect(simpler).to_be_hidden()


def test_the_chat_says_an_answer_simpler(page: Page, api_base: str) -> None:
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.locator("#message").fill("ik kan de huur niet betalen")
    page.locator("#message").press("Enter")
    clarification = page.locator(".ww-message--bot").last
    expect(clarification.get_by_role("button", name="Loket Schulddienstverlening")).to_be_visible()
    expect(clarification.locator(".ww-simpler")).to_have_count(0)  # nothing simpler in the content: no button
    clarification.get_by_role("button", name="Loket Schulddienstverlening").click()
    answer = page.locator(".ww-message--bot").last
    expect(answer.locator(".ww-sources a")).to_be_visible()
    assert_the_simpler_version_opens(answer)
    page.reload()  # the conversation kept in the tab keeps the simpler version too
    assert_the_simpler_version_opens(page.locator(".ww-message--bot").last)


def test_the_widget_says_an_answer_simpler(browser: Browser, host_site: HostSite) -> None:
    context, frame = widget_in_a_new_browser(browser, host_site.url)
    frame.locator("#message").fill("ik kan de huur niet betalen")
    frame.locator("#message").press("Enter")
    frame.get_by_role("button", name="Loket Schulddienstverlening").click()
    answer = frame.locator(".ww-message--bot").last
    expect(answer.locator(".ww-sources a")).to_be_visible()
    assert_the_simpler_version_opens(answer)
    context.close()


def test_without_javascript_the_simpler_version_opens_too(browser: Browser, api_base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{api_base}/?gemeente=purmerend")
    page.get_by_role("textbox", name="Uw vraag").fill("ik kan de huur niet betalen")
    page.get_by_role("button", name="Verstuur").click()
    page.get_by_role("button", name="Loket Schulddienstverlening").click()
    assert_the_simpler_version_opens(page.locator(".ww-message--bot").last)
    context.close()
