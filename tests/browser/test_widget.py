"""The widget on a municipality's site (another origin, with its own strict CSP): one script tag, the
chat in a panel, keyboard use, colours and position from data attributes, the conversation kept
across the site's pages, and axe on the host page with the widget open."""

from __future__ import annotations

from playwright.sync_api import FrameLocator, Page, expect

from tests.browser.conftest import Console
from tests.browser.host_site import HostSite
from tests.browser.support import assert_accessible, csp_violations
from tests.fake_rasa import CLARIFY, DEBT_PAYLOAD, FakeRasa


def chat(page: Page) -> FrameLocator:
    return page.frame_locator("iframe.wegwijzer-frame")


def test_the_widget_on_a_host_page(page: Page, host_site: HostSite, fake_rasa: FakeRasa, console: Console) -> None:
    page.goto(f"{host_site.url}/index.html")
    launcher = page.get_by_role("button", name="Chat met de chatbot")
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("getComputedStyle(document.querySelector('.wegwijzer-launcher')).backgroundColor") == (
        "rgb(0, 82, 155)"
    )
    box = launcher.bounding_box()
    assert box is not None and box["x"] > 1280 / 2, "data-position=right puts the button on the right"
    assert_accessible(page, "widget: dicht", console.messages)

    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    frame = chat(page)
    expect(frame.locator("#message")).to_be_focused()
    expect(frame.locator("[data-opening]")).to_contain_text("Ik ben een chatbot, geen mens.")
    frame.locator("#message").fill("ik kan de huur niet betalen")
    frame.locator("#message").press("Enter")
    expect(frame.locator(".ww-message--bot")).to_contain_text(CLARIFY[:40])
    assert fake_rasa.calls[-1]["metadata"]["gemeente"] == "purmerend"
    assert_accessible(page, "widget: open met knoppen", console.messages)
    frame.get_by_role("button", name="Loket Schulddienstverlening").click()
    expect(frame.locator(".ww-sources a")).to_have_attribute("target", "_blank")
    assert fake_rasa.calls[-1]["message"] == DEBT_PAYLOAD

    # Another page of the same site: the panel is open again with the same conversation.
    page.get_by_role("link", name="Naar een andere pagina van de site").click()
    expect(page).to_have_title("Gemeente Purmerend – Geldzaken (testpagina)")
    expect(chat(page).locator(".ww-message--user")).to_have_count(2)
    expect(chat(page).locator(".ww-sources a")).to_be_visible()
    assert_accessible(page, "widget: open op tweede pagina", console.messages)
    assert csp_violations(console.messages) == [], console.messages


def test_the_widget_with_the_keyboard(page: Page, host_site: HostSite) -> None:
    page.goto(f"{host_site.url}/tweede.html")
    page.evaluate("sessionStorage.clear()")
    page.reload()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('wegwijzer-launcher')"):
            break
    launcher = page.locator(".wegwijzer-launcher")
    expect(launcher).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    frame = chat(page)
    expect(frame.locator("#message")).to_be_focused()
    page.keyboard.type("hallo")
    page.keyboard.press("Enter")
    expect(frame.locator(".ww-message--bot")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#wegwijzer-panel")).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(page.locator("#wegwijzer-panel")).to_be_visible()
    page.get_by_role("button", name="Chat sluiten").click()
    expect(page.locator("#wegwijzer-panel")).to_be_hidden()


def test_position_left_and_a_small_screen(page: Page, host_site_left: HostSite) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{host_site_left.url}/index.html")
    launcher = page.locator(".wegwijzer-launcher")
    box = launcher.bounding_box()
    assert box is not None and box["x"] < 40
    launcher.click()
    panel = page.locator("#wegwijzer-panel").bounding_box()
    assert panel is not None and panel["width"] <= 360 and panel["x"] >= 0
    expect(chat(page).locator("#message")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "widget: 360 px, links")
